/*
 * console.h - text output on a UART through hal.h, and the two demo tasks:
 * an LED blinker and a command line that prints the stack's counters.
 * Portable (hal.h, sched.h, mote.h only): the host tests run them on the
 * simulated HAL.
 */
#ifndef MOTE_LM3S6965_CONSOLE_H
#define MOTE_LM3S6965_CONSOLE_H

#include <stdint.h>

#include "mote/mote.h"
#include "mote/sched.h"

/* Text on UART `uart`: string, unsigned decimal, hex of `digits` digits,
 * dotted IPv4 (host order), MAC address. No printf: it costs kilobytes. */
void mote_con_puts(unsigned uart, const char *s);
void mote_con_putu(unsigned uart, uint32_t v);
void mote_con_puthex(unsigned uart, uint32_t v, unsigned digits);
void mote_con_putip(unsigned uart, uint32_t ip);
void mote_con_putmac(unsigned uart, const uint8_t mac[6]);

/* Toggles `pin` every `period_ms`. */
struct mote_blink_task {
    struct mote_task task;
    unsigned pin;
    uint32_t period_ms;
    uint32_t toggles;
};
int mote_blink_run(struct mote_task *t);

#define MOTE_CONSOLE_LINE 40

/* Reads lines from `uart` and answers them:
 *   help           the commands
 *   stats          every counter of the stack, one per line, then the
 *                  port's (port_stats), then "ok"
 *   uptime         ms since boot
 *   led            LED toggles so far and the pin's level read back
 *   fault          a deliberate fault (the board's fault handler reports it)
 *   exit N         ends the run with code N (tests; the board's exit hook)
 * Output is one line per scheduler run so a long listing does not hold up
 * the network. */
struct mote_console_task {
    struct mote_task task;
    unsigned uart;
    const struct mote_stack *stack;
    const struct mote_blink_task *blink; /* may be NULL */
    void (*port_stats)(unsigned uart);   /* may be NULL */
    void (*exit)(int code);              /* may be NULL: command refused */
    void (*fault)(void);                 /* may be NULL: command refused */
    uint32_t boot_ms;                    /* subtracted for "uptime" */
    uint16_t i;                          /* listing position */
    uint8_t len;
    uint8_t overflow;                    /* line too long: ignore it */
    char line[MOTE_CONSOLE_LINE];
};
int mote_console_run(struct mote_task *t);

#endif /* MOTE_LM3S6965_CONSOLE_H */
