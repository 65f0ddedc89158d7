/* TCP hardening in simulated time: congestion control and fast retransmit,
 * persist, RFC 5961 challenge ACKs, keyed ISNs and SYN cookies, the SYN
 * flood defense, and the TCP entries of hostile-inputs.md by name
 * (tcp_hostile_*; the rest are in test_tcp.c under the same prefix). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_frames.h"
#include "tcp_priv.h"

#define MSS 1460u

static uint8_t f[MOCK_FRAME_MAX];
static uint8_t big[65536];
static uint32_t pseq, oseq; /* the peer's next seq, and ours */
static struct mote_tcp_source csrc;

static void send_big(struct fixture *fx, uint32_t len)
{
    for (uint32_t i = 0; i < sizeof big; i++)
        big[i] = pattern(i);
    csrc = (struct mote_tcp_source){.data = big, .len = len};
    assert_int_equal(mote_tcp_send(&fx->s, app.conn, &csrc), 0);
    fixture_poll(fx);
}

static void ack(struct fixture *fx, uint32_t a, uint16_t wnd)
{
    peer_send(fx, pseq, a, F_ACK, wnd, NULL, 0);
}

static struct fixture *listening(void)
{
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    assert_int_equal(mote_tcp_listen(&fx->s, &app_listener), 0);
    return fx;
}

/* A SYN from PEER_IP:port; returns our ISN from the SYN-ACK. */
static uint32_t syn(struct fixture *fx, uint16_t port, uint32_t seq,
                    const uint8_t *opt, size_t optlen)
{
    unsigned before = fx->m.tx_count;
    fixture_rx(fx, f, fb_tcp(f, port, APP_PORT, seq, 0, F_SYN, 8192, opt,
                             optlen, NULL, 0));
    assert_int_equal(fx->m.tx_count, before + 1);
    struct seg g = sent_seg(fx, before);
    assert_int_equal(g.flags, F_SYN | F_ACK);
    assert_int_equal(g.ack, seq + 1);
    return g.seq;
}

/* ---- the keyed hash ---------------------------------------------------- */

/* The reference's vectors: key 00..07, message 00..n-1, 4-byte result. */
static void tcp_hsiphash_reference_vectors(void **st)
{
    (void)st;
    static const uint32_t key[2] = {0x03020100u, 0x07060504u};
    static const uint32_t msg[2] = {0x03020100u, 0x07060504u};
    assert_int_equal(mote_hsiphash(key, msg, 0), 0x5b9f35a9u);
    assert_int_equal(mote_hsiphash(key, msg, 1), 0x89466e2au);
    assert_int_equal(mote_hsiphash(key, msg, 2), 0x8f84b8d0u);
}

/* ---- congestion control (RFC 5681) ------------------------------------- */

static void tcp_cwnd_slow_start_then_avoidance(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    struct mote_tcp_conn *c = app.conn;
    assert_int_equal(c->cwnd, MOTE_TCP_INIT_SEGS * MSS);
    send_big(fx, 60000);
    assert_int_equal(fx->m.tx_count, MOTE_TCP_INIT_SEGS);
    /* Slow start: one segment acknowledged, one more MSS of window. */
    mock_clear_sent(&fx->m);
    ack(fx, oseq + MSS, 65535);
    assert_int_equal(c->cwnd, (MOTE_TCP_INIT_SEGS + 1) * MSS);
    assert_int_equal(fx->m.tx_count, 2);
    /* A delayed ACK of two: two more. */
    ack(fx, oseq + 3 * MSS, 65535);
    assert_int_equal(c->cwnd, (MOTE_TCP_INIT_SEGS + 3) * MSS);
    /* A stretch ACK of four: still two (RFC 3465, L = 2 SMSS). */
    ack(fx, oseq + 7 * MSS, 65535);
    assert_int_equal(c->cwnd, (MOTE_TCP_INIT_SEGS + 5) * MSS);
    assert_int_equal(c->snd_max - c->snd_una, c->cwnd); /* all used */
    /* Congestion avoidance: one MSS per window's worth of ACKs. */
    uint32_t w = c->cwnd, a = oseq + 7 * MSS;
    c->ssthresh = (uint16_t)w;
    for (uint32_t k = 1; k * MSS < w; k++) {
        a += MSS;
        ack(fx, a, 65535);
        assert_int_equal(c->cwnd, w);
    }
    a += MSS;
    ack(fx, a, 65535);
    assert_int_equal(c->cwnd, w + MSS);
}

/* Six segments out, the third lost: three duplicate ACKs bring it again at
 * once, the window halves (plus three for the segments that left), each
 * further duplicate lets one new segment out, and the ACK of everything
 * ends the recovery with the window at half. */
static void tcp_fast_retransmit_halves_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    struct mote_tcp_conn *c = app.conn;
    send_big(fx, 60000);
    ack(fx, oseq + 2 * MSS, 65535); /* cwnd 6 MSS, all of it in flight */
    assert_int_equal(c->cwnd, 6 * MSS);
    assert_int_equal(c->snd_max, oseq + 8 * MSS);
    mock_clear_sent(&fx->m);
    ack(fx, oseq + 2 * MSS, 65535);
    ack(fx, oseq + 2 * MSS, 65535);
    assert_int_equal(fx->m.tx_count, 0);
    ack(fx, oseq + 2 * MSS, 65535);
    assert_int_equal(fx->m.tx_count, 1);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.seq, oseq + 2 * MSS);
    assert_int_equal(g.plen, MSS);
    assert_memory_equal(g.payload, big + 2 * MSS, MSS); /* regenerated */
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_FAST_REXMITS), 1);
    assert_int_equal(c->ssthresh, 3 * MSS); /* half of 6 in flight */
    assert_int_equal(c->cwnd, 6 * MSS);
    assert_int_equal(c->snd_nxt, oseq + 8 * MSS); /* nothing else again */
    /* A fourth duplicate: the window inflates, one new segment goes. */
    mock_clear_sent(&fx->m);
    ack(fx, oseq + 2 * MSS, 65535);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 8 * MSS);
    /* Everything up to the recovery point: the window is half of what it
     * was, and sending goes on in congestion avoidance. */
    mock_clear_sent(&fx->m);
    ack(fx, oseq + 8 * MSS, 65535);
    assert_int_equal(c->cwnd, 3 * MSS);
    assert_false(c->flags & TCPF_RECOVERY);
    assert_int_equal(fx->m.tx_count, 2); /* 3 MSS window, 1 in flight */
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_RETRANSMITS), 0);
}

/* NewReno (RFC 6582): an ACK that covers only part of the flight sends the
 * next hole at once, without waiting for three more duplicates. */
static void tcp_fast_retransmit_partial_ack_next_hole(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    struct mote_tcp_conn *c = app.conn;
    send_big(fx, 60000);
    ack(fx, oseq + 2 * MSS, 65535);
    for (int i = 0; i < 3; i++)
        ack(fx, oseq + 2 * MSS, 65535);
    assert_true(c->flags & TCPF_RECOVERY);
    mock_clear_sent(&fx->m);
    ack(fx, oseq + 4 * MSS, 65535); /* segment 5 was lost too */
    assert_true(fx->m.tx_count >= 1);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 4 * MSS);
    assert_true(c->flags & TCPF_RECOVERY);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_FAST_REXMITS), 1);
}

/* The switch the system test compares with: no fast retransmit, the
 * timeout repairs the loss. */
static void tcp_fast_retransmit_can_be_disabled(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    mote_tcp_fast_retransmit(&fx->s, 0);
    send_big(fx, 60000);
    ack(fx, oseq + 2 * MSS, 65535);
    mock_clear_sent(&fx->m);
    for (int i = 0; i < 5; i++)
        ack(fx, oseq + 2 * MSS, 65535);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_FAST_REXMITS), 0);
    fx->now += app.conn->rto;
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 2 * MSS);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_RETRANSMITS), 1);
}

/* A timeout: half the flight becomes the threshold, the window one
 * segment, and slow start rebuilds it from the oldest byte. */
static void tcp_timeout_collapses_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    struct mote_tcp_conn *c = app.conn;
    send_big(fx, 60000);
    ack(fx, oseq + 2 * MSS, 65535); /* 6 MSS in flight */
    mock_clear_sent(&fx->m);
    fx->now += c->rto;
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 2 * MSS);
    assert_int_equal(c->cwnd, MSS);
    assert_int_equal(c->ssthresh, 3 * MSS);
    mock_clear_sent(&fx->m);
    ack(fx, oseq + 3 * MSS, 65535);
    assert_int_equal(c->cwnd, 2 * MSS);
    assert_int_equal(fx->m.tx_count, 2);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 3 * MSS);
}

/* ---- persist ------------------------------------------------------------ */

/* The peer's window stays shut: one-byte probes, backing off like the
 * retransmission timer, then the connection is given up and its slot
 * freed (hostile-inputs: zero window for a long time). */
static void tcp_hostile_zero_window_for_long(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 0, &pseq, &oseq);
    mote_set_timeout(&fx->s, MOTE_TO_ARP_MAX_AGE_MS, 2000000);
    send_big(fx, 3000);
    assert_int_equal(fx->m.tx_count, 0); /* nothing while it is shut */
    uint32_t t = fx->now, rto = MOTE_TCP_RTO_INIT_MS;
    for (int k = 0; k < MOTE_TCP_MAX_RETRIES; k++) {
        fx->now = t + rto - 1;
        fixture_poll(fx);
        assert_int_equal(fx->m.tx_count, 0);
        fx->now = t + rto;
        fixture_poll(fx);
        assert_int_equal(fx->m.tx_count, 1);
        struct seg g = sent_seg(fx, 0);
        assert_int_equal(g.seq, oseq);
        assert_int_equal(g.plen, 1);
        assert_int_equal(g.payload[0], big[0]);
        mock_clear_sent(&fx->m);
        ack(fx, oseq, 0); /* still shut; not a duplicate ACK */
        assert_int_equal(fx->m.tx_count, 0);
        t = fx->now;
        rto = rto * 2 > MOTE_TCP_RTO_MAX_MS ? MOTE_TCP_RTO_MAX_MS : rto * 2;
    }
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_PROBES), MOTE_TCP_MAX_RETRIES);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_FAST_REXMITS), 0);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
    fx->now = t + rto;
    fixture_poll(fx);
    assert_int_equal(app.closed, 1);
    assert_int_equal(app.why, MOTE_TCP_TIMEOUT);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_true(sent_seg(fx, fx->m.tx_count - 1).flags & F_RST);
}

/* A probe answered with an open window: data flows, no loss assumed. */
static void tcp_persist_window_reopens(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 0, &pseq, &oseq);
    send_big(fx, 3000);
    uint32_t cwnd = app.conn->cwnd;
    fx->now += MOTE_TCP_RTO_INIT_MS;
    fixture_poll(fx);
    assert_int_equal(sent_seg(fx, 0).plen, 1);
    mock_clear_sent(&fx->m);
    ack(fx, oseq + 1, 65535); /* the probe's byte taken, window open */
    assert_int_equal(fx->m.tx_count, 3);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 1);
    assert_int_equal(sent_seg(fx, 0).plen, MSS);
    assert_int_equal(sent_seg(fx, 2).plen, 3000 - 1 - 2 * MSS);
    assert_true(app.conn->cwnd >= cwnd);
    assert_int_equal(app.conn->retries, 0);
}

/* ---- RFC 5961 ------------------------------------------------------------ */

static void expect_challenge(struct fixture *fx)
{
    assert_int_equal(fx->m.tx_count, 1);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_ACK);
    assert_int_equal(g.seq, oseq);
    assert_int_equal(g.ack, pseq);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
    assert_int_equal(app.closed, 0);
}

static void tcp_hostile_rst_in_window_not_exact(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq + 100, 0, F_RST, 0, NULL, 0);
    expect_challenge(fx);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_CHALLENGE_ACKS), 1);
    /* The real peer, told our rcv_nxt by the challenge, resets exactly. */
    peer_send(fx, pseq, 0, F_RST, 0, NULL, 0);
    assert_int_equal(app.closed, 1);
    assert_int_equal(app.why, MOTE_TCP_RESET);
}

static void tcp_hostile_rst_out_of_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq + 100000, 0, F_RST, 0, NULL, 0);
    peer_send(fx, pseq - 1, 0, F_RST | F_ACK, 0, NULL, 0);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_OUT_OF_WINDOW), 2);
}

static void tcp_hostile_syn_in_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq + 5, 0, F_SYN, 8192, NULL, 0);
    expect_challenge(fx);
    /* Outside the window, or with ACK: the same answer, never a reset. */
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq + 100000, oseq, F_SYN | F_ACK, 8192, NULL, 0);
    expect_challenge(fx);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_CHALLENGE_ACKS), 2);
    /* The connection still works. */
    peer_send(fx, pseq, oseq, F_ACK, 8192, "ok", 2);
    assert_int_equal(app.rx_len, 2);
}

static void tcp_hostile_ack_for_unsent_data(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq, oseq + 5000, F_ACK, 8192, "data", 4);
    expect_challenge(fx); /* ignored with an ACK: the data too */
    assert_int_equal(app.rx_len, 0);
    assert_int_equal(app.conn->snd_una, oseq);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_ACK_UNSENT), 1);
}

static void tcp_hostile_ack_older_than_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq, oseq - 70000, F_ACK, 8192, "data", 4);
    expect_challenge(fx);
    assert_int_equal(app.rx_len, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_ACK_UNSENT), 1);
    /* Old but within a window: the data is fine. */
    peer_send(fx, pseq, oseq - 100, F_ACK, 8192, "data", 4);
    assert_int_equal(app.rx_len, 4);
}

/* At most TCP_ACK_LIMIT such answers per connection per second, counted
 * per connection: another connection's budget is its own. */
static void tcp_challenge_acks_rate_limited(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    fx->now = (fx->now | 1023) + 1; /* the start of a ~1 s window */
    for (int i = 0; i < TCP_ACK_LIMIT + 20; i++)
        peer_send(fx, pseq + 1 + (uint32_t)i, 0, F_RST, 0, NULL, 0);
    assert_int_equal(fx->m.tx_count, TCP_ACK_LIMIT);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_ACK_LIMITED), 20);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
    /* A second connection still gets its challenge. */
    mock_clear_sent(&fx->m);
    uint32_t iss = syn(fx, PEER_PORT + 1, 5000, NULL, 0);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT + 1, APP_PORT, 5001, iss + 1,
                             F_ACK, 8192, NULL, 0, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT + 1, APP_PORT, 5100, 0, F_RST, 0,
                             NULL, 0, NULL, 0));
    assert_int_equal(fx->m.tx_count, 2);
    assert_int_equal(sent_seg(fx, 1).dport, PEER_PORT + 1);
    /* The next second, the first connection may answer again. */
    mock_clear_sent(&fx->m);
    fx->now += 1024;
    peer_send(fx, pseq + 7, 0, F_RST, 0, NULL, 0);
    assert_int_equal(fx->m.tx_count, 1);
}

/* ---- initial sequence numbers and SYN cookies -------------------------- */

/* A restart: a fresh stack with `key` (NULL: never seeded) at `now`. */
static uint32_t iss_after_restart(const uint8_t *key, uint16_t port,
                                  uint32_t now)
{
    struct fixture *fx = listening();
    if (key)
        mote_tcp_seed(&fx->s, key);
    fx->now = now;
    return syn(fx, port, 1000, NULL, 0);
}

static void tcp_isn_unpredictable_across_restarts(void **st)
{
    (void)st;
    static const uint8_t ka[8] = {1, 2, 3, 4, 5, 6, 7, 8},
                         kb[8] = {1, 2, 3, 4, 5, 6, 7, 9};
    uint32_t t = 200000;
    uint32_t a = iss_after_restart(ka, 40000, t);
    uint32_t b = iss_after_restart(kb, 40000, t);
    uint32_t z = iss_after_restart(NULL, 40000, t);
    /* Same segment, same time: only the key tells them apart. */
    assert_true(a != b && a != z && b != z);
    /* ... and it is the only secret: the same key gives the same ISN. */
    assert_int_equal(iss_after_restart(ka, 40000, t), a);
    /* Thirty-two restarts with thirty-two seeds: thirty-two ISNs, whose
     * bits all vary (no counter, no clock a guesser could follow). */
    uint32_t seen[32], ones = 0, zeros = 0;
    for (unsigned i = 0; i < 32; i++) {
        uint8_t k[8] = {0, 0, 0, 0, 0, 0, 0, (uint8_t)i};
        k[0] = (uint8_t)(i * 37);
        seen[i] = iss_after_restart(k, 40000, t);
        for (unsigned j = 0; j < i; j++)
            assert_true(seen[j] != seen[i]);
        ones |= seen[i];
        zeros |= ~seen[i];
    }
    assert_int_equal(ones & 0xfffffff0u, 0xfffffff0u);
    assert_int_equal(zeros & 0xfffffff0u, 0xfffffff0u);
    /* Within one boot, successive ports do not give successive ISNs. */
    struct fixture *fx = listening();
    mote_tcp_seed(&fx->s, ka);
    uint32_t prev = syn(fx, 1000, 1, NULL, 0), steps = 0;
    for (uint16_t p = 1001; p < 1002 + MOTE_MAX_CONNS; p++) {
        uint32_t x = syn(fx, p, 1, NULL, 0);
        steps += x - prev == 1 || x - prev == 0x10000;
        prev = x;
    }
    assert_int_equal(steps, 0);
}

static const uint8_t key1[8] = {9, 8, 7, 6, 5, 4, 3, 2};
static const uint8_t mss1400[4] = {2, 4, 0x05, 0x78};

/* Two SYNs fill the SYN-RECEIVED budget; a third takes the oldest slot.
 * Returns the evicted connection's ISN (the SYN from port 2000, seq 1000,
 * MSS 1400). */
static uint32_t evicted_syn(struct fixture *fx)
{
    mote_tcp_seed(&fx->s, key1);
    uint32_t iss = syn(fx, 2000, 1000, mss1400, 4);
    fx->now += 10;
    for (uint16_t p = 2001; p < 2001 + TCP_SYN_BUDGET; p++)
        syn(fx, p, 5000, NULL, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_SYN_EVICTED), 1);
    assert_int_equal(mote_tcp_active(&fx->s), TCP_SYN_BUDGET);
    mock_clear_sent(&fx->m);
    return iss;
}

static void tcp_syn_cookie_round_trip(void **st)
{
    (void)st;
    struct fixture *fx = listening();
    uint32_t iss = evicted_syn(fx);
    /* Its slot is gone, but the ACK carries the cookie: the connection
     * comes back, with the MSS the cookie kept (1400 -> 1300) and the
     * timestamps the ACK shows, and the request in the ACK is taken. */
    static const uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0, 42, 0, 0, 0, 7};
    fx->now += 30000;
    fixture_rx(fx, f, fb_tcp(f, 2000, APP_PORT, 1001, iss + 1, F_ACK, 8192,
                             ts, sizeof ts, "GET", 3));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_COOKIE_ACCEPTS), 1);
    assert_int_equal(app.accepted, 1);
    assert_int_equal(app.conn->state, MOTE_TCP_ESTABLISHED);
    assert_int_equal(app.conn->rport, 2000);
    assert_int_equal(app.conn->mss, 1300);
    assert_true(app.conn->flags & TCPF_TS);
    assert_int_equal(app.conn->snd_una, iss + 1);
    assert_int_equal(app.rx_len, 3);
    assert_int_equal(sent_seg(fx, 0).ack, 1004);
    /* One period later a cookie is still good. */
    uint32_t iss2 = syn(fx, 3000, 7000, NULL, 0);
    fx->now += 10;
    for (uint16_t p = 3001; p < 3001 + TCP_SYN_BUDGET; p++)
        syn(fx, p, 7000, NULL, 0); /* the budget is full: 3000 goes */
    fx->now += 65536;
    fixture_rx(fx, f, fb_tcp(f, 3000, APP_PORT, 7001, iss2 + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_COOKIE_ACCEPTS), 2);
    assert_int_equal(app.conn->rport, 3000);
    assert_int_equal(app.conn->mss, TCP_MSS_DEFAULT); /* the SYN had none */
}

static void tcp_syn_cookie_forged_rejected(void **st)
{
    (void)st;
    struct fixture *fx = listening();
    uint32_t iss = evicted_syn(fx);
    const uint32_t forged[] = {
        iss + 1 + 16,         /* another hash */
        (iss ^ 1) + 1,        /* another MSS: authenticated too */
        (iss ^ 0x80000000u) + 1,
        0x12345678u,
    };
    for (unsigned i = 0; i < sizeof forged / sizeof forged[0]; i++)
        fixture_rx(fx, f, fb_tcp(f, 2000, APP_PORT, 1001, forged[i], F_ACK,
                                 8192, NULL, 0, NULL, 0));
    /* The right cookie from another port, or for another peer ISN. */
    fixture_rx(fx, f, fb_tcp(f, 2999, APP_PORT, 1001, iss + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, 2000, APP_PORT, 1002, iss + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    /* Under another key (a restart), or too old. */
    mote_tcp_seed(&fx->s, (const uint8_t *)"restart!");
    fixture_rx(fx, f, fb_tcp(f, 2000, APP_PORT, 1001, iss + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    mote_tcp_seed(&fx->s, key1);
    fx->now += 2 * 65536 + 1000;
    fixture_rx(fx, f, fb_tcp(f, 2000, APP_PORT, 1001, iss + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_COOKIE_ACCEPTS), 0);
    assert_int_equal(app.accepted, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_LISTENER), 8);
    unsigned rsts = 0; /* each answered; the rest: SYN-ACKs repeated */
    for (unsigned i = 0; i < fx->m.tx_count; i++)
        rsts += sent_seg(fx, i).flags == F_RST;
    assert_int_equal(rsts, 8);
}

/* A late duplicate of the handshake's ACK, after the connection closed:
 * with no SYN-RECEIVED slot given away lately, cookies are not looked for,
 * so it does not bring the connection back. */
static void tcp_syn_cookie_not_resurrecting_closed(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    app.close_on_fin = 1;
    peer_send(fx, pseq, oseq, F_FIN | F_ACK, 8192, NULL, 0);
    peer_send(fx, pseq + 1, oseq + 1, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.closed, 1);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    mock_clear_sent(&fx->m);
    peer_send(fx, 101, oseq, F_ACK, 8192, NULL, 0); /* the late duplicate */
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_COOKIE_ACCEPTS), 0);
    assert_int_equal(sent_seg(fx, 0).flags, F_RST);
}

/* hostile-inputs: a SYN flood from many ports. The flood holds at most
 * the SYN-RECEIVED budget; real clients get every other slot at once, and
 * one whose SYN-RECEIVED slot the flood took still gets in by its cookie. */
static void tcp_hostile_syn_flood_many_ports(void **st)
{
    (void)st;
    struct fixture *fx = listening();
    mote_tcp_seed(&fx->s, key1);
    for (uint32_t i = 0; i < 5000; i++)
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(10000 + i), APP_PORT, i, 0,
                                 F_SYN, 8192, NULL, 0, NULL, 0));
    assert_int_equal(mote_tcp_active(&fx->s), TCP_SYN_BUDGET);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_SYN_EVICTED), 5000 - TCP_SYN_BUDGET);
    assert_int_equal(fx->m.tx_count, 5000); /* each got its SYN-ACK */
    mock_clear_sent(&fx->m);
    fx->now += 200; /* the flood's slots are past TCP_SYN_GRACE_MS */
    /* Real clients fill the pool, each at its first SYN. */
    for (uint16_t k = 0; k < MOTE_MAX_CONNS; k++) {
        uint32_t iss = syn(fx, (uint16_t)(100 + k), 77, NULL, 0);
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(100 + k), APP_PORT, 78,
                                 iss + 1, F_ACK, 8192, NULL, 0, NULL, 0));
        assert_int_equal(app.accepted, k + 1);
    }
    /* The flood goes on: established connections are never its prey. */
    mock_clear_sent(&fx->m);
    for (uint32_t i = 0; i < 100; i++)
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(20000 + i), APP_PORT, i, 0,
                                 F_SYN, 8192, NULL, 0, NULL, 0));
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(app.closed, 0);
    /* One closes; a client's SYN-RECEIVED slot is taken by the flood
     * once past the grace, before its ACK, which still brings it in. */
    mote_tcp_abort(&fx->s, app.conn);
    uint32_t iss = syn(fx, 200, 99, NULL, 0);
    for (uint32_t i = 0; i < 100; i++)
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(30000 + i), APP_PORT, i, 0,
                                 F_SYN, 8192, NULL, 0, NULL, 0));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_SLOT), 200); /* in its grace */
    fx->now += 200;
    for (uint32_t i = 0; i < 100; i++)
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(30000 + i), APP_PORT, i, 0,
                                 F_SYN, 8192, NULL, 0, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, 200, APP_PORT, 100, iss + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    assert_int_equal(app.accepted, MOTE_MAX_CONNS + 1);
    assert_int_equal(app.conn->rport, 200);
    assert_int_equal(mote_tcp_active(&fx->s), MOTE_MAX_CONNS);
}

/* A SYN from a neighbour not in the ARP cache: the SYN-ACK cannot leave at
 * once; it goes as soon as the answer is in, not a whole RTO later. */
static void tcp_syn_ack_after_arp_answer(void **st)
{
    (void)st;
    static const uint8_t mac9[6] = {2, 0, 0, 0, 0, 9};
    const uint32_t ip9 = MOTE_IPV4(10, 0, 0, 9);
    struct fixture *fx = listening();
    fixture_rx(fx, f, fb_tcp_from(f, ip9, 4000, APP_PORT, 1, 0, F_SYN, 8192,
                                  NULL, 0, NULL, 0));
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(rd16(mock_sent(&fx->m, 0)->data + 12), 0x0806);
    fixture_rx(fx, f, fb_arp(f, 2, mac9, ip9, T_MAC, T_IP));
    fx->now += TCP_UNRESOLVED_MS;
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 2);
    const uint8_t *e = mock_sent(&fx->m, 1)->data;
    assert_memory_equal(e, mac9, 6);
    assert_int_equal(e[14 + 20 + 13], F_SYN | F_ACK);
}

/* ---- hostile-inputs.md, TCP, one test each ----------------------------- */

/* Segments for a connection in TIME-WAIT: a stray ACK or data is not
 * answered (the record is no connection), a FIN again is acknowledged, a
 * RST ends the record, a new SYN starts a new connection. */
static void tcp_hostile_segments_for_time_wait(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    mote_tcp_close(&fx->s, app.conn);
    fixture_poll(fx);
    peer_send(fx, pseq, oseq + 1, F_FIN | F_ACK, 8192, NULL, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_TIME_WAITS), 1);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq + 1, oseq + 1, F_ACK, 8192, "late", 4);
    peer_send(fx, pseq + 1, oseq + 1, F_ACK, 8192, NULL, 0);
    assert_int_equal(fx->m.tx_count, 0);
    peer_send(fx, pseq, oseq + 1, F_FIN | F_ACK, 8192, NULL, 0);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(sent_seg(fx, 0).ack, pseq + 1);
    peer_send(fx, pseq + 1, 0, F_RST, 0, NULL, 0); /* forgets the record */
    mock_clear_sent(&fx->m);
    uint32_t iss = syn(fx, PEER_PORT, pseq + 1000, NULL, 0);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, pseq + 1001, iss + 1,
                             F_ACK, 8192, NULL, 0, NULL, 0));
    assert_int_equal(app.accepted, 2);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
}

/* A SYN to the listening port with `opt`; it must be dropped as a bad
 * header, with no answer and no slot. */
static void expect_hlen_drop(const uint8_t *opt, size_t optlen, int off)
{
    struct fixture *fx = listening();
    size_t len = fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192, opt,
                        optlen, NULL, 0);
    if (off >= 0) {
        f[34 + 12] = (uint8_t)(off << 4);
        fb_tcp_recsum(f, len);
    }
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_HLEN), 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
}

static void tcp_hostile_data_offset_below_5(void **st)
{
    (void)st;
    for (int off = 0; off < 5; off++)
        expect_hlen_drop(NULL, 0, off);
}

static void tcp_hostile_data_offset_past_segment(void **st)
{
    (void)st;
    expect_hlen_drop(NULL, 0, 6);
    expect_hlen_drop(NULL, 0, 15);
}

static void tcp_hostile_options_past_header(void **st)
{
    (void)st;
    static const uint8_t ts_cut[4] = {1, 1, 8, 10}, mss_cut[4] = {1, 1, 1, 2};
    expect_hlen_drop(ts_cut, 4, -1);
    expect_hlen_drop(mss_cut, 4, -1);
}

static void tcp_hostile_option_length_0_or_1(void **st)
{
    (void)st;
    static const uint8_t len0[4] = {3, 0, 1, 1}, len1[4] = {3, 1, 1, 1},
                         unknown0[8] = {1, 1, 1, 99, 0, 0, 0, 0};
    expect_hlen_drop(len0, 4, -1);
    expect_hlen_drop(len1, 4, -1);
    expect_hlen_drop(unknown0, 8, -1);
}

static void tcp_hostile_mss_option_length_not_4(void **st)
{
    (void)st;
    static const uint8_t mss3[4] = {2, 3, 5, 1}, mss6[8] = {2, 6, 5, 0xb4,
                                                           0, 0, 1, 1};
    expect_hlen_drop(mss3, 4, -1);
    expect_hlen_drop(mss6, 8, -1);
}

static void tcp_hostile_mss_zero_or_tiny_clamped(void **st)
{
    (void)st;
    static const uint16_t given[] = {0, 1, 40, 63, 64, 100};
    for (unsigned i = 0; i < sizeof given / sizeof given[0]; i++) {
        uint8_t opt[4] = {2, 4, (uint8_t)(given[i] >> 8), (uint8_t)given[i]};
        struct fixture *fx = listening();
        uint32_t iss = syn(fx, PEER_PORT, 1, opt, 4);
        fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 2, iss + 1, F_ACK,
                                 65535, NULL, 0, NULL, 0));
        unsigned want = given[i] < TCP_MSS_MIN ? TCP_MSS_MIN : given[i];
        assert_int_equal(app.conn->mss, want);
        mock_clear_sent(&fx->m);
        send_big(fx, 1000);
        assert_int_equal(sent_seg(fx, 0).plen, want);
    }
}

/* `flags` to a listening port and to an established connection: dropped
 * as bad flags, nothing answered, the connection untouched. */
static void expect_bad_flags(uint8_t flags)
{
    struct fixture *fx = listening();
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT + 1, APP_PORT, 1, 0, flags, 8192,
                             NULL, 0, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT + 1, 81, 1, 0, flags, 8192, NULL,
                             0, NULL, 0));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_BAD_FLAGS), 2);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq, oseq, flags, 8192, "x", 1);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_BAD_FLAGS), 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(app.rx_len, 0);
    assert_int_equal(app.conn->state, MOTE_TCP_ESTABLISHED);
}

static void tcp_hostile_syn_fin(void **st)
{
    (void)st;
    expect_bad_flags(F_SYN | F_FIN);
    expect_bad_flags(F_SYN | F_FIN | F_ACK);
}

static void tcp_hostile_syn_rst(void **st)
{
    (void)st;
    expect_bad_flags(F_SYN | F_RST);
    expect_bad_flags(F_SYN | F_RST | F_ACK);
}

static void tcp_hostile_fin_without_ack(void **st)
{
    (void)st;
    expect_bad_flags(F_FIN);
    expect_bad_flags(F_FIN | F_PSH);
}

static void tcp_hostile_no_flags(void **st)
{
    (void)st;
    expect_bad_flags(0);
    expect_bad_flags(F_PSH | F_URG);
}

static void tcp_hostile_all_flags(void **st)
{
    (void)st;
    expect_bad_flags(0x3f);
    expect_bad_flags(0xff);
}

static void tcp_hostile_urgent_pointer_beyond_data(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    static const uint16_t urp[] = {0xffff, 4, 3, 0};
    uint32_t at = pseq;
    for (unsigned i = 0; i < sizeof urp / sizeof urp[0]; i++) {
        size_t len = fb_tcp(f, PEER_PORT, APP_PORT, at, oseq, F_ACK | F_URG,
                            8192, NULL, 0, "abc", 3);
        f[34 + 18] = (uint8_t)(urp[i] >> 8);
        f[34 + 19] = (uint8_t)urp[i];
        fb_tcp_recsum(f, len);
        fixture_rx(fx, f, len);
        at += 3;
    }
    /* Urgent data is ordinary data: all of it, in order, nothing more. */
    assert_int_equal(app.rx_len, 12);
    assert_memory_equal(app.rx, "abcabcabcabc", 12);
}

/* Twenty thousand random segments (flags, numbers near the connection's,
 * options, lengths) while data flows both ways: no over-read (ASan), no
 * hang, connections keep coming back, and once the application has closed
 * what is left and time runs on, every slot is free again. */
static void tcp_random_segments_survive(void **st)
{
    (void)st;
    struct fixture *fx = listening();
    mote_set_timeout(&fx->s, MOTE_TO_ARP_MAX_AGE_MS, 2000000);
    uint32_t x = 12345;
    uint16_t port = 1000;
    uint8_t opt[40], pay[600];
    struct mote_tcp_conn *c = NULL;
    size_t got = 0;
    app.close_on_fin = 1;
    for (int i = 0; i < 20000; i++) {
        if (c && c->state != MOTE_TCP_ESTABLISHED && (i & 127) == 0)
            mote_tcp_abort(&fx->s, c); /* closing: go on with a new one */
        if (!c || c->state == MOTE_TCP_FREE || c->rport != port) {
            port++;
            uint32_t iss = syn(fx, port, 5000, NULL, 0);
            fixture_rx(fx, f, fb_tcp(f, port, APP_PORT, 5001, iss + 1, F_ACK,
                                     65535, NULL, 0, NULL, 0));
            c = app.conn;
            if (!c || c->rport != port)
                continue; /* the pool is full: time will empty it */
            send_big(fx, 60000);
            mock_clear_sent(&fx->m);
        }
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t seq = c->rcv_nxt + (x >> 8 & 0x3ff) - 0x200;
        uint32_t a = c->snd_una + (x >> 4 & 0x7ff) - 0x200;
        size_t optlen = (x >> 20 & 7) == 0 ? (x >> 24 & 9) * 4 : 0;
        for (size_t k = 0; k < optlen; k++)
            opt[k] = (uint8_t)(x >> (k & 15));
        size_t plen = (x >> 12 & 1) ? (x >> 2 & 511) : 0;
        memset(pay, 'r', plen);
        uint8_t flags = (uint8_t)((x & 0x3f) == 0x10 ? x >> 16 & 0x3f : F_ACK);
        if ((x >> 29) == 0)
            flags |= (uint8_t)(x >> 22 & 0x3f);
        fixture_rx(fx, f, fb_tcp(f, port, APP_PORT, seq, a, flags,
                                 (uint16_t)(x >> 9), opt, optlen, pay, plen));
        if ((i & 63) == 0) {
            fx->now += 50;
            fixture_poll(fx);
        }
        mock_clear_sent(&fx->m);
        got += app.rx_len;
        app.rx_len = 0;
    }
    assert_true(got > 20000); /* the fuzz reached the data path */
    assert_true(app.accepted >= 4);
    /* What is still open is closed, as the application's idle timeout
     * would; the peer goes silent. */
    for (unsigned k = 0; k < MOTE_MAX_CONNS; k++)
        if (fx->s.tcp.conns[k].state != MOTE_TCP_FREE)
            mote_tcp_close(&fx->s, &fx->s.tcp.conns[k]);
    for (int k = 0; k < 40; k++) {
        fx->now += MOTE_TCP_RTO_MAX_MS;
        fixture_poll(fx);
        mock_clear_sent(&fx->m);
    }
    assert_int_equal(mote_tcp_active(&fx->s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tcp_hsiphash_reference_vectors),
        cmocka_unit_test(tcp_cwnd_slow_start_then_avoidance),
        cmocka_unit_test(tcp_fast_retransmit_halves_window),
        cmocka_unit_test(tcp_fast_retransmit_partial_ack_next_hole),
        cmocka_unit_test(tcp_fast_retransmit_can_be_disabled),
        cmocka_unit_test(tcp_timeout_collapses_window),
        cmocka_unit_test(tcp_hostile_zero_window_for_long),
        cmocka_unit_test(tcp_persist_window_reopens),
        cmocka_unit_test(tcp_hostile_rst_in_window_not_exact),
        cmocka_unit_test(tcp_hostile_rst_out_of_window),
        cmocka_unit_test(tcp_hostile_syn_in_window),
        cmocka_unit_test(tcp_hostile_ack_for_unsent_data),
        cmocka_unit_test(tcp_hostile_ack_older_than_window),
        cmocka_unit_test(tcp_challenge_acks_rate_limited),
        cmocka_unit_test(tcp_isn_unpredictable_across_restarts),
        cmocka_unit_test(tcp_syn_cookie_round_trip),
        cmocka_unit_test(tcp_syn_cookie_forged_rejected),
        cmocka_unit_test(tcp_syn_cookie_not_resurrecting_closed),
        cmocka_unit_test(tcp_hostile_syn_flood_many_ports),
        cmocka_unit_test(tcp_syn_ack_after_arp_answer),
        cmocka_unit_test(tcp_hostile_segments_for_time_wait),
        cmocka_unit_test(tcp_hostile_data_offset_below_5),
        cmocka_unit_test(tcp_hostile_data_offset_past_segment),
        cmocka_unit_test(tcp_hostile_options_past_header),
        cmocka_unit_test(tcp_hostile_option_length_0_or_1),
        cmocka_unit_test(tcp_hostile_mss_option_length_not_4),
        cmocka_unit_test(tcp_hostile_mss_zero_or_tiny_clamped),
        cmocka_unit_test(tcp_hostile_syn_fin),
        cmocka_unit_test(tcp_hostile_syn_rst),
        cmocka_unit_test(tcp_hostile_fin_without_ack),
        cmocka_unit_test(tcp_hostile_no_flags),
        cmocka_unit_test(tcp_hostile_all_flags),
        cmocka_unit_test(tcp_hostile_urgent_pointer_beyond_data),
        cmocka_unit_test(tcp_random_segments_survive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
