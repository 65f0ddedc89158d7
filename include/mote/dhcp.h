/*
 * dhcp.h - DHCP: public interface, counters and state (filled in by its issue).
 *
 * MOTE_DHCP_TIMEOUTS(X) its run-time settable timeouts (MOTE_TIMEOUTS, with
 * defaults MOTE_TO_DEFAULT_<NAME>);
 * MOTE_DHCP_COUNTERS(X) lists this module's counters (joined into
 * MOTE_COUNTERS in mote.h); MOTE_DHCP_STATE declares its members of
 * struct mote_stack.
 */
#ifndef MOTE_DHCP_H
#define MOTE_DHCP_H

#include <stddef.h>
#include <stdint.h>

#define MOTE_DHCP_COUNTERS(X)
#define MOTE_DHCP_STATE
#define MOTE_DHCP_TIMEOUTS(X)

#endif /* MOTE_DHCP_H */
