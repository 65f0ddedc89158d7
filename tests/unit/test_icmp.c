/* ICMP echo: replies of every size, and the hostile entries. */
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

static void check_reply(struct fixture *fx, size_t plen)
{
    size_t len = fb_echo(f, T_IP, 0xbeef, (uint16_t)plen, plen);
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, len);
    assert_int_equal(fx->m.tx_count, 1);
    const struct mock_frame *o = mock_sent(&fx->m, 0);
    assert_int_equal(o->len, len);
    assert_memory_equal(o->data, PEER_MAC, 6);
    assert_int_equal(rd32(o->data + 14 + 16), PEER_IP);
    assert_int_equal(o->data[34], 0); /* echo reply */
    assert_int_equal(o->data[35], 0);
    assert_int_equal(csum(o->data + 34, len - 34), 0);
    assert_int_equal(rd16(o->data + 38), 0xbeef);
    assert_int_equal(rd16(o->data + 40), (uint16_t)plen);
    assert_memory_equal(o->data + 42, f + 42, plen);
}

static void icmp_echo_every_size(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    for (size_t plen = 0; plen <= 64; plen++)
        check_reply(fx, plen);
    check_reply(fx, 1000);
    check_reply(fx, 1471);
    check_reply(fx, MOTE_BUF_SIZE - 14 - 20 - 8); /* the largest: 1472 */
    assert_int_equal(cnt(fx, MOTE_CNT_ICMP_ECHO_REPLIES), 68);
}

static void icmp_echo_larger_than_buffer(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    expect_dropped(fx, fb_echo(f, T_IP, 1, 1, MOTE_BUF_SIZE - 14 - 20 - 7),
                   MOTE_CNT_ETH_OVERSIZE);
}

static void icmp_bad_checksum(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 33);
    f[len - 1] ^= 0x40;
    expect_dropped(fx, len, MOTE_CNT_ICMP_CHECKSUM);
}

static void icmp_shorter_than_header(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    uint8_t icmp[7] = {8, 0, 0xf7, 0xff, 0, 0, 0};
    for (size_t n = 0; n < sizeof icmp; n++)
        expect_dropped(fx, fb_ipv4(f, PEER_IP, T_IP, 1, icmp, n),
                       MOTE_CNT_ICMP_SHORT);
}

static void icmp_echo_to_broadcast(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, 0xffffffffu, 1, 1, 8);
    memset(f, 0xff, 6);
    expect_dropped(fx, len, MOTE_CNT_ICMP_BROADCAST);
    len = fb_echo(f, MOTE_IPV4(10, 0, 0, 255), 1, 1, 8);
    memset(f, 0xff, 6);
    expect_dropped(fx, len, MOTE_CNT_ICMP_BROADCAST);
}

static void icmp_types_not_handled(void **st)
{
    (void)st;
    static const uint8_t types[] = {0, 3, 5, 11, 13, 17, 255};
    struct fixture *fx = fixture_new();
    for (size_t i = 0; i < sizeof types; i++) {
        size_t len = fb_echo(f, T_IP, 1, 1, 8);
        f[34] = types[i];
        fb_icmp_recsum(f, len);
        expect_dropped(fx, len, MOTE_CNT_ICMP_TYPE);
    }
}

static void icmp_nonzero_code_echoed(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 9);
    f[35] = 0x5a; /* codes other than 0 are not defined; echo them back */
    fb_icmp_recsum(f, len);
    fixture_rx(fx, f, len);
    assert_int_equal(fx->m.tx_count, 1);
    const struct mock_frame *o = mock_sent(&fx->m, 0);
    assert_int_equal(o->data[35], 0x5a);
    assert_int_equal(csum(o->data + 34, len - 34), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(icmp_echo_every_size),
        cmocka_unit_test(icmp_echo_larger_than_buffer),
        cmocka_unit_test(icmp_bad_checksum),
        cmocka_unit_test(icmp_shorter_than_header),
        cmocka_unit_test(icmp_echo_to_broadcast),
        cmocka_unit_test(icmp_types_not_handled),
        cmocka_unit_test(icmp_nonzero_code_echoed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
