/*
 * test_frame_end.c - every layer stops at the end of the frame it was given.
 *
 * The other unit tests feed frames through the 1,514-byte packet buffer, so
 * a read past a short frame's end lands on stale bytes that AddressSanitizer
 * cannot see. Here the driver poisons the buffer past each frame (ASan's
 * manual poisoning) while the stack reads it, and every truncation of a
 * valid frame of each kind (Ethernet, ARP, IPv4 with options, ICMP, UDP,
 * DHCP) is fed, its length fields made consistent with the cut so that each
 * layer in turn sees the short payload: each must be dropped with its
 * counter, nothing sent, and no byte past the frame read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

static uint8_t f[MOCK_FRAME_MAX];
static struct mote_driver poison_drv;
static uint8_t *rx_buf;
static size_t rx_cap;

/* The mock's rx, then the rest of the buffer poisoned until the next call
 * (the stack asks for the next frame once it is done with this one). */
static size_t poison_rx(void *ctx, uint8_t *buf, size_t cap)
{
    UNPOISON(buf, cap);
    size_t len = mock_driver.rx(ctx, buf, cap);
    if (len && len <= cap) {
        rx_buf = buf;
        rx_cap = cap;
        POISON(buf + len, cap - len);
    }
    return len;
}

static struct fixture *fixture_poisoned(void)
{
    struct fixture *fx = fixture_new();
    poison_drv = mock_driver;
    poison_drv.rx = poison_rx;
    fx->s.drv = &poison_drv;
    return fx;
}

/* Feeds f[0..len) and expects it dropped by counter `id`, nothing sent. */
static void expect_dropped(struct fixture *fx, size_t len,
                           enum mote_counter_id id)
{
    uint32_t before = cnt(fx, id);
    fixture_rx(fx, f, len);
    if (rx_buf)
        UNPOISON(rx_buf, rx_cap);
    if (cnt(fx, id) != before + 1)
        fail_msg("length %zu: counter %d not counted", len, (int)id);
    assert_int_equal(fx->m.tx_count, 0);
}

static void wr16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Cuts the IPv4 packet in f (header of hlen bytes) to a total of `total`
 * bytes: the total length field and the header checksum follow. */
static size_t cut_ip(size_t total)
{
    wr16(f + 16, total);
    fb_ip_recsum(f);
    return 14 + total;
}

/* A frame cut anywhere before its end: the Ethernet header, then the IPv4
 * header's own checks (its total length then lies past the frame). */
static void frame_end_raw_truncation(void **st)
{
    (void)st;
    struct fixture *fx = fixture_poisoned();
    size_t full = fb_echo(f, T_IP, 1, 1, 40);
    for (size_t n = 0; n < full; n++) {
        if (n == 0)
            continue; /* a zero-length read means "no frame" */
        fb_echo(f, T_IP, 1, 1, 40);
        expect_dropped(fx, n,
                       n < 14 ? MOTE_CNT_ETH_SHORT : MOTE_CNT_IP_LEN);
    }
    fixture_rx(fx, f, fb_echo(f, T_IP, 1, 1, 40));
    assert_int_equal(cnt(fx, MOTE_CNT_ICMP_ECHO_REPLIES), 1);
}

/* ARP: every cut of a request for our address (hostile-inputs: truncated
 * ARP body). */
static void frame_end_arp_truncated(void **st)
{
    (void)st;
    struct fixture *fx = fixture_poisoned();
    for (size_t n = 14; n < 42; n++) {
        fb_arp(f, 1, PEER_MAC, PEER_IP, BCAST_MAC, T_IP);
        expect_dropped(fx, n, MOTE_CNT_ARP_MALFORMED);
    }
}

/* IPv4 with 20 bytes of options (NOP, record route, end): the header cut
 * inside the options, the total length following the cut. */
static void frame_end_ip_options_cut(void **st)
{
    (void)st;
    static const uint8_t opt[20] = {1, 7, 19, 4};
    struct fixture *fx = fixture_poisoned();
    for (size_t total = 20; total < 40; total++) {
        uint8_t tmp[MOCK_FRAME_MAX];
        size_t len = fb_echo(tmp, T_IP, 1, 1, 8);
        memcpy(f, tmp, 34);
        memcpy(f + 34, opt, sizeof opt);
        memcpy(f + 54, tmp + 34, len - 34);
        f[14] = 0x4a; /* IHL 10: 40 bytes */
        expect_dropped(fx, cut_ip(total), MOTE_CNT_IP_HLEN);
    }
}

/* ICMP: an echo request whose IP payload is cut below the ICMP header. */
static void frame_end_icmp_cut(void **st)
{
    (void)st;
    struct fixture *fx = fixture_poisoned();
    for (size_t n = 0; n < 8; n++) {
        fb_echo(f, T_IP, 1, 1, 8);
        expect_dropped(fx, cut_ip(20 + n), MOTE_CNT_ICMP_SHORT);
    }
    /* Cut inside the data: the checksum no longer verifies. */
    for (size_t n = 8; n < 16; n++) {
        fb_echo(f, T_IP, 1, 1, 8);
        expect_dropped(fx, cut_ip(20 + n), MOTE_CNT_ICMP_CHECKSUM);
    }
}

/* UDP: the IP payload cut below the UDP header, then below the UDP length
 * (hostile-inputs: UDP length > IP payload or < 8). */
static void frame_end_udp_cut(void **st)
{
    (void)st;
    static const uint8_t data[24] = "twenty-four bytes of it";
    struct fixture *fx = fixture_poisoned();
    for (size_t n = 0; n < 32; n++) {
        fb_udp(f, PEER_IP, T_IP, 1000, 7, data, sizeof data);
        expect_dropped(fx, cut_ip(20 + n), MOTE_CNT_UDP_LEN);
    }
}

/* A BOOTREPLY with every option mote reads, then a long one it skips. */
static size_t dhcp_reply(uint8_t *m)
{
    static const uint8_t opts[] = {
        53, 1, 2,                       /* OFFER */
        54, 4, 10, 0, 0, 1,             /* server */
        51, 4, 0, 0, 14, 16,            /* lease */
        1, 4, 255, 255, 255, 0,         /* mask */
        3, 8, 10, 0, 0, 1, 10, 0, 0, 9, /* routers */
        12, 6, 'm', 'o', 't', 'e', '-', '1',
        255};
    memset(m, 0, 240);
    m[0] = 2;
    m[1] = 1;
    m[2] = 6;
    memcpy(m + 28, T_MAC, 6);
    m[236] = 0x63, m[237] = 0x82, m[238] = 0x53, m[239] = 0x63;
    memcpy(m + 240, opts, sizeof opts);
    return 240 + sizeof opts;
}

/* DHCP: every cut of a reply, UDP and IP lengths following, all dropped as malformed before anything else is looked at
 * (hostile-inputs: options running past the packet, missing end option). */
static void frame_end_dhcp_cut(void **st)
{
    (void)st;
    uint8_t m[400];
    size_t full = dhcp_reply(m);
    struct fixture *fx = fixture_poisoned();
    for (size_t n = 0; n < full; n++) {
        expect_dropped(fx, fb_udp(f, GW_IP, 0xffffffffu, 67, 68, m, n),
                       MOTE_CNT_DHCP_MALFORMED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frame_end_raw_truncation),
        cmocka_unit_test(frame_end_arp_truncated),
        cmocka_unit_test(frame_end_ip_options_cut),
        cmocka_unit_test(frame_end_icmp_cut),
        cmocka_unit_test(frame_end_udp_cut),
        cmocka_unit_test(frame_end_dhcp_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
