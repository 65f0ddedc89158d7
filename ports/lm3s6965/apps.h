/*
 * apps.h - the firmware's TCP test services, so the system tests that run
 * against the host port run unchanged against the board (same ports, same
 * byte pattern as tests/system/tcp_client.py expects):
 *   - discard, port 9: checks every byte received against the pattern;
 *   - generator, port 19: sends MOTE_FW_GEN_BYTES bytes of the pattern from
 *     a generator source (nothing buffered), then closes.
 * They take both of the default MOTE_TCP_LISTENERS; build with
 * -DMOTE_FW_APPS=0 to leave the listeners to an application.
 */
#ifndef MOTE_LM3S6965_APPS_H
#define MOTE_LM3S6965_APPS_H

#include "mote/mote.h"

#ifndef MOTE_FW_APPS
#define MOTE_FW_APPS 1
#endif
#ifndef MOTE_FW_GEN_BYTES
#define MOTE_FW_GEN_BYTES 1048576u
#endif

/* Starts listening; returns 0, or -1 when the listener table is full. */
int mote_fw_apps_start(struct mote_stack *s);
/* Prints what the services saw, one "app ..." line each, and the
 * connection slots in use ("tcp active N"). */
void mote_fw_apps_report(const struct mote_stack *s, unsigned uart);

#endif /* MOTE_LM3S6965_APPS_H */
