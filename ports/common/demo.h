/*
 * demo.h - the HTTP demo application (port 80), shared by the host port and
 * the firmware. Portable: it uses the stack, the router and hal.h's GPIO
 * only; what differs between ports comes through struct demo_port.
 */
#ifndef MOTE_DEMO_H
#define MOTE_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "mote/hal.h"
#include "mote/mote.h"

/* The LED pin when the port names none: port F, pin 0, the EVB's user LED
 * (the host's simulated GPIO has the same pin). */
#define DEMO_LED_PIN MOTE_GPIO_PIN(5, 0)

/* A static asset embedded by tools/mkassets.py. */
struct demo_asset {
    const char *path;   /* "/static/index.html" */
    const char *ctype;
    const char *etag;   /* with its quotes */
    const uint8_t *data, *gz; /* identity bytes; gzip, or NULL if not smaller */
    uint32_t len, gz_len;
    const char *headers, *gz_headers; /* header lines for each version */
};
extern const struct demo_asset demo_assets[];
extern const unsigned demo_assets_count;

/* What a port lends the demo. Every hook may be NULL. */
struct demo_port {
    unsigned led_pin;
    /* After POST /api/led switched the LED (on: the level written): a port
     * logs it, and stops anything else driving the pin (a blinker). */
    void (*led_changed)(int on);
    /* Most bytes of call stack used since boot (painted and scanned by the
     * port), for /api/stats; NULL: not measured, not shown. */
    uint32_t (*stack_peak)(void);
};

/* Optional, before demo_start(): the port's hooks (kept by pointer).
 * Without it: DEMO_LED_PIN, no hooks. */
void demo_set_port(const struct demo_port *p);
/* Starts the HTTP server with the demo's routes and configures the LED pin
 * as an output. Returns 0 or -1. */
int demo_start(struct mote_stack *s);
/* The demo's task: completes deferred responses (/api/slow). Call from the
 * main loop; returns the ms until it needs to run again (at most `cap`). */
uint32_t demo_poll(struct mote_stack *s, uint32_t now, uint32_t cap);
/* Prints what the demo saw (hosted ports; a firmware leaves it out). */
void demo_report(const struct mote_stack *s, FILE *out);

#endif
