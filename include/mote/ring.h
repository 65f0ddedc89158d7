/*
 * ring.h - single-producer / single-consumer byte ring (C11 atomics).
 *
 * One context (an ISR, or a thread) pushes and exactly one other context pops;
 * neither ever blocks or takes a lock, so an interrupt handler can feed the
 * main loop (UART bytes, small events) without masking interrupts.
 *
 * The caller owns the storage: a power-of-two number of bytes, at most 2^31.
 *
 * Memory ordering:
 * - `head` is written only by the producer, `tail` only by the consumer.
 *   Each side reads its own index relaxed (nobody else writes it).
 * - push: the byte is stored into the slot, then `head` is published with a
 *   release store; pop loads `head` with acquire, so once it sees the new
 *   index it also sees the byte.
 * - pop: the byte is read out of the slot, then `tail` is published with a
 *   release store; push loads `tail` with acquire, so it never overwrites a
 *   slot whose byte the consumer has not finished reading.
 * On a single-core Cortex-M an ISR and the main loop only need the compiler
 * not to reorder those accesses; the acquire/release pairs also make the
 * ring correct between two threads on a multi-core host (the TSan test).
 *
 * Indices run freely and wrap at 2^32; `head - tail` is the fill level.
 */
#ifndef MOTE_RING_H
#define MOTE_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct mote_ring {
    _Atomic uint32_t head; /* next slot to write; producer-owned */
    _Atomic uint32_t tail; /* next slot to read; consumer-owned */
    uint32_t mask;         /* capacity - 1 */
    uint8_t *buf;
};

/* Prepares `r` over `buf` of `size` bytes (a power of two, >= 2). Returns 0,
 * or -1 when `size` is not a power of two. Call before either side runs. */
int mote_ring_init(struct mote_ring *r, uint8_t *buf, uint32_t size);

/* Producer side: appends one byte; returns 0, or -1 when the ring is full
 * (the byte is dropped: the caller counts it). */
int mote_ring_push(struct mote_ring *r, uint8_t byte);

/* Consumer side: removes one byte into *out; returns 0, or -1 when empty. */
int mote_ring_pop(struct mote_ring *r, uint8_t *out);

/* Consumer side: removes up to `cap` bytes into `out`; returns how many. */
size_t mote_ring_read(struct mote_ring *r, uint8_t *out, size_t cap);

/* Bytes waiting: to the consumer a lower bound (more may arrive), to the
 * producer an upper bound (some may already be taken). */
uint32_t mote_ring_count(struct mote_ring *r);

#endif /* MOTE_RING_H */
