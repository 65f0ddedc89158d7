/*
 * test_ring.c - the SPSC ring's single-threaded contract: capacity, order,
 * full/empty, wrap of the free-running indices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mote/ring.h"

static void test_init_rejects_bad_sizes(void **state)
{
    struct mote_ring r;
    uint8_t buf[16];
    (void)state;
    assert_int_equal(mote_ring_init(&r, buf, 0), -1);
    assert_int_equal(mote_ring_init(&r, buf, 1), -1);
    assert_int_equal(mote_ring_init(&r, buf, 12), -1);
    assert_int_equal(mote_ring_init(&r, buf, 16), 0);
    assert_int_equal(mote_ring_count(&r), 0);
}

static void test_fill_and_drain(void **state)
{
    struct mote_ring r;
    uint8_t buf[8], b;
    (void)state;
    assert_int_equal(mote_ring_init(&r, buf, sizeof buf), 0);
    assert_int_equal(mote_ring_pop(&r, &b), -1);
    for (int i = 0; i < 8; i++)
        assert_int_equal(mote_ring_push(&r, (uint8_t)(i + 1)), 0);
    /* All 8 slots are usable: indices run freely, no slot is sacrificed. */
    assert_int_equal(mote_ring_push(&r, 99), -1);
    assert_int_equal(mote_ring_count(&r), 8);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(mote_ring_pop(&r, &b), 0);
        assert_int_equal(b, i + 1);
    }
    assert_int_equal(mote_ring_pop(&r, &b), -1);
}

static void test_read_bulk(void **state)
{
    struct mote_ring r;
    uint8_t buf[4], out[8];
    (void)state;
    assert_int_equal(mote_ring_init(&r, buf, sizeof buf), 0);
    assert_int_equal(mote_ring_read(&r, out, sizeof out), 0);
    mote_ring_push(&r, 'a');
    mote_ring_push(&r, 'b');
    mote_ring_push(&r, 'c');
    assert_int_equal(mote_ring_read(&r, out, 2), 2);
    assert_memory_equal(out, "ab", 2);
    assert_int_equal(mote_ring_read(&r, out, sizeof out), 1);
    assert_int_equal(out[0], 'c');
}

/* Indices close to 2^32 wrap without the ring noticing. */
static void test_index_wrap(void **state)
{
    struct mote_ring r;
    uint8_t buf[4], b;
    (void)state;
    assert_int_equal(mote_ring_init(&r, buf, sizeof buf), 0);
    atomic_store(&r.head, UINT32_MAX - 2);
    atomic_store(&r.tail, UINT32_MAX - 2);
    for (uint32_t i = 0; i < 40; i++) {
        assert_int_equal(mote_ring_push(&r, (uint8_t)i), 0);
        assert_int_equal(mote_ring_push(&r, (uint8_t)(i + 100)), 0);
        assert_int_equal(mote_ring_count(&r), 2);
        assert_int_equal(mote_ring_pop(&r, &b), 0);
        assert_int_equal(b, (uint8_t)i);
        assert_int_equal(mote_ring_pop(&r, &b), 0);
        assert_int_equal(b, (uint8_t)(i + 100));
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(mote_ring_push(&r, 1), 0);
    assert_int_equal(mote_ring_push(&r, 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rejects_bad_sizes),
        cmocka_unit_test(test_fill_and_drain),
        cmocka_unit_test(test_read_bulk),
        cmocka_unit_test(test_index_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
