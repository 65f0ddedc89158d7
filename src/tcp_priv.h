/*
 * tcp_priv.h - what tcp_in.c and tcp_out.c share. Not installed.
 */
#ifndef MOTE_TCP_PRIV_H
#define MOTE_TCP_PRIV_H

#include "priv.h"
#include "wire.h"

/* TCP header */
#define TCP_HLEN 20
#define TCP_SPORT 0
#define TCP_DPORT 2
#define TCP_SEQ 4
#define TCP_ACK 8
#define TCP_OFF 12
#define TCP_FLAGS 13
#define TCP_WND 14
#define TCP_CSUM 16
#define TCP_URG 18
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

/* Where segments are built in the packet buffer. */
#define TCP_OFF_BUF (IP_OFF + IP_HLEN)
/* Our MSS: a whole segment fits the one buffer. */
#define TCP_MSS_MAX (MOTE_BUF_SIZE - TCP_OFF_BUF - TCP_HLEN)
/* The smallest MSS we accept from a peer (smaller values are clamped). */
#define TCP_MSS_MIN 64
#define TCP_MSS_DEFAULT 536
/* The largest unscaled window: bounds how old an acceptable ACK may be
 * (RFC 5961 5.2's MAX.SND.WND, taken at its ceiling). */
#define TCP_WND_MAX 65535u

/* Duplicate ACKs that start a fast retransmit (RFC 5681). */
#define TCP_DUPACK_THRESH 3
/* ACKs answering bad segments (RFC 5961 challenges, bare ACKs outside the
 * window) per connection per ~1 s: a blind attacker cannot make mote an ACK
 * cannon, and per connection, one connection's budget reveals nothing about
 * another's (the side channel of CVE-2016-5696, a global limit). */
#define TCP_ACK_LIMIT 10
/* Connections in SYN-RECEIVED at most: half the pool, rounded up. A flood of
 * SYNs can hold these, never the rest; a newer SYN takes the oldest. */
#define TCP_SYN_BUDGET ((MOTE_MAX_CONNS + 1) / 2)
/* Below the SYN-RECEIVED budget, a newer SYN takes no slot in SYN-RECEIVED
 * younger than this, ms: a real client's ACK comes within a round trip. */
#define TCP_SYN_GRACE_MS 100
/* Retry delay of a SYN-ACK that could not leave (next hop unresolved): the
 * ARP answer of a real neighbour comes within this. */
#define TCP_UNRESOLVED_MS 50

/* struct mote_tcp_conn.flags */
#define TCPF_TIMER 0x01  /* c->timer is armed */
#define TCPF_TIMING 0x02 /* rtt_seq is being timed */
#define TCPF_ACK_NOW 0x04 /* an ACK is owed to the peer */
#define TCPF_CLOSE 0x08  /* FIN after the queued sources */
#define TCPF_RX_STOP 0x10 /* the application took less: window closed */
#define TCPF_OUTPUT 0x20 /* the application queued something */
#define TCPF_RECOVERY 0x40 /* fast recovery (RFC 5681 3.2, RFC 6582) */
#define TCPF_PROBE 0x80  /* zero window: send one byte anyway */
#define TCPF_TS 0x100    /* timestamps (RFC 7323) on this connection */

/* Options. Timestamps are used when the peer offers them: they give the
 * peer RTT samples even for retransmitted data, so its back-off resets
 * after losses (without them, Karn's rule keeps a lossy path backed off). */
#define TCP_OPT_MSS 1
#define TCP_OPT_TS 2
#define TCP_TS_LEN 12 /* NOP, NOP, kind 8, length 10, TSval, TSecr */

struct tcp_opts {
    int mss;         /* TCP_MSS_DEFAULT when absent, clamped */
    uint8_t has_ts;
    uint32_t tsval, tsecr;
};

/* siphash.c: HalfSipHash-2-4 of n 32-bit words, 32-bit result. */
uint32_t mote_hsiphash(const uint32_t key[2], const uint32_t *w, unsigned n);

/* Parses the options of a segment; -1 when malformed. */
int mote_tcp_parse_opts(const uint8_t *o, size_t len, struct tcp_opts *out);

static inline int seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline int seq_leq(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

/* A segment to send: header fields in host order. */
struct tcp_seg {
    uint32_t rip, seq, ack;
    uint32_t tsval, tsecr;
    uint16_t lport, rport, wnd;
    uint8_t flags;
    uint8_t opts; /* TCP_OPT_*: which options to carry */
};

/* tcp_out.c */
int mote_tcp_xmit(struct mote_stack *s, const struct tcp_seg *g,
                  const uint8_t *tail, size_t plen);
void mote_tcp_output(struct mote_stack *s, struct mote_tcp_conn *c);
/* Sends the oldest unacknowledged segment again, snd_nxt untouched (fast
 * retransmit, and NewReno's partial ACKs). */
void mote_tcp_rexmit(struct mote_stack *s, struct mote_tcp_conn *c);
void mote_tcp_arm(struct mote_stack *s, struct mote_tcp_conn *c,
                  uint32_t ms);
/* Ends a connection: the application hears `why`, the slot is freed. */
void mote_tcp_free(struct mote_stack *s, struct mote_tcp_conn *c,
                   enum mote_tcp_why why);
/* Sends RST (rate-limited) in answer to a segment that matches nothing. */
void mote_tcp_reset_reply(struct mote_stack *s, uint32_t rip, uint16_t lport,
                          uint16_t rport, uint32_t seq, uint32_t ack,
                          uint8_t flags, size_t seg_len);
/* The window to advertise: MOTE_TCP_RCV_WND, less when the listener's
 * `window` says so, 0 while the application refuses data. */
uint16_t mote_tcp_rcv_wnd(const struct mote_stack *s,
                          const struct mote_tcp_conn *c);

#endif /* MOTE_TCP_PRIV_H */
