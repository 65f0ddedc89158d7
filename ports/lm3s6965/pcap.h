/*
 * pcap.h - the firmware's own capture: every frame the MAC driver receives
 * and sends, as pcap records (LINKTYPE_ETHERNET, microsecond stamps from
 * the board clock) streamed on UART1. Under QEMU `-serial` for UART1 names
 * the file (`make run PCAP=file.pcap`); on a board, any UART-to-USB cable
 * and `cat`. Built in with FW_PCAP=1 (MOTE_FW_PCAP).
 *
 * Never blocks the network: a record is copied whole into a RAM ring, or
 * left out and counted when the ring has no room (the file stays a valid
 * pcap, with fewer frames). The main loop moves bytes from the ring into
 * the UART's FIFO as it frees up, and does not sleep while bytes wait.
 */
#ifndef MOTE_LM3S6965_PCAP_H
#define MOTE_LM3S6965_PCAP_H

#include <stdint.h>

#include "mote/driver.h"

/* Bytes of RAM for records waiting for the UART; a power of two. At least
 * one full frame (1,514 B + a 16-byte record header). */
#ifndef MOTE_FW_PCAP_RING
#define MOTE_FW_PCAP_RING 8192u
#endif

struct mote_lm3s_pcap {
    const struct mote_driver *inner; /* the MAC driver being watched */
    void *inner_ctx;
    uint32_t frames;  /* records queued */
    uint32_t dropped; /* frames left out: no room in the ring */
};

/* A driver that passes everything to `inner` and records each frame;
 * its context is a struct mote_lm3s_pcap. */
extern const struct mote_driver mote_lm3s_pcap_driver;

/* UART1 at its fastest rate (clock / 16), then the pcap file header. */
void mote_lm3s_pcap_init(struct mote_lm3s_pcap *p,
                         const struct mote_driver *inner, void *inner_ctx);
/* Moves waiting bytes into the UART's FIFO while it has room; returns
 * nonzero while bytes are left (the loop should come back soon). */
int mote_lm3s_pcap_drain(void);

#endif /* MOTE_LM3S6965_PCAP_H */
