/* UDP: length and checksum checks (each hostile entry by name), delivery to
 * bound ports, and the frames mote_udp_send builds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

static uint8_t f[MOCK_FRAME_MAX];
#define UDP (f + 34)

/* What the bound function saw. */
static struct {
    int calls;
    struct mote_stack *s;
    uint8_t data[MOCK_FRAME_MAX];
    size_t len;
    uint32_t src;
    uint16_t sport;
} got;

static void on_datagram(struct mote_stack *s, uint8_t *data, size_t len,
                        uint32_t src, uint16_t sport)
{
    got.calls++;
    got.s = s;
    memcpy(got.data, data, len);
    got.len = len;
    got.src = src;
    got.sport = sport;
}

/* Answers every datagram with its own bytes, from the buffer, no copy. */
static void on_echo(struct mote_stack *s, uint8_t *data, size_t len,
                    uint32_t src, uint16_t sport)
{
    got.calls++;
    assert_int_equal(mote_udp_send(s, 7, src, sport, data, len), 0);
}

static struct fixture *bound_fixture(void)
{
    struct fixture *fx = fixture_new();
    memset(&got, 0, sizeof got);
    assert_int_equal(mote_udp_bind(&fx->s, 5000, on_datagram), 0);
    return fx;
}

static void expect_dropped(struct fixture *fx, size_t len,
                           enum mote_counter_id id)
{
    uint32_t before = cnt(fx, id);
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, id), before + 1);
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(got.calls, 0);
}

static const uint8_t hello[5] = {'h', 'e', 'l', 'l', 'o'};

static void udp_delivered_to_bound_port(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    fixture_rx(fx, f, fb_udp(f, PEER_IP, T_IP, 4321, 5000, hello, 5));
    assert_int_equal(got.calls, 1);
    assert_ptr_equal(got.s, &fx->s);
    assert_int_equal(got.len, 5);
    assert_memory_equal(got.data, hello, 5);
    assert_int_equal(got.src, PEER_IP);
    assert_int_equal(got.sport, 4321);
    assert_int_equal(fx->m.tx_count, 0);
}

static void udp_broadcast_delivered(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    fixture_rx(fx, f, fb_udp(f, PEER_IP, 0xffffffffu, 1, 5000, hello, 5));
    fixture_rx(fx, f,
               fb_udp(f, PEER_IP, MOTE_IPV4(10, 0, 0, 255), 1, 5000, hello, 5));
    assert_int_equal(got.calls, 2);
}

static void udp_empty_payload(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    fixture_rx(fx, f, fb_udp(f, PEER_IP, T_IP, 9, 5000, NULL, 0));
    assert_int_equal(got.calls, 1);
    assert_int_equal(got.len, 0);
}

static void udp_shorter_than_header(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    for (size_t n = 0; n < 8; n++) {
        uint8_t stub[8] = {0x10, 0xe1, 0x13, 0x88, 0, 8, 0, 0};
        expect_dropped(fx, fb_ipv4(f, PEER_IP, T_IP, 17, stub, n),
                       MOTE_CNT_UDP_LEN);
    }
}

static void udp_length_past_payload(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    size_t len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
    UDP[5] = 14; /* one byte more than the IP payload */
    fb_udp_recsum(f, len);
    expect_dropped(fx, len, MOTE_CNT_UDP_LEN);
    UDP[4] = 0xff;
    UDP[5] = 0xff;
    expect_dropped(fx, len, MOTE_CNT_UDP_LEN);
}

static void udp_length_below_8(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    for (uint8_t ul = 0; ul < 8; ul++) {
        size_t len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
        UDP[4] = 0;
        UDP[5] = ul;
        UDP[6] = UDP[7] = 0; /* no checksum: the length alone must catch it */
        expect_dropped(fx, len, MOTE_CNT_UDP_LEN);
    }
}

static void udp_length_shorter_than_ip_payload(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    /* The UDP length says 3 bytes of data; the rest of the IP payload is
     * ignored, as is Ethernet padding. */
    size_t len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
    UDP[5] = 11;
    fb_udp_recsum(f, 34 + 11);
    memset(f + len, 0xee, 60 - len);
    fixture_rx(fx, f, 60);
    assert_int_equal(got.calls, 1);
    assert_int_equal(got.len, 3);
    assert_memory_equal(got.data, hello, 3);
}

static void udp_checksum_zero_accepted(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    size_t len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
    UDP[6] = UDP[7] = 0;
    fixture_rx(fx, f, len);
    assert_int_equal(got.calls, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_UDP_CHECKSUM), 0);
}

static void udp_checksum_wrong(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    size_t len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
    UDP[7] ^= 0x40;
    expect_dropped(fx, len, MOTE_CNT_UDP_CHECKSUM);
    /* A corrupted payload byte under a valid-looking checksum. */
    len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
    UDP[8] ^= 1;
    expect_dropped(fx, len, MOTE_CNT_UDP_CHECKSUM);
    /* The pseudo-header counts: the same datagram to another address. */
    len = fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5);
    f[14 + 12 + 3] ^= 0x10; /* source 10.0.0.3 -> 10.0.0.19 */
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_UDP_CHECKSUM);
}

static void udp_unbound_port(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    /* Counted and dropped; no ICMP port unreachable. */
    expect_dropped(fx, fb_udp(f, PEER_IP, T_IP, 1, 5001, hello, 5),
                   MOTE_CNT_UDP_NO_PORT);
    expect_dropped(fx, fb_udp(f, PEER_IP, T_IP, 1, 0, hello, 5),
                   MOTE_CNT_UDP_NO_PORT);
}

static void udp_bind_table(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    assert_int_equal(mote_udp_bind(&fx->s, 0, on_datagram), -1);
    for (unsigned i = 1; i < MOTE_UDP_PORTS; i++)
        assert_int_equal(mote_udp_bind(&fx->s, (uint16_t)(6000 + i),
                                       on_datagram), 0);
    assert_int_equal(mote_udp_bind(&fx->s, 7000, on_datagram), -1); /* full */
    /* Rebinding a bound port replaces its function, even when full. */
    assert_int_equal(mote_udp_bind(&fx->s, 5000, on_echo), 0);
    fixture_rx(fx, f, fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5));
    assert_int_equal(got.calls, 1);
    assert_int_equal(fx->m.tx_count, 1); /* on_echo answered */
    /* Unbinding frees the slot and stops delivery. */
    assert_int_equal(mote_udp_bind(&fx->s, 5000, NULL), 0);
    mock_clear_sent(&fx->m);
    got.calls = 0;
    expect_dropped(fx, fb_udp(f, PEER_IP, T_IP, 1, 5000, hello, 5),
                   MOTE_CNT_UDP_NO_PORT);
    assert_int_equal(mote_udp_bind(&fx->s, 7000, on_datagram), 0);
}

/* Checks a frame sent by mote: headers, lengths and both checksums. */
static void check_sent(const struct mock_frame *o, const uint8_t mac[6],
                       uint32_t src, uint32_t dst, uint16_t sport,
                       uint16_t dport, const uint8_t *data, size_t len)
{
    const uint8_t *ip = o->data + 14, *udp = ip + 20;
    uint8_t pseudo[12];

    assert_int_equal(o->len, 14 + 20 + 8 + len);
    assert_memory_equal(o->data, mac, 6);
    assert_memory_equal(o->data + 6, T_MAC, 6);
    assert_int_equal(ip[9], 17);
    assert_int_equal(rd32(ip + 12), src);
    assert_int_equal(rd32(ip + 16), dst);
    assert_int_equal(csum(ip, 20), 0);
    assert_int_equal(rd16(udp), sport);
    assert_int_equal(rd16(udp + 2), dport);
    assert_int_equal(rd16(udp + 4), 8 + len);
    assert_memory_equal(udp + 8, data, len);
    assert_int_not_equal(rd16(udp + 6), 0); /* mote always sends one */
    /* The checksum over pseudo-header and datagram verifies. */
    uint8_t tmp[MOCK_FRAME_MAX];
    memcpy(pseudo, ip + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 17;
    pseudo[10] = (uint8_t)((8 + len) >> 8);
    pseudo[11] = (uint8_t)(8 + len);
    memcpy(tmp, pseudo, 12);
    memcpy(tmp + 12, udp, 8 + len);
    assert_int_equal(csum(tmp, 12 + 8 + len), 0);
}

static void udp_send_frame(void **st)
{
    (void)st;
    static uint8_t data[1472];
    struct fixture *fx = bound_fixture();
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 13 + 1);
    /* Every length class, odd ones included (the last byte is padded in
     * the checksum). */
    static const size_t lens[] = {0, 1, 2, 3, 17, 512, 1471, 1472};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        mock_clear_sent(&fx->m);
        assert_int_equal(
            mote_udp_send(&fx->s, 5000, PEER_IP, 53, data, lens[i]), 0);
        assert_int_equal(fx->m.tx_count, 1);
        check_sent(mock_sent(&fx->m, 0), PEER_MAC, T_IP, PEER_IP, 5000, 53,
                   data, lens[i]);
    }
    mock_clear_sent(&fx->m);
    assert_int_equal(mote_udp_send(&fx->s, 5000, PEER_IP, 53, data, 1473), -1);
    assert_int_equal(fx->m.tx_count, 0);
}

static void udp_send_checksum_zero_sent_as_ffff(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    /* Find two payload bytes for which the computed checksum is 0. */
    uint8_t data[2] = {0, 0};
    for (unsigned v = 0; v < 0x10000; v++) {
        data[0] = (uint8_t)(v >> 8);
        data[1] = (uint8_t)v;
        mock_clear_sent(&fx->m);
        assert_int_equal(mote_udp_send(&fx->s, 1, PEER_IP, 2, data, 2), 0);
        const struct mock_frame *o = mock_sent(&fx->m, 0);
        if (rd16(o->data + 34 + 6) == 0xffff) {
            check_sent(o, PEER_MAC, T_IP, PEER_IP, 1, 2, data, 2);
            return;
        }
    }
    fail_msg("no payload gave a zero checksum");
}

static void udp_send_broadcast_and_routing(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    assert_int_equal(mote_udp_send(&fx->s, 68, 0xffffffffu, 67, hello, 5), 0);
    check_sent(mock_sent(&fx->m, 0), BCAST_MAC, T_IP, 0xffffffffu, 68, 67,
               hello, 5);
    /* Off the subnet: to the gateway's MAC. */
    mock_clear_sent(&fx->m);
    assert_int_equal(mote_udp_send(&fx->s, 1, FAR_IP, 2, hello, 5), 0);
    check_sent(mock_sent(&fx->m, 0), GW_MAC, T_IP, FAR_IP, 1, 2, hello, 5);
    /* Next hop unknown: an ARP request goes out instead, -1. */
    mock_clear_sent(&fx->m);
    assert_int_equal(
        mote_udp_send(&fx->s, 1, MOTE_IPV4(10, 0, 0, 9), 2, hello, 5), -1);
    assert_int_equal(fx->m.tx_count, 1);
    assert_int_equal(rd16(mock_sent(&fx->m, 0)->data + 12), 0x0806);
}

static void udp_reply_from_callback(void **st)
{
    (void)st;
    struct fixture *fx = bound_fixture();
    assert_int_equal(mote_udp_bind(&fx->s, 5000, NULL), 0);
    assert_int_equal(mote_udp_bind(&fx->s, 7, on_echo), 0);
    static uint8_t data[1000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i ^ 0x5a);
    fixture_rx(fx, f, fb_udp(f, PEER_IP, T_IP, 3333, 7, data, sizeof data));
    assert_int_equal(got.calls, 1);
    assert_int_equal(fx->m.tx_count, 1);
    check_sent(mock_sent(&fx->m, 0), PEER_MAC, T_IP, PEER_IP, 7, 3333, data,
               sizeof data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(udp_delivered_to_bound_port),
        cmocka_unit_test(udp_broadcast_delivered),
        cmocka_unit_test(udp_empty_payload),
        cmocka_unit_test(udp_shorter_than_header),
        cmocka_unit_test(udp_length_past_payload),
        cmocka_unit_test(udp_length_below_8),
        cmocka_unit_test(udp_length_shorter_than_ip_payload),
        cmocka_unit_test(udp_checksum_zero_accepted),
        cmocka_unit_test(udp_checksum_wrong),
        cmocka_unit_test(udp_unbound_port),
        cmocka_unit_test(udp_bind_table),
        cmocka_unit_test(udp_send_frame),
        cmocka_unit_test(udp_send_checksum_zero_sent_as_ffff),
        cmocka_unit_test(udp_send_broadcast_and_routing),
        cmocka_unit_test(udp_reply_from_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
