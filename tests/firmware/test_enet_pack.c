/*
 * test_enet_pack.c - the Stellaris TX word packing (ports/lm3s6965/
 * enet_pack.h) on the host: for every frame length and every place the
 * head/payload boundary can fall, the words must be exactly the FIFO
 * format (length word with bytes 0-1, then 4 bytes per word, zero-padded)
 * and the spans must be read in place at any alignment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "enet_pack.h"

struct sink {
    uint32_t w[600];
    size_t n;
};

static void put(void *ctx, uint32_t word)
{
    struct sink *s = ctx;
    assert_true(s->n < sizeof s->w / sizeof s->w[0]);
    s->w[s->n++] = word;
}

/* The FIFO words for frame f of len bytes, built the obvious way. */
static size_t reference(const uint8_t *f, size_t len, uint32_t *w)
{
    uint8_t bytes[2 + 1514 + 4] = {0};
    size_t total = 2 + len, n = (total + 3) / 4;
    bytes[0] = (uint8_t)(len - 14);
    bytes[1] = (uint8_t)((len - 14) >> 8);
    memcpy(bytes + 2, f, len);
    for (size_t i = 0; i < n; i++)
        w[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
               (uint32_t)bytes[4 * i + 2] << 16 |
               (uint32_t)bytes[4 * i + 3] << 24;
    return n;
}

static void check(const uint8_t *frame, size_t len, size_t split,
                  size_t misalign)
{
    static uint8_t head[1514 + 8], tail[1514 + 8];
    static struct sink s;
    static uint32_t ref[600];
    struct mote_enet_pack p;

    /* Copy the spans to odd offsets: unaligned sources must work. */
    memcpy(head + misalign, frame, split);
    memcpy(tail + (misalign ^ 3u), frame + split, len - split);
    s.n = 0;
    mote_enet_pack_start(&p, len);
    mote_enet_pack_bytes(&p, head + misalign, split, put, &s);
    mote_enet_pack_bytes(&p, tail + (misalign ^ 3u), len - split, put, &s);
    mote_enet_pack_end(&p, put, &s);
    size_t n = reference(frame, len, ref);
    assert_int_equal(s.n, n);
    assert_memory_equal(s.w, ref, n * sizeof ref[0]);
}

static void test_every_split(void **state)
{
    uint8_t frame[1514];
    (void)state;
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 7u + 1u);
    static const size_t lens[] = {14, 15, 16, 17, 42, 60, 61, 62, 63, 98,
                                  590, 1000, 1513, 1514};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t len = lens[li];
        for (size_t split = 0; split <= len; split++)
            check(frame, len, split, split & 3u);
    }
}

static void test_every_length(void **state)
{
    uint8_t frame[1514];
    (void)state;
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(0xA5u ^ i);
    for (size_t len = 14; len <= sizeof frame; len++) {
        check(frame, len, len, 0);        /* headers only */
        check(frame, len, 14, 1);         /* Ethernet header + payload */
        check(frame, len, len > 54 ? 54 : len, 2); /* TCP-style headers */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
