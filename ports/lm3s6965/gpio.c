/*
 * gpio.c - mote_gpio_* on the LM3S6965's GPIO ports A..G.
 */
#include "lm3s6965.h"
#include "mote/hal.h"

static const uint32_t port_base[GPIO_PORTS] = {
    0x40004000u, 0x40005000u, 0x40006000u, 0x40007000u, /* A..D */
    0x40024000u, 0x40025000u, 0x40026000u,              /* E..G */
};

int mote_gpio_configure(unsigned pin, enum mote_gpio_mode mode)
{
    unsigned port = pin / 8u;
    uint32_t bit = 1u << (pin % 8u);

    if (port >= GPIO_PORTS)
        return -1;
    uint32_t base = port_base[port];
    SYSCTL_RCGC2 |= RCGC2_GPIO(port);
    /* Silicon needs a few cycles after the clock gate opens. */
    (void)SYSCTL_RCGC2;
    GPIO_AFSEL(base) &= ~bit;
    if (mode == MOTE_GPIO_OUTPUT)
        GPIO_DIR(base) |= bit;
    else
        GPIO_DIR(base) &= ~bit;
    GPIO_DEN(base) |= bit;
    return 0;
}

/* The data register is address-masked: bits [9:2] of the address select
 * which pins a write touches, so set and clear need no read-modify-write
 * (and no lock against an ISR driving another pin of the port). */
void mote_gpio_set(unsigned pin)
{
    if (pin / 8u < GPIO_PORTS) {
        uint32_t bit = 1u << (pin % 8u);
        GPIO_DATA_MASKED(port_base[pin / 8u], bit) = bit;
    }
}

void mote_gpio_clear(unsigned pin)
{
    if (pin / 8u < GPIO_PORTS)
        GPIO_DATA_MASKED(port_base[pin / 8u], 1u << (pin % 8u)) = 0;
}

int mote_gpio_read(unsigned pin)
{
    if (pin / 8u >= GPIO_PORTS)
        return 0;
    uint32_t bit = 1u << (pin % 8u);
    return (GPIO_DATA_MASKED(port_base[pin / 8u], bit) & bit) != 0;
}
