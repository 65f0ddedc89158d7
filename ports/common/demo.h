/* demo.h - the HTTP demo application of the host port (port 80). */
#ifndef MOTE_POSIX_DEMO_H
#define MOTE_POSIX_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "mote/mote.h"

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

/* Starts the HTTP server with the demo's routes. Returns 0 or -1. */
int demo_start(struct mote_stack *s);
/* The demo's task: completes deferred responses (/api/slow). Call from the
 * main loop; returns the ms until it needs to run again (at most `cap`). */
uint32_t demo_poll(struct mote_stack *s, uint32_t now, uint32_t cap);
/* Prints what the demo saw. */
void demo_report(const struct mote_stack *s, FILE *out);

#endif
