/*
 * testapps.h - TCP test services shared by the ports, so the same system
 * tests (tests/system/tcp_client.py) run against the host port and the
 * firmware:
 *   - discard, port 9: takes every byte, checks it against the pattern
 *     byte i = (i*31 + (i>>8)*7 + 3) mod 256 of its connection, and closes
 *     when the peer does;
 *   - generator, port 19: sends N bytes of that pattern from a generator
 *     source (nothing buffered: a lost segment is regenerated), then closes
 *     first, as a server ending a response does.
 * They take two TCP listeners. Not part of the stack: ports link them.
 */
#ifndef MOTE_TESTAPPS_H
#define MOTE_TESTAPPS_H

#include <stdint.h>

#include "mote/mote.h"

struct testapps_stats {
    uint32_t discard_conns, discard_bytes, discard_bad;
    uint32_t gen_conns, gen_done, closed_other;
};

/* Starts both services; the generator sends `gen_bytes` per connection.
 * Returns 0, or -1 when the listener table is full. */
int testapps_start(struct mote_stack *s, uint32_t gen_bytes);
const struct testapps_stats *testapps_stats(void);

#endif
