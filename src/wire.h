/*
 * wire.h - wire formats: field offsets, constants and byte-wise access.
 *
 * Multi-byte fields are never accessed through a cast pointer: the IPv4
 * header sits at offset 14 of the frame, unaligned, and some targets
 * (Xtensa) fault on unaligned word access.
 */
#ifndef MOTE_WIRE_H
#define MOTE_WIRE_H

#include <stdint.h>

/* Through memcpy, so the compiler emits whatever access the target allows
 * at any alignment: single unaligned loads on Cortex-M3, byte loads on
 * Xtensa. Network order is big-endian. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WIRE16(v) __builtin_bswap16(v)
#define WIRE32(v) __builtin_bswap32(v)
#else
#define WIRE16(v) (v)
#define WIRE32(v) (v)
#endif

static inline uint16_t get16(const uint8_t *p)
{
    uint16_t v;
    __builtin_memcpy(&v, p, 2);
    return WIRE16(v);
}

static inline uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return WIRE32(v);
}

static inline void put16(uint8_t *p, uint16_t v)
{
    v = WIRE16(v);
    __builtin_memcpy(p, &v, 2);
}

static inline void put32(uint8_t *p, uint32_t v)
{
    v = WIRE32(v);
    __builtin_memcpy(p, &v, 4);
}

/* Ethernet II */
#define ETH_HLEN 14
#define ETH_DST 0
#define ETH_SRC 6
#define ETH_TYPE 12
#define ETHTYPE_IPV4 0x0800
#define ETHTYPE_ARP 0x0806

/* ARP for IPv4 over Ethernet, offsets from the start of the ARP body */
#define ARP_LEN 28
#define ARP_HTYPE 0
#define ARP_PTYPE 2
#define ARP_HLEN 4
#define ARP_PLEN 5
#define ARP_OP 6
#define ARP_SHA 8
#define ARP_SPA 14
#define ARP_THA 18
#define ARP_TPA 24
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* IPv4, offsets from the start of the IP header */
#define IP_HLEN 20 /* without options, as mote sends it */
#define IP_VHL 0
#define IP_TOS 1
#define IP_TOTLEN 2
#define IP_ID 4
#define IP_FRAG 6
#define IP_TTL 8
#define IP_PROTO 9
#define IP_CSUM 10
#define IP_SRC 12
#define IP_DST 16
#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_OFFMASK 0x1fff
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

/* ICMP */
#define ICMP_HLEN 8
#define ICMP_TYPE 0
#define ICMP_CODE 1
#define ICMP_CSUM 2
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

#endif /* MOTE_WIRE_H */
