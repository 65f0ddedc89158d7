/*
 * tcp_in.c - TCP input: validation, demultiplexing, passive opens, and the
 * RFC 9293 segment-arrival rules for established connections, hardened per
 * RFC 5961 (challenge ACKs) and with RFC 5681 congestion control's
 * receiving side (window growth, fast retransmit, NewReno recovery).
 *
 * In-order data goes straight to the application (no receive buffer); an
 * out-of-order segment is dropped and answered at once with a duplicate ACK,
 * which lets the peer's fast retransmit repair the hole.
 *
 * SYN floods: every SYN-ACK's initial sequence number is a SYN cookie, and
 * at most TCP_SYN_BUDGET slots are in SYN-RECEIVED; a newer SYN takes the
 * oldest of them. A real client whose slot was taken still completes the
 * handshake: its ACK carries the cookie, which rebuilds the connection. So
 * a flood holds half the pool at most and delays nobody.
 */
#include "tcp_priv.h"

/* ---- helpers ------------------------------------------------------------- */

/* MSS values a cookie can carry (2 bits): the largest not above the peer's
 * is used, so a cookie connection never sends more than the peer takes. */
static const uint16_t cookie_mss[4] = {TCP_MSS_MIN, 536, 1300, 1460};

/* A SYN cookie (RFC 4987), which is also the initial sequence number of
 * every connection: 28 bits of a keyed hash of the 4-tuple, the peer's ISN,
 * a 65.5 s period and the MSS index `m`, then the period's low 2 bits and
 * `m`. The key makes it unpredictable off-path (RFC 6528); a cookie is good
 * for its period and the next, 65..131 s. */
static uint32_t cookie(const struct mote_stack *s, uint32_t rip,
                       uint32_t ports, uint32_t peer_isn, uint32_t period,
                       unsigned m)
{
    uint32_t w[4] = {rip, ports, peer_isn, period << 2 | m};
    return (mote_hsiphash(s->tcp.key, w, 4) & ~0xfu) | (period & 3) << 2 | m;
}

int mote_tcp_parse_opts(const uint8_t *o, size_t len, struct tcp_opts *out)
{
    size_t i = 0;
    out->mss = TCP_MSS_DEFAULT;
    out->has_ts = 0;
    while (i < len) {
        if (o[i] == 0) /* end of list */
            break;
        if (o[i] == 1) { /* no-op */
            i++;
            continue;
        }
        /* Every other option has a length >= 2 that stays in the header. */
        if (len - i < 2 || o[i + 1] < 2 || o[i + 1] > len - i)
            return -1;
        if (o[i] == 2) {
            if (o[i + 1] != 4)
                return -1;
            out->mss = get16(o + i + 2);
        } else if (o[i] == 8) {
            if (o[i + 1] != 10)
                return -1;
            out->has_ts = 1;
            out->tsval = get32(o + i + 2);
            out->tsecr = get32(o + i + 6);
        }
        i += o[i + 1];
    }
    /* A tiny or zero MSS would make a segment per few bytes: clamp it. */
    if (out->mss < TCP_MSS_MIN)
        out->mss = TCP_MSS_MIN;
    if (out->mss > TCP_MSS_MAX)
        out->mss = TCP_MSS_MAX;
    return 0;
}

static struct mote_tcp_conn *find_conn(struct mote_stack *s, uint32_t rip,
                                       uint16_t lport, uint16_t rport)
{
    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++) {
        struct mote_tcp_conn *c = &s->tcp.conns[i];
        if (c->state != MOTE_TCP_FREE && c->rip == rip && c->lport == lport &&
            c->rport == rport)
            return c;
    }
    return NULL;
}

static int tw_expired(const struct mote_stack *s, const struct mote_tcp_tw *t)
{
    return t->rip == 0 || (int16_t)(t->expires - mote_tick(s)) <= 0;
}

/* Moves a connection to a TIME-WAIT record and frees its slot. */
static void enter_time_wait(struct mote_stack *s, struct mote_tcp_conn *c)
{
    struct mote_tcp_tw *t = &s->tcp.tw[0];
    for (unsigned i = 0; i < MOTE_TCP_TIME_WAIT; i++) {
        struct mote_tcp_tw *u = &s->tcp.tw[i];
        if (tw_expired(s, u)) {
            t = u;
            break;
        }
        if ((int16_t)(u->expires - t->expires) < 0)
            t = u; /* the oldest goes first */
    }
    if (!tw_expired(s, t))
        COUNT(s, TCP_TW_RECYCLED);
    t->rip = c->rip;
    t->rport = c->rport;
    t->lport = c->lport;
    t->expires = (uint16_t)(mote_tick(s) + (TIMEOUT(s, TCP_TIME_WAIT_MS) >> 6));
    COUNT(s, TCP_TIME_WAITS);
    mote_tcp_free(s, c, MOTE_TCP_CLOSED);
}

/* A segment for a TIME-WAIT record. Returns 1 when it was handled. */
static int time_wait_input(struct mote_stack *s, uint32_t rip, uint16_t lport,
                           uint16_t rport, uint32_t seq, uint32_t ack,
                           uint8_t flags, size_t plen)
{
    for (unsigned i = 0; i < MOTE_TCP_TIME_WAIT; i++) {
        struct mote_tcp_tw *t = &s->tcp.tw[i];
        if (t->rip != rip || t->lport != lport || t->rport != rport ||
            tw_expired(s, t))
            continue;
        if (flags & (TH_RST | TH_SYN)) {
            t->rip = 0; /* reset, or a new incarnation: forget the old */
            return (flags & TH_RST) != 0;
        }
        if ((flags & (TH_FIN | TH_ACK)) == (TH_FIN | TH_ACK)) {
            /* Our last ACK was lost: acknowledge the FIN again, built from
             * the segment itself, and restart 2*MSL. */
            struct tcp_seg g = {.rip = rip, .lport = lport, .rport = rport,
                                .seq = ack, .ack = seq + (uint32_t)plen + 1,
                                .flags = TH_ACK};
            mote_tcp_xmit(s, &g, NULL, 0);
            t->expires = (uint16_t)(mote_tick(s) +
                                    (TIMEOUT(s, TCP_TIME_WAIT_MS) >> 6));
        }
        return 1;
    }
    return 0;
}

static void rtt_sample(struct mote_stack *s, struct mote_tcp_conn *c,
                       uint32_t ms)
{
    uint16_t r = ms == 0 ? 1 : ms > 60000 ? 60000 : (uint16_t)ms;
    c->flags &= (uint16_t)~TCPF_TIMING;
    if (c->srtt == 0) { /* RFC 6298 2.2 */
        c->srtt = r;
        c->rttvar = r / 2;
    } else { /* 2.3, beta 1/4, alpha 1/8 */
        uint16_t d = c->srtt > r ? (uint16_t)(c->srtt - r)
                                 : (uint16_t)(r - c->srtt);
        c->rttvar = (uint16_t)((3u * c->rttvar + d) / 4);
        c->srtt = (uint16_t)((7u * c->srtt + r) / 8);
    }
    uint32_t rto = c->srtt + (c->rttvar ? 4u * c->rttvar : 1u);
    if (rto < TIMEOUT(s, TCP_RTO_MIN_MS))
        rto = TIMEOUT(s, TCP_RTO_MIN_MS);
    if (rto > TIMEOUT(s, TCP_RTO_MAX_MS))
        rto = TIMEOUT(s, TCP_RTO_MAX_MS);
    c->rto = (uint16_t)rto;
}

/* Hands back the sources the peer has acknowledged in full. */
static void release_sources(struct mote_stack *s, struct mote_tcp_conn *c)
{
    const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
    while (c->src[0] && c->src[0]->len != MOTE_TCP_LEN_UNTIL_END &&
           seq_leq(c->src_seq + c->src[0]->len, c->snd_una)) {
        struct mote_tcp_source *done = c->src[0];
        c->src_seq += done->len;
        c->src[0] = c->src[1];
        c->src[1] = NULL;
        if (l && l->acked)
            l->acked(s, c, done);
        if (c->state == MOTE_TCP_FREE)
            return;
    }
}

/* ---- answers to bad segments ------------------------------------------- */

/* An ACK in answer to a bad segment, at most TCP_ACK_LIMIT per connection
 * per ~1 s window. `challenge`: an RFC 5961 challenge ACK. */
static void ack_limited(struct mote_stack *s, struct mote_tcp_conn *c,
                        int challenge)
{
    uint16_t tick = (uint16_t)(s->now >> 10); /* no division */

    if (tick != s->tcp.ack_tick) {
        s->tcp.ack_tick = tick;
        for (unsigned i = 0; i < MOTE_MAX_CONNS; i++)
            s->tcp.conns[i].acks_sent = 0;
    }
    if (c->acks_sent >= TCP_ACK_LIMIT) {
        COUNT(s, TCP_ACK_LIMITED);
        return;
    }
    c->acks_sent++;
    if (challenge)
        COUNT(s, TCP_CHALLENGE_ACKS);
    c->flags |= TCPF_ACK_NOW;
    mote_tcp_output(s, c);
}

/* ---- passive open ---------------------------------------------------------- */

/* A slot for a new connection: a free one, unless SYN-RECEIVED is at its
 * budget and `syn`; else the oldest SYN-RECEIVED one, silently (it was never
 * announced, and its cookie still lets a real client in); for a SYN below
 * the budget, only one older than TCP_SYN_GRACE_MS: a younger one is a real
 * client about to complete, whose ACK would find no slot when every other
 * slot is established. NULL when none can be had. */
static struct mote_tcp_conn *take_slot(struct mote_stack *s, int syn)
{
    struct mote_tcp_conn *free = NULL, *old = NULL;
    unsigned embryonic = 0;
    uint16_t now = (uint16_t)s->now;

    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++) {
        struct mote_tcp_conn *c = &s->tcp.conns[i];
        if (c->state == MOTE_TCP_FREE) {
            if (!free)
                free = c;
        } else if (c->state == MOTE_TCP_SYN_RECEIVED) {
            embryonic++;
            if (!old || (uint16_t)(now - c->rtt_time) >
                            (uint16_t)(now - old->rtt_time))
                old = c;
        }
    }
    if (free && (!syn || embryonic < TCP_SYN_BUDGET))
        return free;
    if (old && syn && embryonic < TCP_SYN_BUDGET &&
        (uint16_t)(now - old->rtt_time) < TCP_SYN_GRACE_MS)
        return NULL;
    if (old) {
        COUNT(s, TCP_SYN_EVICTED);
        MEMSET(old, 0, sizeof *old);
        s->tcp.evicted = (uint16_t)((s->now >> 16) + 1);
    }
    return old;
}

/* A connection in SYN-RECEIVED: our ISN `iss`, the peer's next byte
 * `rcv_nxt`. */
static void open_conn(struct mote_stack *s, struct mote_tcp_conn *c,
                      uint32_t rip, const uint8_t *seg, unsigned li,
                      uint32_t iss, uint32_t rcv_nxt, unsigned mss,
                      const struct tcp_opts *o)
{
    c->rip = rip;
    c->rport = get16(seg + TCP_SPORT);
    c->lport = get16(seg + TCP_DPORT);
    c->listener = (uint8_t)li;
    c->state = MOTE_TCP_SYN_RECEIVED;
    c->rtt_time = (uint16_t)s->now; /* its age, for take_slot() */
    c->rcv_nxt = rcv_nxt;
    c->snd_una = c->recover = iss;
    c->snd_nxt = c->snd_max = c->src_seq = iss + 1;
    c->snd_wnd = get16(seg + TCP_WND);
    c->mss = (uint16_t)mss;
    c->cwnd = (uint16_t)(MOTE_TCP_INIT_SEGS * mss);
    c->ssthresh = 0xffff;
    c->rto = (uint16_t)TIMEOUT(s, TCP_RTO_INIT_MS);
    c->flags = TCPF_ACK_NOW;
    if (o->has_ts) {
        c->flags |= TCPF_TS;
        c->ts_recent = o->tsval;
    }
}

static void conn_input(struct mote_stack *s, struct mote_tcp_conn *c,
                       uint8_t *seg, size_t hlen, size_t plen,
                       const struct tcp_opts *o);

/* Every slot is established and a client knocks (a SYN, or the ACK of a
 * cookie): the listener may abort one of its connections for it. The
 * abort's RST (54 bytes) is built in the packet buffer, over the headers
 * of the segment in hand: its TCP header is kept aside; its options are
 * parsed already, and its payload lies past the RST's end. */
static struct mote_tcp_conn *evict(struct mote_stack *s, unsigned li,
                                   uint8_t *seg)
{
    const struct mote_tcp_listener *l = s->tcp.listeners[li];
    struct mote_tcp_conn *c = NULL;
    uint8_t h[TCP_HLEN];
    if (!l->evict)
        return NULL;
    MEMCPY(h, seg, TCP_HLEN);
    if (l->evict(s))
        c = take_slot(s, 0);
    MEMCPY(seg, h, TCP_HLEN);
    return c;
}

static void listen_input(struct mote_stack *s, uint32_t rip, uint8_t *seg,
                         size_t hlen, size_t plen, const struct tcp_opts *o)
{
    uint16_t rport = get16(seg + TCP_SPORT), lport = get16(seg + TCP_DPORT);
    uint32_t seq = get32(seg + TCP_SEQ), ack = get32(seg + TCP_ACK);
    uint32_t ports = (uint32_t)lport << 16 | rport, period = s->now >> 16;
    uint8_t flags = seg[TCP_FLAGS];
    unsigned li = 0;
    struct mote_tcp_conn *c;

    if (time_wait_input(s, rip, lport, rport, seq, ack, flags, plen))
        return;
    while (li < MOTE_TCP_LISTENERS &&
           !(s->tcp.listeners[li] && s->tcp.listeners[li]->port == lport))
        li++;
    uint32_t iss, k = ack - 1, p = period - ((period - (k >> 2)) & 3);
    unsigned mss;
    /* The handshake's ACK for a slot that was given away: it carries a
     * cookie of this period or the one before. Only looked for while slots
     * have been given away lately: otherwise a late duplicate of the ACK
     * of a connection already closed would bring it back. */
    if (li < MOTE_TCP_LISTENERS &&
        (flags & (TH_SYN | TH_ACK | TH_RST)) == TH_ACK && period - p <= 1 &&
        s->tcp.evicted && (uint16_t)(period + 1 - s->tcp.evicted) <= 1 &&
        cookie(s, rip, ports, seq - 1, p, k & 3) == k) {
        c = take_slot(s, 0);
        if (!c)
            c = evict(s, li, seg);
        iss = k;
        mss = cookie_mss[k & 3];
        seq--;
    } else if (li == MOTE_TCP_LISTENERS ||
               (flags & (TH_SYN | TH_ACK)) != TH_SYN) {
        if (flags & TH_RST)
            return; /* never answer a reset */
        COUNT(s, TCP_NO_LISTENER);
        mote_tcp_reset_reply(s, rip, lport, rport, seq, ack, flags, plen);
        return;
    } else {
        c = take_slot(s, 1);
        if (!c)
            c = evict(s, li, seg);
        unsigned m = 3;
        while (cookie_mss[m] > o->mss)
            m--;
        iss = cookie(s, rip, ports, seq, period, m);
        mss = (unsigned)o->mss;
    }
    if (!c) {
        COUNT(s, TCP_NO_SLOT); /* the client's SYN retry may find one */
        return;
    }
    /* Data on a SYN is not taken: it comes again. */
    open_conn(s, c, rip, seg, li, iss, seq + 1, mss, o);
    if (!(flags & TH_SYN)) {
        COUNT(s, TCP_COOKIE_ACCEPTS);
        conn_input(s, c, seg, hlen, plen, o);
        return;
    }
    mote_tcp_output(s, c); /* SYN-ACK */
    if (!(c->flags & TCPF_TIMER))
        mote_tcp_arm(s, c, c->rto);
}

/* ---- established connections ---------------------------------------------- */

/* RFC 9293 3.10.7.4, first check: does the segment overlap the window? */
static int acceptable(const struct mote_stack *s,
                      const struct mote_tcp_conn *c, uint32_t seq,
                      size_t seglen)
{
    uint32_t wnd = mote_tcp_rcv_wnd(s, c);
    if (wnd == 0)
        wnd = 1; /* still take an ACK or a probe at rcv_nxt */
    if (seglen == 0)
        return seq_leq(c->rcv_nxt, seq) && seq_lt(seq, c->rcv_nxt + wnd);
    return (seq_leq(c->rcv_nxt, seq) && seq_lt(seq, c->rcv_nxt + wnd)) ||
           (seq_leq(c->rcv_nxt, seq + (uint32_t)seglen - 1) &&
            seq_lt(seq + (uint32_t)seglen - 1, c->rcv_nxt + wnd));
}

/* The handshake's ACK. Returns 0 when the application refused. */
static int establish(struct mote_stack *s, struct mote_tcp_conn *c,
                     uint16_t wnd)
{
    c->state = MOTE_TCP_ESTABLISHED;
    c->snd_una = c->snd_max;
    c->snd_wnd = wnd;
    if (c->retries)
        c->cwnd = c->mss; /* RFC 5681: the SYN-ACK was lost once */
    c->retries = 0;
    c->flags &= (uint16_t)~TCPF_TIMER;
    COUNT(s, TCP_ACCEPTS);
    const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
    if (l->accepted && l->accepted(s, c) != 0) {
        mote_tcp_abort(s, c);
        return 0;
    }
    return 1;
}

/* A duplicate ACK: three in a row start a fast retransmit and NewReno
 * recovery (RFC 5681 3.2, RFC 6582), unless a recovery already covers this
 * data; more in recovery inflate the window (a segment left the network). */
static void dupack(struct mote_stack *s, struct mote_tcp_conn *c)
{
    uint32_t w;

    if (c->dupacks < 255)
        c->dupacks++;
#if MOTE_RUNTIME_TIMEOUTS
    if (s->tcp.no_fast_rexmit)
        return;
#endif
    if (c->flags & TCPF_RECOVERY) {
        w = (uint32_t)c->cwnd + c->mss;
    } else {
        if (c->dupacks != TCP_DUPACK_THRESH || !seq_lt(c->recover, c->snd_una))
            return;
        w = (c->snd_max - c->snd_una) >> 1; /* half the flight */
        if (w < 2u * c->mss)
            w = 2u * c->mss;
        c->ssthresh = (uint16_t)w;
        w += 3u * c->mss;
        c->recover = c->snd_max;
        c->flags |= TCPF_RECOVERY;
        COUNT(s, TCP_FAST_REXMITS);
        mote_tcp_rexmit(s, c);
    }
    c->cwnd = (uint16_t)(w > 0xffff ? 0xffff : w);
}

/* New data acknowledged (snd_una already moved): the window grows, or a
 * recovery goes on (partial ACK: the next hole is sent) or ends. */
static void cwnd_ack(struct mote_stack *s, struct mote_tcp_conn *c,
                     uint32_t acked)
{
    uint32_t w = c->cwnd;

    if (c->flags & TCPF_RECOVERY) {
        if (seq_lt(c->snd_una, c->recover)) {
            w = (w > acked ? w - acked : 0) + c->mss;
            mote_tcp_rexmit(s, c);
        } else {
            w = c->ssthresh; /* deflate */
            c->flags &= (uint16_t)~TCPF_RECOVERY;
        }
    } else if (w < c->ssthresh) {
        /* Slow start, counting bytes with L = 2 SMSS (RFC 3465): a
         * delayed ACK covers two segments. */
        w += acked < 2u * c->mss ? acked : 2u * c->mss;
    } else {
        /* Congestion avoidance: one MSS per window acknowledged, counted
         * in bytes, without a division. */
        uint32_t n = c->cwnd_acc + acked;
        if (n >= w) {
            n -= w;
            w += c->mss;
        }
        c->cwnd_acc = (uint16_t)(n > 0xffff ? 0xffff : n);
    }
    c->cwnd = (uint16_t)(w > 0xffff ? 0xffff : w);
}

/* The ACK field of a synchronized connection. Returns 0 when the segment
 * goes no further (the connection is gone, or the ACK was unacceptable). */
static int ack_input(struct mote_stack *s, struct mote_tcp_conn *c,
                     uint32_t ack, uint16_t wnd, const struct tcp_opts *o,
                     int pure)
{
    /* RFC 5961 5.2: acceptable only in [snd_una - MAX.SND.WND, snd_max]. */
    if (seq_lt(c->snd_max, ack) || seq_lt(ack, c->snd_una - TCP_WND_MAX)) {
        COUNT(s, TCP_ACK_UNSENT);
        ack_limited(s, c, 1);
        return 0;
    }
    if (!seq_lt(c->snd_una, ack)) {
        /* A duplicate (RFC 5681: nothing but the same ACK and window while
         * data is out; a zero window is flow control, not loss), or a
         * window update. */
        if (ack == c->snd_una && pure && wnd && wnd == c->snd_wnd &&
            c->snd_una != c->snd_max)
            dupack(s, c);
        c->snd_wnd = wnd;
        return 1;
    }
    c->snd_wnd = wnd;
    /* An echoed timestamp measures even retransmitted data; without one,
     * only a segment sent once counts (Karn). */
    if ((c->flags & TCPF_TS) && o->has_ts && o->tsecr)
        rtt_sample(s, c, s->now - o->tsecr);
    else if ((c->flags & TCPF_TIMING) && seq_lt(c->rtt_seq, ack))
        rtt_sample(s, c, (uint16_t)((uint16_t)s->now - c->rtt_time));
    uint32_t acked = ack - c->snd_una;
    c->snd_una = ack;
    c->retries = 0;
    c->dupacks = 0;
    c->flags &= (uint16_t)~TCPF_TIMER;
    if (seq_lt(c->snd_nxt, ack))
        c->snd_nxt = ack;
    cwnd_ack(s, c, acked);
    if (ack != c->snd_max)
        mote_tcp_arm(s, c, c->rto); /* restart for the rest in flight */
    release_sources(s, c);
    if (c->state == MOTE_TCP_FREE)
        return 0;
    /* Our FIN is acknowledged when everything up to snd_max is. */
    if ((c->flags & TCPF_CLOSE) && ack == c->snd_max && c->src[0] == NULL) {
        if (c->state == MOTE_TCP_FIN_WAIT_1) {
            c->state = MOTE_TCP_FIN_WAIT_2;
            mote_tcp_arm(s, c, TIMEOUT(s, TCP_FIN_WAIT2_MS));
        } else if (c->state == MOTE_TCP_CLOSING) {
            enter_time_wait(s, c);
            return 0;
        } else if (c->state == MOTE_TCP_LAST_ACK) {
            mote_tcp_free(s, c, MOTE_TCP_CLOSED);
            return 0;
        }
    }
    return 1;
}

/* In-order data to the application; returns 0 when the connection is gone. */
static int data_input(struct mote_stack *s, struct mote_tcp_conn *c,
                      uint32_t seq, const uint8_t *p, size_t plen)
{
    c->flags |= TCPF_ACK_NOW;
    if (seq_lt(c->rcv_nxt, seq)) {
        COUNT(s, TCP_OUT_OF_ORDER); /* the duplicate ACK asks for the hole */
        return 1;
    }
    size_t skip = c->rcv_nxt - seq; /* already received */
    if (skip >= plen || (c->state != MOTE_TCP_ESTABLISHED &&
                         c->state != MOTE_TCP_FIN_WAIT_1 &&
                         c->state != MOTE_TCP_FIN_WAIT_2))
        return 1;
    p += skip;
    plen -= skip;
    if (plen > mote_tcp_rcv_wnd(s, c))
        plen = mote_tcp_rcv_wnd(s, c); /* payload beyond the window: trimmed */
    size_t took = plen;
    const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
    /* After the application closed, data is acknowledged and dropped, never
     * answered with RST (that could destroy our unread response). */
    if (!(c->flags & TCPF_CLOSE) && l->data) {
        took = l->data(s, c, p, plen);
        if (c->state == MOTE_TCP_FREE)
            return 0;
        if (took > plen)
            took = plen;
    }
    c->rcv_nxt += (uint32_t)took;
    if (took < plen)
        c->flags |= TCPF_RX_STOP;
    return 1;
}

/* The peer's FIN, once every byte before it was taken. */
static int fin_input(struct mote_stack *s, struct mote_tcp_conn *c)
{
    const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
    c->rcv_nxt++;
    c->flags |= TCPF_ACK_NOW;
    switch (c->state) {
    case MOTE_TCP_ESTABLISHED:
        c->state = MOTE_TCP_CLOSE_WAIT;
        if (l->data && !(c->flags & TCPF_CLOSE))
            l->data(s, c, NULL, 0);
        return c->state != MOTE_TCP_FREE;
    case MOTE_TCP_FIN_WAIT_1:
        c->state = MOTE_TCP_CLOSING; /* simultaneous close */
        return 1;
    case MOTE_TCP_FIN_WAIT_2:
        mote_tcp_output(s, c); /* the last ACK, then the slot goes */
        enter_time_wait(s, c);
        return 0;
    default:
        return 1;
    }
}

static void conn_input(struct mote_stack *s, struct mote_tcp_conn *c,
                       uint8_t *seg, size_t hlen, size_t plen,
                       const struct tcp_opts *o)
{
    uint32_t seq = get32(seg + TCP_SEQ), ack = get32(seg + TCP_ACK);
    uint8_t flags = seg[TCP_FLAGS];
    size_t seglen = plen + !!(flags & TH_FIN);

    if (flags & TH_SYN) {
        if (c->state == MOTE_TCP_SYN_RECEIVED && !(flags & TH_ACK) &&
            seq + 1 == c->rcv_nxt) {
            c->flags |= TCPF_ACK_NOW; /* our SYN-ACK was lost: again */
            mote_tcp_output(s, c);
            return;
        }
        /* RFC 5961 4.2: whatever its sequence number, a SYN on a
         * synchronized connection gets a challenge ACK, never a reset. A
         * peer that really restarted answers it with an exact RST. */
        ack_limited(s, c, 1);
        return;
    }
    if (!acceptable(s, c, seq, seglen)) {
        COUNT(s, TCP_OUT_OF_WINDOW);
        if (flags & TH_RST)
            return;
        /* Data already received (our ACK was lost) is acknowledged every
         * time, as the peer needs it; a bare ACK only within the limit:
         * two stacks must not ACK each other's ACKs forever. */
        if (seglen) {
            c->flags |= TCPF_ACK_NOW;
            mote_tcp_output(s, c);
        } else {
            ack_limited(s, c, 0);
        }
        return;
    }
    if (flags & TH_RST) {
        /* RFC 5961 3.2: only the exact next sequence number resets; one
         * elsewhere in the window may be blind guessing: challenge it. */
        if (seq != c->rcv_nxt) {
            ack_limited(s, c, 1);
            return;
        }
        COUNT(s, TCP_RESETS);
        mote_tcp_free(s, c, MOTE_TCP_RESET);
        return;
    }
    /* Here ACK is set: mote_tcp_input() dropped segments without SYN, ACK
     * or RST, and SYN and RST went above. */
    /* RFC 7323 3.4: echo the timestamp of the segment that is next in
     * sequence (not of one that jumped ahead). */
    if (o->has_ts && (c->flags & TCPF_TS) && seq_leq(seq, c->rcv_nxt))
        c->ts_recent = o->tsval;
    uint16_t wnd = get16(seg + TCP_WND);
    if (c->state == MOTE_TCP_SYN_RECEIVED) {
        if (ack != c->snd_max) { /* not our SYN's */
            mote_tcp_reset_reply(s, c->rip, c->lport, c->rport, seq, ack,
                                 flags, plen);
            return;
        }
        if (!establish(s, c, wnd))
            return;
    } else if (!ack_input(s, c, ack, wnd, o, seglen == 0)) {
        return;
    }
    if (plen && !data_input(s, c, seq, seg + hlen, plen))
        return;
    if ((flags & TH_FIN) && seq + (uint32_t)plen == c->rcv_nxt &&
        !fin_input(s, c))
        return;
    if ((flags & TH_FIN) && seq_lt(seq + (uint32_t)plen, c->rcv_nxt))
        c->flags |= TCPF_ACK_NOW; /* a repeated FIN */
    mote_tcp_output(s, c);
}

/* ---- input --------------------------------------------------------------- */

void mote_tcp_input(struct mote_stack *s, uint8_t *seg, size_t len,
                    uint32_t src, int bcast)
{
    enum mote_counter_id why;

    if (bcast)
        DROP(TCP_BROADCAST);
    if (len < TCP_HLEN)
        DROP(TCP_SHORT);
    size_t hlen = (size_t)(seg[TCP_OFF] >> 4) * 4;
    if (hlen < TCP_HLEN || hlen > len)
        DROP(TCP_HLEN);
    uint32_t sum = (src >> 16) + (src & 0xffff) + (s->ip >> 16) +
                   (s->ip & 0xffff) + IPPROTO_TCP + (uint32_t)len;
    if (mote_cksum_fold(mote_cksum_add(sum, seg, len)) != 0)
        DROP(TCP_CHECKSUM);
    /* SYN+FIN, SYN+RST (and so every flag set), and segments with none of
     * SYN, ACK, RST (no flags, FIN alone): never valid in any state. */
    uint8_t flags = seg[TCP_FLAGS];
    if ((flags & (TH_SYN | TH_FIN)) == (TH_SYN | TH_FIN) ||
        (flags & (TH_SYN | TH_RST)) == (TH_SYN | TH_RST) ||
        !(flags & (TH_SYN | TH_ACK | TH_RST)))
        DROP(TCP_BAD_FLAGS);
    struct tcp_opts o;
    if (mote_tcp_parse_opts(seg + TCP_HLEN, hlen - TCP_HLEN, &o) != 0)
        DROP(TCP_HLEN);
    /* The urgent pointer is ignored: urgent data is delivered as ordinary
     * data, never used as an offset. */
    struct mote_tcp_conn *c =
        find_conn(s, src, get16(seg + TCP_DPORT), get16(seg + TCP_SPORT));
    if (c)
        conn_input(s, c, seg, hlen, len - hlen, &o);
    else
        listen_input(s, src, seg, hlen, len - hlen, &o);
    return;
drop:
    s->counters[why]++;
}
