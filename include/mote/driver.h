/*
 * driver.h - the link driver table between mote and one network interface.
 *
 * A port fills one `struct mote_driver` (usually const, in flash) and passes
 * it with its own context pointer to mote_init(). The stack calls it only from
 * mote_init() and mote_poll(), never from an interrupt: an ISR sets a flag and
 * frames wait in the MAC's FIFO (or the port's ring) until rx() reads them.
 */
#ifndef MOTE_DRIVER_H
#define MOTE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

struct mote_driver {
    /* Brings the interface up. `mac` holds the address given to mote_init();
     * a driver whose hardware has its own address may overwrite it. Returns 0
     * on success; the stack does not run when it fails. */
    int (*init)(void *ctx, uint8_t mac[6]);

    /* Reads one waiting frame (Ethernet header first, no FCS) into `buf` of
     * `cap` bytes and returns its length; 0 when none waits. A frame longer
     * than `cap` is discarded by the driver, which returns any value > cap so
     * the stack can count it. */
    size_t (*rx)(void *ctx, uint8_t *buf, size_t cap);

    /* Sends one frame made of two spans: `head` (the headers, built in the
     * packet buffer) followed by `tail` (payload, possibly constant data in
     * flash; may be NULL with tail_len 0). The spans are only valid during the
     * call: copy or transmit them before returning. Frames shorter than 60 B
     * are padded by the driver or the MAC. Returns 0 when the frame was sent or
     * queued, nonzero when it was dropped. */
    int (*tx)(void *ctx, const uint8_t *head, size_t head_len,
              const uint8_t *tail, size_t tail_len);

    /* Returns nonzero while the link is up. May be NULL: always up. */
    int (*poll)(void *ctx);
};

#endif /* MOTE_DRIVER_H */
