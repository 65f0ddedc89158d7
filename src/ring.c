/*
 * ring.c - SPSC byte ring; the memory-ordering contract is in ring.h.
 */
#include "mote/ring.h"

int mote_ring_init(struct mote_ring *r, uint8_t *buf, uint32_t size)
{
    if (size < 2 || (size & (size - 1)) != 0 || size > 0x80000000u)
        return -1;
    r->buf = buf;
    r->mask = size - 1;
    atomic_store_explicit(&r->head, 0, memory_order_relaxed);
    atomic_store_explicit(&r->tail, 0, memory_order_relaxed);
    return 0;
}

int mote_ring_push(struct mote_ring *r, uint8_t byte)
{
    uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    /* Acquire: the consumer's read of the slot we may reuse is complete. */
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

    if (head - tail > r->mask)
        return -1;
    r->buf[head & r->mask] = byte;
    /* Release: the byte is visible before the index that announces it. */
    atomic_store_explicit(&r->head, head + 1, memory_order_release);
    return 0;
}

size_t mote_ring_read(struct mote_ring *r, uint8_t *out, size_t cap)
{
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    /* Acquire: pairs with the producer's release of `head`. */
    uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t n = 0;

    while (n < cap && tail != head)
        out[n++] = r->buf[tail++ & r->mask];
    if (n != 0) {
        /* Release: our reads of the slots finish before they are reused. */
        atomic_store_explicit(&r->tail, tail, memory_order_release);
    }
    return n;
}

int mote_ring_pop(struct mote_ring *r, uint8_t *out)
{
    return mote_ring_read(r, out, 1) == 1 ? 0 : -1;
}

uint32_t mote_ring_count(struct mote_ring *r)
{
    uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    return head - tail;
}
