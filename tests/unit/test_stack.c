/* The stack object: set-up, poll loop, budget, several stacks at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"

static uint8_t f[MOCK_FRAME_MAX];

static void stack_init_calls_driver(void **st)
{
    (void)st;
    static struct mote_stack s;
    static struct mock_drv m;
    mock_reset(&m);
    assert_int_equal(mote_init(&s, &mock_driver, &m, T_MAC), 0);
    assert_int_equal(m.init_calls, 1);
    for (int id = 0; id < MOTE_CNT_COUNT; id++)
        assert_int_equal(mote_counter(&s, (enum mote_counter_id)id), 0);
    assert_int_equal(mote_counter(&s, MOTE_CNT_COUNT), 0); /* out of range */
}

static void stack_poll_idle_and_budget(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    assert_int_equal(fixture_poll(fx), 1000);
    size_t len = fb_echo(f, T_IP, 1, 1, 8);
    for (int i = 0; i < MOTE_RX_BUDGET + 4; i++)
        mock_inject(&fx->m, f, len);
    assert_int_equal(fixture_poll(fx), 0); /* more may be waiting */
    assert_int_equal(fx->m.tx_count, MOTE_RX_BUDGET);
    assert_int_equal(fixture_poll(fx), 1000);
    assert_int_equal(fx->m.tx_count, MOTE_RX_BUDGET + 4);
}

static void stack_counts_received_frames(void **st)
{
    (void)st;
    struct fixture *fx = fixture_new();
    uint32_t before = cnt(fx, MOTE_CNT_RX_FRAMES);
    fixture_rx(fx, f, fb_echo(f, T_IP, 1, 1, 8));
    fixture_rx(fx, f, 3);
    assert_int_equal(cnt(fx, MOTE_CNT_RX_FRAMES), before + 2);
}

static void stack_two_side_by_side(void **st)
{
    (void)st;
    static struct mote_stack a, b;
    static struct mock_drv ma, mb;
    static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 0x0b};
    mock_reset(&ma);
    mock_reset(&mb);
    mote_init(&a, &mock_driver, &ma, T_MAC);
    mote_init(&b, &mock_driver, &mb, mac_b);
    mote_set_ipv4(&a, T_IP, T_MASK, 0);
    mote_set_ipv4(&b, MOTE_IPV4(10, 0, 0, 9), T_MASK, 0);
    mote_poll(&a, 1);
    mote_poll(&b, 1);
    mock_clear_sent(&ma);
    mock_clear_sent(&mb);

    /* b is asked for its address; a sees the same broadcast and ignores it. */
    size_t len = fb_arp(f, 1, PEER_MAC, PEER_IP, BCAST_MAC,
                        MOTE_IPV4(10, 0, 0, 9));
    mock_inject(&ma, f, len);
    mock_inject(&mb, f, len);
    mote_poll(&a, 2);
    mote_poll(&b, 2);
    assert_int_equal(ma.tx_count, 0);
    assert_int_equal(mb.tx_count, 1);
    assert_memory_equal(mock_sent(&mb, 0)->data + 6, mac_b, 6);
    assert_int_equal(mote_counter(&a, MOTE_CNT_ARP_NOT_OURS), 1);
    assert_int_equal(mote_counter(&b, MOTE_CNT_ARP_NOT_OURS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stack_init_calls_driver),
        cmocka_unit_test(stack_poll_idle_and_budget),
        cmocka_unit_test(stack_counts_received_frames),
        cmocka_unit_test(stack_two_side_by_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
