/*
 * tcp_out.c - TCP output: segments built from sources, retransmission by
 * regeneration, congestion control's sending side, timers, and the
 * application's calls.
 *
 * A connection keeps sequence numbers and source pointers, never data. Up to
 * min(peer window, congestion window) bytes are in flight (RFC 5681: the
 * initial window is MOTE_TCP_INIT_SEGS segments, at most RFC 6928's ten); a
 * lost segment is rebuilt from its source: at once after three duplicate
 * ACKs (fast retransmit), else go-back-N from snd_una after a retransmission
 * timeout, in slow start from one segment. A zero window is probed with one
 * byte on the same timer, backing off, and given up like a retransmission.
 */
#include "tcp_priv.h"

/* ---- segments ---------------------------------------------------------- */

uint16_t mote_tcp_rcv_wnd(const struct mote_stack *s,
                          const struct mote_tcp_conn *c)
{
    const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
    unsigned w = MOTE_TCP_RCV_WND;
    if (c->flags & TCPF_RX_STOP)
        return 0;
    if (l && l->window && l->window(s, c) < w)
        w = l->window(s, c);
    return (uint16_t)w;
}

int mote_tcp_xmit(struct mote_stack *s, const struct tcp_seg *g,
                  const uint8_t *tail, size_t plen)
{
    uint8_t *t = s->buf + TCP_OFF_BUF;
    uint8_t *o = t + TCP_HLEN;
    /* A generated payload already sits behind the header and its options:
     * the callers place it with conn_hlen(). */
    if (g->opts & TCP_OPT_MSS) {
        o[0] = 2;
        o[1] = 4;
        put16(o + 2, TCP_MSS_MAX);
        o += 4;
    }
    if (g->opts & TCP_OPT_TS) {
        o[0] = 1;
        o[1] = 1;
        o[2] = 8;
        o[3] = 10;
        put32(o + 4, g->tsval);
        put32(o + 8, g->tsecr);
        o += TCP_TS_LEN;
    }
    size_t hlen = (size_t)(o - t), tcplen = hlen + plen;
    put16(t + TCP_SPORT, g->lport);
    put16(t + TCP_DPORT, g->rport);
    put32(t + TCP_SEQ, g->seq);
    put32(t + TCP_ACK, g->ack);
    t[TCP_OFF] = (uint8_t)(hlen << 2);
    t[TCP_FLAGS] = g->flags;
    put16(t + TCP_WND, g->wnd);
    put32(t + TCP_CSUM, 0); /* checksum and urgent pointer */
    /* Pseudo-header, header, payload (from the buffer or the tail span). */
    uint32_t sum = (s->ip >> 16) + (s->ip & 0xffff) + (g->rip >> 16) +
                   (g->rip & 0xffff) + IPPROTO_TCP + (uint32_t)tcplen;
    sum = mote_cksum_add(sum, t, tail ? hlen : tcplen);
    if (tail)
        sum = mote_cksum_add(sum, tail, plen);
    put16(t + TCP_CSUM, mote_cksum_fold(sum));
    return mote_ipv4_output(s, g->rip, IPPROTO_TCP, tail ? hlen : tcplen,
                            tail, tail ? plen : 0);
}

/* Header length of the connection's data segments. */
static size_t conn_hlen(const struct mote_tcp_conn *c)
{
    return TCP_HLEN + ((c->flags & TCPF_TS) ? TCP_TS_LEN : 0);
}

static void conn_seg(const struct mote_stack *s,
                     const struct mote_tcp_conn *c, struct tcp_seg *g,
                     uint32_t seq, uint8_t flags)
{
    g->rip = c->rip;
    g->lport = c->lport;
    g->rport = c->rport;
    g->seq = seq;
    g->ack = c->rcv_nxt;
    g->wnd = mote_tcp_rcv_wnd(s, c);
    g->flags = flags;
    g->opts = (c->flags & TCPF_TS) ? TCP_OPT_TS : 0;
    g->tsval = s->now;
    g->tsecr = c->ts_recent;
}

static int send_ctl(struct mote_stack *s, struct mote_tcp_conn *c,
                    uint32_t seq, uint8_t flags)
{
    struct tcp_seg g;
    conn_seg(s, c, &g, seq, flags);
    if (flags & TH_SYN)
        g.opts |= TCP_OPT_MSS;
    if (flags & TH_RST)
        g.opts = 0;
    return mote_tcp_xmit(s, &g, NULL, 0);
}

void mote_tcp_reset_reply(struct mote_stack *s, uint32_t rip, uint16_t lport,
                          uint16_t rport, uint32_t seq, uint32_t ack,
                          uint8_t flags, size_t seg_len)
{
    struct tcp_seg g = {.rip = rip, .lport = lport, .rport = rport};
    uint16_t tick = (uint16_t)(s->now >> 10); /* ~1 s windows, no division */

    if (tick != s->tcp.rst_tick) {
        s->tcp.rst_tick = tick;
        s->tcp.rst_count = 0;
    }
    if (s->tcp.rst_count >= MOTE_TCP_RST_PER_S) {
        COUNT(s, TCP_RST_LIMITED);
        return;
    }
    s->tcp.rst_count++;
    /* RFC 9293 3.10.7.1: take the peer's ACK as our sequence number, or
     * acknowledge everything the segment occupied. */
    if (flags & TH_ACK) {
        g.seq = ack;
        g.flags = TH_RST;
    } else {
        g.ack = seq + (uint32_t)seg_len + !!(flags & TH_SYN) +
                !!(flags & TH_FIN);
        g.flags = TH_RST | TH_ACK;
    }
    mote_tcp_xmit(s, &g, NULL, 0);
}

/* ---- sources ----------------------------------------------------------- */

/* Sequence number after the last byte of the queued sources; *known is 0
 * while a generator has not reported its end. */
static uint32_t data_end(const struct mote_tcp_conn *c, int *known)
{
    uint32_t end = c->src_seq;
    *known = 1;
    for (unsigned i = 0; i < 2 && c->src[i]; i++) {
        if (c->src[i]->len == MOTE_TCP_LEN_UNTIL_END) {
            *known = 0;
            return end + 0x40000000u; /* far beyond any window */
        }
        end += c->src[i]->len;
    }
    return end;
}

/* Produces up to `len` bytes at sequence `seq`: a pointer into a constant
 * source, or bytes generated into the buffer behind the header. Returns the
 * count (0 when a generator just found its end) and sets *tail. */
static size_t produce(struct mote_stack *s, struct mote_tcp_conn *c,
                      uint32_t seq, size_t len, const uint8_t **tail)
{
    uint32_t off = seq - c->src_seq;
    struct mote_tcp_source *src = c->src[0];

    if (off >= src->len) { /* src[0]'s length is known past its end */
        off -= src->len;
        src = c->src[1];
    }
    if (src->len - off < len) /* stay inside one source */
        len = src->len - off;
    if (src->data) {
        *tail = src->data + off;
        return len;
    }
    *tail = NULL;
    size_t got = src->fill(src->ctx, off, s->buf + TCP_OFF_BUF + conn_hlen(c),
                           len);
    if (got > len)
        got = len; /* a generator that claims too much is cut back */
    else if (got < len)
        src->len = off + (uint32_t)got; /* its end, found */
    return got;
}

/* ---- output ------------------------------------------------------------ */

void mote_tcp_arm(struct mote_stack *s, struct mote_tcp_conn *c, uint32_t ms)
{
    c->timer = s->now + ms;
    c->flags |= TCPF_TIMER;
}

static void output_fin(struct mote_stack *s, struct mote_tcp_conn *c)
{
    if (send_ctl(s, c, c->snd_nxt, TH_FIN | TH_ACK) != 0)
        return;
    c->flags &= (uint16_t)~TCPF_ACK_NOW;
    if (c->state == MOTE_TCP_ESTABLISHED)
        c->state = MOTE_TCP_FIN_WAIT_1;
    else if (c->state == MOTE_TCP_CLOSE_WAIT)
        c->state = MOTE_TCP_LAST_ACK;
    c->snd_nxt++;
    if (seq_lt(c->snd_max, c->snd_nxt))
        c->snd_max = c->snd_nxt;
}

/* Sends up to `len` bytes at `seq`. Returns the bytes sent, 0 when a
 * generator just found its end, -1 when the next hop is unresolved. */
static int send_data(struct mote_stack *s, struct mote_tcp_conn *c,
                     uint32_t seq, size_t len)
{
    struct tcp_seg g;
    const uint8_t *tail;
    int known;

    len = produce(s, c, seq, len, &tail);
    if (len == 0)
        return 0;
    conn_seg(s, c, &g, seq, TH_ACK);
    if (seq + len == data_end(c, &known))
        g.flags |= TH_PSH;
    if (mote_tcp_xmit(s, &g, tail, len) != 0)
        return -1;
    c->flags &= (uint16_t)~(TCPF_ACK_NOW | TCPF_PROBE);
    return (int)len;
}

/* Payload of a full segment: options come out of the MSS (RFC 6691). */
static size_t seg_room(const struct mote_tcp_conn *c)
{
    return c->mss - (conn_hlen(c) - TCP_HLEN);
}

void mote_tcp_rexmit(struct mote_stack *s, struct mote_tcp_conn *c)
{
    int known;
    uint32_t end = data_end(c, &known);
    size_t len = seg_room(c);

    if (!seq_lt(c->snd_una, end))
        return; /* only the FIN is out: the timer repeats it */
    if (len > end - c->snd_una)
        len = end - c->snd_una;
    c->flags &= (uint16_t)~TCPF_TIMING; /* Karn */
    send_data(s, c, c->snd_una, len);
}

void mote_tcp_output(struct mote_stack *s, struct mote_tcp_conn *c)
{
    int known;

    c->flags &= (uint16_t)~TCPF_OUTPUT;
    if (c->state == MOTE_TCP_SYN_RECEIVED) {
        /* A repeated SYN, or the timer. An unresolved next hop is tried
         * again soon: the neighbour's ARP answer is on its way. */
        if ((c->flags & TCPF_ACK_NOW) &&
            send_ctl(s, c, c->snd_una, TH_SYN | TH_ACK) != 0)
            mote_tcp_arm(s, c, TCP_UNRESOLVED_MS);
        c->flags &= (uint16_t)~TCPF_ACK_NOW;
        return;
    }
    for (;;) {
        uint32_t end = data_end(c, &known);
        if (!seq_lt(c->snd_nxt, end)) {
            if (known && (c->flags & TCPF_CLOSE) && c->snd_nxt == end)
                output_fin(s, c);
            break;
        }
        uint32_t wnd = c->snd_wnd;
        if (wnd > c->cwnd)
            wnd = c->cwnd;
        if (wnd == 0 && (c->flags & TCPF_PROBE))
            wnd = 1;
        uint32_t flight = c->snd_nxt - c->snd_una;
        if (flight >= wnd)
            break;
        size_t len = wnd - flight;
        if (len > seg_room(c))
            len = seg_room(c);
        if (len > end - c->snd_nxt)
            len = end - c->snd_nxt;
        int sent = send_data(s, c, c->snd_nxt, len);
        if (sent < 0)
            break; /* next hop unresolved: the timer retries */
        if (sent == 0)
            continue; /* a generator ended: the end is known now */
        if (c->snd_nxt == c->snd_max && !(c->flags & TCPF_TIMING)) {
            c->flags |= TCPF_TIMING; /* time new data only (Karn) */
            c->rtt_seq = c->snd_nxt;
            c->rtt_time = (uint16_t)s->now;
        }
        c->snd_nxt += (uint32_t)sent;
        if (seq_lt(c->snd_max, c->snd_nxt))
            c->snd_max = c->snd_nxt;
    }
    if (c->flags & TCPF_ACK_NOW) {
        if (send_ctl(s, c, c->snd_nxt, TH_ACK) == 0)
            c->flags &= (uint16_t)~TCPF_ACK_NOW;
    }
    /* Something in flight, or waiting to go (zero window, unresolved next
     * hop, a FIN not yet out): the timer must be running. */
    uint32_t end = data_end(c, &known);
    if (!(c->flags & TCPF_TIMER) &&
        (c->snd_una != c->snd_max || seq_lt(c->snd_nxt, end) ||
         ((c->flags & TCPF_CLOSE) && c->snd_nxt == end)))
        mote_tcp_arm(s, c, c->rto);
}

/* ---- connection end ---------------------------------------------------- */

void mote_tcp_free(struct mote_stack *s, struct mote_tcp_conn *c,
                   enum mote_tcp_why why)
{
    const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
    /* A connection that never reached ESTABLISHED was never announced. */
    if (c->state != MOTE_TCP_SYN_RECEIVED && l && l->closed)
        l->closed(s, c, why);
    MEMSET(c, 0, sizeof *c);
}

/* ---- timers ------------------------------------------------------------ */

static uint16_t clamp_rto(struct mote_stack *s, uint32_t rto)
{
    if (rto < TIMEOUT(s, TCP_RTO_MIN_MS))
        rto = TIMEOUT(s, TCP_RTO_MIN_MS);
    if (rto > TIMEOUT(s, TCP_RTO_MAX_MS))
        rto = TIMEOUT(s, TCP_RTO_MAX_MS);
    return (uint16_t)rto;
}

static void timeout(struct mote_stack *s, struct mote_tcp_conn *c)
{
    c->flags &= (uint16_t)~TCPF_TIMER;
    if (c->state == MOTE_TCP_FIN_WAIT_2) {
        mote_tcp_free(s, c, MOTE_TCP_TIMEOUT); /* the peer never closed */
        return;
    }
    unsigned limit = c->state == MOTE_TCP_SYN_RECEIVED ? MOTE_TCP_SYN_RETRIES
                                                        : MOTE_TCP_MAX_RETRIES;
    if (++c->retries > limit) {
        COUNT(s, TCP_GIVE_UPS);
        if (c->state != MOTE_TCP_SYN_RECEIVED)
            send_ctl(s, c, c->snd_nxt, TH_RST | TH_ACK);
        mote_tcp_free(s, c, MOTE_TCP_TIMEOUT);
        return;
    }
    c->rto = clamp_rto(s, (uint32_t)c->rto * 2); /* back off */
    if (c->state == MOTE_TCP_SYN_RECEIVED) {
        c->flags |= TCPF_ACK_NOW;
    } else if (c->snd_wnd == 0) {
        /* Persist: the peer's window is closed. One byte probes it, from
         * the oldest unacknowledged; the back-off and the retry limit above
         * bound a peer that never opens it. Not a loss: cwnd stays. */
        COUNT(s, TCP_PROBES);
        c->snd_nxt = c->snd_una;
        c->flags |= TCPF_PROBE;
    } else if (c->snd_una != c->snd_max) {
        /* RFC 5681 (4): half the flight on the first timeout, then one
         * segment and slow start; what was sent is sent again. */
        COUNT(s, TCP_RETRANSMITS);
        if (c->retries == 1) {
            uint32_t half = (c->snd_max - c->snd_una) >> 1;
            c->ssthresh = (uint16_t)(half > 2u * c->mss ? half : 2u * c->mss);
        }
        c->cwnd = c->mss;
        c->dupacks = 0;
        c->recover = c->snd_max;
        c->snd_nxt = c->snd_una; /* rebuild from the oldest unacked byte */
        c->flags &= (uint16_t)~(TCPF_TIMING | TCPF_RECOVERY); /* Karn */
    }
    mote_tcp_output(s, c);
    if (!(c->flags & TCPF_TIMER))
        mote_tcp_arm(s, c, c->rto);
}

uint32_t mote_tcp_poll(struct mote_stack *s, uint32_t cap)
{
    uint32_t next = cap;

    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++) {
        struct mote_tcp_conn *c = &s->tcp.conns[i];
        if (c->state == MOTE_TCP_FREE)
            continue;
        if ((c->flags & TCPF_TIMER) && (int32_t)(s->now - c->timer) >= 0)
            timeout(s, c);
        const struct mote_tcp_listener *l = s->tcp.listeners[c->listener];
        if (l && l->poll && (c->state == MOTE_TCP_ESTABLISHED ||
                             c->state == MOTE_TCP_CLOSE_WAIT)) {
            uint32_t due = l->poll(s, c);
            if (due < next)
                next = due;
        }
        if (c->flags & (TCPF_OUTPUT | TCPF_ACK_NOW))
            mote_tcp_output(s, c);
        if (c->state != MOTE_TCP_FREE && (c->flags & TCPF_TIMER)) {
            int32_t left = (int32_t)(c->timer - s->now);
            if (left < 0)
                left = 0;
            if ((uint32_t)left < next)
                next = (uint32_t)left;
        }
    }
    return next;
}

/* ---- the application's calls --------------------------------------------- */

int mote_tcp_listen(struct mote_stack *s, const struct mote_tcp_listener *l)
{
    for (unsigned i = 0; i < MOTE_TCP_LISTENERS; i++) {
        if (!s->tcp.listeners[i]) {
            s->tcp.listeners[i] = l;
            return 0;
        }
    }
    return -1;
}

int mote_tcp_send(struct mote_stack *s, struct mote_tcp_conn *c,
                  struct mote_tcp_source *src)
{
    (void)s;
    if ((c->state != MOTE_TCP_ESTABLISHED && c->state != MOTE_TCP_CLOSE_WAIT) ||
        (c->flags & TCPF_CLOSE) || c->src[1] ||
        (src->data && src->len == MOTE_TCP_LEN_UNTIL_END) ||
        (!src->data && !src->fill))
        return -1;
    c->src[c->src[0] ? 1 : 0] = src;
    c->flags |= TCPF_OUTPUT;
    return 0;
}

void mote_tcp_close(struct mote_stack *s, struct mote_tcp_conn *c)
{
    if (c->state == MOTE_TCP_SYN_RECEIVED) {
        mote_tcp_abort(s, c);
        return;
    }
    c->flags |= TCPF_CLOSE | TCPF_OUTPUT;
}

void mote_tcp_abort(struct mote_stack *s, struct mote_tcp_conn *c)
{
    if (c->state == MOTE_TCP_FREE)
        return;
    send_ctl(s, c, c->snd_nxt, TH_RST | TH_ACK);
    mote_tcp_free(s, c, MOTE_TCP_ABORTED);
}

void mote_tcp_resume(struct mote_stack *s, struct mote_tcp_conn *c)
{
    (void)s;
    /* A window update tells the peer, which may be waiting on a closed
     * window: it sends again at once, no timeout involved. */
    c->flags = (uint16_t)((c->flags & ~TCPF_RX_STOP) | TCPF_ACK_NOW);
}

void mote_tcp_seed(struct mote_stack *s, const uint8_t key[8])
{
    s->tcp.key[0] = get32(key);
    s->tcp.key[1] = get32(key + 4);
}

#if MOTE_RUNTIME_TIMEOUTS
void mote_tcp_fast_retransmit(struct mote_stack *s, int on)
{
    s->tcp.no_fast_rexmit = !on;
}
#endif

unsigned mote_tcp_active(const struct mote_stack *s)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++)
        n += s->tcp.conns[i].state != MOTE_TCP_FREE;
    return n;
}
