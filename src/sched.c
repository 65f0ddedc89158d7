/*
 * sched.c - cooperative scheduler; see sched.h for the task model.
 */
#include "mote/sched.h"

void mote_sched_init(struct mote_sched *s)
{
    s->head = NULL;
}

static int scheduled(const struct mote_sched *s, const struct mote_task *t)
{
    for (const struct mote_task *p = s->head; p != NULL; p = p->next)
        if (p == t)
            return 1;
    return 0;
}

void mote_sched_add(struct mote_sched *s, struct mote_task *t,
                    mote_task_fn fn)
{
    struct mote_task **pp = &s->head;

    if (scheduled(s, t))
        return;
    t->run = fn;
    t->next = NULL;
    t->pt = 0;
    t->sleeping = 0;
    t->wake = 0;
    t->now = 0;
    while (*pp != NULL)
        pp = &(*pp)->next;
    *pp = t;
}

void mote_sched_remove(struct mote_sched *s, struct mote_task *t)
{
    for (struct mote_task **pp = &s->head; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            t->next = NULL;
            return;
        }
    }
}

void mote_task_wake(struct mote_task *t)
{
    t->sleeping = 0;
}

uint32_t mote_sched_run(struct mote_sched *s, uint32_t now)
{
    uint32_t next = MOTE_SCHED_IDLE;
    struct mote_task **pp = &s->head;

    while (*pp != NULL) {
        struct mote_task *t = *pp;
        int st;

        /* Signed difference: deadlines keep working across the wrap. */
        if (t->sleeping && (int32_t)(now - t->wake) < 0) {
            uint32_t left = t->wake - now;
            if (left < next)
                next = left;
            pp = &t->next;
            continue;
        }
        t->sleeping = 0;
        t->now = now;
        st = t->run(t);
        if (st == MOTE_PT_EXITED) {
            *pp = t->next; /* unlink; `pp` now points at the next task */
            t->next = NULL;
            continue;
        }
        if (st == MOTE_PT_YIELDED) {
            next = 0;
        } else if (st == MOTE_PT_SLEEPING) {
            uint32_t d = t->wake;
            /* Cap at half the clock range so the signed test stays valid. */
            if (d > 0x7fffffffu)
                d = 0x7fffffffu;
            t->wake = now + d;
            t->sleeping = 1;
            if (d < next)
                next = d;
        }
        pp = &t->next;
    }
    return next;
}

size_t mote_sched_count(const struct mote_sched *s)
{
    size_t n = 0;
    for (const struct mote_task *p = s->head; p != NULL; p = p->next)
        n++;
    return n;
}
