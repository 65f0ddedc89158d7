/*
 * sched.h - a cooperative scheduler for protothread-style tasks.
 *
 * A task is a function that runs until it has to wait and then returns; the
 * MOTE_PT_* macros below turn it into straight-line code by remembering where
 * it stopped (a switch on the line number, as in Dunkels' protothreads).
 * Local variables do NOT survive a wait: keep every value that must live
 * across one in the task's own struct, which embeds `struct mote_task`:
 *
 *     struct blink { struct mote_task task; int on; };
 *     static int blink_run(struct mote_task *t)
 *     {
 *         struct blink *b = MOTE_TASK_OF(t, struct blink, task);
 *         MOTE_PT_BEGIN(t);
 *         for (;;) {
 *             b->on = !b->on;
 *             MOTE_PT_SLEEP(t, 500);
 *         }
 *         MOTE_PT_END(t);
 *     }
 *
 * The scheduler runs from the main loop only (never from an ISR): an ISR sets
 * a flag or pushes into a ring, and a task waits on it with MOTE_PT_WAIT_UNTIL.
 * Waiting tasks are polled on every mote_sched_run(), so their conditions must
 * be cheap. The scheduler keeps no state of its own beyond a list of the
 * caller's task structs: no heap, no globals.
 */
#ifndef MOTE_SCHED_H
#define MOTE_SCHED_H

#include <stddef.h>
#include <stdint.h>

/* What a task function returns (the macros return these for it). */
enum mote_pt_status {
    MOTE_PT_WAITING = 0,  /* blocked on a condition: poll again next run */
    MOTE_PT_YIELDED = 1,  /* wants the CPU again as soon as possible */
    MOTE_PT_SLEEPING = 2, /* asleep for task->wake ms */
    MOTE_PT_EXITED = 3    /* finished: removed from the scheduler */
};

struct mote_task;
typedef int (*mote_task_fn)(struct mote_task *t);

struct mote_task {
    mote_task_fn run;
    struct mote_task *next; /* scheduler's list; NULL at the tail */
    uint32_t now;           /* time of the current run, ms (read by tasks) */
    uint32_t wake;          /* sleeping: time to resume, ms */
    uint16_t pt;            /* resume point: line of the last wait; 0: start */
    uint8_t sleeping;
};

struct mote_sched {
    struct mote_task *head;
};

/* mote_sched_run() result when no task sleeps and none yielded: only an
 * event (interrupt) can make work. */
#define MOTE_SCHED_IDLE UINT32_MAX

/* The struct that embeds task `t` as member `member`. */
#define MOTE_TASK_OF(t, type, member) \
    ((type *)(void *)((char *)(t) - offsetof(type, member)))

/* The wait macros fall into their own case label on purpose. */
#if defined(__has_attribute)
#if __has_attribute(__fallthrough__)
#define MOTE_PT_FALLTHROUGH_ __attribute__((__fallthrough__))
#endif
#endif
#ifndef MOTE_PT_FALLTHROUGH_
#define MOTE_PT_FALLTHROUGH_ ((void)0)
#endif

/* ---- protothread macros (use inside a task function) --------------------
 * Only one MOTE_PT_* wait per source line: the line number is the label. */
#define MOTE_PT_BEGIN(t) switch ((t)->pt) { case 0:

#define MOTE_PT_END(t)                                                     \
    }                                                                      \
    (t)->pt = 0;                                                           \
    return MOTE_PT_EXITED

/* Resumes only once `cond` is true (checked on each scheduler run). */
#define MOTE_PT_WAIT_UNTIL(t, cond)                                        \
    do {                                                                   \
        (t)->pt = __LINE__;                                                \
        MOTE_PT_FALLTHROUGH_;                                              \
    case __LINE__:                                                         \
        if (!(cond))                                                       \
            return MOTE_PT_WAITING;                                        \
    } while (0)

/* Lets the other tasks run, then continues at the next scheduler run. */
#define MOTE_PT_YIELD(t)                                                   \
    do {                                                                   \
        (t)->pt = __LINE__;                                                \
        return MOTE_PT_YIELDED;                                            \
    case __LINE__:;                                                        \
    } while (0)

/* Sleeps `ms` milliseconds (measured from this run's time). */
#define MOTE_PT_SLEEP(t, ms)                                               \
    do {                                                                   \
        (t)->wake = (uint32_t)(ms);                                        \
        (t)->pt = __LINE__;                                                \
        return MOTE_PT_SLEEPING;                                           \
    case __LINE__:;                                                        \
    } while (0)

/* Ends the task now. */
#define MOTE_PT_EXIT(t)                                                    \
    do {                                                                   \
        (t)->pt = 0;                                                       \
        return MOTE_PT_EXITED;                                             \
    } while (0)

/* ---- scheduler ----------------------------------------------------------- */

void mote_sched_init(struct mote_sched *s);

/* Adds task `t` (its struct must outlive its time in the scheduler) to run
 * `fn` from the start; tasks run in the order they were added. Adding a task
 * that is already scheduled is a no-op. */
void mote_sched_add(struct mote_sched *s, struct mote_task *t,
                    mote_task_fn fn);

/* Removes `t` if scheduled (it may be added again later, from the start). */
void mote_sched_remove(struct mote_sched *s, struct mote_task *t);

/* Ends a task's sleep early: it runs at the next mote_sched_run(). */
void mote_task_wake(struct mote_task *t);

/* Runs every task that is not asleep (or whose sleep ended at `now`, a
 * wrapping ms clock) once. Returns 0 when a task yielded, else the ms until
 * the earliest sleeper is due, else MOTE_SCHED_IDLE. */
uint32_t mote_sched_run(struct mote_sched *s, uint32_t now);

/* Number of tasks scheduled. */
size_t mote_sched_count(const struct mote_sched *s);

#endif /* MOTE_SCHED_H */
