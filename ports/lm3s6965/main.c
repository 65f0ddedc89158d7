/*
 * main.c - the LM3S6965 firmware: brings the stack up on the Stellaris MAC
 * with a static address, then runs the main loop: mote_poll() when the MAC
 * has frames or a stack timer is due, the task scheduler, and WFI when
 * nothing is left to do.
 *
 * Address, netmask and gateway are build-time options, each as the four
 * parts of a dotted quad separated by commas (mk/board.mk passes FW_IP=...
 * in dotted form and converts it). With MOTE_FW_DHCP=1 (FW_DHCP=1) the
 * address comes from DHCP instead, and each lease is announced on UART0.
 *
 * The HTTP demo (ports/common/demo.c) serves port 80 beside the TCP test
 * services; its LED is the board's (port F, pin 0), which blinks until the
 * API first switches it. With MOTE_FW_PCAP=1 (FW_PCAP=1) every frame is
 * also written as a pcap record on UART1 (pcap.h).
 */
#include "apps.h"
#include "board.h"
#include "console.h"
#include "demo.h"
#include "lm3s6965.h"
#include "mote/hal.h"
#include "mote/mote.h"
#include "mote/sched.h"
#include "pcap.h"

#ifndef MOTE_FW_IP
#define MOTE_FW_IP 10, 0, 2, 15
#endif
#ifndef MOTE_FW_MASK
#define MOTE_FW_MASK 255, 255, 255, 0
#endif
#ifndef MOTE_FW_GW
#define MOTE_FW_GW 10, 0, 2, 2
#endif
#ifndef MOTE_FW_DHCP
#define MOTE_FW_DHCP 0
#endif
#ifndef MOTE_FW_PCAP
#define MOTE_FW_PCAP 0
#endif
/* Longest nap between two mote_poll() calls when the stack names none. */
#define POLL_MAX_MS 1000u

/* Expands a comma list into MOTE_IPV4's four arguments. */
#define FW_IPV4_(...) MOTE_IPV4(__VA_ARGS__)

/* Used when the board's USER0/USER1 registers hold no address. */
static const uint8_t fallback_mac[6] = {0x02, 0x6d, 0x6f, 0x74, 0x65, 0x01};

static struct mote_stack stack;
static struct mote_lm3s_enet enet;
static struct mote_sched sched;
static struct mote_blink_task blink;
static struct mote_console_task console;
#if MOTE_FW_PCAP
static struct mote_lm3s_pcap pcap;
#endif

/* The API took the LED over: say so, and stop the blinker (once). */
static void led_changed(int on)
{
    static uint8_t taken;
    if (!taken) {
        taken = 1;
        mote_sched_remove(&sched, &blink.task);
    }
    /* "\r": over the console's pending prompt, not after it. */
    mote_con_puts(MOTE_BOARD_CONSOLE,
                  on ? "\rmote-fw: led on (PF0 = 1, by POST /api/led)\r\n"
                     : "\rmote-fw: led off (PF0 = 0, by POST /api/led)\r\n");
}

static const struct demo_port demo_port = {
    .led_pin = MOTE_BOARD_LED,
    .led_changed = led_changed,
    .stack_peak = mote_board_stack_peak,
};

static void port_stats(unsigned uart)
{
    static const char *const names[] = {
        "enet_overruns ", "enet_rx_errors ", "enet_rx_bad ", "enet_tx_errors ",
        "enet_tx_refused ", "uart_rx_dropped ", "stack_peak ",
#if MOTE_FW_PCAP
        "pcap_frames ", "pcap_dropped ",
#endif
    };
    const uint32_t vals[] = {enet.overruns, enet.rx_errors, enet.rx_bad,
                             enet.tx_errors, enet.tx_refused,
                             mote_uart_rx_dropped(), mote_board_stack_peak(),
#if MOTE_FW_PCAP
                             pcap.frames, pcap.dropped,
#endif
    };

    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        mote_con_puts(uart, names[i]);
        mote_con_putu(uart, vals[i]);
        mote_con_puts(uart, "\r\n");
    }
#if MOTE_FW_APPS
    mote_fw_apps_report(&stack, uart);
#endif
}

#if MOTE_FW_DHCP
/* Announces each change of the DHCP client's state that changes the
 * address: the console line tells the user (and tests) where to connect. */
static void dhcp_watch(unsigned con)
{
    static uint32_t shown;
    uint32_t cfg[3];
    enum mote_dhcp_state st = mote_dhcp_status(&stack, cfg);

    if (cfg[0] == shown)
        return;
    shown = cfg[0];
    /* "\r": over the console's pending prompt, not after it. */
    mote_con_puts(con, st == MOTE_DHCP_BOUND ? "\rmote-fw: dhcp bound ip "
                                             : "\rmote-fw: dhcp address ");
    mote_con_putip(con, cfg[0]);
    mote_con_puts(con, " gw ");
    mote_con_putip(con, cfg[2]);
    mote_con_puts(con, " t=");
    mote_con_putu(con, mote_board_ms());
    mote_con_puts(con, "ms\r\n");
}
#endif

static void fault(void)
{
    __asm volatile("udf #0"); /* UsageFault, escalated to HardFault */
}

int main(void)
{
    const unsigned con = MOTE_BOARD_CONSOLE;
    uint32_t ip = FW_IPV4_(MOTE_FW_IP);

    mote_board_init();
#if MOTE_FW_PCAP
    /* Before mote_init(): the file header goes out ahead of any frame. */
    mote_lm3s_pcap_init(&pcap, &mote_lm3s_enet_driver, &enet);
    const struct mote_driver *drv = &mote_lm3s_pcap_driver;
    void *drv_ctx = &pcap;
#else
    const struct mote_driver *drv = &mote_lm3s_enet_driver;
    void *drv_ctx = &enet;
#endif
    if (mote_init(&stack, drv, drv_ctx, fallback_mac) != 0) {
        mote_con_puts(con, "mote-fw: MAC init failed\r\n");
        mote_board_exit(2);
    }
    {
        /* QEMU's board has no entropy source either: the TCP key mixes the
         * MAC with the SysTick phase, which is weak (boots under QEMU are
         * alike). A real board passes its hardware RNG here. */
        uint32_t t = SYST_CVR ^ (mote_board_ms() << 24);
        uint8_t key[8];
        for (unsigned i = 0; i < 8; i++)
            key[i] = (uint8_t)((i < 6 ? enet.mac[i] : 0x5a) ^ (t >> (8 * (i & 3))));
        mote_tcp_seed(&stack, key);
    }
#if MOTE_FW_DHCP
    /* The board has no entropy source: the seed mixes the MAC (inside the
     * client) with the SysTick phase at this point, which differs little
     * between boots under QEMU. A real board should pass a hardware RNG or
     * ADC noise here. */
    mote_dhcp_start(&stack, SYST_CVR ^ mote_board_ms());
    ip = 0;
#else
    mote_set_ipv4(&stack, ip, FW_IPV4_(MOTE_FW_MASK), FW_IPV4_(MOTE_FW_GW));
#endif
#if MOTE_FW_APPS
    if (mote_fw_apps_start(&stack) != 0)
        mote_con_puts(con, "mote-fw: no TCP listener left for the apps\r\n");
#endif
    demo_set_port(&demo_port);
    if (demo_start(&stack) != 0)
        mote_con_puts(con, "mote-fw: no TCP listener left for HTTP\r\n");

    mote_con_puts(con, "mote-fw: up ip ");
    mote_con_putip(con, ip);
    mote_con_puts(con, " mac ");
    mote_con_putmac(con, enet.mac);
    mote_con_puts(con, " t=");
    mote_con_putu(con, mote_board_ms());
    mote_con_puts(con, "ms\r\n");

    mote_sched_init(&sched);
    blink.pin = MOTE_BOARD_LED;
    blink.period_ms = 500;
    mote_sched_add(&sched, &blink.task, mote_blink_run);
    console.uart = con;
    console.stack = &stack;
    console.blink = &blink;
    console.port_stats = port_stats;
    console.exit = mote_board_exit;
    console.fault = fault;
    mote_sched_add(&sched, &console.task, mote_console_run);

    uint32_t net_due = mote_board_ms();
    for (;;) {
        uint32_t now = mote_board_ms();
        int busy = 0;

        if (mote_lm3s_enet_pending(&enet) || (int32_t)(now - net_due) >= 0) {
            uint32_t d = mote_poll(&stack, now);
            d = demo_poll(&stack, now, d);
            busy = d == 0;
#if MOTE_FW_DHCP
            dhcp_watch(con);
#endif
            net_due = now + (d < POLL_MAX_MS ? d : POLL_MAX_MS);
        }
        if (mote_sched_run(&sched, now) == 0)
            busy = 1;
#if MOTE_FW_PCAP
        if (mote_lm3s_pcap_drain())
            busy = 1; /* the UART's FIFO frees up without an interrupt */
#endif
        /* SysTick wakes us every ms, which is the resolution of every
         * timer here; frames and console bytes wake us at once. */
        if (!busy)
            mote_board_idle();
    }
}
