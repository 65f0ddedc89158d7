/*
 * tcp.h - TCP: public interface, counters and state (filled in by its issue).
 *
 * MOTE_TCP_TIMEOUTS(X) its run-time settable timeouts (MOTE_TIMEOUTS, with
 * defaults MOTE_TO_DEFAULT_<NAME>);
 * MOTE_TCP_COUNTERS(X) lists this module's counters (joined into
 * MOTE_COUNTERS in mote.h); MOTE_TCP_STATE declares its members of
 * struct mote_stack.
 */
#ifndef MOTE_TCP_H
#define MOTE_TCP_H

#include <stddef.h>
#include <stdint.h>

#define MOTE_TCP_COUNTERS(X)
#define MOTE_TCP_STATE
#define MOTE_TCP_TIMEOUTS(X)

#endif /* MOTE_TCP_H */
