/*
 * priv.h - what the layers of the core call in each other. Not installed.
 *
 * Input runs up (eth -> arp | ipv4 -> icmp ...), output runs down
 * (icmp -> ipv4 -> arp resolution -> eth -> driver). The packet buffer
 * `s->buf` is shared: an input function may build its reply in place once it
 * has consumed the bytes it needs.
 */
#ifndef MOTE_PRIV_H
#define MOTE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

/* The core is freestanding (the RISC-V and Xtensa toolchains ship no libc):
 * these builtins become inline code or calls to memcpy/memset/memcmp, which
 * the port supplies (newlib, or a tiny shim). */
#define MEMCPY __builtin_memcpy
#define MEMMOVE __builtin_memmove
#define MEMSET __builtin_memset
#define MEMCMP __builtin_memcmp

#define COUNT(s, name) ((s)->counters[MOTE_CNT_##name]++)

/* One drop path per input function: `DROP(REASON)` jumps to a `drop:` label
 * that counts `why`, so each check costs a compare and a branch. */
#define DROP(reason)                                                         \
    do {                                                                     \
        why = MOTE_CNT_##reason;                                             \
        goto drop;                                                           \
    } while (0)

/* Where the IPv4 header starts in the packet buffer. */
#define IP_OFF 14

#if MOTE_RUNTIME_TIMEOUTS
#define TIMEOUT(s, id) ((s)->timeouts[MOTE_TO_##id])
#else
#define TIMEOUT(s, id) ((void)(s), MOTE_TO_DEFAULT_##id)
#endif

extern const uint8_t mote_eth_broadcast[6];

/* checksum.c: the Internet checksum (RFC 1071) of `len` bytes added to a
 * running 32-bit sum; mote_cksum_fold() gives the final complemented value. */
uint32_t mote_cksum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t mote_cksum_fold(uint32_t sum);
/* Both at once: what a check (0 when valid) or a header field wants. */
uint16_t mote_cksum(uint32_t sum, const uint8_t *p, size_t len);

/* eth.c */
void mote_eth_input(struct mote_stack *s, size_t len);
/* Sends buf[0..head_len) + tail as one frame to `dst`; fills the Ethernet
 * header (buf[0..14)). Returns 0 when the driver took it. */
int mote_eth_output(struct mote_stack *s, const uint8_t dst[6], uint16_t type,
                    size_t head_len, const uint8_t *tail, size_t tail_len);

/* arp.c */
void mote_arp_input(struct mote_stack *s, uint8_t *arp, size_t len);
/* MAC of the neighbour `ip`, or NULL after sending (at most every
 * ARP retry interval) a request for it. */
const uint8_t *mote_arp_resolve(struct mote_stack *s, uint32_t ip);
void mote_arp_announce(struct mote_stack *s);
void mote_arp_timer(struct mote_stack *s);

/* ipv4.c */
void mote_ipv4_input(struct mote_stack *s, uint8_t *ip, size_t len);
/* Sends an IPv4 packet to `dst` whose first `len` payload bytes are already
 * in the buffer at IP_OFF + IP_HLEN, followed by `tail`. */
int mote_ipv4_output(struct mote_stack *s, uint32_t dst, uint8_t proto,
                     size_t len, const uint8_t *tail, size_t tail_len);

/* The transport inputs share one signature, so IPv4 calls them through one
 * call site. `bcast`: the packet was sent to a broadcast address. The IPv4
 * header (for pseudo-headers) is at s->buf + IP_OFF. */
void mote_icmp_input(struct mote_stack *s, uint8_t *icmp, size_t len,
                     uint32_t src, int bcast);
void mote_udp_input(struct mote_stack *s, uint8_t *udp, size_t len,
                    uint32_t src, int bcast);

/* dhcp.c: a datagram to port 68 (called by udp.c whether the client runs
 * or not); the client's timers, which return the ms until its next deadline
 * (at most `cap`). */
void mote_dhcp_input(struct mote_stack *s, uint8_t *m, size_t len,
                     uint16_t sport);
uint32_t mote_dhcp_timer(struct mote_stack *s, uint32_t cap);

/* http_parser.c: "GET\0HEAD\0...\0OPTIONS\0", enum mote_http_method's
 * names in order. */
extern const char mote_http_method_names[];

/* tcp_in.c / tcp_out.c */
void mote_tcp_input(struct mote_stack *s, uint8_t *seg, size_t len,
                    uint32_t src, int bcast);
/* Timers, application polls and pending output of every connection;
 * returns the ms until the next TCP deadline (at most `cap`). */
uint32_t mote_tcp_poll(struct mote_stack *s, uint32_t cap);

/* Coarse time of the ARP cache: 64 ms ticks, wrapping. */
static inline uint16_t mote_tick(const struct mote_stack *s)
{
    return (uint16_t)(s->now >> 6);
}

#endif /* MOTE_PRIV_H */
