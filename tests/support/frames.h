/*
 * frames.h - builders of crafted frames and a standard test fixture: one
 * stack on a mock driver, our host and one peer on 10.0.0.0/24.
 */
#ifndef FRAMES_H
#define FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "mock_driver.h"
#include "mote/mote.h"

extern const uint8_t T_MAC[6];    /* ours: 02:00:00:00:00:01 */
extern const uint8_t PEER_MAC[6]; /* 02:00:00:00:00:02 */
extern const uint8_t GW_MAC[6];   /* 02:00:00:00:00:fe */
extern const uint8_t BCAST_MAC[6];
#define T_IP MOTE_IPV4(10, 0, 0, 2)
#define PEER_IP MOTE_IPV4(10, 0, 0, 3)
#define GW_IP MOTE_IPV4(10, 0, 0, 1)
#define T_MASK MOTE_IPV4(255, 255, 255, 0)
#define FAR_IP MOTE_IPV4(192, 0, 2, 7)

struct fixture {
    struct mote_stack s;
    struct mock_drv m;
    uint32_t now;
};

/* Fresh stack with our address, polled once (the gratuitous ARP is sent
 * and forgotten), and PEER_IP/GW_IP already in the ARP cache. */
struct fixture *fixture_new(void);
/* Runs mote_poll at the fixture's clock. */
uint32_t fixture_poll(struct fixture *fx);
/* Injects a frame and polls once. */
void fixture_rx(struct fixture *fx, const uint8_t *f, size_t len);
uint32_t cnt(const struct fixture *fx, enum mote_counter_id id);

/* Each builder writes a whole frame into `f` and returns its length. */
size_t fb_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
              uint16_t type);
size_t fb_arp(uint8_t *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
              const uint8_t tha[6], uint32_t tpa);
/* IPv4 from PEER_MAC to T_MAC, no options, correct checksum. */
size_t fb_ipv4(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
               const uint8_t *payload, size_t plen);
/* ICMP echo request PEER_IP -> dst with `plen` payload bytes (i * 7). */
size_t fb_echo(uint8_t *f, uint32_t dst, uint16_t id, uint16_t seq,
               size_t plen);
/* UDP src:sport -> dst:dport (IPv4 without options, from PEER_MAC; to
 * BCAST_MAC when dst is 255.255.255.255, else T_MAC), checksum computed. */
size_t fb_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
              uint16_t dport, const uint8_t *payload, size_t plen);
/* Recomputes the UDP checksum of such a frame of `len` bytes. */
void fb_udp_recsum(uint8_t *f, size_t len);
/* Recomputes the IPv4 header checksum of a frame after tampering. */
void fb_ip_recsum(uint8_t *f);
/* Recomputes the ICMP checksum (IPv4 without options). */
void fb_icmp_recsum(uint8_t *f, size_t len);

uint16_t rd16(const uint8_t *p);
uint32_t rd32(const uint8_t *p);
/* 0 when the Internet checksum over p[0..len) verifies. */
uint16_t csum(const uint8_t *p, size_t len);

#endif
