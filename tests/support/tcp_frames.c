#include "tcp_frames.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

struct app app;

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t)(v >> 16));
    wr16(p + 2, (uint16_t)v);
}

uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 31u + (i >> 8) * 7u + 3u);
}

/* TCP checksum with the IPv4 pseudo-header: 0 when it verifies. */
static uint16_t tcp_csum(uint32_t src, uint32_t dst, const uint8_t *t,
                         size_t len)
{
    uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) +
                   (dst & 0xffff) + 6 + (uint32_t)len;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(t[i] << 8 | t[i + 1]);
    if (len & 1)
        sum += (uint32_t)t[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t fb_tcp(uint8_t *f, uint16_t sport, uint16_t dport, uint32_t seq,
              uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opt,
              size_t optlen, const void *payload, size_t plen)
{
    return fb_tcp_from(f, PEER_IP, sport, dport, seq, ack, flags, wnd, opt,
                       optlen, payload, plen);
}

void fb_tcp_recsum(uint8_t *f, size_t len)
{
    uint8_t *t = f + 34;
    t[16] = t[17] = 0;
    wr16(t + 16, tcp_csum(PEER_IP, T_IP, t, len - 34));
}

size_t fb_tcp_from(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
                   uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                   const uint8_t *opt, size_t optlen, const void *payload,
                   size_t plen)
{
    static uint8_t t[MOCK_FRAME_MAX];
    size_t hlen = 20 + optlen;
    assert_true(hlen + plen + 34 <= MOCK_FRAME_MAX);
    memset(t, 0, hlen);
    wr16(t, sport);
    wr16(t + 2, dport);
    wr32(t + 4, seq);
    wr32(t + 8, ack);
    t[12] = (uint8_t)(hlen << 2);
    t[13] = flags;
    wr16(t + 14, wnd);
    if (optlen)
        memcpy(t + 20, opt, optlen);
    if (plen)
        memcpy(t + hlen, payload, plen);
    wr16(t + 16, tcp_csum(src, T_IP, t, hlen + plen));
    return fb_ipv4(f, src, T_IP, 6, t, hlen + plen);
}

struct seg sent_seg(const struct fixture *fx, unsigned i)
{
    const struct mock_frame *o = mock_sent(&fx->m, i);
    const uint8_t *ip = o->data + 14;
    struct seg g;
    memset(&g, 0, sizeof g);
    assert_int_equal(rd16(o->data + 12), 0x0800);
    assert_int_equal(ip[9], 6);
    assert_int_equal(csum(ip, 20), 0);
    size_t tlen = rd16(ip + 2) - 20u;
    assert_int_equal(o->len, 34 + tlen);
    const uint8_t *t = ip + 20;
    assert_int_equal(rd32(ip + 16), PEER_IP);
    assert_int_equal(tcp_csum(T_IP, PEER_IP, t, tlen), 0);
    size_t hlen = (size_t)(t[12] >> 4) * 4;
    g.sport = rd16(t);
    g.dport = rd16(t + 2);
    g.seq = rd32(t + 4);
    g.ack = rd32(t + 8);
    g.flags = t[13];
    g.wnd = rd16(t + 14);
    if (hlen >= 24 && t[20] == 2 && t[21] == 4)
        g.mss = rd16(t + 22);
    g.plen = tlen - hlen;
    g.payload = t + hlen;
    g.tail = o->tail;
    return g;
}

static int app_accepted(struct mote_stack *s, struct mote_tcp_conn *c)
{
    (void)s;
    app.accepted++;
    app.conn = c;
    return app.refuse;
}

static size_t app_data(struct mote_stack *s, struct mote_tcp_conn *c,
                       const uint8_t *p, size_t len)
{
    if (!p) {
        app.fin++;
        if (app.close_on_fin)
            mote_tcp_close(s, c);
        return 0;
    }
    size_t take = len;
    if (app.take_limit && take > app.take_limit)
        take = app.take_limit;
    assert_true(app.rx_len + take <= sizeof app.rx);
    memcpy(app.rx + app.rx_len, p, take);
    app.rx_len += take;
    if (app.reply_len) {
        app.reply.len = (uint32_t)app.reply_len;
        assert_int_equal(mote_tcp_send(s, c, &app.reply), 0);
        app.reply_len = 0;
        if (app.close_after_reply)
            mote_tcp_close(s, c);
    }
    return take;
}

static void app_acked(struct mote_stack *s, struct mote_tcp_conn *c,
                      struct mote_tcp_source *src)
{
    (void)s;
    (void)c;
    app.acked++;
    app.last_acked = src;
}

static void app_closed(struct mote_stack *s, struct mote_tcp_conn *c,
                       enum mote_tcp_why why)
{
    (void)s;
    (void)c;
    app.closed++;
    app.why = why;
}

static unsigned app_window(const struct mote_stack *s,
                           const struct mote_tcp_conn *c)
{
    (void)s;
    (void)c;
    return app.window ? app.window : 65535u;
}

const struct mote_tcp_listener app_listener = {
    .window = app_window,
    .port = APP_PORT,
    .accepted = app_accepted,
    .data = app_data,
    .acked = app_acked,
    .closed = app_closed,
};

void peer_send(struct fixture *fx, uint32_t seq, uint32_t ack, uint8_t flags,
               uint16_t wnd, const void *payload, size_t plen)
{
    static uint8_t f[MOCK_FRAME_MAX];
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, seq, ack, flags, wnd,
                             NULL, 0, payload, plen));
}

struct fixture *tcp_fixture(uint32_t peer_isn, uint16_t wnd,
                            uint32_t *peer_seq, uint32_t *our_seq)
{
    static uint8_t f[MOCK_FRAME_MAX];
    static const uint8_t mss[4] = {2, 4, 0x05, 0xb4};
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    assert_int_equal(mote_tcp_listen(&fx->s, &app_listener), 0);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, peer_isn, 0, F_SYN, wnd,
                             mss, 4, NULL, 0));
    assert_int_equal(fx->m.tx_count, 1);
    struct seg sa = sent_seg(fx, 0);
    assert_int_equal(sa.flags, F_SYN | F_ACK);
    assert_int_equal(sa.ack, peer_isn + 1);
    *peer_seq = peer_isn + 1;
    *our_seq = sa.seq + 1;
    mock_clear_sent(&fx->m);
    peer_send(fx, *peer_seq, *our_seq, F_ACK, wnd, NULL, 0);
    assert_int_equal(app.accepted, 1);
    assert_int_equal(fx->m.tx_count, 0);
    return fx;
}
