/*
 * hal_sim.c - the hal.h interfaces simulated in memory for host tests.
 *
 * GPIO: 8 ports of 8 pins holding a mode, a level and an edge count.
 * UART: 4 units; received bytes go through the same SPSC ring as on the
 * board (mote_sim_uart_inject() plays the ISR), written bytes collect in a
 * buffer that mote_sim_uart_take() drains. A port may keep statics; the
 * simulation has one set of hardware per process, like a board.
 */
#include <string.h>

#include "mote/hal.h"
#include "mote/ring.h"

#define SIM_PINS 64
#define SIM_UARTS 4
#define SIM_RX_SIZE 256  /* power of two, as mote_ring requires */
#define SIM_TX_SIZE 8192

struct sim_pin {
    signed char mode; /* -1: not configured */
    uint8_t level;
    uint32_t edges;
};

struct sim_uart {
    uint32_t baud;    /* 0: not configured */
    struct mote_ring rx;
    uint8_t rx_buf[SIM_RX_SIZE];
    size_t tx_len;
    uint8_t tx_buf[SIM_TX_SIZE];
};

static struct sim_pin pins[SIM_PINS];
static struct sim_uart uarts[SIM_UARTS];
static int ready;

void mote_sim_reset(void)
{
    for (unsigned i = 0; i < SIM_PINS; i++) {
        pins[i].mode = -1;
        pins[i].level = 0;
        pins[i].edges = 0;
    }
    for (unsigned i = 0; i < SIM_UARTS; i++) {
        uarts[i].baud = 0;
        uarts[i].tx_len = 0;
        (void)mote_ring_init(&uarts[i].rx, uarts[i].rx_buf, SIM_RX_SIZE);
    }
    ready = 1;
}

static void sim_ready(void)
{
    if (!ready)
        mote_sim_reset();
}

int mote_gpio_configure(unsigned pin, enum mote_gpio_mode mode)
{
    sim_ready();
    if (pin >= SIM_PINS ||
        (mode != MOTE_GPIO_INPUT && mode != MOTE_GPIO_OUTPUT))
        return -1;
    pins[pin].mode = (signed char)mode;
    return 0;
}

static void drive(unsigned pin, uint8_t level)
{
    sim_ready();
    /* Like a real port, writing an input's data bit changes nothing. */
    if (pin >= SIM_PINS || pins[pin].mode != MOTE_GPIO_OUTPUT)
        return;
    if (pins[pin].level != level)
        pins[pin].edges++;
    pins[pin].level = level;
}

void mote_gpio_set(unsigned pin)
{
    drive(pin, 1);
}

void mote_gpio_clear(unsigned pin)
{
    drive(pin, 0);
}

int mote_gpio_read(unsigned pin)
{
    sim_ready();
    return pin < SIM_PINS ? pins[pin].level : 0;
}

void mote_sim_gpio_input(unsigned pin, int level)
{
    sim_ready();
    if (pin < SIM_PINS && pins[pin].mode != MOTE_GPIO_OUTPUT)
        pins[pin].level = level != 0;
}

int mote_sim_gpio_mode(unsigned pin)
{
    sim_ready();
    return pin < SIM_PINS ? pins[pin].mode : -1;
}

uint32_t mote_sim_gpio_edges(unsigned pin)
{
    sim_ready();
    return pin < SIM_PINS ? pins[pin].edges : 0;
}

int mote_uart_configure(unsigned uart, uint32_t baud)
{
    sim_ready();
    if (uart >= SIM_UARTS || baud == 0)
        return -1;
    uarts[uart].baud = baud;
    return 0;
}

size_t mote_uart_write(unsigned uart, const void *buf, size_t len)
{
    sim_ready();
    if (uart >= SIM_UARTS || uarts[uart].baud == 0)
        return 0;
    struct sim_uart *u = &uarts[uart];
    size_t room = SIM_TX_SIZE - u->tx_len;
    /* A full capture drops the excess; tests read it often enough. */
    size_t n = len < room ? len : room;
    memcpy(u->tx_buf + u->tx_len, buf, n);
    u->tx_len += n;
    return len;
}

size_t mote_uart_read(unsigned uart, void *buf, size_t cap)
{
    sim_ready();
    if (uart >= SIM_UARTS || uarts[uart].baud == 0)
        return 0;
    return mote_ring_read(&uarts[uart].rx, buf, cap);
}

size_t mote_sim_uart_inject(unsigned uart, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t n = 0;

    sim_ready();
    if (uart >= SIM_UARTS)
        return 0;
    while (n < len && mote_ring_push(&uarts[uart].rx, p[n]) == 0)
        n++;
    return n;
}

size_t mote_sim_uart_take(unsigned uart, void *buf, size_t cap)
{
    sim_ready();
    if (uart >= SIM_UARTS)
        return 0;
    struct sim_uart *u = &uarts[uart];
    size_t n = u->tx_len < cap ? u->tx_len : cap;
    memcpy(buf, u->tx_buf, n);
    memmove(u->tx_buf, u->tx_buf + n, u->tx_len - n);
    u->tx_len -= n;
    return n;
}
