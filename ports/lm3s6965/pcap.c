/*
 * pcap.c - pcap records of every frame on UART1 (see pcap.h).
 *
 * Producer and consumer of the ring are both the main loop (the driver's
 * rx/tx run inside mote_poll()), so it needs no atomics. Under QEMU the
 * UART's FIFO never fills (each byte goes to the chardev at once), so the
 * ring holds at most the record just added.
 */
#include <string.h>

#include "board.h"
#include "lm3s6965.h"
#include "pcap.h"

_Static_assert((MOTE_FW_PCAP_RING & (MOTE_FW_PCAP_RING - 1u)) == 0 &&
                   MOTE_FW_PCAP_RING >= 2048u,
               "MOTE_FW_PCAP_RING: a power of two, at least 2048");

static uint8_t ring[MOTE_FW_PCAP_RING];
static uint32_t head, tail; /* free-running; head - tail bytes wait */

static void put(const void *src, uint32_t n)
{
    const uint8_t *s = src;
    while (n--)
        ring[head++ & (MOTE_FW_PCAP_RING - 1u)] = *s++;
}

static void put32(uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    put(b, 4);
}

int mote_lm3s_pcap_drain(void)
{
    while (head != tail && !(UART_FR(UART1_BASE) & UART_FR_TXFF))
        UART_DR(UART1_BASE) = ring[tail++ & (MOTE_FW_PCAP_RING - 1u)];
    return head != tail;
}

/* The board clock as seconds and microseconds: the millisecond count and
 * SysTick's phase in it, read again if a tick lands in between. 32-bit
 * arithmetic only (a 64-bit division would pull in libgcc's). */
static void stamp(uint32_t *sec, uint32_t *usec)
{
    uint32_t ms, cvr;
    do {
        ms = mote_board_ms();
        cvr = SYST_CVR;
    } while (ms != mote_board_ms());
    *sec = ms / 1000u;
    *usec = ms % 1000u * 1000u +
            (SYST_RVR - cvr) / (MOTE_BOARD_HZ / 1000000u);
}

static void record(struct mote_lm3s_pcap *p, const uint8_t *a, size_t alen,
                   const uint8_t *b, size_t blen)
{
    uint32_t len = (uint32_t)(alen + blen);
    if (MOTE_FW_PCAP_RING - (head - tail) < 16u + len) {
        p->dropped++;
        return;
    }
    uint32_t sec, usec;
    stamp(&sec, &usec);
    put32(sec);
    put32(usec);
    put32(len);
    put32(len);
    put(a, (uint32_t)alen);
    put(b, (uint32_t)blen);
    p->frames++;
    (void)mote_lm3s_pcap_drain();
}

void mote_lm3s_pcap_init(struct mote_lm3s_pcap *p,
                         const struct mote_driver *inner, void *inner_ctx)
{
    const uint32_t u = UART1_BASE;

    p->inner = inner;
    p->inner_ctx = inner_ctx;
    p->frames = p->dropped = 0;
    SYSCTL_RCGC1 |= RCGC1_UART1;
    SYSCTL_RCGC2 |= RCGC2_GPIO(3);
    (void)SYSCTL_RCGC2;
    GPIO_AFSEL(GPIOD_BASE) |= 0xCu; /* PD2 = U1RX, PD3 = U1TX */
    GPIO_DEN(GPIOD_BASE) |= 0xCu;
    UART_CTL(u) = 0;
    UART_IBRD(u) = 1; /* 50 MHz / 16: 3.125 Mbit/s, ~312 KB/s */
    UART_FBRD(u) = 0;
    UART_LCRH(u) = UART_LCRH_WLEN8 | UART_LCRH_FEN;
    UART_IM(u) = 0; /* polled from the main loop */
    UART_CTL(u) = UART_CTL_UARTEN | UART_CTL_TXE;

    put32(0xa1b2c3d4u);      /* magic: microsecond stamps */
    put32(2u | 4u << 16);    /* version 2.4 */
    put32(0);                /* GMT offset */
    put32(0);                /* accuracy */
    put32(65535);            /* snap length */
    put32(1);                /* LINKTYPE_ETHERNET */
    (void)mote_lm3s_pcap_drain();
}

static int pcap_init(void *ctx, uint8_t mac[6])
{
    struct mote_lm3s_pcap *p = ctx;
    return p->inner->init(p->inner_ctx, mac);
}

static size_t pcap_rx(void *ctx, uint8_t *buf, size_t cap)
{
    struct mote_lm3s_pcap *p = ctx;
    size_t n = p->inner->rx(p->inner_ctx, buf, cap);
    if (n != 0 && n <= cap)
        record(p, buf, n, NULL, 0);
    return n;
}

static int pcap_tx(void *ctx, const uint8_t *head_, size_t head_len,
                   const uint8_t *tail_, size_t tail_len)
{
    struct mote_lm3s_pcap *p = ctx;
    int rc = p->inner->tx(p->inner_ctx, head_, head_len, tail_, tail_len);
    if (rc == 0)
        record(p, head_, head_len, tail_, tail_len);
    return rc;
}

static int pcap_poll(void *ctx)
{
    struct mote_lm3s_pcap *p = ctx;
    return p->inner->poll ? p->inner->poll(p->inner_ctx) : 1;
}

const struct mote_driver mote_lm3s_pcap_driver = {
    .init = pcap_init,
    .rx = pcap_rx,
    .tx = pcap_tx,
    .poll = pcap_poll,
};
