/*
 * console.c - console formatting and the blink and command tasks.
 */
#include "console.h"
#include "mote/hal.h"

void mote_con_puts(unsigned uart, const char *s)
{
    const char *e = s;
    while (*e != '\0')
        e++;
    (void)mote_uart_write(uart, s, (size_t)(e - s));
}

void mote_con_putu(unsigned uart, uint32_t v)
{
    char tmp[11];
    unsigned i = sizeof tmp - 1;

    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    mote_con_puts(uart, &tmp[i]);
}

void mote_con_puthex(unsigned uart, uint32_t v, unsigned digits)
{
    char tmp[9];

    if (digits > 8)
        digits = 8;
    for (unsigned i = 0; i < digits; i++)
        tmp[i] = "0123456789abcdef"[(v >> (4u * (digits - 1u - i))) & 0xFu];
    tmp[digits] = '\0';
    mote_con_puts(uart, tmp);
}

void mote_con_putip(unsigned uart, uint32_t ip)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        mote_con_putu(uart, (ip >> shift) & 0xFFu);
        if (shift != 0)
            mote_con_puts(uart, ".");
    }
}

void mote_con_putmac(unsigned uart, const uint8_t mac[6])
{
    for (unsigned i = 0; i < 6; i++) {
        mote_con_puthex(uart, mac[i], 2);
        if (i != 5)
            mote_con_puts(uart, ":");
    }
}

/* ---- blink ------------------------------------------------------------- */

int mote_blink_run(struct mote_task *t)
{
    struct mote_blink_task *b = MOTE_TASK_OF(t, struct mote_blink_task, task);

    MOTE_PT_BEGIN(t);
    (void)mote_gpio_configure(b->pin, MOTE_GPIO_OUTPUT);
    for (;;) {
        if (mote_gpio_read(b->pin))
            mote_gpio_clear(b->pin);
        else
            mote_gpio_set(b->pin);
        b->toggles++;
        MOTE_PT_SLEEP(t, b->period_ms);
    }
    MOTE_PT_END(t);
}

/* ---- command line ------------------------------------------------------- */

/* Counter names live here, in flash, not in the core: the stack only has
 * the numbers. */
static const char *const counter_names[MOTE_CNT_COUNT] = {
#define MOTE_COUNTER_NAME(name) #name,
    MOTE_COUNTERS(MOTE_COUNTER_NAME)
#undef MOTE_COUNTER_NAME
};

static int line_is(const struct mote_console_task *c, const char *cmd)
{
    unsigned i = 0;
    for (; cmd[i] != '\0'; i++)
        if (i >= c->len || c->line[i] != cmd[i])
            return 0;
    return i == c->len;
}

/* "exit N": N in decimal, 0..255. Returns -1 when malformed. */
static int exit_code(const struct mote_console_task *c)
{
    int v = 0;
    unsigned i = 5;

    if (c->len < 6 || c->len > 8)
        return -1;
    for (unsigned k = 0; k < 5; k++)
        if (c->line[k] != "exit "[k])
            return -1;
    for (; i < c->len; i++) {
        if (c->line[i] < '0' || c->line[i] > '9')
            return -1;
        v = v * 10 + (c->line[i] - '0');
    }
    return v <= 255 ? v : -1;
}

/* Collects bytes into c->line; returns 1 when a whole line is there. */
static int take_line(struct mote_console_task *c)
{
    uint8_t ch;

    while (mote_uart_read(c->uart, &ch, 1) == 1) {
        if (ch == '\r' || ch == '\n') {
            if (c->overflow) {
                c->overflow = 0;
                c->len = 0;
                mote_con_puts(c->uart, "\r\nerror: line too long\r\nmote> ");
                continue;
            }
            if (c->len == 0)
                continue; /* CR LF, or an empty line */
            mote_con_puts(c->uart, "\r\n");
            return 1;
        }
        if (ch < 0x20 || ch > 0x7E)
            continue;
        if (c->len == MOTE_CONSOLE_LINE) {
            c->overflow = 1;
            continue;
        }
        c->line[c->len++] = (char)ch;
        (void)mote_uart_write(c->uart, &ch, 1); /* echo */
    }
    return 0;
}

int mote_console_run(struct mote_task *t)
{
    struct mote_console_task *c =
        MOTE_TASK_OF(t, struct mote_console_task, task);
    int code;

    MOTE_PT_BEGIN(t);
    mote_con_puts(c->uart, "mote> ");
    for (;;) {
        c->len = 0;
        c->overflow = 0;
        MOTE_PT_WAIT_UNTIL(t, take_line(c));

        if (line_is(c, "stats")) {
            for (c->i = 0; c->i < MOTE_CNT_COUNT; c->i++) {
                mote_con_puts(c->uart, counter_names[c->i]);
                mote_con_puts(c->uart, " ");
                mote_con_putu(c->uart, mote_counter(
                                           c->stack,
                                           (enum mote_counter_id)c->i));
                mote_con_puts(c->uart, "\r\n");
                MOTE_PT_YIELD(t);
            }
            if (c->port_stats != NULL)
                c->port_stats(c->uart);
            mote_con_puts(c->uart, "ok\r\n");
        } else if (line_is(c, "uptime")) {
            mote_con_puts(c->uart, "uptime_ms ");
            mote_con_putu(c->uart, t->now - c->boot_ms);
            mote_con_puts(c->uart, "\r\n");
        } else if (line_is(c, "led")) {
            mote_con_puts(c->uart, "led_toggles ");
            mote_con_putu(c->uart, c->blink ? c->blink->toggles : 0);
            if (c->blink != NULL) {
                /* Read back from the pin, not from the task's count. */
                mote_con_puts(c->uart, " level ");
                mote_con_putu(c->uart, (uint32_t)mote_gpio_read(c->blink->pin));
            }
            mote_con_puts(c->uart, "\r\n");
        } else if (line_is(c, "fault") && c->fault != NULL) {
            c->fault();
        } else if ((code = exit_code(c)) >= 0 && c->exit != NULL) {
            c->exit(code);
        } else if (line_is(c, "help")) {
            mote_con_puts(c->uart,
                          "commands: stats uptime led fault exit N help\r\n");
        } else {
            mote_con_puts(c->uart, "error: unknown command\r\n");
        }
        mote_con_puts(c->uart, "mote> ");
    }
    MOTE_PT_END(t);
}
