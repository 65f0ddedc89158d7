/* The host port's fault injector: each fault happens, at about the rate
 * asked, and the same seed gives the same run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fault.h"

struct sink {
    unsigned n;
    uint8_t first_byte[4096];
    size_t len[4096];
    uint8_t last[FAULT_FRAME_MAX];
};

static void collect(void *ctx, enum fault_dir dir, const uint8_t *frame,
                    size_t len)
{
    struct sink *k = ctx;
    (void)dir;
    if (k->n < 4096) {
        k->first_byte[k->n] = frame[14];
        k->len[k->n] = len;
    }
    memcpy(k->last, frame, len);
    k->n++;
}

static struct sink run(const struct fault_cfg *cfg, unsigned frames,
                       struct fault *f)
{
    struct sink k;
    uint8_t frame[100];
    memset(&k, 0, sizeof k);
    memset(frame, 0, sizeof frame);
    fault_init(f, cfg);
    for (unsigned i = 0; i < frames; i++) {
        frame[14] = (uint8_t)i;
        /* Two spans, as the stack sends them. */
        fault_pass(f, FAULT_TX, frame, 40, frame + 40, 60, i, collect, &k);
        fault_release(f, i, collect, &k);
    }
    fault_release(f, frames + 1000, collect, &k);
    return k;
}

static void fault_off_passes_everything(void **st)
{
    (void)st;
    static struct fault f;
    struct fault_cfg cfg = {.seed = 1};
    struct sink k = run(&cfg, 1000, &f);
    assert_false(fault_active(&f));
    assert_int_equal(k.n, 1000);
    for (unsigned i = 0; i < 1000; i++) {
        assert_int_equal(k.first_byte[i], (uint8_t)i);
        assert_int_equal(k.len[i], 100);
    }
}

static void fault_loss_rate(void **st)
{
    (void)st;
    static struct fault f;
    struct fault_cfg cfg = {.loss = 0.1, .seed = 7};
    struct sink k = run(&cfg, 4000, &f);
    assert_int_equal(f.st[FAULT_TX].dropped + k.n, 4000);
    assert_in_range(f.st[FAULT_TX].dropped, 300, 500);
}

static void fault_duplication(void **st)
{
    (void)st;
    static struct fault f;
    struct fault_cfg cfg = {.dup = 0.2, .seed = 3};
    struct sink k = run(&cfg, 2000, &f);
    assert_int_equal(k.n, 2000 + f.st[FAULT_TX].duplicated);
    assert_in_range(f.st[FAULT_TX].duplicated, 300, 500);
}

static void fault_reordering(void **st)
{
    (void)st;
    static struct fault f;
    struct fault_cfg cfg = {.reorder = 0.1, .delay_ms = 5, .seed = 5};
    struct sink k = run(&cfg, 2000, &f);
    unsigned out_of_order = 0;
    assert_int_equal(k.n, 2000); /* nothing lost, only late */
    for (unsigned i = 1; i < k.n; i++)
        if ((uint8_t)(k.first_byte[i] - k.first_byte[i - 1]) > 128)
            out_of_order++;
    assert_true(f.st[FAULT_TX].delayed > 100);
    assert_true(out_of_order > 100);
}

static void fault_corruption_flips_one_bit(void **st)
{
    (void)st;
    static struct fault f;
    struct fault_cfg cfg = {.corrupt = 1.0, .seed = 9};
    uint8_t frame[100];
    struct sink k;
    memset(&k, 0, sizeof k);
    memset(frame, 0, sizeof frame);
    fault_init(&f, &cfg);
    for (int i = 0; i < 200; i++) {
        fault_pass(&f, FAULT_RX, frame, 100, NULL, 0, 0, collect, &k);
        unsigned bits = 0;
        for (int j = 0; j < 100; j++)
            bits += (unsigned)__builtin_popcount(k.last[j]);
        assert_int_equal(bits, 1);
        for (int j = 0; j < 14; j++) /* the Ethernet header is spared */
            assert_int_equal(k.last[j], 0);
    }
}

static void fault_same_seed_same_run(void **st)
{
    (void)st;
    static struct fault f1, f2;
    struct fault_cfg cfg = {.loss = 0.1, .dup = 0.1, .reorder = 0.1,
                            .corrupt = 0.1, .delay_ms = 3, .seed = 42};
    struct sink a = run(&cfg, 1000, &f1);
    struct sink b = run(&cfg, 1000, &f2);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.first_byte, b.first_byte, a.n);
    cfg.seed = 43;
    struct sink c = run(&cfg, 1000, &f2);
    assert_true(a.n != c.n || memcmp(a.first_byte, c.first_byte, a.n) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fault_off_passes_everything),
        cmocka_unit_test(fault_loss_rate),
        cmocka_unit_test(fault_duplication),
        cmocka_unit_test(fault_reordering),
        cmocka_unit_test(fault_corruption_flips_one_bit),
        cmocka_unit_test(fault_same_seed_same_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
