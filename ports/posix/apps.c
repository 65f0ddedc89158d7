/*
 * apps.c - test applications of the host port on the TCP API:
 *   - discard (port 9): takes every byte, checks it against the pattern
 *     byte i = (i*31 + (i>>8)*7 + 3) mod 256 of its connection, and closes
 *     when the peer does;
 *   - generator (port 19): sends N bytes of that pattern from a generator
 *     source (nothing buffered: a lost segment is regenerated), then closes
 *     first, as a server ending a response does.
 * They give the system tests byte-exact transfers in both directions.
 */
#include "apps.h"

static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 31u + (i >> 8) * 7u + 3u);
}

struct slot {
    uint32_t rx_off; /* discard: bytes seen on this connection */
    struct mote_tcp_source src;
};

static struct {
    struct slot slots[MOTE_MAX_CONNS];
    uint32_t gen_bytes;
    unsigned long discard_bytes, discard_bad, discard_conns;
    unsigned long gen_conns, gen_done, closed_other;
} apps;

static struct slot *slot_of(struct mote_stack *s, struct mote_tcp_conn *c)
{
    return &apps.slots[c - s->tcp.conns];
}

static size_t gen_fill(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    (void)ctx;
    size_t n = 0;
    while (n < cap && off + n < apps.gen_bytes) {
        buf[n] = pattern(off + (uint32_t)n);
        n++;
    }
    return n;
}

static int discard_accepted(struct mote_stack *s, struct mote_tcp_conn *c)
{
    slot_of(s, c)->rx_off = 0;
    apps.discard_conns++;
    return 0;
}

static size_t discard_data(struct mote_stack *s, struct mote_tcp_conn *c,
                           const uint8_t *p, size_t len)
{
    struct slot *sl = slot_of(s, c);
    if (!p) {
        mote_tcp_close(s, c);
        return 0;
    }
    for (size_t i = 0; i < len; i++)
        apps.discard_bad += p[i] != pattern(sl->rx_off + (uint32_t)i);
    sl->rx_off += (uint32_t)len;
    apps.discard_bytes += len;
    return len;
}

static void any_closed(struct mote_stack *s, struct mote_tcp_conn *c,
                       enum mote_tcp_why why)
{
    (void)s;
    if (c->lport == 19 && why == MOTE_TCP_CLOSED)
        apps.gen_done++;
    else if (why != MOTE_TCP_CLOSED)
        apps.closed_other++;
}

static int gen_accepted(struct mote_stack *s, struct mote_tcp_conn *c)
{
    struct slot *sl = slot_of(s, c);
    sl->src.data = NULL;
    sl->src.fill = gen_fill;
    sl->src.ctx = sl;
    sl->src.len = MOTE_TCP_LEN_UNTIL_END; /* the generator says where */
    apps.gen_conns++;
    if (mote_tcp_send(s, c, &sl->src) != 0)
        return 1;
    mote_tcp_close(s, c);
    return 0;
}

static size_t gen_data(struct mote_stack *s, struct mote_tcp_conn *c,
                       const uint8_t *p, size_t len)
{
    (void)s;
    (void)c;
    (void)p;
    return len; /* whatever the client says is ignored */
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

void apps_start(struct mote_stack *s, uint32_t gen_bytes)
{
    apps.gen_bytes = gen_bytes;
    mote_tcp_listen(s, &discard);
    mote_tcp_listen(s, &generator);
}

void apps_report(const struct mote_stack *s, FILE *out)
{
    fprintf(out,
            "app discard connections %lu bytes %lu mismatches %lu\n"
            "app generator connections %lu completed %lu\n"
            "app abnormal closes %lu\n"
            "tcp active %u\n",
            apps.discard_conns, apps.discard_bytes, apps.discard_bad,
            apps.gen_conns, apps.gen_done, apps.closed_other,
            mote_tcp_active(s));
}
