/* apps.h - test applications of the host port on the TCP API. */
#ifndef MOTE_POSIX_APPS_H
#define MOTE_POSIX_APPS_H

#include <stdint.h>
#include <stdio.h>

#include "mote/mote.h"

/* Starts the discard server on port 9 (checks every byte against the test
 * pattern) and the generator on port 19 (sends `gen_bytes` bytes of the
 * pattern, then closes). */
void apps_start(struct mote_stack *s, uint32_t gen_bytes);
/* Prints what the applications saw. */
void apps_report(const struct mote_stack *s, FILE *out);

#endif
