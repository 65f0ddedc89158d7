/*
 * uart.c - mote_uart_* on UART0 (the console), receive through an SPSC ring.
 *
 * The receive ISR is the ring's only producer and mote_uart_read() (main
 * loop) its only consumer; see ring.h for the memory ordering. Transmit
 * polls the TX FIFO: console output is short, and the fault printer must
 * work with interrupts off anyway.
 */
#include "board.h"
#include "lm3s6965.h"
#include "mote/hal.h"
#include "mote/ring.h"

#define RX_RING_SIZE 128u /* power of two; ~11 ms of input at 115200 */

static struct mote_ring rx_ring;
static uint8_t rx_buf[RX_RING_SIZE];
static uint32_t rx_dropped; /* written by the ISR only */
static uint8_t configured;

void mote_isr_uart0(void);

int mote_uart_configure(unsigned uart, uint32_t baud)
{
    const uint32_t b = UART0_BASE;

    if (uart != 0 || baud == 0 || baud > MOTE_BOARD_HZ / 16u)
        return -1;
    (void)mote_ring_init(&rx_ring, rx_buf, RX_RING_SIZE);

    SYSCTL_RCGC1 |= RCGC1_UART0;
    SYSCTL_RCGC2 |= RCGC2_GPIO(0);
    (void)SYSCTL_RCGC2;
    GPIO_AFSEL(GPIOA_BASE) |= 0x3u; /* PA0 = U0RX, PA1 = U0TX */
    GPIO_DEN(GPIOA_BASE) |= 0x3u;

    UART_CTL(b) = 0;
    /* Divisor = clock / (16 * baud) in 16.6 fixed point, rounded. */
    uint32_t div64 = (MOTE_BOARD_HZ * 4u + baud / 2u) / baud;
    UART_IBRD(b) = div64 >> 6;
    UART_FBRD(b) = div64 & 0x3Fu;
    /* LCRH last: the divisor registers latch on its write. */
    UART_LCRH(b) = UART_LCRH_WLEN8 | UART_LCRH_FEN;
    UART_ICR(b) = 0x7FFu;
    /* RX (FIFO level) and RT (timeout: bytes below the level waiting). */
    UART_IM(b) = UART_INT_RX | UART_INT_RT | UART_INT_OE;
    UART_CTL(b) = UART_CTL_UARTEN | UART_CTL_TXE | UART_CTL_RXE;
    lm_irq_enable(IRQ_UART0);
    configured = 1;
    return 0;
}

void mote_isr_uart0(void)
{
    const uint32_t b = UART0_BASE;

    UART_ICR(b) = UART_INT_RX | UART_INT_RT | UART_INT_OE;
    while (!(UART_FR(b) & UART_FR_RXFE)) {
        uint32_t d = UART_DR(b);
        /* Bits 11:8 flag framing/parity/break/overrun errors: drop it. */
        if ((d & 0xF00u) != 0 || mote_ring_push(&rx_ring, (uint8_t)d) != 0)
            rx_dropped++;
    }
    mote_board_event();
}

size_t mote_uart_write(unsigned uart, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (uart != 0 || !configured)
        return 0;
    for (size_t i = 0; i < len; i++) {
        while (UART_FR(UART0_BASE) & UART_FR_TXFF) {
        }
        UART_DR(UART0_BASE) = p[i];
    }
    return len;
}

size_t mote_uart_read(unsigned uart, void *buf, size_t cap)
{
    if (uart != 0 || !configured)
        return 0;
    return mote_ring_read(&rx_ring, buf, cap);
}

uint32_t mote_uart_rx_dropped(void)
{
    return rx_dropped;
}
