/*
 * test_sched.c - the cooperative scheduler and the protothread macros:
 * order, sleeping across the clock wrap, waiting on a condition, yield,
 * exit and removal, and task state that lives in the task's struct.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mote/sched.h"

/* Records the order in which tasks ran. */
static char trace[64];
static size_t trace_len;

static void mark(char c)
{
    if (trace_len < sizeof trace - 1)
        trace[trace_len++] = c;
    trace[trace_len] = '\0';
}

static int setup(void **state)
{
    (void)state;
    trace_len = 0;
    trace[0] = '\0';
    return 0;
}

/* Sleeps `period` between steps, `steps` times, then exits. */
struct sleeper {
    struct mote_task task;
    char name;
    uint32_t period;
    int steps;
    int done;
};

static int sleeper_run(struct mote_task *t)
{
    struct sleeper *s = MOTE_TASK_OF(t, struct sleeper, task);
    MOTE_PT_BEGIN(t);
    for (s->done = 0; s->done < s->steps; s->done++) {
        mark(s->name);
        MOTE_PT_SLEEP(t, s->period);
    }
    MOTE_PT_END(t);
}

static void test_order_and_sleep(void **state)
{
    struct mote_sched sc;
    struct sleeper a = {.name = 'a', .period = 10, .steps = 3};
    struct sleeper b = {.name = 'b', .period = 25, .steps = 2};
    (void)state;

    mote_sched_init(&sc);
    mote_sched_add(&sc, &a.task, sleeper_run);
    mote_sched_add(&sc, &b.task, sleeper_run);
    mote_sched_add(&sc, &a.task, sleeper_run); /* no duplicate */
    assert_int_equal(mote_sched_count(&sc), 2);

    assert_int_equal(mote_sched_run(&sc, 1000), 10);
    assert_string_equal(trace, "ab");
    assert_int_equal(mote_sched_run(&sc, 1009), 1);  /* nobody due */
    assert_string_equal(trace, "ab");
    assert_int_equal(mote_sched_run(&sc, 1010), 10); /* a again */
    assert_string_equal(trace, "aba");
    assert_int_equal(mote_sched_run(&sc, 1020), 5);  /* a, then b at 1025 */
    assert_int_equal(mote_sched_run(&sc, 1025), 5);  /* b */
    assert_string_equal(trace, "abaab");
    /* a's third sleep ends at 1030: it exits, b still sleeps until 1050. */
    assert_int_equal(mote_sched_run(&sc, 1030), 20);
    assert_int_equal(mote_sched_count(&sc), 1);
    assert_int_equal(mote_sched_run(&sc, 1050), MOTE_SCHED_IDLE);
    assert_int_equal(mote_sched_count(&sc), 0);
    assert_int_equal(a.done, 3);
    assert_int_equal(b.done, 2);
}

static void test_sleep_across_clock_wrap(void **state)
{
    struct mote_sched sc;
    struct sleeper a = {.name = 'w', .period = 100, .steps = 2};
    (void)state;

    mote_sched_init(&sc);
    mote_sched_add(&sc, &a.task, sleeper_run);
    assert_int_equal(mote_sched_run(&sc, UINT32_MAX - 49), 100);
    /* 50 ms later the clock has wrapped to 0: 50 ms are left. */
    assert_int_equal(mote_sched_run(&sc, 0), 50);
    assert_string_equal(trace, "w");
    assert_int_equal(mote_sched_run(&sc, 50), 100);
    assert_string_equal(trace, "ww");
}

/* Waits for a flag (as an ISR would set), then counts the wake-ups. */
struct waiter {
    struct mote_task task;
    volatile int flag;
    int woken;
    uint32_t woke_at;
};

static int waiter_run(struct mote_task *t)
{
    struct waiter *w = MOTE_TASK_OF(t, struct waiter, task);
    MOTE_PT_BEGIN(t);
    for (;;) {
        MOTE_PT_WAIT_UNTIL(t, w->flag);
        w->flag = 0;
        w->woken++;
        w->woke_at = t->now;
    }
    MOTE_PT_END(t);
}

static void test_wait_until(void **state)
{
    struct mote_sched sc;
    struct waiter w = {0};
    (void)state;

    mote_sched_init(&sc);
    mote_sched_add(&sc, &w.task, waiter_run);
    /* Waiting on an event only: the loop may sleep until an interrupt. */
    assert_int_equal(mote_sched_run(&sc, 5), MOTE_SCHED_IDLE);
    assert_int_equal(mote_sched_run(&sc, 6), MOTE_SCHED_IDLE);
    assert_int_equal(w.woken, 0);
    w.flag = 1;
    mote_sched_run(&sc, 7);
    assert_int_equal(w.woken, 1);
    assert_int_equal(w.woke_at, 7);
    mote_sched_run(&sc, 8);
    assert_int_equal(w.woken, 1);
}

/* Yields between steps: each run advances one step, and run() returns 0. */
struct yielder {
    struct mote_task task;
    int i;
};

static int yielder_run(struct mote_task *t)
{
    struct yielder *y = MOTE_TASK_OF(t, struct yielder, task);
    MOTE_PT_BEGIN(t);
    for (y->i = 0; y->i < 3; y->i++) {
        mark((char)('0' + y->i));
        MOTE_PT_YIELD(t);
    }
    MOTE_PT_EXIT(t);
    MOTE_PT_END(t);
}

static void test_yield_and_exit(void **state)
{
    struct mote_sched sc;
    struct yielder y = {0};
    struct sleeper s = {.name = 's', .period = 1000, .steps = 5};
    (void)state;

    mote_sched_init(&sc);
    mote_sched_add(&sc, &y.task, yielder_run);
    mote_sched_add(&sc, &s.task, sleeper_run);
    assert_int_equal(mote_sched_run(&sc, 0), 0);
    assert_int_equal(mote_sched_run(&sc, 0), 0);
    assert_int_equal(mote_sched_run(&sc, 0), 0);
    assert_string_equal(trace, "0s12");
    /* The fourth run leaves the loop and exits: only the sleeper is left. */
    assert_int_equal(mote_sched_run(&sc, 1), 999);
    assert_int_equal(mote_sched_count(&sc), 1);

    /* An exited task can be added again and starts over. */
    mote_sched_add(&sc, &y.task, yielder_run);
    assert_int_equal(mote_sched_run(&sc, 2), 0);
    assert_string_equal(trace, "0s120");
}

static void test_remove_and_wake(void **state)
{
    struct mote_sched sc;
    struct sleeper a = {.name = 'a', .period = 500, .steps = 9};
    struct sleeper b = {.name = 'b', .period = 500, .steps = 9};
    struct sleeper c = {.name = 'c', .period = 500, .steps = 9};
    (void)state;

    mote_sched_init(&sc);
    mote_sched_add(&sc, &a.task, sleeper_run);
    mote_sched_add(&sc, &b.task, sleeper_run);
    mote_sched_add(&sc, &c.task, sleeper_run);
    mote_sched_run(&sc, 0);
    assert_string_equal(trace, "abc");
    mote_sched_remove(&sc, &b.task);
    mote_sched_remove(&sc, &b.task); /* absent: no-op */
    assert_int_equal(mote_sched_count(&sc), 2);
    mote_task_wake(&c.task);
    assert_int_equal(mote_sched_run(&sc, 1), 0 + 499);
    assert_string_equal(trace, "abcc");
    mote_sched_run(&sc, 500);
    assert_string_equal(trace, "abcca");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_order_and_sleep, setup),
        cmocka_unit_test_setup(test_sleep_across_clock_wrap, setup),
        cmocka_unit_test_setup(test_wait_until, setup),
        cmocka_unit_test_setup(test_yield_and_exit, setup),
        cmocka_unit_test_setup(test_remove_and_wake, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
