/*
 * test_ring_tsan.c - two threads through one SPSC ring, built with
 * ThreadSanitizer: the producer pushes a known byte sequence as fast as it
 * can, the consumer checks every byte arrives once and in order. A missing
 * acquire/release in ring.c shows up as a TSan data race report (the build
 * makes any report fatal), a logic error as a wrong byte.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "mote/ring.h"

#define TOTAL 1000000u

static struct mote_ring ring;
static uint8_t storage[64]; /* small, so the ring is full and empty often */

static uint8_t seq(uint32_t i)
{
    return (uint8_t)(i * 131u + (i >> 8));
}

static void *producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < TOTAL;) {
        if (mote_ring_push(&ring, seq(i)) == 0)
            i++;
    }
    return NULL;
}

static void *consumer(void *arg)
{
    uint8_t chunk[13];
    uint32_t got = 0;
    unsigned long *errors = arg;

    while (got < TOTAL) {
        /* Alternate single pops and bulk reads: both paths race. */
        size_t n;
        if (got & 1u) {
            n = mote_ring_pop(&ring, chunk) == 0 ? 1 : 0;
        } else {
            n = mote_ring_read(&ring, chunk, sizeof chunk);
        }
        for (size_t k = 0; k < n; k++, got++)
            if (chunk[k] != seq(got))
                (*errors)++;
    }
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    unsigned long errors = 0;

    if (mote_ring_init(&ring, storage, sizeof storage) != 0)
        return 1;
    if (pthread_create(&c, NULL, consumer, &errors) != 0 ||
        pthread_create(&p, NULL, producer, NULL) != 0)
        return 1;
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    if (errors != 0 || mote_ring_count(&ring) != 0) {
        fprintf(stderr, "ring stress: %lu bytes wrong, %u left\n", errors,
                (unsigned)mote_ring_count(&ring));
        return 1;
    }
    printf("ring stress: %u bytes in order through a %u-byte ring\n", TOTAL,
           (unsigned)sizeof storage);
    return 0;
}
