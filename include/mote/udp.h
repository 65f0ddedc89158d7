/*
 * udp.h - UDP: public interface, counters and state (filled in by its issue).
 *
 * MOTE_UDP_TIMEOUTS(X) its run-time settable timeouts (MOTE_TIMEOUTS, with
 * defaults MOTE_TO_DEFAULT_<NAME>);
 * MOTE_UDP_COUNTERS(X) lists this module's counters (joined into
 * MOTE_COUNTERS in mote.h); MOTE_UDP_STATE declares its members of
 * struct mote_stack.
 */
#ifndef MOTE_UDP_H
#define MOTE_UDP_H

#include <stddef.h>
#include <stdint.h>

#define MOTE_UDP_COUNTERS(X)
#define MOTE_UDP_STATE
#define MOTE_UDP_TIMEOUTS(X)

#endif /* MOTE_UDP_H */
