/* tap.h - a Linux TAP device (Ethernet frames, no packet info header). */
#ifndef MOTE_POSIX_TAP_H
#define MOTE_POSIX_TAP_H

#include <stddef.h>
#include <stdint.h>

/* Opens (creating if needed) the TAP device `name` in the current network
 * namespace, non-blocking. Returns the fd, or -1 with errno set. */
int tap_open(const char *name);

#endif
