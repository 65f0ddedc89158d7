/*
 * fault.h - a seeded fault injector for frames in both directions: loss,
 * duplication, reordering (a frame held in a small delay queue while later
 * ones pass) and corruption (one bit flipped past the Ethernet header, so the
 * frame still reaches the IP and TCP checksums). The kernels these tests run
 * on have no netem; this stands in for it. Deterministic for a given seed and
 * sequence of frames.
 */
#ifndef MOTE_POSIX_FAULT_H
#define MOTE_POSIX_FAULT_H

#include <stddef.h>
#include <stdint.h>

#define FAULT_FRAME_MAX 1536
#define FAULT_QUEUE 8

enum fault_dir { FAULT_RX, FAULT_TX };

struct fault_cfg {
    double loss, dup, reorder, corrupt; /* probabilities, 0..1 */
    uint32_t delay_ms;                  /* how long a reordered frame waits */
    uint64_t seed;
};

struct fault_stats {
    unsigned long passed, dropped, duplicated, delayed, corrupted;
};

struct fault {
    struct fault_cfg cfg;
    uint64_t rng;
    struct fault_stats st[2];
    struct {
        uint32_t due;
        enum fault_dir dir;
        size_t len;
        uint8_t data[FAULT_FRAME_MAX];
    } q[FAULT_QUEUE];
    unsigned qn;
};

/* Receives each frame that leaves the injector. */
typedef void (*fault_emit_fn)(void *ctx, enum fault_dir dir,
                              const uint8_t *frame, size_t len);

void fault_init(struct fault *f, const struct fault_cfg *cfg);
/* Nonzero when any fault is configured (else frames need not pass here). */
int fault_active(const struct fault *f);
/* Passes one frame (two spans) through: emits it 0, 1 or 2 times now, or
 * holds it until `now + delay_ms`. */
void fault_pass(struct fault *f, enum fault_dir dir, const uint8_t *head,
                size_t head_len, const uint8_t *tail, size_t tail_len,
                uint32_t now, fault_emit_fn emit, void *ctx);
/* Emits the held frames that are due at `now`. */
void fault_release(struct fault *f, uint32_t now, fault_emit_fn emit,
                   void *ctx);
/* Milliseconds until the next held frame is due; -1 when none is held. */
int fault_next_due(const struct fault *f, uint32_t now);

#endif
