/*
 * testapps.c - discard (9) and generator (19) on the TCP API; see
 * testapps.h. Per-connection state lives in a small pool found through the
 * connection's ctx pointer, so nothing here reads the stack's internals.
 */
#include "testapps.h"

/* Byte `i` of every test stream. */
static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 31u + (i >> 8) * 7u + 3u);
}

struct app_slot {
    uint8_t used;
    uint32_t off;                /* discard: bytes seen so far */
    struct mote_tcp_source src;  /* generator: lives until closed */
};

static struct app_slot slots[MOTE_MAX_CONNS];
static struct testapps_stats st;
static uint32_t gen_bytes;

static struct app_slot *slot_take(struct mote_tcp_conn *c)
{
    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++) {
        if (!slots[i].used) {
            slots[i].used = 1;
            slots[i].off = 0;
            c->ctx = &slots[i];
            return &slots[i];
        }
    }
    return NULL;
}

static void any_closed(struct mote_stack *s, struct mote_tcp_conn *c,
                       enum mote_tcp_why why)
{
    struct app_slot *sl = c->ctx;

    (void)s;
    if (sl != NULL)
        sl->used = 0;
    c->ctx = NULL;
    if (c->lport == 19 && why == MOTE_TCP_CLOSED)
        st.gen_done++;
    else if (why != MOTE_TCP_CLOSED)
        st.closed_other++;
}

static int discard_accepted(struct mote_stack *s, struct mote_tcp_conn *c)
{
    (void)s;
    if (slot_take(c) == NULL)
        return -1;
    st.discard_conns++;
    return 0;
}

static size_t discard_data(struct mote_stack *s, struct mote_tcp_conn *c,
                           const uint8_t *p, size_t len)
{
    struct app_slot *sl = c->ctx;

    if (p == NULL) { /* the peer is done: so are we */
        mote_tcp_close(s, c);
        return 0;
    }
    /* Runs of 256 with a constant high term, as in gen_fill. */
    for (size_t n = 0; n < len;) {
        uint32_t i = sl->off + (uint32_t)n;
        size_t run = 256 - (i & 255);
        if (run > len - n)
            run = len - n;
        uint8_t v = pattern(i);
        uint32_t bad = 0;
        for (size_t k = 0; k < run; k++, v = (uint8_t)(v + 31u))
            bad += p[n + k] != v;
        st.discard_bad += bad;
        n += run;
    }
    sl->off += (uint32_t)len;
    st.discard_bytes += (uint32_t)len;
    return len;
}

/* Pure function of the offset: a retransmission regenerates the bytes. */
static size_t gen_fill(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    (void)ctx;
    if (off >= gen_bytes)
        return 0;
    if (cap > gen_bytes - off)
        cap = gen_bytes - off;
    /* pattern() one byte at a time costs more than the whole stack per
     * segment: within a run of 256 the high term is constant and the low
     * one steps by 31 (the same bytes the test tool checks). */
    for (size_t n = 0; n < cap;) {
        uint32_t i = off + (uint32_t)n;
        size_t run = 256 - (i & 255);
        if (run > cap - n)
            run = cap - n;
        uint8_t v = pattern(i);
        for (size_t k = 0; k < run; k++, v = (uint8_t)(v + 31u))
            buf[n + k] = v;
        n += run;
    }
    return cap;
}

static int gen_accepted(struct mote_stack *s, struct mote_tcp_conn *c)
{
    struct app_slot *sl = slot_take(c);

    if (sl == NULL)
        return -1;
    sl->src.data = NULL;
    sl->src.fill = gen_fill;
    sl->src.ctx = NULL;
    sl->src.len = gen_bytes;
    st.gen_conns++;
    if (mote_tcp_send(s, c, &sl->src) != 0)
        return -1;
    mote_tcp_close(s, c); /* FIN once the stream is out, as a server does */
    return 0;
}

/* The request side of the generator is ignored. */
static size_t gen_data(struct mote_stack *s, struct mote_tcp_conn *c,
                       const uint8_t *p, size_t len)
{
    (void)s;
    (void)c;
    (void)p;
    return len;
}

static const struct mote_tcp_listener discard = {
    .port = 9,
    .accepted = discard_accepted,
    .data = discard_data,
    .closed = any_closed,
};

static const struct mote_tcp_listener generator = {
    .port = 19,
    .accepted = gen_accepted,
    .data = gen_data,
    .closed = any_closed,
};

int testapps_start(struct mote_stack *s, uint32_t bytes)
{
    gen_bytes = bytes;
    if (mote_tcp_listen(s, &discard) != 0 ||
        mote_tcp_listen(s, &generator) != 0)
        return -1;
    return 0;
}

const struct testapps_stats *testapps_stats(void)
{
    return &st;
}
