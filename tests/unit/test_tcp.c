/* TCP in simulated time: handshake, data both ways, sources, several
 * segments in flight, retransmission, every close path, hostile segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_frames.h"

static uint8_t f[MOCK_FRAME_MAX];
static uint8_t big[65536];
static uint32_t pseq, oseq; /* the peer's next seq, and ours */

static void fill_big(void)
{
    for (uint32_t i = 0; i < sizeof big; i++)
        big[i] = pattern(i);
}

static size_t gen_fill(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    uint32_t end = *(uint32_t *)ctx;
    size_t n = 0;
    while (n < cap && off + n < end) {
        buf[n] = pattern(off + (uint32_t)n);
        n++;
    }
    return n;
}

/* Sends `len` bytes of the constant source from the connection. */
static struct mote_tcp_source csrc;
static void send_const(struct fixture *fx, uint32_t len)
{
    fill_big();
    csrc = (struct mote_tcp_source){.data = big, .len = len};
    assert_int_equal(mote_tcp_send(&fx->s, app.conn, &csrc), 0);
    fixture_poll(fx);
}

static void tcp_handshake(void **st)
{
    (void)st;
    static const uint8_t mss[4] = {2, 4, 0x02, 0x18}; /* 536 */
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1000, 0, F_SYN, 8192,
                             mss, 4, NULL, 0));
    assert_int_equal(fx->m.tx_count, 1);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_SYN | F_ACK);
    assert_int_equal(g.ack, 1001);
    assert_int_equal(g.sport, APP_PORT);
    assert_int_equal(g.dport, PEER_PORT);
    assert_int_equal(g.mss, MOTE_BUF_SIZE - 54);
    assert_int_equal(g.wnd, MOTE_TCP_RCV_WND);
    assert_int_equal(app.accepted, 0);
    mock_clear_sent(&fx->m);
    peer_send(fx, 1001, g.seq + 1, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.accepted, 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_ACCEPTS), 1);
    assert_int_equal(app.conn->state, MOTE_TCP_ESTABLISHED);
    assert_int_equal(app.conn->mss, 536);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
}

static void tcp_syn_ack_lost_syn_repeated(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 7, 0, F_SYN, 8192, NULL,
                             0, NULL, 0));
    struct seg a = sent_seg(fx, 0);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 7, 0, F_SYN, 8192, NULL,
                             0, NULL, 0));
    assert_int_equal(fx->m.tx_count, 2);
    struct seg b = sent_seg(fx, 1);
    assert_int_equal(b.flags, F_SYN | F_ACK);
    assert_int_equal(b.seq, a.seq);
    assert_int_equal(b.mss, MOTE_BUF_SIZE - 54);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
}

static void tcp_syn_to_closed_port(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, 81, 5000, 0, F_SYN, 8192, NULL, 0,
                             NULL, 0));
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_RST | F_ACK);
    assert_int_equal(g.ack, 5001);
    assert_int_equal(g.seq, 0);
    /* A stray ACK: RST with its acknowledgment number as sequence. */
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, 81, 5000, 0xabcdef01, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_RST);
    assert_int_equal(g.seq, 0xabcdef01);
    /* A RST is never answered. */
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, 81, 5000, 0, F_RST, 0, NULL, 0,
                             NULL, 0));
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_LISTENER), 2);
}

static void tcp_hostile_syn_to_closed_port_rate_limited(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fx->now = 101 * 1024; /* the start of a rate-limit window (1024 ms) */
    for (int i = 0; i < MOTE_TCP_RST_PER_S + 10; i++)
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(1000 + i), 81, 1, 0, F_SYN,
                                 8192, NULL, 0, NULL, 0));
    assert_int_equal(fx->m.tx_count, MOTE_TCP_RST_PER_S);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_RST_LIMITED), 10);
    fx->now += 1024;
    fixture_rx(fx, f, fb_tcp(f, 999, 81, 1, 0, F_SYN, 8192, NULL, 0, NULL, 0));
    assert_int_equal(fx->m.tx_count, MOTE_TCP_RST_PER_S + 1);
}

static void tcp_data_in_acked(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq, oseq, F_ACK | F_PSH, 8192, "hello", 5);
    assert_int_equal(app.rx_len, 5);
    assert_memory_equal(app.rx, "hello", 5);
    assert_int_equal(fx->m.tx_count, 1);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_ACK);
    assert_int_equal(g.ack, pseq + 5);
    assert_int_equal(g.seq, oseq);
    assert_int_equal(g.plen, 0);
}

static void tcp_reply_piggybacks_ack(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    static const char body[] = "HTTP/1.1 200 OK\r\n\r\n";
    app.reply = (struct mote_tcp_source){.data = (const uint8_t *)body};
    app.reply_len = sizeof body - 1;
    peer_send(fx, pseq, oseq, F_ACK | F_PSH, 8192, "GET", 3);
    assert_int_equal(fx->m.tx_count, 1); /* no separate ACK */
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_ACK | F_PSH);
    assert_int_equal(g.ack, pseq + 3);
    assert_int_equal(g.plen, sizeof body - 1);
    assert_memory_equal(g.payload, body, sizeof body - 1);
    /* Sent from where it lies: the driver got a pointer into the source. */
    assert_ptr_equal(g.tail, (const uint8_t *)body);
    /* Acknowledged: the source goes back to the application. */
    peer_send(fx, pseq + 3, oseq + (uint32_t)g.plen, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.acked, 1);
    assert_ptr_equal(app.last_acked, &app.reply);
}

static void tcp_several_segments_in_one_poll(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    send_const(fx, 20000);
    /* A stack with one segment in flight sends one here. */
    assert_int_equal(fx->m.tx_count, MOTE_TCP_INIT_SEGS);
    for (unsigned i = 0; i < MOTE_TCP_INIT_SEGS; i++) {
        struct seg g = sent_seg(fx, i);
        assert_int_equal(g.seq, oseq + i * 1460u);
        assert_int_equal(g.plen, 1460);
        assert_ptr_equal(g.tail, big + i * 1460u);
        assert_memory_equal(g.payload, big + i * 1460u, 1460);
    }
    /* Two acknowledged: two more go out at once, and slow start opens
     * the window by two more (RFC 3465, L = 2 MSS). */
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq + 2 * 1460, F_ACK, 65535, NULL, 0);
    assert_int_equal(fx->m.tx_count, 4);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(sent_seg(fx, i).seq, oseq + (4 + i) * 1460u);
}

static void tcp_peer_window_limits(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 3000, &pseq, &oseq);
    send_const(fx, 20000);
    assert_int_equal(fx->m.tx_count, 3); /* 1460 + 1460 + 80 */
    assert_int_equal(sent_seg(fx, 2).plen, 80);
}

static void tcp_generator_until_end_then_fin(void **st)
{
    (void)st;
    static uint32_t end = 3000;
    static struct mote_tcp_source gsrc;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    gsrc = (struct mote_tcp_source){.fill = gen_fill, .ctx = &end,
                                    .len = MOTE_TCP_LEN_UNTIL_END};
    assert_int_equal(mote_tcp_send(&fx->s, app.conn, &gsrc), 0);
    mote_tcp_close(&fx->s, app.conn);
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 4);
    assert_int_equal(sent_seg(fx, 0).plen, 1460);
    assert_int_equal(sent_seg(fx, 1).plen, 1460);
    struct seg last = sent_seg(fx, 2);
    assert_int_equal(last.plen, 80);
    assert_true(last.flags & F_PSH);
    for (uint32_t i = 0; i < 80; i++)
        assert_int_equal(last.payload[i], pattern(2920 + i));
    assert_int_equal(gsrc.len, 3000);
    struct seg fin = sent_seg(fx, 3);
    assert_int_equal(fin.flags, F_FIN | F_ACK);
    assert_int_equal(fin.seq, oseq + 3000);
    assert_int_equal(app.conn->state, MOTE_TCP_FIN_WAIT_1);
}

static void tcp_retransmission_backoff_and_regeneration(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    send_const(fx, 4000);
    assert_int_equal(fx->m.tx_count, 3);
    uint32_t t0 = fx->now;
    uint32_t rto = MOTE_TCP_RTO_INIT_MS;
    for (int k = 0; k < 4; k++) {
        mock_clear_sent(&fx->m);
        fx->now = t0 + rto - 1;
        fixture_poll(fx);
        assert_int_equal(fx->m.tx_count, 0); /* not yet */
        fx->now = t0 + rto;
        fixture_poll(fx);
        /* One segment, rebuilt from the source, from the oldest byte. */
        assert_int_equal(fx->m.tx_count, 1);
        struct seg g = sent_seg(fx, 0);
        assert_int_equal(g.seq, oseq);
        assert_int_equal(g.plen, 1460);
        assert_memory_equal(g.payload, big, 1460);
        t0 = fx->now;
        rto *= 2;
    }
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_RETRANSMITS), 4);
    /* The ACK resumes normal sending of the rest. */
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq + 1460, F_ACK, 65535, NULL, 0);
    assert_int_equal(fx->m.tx_count, 2);
    assert_int_equal(sent_seg(fx, 0).seq, oseq + 1460);
}

static void tcp_rtt_estimate_and_karn(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    send_const(fx, 1000);
    /* Lost once: the ACK of the retransmission gives no sample (Karn). */
    fx->now += MOTE_TCP_RTO_INIT_MS;
    fixture_poll(fx);
    fx->now += 30;
    peer_send(fx, pseq, oseq + 1000, F_ACK, 65535, NULL, 0);
    assert_int_equal(app.conn->srtt, 0);
    assert_int_equal(app.conn->rto, 2 * MOTE_TCP_RTO_INIT_MS);
    /* A clean exchange: 40 ms measured. */
    app.conn->src[0] = NULL;
    static struct mote_tcp_source two;
    two = (struct mote_tcp_source){.data = big, .len = 100};
    mote_tcp_send(&fx->s, app.conn, &two);
    fixture_poll(fx);
    fx->now += 40;
    peer_send(fx, pseq, oseq + 1100, F_ACK, 65535, NULL, 0);
    assert_int_equal(app.conn->srtt, 40);
    assert_int_equal(app.conn->rttvar, 20);
    /* srtt + 4 * rttvar = 120 ms, raised to the lower bound. */
    assert_int_equal(app.conn->rto, MOTE_TCP_RTO_MIN_MS);
}

/* A peer that advertises a window and never acknowledges: the
 * retransmissions back off, then the connection is given up. */
static void tcp_hostile_window_never_acked(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 65535, &pseq, &oseq);
    /* Minutes pass: keep the peer's ARP entry so the last RST goes out. */
    mote_set_timeout(&fx->s, MOTE_TO_ARP_MAX_AGE_MS, 2000000);
    send_const(fx, 100);
    for (int i = 0; i <= MOTE_TCP_MAX_RETRIES; i++) {
        fx->now += MOTE_TCP_RTO_MAX_MS;
        fixture_poll(fx);
    }
    assert_int_equal(app.closed, 1);
    assert_int_equal(app.why, MOTE_TCP_TIMEOUT);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_GIVE_UPS), 1);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    struct seg g = sent_seg(fx, fx->m.tx_count - 1);
    assert_true(g.flags & F_RST);
}

static void tcp_syn_received_times_out(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 7, 0, F_SYN, 8192, NULL,
                             0, NULL, 0));
    for (int i = 0; i <= MOTE_TCP_SYN_RETRIES; i++) {
        fx->now += MOTE_TCP_RTO_MAX_MS;
        fixture_poll(fx);
    }
    assert_int_equal(fx->m.tx_count, 1 + MOTE_TCP_SYN_RETRIES);
    assert_int_equal(sent_seg(fx, MOTE_TCP_SYN_RETRIES).flags, F_SYN | F_ACK);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(app.closed, 0); /* never announced, never closed */
}

static void tcp_out_of_order_gets_duplicate_ack(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq + 10, oseq, F_ACK, 8192, "later", 5);
    assert_int_equal(app.rx_len, 0);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(sent_seg(fx, 0).ack, pseq);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_OUT_OF_ORDER), 1);
    /* A retransmitted overlap: only the new bytes are delivered. */
    peer_send(fx, pseq, oseq, F_ACK, 8192, "0123456789", 10);
    peer_send(fx, pseq + 5, oseq, F_ACK, 8192, "56789ABCDE", 10);
    assert_int_equal(app.rx_len, 15);
    assert_memory_equal(app.rx, "0123456789ABCDE", 15);
}

static void tcp_zero_window_from_application(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    app.take_limit = 3;
    peer_send(fx, pseq, oseq, F_ACK, 8192, "abcdefghij", 10);
    assert_int_equal(app.rx_len, 3);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.ack, pseq + 3);
    assert_int_equal(g.wnd, 0);
    /* The peer probes the closed window: nothing taken, still 0. */
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq + 3, oseq, F_ACK, 8192, "d", 1);
    assert_int_equal(app.rx_len, 3);
    assert_int_equal(sent_seg(fx, 0).wnd, 0);
    /* The application resumes: a window update, then the data flows. */
    app.take_limit = 0;
    mock_clear_sent(&fx->m);
    mote_tcp_resume(&fx->s, app.conn);
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 1);
    g = sent_seg(fx, 0);
    assert_int_equal(g.wnd, MOTE_TCP_RCV_WND);
    assert_int_equal(g.ack, pseq + 3);
    peer_send(fx, pseq + 3, oseq, F_ACK, 8192, "defghij", 7);
    assert_int_equal(app.rx_len, 10);
    assert_memory_equal(app.rx, "abcdefghij", 10);
}

/* The listener's window hook bounds the advertised window; data past it is
 * trimmed; when it grows, mote_tcp_resume() sends the update at once. */
static void tcp_window_hook(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    app.window = 4;
    peer_send(fx, pseq, oseq, F_ACK, 8192, "ab", 2);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.ack, pseq + 2);
    assert_int_equal(g.wnd, 4);
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq + 2, oseq, F_ACK, 8192, "cdefgh", 6);
    assert_int_equal(app.rx_len, 6); /* "gh" lay beyond the window */
    assert_memory_equal(app.rx, "abcdef", 6);
    app.window = 0;
    mock_clear_sent(&fx->m);
    mote_tcp_resume(&fx->s, app.conn);
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 1);
    g = sent_seg(fx, 0);
    assert_int_equal(g.ack, pseq + 6);
    assert_int_equal(g.wnd, MOTE_TCP_RCV_WND);
}

static void tcp_hostile_sequence_wrap(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(0xfffffff0u, 65535, &pseq, &oseq);
    uint8_t data[100];
    for (int i = 0; i < 100; i++)
        data[i] = (uint8_t)i;
    peer_send(fx, pseq, oseq, F_ACK, 65535, data, 100); /* crosses 2^32 */
    peer_send(fx, pseq + 100, oseq, F_ACK, 65535, data, 50);
    assert_int_equal(app.rx_len, 150);
    assert_int_equal(sent_seg(fx, 1).ack, pseq + 150);
    assert_true(pseq + 150 < 0x100); /* wrapped */
    /* Our side across the wrap too. */
    app.conn->snd_una = app.conn->snd_nxt = app.conn->snd_max =
        app.conn->src_seq = 0xfffffc00u;
    send_const(fx, 3000);
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq + 150, 0xfffffc00u + 2920, F_ACK, 65535, NULL, 0);
    assert_int_equal(app.conn->snd_una, 0xfffffc00u + 2920);
    assert_int_equal(fx->m.tx_count, 0); /* all 3000 were in flight */
    peer_send(fx, pseq + 150, 0xfffffc00u + 3000, F_ACK, 65535, NULL, 0);
    assert_int_equal(app.acked, 1);
}

static void tcp_close_by_server_time_wait(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    static const char body[] = "bye";
    app.reply = (struct mote_tcp_source){.data = (const uint8_t *)body};
    app.reply_len = 3;
    app.close_after_reply = 1;
    peer_send(fx, pseq, oseq, F_ACK, 8192, "x", 1);
    assert_int_equal(fx->m.tx_count, 2); /* data, then FIN */
    struct seg fin = sent_seg(fx, 1);
    assert_int_equal(fin.flags, F_FIN | F_ACK);
    assert_int_equal(fin.seq, oseq + 3);
    pseq += 1;
    peer_send(fx, pseq, oseq + 4, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.conn->state, MOTE_TCP_FIN_WAIT_2);
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq + 4, F_FIN | F_ACK, 8192, NULL, 0);
    assert_int_equal(fx->m.tx_count, 1);
    struct seg last = sent_seg(fx, 0);
    assert_int_equal(last.flags, F_ACK);
    assert_int_equal(last.ack, pseq + 1);
    assert_int_equal(last.seq, oseq + 4);
    assert_int_equal(app.closed, 1);
    assert_int_equal(app.why, MOTE_TCP_CLOSED);
    assert_int_equal(mote_tcp_active(&fx->s), 0); /* the slot is free */
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_TIME_WAITS), 1);
    /* The FIN again (our ACK was lost): TIME-WAIT answers it. */
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq + 4, F_FIN | F_ACK, 8192, NULL, 0);
    assert_int_equal(fx->m.tx_count, 1);
    last = sent_seg(fx, 0);
    assert_int_equal(last.flags, F_ACK);
    assert_int_equal(last.ack, pseq + 1);
    assert_int_equal(last.seq, oseq + 4);
    /* After 2*MSL, the same segment meets no one: RST. */
    fx->now += MOTE_TCP_TIME_WAIT_MS + 100;
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq + 4, F_FIN | F_ACK, 8192, NULL, 0);
    assert_int_equal(sent_seg(fx, 0).flags, F_RST);
}

static void tcp_close_by_peer(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    app.close_on_fin = 1;
    peer_send(fx, pseq, oseq, F_FIN | F_ACK, 8192, "q", 1);
    assert_int_equal(app.fin, 1);
    assert_int_equal(app.rx_len, 1);
    assert_int_equal(fx->m.tx_count, 1); /* ACK and FIN in one */
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_FIN | F_ACK);
    assert_int_equal(g.ack, pseq + 2);
    assert_int_equal(app.conn->state, MOTE_TCP_LAST_ACK);
    peer_send(fx, pseq + 2, oseq + 1, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.closed, 1);
    assert_int_equal(app.why, MOTE_TCP_CLOSED);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_TIME_WAITS), 0);
}

static void tcp_simultaneous_close(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    mote_tcp_close(&fx->s, app.conn);
    fixture_poll(fx);
    assert_int_equal(sent_seg(fx, 0).flags, F_FIN | F_ACK);
    /* The peer's FIN crosses ours: it does not acknowledge it yet. */
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq, F_FIN | F_ACK, 8192, NULL, 0);
    assert_int_equal(app.conn->state, MOTE_TCP_CLOSING);
    assert_int_equal(sent_seg(fx, 0).ack, pseq + 1);
    peer_send(fx, pseq + 1, oseq + 1, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.closed, 1);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_TIME_WAITS), 1);
}

static void tcp_reset_by_peer(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq, 0, F_RST, 0, NULL, 0);
    assert_int_equal(app.closed, 1);
    assert_int_equal(app.why, MOTE_TCP_RESET);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(fx->m.tx_count, 0);
}

static void tcp_abort_sends_rst(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    mote_tcp_abort(&fx->s, app.conn);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_RST | F_ACK);
    assert_int_equal(g.seq, oseq);
    assert_int_equal(app.why, MOTE_TCP_ABORTED);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
}

static void tcp_fin_wait_2_times_out(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    mote_tcp_close(&fx->s, app.conn);
    fixture_poll(fx);
    peer_send(fx, pseq, oseq + 1, F_ACK, 8192, NULL, 0);
    assert_int_equal(app.conn->state, MOTE_TCP_FIN_WAIT_2);
    fx->now += MOTE_TCP_FIN_WAIT2_MS - 1;
    fixture_poll(fx);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
    fx->now += 2;
    fixture_poll(fx);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(app.why, MOTE_TCP_TIMEOUT);
}

static void tcp_data_after_close_is_acked_not_reset(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    mote_tcp_close(&fx->s, app.conn);
    fixture_poll(fx);
    mock_clear_sent(&fx->m);
    peer_send(fx, pseq, oseq + 1, F_ACK, 8192, "more", 4);
    assert_int_equal(app.rx_len, 0);
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_ACK);
    assert_int_equal(g.ack, pseq + 4);
}

static void tcp_time_wait_table_recycled(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    for (uint16_t i = 0; i < MOTE_TCP_TIME_WAIT + 3; i++) {
        uint16_t port = (uint16_t)(2000 + i);
        fixture_rx(fx, f, fb_tcp(f, port, APP_PORT, 1, 0, F_SYN, 8192, NULL,
                                 0, NULL, 0));
        uint32_t iss = sent_seg(fx, fx->m.tx_count - 1).seq;
        fixture_rx(fx, f, fb_tcp(f, port, APP_PORT, 2, iss + 1, F_ACK, 8192,
                                 NULL, 0, NULL, 0));
        mote_tcp_close(&fx->s, app.conn);
        fixture_poll(fx);
        fixture_rx(fx, f, fb_tcp(f, port, APP_PORT, 2, iss + 2,
                                 F_FIN | F_ACK, 8192, NULL, 0, NULL, 0));
        assert_int_equal(mote_tcp_active(&fx->s), 0);
        fx->now += 10;
        mock_clear_sent(&fx->m);
    }
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_TIME_WAITS), MOTE_TCP_TIME_WAIT + 3);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_TW_RECYCLED), 3);
}

static void tcp_ack_for_unsent_data(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq, oseq + 5000, F_ACK, 8192, NULL, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_ACK_UNSENT), 1);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(sent_seg(fx, 0).seq, oseq);
    assert_int_equal(app.conn->snd_una, oseq);
}

static void tcp_segment_outside_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    peer_send(fx, pseq + 100000, oseq, F_ACK, 8192, "far", 3);
    peer_send(fx, pseq - 100, oseq, F_ACK, 8192, "old", 3);
    assert_int_equal(app.rx_len, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_OUT_OF_WINDOW), 2);
    assert_int_equal(fx->m.tx_count, 2);
    assert_int_equal(sent_seg(fx, 1).ack, pseq);
    /* A RST outside the window is ignored and not answered. */
    peer_send(fx, pseq + 100000, 0, F_RST, 0, NULL, 0);
    assert_int_equal(fx->m.tx_count, 2);
    assert_int_equal(mote_tcp_active(&fx->s), 1);
}

/* Beyond our window: trimmed to it. Beyond our MSS cannot happen: such a
 * frame is longer than the packet buffer and the driver drops it. */
static void tcp_hostile_payload_beyond_window(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    static uint8_t lots[1400];
    memset(lots, 'z', sizeof lots);
    app.take_limit = 100; /* the window closes behind these 100 bytes */
    peer_send(fx, pseq, oseq, F_ACK, 8192, lots, sizeof lots);
    assert_int_equal(app.rx_len, 100);
    /* The peer ignores the zero window: nothing beyond it is delivered. */
    app.take_limit = 0;
    peer_send(fx, pseq + 100, oseq, F_ACK, 8192, lots, sizeof lots);
    assert_int_equal(app.rx_len, 100);
    struct seg g = sent_seg(fx, fx->m.tx_count - 1);
    assert_int_equal(g.ack, pseq + 100);
    assert_int_equal(g.wnd, 0);
}

static void tcp_hostile_headers(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    size_t len = fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192, NULL, 0,
                        NULL, 0);
    uint8_t *t = f + 34;
    t[12] = 0x40; /* data offset 4 */
    fixture_rx(fx, f, len);
    t[12] = 0xf0; /* 60 bytes, past the segment */
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_HLEN), 2);
    len = fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192, NULL, 0, NULL, 0);
    f[len - 1] ^= 1; /* checksum */
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_CHECKSUM), 1);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN | F_FIN,
                             8192, NULL, 0, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN | F_RST,
                             8192, NULL, 0, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, 0xff, 8192, NULL,
                             0, NULL, 0));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_BAD_FLAGS), 3);
    uint8_t tiny[12] = {0};
    fixture_rx(fx, f, fb_ipv4(f, PEER_IP, T_IP, 6, tiny, sizeof tiny));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_SHORT), 1);
    static const uint8_t opt0[4] = {3, 0, 1, 1}, opt1[4] = {3, 1, 1, 1},
                         optpast[4] = {1, 1, 8, 10};
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192, opt0,
                             4, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192, opt1,
                             4, NULL, 0));
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192,
                             optpast, 4, NULL, 0));
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_HLEN), 5);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
}

static void tcp_tiny_mss_clamped(void **st)
{
    (void)st;
    static const uint8_t mss0[4] = {2, 4, 0, 0};
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 65535, mss0,
                             4, NULL, 0));
    uint32_t iss = sent_seg(fx, 0).seq;
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 2, iss + 1, F_ACK, 65535,
                             NULL, 0, NULL, 0));
    assert_int_equal(app.conn->mss, 64);
    mock_clear_sent(&fx->m);
    send_const(fx, 1000);
    assert_int_equal(fx->m.tx_count, MOTE_TCP_INIT_SEGS);
    assert_int_equal(sent_seg(fx, 0).plen, 64);
}

static void tcp_urgent_pointer_ignored(void **st)
{
    (void)st;
    struct fixture *fx = tcp_fixture(100, 8192, &pseq, &oseq);
    size_t len = fb_tcp(f, PEER_PORT, APP_PORT, pseq, oseq, F_ACK | F_URG,
                        8192, NULL, 0, "abc", 3);
    uint8_t *t = f + 34;
    t[18] = 0xff; /* urgent pointer far beyond the data */
    t[19] = 0xff;
    t[16] = t[17] = 0;
    uint16_t c = 0;
    {
        uint32_t sum = (PEER_IP >> 16) + (PEER_IP & 0xffff) + (T_IP >> 16) +
                       (T_IP & 0xffff) + 6 + 23;
        for (size_t i = 0; i + 1 < 23; i += 2)
            sum += (uint32_t)(t[i] << 8 | t[i + 1]);
        sum += (uint32_t)t[22] << 8;
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        c = (uint16_t)~sum;
    }
    t[16] = (uint8_t)(c >> 8);
    t[17] = (uint8_t)c;
    fixture_rx(fx, f, len);
    assert_int_equal(app.rx_len, 3);
    assert_memory_equal(app.rx, "abc", 3);
}

static void tcp_no_free_slot(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    mote_tcp_listen(&fx->s, &app_listener);
    /* Every slot established: a SYN finds none (its retry may). */
    for (uint16_t i = 0; i < MOTE_MAX_CONNS; i++) {
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(3000 + i), APP_PORT, 1, 0,
                                 F_SYN, 8192, NULL, 0, NULL, 0));
        uint32_t iss = sent_seg(fx, fx->m.tx_count - 1).seq;
        fixture_rx(fx, f, fb_tcp(f, (uint16_t)(3000 + i), APP_PORT, 2,
                                 iss + 1, F_ACK, 8192, NULL, 0, NULL, 0));
    }
    assert_int_equal(app.accepted, MOTE_MAX_CONNS);
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, fb_tcp(f, 3999, APP_PORT, 1, 0, F_SYN, 8192, NULL, 0,
                             NULL, 0));
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_SLOT), 1);
    assert_int_equal(mote_tcp_active(&fx->s), MOTE_MAX_CONNS);
}

static void tcp_refused_by_application(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(&app, 0, sizeof app);
    app.refuse = 1;
    mote_tcp_listen(&fx->s, &app_listener);
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 1, 0, F_SYN, 8192, NULL,
                             0, NULL, 0));
    uint32_t iss = sent_seg(fx, 0).seq;
    fixture_rx(fx, f, fb_tcp(f, PEER_PORT, APP_PORT, 2, iss + 1, F_ACK, 8192,
                             NULL, 0, NULL, 0));
    assert_int_equal(sent_seg(fx, 1).flags, F_RST | F_ACK);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tcp_handshake),
        cmocka_unit_test(tcp_window_hook),
        cmocka_unit_test(tcp_syn_ack_lost_syn_repeated),
        cmocka_unit_test(tcp_syn_to_closed_port),
        cmocka_unit_test(tcp_hostile_syn_to_closed_port_rate_limited),
        cmocka_unit_test(tcp_data_in_acked),
        cmocka_unit_test(tcp_reply_piggybacks_ack),
        cmocka_unit_test(tcp_several_segments_in_one_poll),
        cmocka_unit_test(tcp_peer_window_limits),
        cmocka_unit_test(tcp_generator_until_end_then_fin),
        cmocka_unit_test(tcp_retransmission_backoff_and_regeneration),
        cmocka_unit_test(tcp_rtt_estimate_and_karn),
        cmocka_unit_test(tcp_hostile_window_never_acked),
        cmocka_unit_test(tcp_syn_received_times_out),
        cmocka_unit_test(tcp_out_of_order_gets_duplicate_ack),
        cmocka_unit_test(tcp_zero_window_from_application),
        cmocka_unit_test(tcp_hostile_sequence_wrap),
        cmocka_unit_test(tcp_close_by_server_time_wait),
        cmocka_unit_test(tcp_close_by_peer),
        cmocka_unit_test(tcp_simultaneous_close),
        cmocka_unit_test(tcp_reset_by_peer),
        cmocka_unit_test(tcp_abort_sends_rst),
        cmocka_unit_test(tcp_fin_wait_2_times_out),
        cmocka_unit_test(tcp_data_after_close_is_acked_not_reset),
        cmocka_unit_test(tcp_time_wait_table_recycled),
        cmocka_unit_test(tcp_ack_for_unsent_data),
        cmocka_unit_test(tcp_segment_outside_window),
        cmocka_unit_test(tcp_hostile_payload_beyond_window),
        cmocka_unit_test(tcp_hostile_headers),
        cmocka_unit_test(tcp_tiny_mss_clamped),
        cmocka_unit_test(tcp_urgent_pointer_ignored),
        cmocka_unit_test(tcp_no_free_slot),
        cmocka_unit_test(tcp_refused_by_application),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
