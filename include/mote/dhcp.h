/*
 * dhcp.h - the DHCP client (RFC 2131, options of RFC 2132).
 *
 * mote_dhcp_start() makes the stack find its address, netmask and gateway:
 * DISCOVER, OFFER, REQUEST, ACK, then renewal at T1 (half the lease) with
 * the leasing server, rebinding at T2 (7/8) with any server, and at the
 * lease's end the address is dropped and discovery starts again. The address
 * is applied only when a server ACKs it. Unanswered messages are sent again
 * after 4, 8, 16, 32, 64, 64... s, each +-1 s at random. With
 * MOTE_DHCP_FALLBACK configured, that address is used once
 * MOTE_DHCP_FALLBACK_TRIES DISCOVERs went unanswered, until a lease comes.
 *
 * Randomness: the stack has no entropy source. The transaction ids and the
 * back-off jitter come from a small generator seeded with the `seed` passed
 * to mote_dhcp_start(), the MAC address and the clock at each draw. Distinct
 * MACs alone keep devices that boot together apart; a port with a hardware
 * RNG (or ADC noise, or a counter running since reset) should pass it as the
 * seed so the transaction ids are not predictable from outside.
 *
 * MOTE_DHCP_COUNTERS(X) lists this module's counters (joined into
 * MOTE_COUNTERS in mote.h); MOTE_DHCP_STATE declares its members of
 * struct mote_stack.
 */
#ifndef MOTE_DHCP_H
#define MOTE_DHCP_H

#include <stddef.h>
#include <stdint.h>

#define MOTE_DHCP_COUNTERS(X)                                                   \
    X(DHCP_MALFORMED)   /* drop: bad header, options past the end, no end */  \
    X(DHCP_NOT_OURS)    /* drop: other xid, chaddr, server or source port */  \
    X(DHCP_UNEXPECTED)  /* drop: message type not awaited in this state */   \
    X(DHCP_NO_SERVER_ID) /* drop: OFFER, ACK or NAK without server id */     \
    X(DHCP_BAD_LEASE)   /* drop: lease time missing or 0, address unusable */ \
    X(DHCP_BAD_MASK)    /* drop: subnet mask not contiguous */                \
    X(DHCP_LEASES)      /* leases obtained or renewed (ACKs applied) */       \
    X(DHCP_NAKS)        /* NAKs that restarted discovery */                   \
    X(DHCP_EXPIRED)     /* leases that ran out: the address was dropped */    \
    X(DHCP_FALLBACK)    /* times the static fallback address was applied */

enum mote_dhcp_state {
    MOTE_DHCP_OFF,        /* not started */
    MOTE_DHCP_INIT,       /* about to send a DISCOVER */
    MOTE_DHCP_SELECTING,  /* DISCOVER sent, waiting for an OFFER */
    MOTE_DHCP_REQUESTING, /* REQUEST for an offer sent, waiting for the ACK */
    MOTE_DHCP_BOUND,      /* address in use, until T1 */
    MOTE_DHCP_RENEWING,   /* T1 passed: asking the leasing server */
    MOTE_DHCP_REBINDING   /* T2 passed: asking any server */
};

struct mote_dhcp {
    uint32_t xid;     /* transaction id of the current exchange */
    uint32_t server;  /* server identifier of the offer or lease */
    uint32_t offered; /* address offered, requested until the ACK */
    uint32_t due;     /* ms: next (re)transmission or T1 */
    uint32_t t2;      /* ms: rebinding time */
    uint32_t end;     /* ms: end of the lease */
    uint32_t rnd;     /* state of the pseudo-random generator */
    uint8_t state;    /* enum mote_dhcp_state */
    uint8_t tries;    /* messages sent in this exchange */
};

#define MOTE_DHCP_STATE struct mote_dhcp dhcp;

/* Run-time settable timeouts (joined into MOTE_TIMEOUTS in mote.h). */
#define MOTE_DHCP_TIMEOUTS(X)

struct mote_stack;

/* Starts the client (it takes one UDP port binding, port 68): the first
 * DISCOVER goes out at the next mote_poll(). `seed`: any entropy the port
 * has (see above), 0 if none. */
void mote_dhcp_start(struct mote_stack *s, uint32_t seed);

/* The client's state; with `cfg` not NULL, also the stack's address, mask
 * and gateway in use (0 when none), in this order. */
enum mote_dhcp_state mote_dhcp_status(const struct mote_stack *s,
                                      uint32_t cfg[3]);

#endif /* MOTE_DHCP_H */
