/* ARP: answers, cache policy, resolution, aging, and the hostile inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

static uint8_t f[MOCK_FRAME_MAX];
static const uint8_t ZERO_MAC[6];
static const uint8_t OTHER_MAC[6] = {2, 0, 0, 0, 0, 0x33};
#define OTHER_IP MOTE_IPV4(10, 0, 0, 33)

static void expect_dropped(struct fixture *fx, size_t len,
                           enum mote_counter_id id)
{
    uint32_t before = cnt(fx, id);
    fixture_rx(fx, f, len);
    assert_int_equal(cnt(fx, id), before + 1);
    assert_int_equal(fx->m.tx_count, 0);
}

/* Asserts that sent frame i is an ARP packet with these fields. */
static void assert_arp(const struct fixture *fx, unsigned i, uint16_t op,
                       const uint8_t eth_dst[6], const uint8_t tha[6],
                       uint32_t tpa)
{
    const struct mock_frame *o = mock_sent(&fx->m, i);
    const uint8_t *a = o->data + 14;
    assert_int_equal(o->len, 42);
    assert_memory_equal(o->data, eth_dst, 6);
    assert_memory_equal(o->data + 6, T_MAC, 6);
    assert_int_equal(rd16(o->data + 12), 0x0806);
    assert_int_equal(rd16(a), 1);
    assert_int_equal(rd16(a + 2), 0x0800);
    assert_int_equal(a[4], 6);
    assert_int_equal(a[5], 4);
    assert_int_equal(rd16(a + 6), op);
    assert_memory_equal(a + 8, T_MAC, 6);
    assert_int_equal(rd32(a + 14), T_IP);
    assert_memory_equal(a + 18, tha, 6);
    assert_int_equal(rd32(a + 24), tpa);
}

/* Sends an echo from `src` (arriving from `mac`) and returns how many frames
 * went out; the reply, if any, is frame 0. */
static unsigned ping_from(struct fixture *fx, uint32_t src,
                          const uint8_t mac[6])
{
    uint8_t e[128];
    size_t len = fb_echo(e, T_IP, 7, 7, 16);
    memcpy(e + 6, mac, 6);
    e[14 + 12] = (uint8_t)(src >> 24);
    e[14 + 13] = (uint8_t)(src >> 16);
    e[14 + 14] = (uint8_t)(src >> 8);
    e[14 + 15] = (uint8_t)src;
    fb_ip_recsum(e);
    mock_clear_sent(&fx->m);
    fixture_rx(fx, e, len);
    return fx->m.tx_count;
}

static void arp_request_for_us_is_answered(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fixture_rx(fx, f, fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP));
    assert_int_equal(fx->m.tx_count, 1);
    assert_arp(fx, 0, 2, OTHER_MAC, OTHER_MAC, OTHER_IP);
    /* The asker was learned: an echo from it is answered at once. */
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_memory_equal(mock_sent(&fx->m, 0)->data, OTHER_MAC, 6);
}

static void arp_request_for_other_host(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    expect_dropped(fx, fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC,
                              MOTE_IPV4(10, 0, 0, 77)),
                   MOTE_CNT_ARP_NOT_OURS);
    /* Not learned either: an echo from it needs resolution. */
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, OTHER_IP);
}

static void arp_hardware_length_not_6(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    f[14 + 4] = 8;
    expect_dropped(fx, len, MOTE_CNT_ARP_MALFORMED);
}

static void arp_protocol_length_not_4(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    f[14 + 5] = 16;
    expect_dropped(fx, len, MOTE_CNT_ARP_MALFORMED);
}

static void arp_wrong_hardware_type(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    f[14 + 1] = 6; /* IEEE 802 */
    expect_dropped(fx, len, MOTE_CNT_ARP_MALFORMED);
}

static void arp_wrong_protocol_type(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    f[14 + 2] = 0x86;
    f[14 + 3] = 0xdd;
    expect_dropped(fx, len, MOTE_CNT_ARP_MALFORMED);
}

static void arp_truncated_body(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    for (size_t cut = 1; cut <= 28; cut++)
        expect_dropped(fx, len - cut, MOTE_CNT_ARP_MALFORMED);
}

static void arp_unknown_opcode(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    f[14 + 7] = 3; /* RARP request */
    expect_dropped(fx, len, MOTE_CNT_ARP_MALFORMED);
}

static void arp_sender_mac_multicast(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    static const uint8_t mc[6] = {0x01, 0x00, 0x5e, 0, 0, 9};
    size_t len = fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, T_IP);
    memcpy(f + 14 + 8, mc, 6);
    expect_dropped(fx, len, MOTE_CNT_ARP_MALFORMED);
}

static void arp_unsolicited_reply_does_not_poison(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    expect_dropped(fx, fb_arp(f, 2, OTHER_MAC, OTHER_IP, T_MAC, T_IP),
                   MOTE_CNT_ARP_UNSOLICITED);
    /* Nothing was cached: the stack still has to ask. */
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, OTHER_IP);
}

static void arp_reply_redirecting_known_host_updates(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    /* A gratuitous ARP of the peer with a new MAC (NIC swapped). */
    fixture_rx(fx, f, fb_arp(f, 1, OTHER_MAC, PEER_IP, ZERO_MAC, PEER_IP));
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(ping_from(fx, PEER_IP, OTHER_MAC), 1);
    assert_memory_equal(mock_sent(&fx->m, 0)->data, OTHER_MAC, 6);
}

static void arp_claim_of_our_address(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    expect_dropped(fx, fb_arp(f, 1, OTHER_MAC, T_IP, ZERO_MAC, T_IP),
                   MOTE_CNT_ARP_CONFLICT);
    expect_dropped(fx, fb_arp(f, 2, OTHER_MAC, T_IP, T_MAC, PEER_IP),
                   MOTE_CNT_ARP_CONFLICT);
}

static void arp_probe_for_our_address(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    /* RFC 5227 probe: sender address 0.0.0.0. Answered, nothing cached. */
    fixture_rx(fx, f, fb_arp(f, 1, OTHER_MAC, 0, ZERO_MAC, T_IP));
    assert_int_equal(fx->m.tx_count, 1);
    assert_arp(fx, 0, 2, OTHER_MAC, OTHER_MAC, 0);
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, OTHER_IP);
}

static void arp_gratuitous_at_link_up(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    fx->m.link_up = 0;
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 0);
    fx->m.link_up = 1;
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, T_IP);
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 1); /* once per transition */
    /* A new address is announced too. */
    mote_set_ipv4(&fx->s, T_IP, T_MASK, GW_IP);
    fixture_poll(fx);
    assert_int_equal(fx->m.tx_count, 2);
}

static void arp_no_announcement_without_address(void **st)
{
    (void)st;
    static struct mote_stack s;
    static struct mock_drv m;
    mock_reset(&m);
    assert_int_equal(mote_init(&s, &mock_driver, &m, T_MAC), 0);
    mote_poll(&s, 1000);
    assert_int_equal(m.tx_count, 0);
    /* Without an address, requests are not for us. */
    mock_inject(&m, f, fb_arp(f, 1, OTHER_MAC, OTHER_IP, ZERO_MAC, 0));
    mote_poll(&s, 1000);
    assert_int_equal(m.tx_count, 0);
}

static void arp_resolution_then_reply(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    /* Unknown on-link host: the reply is dropped, a request goes instead. */
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, OTHER_IP);
    assert_int_equal(cnt(fx, MOTE_CNT_ARP_MISS), 1);
    /* Its answer is accepted (we asked), and the next echo is answered. */
    mock_clear_sent(&fx->m);
    fixture_rx(fx, f, fb_arp(f, 2, OTHER_MAC, OTHER_IP, T_MAC, T_IP));
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_memory_equal(mock_sent(&fx->m, 0)->data, OTHER_MAC, 6);
    assert_int_equal(rd16(mock_sent(&fx->m, 0)->data + 12), 0x0800);
}

static void arp_requests_rate_limited(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    fx->now += 500;
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 0);
    assert_int_equal(cnt(fx, MOTE_CNT_ARP_MISS), 2);
    fx->now += 600;
    assert_int_equal(ping_from(fx, OTHER_IP, OTHER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, OTHER_IP);
    /* And the fixture's announcement and request for the gateway. */
    assert_int_equal(cnt(fx, MOTE_CNT_ARP_REQUESTS), 2 + 2);
}

static void arp_off_subnet_goes_to_gateway(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    assert_int_equal(ping_from(fx, FAR_IP, GW_MAC), 1);
    const struct mock_frame *o = mock_sent(&fx->m, 0);
    assert_memory_equal(o->data, GW_MAC, 6);
    assert_int_equal(rd32(o->data + 14 + 16), FAR_IP);
}

static void arp_entries_age_out(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    mote_set_timeout(&fx->s, MOTE_TO_ARP_MAX_AGE_MS, 10000);
    fx->now += 9000;
    fixture_poll(fx);
    assert_int_equal(ping_from(fx, PEER_IP, PEER_MAC), 1);
    assert_int_equal(rd16(mock_sent(&fx->m, 0)->data + 12), 0x0800);
    fx->now += 2000;
    fixture_poll(fx);
    assert_int_equal(ping_from(fx, PEER_IP, PEER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, PEER_IP);
}

static void arp_full_cache_recycles_oldest(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new(); /* peer at t, gateway at t */
    uint8_t mac[6] = {2, 0, 0, 0, 1, 0};
    fx->now += 1000;
    fixture_rx(fx, f, fb_arp(f, 1, GW_MAC, GW_IP, ZERO_MAC, T_IP));
    for (unsigned i = 0; i < MOTE_ARP_ENTRIES - 1; i++) {
        fx->now += 1000;
        mac[5] = (uint8_t)i;
        fixture_rx(fx, f, fb_arp(f, 1, mac, MOTE_IPV4(10, 0, 0, 100 + i),
                                 ZERO_MAC, T_IP));
    }
    /* The gateway, refreshed, survived; the peer was the oldest and is
     * gone (asking for it again recycles the next oldest). */
    assert_int_equal(ping_from(fx, FAR_IP, GW_MAC), 1);
    assert_memory_equal(mock_sent(&fx->m, 0)->data, GW_MAC, 6);
    assert_int_equal(ping_from(fx, PEER_IP, PEER_MAC), 1);
    assert_arp(fx, 0, 1, BCAST_MAC, ZERO_MAC, PEER_IP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arp_request_for_us_is_answered),
        cmocka_unit_test(arp_request_for_other_host),
        cmocka_unit_test(arp_hardware_length_not_6),
        cmocka_unit_test(arp_protocol_length_not_4),
        cmocka_unit_test(arp_wrong_hardware_type),
        cmocka_unit_test(arp_wrong_protocol_type),
        cmocka_unit_test(arp_truncated_body),
        cmocka_unit_test(arp_unknown_opcode),
        cmocka_unit_test(arp_sender_mac_multicast),
        cmocka_unit_test(arp_unsolicited_reply_does_not_poison),
        cmocka_unit_test(arp_reply_redirecting_known_host_updates),
        cmocka_unit_test(arp_claim_of_our_address),
        cmocka_unit_test(arp_probe_for_our_address),
        cmocka_unit_test(arp_gratuitous_at_link_up),
        cmocka_unit_test(arp_no_announcement_without_address),
        cmocka_unit_test(arp_resolution_then_reply),
        cmocka_unit_test(arp_requests_rate_limited),
        cmocka_unit_test(arp_off_subnet_goes_to_gateway),
        cmocka_unit_test(arp_entries_age_out),
        cmocka_unit_test(arp_full_cache_recycles_oldest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
