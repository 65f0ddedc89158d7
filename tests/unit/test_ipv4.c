/* IPv4 input validation (each hostile entry by name) and output headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

static uint8_t f[MOCK_FRAME_MAX];
#define IP (f + 14)

static void expect_dropped(struct fixture *fx, size_t len,
                           enum mote_counter_id id)
{
    uint32_t before = cnt(fx, id);
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, id), before + 1);
    assert_int_equal(fx->m.tx_count, 0);
}

static void set32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void ip_version_not_4(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    IP[0] = 0x65;
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_VERSION);
}

static void ip_ihl_below_5(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        size_t len = fb_echo(f, T_IP, 1, 1, 8);
        IP[0] = (uint8_t)(0x40 | ihl);
        expect_dropped(fx, len, MOTE_CNT_IP_HLEN);
    }
}

static void ip_ihl_past_total_length(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 30); /* total 58 */
    IP[0] = 0x4f;                             /* 60-byte header */
    expect_dropped(fx, len, MOTE_CNT_IP_HLEN);
}

static void ip_total_length_past_frame(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    IP[2] = 0;
    IP[3] = (uint8_t)(len - 14 + 1);
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_LEN);
    IP[2] = 0xff;
    IP[3] = 0xff;
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_LEN);
}

static void ip_total_length_below_header(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    IP[2] = 0;
    IP[3] = 19;
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_HLEN);
}

static void ip_shorter_than_header(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fb_echo(f, T_IP, 1, 1, 8);
    for (size_t n = 1; n < 20; n++)
        expect_dropped(fx, 14 + n, MOTE_CNT_IP_LEN);
}

static void ip_trailing_padding_ignored(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 2); /* 44 B, padded to 60 */
    memset(f + len, 0xAB, 60 - len);
    fixture_rx(fx, f, 60);
    assert_int_equal(fx->m.tx_count, 1);
    const struct mock_frame *o = mock_sent(&fx->m, 0);
    assert_int_equal(o->len, len);
    assert_int_equal(rd16(o->data + 16), 30);
    assert_int_equal(csum(o->data + 34, 10), 0);
}

static void ip_bad_header_checksum(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    IP[10] ^= 0x01;
    expect_dropped(fx, len, MOTE_CNT_IP_CHECKSUM);
}

static void ip_ttl_zero(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    IP[8] = 0;
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_TTL);
}

static void ip_martian_sources(void **st)
{
    (void)st;
    static const uint32_t srcs[] = {
        0xffffffffu, MOTE_IPV4(10, 0, 0, 255), MOTE_IPV4(224, 0, 0, 1),
        MOTE_IPV4(239, 1, 2, 3), T_IP, 0, MOTE_IPV4(127, 0, 0, 1)};
    struct fixture *fx = fixture_new();
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        size_t len = fb_echo(f, T_IP, 1, 1, 8);
        set32(IP + 12, srcs[i]);
        fb_ip_recsum(f);
        expect_dropped(fx, len, MOTE_CNT_IP_SRC_BAD);
    }
}

static void ip_destination_not_ours(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    expect_dropped(fx, fb_echo(f, PEER_IP, 1, 1, 8), MOTE_CNT_IP_NOT_OURS);
    expect_dropped(fx, fb_echo(f, MOTE_IPV4(224, 0, 0, 1), 1, 1, 8),
                   MOTE_CNT_IP_NOT_OURS);
}

/* Builds an echo request with `olen` bytes of IP options `opt`. */
static size_t echo_with_options(const uint8_t *opt, size_t olen)
{
    uint8_t tmp[MOCK_FRAME_MAX];
    size_t len = fb_echo(tmp, T_IP, 9, 9, 12);
    memcpy(f, tmp, 34);
    memcpy(f + 34, opt, olen);
    memcpy(f + 34 + olen, tmp + 34, len - 34);
    IP[0] = (uint8_t)(0x40 | (20 + olen) / 4);
    IP[2] = (uint8_t)((len - 14 + olen) >> 8);
    IP[3] = (uint8_t)(len - 14 + olen);
    fb_ip_recsum(f);
    return len + olen;
}

static void ip_option_length_zero(void **st)
{
    (void)st;
    static const uint8_t opt[4] = {0x07, 0x00, 0x00, 0x00};
    struct fixture *fx = fixture_new();
    expect_dropped(fx, echo_with_options(opt, 4), MOTE_CNT_IP_OPTIONS);
}

static void ip_option_length_one(void **st)
{
    (void)st;
    static const uint8_t opt[4] = {0x01, 0x44, 0x01, 0x00};
    struct fixture *fx = fixture_new();
    expect_dropped(fx, echo_with_options(opt, 4), MOTE_CNT_IP_OPTIONS);
}

static void ip_option_past_header(void **st)
{
    (void)st;
    static const uint8_t opt[8] = {0x01, 0x01, 0x07, 0x0b, 4, 0, 0, 0};
    struct fixture *fx = fixture_new();
    expect_dropped(fx, echo_with_options(opt, 8), MOTE_CNT_IP_OPTIONS);
    static const uint8_t last[4] = {0x01, 0x01, 0x01, 0x83}; /* no length */
    expect_dropped(fx, echo_with_options(last, 4), MOTE_CNT_IP_OPTIONS);
}

static void ip_valid_options_skipped(void **st)
{
    (void)st;
    /* NOP, NOP, record route (length 7, empty), end of list. */
    static const uint8_t opt[12] = {0x01, 0x01, 0x07, 0x07, 0x04, 0, 0, 0,
                                    0,    0x00, 0x00, 0x00};
    struct fixture *fx = fixture_new();
    size_t len = echo_with_options(opt, 12);
    fixture_rx(fx, f, len);
    assert_int_equal(fx->m.tx_count, 1);
    const struct mock_frame *o = mock_sent(&fx->m, 0);
    assert_int_equal(o->len, len - 12);
    assert_int_equal(o->data[14], 0x45); /* the reply carries no options */
    assert_int_equal(csum(o->data + 14, 20), 0);
    assert_int_equal(csum(o->data + 34, o->len - 34), 0);
    assert_int_equal(rd16(o->data + 34 + 4), 9);
}

static void ip_fragments_dropped(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    IP[6] = 0x20; /* MF */
    IP[7] = 0;
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_FRAGMENT);
    IP[6] = 0x00;
    IP[7] = 0xb9; /* offset 185 * 8 */
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_FRAGMENT);
    IP[6] = 0x5f; /* DF, and offset bits all set */
    IP[7] = 0xff;
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_FRAGMENT);
}

static void ip_unknown_protocol(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    uint8_t payload[8] = {0};
    expect_dropped(fx, fb_ipv4(f, PEER_IP, T_IP, 47, payload, 8),
                   MOTE_CNT_IP_PROTO);
}

static void ip_no_route_without_gateway(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    mote_set_ipv4(&fx->s, T_IP, T_MASK, 0);
    fixture_poll(fx);
    mock_clear_sent(&fx->m);
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    set32(IP + 12, FAR_IP);
    fb_ip_recsum(f);
    expect_dropped(fx, len, MOTE_CNT_IP_NO_ROUTE);
}

static void ip_output_header_fields(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fixture_rx(fx, f, fb_echo(f, T_IP, 1, 1, 8));
    fixture_rx(fx, f, fb_echo(f, T_IP, 1, 2, 8));
    assert_int_equal(fx->m.tx_count, 2);
    const uint8_t *a = mock_sent(&fx->m, 0)->data + 14;
    const uint8_t *b = mock_sent(&fx->m, 1)->data + 14;
    assert_int_equal(a[0], 0x45);
    assert_int_equal(rd16(a + 2), 36);
    assert_int_equal(rd16(a + 6), 0x4000); /* DF, no fragment offset */
    assert_int_equal(a[8], MOTE_IP_TTL);
    assert_int_equal(a[9], 1);
    assert_int_equal(rd32(a + 12), T_IP);
    assert_int_equal(rd32(a + 16), PEER_IP);
    assert_int_equal(csum(a, 20), 0);
    assert_int_equal((uint16_t)(rd16(b + 4) - rd16(a + 4)), 1);
}

static void ip_subnet_broadcast_accepted(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    /* Accepted by IPv4 and passed up: ICMP then refuses the broadcast. */
    expect_dropped(fx, fb_echo(f, MOTE_IPV4(10, 0, 0, 255), 1, 1, 8),
                   MOTE_CNT_ICMP_BROADCAST);
    expect_dropped(fx, fb_echo(f, 0xffffffffu, 1, 1, 8),
                   MOTE_CNT_ICMP_BROADCAST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ip_version_not_4),
        cmocka_unit_test(ip_ihl_below_5),
        cmocka_unit_test(ip_ihl_past_total_length),
        cmocka_unit_test(ip_total_length_past_frame),
        cmocka_unit_test(ip_total_length_below_header),
        cmocka_unit_test(ip_shorter_than_header),
        cmocka_unit_test(ip_trailing_padding_ignored),
        cmocka_unit_test(ip_bad_header_checksum),
        cmocka_unit_test(ip_ttl_zero),
        cmocka_unit_test(ip_martian_sources),
        cmocka_unit_test(ip_destination_not_ours),
        cmocka_unit_test(ip_option_length_zero),
        cmocka_unit_test(ip_option_length_one),
        cmocka_unit_test(ip_option_past_header),
        cmocka_unit_test(ip_valid_options_skipped),
        cmocka_unit_test(ip_fragments_dropped),
        cmocka_unit_test(ip_unknown_protocol),
        cmocka_unit_test(ip_no_route_without_gateway),
        cmocka_unit_test(ip_output_header_fields),
        cmocka_unit_test(ip_subnet_broadcast_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
