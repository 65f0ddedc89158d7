/*
 * apps.c - the host port's TCP test services (ports/common/testapps.c) and
 * their report at exit.
 */
#include "apps.h"

#include "testapps.h"

void apps_start(struct mote_stack *s, uint32_t gen_bytes)
{
    if (testapps_start(s, gen_bytes) != 0)
        fprintf(stderr, "mote-posix: no TCP listener left for the apps\n");
}

void apps_report(const struct mote_stack *s, FILE *out)
{
    const struct testapps_stats *st = testapps_stats();
    fprintf(out,
            "app discard connections %lu bytes %lu mismatches %lu\n"
            "app generator connections %lu completed %lu\n"
            "app abnormal closes %lu\n"
            "tcp active %u\n",
            (unsigned long)st->discard_conns, (unsigned long)st->discard_bytes,
            (unsigned long)st->discard_bad, (unsigned long)st->gen_conns,
            (unsigned long)st->gen_done, (unsigned long)st->closed_other,
            mote_tcp_active(s));
}
