/*
 * udp.h - UDP (RFC 768): a small table of bound ports and a send call.
 *
 * A datagram reaches the function bound to its destination port only after
 * its length and checksum were checked (a zero checksum, "none computed", is
 * accepted). Datagrams to unbound ports are counted and dropped; no ICMP port
 * unreachable is sent (it would be a reflector, and nothing needs it).
 *
 * MOTE_UDP_COUNTERS(X) lists this module's counters (joined into
 * MOTE_COUNTERS in mote.h); MOTE_UDP_STATE declares its members of
 * struct mote_stack.
 */
#ifndef MOTE_UDP_H
#define MOTE_UDP_H

#include <stddef.h>
#include <stdint.h>

#define MOTE_UDP_COUNTERS(X)                                                \
    X(UDP_LEN)          /* drop: shorter than 8 B or length past payload */ \
    X(UDP_CHECKSUM)     /* drop: bad checksum */                            \
    X(UDP_NO_PORT)      /* drop: no function bound to the port */

struct mote_stack;

/* Called with the `len` payload bytes of a datagram from `src`:`sport`.
 * `data` lies in the stack's packet buffer and stays valid until the function
 * returns; it may be passed straight to mote_udp_send() to answer. */
typedef void mote_udp_fn(struct mote_stack *s, uint8_t *data, size_t len,
                         uint32_t src, uint16_t sport);

struct mote_udp_port {
    uint16_t port; /* 0: free */
    mote_udp_fn *fn;
};

#if MOTE_UDP_PORTS
#define MOTE_UDP_STATE struct mote_udp_port udp[MOTE_UDP_PORTS];
#else
#define MOTE_UDP_STATE
#endif

/* Run-time settable timeouts (joined into MOTE_TIMEOUTS in mote.h). */
#define MOTE_UDP_TIMEOUTS(X)

/* Binds `fn` to local port `port` (not 0; 68 is the DHCP client's and never
 * reaches `fn`), replacing an earlier binding of that port; `fn` NULL unbinds
 * it. Returns 0, or -1 when the table (MOTE_UDP_PORTS entries, 0 by default)
 * is full or the port is 0. */
int mote_udp_bind(struct mote_stack *s, uint16_t port, mote_udp_fn *fn);

/* Sends `len` bytes (at most 1472) from local port `sport` to `dst`:`dport`
 * (255.255.255.255 goes to every host of the link). `data` is sent without a
 * copy, from flash or RAM; it may be the `data` a mote_udp_fn received.
 * Returns 0 when the frame went to the driver; -1 when it could not (no
 * route, next hop not resolved yet: an ARP request went out instead, retry
 * later; driver refused, or too long). */
int mote_udp_send(struct mote_stack *s, uint16_t sport, uint32_t dst,
                  uint16_t dport, const void *data, size_t len);

#endif /* MOTE_UDP_H */
