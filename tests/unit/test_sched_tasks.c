/*
 * test_sched_tasks.c - the firmware's blink and console tasks (ports/
 * lm3s6965/console.c) under the scheduler, on the host's simulated GPIO and
 * UART (ports/posix/hal_sim.c) and a real stack on the mock driver.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "mock_driver.h"
#include "mote/hal.h"
#include "mote/mote.h"
#include "mote/sched.h"

#define UART 0u
#define LED MOTE_GPIO_PIN(5, 0)

static struct mote_stack stack;
static struct mock_drv drv;
static struct mote_sched sched;
static struct mote_blink_task blink;
static struct mote_console_task con;
static char out[8192];
static size_t out_len;
static int exit_code = -1;

static void exit_hook(int code)
{
    exit_code = code;
}

static void port_stats(unsigned uart)
{
    mote_con_puts(uart, "port_thing ");
    mote_con_putu(uart, 4294967295u);
    mote_con_puts(uart, "\r\n");
}

/* Collects what the tasks wrote so far. */
static const char *output(void)
{
    out_len += mote_sim_uart_take(UART, out + out_len,
                                  sizeof out - 1 - out_len);
    out[out_len] = '\0';
    return out;
}

static void type(const char *s)
{
    assert_int_equal(mote_sim_uart_inject(UART, s, strlen(s)), strlen(s));
}

static int setup(void **state)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    (void)state;
    mote_sim_reset();
    assert_int_equal(mote_uart_configure(UART, 115200), 0);
    mock_reset(&drv);
    drv.link_up = 1;
    assert_int_equal(mote_init(&stack, &mock_driver, &drv, mac), 0);
    mote_set_ipv4(&stack, MOTE_IPV4(10, 0, 2, 15), MOTE_IPV4(255, 255, 255, 0),
                  MOTE_IPV4(10, 0, 2, 2));
    (void)mote_poll(&stack, 0);

    memset(&blink, 0, sizeof blink);
    memset(&con, 0, sizeof con);
    blink.pin = LED;
    blink.period_ms = 500;
    con.uart = UART;
    con.stack = &stack;
    con.blink = &blink;
    con.port_stats = port_stats;
    con.exit = exit_hook;
    mote_sched_init(&sched);
    mote_sched_add(&sched, &blink.task, mote_blink_run);
    mote_sched_add(&sched, &con.task, mote_console_run);
    out_len = 0;
    out[0] = '\0';
    exit_code = -1;
    return 0;
}

static void test_blink(void **state)
{
    (void)state;
    assert_int_equal(mote_sched_run(&sched, 0), 500);
    assert_int_equal(mote_sim_gpio_mode(LED), MOTE_GPIO_OUTPUT);
    assert_int_equal(mote_gpio_read(LED), 1);
    assert_int_equal(mote_sched_run(&sched, 499), 1);
    assert_int_equal(mote_gpio_read(LED), 1);
    mote_sched_run(&sched, 500);
    assert_int_equal(mote_gpio_read(LED), 0);
    mote_sched_run(&sched, 1000);
    assert_int_equal(mote_gpio_read(LED), 1);
    assert_int_equal(mote_sim_gpio_edges(LED), 3);
    assert_int_equal(blink.toggles, 3);
}

static void test_prompt_echo_and_help(void **state)
{
    (void)state;
    mote_sched_run(&sched, 0);
    assert_string_equal(output(), "mote> ");
    type("he");
    mote_sched_run(&sched, 1);
    assert_string_equal(output(), "mote> he"); /* echoed as typed */
    type("lp\r\n");
    mote_sched_run(&sched, 2);
    assert_non_null(strstr(output(), "help\r\ncommands: stats"));
    assert_true(out_len > 6 && strcmp(out + out_len - 6, "mote> ") == 0);
}

static void test_stats_one_line_per_run(void **state)
{
    (void)state;
    mote_sched_run(&sched, 0);
    type("stats\r");
    mote_sched_run(&sched, 1);
    /* The listing yields after each line so the network keeps running. */
    assert_string_equal(output(), "mote> stats\r\nRX_FRAMES 0\r\n");
    for (uint32_t t = 2; t < 100 && strstr(output(), "ok\r\n") == NULL; t++)
        assert_int_equal(mote_sched_run(&sched, t) == 0 ||
                             strstr(output(), "ok\r\n") != NULL,
                         1);
    /* The gratuitous ARP and the request for the gateway. */
    assert_non_null(strstr(out, "\r\nTX_FRAMES 2\r\n"));
    assert_non_null(strstr(out, "\r\nARP_REQUESTS 2\r\n"));
    assert_non_null(strstr(out, "\r\nICMP_ECHO_REPLIES 0\r\n"));
    assert_non_null(strstr(out, "\r\nport_thing 4294967295\r\nok\r\nmote> "));
}

static void test_commands(void **state)
{
    (void)state;
    mote_sched_run(&sched, 100);
    type("uptime\r");
    mote_sched_run(&sched, 1234);
    assert_non_null(strstr(output(), "uptime_ms 1234\r\n"));
    type("led\r");
    mote_sched_run(&sched, 1235);
    /* Blinked at 100; due again at 600, it ran at 1234 (a late task does
     * not catch up on missed periods). */
    assert_non_null(strstr(output(), "led_toggles 2 level 0\r\n"));
    type("fault\r"); /* no fault hook on the host */
    mote_sched_run(&sched, 1236);
    assert_non_null(strstr(output(), "fault\r\nerror: unknown command\r\n"));
    type("exit 300\r"); /* out of range */
    mote_sched_run(&sched, 1237);
    assert_int_equal(exit_code, -1);
    type("exit 42\r");
    mote_sched_run(&sched, 1238);
    assert_int_equal(exit_code, 42);
}

static void test_long_line_and_junk(void **state)
{
    char longline[MOTE_CONSOLE_LINE + 20];
    (void)state;
    memset(longline, 'x', sizeof longline - 2);
    longline[sizeof longline - 2] = '\r';
    longline[sizeof longline - 1] = '\0';
    mote_sched_run(&sched, 0);
    type(longline);
    mote_sched_run(&sched, 1);
    assert_non_null(strstr(output(), "error: line too long"));
    /* Control bytes are ignored; the next command still works. */
    type("\x01le\x7f\x1b" "d\r");
    mote_sched_run(&sched, 2);
    assert_non_null(strstr(output(), "led_toggles"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_blink, setup),
        cmocka_unit_test_setup(test_prompt_echo_and_help, setup),
        cmocka_unit_test_setup(test_stats_one_line_per_run, setup),
        cmocka_unit_test_setup(test_commands, setup),
        cmocka_unit_test_setup(test_long_line_and_junk, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
