/*
 * hal.h - the small hardware interfaces a mote application uses besides the
 * network: GPIO pins and UARTs.
 *
 * Each port implements them once: real registers on a board
 * (ports/lm3s6965), an in-memory simulation on the host (ports/posix/
 * hal_sim.c). Pins and UARTs are numbered by the port; MOTE_GPIO_PIN() builds
 * a pin number from a port letter index and a bit, which suits the usual
 * "port X, pin n" naming. None of these functions is called from mote's core.
 *
 * Thread/ISR rules: the functions are for the main loop. A port feeds UART
 * receive from its interrupt into a ring (see ring.h) that mote_uart_read()
 * drains, so no byte is lost while the main loop is busy.
 */
#ifndef MOTE_HAL_H
#define MOTE_HAL_H

#include <stddef.h>
#include <stdint.h>

/* Pin number of bit `n` (0..7) of GPIO port `p` (0 = A, 1 = B, ...). */
#define MOTE_GPIO_PIN(p, n) ((unsigned)(p) * 8u + (unsigned)(n))

enum mote_gpio_mode {
    MOTE_GPIO_INPUT = 0,
    MOTE_GPIO_OUTPUT = 1
};

/* Configures `pin`; returns 0, or -1 when the port has no such pin. */
int mote_gpio_configure(unsigned pin, enum mote_gpio_mode mode);
/* Drives an output high / low. */
void mote_gpio_set(unsigned pin);
void mote_gpio_clear(unsigned pin);
/* Level of the pin (an output reads back what it drives): 0 or 1. */
int mote_gpio_read(unsigned pin);

/* Configures UART `uart` (8N1) at `baud` and enables its receive path;
 * returns 0, or -1 for an unknown UART or an unusable rate. */
int mote_uart_configure(unsigned uart, uint32_t baud);
/* Writes `len` bytes, waiting for room in the transmitter; returns `len`. */
size_t mote_uart_write(unsigned uart, const void *buf, size_t len);
/* Reads up to `cap` received bytes without waiting; returns how many. */
size_t mote_uart_read(unsigned uart, void *buf, size_t cap);

/* ---- host simulation only (ports/posix/hal_sim.c) ------------------------
 * Tests drive the simulated hardware through these. */

/* Queues bytes as if they arrived on `uart`'s wire; returns how many fit. */
size_t mote_sim_uart_inject(unsigned uart, const void *buf, size_t len);
/* Moves up to `cap` bytes the program wrote to `uart` into `buf` (oldest
 * first) and returns how many. */
size_t mote_sim_uart_take(unsigned uart, void *buf, size_t cap);
/* Configured mode of `pin` (-1: never configured) and how many times its
 * output level changed since the last mote_sim_reset(). */
int mote_sim_gpio_mode(unsigned pin);
uint32_t mote_sim_gpio_edges(unsigned pin);
/* Drives an input pin from outside. */
void mote_sim_gpio_input(unsigned pin, int level);
/* Returns every simulated pin and UART to its power-on state. */
void mote_sim_reset(void);

#endif /* MOTE_HAL_H */
