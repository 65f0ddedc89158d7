/*
 * board.h - what the LM3S6965 port offers its firmware (besides hal.h and
 * console.h): clock, sleep, semihosting exit, and the Ethernet MAC driver.
 */
#ifndef MOTE_LM3S6965_BOARD_H
#define MOTE_LM3S6965_BOARD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "mote/driver.h"
#include "mote/hal.h"

/* System clock after mote_board_init(): the PLL at 50 MHz, as on the EVB. */
#define MOTE_BOARD_HZ 50000000u
#define MOTE_BOARD_LED MOTE_GPIO_PIN(5, 0) /* port F, pin 0 */
#define MOTE_BOARD_CONSOLE 0u              /* UART0 */

/* Clocks, SysTick (1 ms), console UART at 115200. */
void mote_board_init(void);
/* Milliseconds since mote_board_init(); wraps after 49.7 days. */
uint32_t mote_board_ms(void);
/* Sleeps (WFI) until the next interrupt, unless an ISR has reported an event
 * since the last call: an event that lands between the main loop's checks
 * and the WFI is never slept through. */
void mote_board_idle(void);
/* Called by ISRs that hand work to the main loop. */
void mote_board_event(void);
/* Ends the QEMU run with `code` through semihosting (QEMU must run with
 * -semihosting-config enable=on; on real hardware without a debugger this
 * faults, so it is for tests only). */
void mote_board_exit(int code) __attribute__((noreturn));

/* What the reset handler writes into the unused stack at boot. */
#define MOTE_STACK_PAINT 0x5AC3A55Cu

/* The most bytes of stack used since boot (every context: main loop,
 * interrupts, fault handler), found as the lowest word that no longer holds
 * the paint. A scan of the free RAM: a few thousand cycles. */
uint32_t mote_board_stack_peak(void);

/* Bytes lost because the console's receive ring was full. */
uint32_t mote_uart_rx_dropped(void);

/* ---- Stellaris Ethernet MAC ---------------------------------------------- */

struct mote_lm3s_enet {
    _Atomic uint32_t rx_pending; /* set by the ISR, cleared by the loop */
    /* Each counter has one writer, so none needs a lock. ISR: */
    uint32_t overruns;  /* RX FIFO overruns (frames the MAC lost) */
    uint32_t rx_errors; /* frames the MAC flagged as received badly */
    uint32_t tx_errors; /* transmit errors the MAC reported */
    /* Main loop (rx/tx): */
    uint32_t rx_bad;     /* runts, and FIFO resets after a bad length word */
    uint32_t tx_refused; /* frames not sent: bad length or MAC still busy */
    uint8_t has_phy;    /* an MII PHY answered at init */
    uint8_t mac[6];     /* the address init() programmed */
};

/* The driver table; its context is a struct mote_lm3s_enet. init() takes
 * the board's address from the USER0/USER1 registers when they are
 * programmed (as TI's boards ship), else the one passed to mote_init(). */
extern const struct mote_driver mote_lm3s_enet_driver;

/* Nonzero once if the MAC raised a receive interrupt since the last call:
 * the main loop then calls mote_poll(). */
int mote_lm3s_enet_pending(struct mote_lm3s_enet *e);

#endif /* MOTE_LM3S6965_BOARD_H */
