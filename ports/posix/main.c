#define _GNU_SOURCE /* clock_gettime, readv, writev, ioctl */
/*
 * main.c - the host port: mote on a Linux TAP device.
 *
 * The loop blocks in poll(2) on the device, with the timeout mote_poll()
 * asks for (or the next fault-injector release), and never while work is
 * waiting; each pass reads every ready frame (mote_poll drains the device up
 * to its budget). Frames go out with writev(2): the stack's two spans are
 * never copied together. SIGTERM or SIGINT ends the loop cleanly.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "apps.h"
#include "demo.h"
#include "fault.h"
#include "mote/mote.h"
#include "pcap.h"
#include "tap.h"

#define RXQ 8 /* frames the fault injector may hand to the stack at once */

struct port {
    int fd;
    uint32_t now;
    struct pcap_writer pcap;
    struct fault fault;
    /* Frames that passed the injector on the receive side, waiting for the
     * stack's rx(). */
    struct {
        size_t len;
        uint8_t data[FAULT_FRAME_MAX];
    } rxq[RXQ];
    unsigned rxq_head, rxq_count;
    unsigned long rx_too_long, tx_failed;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u +
                      (uint64_t)ts.tv_nsec / 1000000u);
}

/* ---- the driver ---------------------------------------------------------- */

static int drv_init(void *ctx, uint8_t mac[6])
{
    (void)ctx;
    (void)mac; /* a TAP has no address of its own: keep the given one */
    return 0;
}

static void emit(void *ctx, enum fault_dir dir, const uint8_t *frame,
                 size_t len)
{
    struct port *p = ctx;
    if (dir == FAULT_TX) {
        if (write(p->fd, frame, len) < 0)
            p->tx_failed++;
        return;
    }
    if (p->rxq_count == RXQ)
        return; /* a duplicate beyond the queue: lost, like on a wire */
    unsigned i = (p->rxq_head + p->rxq_count++) % RXQ;
    p->rxq[i].len = len;
    memcpy(p->rxq[i].data, frame, len);
}

static size_t drv_rx(void *ctx, uint8_t *buf, size_t cap)
{
    struct port *p = ctx;
    uint8_t frame[FAULT_FRAME_MAX + 1];

    for (;;) {
        if (p->rxq_count) {
            unsigned i = p->rxq_head;
            size_t len = p->rxq[i].len;
            p->rxq_head = (i + 1) % RXQ;
            p->rxq_count--;
            if (len > cap)
                return len;
            memcpy(buf, p->rxq[i].data, len);
            pcap_write(&p->pcap, buf, len, NULL, 0);
            return len;
        }
        if (!fault_active(&p->fault)) {
            /* Straight into the stack's buffer; a spare byte behind it tells
             * a frame that was too long (the device truncates to the read). */
            uint8_t spare;
            struct iovec iov[2] = {{buf, cap}, {&spare, 1}};
            ssize_t n = readv(p->fd, iov, 2);
            if (n <= 0)
                return 0;
            if ((size_t)n > cap)
                return (size_t)n;
            pcap_write(&p->pcap, buf, (size_t)n, NULL, 0);
            return (size_t)n;
        }
        ssize_t n = read(p->fd, frame, sizeof frame);
        if (n <= 0)
            return 0;
        if ((size_t)n > FAULT_FRAME_MAX) {
            p->rx_too_long++;
            return cap + 1;
        }
        fault_pass(&p->fault, FAULT_RX, frame, (size_t)n, NULL, 0, p->now,
                   emit, p);
    }
}

static int drv_tx(void *ctx, const uint8_t *head, size_t head_len,
                  const uint8_t *tail, size_t tail_len)
{
    struct port *p = ctx;
    pcap_write(&p->pcap, head, head_len, tail, tail_len);
    if (fault_active(&p->fault)) {
        fault_pass(&p->fault, FAULT_TX, head, head_len, tail, tail_len, p->now,
                   emit, p);
        return 0;
    }
    struct iovec iov[2] = {{(void *)(uintptr_t)head, head_len},
                           {(void *)(uintptr_t)tail, tail_len}};
    if (writev(p->fd, iov, tail_len ? 2 : 1) < 0) {
        p->tx_failed++;
        return -1;
    }
    return 0;
}

static const struct mote_driver tap_driver = {
    .init = drv_init, .rx = drv_rx, .tx = drv_tx, .poll = NULL};

/* ---- command line -------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: mote-posix --tap NAME (--ip A.B.C.D/PREFIX | --dhcp) "
            "[options]\n"
            "  --dhcp                    get address, mask and gateway by DHCP\n"
            "  --clock-scale N           the stack's clock runs N times faster\n"
            "                            (DHCP leases in tests; 1..1000)\n"
            "  --mac XX:XX:XX:XX:XX:XX   our MAC (default 02:6d:6f:74:65:01)\n"
            "  --gw A.B.C.D              default gateway\n"
            "  --pcap FILE               write every frame in and out\n"
            "  --loss P --dup P --reorder P --corrupt P\n"
            "                            fault probabilities, both directions\n"
            "  --delay MS                hold time of a reordered frame (5)\n"
            "  --seed N                  fault injector seed (1)\n"
            "  --arp-age MS --arp-retry MS  run-time timeouts\n"
            "  --timeout NAME=MS         any run-time timeout (e.g. TCP_RTO_MIN_MS)\n"
            "  --gen-bytes N             bytes the generator (port 19) sends\n"
            "  --stats                   print counters on exit\n"
            "  --no-fast-retransmit      TCP repairs losses by timeout only\n"
            "                            (for tests that compare)\n");
    exit(2);
}

static int parse_ip(const char *s, uint32_t *ip, int *prefix)
{
    unsigned a, b, c, d;
    int n = 0, pl = 32;
    if (sscanf(s, "%u.%u.%u.%u%n", &a, &b, &c, &d, &n) != 4 || a > 255 ||
        b > 255 || c > 255 || d > 255)
        return -1;
    if (s[n] == '/') {
        if (!prefix || sscanf(s + n + 1, "%d", &pl) != 1 || pl < 0 || pl > 32)
            return -1;
    } else if (s[n] != '\0') {
        return -1;
    }
    *ip = MOTE_IPV4(a, b, c, d);
    if (prefix)
        *prefix = pl;
    return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned m[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
               &m[5]) != 6)
        return -1;
    for (int i = 0; i < 6; i++) {
        if (m[i] > 255)
            return -1;
        mac[i] = (uint8_t)m[i];
    }
    return 0;
}

static const char *const counter_names[] = {
#define MOTE_COUNTER_NAME(name) #name,
    MOTE_COUNTERS(MOTE_COUNTER_NAME)
#undef MOTE_COUNTER_NAME
};

static const char *const timeout_names[] = {
#define MOTE_TIMEOUT_NAME(name) #name,
    MOTE_TIMEOUTS(MOTE_TIMEOUT_NAME)
#undef MOTE_TIMEOUT_NAME
};

#define MAX_TIMEOUT_ARGS 16

/* NAME=MS for one of the stack's run-time timeouts. */
static int set_timeout_arg(struct mote_stack *s, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq)
        return -1;
    for (int id = 0; id < MOTE_TO_COUNT; id++) {
        if (strlen(timeout_names[id]) == (size_t)(eq - arg) &&
            !strncmp(arg, timeout_names[id], (size_t)(eq - arg))) {
            mote_set_timeout(s, (enum mote_timeout_id)id,
                             (uint32_t)strtoul(eq + 1, NULL, 10));
            return 0;
        }
    }
    return -1;
}

static const char *const dhcp_state_names[] = {
    "off", "init", "selecting", "requesting", "bound", "renewing", "rebinding"};

/* One line per change of the DHCP client's state or of the address. */
static void report_dhcp(const struct mote_stack *s, enum mote_dhcp_state *st,
                        uint32_t *ip)
{
    uint32_t c[3];
    enum mote_dhcp_state now = mote_dhcp_status(s, c);
    if (now == *st && c[0] == *ip)
        return;
    fprintf(stderr,
            "mote-posix: dhcp %s, %u.%u.%u.%u/%d gw %u.%u.%u.%u\n",
            dhcp_state_names[now], c[0] >> 24, c[0] >> 16 & 255,
            c[0] >> 8 & 255, c[0] & 255, __builtin_popcount(c[1]),
            c[2] >> 24, c[2] >> 16 & 255, c[2] >> 8 & 255, c[2] & 255);
    *st = now;
    *ip = c[0];
}

static struct port port;
static struct mote_stack stack;

int main(int argc, char **argv)
{
    const char *tap = NULL, *pcap_path = NULL;
    uint8_t mac[6] = {0x02, 0x6d, 0x6f, 0x74, 0x65, 0x01};
    uint32_t ip = 0, gw = 0;
    int prefix = 24, stats = 0;
    long arp_age = -1, arp_retry = -1;
    struct fault_cfg fc = {.delay_ms = 5, .seed = 1};
    const char *timeout_args[MAX_TIMEOUT_ARGS];
    int ntimeouts = 0;
    uint32_t gen_bytes = 1 << 20;
    int dhcp = 0, no_fast_rexmit = 0;
    uint32_t scale = 1;

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(o, "--stats")) {
            stats = 1;
            takes = 0;
        } else if (!strcmp(o, "--dhcp")) {
            dhcp = 1;
            takes = 0;
        } else if (!strcmp(o, "--no-fast-retransmit")) {
            no_fast_rexmit = 1;
            takes = 0;
        } else if (!v) {
            usage();
        } else if (!strcmp(o, "--tap")) {
            tap = v;
        } else if (!strcmp(o, "--ip")) {
            if (parse_ip(v, &ip, &prefix))
                usage();
        } else if (!strcmp(o, "--gw")) {
            if (parse_ip(v, &gw, NULL))
                usage();
        } else if (!strcmp(o, "--mac")) {
            if (parse_mac(v, mac))
                usage();
        } else if (!strcmp(o, "--pcap")) {
            pcap_path = v;
        } else if (!strcmp(o, "--loss")) {
            fc.loss = atof(v);
        } else if (!strcmp(o, "--dup")) {
            fc.dup = atof(v);
        } else if (!strcmp(o, "--reorder")) {
            fc.reorder = atof(v);
        } else if (!strcmp(o, "--corrupt")) {
            fc.corrupt = atof(v);
        } else if (!strcmp(o, "--delay")) {
            fc.delay_ms = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(o, "--seed")) {
            fc.seed = strtoull(v, NULL, 0);
        } else if (!strcmp(o, "--timeout")) {
            if (ntimeouts == MAX_TIMEOUT_ARGS)
                usage();
            timeout_args[ntimeouts++] = v;
        } else if (!strcmp(o, "--gen-bytes")) {
            gen_bytes = (uint32_t)strtoul(v, NULL, 0);
        } else if (!strcmp(o, "--clock-scale")) {
            scale = (uint32_t)strtoul(v, NULL, 10);
            if (scale < 1 || scale > 1000)
                usage();
        } else if (!strcmp(o, "--arp-age")) {
            arp_age = strtol(v, NULL, 10);
        } else if (!strcmp(o, "--arp-retry")) {
            arp_retry = strtol(v, NULL, 10);
        } else {
            usage();
        }
        i += takes;
    }
    if (!tap || !ip == !dhcp)
        usage();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    port.fd = tap_open(tap);
    if (port.fd < 0) {
        fprintf(stderr, "mote-posix: cannot open TAP %s: %s\n", tap,
                strerror(errno));
        return 1;
    }
    if (pcap_path && pcap_open(&port.pcap, pcap_path) != 0) {
        fprintf(stderr, "mote-posix: cannot write %s: %s\n", pcap_path,
                strerror(errno));
        return 1;
    }
    fault_init(&port.fault, &fc);
    port.now = now_ms();
    if (mote_init(&stack, &tap_driver, &port, mac) != 0)
        return 1;
    /* The entropy hook: the kernel's random bytes key TCP's sequence
     * numbers and SYN cookies, new at every start. */
    uint8_t key[8];
    if (getrandom(key, sizeof key, 0) != sizeof key) {
        fprintf(stderr, "mote-posix: getrandom: %s\n", strerror(errno));
        return 1;
    }
    mote_tcp_seed(&stack, key);
    if (no_fast_rexmit)
        mote_tcp_fast_retransmit(&stack, 0);
    if (arp_age >= 0)
        mote_set_timeout(&stack, MOTE_TO_ARP_MAX_AGE_MS, (uint32_t)arp_age);
    if (arp_retry >= 0)
        mote_set_timeout(&stack, MOTE_TO_ARP_RETRY_MS, (uint32_t)arp_retry);
    for (int i = 0; i < ntimeouts; i++) {
        if (set_timeout_arg(&stack, timeout_args[i]) != 0) {
            fprintf(stderr, "mote-posix: unknown timeout %s\n", timeout_args[i]);
            return 2;
        }
    }
    apps_start(&stack, gen_bytes);
    if (demo_start(&stack) != 0) {
        fprintf(stderr, "mote-posix: no listener left for HTTP\n");
        return 1;
    }
    uint32_t mask = prefix ? 0xffffffffu << (32 - prefix) : 0;
    if (dhcp) {
        /* The port is the stack's entropy source: the kernel's. */
        uint32_t seed = 0;
        if (getrandom(&seed, sizeof seed, 0) != sizeof seed)
            seed = (uint32_t)getpid();
        mote_dhcp_start(&stack, seed);
    } else {
        mote_set_ipv4(&stack, ip, mask, gw);
    }
    fprintf(stderr,
            "mote-posix: up on %s, %u.%u.%u.%u/%d%s, "
            "mac %02x:%02x:%02x:%02x:%02x:%02x\n",
            tap, ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255, prefix,
            dhcp ? " (DHCP)" : "", mac[0], mac[1], mac[2], mac[3], mac[4],
            mac[5]);
    enum mote_dhcp_state dhcp_st = MOTE_DHCP_OFF;
    uint32_t dhcp_ip = 0;

    while (!stop) {
        port.now = now_ms();
        /* With --clock-scale, stack time runs `scale` times faster than the
         * port's (the fault injector keeps real time). */
        uint32_t wait = mote_poll(&stack, port.now * scale);
        wait = demo_poll(&stack, port.now * scale, wait);
        wait = (wait + scale - 1) / scale;
        if (dhcp)
            report_dhcp(&stack, &dhcp_st, &dhcp_ip);
        fault_release(&port.fault, port.now, emit, &port);
        if (port.rxq_count)
            wait = 0;
        int due = fault_next_due(&port.fault, port.now);
        if (due >= 0 && (uint32_t)due < wait)
            wait = (uint32_t)due;
        if (wait == 0)
            continue;
        struct pollfd pfd = {.fd = port.fd, .events = POLLIN};
        if (poll(&pfd, 1, (int)wait) < 0 && errno != EINTR) {
            perror("mote-posix: poll");
            break;
        }
    }

    if (stats) {
        apps_report(&stack, stderr);
        demo_report(&stack, stderr);
        for (int id = 0; id < MOTE_CNT_COUNT; id++)
            fprintf(stderr, "counter %s %u\n", counter_names[id],
                    mote_counter(&stack, (enum mote_counter_id)id));
        for (int d = 0; d < 2; d++)
            fprintf(stderr,
                    "fault %s passed %lu dropped %lu duplicated %lu "
                    "delayed %lu corrupted %lu\n",
                    d == FAULT_RX ? "rx" : "tx", port.fault.st[d].passed,
                    port.fault.st[d].dropped, port.fault.st[d].duplicated,
                    port.fault.st[d].delayed, port.fault.st[d].corrupted);
    }
    pcap_close(&port.pcap);
    close(port.fd);
    fprintf(stderr, "mote-posix: stopped\n");
    return 0;
}
