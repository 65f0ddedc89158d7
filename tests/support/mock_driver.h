/*
 * mock_driver.h - a link driver for unit tests: frames are injected into a
 * receive queue and every frame the stack sends is recorded.
 */
#ifndef MOCK_DRIVER_H
#define MOCK_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

#define MOCK_FRAME_MAX 2048
#define MOCK_RX_SLOTS 32
#define MOCK_TX_SLOTS 32

struct mock_frame {
    size_t len;
    size_t head_len;      /* the first span's length */
    const uint8_t *tail;  /* the second span as passed (zero-copy checks) */
    uint8_t data[MOCK_FRAME_MAX];
};

struct mock_drv {
    int link_up;      /* what poll() reports */
    int fail_tx;      /* nonzero: tx() refuses frames */
    int init_calls;
    struct mock_frame rx[MOCK_RX_SLOTS];
    unsigned rx_head, rx_count;
    struct mock_frame tx[MOCK_TX_SLOTS];
    unsigned tx_count; /* frames recorded (at most MOCK_TX_SLOTS kept) */
};

extern const struct mote_driver mock_driver;

void mock_reset(struct mock_drv *m);
/* Queues a frame for the stack's next rx(); fails the test when full. */
void mock_inject(struct mock_drv *m, const void *frame, size_t len);
/* The i-th frame sent since the last mock_clear_sent(). */
const struct mock_frame *mock_sent(const struct mock_drv *m, unsigned i);
void mock_clear_sent(struct mock_drv *m);

#endif
