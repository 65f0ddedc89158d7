/* The Internet checksum: both loops (words where the target loads them
 * unaligned, byte pairs elsewhere) against a plain RFC 1071 reference, at
 * every length and alignment, chained and at the largest IPv4 payload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* The byte-pair loop, compiled here under other names (the library built
 * for this host uses the word loop). */
#define MOTE_CKSUM_WORDS 0
#define mote_cksum_add cksum_add_pairs
#define mote_cksum_fold cksum_fold_pairs
#define mote_cksum cksum_pairs
#include "../../src/checksum.c"
#undef mote_cksum_add
#undef mote_cksum_fold
#undef mote_cksum

uint32_t mote_cksum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t mote_cksum_fold(uint32_t sum);
uint16_t mote_cksum(uint32_t sum, const uint8_t *p, size_t len);

static uint16_t reference(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum += (uint32_t)p[i] << (i & 1 ? 0 : 8);
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint8_t buf[65536 + 8];

static void fill(uint32_t seed)
{
    for (size_t i = 0; i < sizeof buf; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
}

static void every_length_and_alignment(void **st)
{
    (void)st;
    fill(1);
    for (size_t off = 0; off < 4; off++)
        for (size_t len = 0; len <= 300; len++) {
            const uint8_t *p = buf + off;
            uint16_t want = reference(0x1234, p, len);
            assert_int_equal(mote_cksum_fold(mote_cksum_add(0x1234, p, len)),
                             want);
            assert_int_equal(cksum_pairs(0x1234, p, len), want);
            assert_int_equal(mote_cksum(0x1234, p, len), want);
        }
}

static void chained_even_parts(void **st)
{
    (void)st;
    fill(2);
    /* Callers chain a pseudo-header, a header and a payload: every part but
     * the last has an even length. */
    for (size_t a = 0; a <= 40; a += 2)
        for (size_t b = 0; b <= 61; b++) {
            uint32_t s = mote_cksum_add(0, buf + 1, a);
            s = mote_cksum_add(s, buf + 1 + a, b);
            assert_int_equal(mote_cksum_fold(s), reference(0, buf + 1, a + b));
        }
}

static void largest_payload_all_ones(void **st)
{
    (void)st;
    memset(buf, 0xff, sizeof buf);
    assert_int_equal(mote_cksum_fold(mote_cksum_add(0xffff, buf + 3, 65535)),
                     reference(0xffff, buf + 3, 65535));
    assert_int_equal(cksum_fold_pairs(cksum_add_pairs(0xffff, buf + 3, 65535)),
                     reference(0xffff, buf + 3, 65535));
    fill(3);
    assert_int_equal(mote_cksum_fold(mote_cksum_add(0, buf, 65536)),
                     reference(0, buf, 65536));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_length_and_alignment),
        cmocka_unit_test(chained_even_parts),
        cmocka_unit_test(largest_payload_all_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
