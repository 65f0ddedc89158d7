/* Ethernet framing: what is accepted, and each drop reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

static uint8_t f[MOCK_FRAME_MAX];

static void expect_dropped(struct fixture *fx, size_t len,
                           enum mote_counter_id id)
{
    uint32_t before = cnt(fx, id);
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, id), before + 1);
    assert_int_equal(fx->m.tx_count, 0);
}

static void eth_frame_shorter_than_header(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    memset(f, 0xff, 13);
    expect_dropped(fx, 13, MOTE_CNT_ETH_SHORT);
    expect_dropped(fx, 1, MOTE_CNT_ETH_SHORT);
}

static void eth_frame_longer_than_buffer(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 1500); /* 1542 B > 1514 */
    expect_dropped(fx, len, MOTE_CNT_ETH_OVERSIZE);
}

static void eth_other_unicast_destination(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    f[5] = 0x99;
    expect_dropped(fx, len, MOTE_CNT_ETH_NOT_OURS);
}

static void eth_multicast_destination(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    static const uint8_t mc[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    memcpy(f, mc, 6);
    expect_dropped(fx, len, MOTE_CNT_ETH_NOT_OURS);
}

static void eth_source_broadcast(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    memset(f + 6, 0xff, 6);
    expect_dropped(fx, len, MOTE_CNT_ETH_SRC_BAD);
}

static void eth_source_multicast(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    f[6] = 0x01;
    expect_dropped(fx, len, MOTE_CNT_ETH_SRC_BAD);
}

static void eth_odd_ethertypes(void **st)
{
    (void)st;
    static const uint16_t types[] = {0x86dd, 0x8100, 0x88cc, 0x0000, 0xffff,
                                     0x0005 /* an 802.3 length */};
    struct fixture *fx = fixture_new();
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t len = fb_echo(f, T_IP, 1, 1, 8);
        f[12] = (uint8_t)(types[i] >> 8);
        f[13] = (uint8_t)types[i];
        expect_dropped(fx, len, MOTE_CNT_ETH_TYPE);
    }
}

static void eth_header_only_ipv4_and_arp(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fb_eth(f, T_MAC, PEER_MAC, 0x0800);
    expect_dropped(fx, 14, MOTE_CNT_IP_LEN);
    fb_eth(f, T_MAC, PEER_MAC, 0x0806);
    expect_dropped(fx, 14, MOTE_CNT_ARP_MALFORMED);
}

static void eth_reply_header_is_ours(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fixture_rx(fx, f, fb_echo(f, T_IP, 1, 1, 8));
    assert_int_equal(fx->m.tx_count, 1);
    const struct mock_frame *o = mock_sent(&fx->m, 0);
    assert_memory_equal(o->data, PEER_MAC, 6);
    assert_memory_equal(o->data + 6, T_MAC, 6);
    assert_int_equal(rd16(o->data + 12), 0x0800);
    /* Before it: the announcement, the request for the gateway and the
     * replies to the peer's and the gateway's requests. */
    assert_int_equal(cnt(fx, MOTE_CNT_TX_FRAMES), 1 + 4);
}

static void eth_driver_refuses_frame(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fx->m.fail_tx = 1;
    fixture_rx(fx, f, fb_echo(f, T_IP, 1, 1, 8));
    assert_int_equal(cnt(fx, MOTE_CNT_TX_ERRORS), 1);
    assert_int_equal(cnt(fx, MOTE_CNT_ICMP_ECHO_REPLIES), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eth_frame_shorter_than_header),
        cmocka_unit_test(eth_frame_longer_than_buffer),
        cmocka_unit_test(eth_other_unicast_destination),
        cmocka_unit_test(eth_multicast_destination),
        cmocka_unit_test(eth_source_broadcast),
        cmocka_unit_test(eth_source_multicast),
        cmocka_unit_test(eth_odd_ethertypes),
        cmocka_unit_test(eth_header_only_ipv4_and_arp),
        cmocka_unit_test(eth_reply_header_is_ours),
        cmocka_unit_test(eth_driver_refuses_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
