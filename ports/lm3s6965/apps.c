/*
 * apps.c - the firmware's TCP test services (ports/common/testapps.c) and
 * their report on the console.
 */
#include "apps.h"
#include "console.h"
#include "testapps.h"

int mote_fw_apps_start(struct mote_stack *s)
{
    return testapps_start(s, MOTE_FW_GEN_BYTES);
}

static void line(unsigned uart, const char *a, uint32_t x, const char *b,
                 uint32_t y, const char *c, uint32_t z)
{
    mote_con_puts(uart, a);
    mote_con_putu(uart, x);
    mote_con_puts(uart, b);
    mote_con_putu(uart, y);
    if (c != NULL) {
        mote_con_puts(uart, c);
        mote_con_putu(uart, z);
    }
    mote_con_puts(uart, "\r\n");
}

void mote_fw_apps_report(const struct mote_stack *s, unsigned uart)
{
    const struct testapps_stats *st = testapps_stats();
    line(uart, "app discard connections ", st->discard_conns, " bytes ",
         st->discard_bytes, " mismatches ", st->discard_bad);
    line(uart, "app generator connections ", st->gen_conns, " completed ",
         st->gen_done, " other_closes ", st->closed_other);
    mote_con_puts(uart, "tcp active ");
    mote_con_putu(uart, mote_tcp_active(s));
    mote_con_puts(uart, "\r\n");
}
