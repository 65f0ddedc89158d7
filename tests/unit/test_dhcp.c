/* The DHCP client in simulated time: the whole state machine (DISCOVER to
 * ACK, back-off, renewal at T1, rebinding at T2, expiry, NAK, fallback) and
 * every hostile entry of the DHCP list by name.
 *
 * Built twice: as test_dhcp with the default configuration (no fallback),
 * and as test_dhcp_fallback with MOTE_DHCP_FALLBACK defined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

#define SRV_IP GW_IP /* the server is the router, 10.0.0.1 */
#define SRV2_IP MOTE_IPV4(10, 0, 0, 9)
#define LEASE_S 1000u
#define T0 100000u /* the fixture's clock at start */

static uint8_t f[MOCK_FRAME_MAX];
static struct fixture the_fx;

/* ---- what mote sends ---------------------------------------------------- */

struct sent {
    int is_dhcp; /* 0: some other frame (ARP) */
    uint8_t eth_dst[6];
    uint32_t ip_src, ip_dst;
    uint8_t type;
    uint32_t xid, ciaddr;
    uint16_t flags;
    int has_req_ip, has_server_id;
    uint32_t req_ip, server_id;
    int asks_mask, asks_router;
};

/* Parses and checks one frame: every header and checksum, BOOTREQUEST
 * fields, and an option list that is well formed and ends. */
static struct sent parse(const struct mock_frame *o)
{
    struct sent r;
    memset(&r, 0, sizeof r);
    memcpy(r.eth_dst, o->data, 6);
    if (rd16(o->data + 12) != 0x0800)
        return r;
    const uint8_t *ip = o->data + 14, *udp = ip + 20, *m = udp + 8;
    r.is_dhcp = 1;
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(csum(ip, 20), 0);
    assert_int_equal(ip[9], 17);
    assert_int_equal(rd16(ip + 2), o->len - 14);
    r.ip_src = rd32(ip + 12);
    r.ip_dst = rd32(ip + 16);
    assert_int_equal(rd16(udp), 68);
    assert_int_equal(rd16(udp + 2), 67);
    size_t ulen = rd16(udp + 4);
    assert_int_equal(ulen, o->len - 34);
    uint8_t tmp[MOCK_FRAME_MAX];
    memcpy(tmp, ip + 12, 8);
    tmp[8] = 0;
    tmp[9] = 17;
    tmp[10] = (uint8_t)(ulen >> 8);
    tmp[11] = (uint8_t)ulen;
    memcpy(tmp + 12, udp, ulen);
    assert_int_not_equal(rd16(udp + 6), 0);
    assert_int_equal(csum(tmp, 12 + ulen), 0);
    size_t len = ulen - 8;
    assert_true(len >= 300); /* BOOTP minimum */
    assert_int_equal(m[0], 1);
    assert_int_equal(m[1], 1);
    assert_int_equal(m[2], 6);
    assert_int_equal(m[3], 0);
    r.xid = rd32(m + 4);
    r.flags = rd16(m + 10);
    r.ciaddr = rd32(m + 12);
    assert_int_equal(rd32(m + 16), 0); /* yiaddr */
    assert_int_equal(rd32(m + 20), 0); /* siaddr */
    assert_int_equal(rd32(m + 24), 0); /* giaddr */
    assert_memory_equal(m + 28, T_MAC, 6);
    for (size_t i = 34; i < 236; i++) /* rest of chaddr, sname, file */
        assert_int_equal(m[i], 0);
    assert_int_equal(rd32(m + 236), 0x63825363);
    size_t i = 240;
    for (;;) {
        assert_true(i < len);
        uint8_t code = m[i++];
        if (code == 255)
            break;
        if (code == 0)
            continue;
        assert_true(i < len);
        uint8_t n = m[i++];
        assert_true(i + n <= len);
        const uint8_t *v = m + i;
        switch (code) {
        case 53:
            assert_int_equal(n, 1);
            r.type = v[0];
            break;
        case 50:
            assert_int_equal(n, 4);
            r.has_req_ip = 1;
            r.req_ip = rd32(v);
            break;
        case 54:
            assert_int_equal(n, 4);
            r.has_server_id = 1;
            r.server_id = rd32(v);
            break;
        case 55:
            for (uint8_t k = 0; k < n; k++) {
                r.asks_mask |= v[k] == 1;
                r.asks_router |= v[k] == 3;
            }
            break;
        }
        i += n;
    }
    assert_true(r.type != 0);
    return r;
}

static struct sent sent(struct fixture *fx, unsigned i)
{
    return parse(mock_sent(&fx->m, i));
}

static struct sent last(struct fixture *fx)
{
    assert_true(fx->m.tx_count > 0);
    return sent(fx, fx->m.tx_count - 1);
}

/* ---- what a server sends ------------------------------------------------ */

static uint8_t msg[1400];
static size_t mlen;

static void m_begin(uint8_t type, uint32_t xid, uint32_t yiaddr)
{
    memset(msg, 0, sizeof msg);
    msg[0] = 2;
    msg[1] = 1;
    msg[2] = 6;
    msg[4] = (uint8_t)(xid >> 24);
    msg[5] = (uint8_t)(xid >> 16);
    msg[6] = (uint8_t)(xid >> 8);
    msg[7] = (uint8_t)xid;
    msg[10] = 0x80;
    msg[16] = (uint8_t)(yiaddr >> 24);
    msg[17] = (uint8_t)(yiaddr >> 16);
    msg[18] = (uint8_t)(yiaddr >> 8);
    msg[19] = (uint8_t)yiaddr;
    memcpy(msg + 28, T_MAC, 6);
    msg[236] = 0x63;
    msg[237] = 0x82;
    msg[238] = 0x53;
    msg[239] = 0x63;
    mlen = 240;
    if (type) {
        msg[mlen++] = 53;
        msg[mlen++] = 1;
        msg[mlen++] = type;
    }
}

static void m_byte(uint8_t b)
{
    assert_true(mlen < sizeof msg);
    msg[mlen++] = b;
}

static void m_opt(uint8_t code, uint8_t n, const uint8_t *v)
{
    m_byte(code);
    m_byte(n);
    for (uint8_t i = 0; i < n; i++)
        m_byte(v ? v[i] : (uint8_t)('a' + i % 26));
}

static void m_opt32(uint8_t code, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
                    (uint8_t)v};
    m_opt(code, 4, b);
}

/* Which of the usual options to leave out or change. */
struct opts {
    int no_server, no_lease, no_mask, no_router, no_end;
    uint32_t server, lease, mask;
};

static void m_std(uint8_t type, uint32_t xid, uint32_t yiaddr,
                  const struct opts *o)
{
    static const struct opts none;
    if (!o)
        o = &none;
    m_begin(type, xid, yiaddr);
    if (!o->no_server)
        m_opt32(54, o->server ? o->server : SRV_IP);
    if (!o->no_lease)
        m_opt32(51, o->lease ? o->lease : LEASE_S);
    if (!o->no_mask)
        m_opt32(1, o->mask ? o->mask : T_MASK);
    if (!o->no_router)
        m_opt32(3, GW_IP);
    if (!o->no_end)
        m_byte(255);
}

/* The message as a broadcast from the server, in a frame in `f`. */
static size_t m_frame(void)
{
    return fb_udp(f, SRV_IP, 0xffffffffu, 67, 68, msg, mlen);
}

/* ---- fixture ------------------------------------------------------------ */

static struct fixture *start(uint32_t seed)
{
    struct fixture *fx = &the_fx;
    memset(fx, 0, sizeof *fx);
    mock_reset(&fx->m);
    fx->now = T0;
    assert_int_equal(mote_init(&fx->s, &mock_driver, &fx->m, T_MAC), 0);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_OFF);
    mote_dhcp_start(&fx->s, seed);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_INIT);
    return fx;
}

static uint32_t poll_at(struct fixture *fx, uint32_t t)
{
    fx->now = t;
    return fixture_poll(fx);
}

static uint32_t our_ip(struct fixture *fx)
{
    uint32_t cfg[3];
    mote_dhcp_status(&fx->s, cfg);
    return cfg[0];
}

/* Started and polled: the first DISCOVER is out. Returns its xid. */
static uint32_t selecting(struct fixture *fx)
{
    poll_at(fx, T0);
    assert_int_equal(fx->m.tx_count, 1);
    struct sent d = last(fx);
    assert_int_equal(d.type, 1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_SELECTING);
    mock_clear_sent(&fx->m);
    return d.xid;
}

/* Offered T_IP by SRV_IP: the REQUEST is out. Returns the xid. */
static uint32_t requesting(struct fixture *fx)
{
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REQUESTING);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(last(fx).type, 3);
    mock_clear_sent(&fx->m);
    return xid;
}

/* Leased T_IP/24 via GW_IP for LEASE_S at T0. Returns the xid. */
static uint32_t bound(struct fixture *fx)
{
    uint32_t xid = requesting(fx);
    m_std(5, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    assert_int_equal(our_ip(fx), T_IP);
    fixture_poll(fx); /* the gratuitous ARP */
    mock_clear_sent(&fx->m);
    return xid;
}

/* Injects the frame in `f` and checks it was dropped with counter `id`:
 * nothing sent, state and address unchanged. */
static void expect_dropped(struct fixture *fx, size_t len,
                           enum mote_counter_id id)
{
    uint32_t before = cnt(fx, id), ip = our_ip(fx);
    enum mote_dhcp_state st = mote_dhcp_status(&fx->s, NULL);
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, id), before + 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), st);
    assert_int_equal(our_ip(fx), ip);
}

/* The control: the untampered message is taken (the state moves on). */
static void expect_taken(struct fixture *fx, uint8_t type, uint32_t xid)
{
    m_std(type, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL),
                     type == 2 ? MOTE_DHCP_REQUESTING : MOTE_DHCP_BOUND);
    fixture_poll(fx); /* a gratuitous ARP once bound */
}

/* Echo request from PEER_IP to `dst`: answered? The peer asks for `dst`'s
 * MAC first, as it would. */
static int answers_ping(struct fixture *fx, uint32_t dst)
{
    fixture_rx(fx, f, fb_arp(f, 1, PEER_MAC, PEER_IP, BCAST_MAC, dst));
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, fb_echo(f, dst, 7, 7, 8));
    for (unsigned i = 0; i < fx->m.tx_count; i++) {
        const struct mock_frame *o = mock_sent(&fx->m, i);
        if (rd16(o->data + 12) == 0x0800 && o->data[14 + 9] == 1 &&
            o->data[34] == 0)
            return 1;
    }
    return 0;
}

/* ---- the state machine -------------------------------------------------- */

static void dhcp_discover_format(void **st)
{
    (void)st;
    struct fixture *fx = start(1);
    assert_int_equal(poll_at(fx, T0) <= 5000, 1);
    assert_int_equal(fx->m.tx_count, 1);
    struct sent d = sent(fx, 0);
    assert_memory_equal(d.eth_dst, BCAST_MAC, 6);
    assert_int_equal(d.ip_src, 0);
    assert_int_equal(d.ip_dst, 0xffffffffu);
    assert_int_equal(d.type, 1);
    assert_int_equal(d.flags, 0x8000); /* replies broadcast */
    assert_int_equal(d.ciaddr, 0);
    assert_false(d.has_req_ip);
    assert_false(d.has_server_id);
    assert_true(d.asks_mask);
    assert_true(d.asks_router);
    assert_int_equal(our_ip(fx), 0);
}

static void dhcp_full_exchange(void **st)
{
    (void)st;
    struct fixture *fx = start(2);
    uint32_t xid = selecting(fx);

    m_std(2, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(fx->m.tx_count, 1);
    struct sent r = sent(fx, 0);
    assert_int_equal(r.type, 3);
    assert_int_equal(r.xid, xid); /* the offer's xid */
    assert_memory_equal(r.eth_dst, BCAST_MAC, 6);
    assert_int_equal(r.ip_src, 0);
    assert_int_equal(r.ip_dst, 0xffffffffu);
    assert_int_equal(r.ciaddr, 0);
    assert_int_equal(r.flags, 0x8000);
    assert_true(r.has_req_ip);
    assert_int_equal(r.req_ip, T_IP);
    assert_true(r.has_server_id);
    assert_int_equal(r.server_id, SRV_IP);

    mock_clear_sent(&fx->m);
    m_std(5, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    uint32_t cfg[3];
    assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_BOUND);
    assert_int_equal(cfg[0], T_IP);
    assert_int_equal(cfg[1], T_MASK);
    assert_int_equal(cfg[2], GW_IP);
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_LEASES), 1);
    /* The address is announced (and the gateway asked for), then answers. */
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 2);
    const struct mock_frame *g = mock_sent(&fx->m, 0);
    assert_int_equal(rd16(g->data + 12), 0x0806);
    assert_int_equal(rd32(g->data + 14 + 14), T_IP); /* sender */
    assert_int_equal(rd32(g->data + 14 + 24), T_IP); /* target */
    assert_true(answers_ping(fx, T_IP));
    /* Nothing more until T1. */
    mock_clear_sent(&fx->m);
    poll_at(fx, T0 + LEASE_S * 500 - 1);
    assert_int_equal(fx->m.tx_count, 0);
}

static void dhcp_address_applied_only_after_ack(void **st)
{
    (void)st;
    struct fixture *fx = start(3);
    uint32_t xid = requesting(fx);
    assert_int_equal(our_ip(fx), 0);
    uint32_t before = cnt(fx, MOTE_CNT_IP_NOT_OURS);
    assert_false(answers_ping(fx, T_IP));
    assert_int_equal(cnt(fx, MOTE_CNT_IP_NOT_OURS), before + 1);
    /* Unanswered REQUESTs do not apply it either. */
    for (uint32_t t = T0; t < T0 + 20000; t += 500)
        poll_at(fx, t);
    assert_int_equal(our_ip(fx), 0);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REQUESTING);
    m_std(5, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(our_ip(fx), T_IP);
}

/* Times (from T0) at which DISCOVERs go out when nobody answers, following
 * the deadlines mote_poll returns; all with one xid, kept in disc_xid. */
static uint32_t disc_xid;

static unsigned discover_times(struct fixture *fx, uint32_t *times,
                               unsigned max, uint32_t from, uint32_t until)
{
    unsigned n = 0;
    uint32_t xid = 0;
    for (uint32_t t = T0 + from; t < T0 + until;) {
        mock_clear_sent(&fx->m);
        uint32_t wait = poll_at(fx, t);
        assert_true(wait >= 1 && wait <= 1000);
        for (unsigned i = 0; i < fx->m.tx_count; i++) {
            struct sent d = sent(fx, i);
            if (!d.is_dhcp)
                continue;
            assert_int_equal(d.type, 1);
            assert_int_equal(d.ip_src, 0);
            if (n == 0)
                xid = d.xid;
            assert_int_equal(d.xid, xid);
            assert_true(n < max);
            times[n++] = t - T0;
            disc_xid = d.xid;
        }
        t += wait;
    }
    return n;
}

static void dhcp_discover_backoff(void **st)
{
    (void)st;
    /* RFC 2131 4.1: 4, 8, 16, 32, then 64 s, each randomized by +-1 s. */
    static const uint32_t base[] = {4000, 8000, 16000, 32000, 64000, 64000,
                                    64000};
    uint32_t t[16];
    struct fixture *fx = start(4);
    unsigned n = discover_times(fx, t, 16, 0, 280000);
    assert_int_equal(n, 8);
    assert_int_equal(t[0], 0);
    int all_same = 1;
    for (unsigned i = 1; i < n; i++) {
        uint32_t gap = t[i] - t[i - 1];
        assert_in_range(gap, base[i - 1] - 1000, base[i - 1] + 1000);
        if (i > 1 && gap - base[i - 1] != t[1] - t[0] - base[0])
            all_same = 0;
    }
    assert_false(all_same); /* the jitter varies */
#ifndef MOTE_DHCP_FALLBACK
    assert_int_equal(our_ip(fx), 0);
#endif
}

static void dhcp_randomness_from_mac_and_seed(void **st)
{
    (void)st;
    static const uint8_t mac2[6] = {2, 0, 0, 0, 0, 0x11};
    struct fixture *fx = start(5);
    uint32_t xid_a = selecting(fx);
    fx = start(5);
    assert_int_equal(selecting(fx), xid_a); /* deterministic for tests */
    fx = start(6);
    uint32_t xid_seed = selecting(fx);
    assert_int_not_equal(xid_seed, xid_a);
    /* Same seed, same clock, another MAC. */
    static struct fixture fx2;
    mock_reset(&fx2.m);
    mote_init(&fx2.s, &mock_driver, &fx2.m, mac2);
    mote_dhcp_start(&fx2.s, 5);
    poll_at(&fx2, T0);
    const struct mock_frame *o = mock_sent(&fx2.m, 0);
    uint32_t xid_mac = rd32(o->data + 42 + 4);
    assert_int_not_equal(xid_mac, xid_a);
    /* A new exchange takes a new xid. */
    fx = start(5);
    uint32_t xid = requesting(fx);
    m_std(6, xid, 0, NULL);
    fixture_rx(fx, f, m_frame()); /* NAK: start over */
    poll_at(fx, T0 + 1);
    assert_int_equal(last(fx).type, 1);
    assert_int_not_equal(last(fx).xid, xid);
}

static void dhcp_request_retried_then_rediscover(void **st)
{
    (void)st;
    struct fixture *fx = start(7);
    uint32_t xid = requesting(fx);
    unsigned requests = 1, discovers = 0;
    uint32_t t = T0;
    while (discovers == 0) {
        mock_clear_sent(&fx->m);
        t += poll_at(fx, t);
        assert_true(t < T0 + 70000);
        if (fx->m.tx_count) {
            struct sent r = last(fx);
            if (r.type == 3) {
                assert_int_equal(r.xid, xid);
                assert_int_equal(r.req_ip, T_IP);
                requests++;
            } else {
                assert_int_equal(r.type, 1);
                assert_int_not_equal(r.xid, xid);
                discovers++;
            }
        }
    }
    assert_int_equal(requests, 4);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_SELECTING);
    assert_int_equal(our_ip(fx), 0);
}

/* After bound(): the schedule of what goes out when no server answers,
 * as (ms after T0, what) pairs. */
enum what { ARP_REQ, UNICAST_REQ, BCAST_REQ, DISCOVER };

static void dhcp_renew_at_t1(void **st)
{
    (void)st;
    struct fixture *fx = start(8);
    uint32_t xid = bound(fx);
    uint32_t t1 = T0 + LEASE_S * 500;
    poll_at(fx, t1 - 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    /* T1: the server's MAC is not cached, so an ARP request goes first and
     * the REQUEST a second later. */
    poll_at(fx, t1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_RENEWING);
    assert_int_equal(fx->m.tx_count, 1);
    assert_false(last(fx).is_dhcp);
    assert_int_equal(rd32(mock_sent(&fx->m, 0)->data + 14 + 24), SRV_IP);
    fixture_rx(fx, f, fb_arp(f, 2, GW_MAC, SRV_IP, T_MAC, T_IP));
    mock_clear_sent(&fx->m);
    poll_at(fx, t1 + 999);
    assert_int_equal(fx->m.tx_count, 0);
    poll_at(fx, t1 + 1000);
    assert_int_equal(fx->m.tx_count, 1);
    struct sent r = last(fx);
    assert_int_equal(r.type, 3);
    assert_memory_equal(r.eth_dst, GW_MAC, 6);
    assert_int_equal(r.ip_src, T_IP);
    assert_int_equal(r.ip_dst, SRV_IP);
    assert_int_equal(r.ciaddr, T_IP);
    assert_int_equal(r.flags, 0);
    assert_false(r.has_req_ip); /* RFC 2131 table 5 */
    assert_false(r.has_server_id);
    assert_int_not_equal(r.xid, xid);
    /* Still in use while renewing. */
    assert_true(answers_ping(fx, T_IP));
    /* The ACK, unicast to us, renews: T1 moves to half a lease from now. */
    uint32_t tr = t1 + 1500;
    fx->now = tr;
    m_std(5, r.xid, T_IP, NULL);
    size_t len = fb_udp(f, SRV_IP, T_IP, 67, 68, msg, mlen);
    fixture_rx(fx, f, len);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_LEASES), 2);
    assert_int_equal(our_ip(fx), T_IP);
    mock_clear_sent(&fx->m);
    poll_at(fx, tr + LEASE_S * 500 - 1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    poll_at(fx, tr + LEASE_S * 500);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_RENEWING);
}

/* Follows mote_poll's deadlines from `from` to `to` (ms after T0) and
 * records what goes out. */
static unsigned schedule(struct fixture *fx, uint32_t from, uint32_t to,
                         uint32_t *at, enum what *w, unsigned max)
{
    unsigned n = 0;
    for (uint32_t t = T0 + from; t <= T0 + to;) {
        mock_clear_sent(&fx->m);
        uint32_t wait = poll_at(fx, t);
        assert_true(wait >= 1 && wait <= 1000);
        for (unsigned i = 0; i < fx->m.tx_count; i++) {
            struct sent r = sent(fx, i);
            assert_true(n < max);
            at[n] = t - T0;
            if (!r.is_dhcp)
                w[n] = ARP_REQ;
            else if (r.type == 1)
                w[n] = DISCOVER;
            else
                w[n] = r.ip_dst == 0xffffffffu ? BCAST_REQ : UNICAST_REQ;
            n++;
        }
        t += wait;
    }
    return n;
}

static void dhcp_rebind_at_t2_and_expiry(void **st)
{
    (void)st;
    /* Lease 1000 s: T1 500 s, T2 875 s. Renewing waits half the time left
     * to T2, at least 60 s; rebinding half the time left to the end. The
     * server's ARP entry, learnt at T1, ages out after 300 s. */
    static const uint32_t want_at[] = {500000, 501000, 688000, 781500,
                                       841500, 875000, 937500, 997500,
                                       1000000};
    static const enum what want_w[] = {ARP_REQ,   UNICAST_REQ, UNICAST_REQ,
                                       UNICAST_REQ, ARP_REQ,   BCAST_REQ,
                                       BCAST_REQ, BCAST_REQ,   DISCOVER};
    uint32_t at[32];
    enum what w[32];
    struct fixture *fx = start(9);
    bound(fx);
    unsigned n = schedule(fx, 0, 500000, at, w, 32);
    assert_int_equal(n, 1);
    fixture_rx(fx, f, fb_arp(f, 2, GW_MAC, SRV_IP, T_MAC, T_IP));
    n = 1 + schedule(fx, 500001, 999999, at + 1, w + 1, 31);
    assert_int_equal(n, 8);
    assert_true(answers_ping(fx, T_IP)); /* in use until the very end */
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REBINDING);
    n += schedule(fx, 1000000, 1000000, at + n, w + n, 32 - n);
    assert_int_equal(n, 9);
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(at[i], want_at[i]);
        assert_int_equal(w[i], want_w[i]);
    }
    /* Expired: the address is gone, discovery starts from 0.0.0.0. */
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_EXPIRED), 1);
    assert_int_equal(our_ip(fx), 0);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_SELECTING);
    assert_int_equal(last(fx).ip_src, 0);
    assert_false(answers_ping(fx, T_IP));
}

static void dhcp_rebinding_format_and_any_server(void **st)
{
    (void)st;
    struct fixture *fx = start(10);
    bound(fx);
    uint32_t t2 = T0 + LEASE_S * 875;
    poll_at(fx, t2 - 1);
    mock_clear_sent(&fx->m);
    poll_at(fx, t2);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REBINDING);
    struct sent r = last(fx);
    assert_int_equal(r.type, 3);
    assert_memory_equal(r.eth_dst, BCAST_MAC, 6);
    assert_int_equal(r.ip_src, T_IP);
    assert_int_equal(r.ip_dst, 0xffffffffu);
    assert_int_equal(r.ciaddr, T_IP);
    assert_false(r.has_req_ip);
    assert_false(r.has_server_id);
    /* Another server may answer now; it becomes the lease's server. */
    struct opts o = {.server = SRV2_IP, .mask = MOTE_IPV4(255, 255, 0, 0)};
    m_std(5, r.xid, T_IP, &o);
    fixture_rx(fx, f, fb_udp(f, SRV2_IP, T_IP, 67, 68, msg, mlen));
    uint32_t cfg[3];
    assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_BOUND);
    assert_int_equal(cfg[1], MOTE_IPV4(255, 255, 0, 0));
    /* The next renewal goes to it. */
    fx->now = t2 + LEASE_S * 500 - 1;
    fixture_rx(fx, f, fb_arp(f, 1, PEER_MAC, SRV2_IP, BCAST_MAC, T_IP));
    mock_clear_sent(&fx->m);
    poll_at(fx, t2 + LEASE_S * 500);
    assert_int_equal(last(fx).ip_dst, SRV2_IP);
}

static void dhcp_nak_while_requesting(void **st)
{
    (void)st;
    struct fixture *fx = start(11);
    uint32_t xid = requesting(fx);
    m_std(6, xid, 0, &(struct opts){.no_lease = 1, .no_mask = 1,
                                     .no_router = 1});
    fixture_rx(fx, f, m_frame());
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_NAKS), 1);
    /* Discovery starts over within the same poll. */
    assert_int_equal(last(fx).type, 1);
    assert_int_not_equal(last(fx).xid, xid);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_SELECTING);
    assert_int_equal(our_ip(fx), 0);
}

static void dhcp_nak_while_renewing(void **st)
{
    (void)st;
    struct fixture *fx = start(12);
    bound(fx);
    fx->now = T0 + LEASE_S * 500 - 1; /* the server's MAC is fresh */
    fixture_rx(fx, f, fb_arp(f, 1, GW_MAC, SRV_IP, BCAST_MAC, T_IP));
    poll_at(fx, T0 + LEASE_S * 500);
    struct sent r = last(fx);
    assert_int_equal(r.type, 3);
    /* A NAK from another server is not for this exchange. */
    m_std(6, r.xid, 0, &(struct opts){.server = SRV2_IP, .no_lease = 1});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NOT_OURS);
    /* From the lease's server: the address is dropped at once. */
    m_std(6, r.xid, 0, &(struct opts){.no_lease = 1});
    fixture_rx(fx, f, m_frame());
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_NAKS), 1);
    assert_int_equal(last(fx).type, 1); /* discovery went out */
    assert_int_equal(our_ip(fx), 0);
    assert_false(answers_ping(fx, T_IP));
}

static void dhcp_nak_ignored_when_not_waiting(void **st)
{
    (void)st;
    struct fixture *fx = start(13);
    uint32_t xid = selecting(fx);
    m_std(6, xid, 0, NULL);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
    fx = start(13);
    xid = bound(fx);
    m_std(6, xid, 0, NULL);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
    assert_int_equal(our_ip(fx), T_IP);
}

static void dhcp_unexpected_types(void **st)
{
    (void)st;
    struct fixture *fx = start(14);
    uint32_t xid = selecting(fx);
    m_std(5, xid, T_IP, NULL); /* ACK before any REQUEST */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
    m_std(0, xid, T_IP, NULL); /* no message type */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
    m_std(1, xid, T_IP, NULL); /* a DISCOVER type in a reply */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
    expect_taken(fx, 2, xid);
    m_std(2, xid, T_IP, NULL); /* a second offer: the first was taken */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
    expect_taken(fx, 5, xid);
    m_std(5, xid, T_IP, NULL); /* a duplicate ACK */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_UNEXPECTED);
}

static void dhcp_not_started(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new(); /* static address, no DHCP */
    m_std(2, 0, T_IP, NULL);
    uint32_t before = cnt(fx, MOTE_CNT_DHCP_UNEXPECTED);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_UNEXPECTED), before + 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_OFF);
}

static void dhcp_gateway_and_mask_route(void **st)
{
    (void)st;
    struct fixture *fx = start(15);
    uint32_t xid = requesting(fx);
    struct opts o = {.mask = MOTE_IPV4(255, 255, 0, 0)};
    m_std(5, xid, T_IP, &o);
    fixture_rx(fx, f, m_frame());
    mock_clear_sent(&fx->m);
    poll_at(fx, T0 + 1);
    /* The address is announced and the router option's gateway asked for
     * at once, before any peer beyond it needs it. */
    assert_int_equal(fx->m.tx_count, 2);
    const struct mock_frame *a = mock_sent(&fx->m, 1);
    assert_int_equal(rd16(a->data + 12), 0x0806);
    assert_int_equal(rd32(a->data + 14 + 24), GW_IP);
    /* 10.0.77.5 is on the /16: asked for directly. */
    mock_clear_sent(&fx->m);
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    f[14 + 12 + 2] = 77;
    f[14 + 12 + 3] = 5;
    fb_ip_recsum(f);
    fixture_rx(fx, f, len);
    assert_int_equal(fx->m.tx_count, 1);
    a = mock_sent(&fx->m, 0);
    assert_int_equal(rd16(a->data + 12), 0x0806);
    assert_int_equal(rd32(a->data + 14 + 24), MOTE_IPV4(10, 0, 77, 5));
    /* 192.0.2.7 is not: it waits for the gateway (asked for once the ARP
     * retry interval has passed). */
    mock_clear_sent(&fx->m);
    len = fb_echo(f, T_IP, 1, 1, 8);
    f[14 + 12] = 192;
    f[14 + 13] = 0;
    f[14 + 14] = 2;
    f[14 + 15] = 7;
    fb_ip_recsum(f);
    fx->now += 2000;
    fixture_rx(fx, f, len);
    assert_int_equal(fx->m.tx_count, 1);
    a = mock_sent(&fx->m, 0);
    assert_int_equal(rd16(a->data + 12), 0x0806);
    assert_int_equal(rd32(a->data + 14 + 24), GW_IP);
    /* Once the gateway answers, the reply goes through it. */
    uint8_t echo[64];
    memcpy(echo, f, len);
    fixture_rx(fx, f, fb_arp(f, 2, GW_MAC, GW_IP, T_MAC, T_IP));
    mock_clear_sent(&fx->m);
    fixture_rx(fx, echo, len);
    assert_int_equal(fx->m.tx_count, 1);
    a = mock_sent(&fx->m, 0);
    assert_memory_equal(a->data, GW_MAC, 6);
    assert_int_equal(rd32(a->data + 14 + 16), FAR_IP);
}

static void dhcp_no_router_no_mask(void **st)
{
    (void)st;
    struct fixture *fx = start(16);
    uint32_t xid = requesting(fx);
    m_std(5, xid, T_IP, &(struct opts){.no_mask = 1, .no_router = 1});
    fixture_rx(fx, f, m_frame());
    uint32_t cfg[3];
    assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_BOUND);
    assert_int_equal(cfg[1], MOTE_IPV4(255, 0, 0, 0)); /* 10/8: class A */
    assert_int_equal(cfg[2], 0);
    /* Classes B and C. */
    static const uint32_t ips[2] = {MOTE_IPV4(172, 16, 1, 2),
                                    MOTE_IPV4(192, 168, 1, 2)};
    static const uint32_t masks[2] = {MOTE_IPV4(255, 255, 0, 0),
                                      MOTE_IPV4(255, 255, 255, 0)};
    for (int i = 0; i < 2; i++) {
        fx = start(16);
        xid = selecting(fx);
        m_std(2, xid, ips[i], &(struct opts){.no_mask = 1});
        fixture_rx(fx, f, m_frame());
        m_std(5, xid, ips[i], &(struct opts){.no_mask = 1});
        fixture_rx(fx, f, m_frame());
        assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_BOUND);
        assert_int_equal(cfg[0], ips[i]);
        assert_int_equal(cfg[1], masks[i]);
    }
}

static void dhcp_poll_returns_next_deadline(void **st)
{
    (void)st;
    struct fixture *fx = start(17);
    bound(fx);
    /* Far from T1, the usual second; near it, just the time left. */
    assert_int_equal(poll_at(fx, T0 + 5000), 1000);
    assert_int_equal(poll_at(fx, T0 + LEASE_S * 500 - 250), 250);
    assert_int_equal(poll_at(fx, T0 + LEASE_S * 500 - 1), 1);
}

static void dhcp_clock_wrap(void **st)
{
    (void)st;
    /* Bound 200 s before the millisecond clock wraps: T1, T2 and the end
     * all fall after the wrap and still come on time. */
    struct fixture *fx = start(36);
    uint32_t t = 0xffffffffu - 200000;
    poll_at(fx, t);
    uint32_t xid = last(fx).xid;
    m_std(2, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    m_std(5, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    poll_at(fx, t + 100000); /* before the wrap */
    poll_at(fx, t + 300000); /* after it */
    poll_at(fx, t + LEASE_S * 500 - 1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    poll_at(fx, t + LEASE_S * 500);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_RENEWING);
    poll_at(fx, t + LEASE_S * 875 - 1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_RENEWING);
    poll_at(fx, t + LEASE_S * 875);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REBINDING);
    poll_at(fx, t + LEASE_S * 1000 - 1);
    assert_int_equal(our_ip(fx), T_IP);
    poll_at(fx, t + LEASE_S * 1000);
    assert_int_equal(our_ip(fx), 0);
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_EXPIRED), 1);
}

#ifdef MOTE_DHCP_FALLBACK
static void dhcp_static_fallback(void **st)
{
    (void)st;
    static const uint32_t fb[3] = {MOTE_DHCP_FALLBACK};
    uint32_t t[16];
    struct fixture *fx = start(18);
    /* Three DISCOVERs unanswered (0, ~4, ~12 s): at the fourth, the
     * fallback applies; discovery goes on, from 0.0.0.0. */
    unsigned n = discover_times(fx, t, 16, 0, 20000);
    assert_int_equal(n, 3);
    assert_int_equal(our_ip(fx), 0);
    n = discover_times(fx, t, 16, fx->now + 1 - T0, 36000);
    assert_int_equal(n, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_FALLBACK), 1);
    uint32_t cfg[3];
    assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_SELECTING);
    assert_memory_equal(cfg, fb, sizeof fb);
    assert_true(answers_ping(fx, fb[0]));
    /* A lease replaces it. */
    uint32_t xid = disc_xid;
    mock_clear_sent(&fx->m);
    m_std(2, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    struct sent r = last(fx);
    assert_int_equal(r.type, 3);
    assert_int_equal(r.ip_src, 0);
    assert_int_equal(r.ciaddr, 0);
    m_std(5, xid, T_IP, NULL);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(our_ip(fx), T_IP);
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_FALLBACK), 1);
}
#else
static void dhcp_no_fallback_by_default(void **st)
{
    (void)st;
    uint32_t t[16];
    struct fixture *fx = start(18);
    discover_times(fx, t, 16, 0, 200000);
    assert_int_equal(our_ip(fx), 0);
    assert_int_equal(cnt(fx, MOTE_CNT_DHCP_FALLBACK), 0);
}
#endif

/* ---- hostile input, each entry by name ---------------------------------- */

static void dhcp_option_past_packet(void **st)
{
    (void)st;
    struct fixture *fx = start(20);
    uint32_t xid = selecting(fx);
    /* The lease option's 4 bytes run past the end. */
    m_std(2, xid, T_IP, &(struct opts){.no_lease = 1, .no_end = 1});
    m_byte(51);
    m_byte(4);
    m_byte(0);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    /* A length byte that is the packet's last byte. */
    m_std(2, xid, T_IP, &(struct opts){.no_end = 1});
    m_byte(12);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    /* A length of 255 with a few bytes behind it. */
    m_std(2, xid, T_IP, &(struct opts){.no_end = 1});
    m_byte(15);
    m_byte(255);
    m_byte('x');
    m_byte(255);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    /* Past the UDP length, with bytes behind it in the frame: the UDP
     * length is the end. */
    m_std(2, xid, T_IP, NULL);
    size_t len = m_frame();
    f[34 + 4] = (uint8_t)((8 + mlen - 3) >> 8);
    f[34 + 5] = (uint8_t)(8 + mlen - 3);
    fb_udp_recsum(f, 34 + 8 + mlen - 3);
    expect_dropped(fx, len, MOTE_CNT_DHCP_MALFORMED);
    expect_taken(fx, 2, xid);
}

static void dhcp_option_length_zero(void **st)
{
    (void)st;
    static const uint8_t codes[] = {53, 54, 51, 1, 3};
    for (size_t i = 0; i < sizeof codes; i++) {
        struct fixture *fx = start(21);
        uint32_t xid = selecting(fx);
        m_std(0, xid, T_IP, &(struct opts){.no_end = 1});
        if (codes[i] != 53) {
            msg[mlen++] = 53;
            msg[mlen++] = 1;
            msg[mlen++] = 2;
        }
        m_opt(codes[i], 0, NULL);
        m_byte(255);
        expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
        expect_taken(fx, 2, xid);
    }
    /* Zero-length options mote does not read are skipped. */
    struct fixture *fx = start(21);
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, &(struct opts){.no_end = 1});
    m_opt(12, 0, NULL);
    m_opt(15, 0, NULL);
    m_byte(255);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REQUESTING);
}

static void dhcp_no_end_option(void **st)
{
    (void)st;
    struct fixture *fx = start(22);
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, &(struct opts){.no_end = 1});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    /* No options at all after the cookie. */
    m_begin(0, xid, T_IP);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    expect_taken(fx, 2, xid);
}

static void dhcp_pad_flood(void **st)
{
    (void)st;
    struct fixture *fx = start(23);
    uint32_t xid = selecting(fx);
    /* A packet of pads with no end: walked to the end, dropped. */
    m_std(2, xid, T_IP, &(struct opts){.no_end = 1});
    while (mlen < 1200)
        m_byte(0);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    /* Pads between and before options, then the end: valid. */
    m_begin(0, xid, T_IP);
    for (int i = 0; i < 501; i++) /* odd: each pad is one byte */
        m_byte(0);
    m_opt(53, 1, (const uint8_t[]){2});
    for (int i = 0; i < 301; i++)
        m_byte(0);
    m_opt32(54, SRV_IP);
    m_opt32(51, LEASE_S);
    m_byte(255);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REQUESTING);
}

static void dhcp_overlong_options(void **st)
{
    (void)st;
    struct fixture *fx = start(24);
    uint32_t xid = selecting(fx);
    /* Hostname and domain of 255 bytes each that fit the packet: not read
     * by mote, skipped by their length. */
    m_std(0, xid, T_IP, &(struct opts){.no_end = 1});
    m_opt(12, 255, NULL);
    m_opt(15, 255, NULL);
    m_opt(53, 1, (const uint8_t[]){2});
    m_byte(255);
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REQUESTING);
    /* Options mote reads must have their exact size. */
    static const uint8_t codes[] = {53, 54, 51, 1};
    for (size_t i = 0; i < sizeof codes; i++) {
        fx = start(24);
        xid = selecting(fx);
        m_begin(0, xid, T_IP);
        if (codes[i] != 53)
            m_opt(53, 1, (const uint8_t[]){2});
        if (codes[i] != 54)
            m_opt32(54, SRV_IP);
        if (codes[i] != 51)
            m_opt32(51, LEASE_S);
        static const uint8_t v[8] = {2, 255, 255, 255, 0, 0, 0, 0};
        m_opt(codes[i], 5, v);
        m_byte(255);
        expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
        expect_taken(fx, 2, xid);
    }
    /* A router list must hold whole addresses; several are fine. */
    fx = start(24);
    xid = selecting(fx);
    m_std(2, xid, T_IP, &(struct opts){.no_router = 1, .no_end = 1});
    m_opt(3, 6, (const uint8_t[]){10, 0, 0, 1, 10, 0});
    m_byte(255);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    m_std(2, xid, T_IP, &(struct opts){.no_router = 1, .no_end = 1});
    m_opt(3, 8, (const uint8_t[]){10, 0, 0, 1, 10, 0, 0, 7});
    m_byte(255);
    fixture_rx(fx, f, m_frame());
    m_std(5, xid, T_IP, &(struct opts){.no_router = 1, .no_end = 1});
    m_opt(3, 8, (const uint8_t[]){10, 0, 0, 1, 10, 0, 0, 7});
    m_byte(255);
    fixture_rx(fx, f, m_frame());
    uint32_t cfg[3];
    assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_BOUND);
    assert_int_equal(cfg[2], GW_IP); /* the first router */
}

static void dhcp_wrong_xid(void **st)
{
    (void)st;
    struct fixture *fx = start(25);
    uint32_t xid = selecting(fx);
    m_std(2, xid ^ 1, T_IP, NULL);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NOT_OURS);
    m_std(2, xid ^ 0x80000000u, T_IP, NULL);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NOT_OURS);
    expect_taken(fx, 2, xid);
    m_std(5, xid + 1, T_IP, NULL);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NOT_OURS);
    expect_taken(fx, 5, xid);
}

static void dhcp_wrong_chaddr(void **st)
{
    (void)st;
    struct fixture *fx = start(26);
    uint32_t xid = selecting(fx);
    for (int i = 0; i < 6; i++) {
        m_std(2, xid, T_IP, NULL);
        msg[28 + i] ^= 0x01;
        expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NOT_OURS);
    }
    expect_taken(fx, 2, xid);
}

static void dhcp_wrong_source_port(void **st)
{
    (void)st;
    struct fixture *fx = start(27);
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, NULL);
    expect_dropped(fx, fb_udp(f, SRV_IP, 0xffffffffu, 1067, 68, msg, mlen),
                   MOTE_CNT_DHCP_NOT_OURS);
    expect_taken(fx, 2, xid);
}

static void dhcp_bad_header(void **st)
{
    (void)st;
    struct fixture *fx = start(28);
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, NULL);
    msg[0] = 1; /* a BOOTREQUEST: another client's broadcast */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    m_std(2, xid, T_IP, NULL);
    msg[2] = 16; /* hardware address length */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    m_std(2, xid, T_IP, NULL);
    msg[1] = 6; /* hardware type */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    m_std(2, xid, T_IP, NULL);
    msg[239] = 0x64; /* magic cookie */
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_MALFORMED);
    expect_taken(fx, 2, xid);
}

static void dhcp_every_truncation(void **st)
{
    (void)st;
    struct fixture *fx = start(29);
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, NULL);
    size_t full = mlen;
    uint8_t whole[sizeof msg];
    memcpy(whole, msg, full);
    for (size_t n = 0; n < full; n++) {
        memcpy(msg, whole, n);
        mlen = n;
        uint32_t before = cnt(fx, MOTE_CNT_DHCP_MALFORMED);
        fixture_rx(fx, f, m_frame());
        assert_int_equal(cnt(fx, MOTE_CNT_DHCP_MALFORMED), before + 1);
        assert_int_equal(fx->m.tx_count, 0);
        assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_SELECTING);
    }
    expect_taken(fx, 2, xid);
}

/* The client's input function (internal, exported with the mote_ prefix),
 * called here on heap copies of exactly the message's length, so that
 * AddressSanitizer catches a read of even one byte past the end. */
void mote_dhcp_input(struct mote_stack *s, uint8_t *m, size_t len,
                     uint16_t sport);

static void feed_exact(struct fixture *fx, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, msg, n);
    mote_dhcp_input(&fx->s, copy, n, 67);
    free(copy);
}

static void dhcp_input_ends_at_buffer_end(void **st)
{
    (void)st;
    struct fixture *fx = start(35);
    uint32_t xid = selecting(fx);
    /* Every prefix of a valid offer. */
    m_std(2, xid, T_IP, NULL);
    size_t full = mlen;
    for (size_t n = 0; n < full; n++) {
        uint32_t before = cnt(fx, MOTE_CNT_DHCP_MALFORMED);
        feed_exact(fx, n);
        assert_int_equal(cnt(fx, MOTE_CNT_DHCP_MALFORMED), before + 1);
    }
    /* Each option that mote reads, its value one byte short of the end. */
    static const uint8_t codes[] = {53, 54, 51, 1, 3, 12};
    for (size_t i = 0; i < sizeof codes; i++) {
        m_std(2, xid, T_IP, &(struct opts){.no_end = 1});
        m_byte(codes[i]);
        m_byte(codes[i] == 53 ? 1 : 4);
        for (int k = codes[i] == 53 ? 0 : 3; k > 0; k--)
            m_byte(0xff);
        uint32_t before = cnt(fx, MOTE_CNT_DHCP_MALFORMED);
        feed_exact(fx, mlen);
        assert_int_equal(cnt(fx, MOTE_CNT_DHCP_MALFORMED), before + 1);
    }
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_SELECTING);
    m_std(2, xid, T_IP, NULL);
    feed_exact(fx, mlen);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_REQUESTING);
}

static void dhcp_missing_server_id(void **st)
{
    (void)st;
    struct fixture *fx = start(30);
    uint32_t xid = selecting(fx);
    m_std(2, xid, T_IP, &(struct opts){.no_server = 1});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NO_SERVER_ID);
    expect_taken(fx, 2, xid);
    m_std(5, xid, T_IP, &(struct opts){.no_server = 1});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NO_SERVER_ID);
    m_std(6, xid, 0, &(struct opts){.no_server = 1});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NO_SERVER_ID);
    /* While requesting, only the chosen server may answer. */
    m_std(5, xid, T_IP, &(struct opts){.server = SRV2_IP});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_NOT_OURS);
    expect_taken(fx, 5, xid);
}

static void dhcp_lease_zero(void **st)
{
    (void)st;
    struct fixture *fx = start(31);
    uint32_t xid = selecting(fx);
    /* A lease of 0 would renew in a loop; missing, it is unknown. */
    m_std(2, xid, T_IP, &(struct opts){.no_lease = 1, .no_end = 1});
    m_opt32(51, 0);
    m_byte(255);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_BAD_LEASE);
    m_std(2, xid, T_IP, &(struct opts){.no_lease = 1});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_BAD_LEASE);
    expect_taken(fx, 2, xid);
    m_std(5, xid, T_IP, &(struct opts){.no_lease = 1, .no_end = 1});
    m_opt32(51, 0);
    m_byte(255);
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_BAD_LEASE);
    expect_taken(fx, 5, xid);
}

static void dhcp_lease_infinite(void **st)
{
    (void)st;
    /* 0xffffffff s: no overflow of the ms deadlines; timed as the longest
     * lease the wrapping clock allows (2,097,151 s, 24 days), renewed at
     * half of it. */
    struct fixture *fx = start(32);
    uint32_t xid = requesting(fx);
    m_std(5, xid, T_IP, &(struct opts){.lease = 0xffffffffu});
    fixture_rx(fx, f, m_frame());
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    uint32_t t1 = T0 + 2097151u * 500u;
    for (uint32_t t = T0; t < t1; t += 3600000u) {
        poll_at(fx, t);
        assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    }
    poll_at(fx, t1 - 1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    poll_at(fx, t1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_RENEWING);
    assert_int_equal(our_ip(fx), T_IP);
    /* Lease lengths near the limit are not cut short. */
    fx = start(32);
    xid = requesting(fx);
    m_std(5, xid, T_IP, &(struct opts){.lease = 2000000u});
    fixture_rx(fx, f, m_frame());
    poll_at(fx, T0 + 2000000u * 500u - 1);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_BOUND);
    poll_at(fx, T0 + 2000000u * 500u);
    assert_int_equal(mote_dhcp_status(&fx->s, NULL), MOTE_DHCP_RENEWING);
}

static void dhcp_mask_not_contiguous(void **st)
{
    (void)st;
    static const uint32_t masks[] = {
        MOTE_IPV4(255, 0, 255, 0), MOTE_IPV4(255, 255, 255, 1),
        MOTE_IPV4(0, 255, 255, 255), MOTE_IPV4(255, 255, 254, 128),
        0x7fffffffu};
    struct fixture *fx = start(33);
    uint32_t xid = selecting(fx);
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        m_std(2, xid, T_IP, &(struct opts){.mask = masks[i]});
        expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_BAD_MASK);
    }
    expect_taken(fx, 2, xid);
    m_std(5, xid, T_IP, &(struct opts){.mask = masks[0]});
    expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_BAD_MASK);
    /* Every contiguous one is fine, /1 to /32. */
    for (int p = 1; p <= 32; p++) {
        fx = start(33);
        xid = requesting(fx);
        uint32_t mk = 0xffffffffu << (32 - p);
        m_std(5, xid, T_IP, &(struct opts){.mask = mk});
        fixture_rx(fx, f, m_frame());
        uint32_t cfg[3];
        assert_int_equal(mote_dhcp_status(&fx->s, cfg), MOTE_DHCP_BOUND);
        assert_int_equal(cfg[1], mk);
    }
}

static void dhcp_address_not_unicast(void **st)
{
    (void)st;
    static const uint32_t bad[] = {0, 0xffffffffu, MOTE_IPV4(224, 0, 0, 1),
                                   MOTE_IPV4(240, 0, 0, 1),
                                   MOTE_IPV4(127, 0, 0, 1)};
    struct fixture *fx = start(34);
    uint32_t xid = selecting(fx);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m_std(2, xid, bad[i], NULL);
        expect_dropped(fx, m_frame(), MOTE_CNT_DHCP_BAD_LEASE);
    }
    expect_taken(fx, 2, xid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dhcp_discover_format),
        cmocka_unit_test(dhcp_full_exchange),
        cmocka_unit_test(dhcp_address_applied_only_after_ack),
        cmocka_unit_test(dhcp_discover_backoff),
        cmocka_unit_test(dhcp_randomness_from_mac_and_seed),
        cmocka_unit_test(dhcp_request_retried_then_rediscover),
        cmocka_unit_test(dhcp_renew_at_t1),
        cmocka_unit_test(dhcp_rebind_at_t2_and_expiry),
        cmocka_unit_test(dhcp_rebinding_format_and_any_server),
        cmocka_unit_test(dhcp_nak_while_requesting),
        cmocka_unit_test(dhcp_nak_while_renewing),
        cmocka_unit_test(dhcp_nak_ignored_when_not_waiting),
        cmocka_unit_test(dhcp_unexpected_types),
        cmocka_unit_test(dhcp_not_started),
        cmocka_unit_test(dhcp_gateway_and_mask_route),
        cmocka_unit_test(dhcp_no_router_no_mask),
        cmocka_unit_test(dhcp_poll_returns_next_deadline),
        cmocka_unit_test(dhcp_clock_wrap),
#ifdef MOTE_DHCP_FALLBACK
        cmocka_unit_test(dhcp_static_fallback),
#else
        cmocka_unit_test(dhcp_no_fallback_by_default),
#endif
        cmocka_unit_test(dhcp_option_past_packet),
        cmocka_unit_test(dhcp_option_length_zero),
        cmocka_unit_test(dhcp_no_end_option),
        cmocka_unit_test(dhcp_pad_flood),
        cmocka_unit_test(dhcp_overlong_options),
        cmocka_unit_test(dhcp_wrong_xid),
        cmocka_unit_test(dhcp_wrong_chaddr),
        cmocka_unit_test(dhcp_wrong_source_port),
        cmocka_unit_test(dhcp_bad_header),
        cmocka_unit_test(dhcp_every_truncation),
        cmocka_unit_test(dhcp_input_ends_at_buffer_end),
        cmocka_unit_test(dhcp_missing_server_id),
        cmocka_unit_test(dhcp_lease_zero),
        cmocka_unit_test(dhcp_lease_infinite),
        cmocka_unit_test(dhcp_mask_not_contiguous),
        cmocka_unit_test(dhcp_address_not_unicast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
