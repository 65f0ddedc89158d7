/*
 * tcp.h - TCP: passive opens, sending from sources, no send buffer.
 *
 * mote keeps no copy of the data it sends. What a connection sends comes
 * from a *source* that can produce any byte range again, so a lost segment
 * is rebuilt from the source instead of a buffer:
 *   - constant bytes (`data`): sent straight from where they lie (flash)
 *     through the driver's second span, never copied;
 *   - a generator (`fill`): writes the bytes at a given offset.
 *
 * THE SOURCE CONTRACT: the same offset must always yield the same bytes,
 * until the source is acknowledged (the `acked` callback). A body built from
 * changing state (counters, a sensor) must be rendered once into a buffer
 * that is held until then, or generated from a snapshot; never from live
 * state, or a retransmission would send different bytes than the original.
 *
 * Receiving: in-order data is handed to the `data` callback as it arrives
 * (no receive buffer); what the callback does not take closes the window
 * until mote_tcp_resume(). An out-of-order segment is dropped and answered
 * at once with a duplicate ACK.
 *
 * Everything runs inside mote_poll(): callbacks may call the functions
 * below, which take effect once the callback returns.
 */
#ifndef MOTE_TCP_H
#define MOTE_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote_config.h"

struct mote_stack;

/* Length of a generator source whose end is found when `fill` returns
 * fewer bytes than asked. */
#define MOTE_TCP_LEN_UNTIL_END 0xffffffffu

struct mote_tcp_source {
    const uint8_t *data; /* constant bytes, or NULL: use `fill` */
    /* Writes up to `cap` bytes at `offset` into `buf`; returns how many. Fewer
     * than `cap` (0 too) means the source ends at offset + return value. */
    size_t (*fill)(void *ctx, uint32_t offset, uint8_t *buf, size_t cap);
    void *ctx;
    uint32_t len; /* bytes, or MOTE_TCP_LEN_UNTIL_END (mote sets it when the
                     end is found) */
};

enum mote_tcp_state {
    MOTE_TCP_FREE,
    MOTE_TCP_SYN_RECEIVED,
    MOTE_TCP_ESTABLISHED,
    MOTE_TCP_CLOSE_WAIT,
    MOTE_TCP_LAST_ACK,
    MOTE_TCP_FIN_WAIT_1,
    MOTE_TCP_FIN_WAIT_2,
    MOTE_TCP_CLOSING
    /* TIME-WAIT is not a connection state in mote: a connection that
     * reaches it leaves its slot for a small record (mote_tcp_tw). */
};

enum mote_tcp_why {
    MOTE_TCP_CLOSED,  /* orderly: both FINs exchanged and acknowledged */
    MOTE_TCP_RESET,   /* the peer sent RST */
    MOTE_TCP_TIMEOUT, /* retransmissions or a state timer gave up */
    MOTE_TCP_ABORTED  /* mote_tcp_abort() */
};

struct mote_tcp_conn {
    uint32_t rip;            /* remote address */
    uint16_t rport, lport;
    uint16_t flags;          /* TCPF_* in tcp_priv.h */
    uint8_t state;           /* enum mote_tcp_state */
    uint8_t retries;         /* consecutive timeouts */
    uint8_t listener;        /* index in the listener table */
    uint8_t dupacks;         /* duplicate ACKs in a row */
    uint16_t rtt_time;       /* low 16 bits of ms when rtt_seq was sent;
                                in SYN-RECEIVED, when the SYN came */
    uint32_t snd_una;        /* oldest unacknowledged sequence number */
    uint32_t snd_nxt;        /* next to send */
    uint32_t snd_max;        /* highest ever sent */
    uint32_t rcv_nxt;
    uint32_t ts_recent;      /* the peer's timestamp to echo (TCPF_TS) */
    uint16_t snd_wnd;        /* peer's window */
    uint16_t mss;            /* send MSS, options included */
    uint16_t srtt, rttvar;   /* ms; srtt 0: no sample yet */
    uint16_t rto;            /* ms */
    uint32_t rtt_seq;        /* segment being timed (TCPF_TIMING) */
    uint32_t timer;          /* deadline, ms (TCPF_TIMER) */
    uint32_t src_seq;        /* sequence number of src[0]'s first byte */
    uint16_t cwnd, ssthresh; /* congestion window and threshold, bytes */
    uint16_t cwnd_acc;       /* bytes acknowledged towards the next MSS of
                                congestion avoidance */
    uint8_t acks_sent;       /* rate-limited ACKs in this second */
    uint8_t unused;
    uint32_t recover;        /* snd_max when loss recovery began */
    struct mote_tcp_source *src[2];
    void *ctx;               /* the application's */
};

/* TIME-WAIT record: enough to answer a retransmitted FIN (the ACK is built
 * from the segment itself) and to hold the 4-tuple for 2*MSL. */
struct mote_tcp_tw {
    uint32_t rip;
    uint16_t rport, lport;
    uint16_t expires; /* mote tick (64 ms units); rip 0: free */
    uint16_t unused;
};

/* A listening port and what happens on its connections. Every callback may
 * be NULL. Each gets the stack and the connection. */
struct mote_tcp_listener {
    uint16_t port;
    /* A connection is established. Return nonzero to refuse it (reset). */
    int (*accepted)(struct mote_stack *s, struct mote_tcp_conn *c);
    /* In-order bytes (`p` points into the packet buffer, valid during the
     * call). Returns how many it took; taking fewer closes the window until
     * mote_tcp_resume(). `len` 0 with `p` NULL: the peer closed its side
     * (FIN); send what remains, then mote_tcp_close(). */
    size_t (*data)(struct mote_stack *s, struct mote_tcp_conn *c,
                   const uint8_t *p, size_t len);
    /* `src` was acknowledged in full and is no longer used by mote. */
    void (*acked)(struct mote_stack *s, struct mote_tcp_conn *c,
                  struct mote_tcp_source *src);
    /* The connection is gone (its slot is free once this returns). */
    void (*closed)(struct mote_stack *s, struct mote_tcp_conn *c,
                   enum mote_tcp_why why);
    /* Called at every mote_poll() for each established connection: the
     * place to complete a deferred response and to apply timeouts. Returns
     * the ms until it must be called again at the latest (a deadline), or
     * 0xffffffff; mote_poll() wakes up for it. */
    uint32_t (*poll)(struct mote_stack *s, struct mote_tcp_conn *c);
    /* A SYN found every slot taken by established connections: abort one
     * (mote_tcp_abort()) to make room for it, and return nonzero; or 0 to
     * refuse the SYN (the client's retry may find room). */
    int (*evict)(struct mote_stack *s);
    /* The most the application can surely take now, in bytes: the window
     * advertised is the smaller of this and MOTE_TCP_RCV_WND, so a peer
     * never sends what would have to be dropped. Also asked in
     * SYN-RECEIVED. After it grows, mote_tcp_resume() tells the peer. */
    unsigned (*window)(const struct mote_stack *s,
                       const struct mote_tcp_conn *c);
};

/* Listens with `l` (kept by pointer: keep it alive, usually const).
 * Returns 0, or -1 when the listener table (MOTE_TCP_LISTENERS) is full. */
int mote_tcp_listen(struct mote_stack *s, const struct mote_tcp_listener *l);

/* Queues `src` behind what the connection already sends (at most two
 * sources at a time). Returns 0, or -1 when two are queued or the
 * connection can no longer send. `src` stays the application's: it must
 * live until `acked` returns it. */
int mote_tcp_send(struct mote_stack *s, struct mote_tcp_conn *c,
                  struct mote_tcp_source *src);

/* Closes after every queued byte is sent: FIN, then the orderly close. */
void mote_tcp_close(struct mote_stack *s, struct mote_tcp_conn *c);

/* Resets the connection now (RST) and frees its slot. */
void mote_tcp_abort(struct mote_stack *s, struct mote_tcp_conn *c);

/* Reopens the receive window after `data` took less than it was given, or
 * after `window` grew: an ACK tells the peer at once. */
void mote_tcp_resume(struct mote_stack *s, struct mote_tcp_conn *c);

/* Connection slots in use (all MOTE_MAX_CONNS free means 0). */
unsigned mote_tcp_active(const struct mote_stack *s);

/* The entropy hook: keys the hash behind initial sequence numbers and SYN
 * cookies (HalfSipHash-2-4) with 8 secret bytes. Call it after mote_init()
 * and before the first connection, with bytes from a true random source:
 * a hardware RNG (STM32 RNG, nRF RNG, ESP32 with the radio on), or else a
 * per-device secret kept in protected flash mixed with a boot counter, so
 * no two boots share a key. Without it the key is zero and anyone who knows
 * mote can predict sequence numbers and forge cookies (blind injection).
 * The host port uses getrandom(); QEMU's lm3s6965 has no entropy source. */
void mote_tcp_seed(struct mote_stack *s, const uint8_t key[8]);

#if MOTE_RUNTIME_TIMEOUTS
/* For tests that compare: `on` 0 turns fast retransmit off, so every loss
 * waits for the retransmission timeout. On by default. */
void mote_tcp_fast_retransmit(struct mote_stack *s, int on);
#endif

#define MOTE_TCP_COUNTERS(X)                                                \
    X(TCP_SHORT)        /* drop: shorter than the TCP header */             \
    X(TCP_HLEN)         /* drop: data offset < 5 or past the segment */     \
    X(TCP_CHECKSUM)     /* drop: bad checksum */                            \
    X(TCP_BAD_FLAGS)    /* drop: SYN+FIN, SYN+RST, no ACK where needed */   \
    X(TCP_BROADCAST)    /* drop: to a broadcast address */                  \
    X(TCP_NO_LISTENER)  /* segment for no connection: RST sent */           \
    X(TCP_RST_LIMITED)  /* ... but the RST rate limit held it back */       \
    X(TCP_NO_SLOT)      /* drop: SYN with every slot taken */               \
    X(TCP_OUT_OF_WINDOW) /* drop: outside the receive window (ACK sent) */  \
    X(TCP_OUT_OF_ORDER) /* drop: ahead of rcv_nxt (duplicate ACK sent) */   \
    X(TCP_ACK_UNSENT)   /* drop: ACK for data never sent, or older than \
                           the window (RFC 5961 5.2; ACK sent) */          \
    X(TCP_CHALLENGE_ACKS) /* RFC 5961 challenge ACKs sent: RST or SYN in  \
                           the window but not exact, ACK_UNSENT */         \
    X(TCP_ACK_LIMITED)  /* ACKs for bad segments held back by the limit */ \
    X(TCP_ACCEPTS)      /* connections established */                       \
    X(TCP_RESETS)       /* connections reset by the peer */                 \
    X(TCP_RETRANSMITS)  /* retransmission timeouts */                       \
    X(TCP_FAST_REXMITS) /* fast retransmits (three duplicate ACKs) */       \
    X(TCP_PROBES)       /* zero-window probes (persist timer) */            \
    X(TCP_SYN_EVICTED)  /* SYN-RECEIVED slots given to a newer SYN or to a  \
                           cookie's ACK (the flood defense) */            \
    X(TCP_COOKIE_ACCEPTS) /* connections rebuilt from a SYN cookie */       \
    X(TCP_GIVE_UPS)     /* connections dropped after too many timeouts */   \
    X(TCP_TIME_WAITS)   /* connections moved to a TIME-WAIT record */       \
    X(TCP_TW_RECYCLED)  /* TIME-WAIT records reused before expiry */

#define MOTE_TCP_TIMEOUTS(X)                                                \
    X(TCP_RTO_INIT_MS)                                                      \
    X(TCP_RTO_MIN_MS)                                                       \
    X(TCP_RTO_MAX_MS)                                                       \
    X(TCP_TIME_WAIT_MS)                                                     \
    X(TCP_FIN_WAIT2_MS)

#define MOTE_TO_DEFAULT_TCP_RTO_INIT_MS ((uint32_t)MOTE_TCP_RTO_INIT_MS)
#define MOTE_TO_DEFAULT_TCP_RTO_MIN_MS ((uint32_t)MOTE_TCP_RTO_MIN_MS)
#define MOTE_TO_DEFAULT_TCP_RTO_MAX_MS ((uint32_t)MOTE_TCP_RTO_MAX_MS)
#define MOTE_TO_DEFAULT_TCP_TIME_WAIT_MS ((uint32_t)MOTE_TCP_TIME_WAIT_MS)
#define MOTE_TO_DEFAULT_TCP_FIN_WAIT2_MS ((uint32_t)MOTE_TCP_FIN_WAIT2_MS)

struct mote_tcp {
    struct mote_tcp_conn conns[MOTE_MAX_CONNS];
    struct mote_tcp_tw tw[MOTE_TCP_TIME_WAIT];
    const struct mote_tcp_listener *listeners[MOTE_TCP_LISTENERS];
    uint32_t key[2];     /* of the keyed hash (mote_tcp_seed) */
    uint16_t rst_tick;   /* RST rate limit: the tick of the current window */
    uint8_t rst_count;   /* ... and the RSTs sent in it */
#if MOTE_RUNTIME_TIMEOUTS
    uint8_t no_fast_rexmit; /* mote_tcp_fast_retransmit(s, 0) */
#endif
    uint16_t ack_tick;   /* ACK rate limit: the tick of the current window */
    uint16_t evicted;    /* 1 + the cookie period of the last SYN-RECEIVED
                            slot taken over; 0: never */
};

#define MOTE_TCP_STATE struct mote_tcp tcp;

#endif /* MOTE_TCP_H */
