/*
 * lm3s6965.h - the registers of the LM3S6965 (and its Cortex-M3 core) that
 * this port touches. Offsets and bits from the LM3S6965 datasheet; QEMU's
 * lm3s6965evb model implements the same ones.
 */
#ifndef MOTE_LM3S6965_H
#define MOTE_LM3S6965_H

#include <stdint.h>

#define LM_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* ---- system control --------------------------------------------------- */
#define SYSCTL_BASE 0x400FE000u
#define SYSCTL_RIS LM_REG(SYSCTL_BASE + 0x050)
#define SYSCTL_RIS_PLLLRIS (1u << 6)
#define SYSCTL_RCC LM_REG(SYSCTL_BASE + 0x060)
#define SYSCTL_RCGC1 LM_REG(SYSCTL_BASE + 0x104)
#define SYSCTL_RCGC2 LM_REG(SYSCTL_BASE + 0x108)
#define SYSCTL_USER0 LM_REG(SYSCTL_BASE + 0x1E0)
#define SYSCTL_USER1 LM_REG(SYSCTL_BASE + 0x1E4)

#define RCC_MOSCDIS (1u << 0)
#define RCC_OSCSRC_MASK (3u << 4)
#define RCC_XTAL_MASK (0xFu << 6)
#define RCC_XTAL_8MHZ (0xEu << 6)
#define RCC_BYPASS (1u << 11)
#define RCC_PWRDN (1u << 13)
#define RCC_USESYSDIV (1u << 22)
#define RCC_SYSDIV_MASK (0xFu << 23)
#define RCC_SYSDIV(d) ((uint32_t)((d) - 1u) << 23) /* PLL 200 MHz / 2 / d */

#define RCGC1_UART0 (1u << 0)
#define RCGC1_UART1 (1u << 1)
#define RCGC2_GPIO(p) (1u << (p))
#define RCGC2_EMAC0 (1u << 28)
#define RCGC2_EPHY0 (1u << 30)

/* ---- GPIO (ports A..G) ------------------------------------------------ */
#define GPIO_PORTS 7u
#define GPIO_DATA_MASKED(base, bits) LM_REG((base) + ((uint32_t)(bits) << 2))
#define GPIO_DIR(base) LM_REG((base) + 0x400)
#define GPIO_AFSEL(base) LM_REG((base) + 0x420)
#define GPIO_DR2R(base) LM_REG((base) + 0x500)
#define GPIO_DEN(base) LM_REG((base) + 0x51C)
#define GPIOA_BASE 0x40004000u
#define GPIOD_BASE 0x40007000u

/* ---- UART (PL011 variant) --------------------------------------------- */
#define UART0_BASE 0x4000C000u
#define UART1_BASE 0x4000D000u
#define UART_DR(b) LM_REG((b) + 0x000)
#define UART_FR(b) LM_REG((b) + 0x018)
#define UART_IBRD(b) LM_REG((b) + 0x024)
#define UART_FBRD(b) LM_REG((b) + 0x028)
#define UART_LCRH(b) LM_REG((b) + 0x02C)
#define UART_CTL(b) LM_REG((b) + 0x030)
#define UART_IM(b) LM_REG((b) + 0x038)
#define UART_ICR(b) LM_REG((b) + 0x044)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_FR_BUSY (1u << 3)
#define UART_LCRH_FEN (1u << 4)
#define UART_LCRH_WLEN8 (3u << 5)
#define UART_CTL_UARTEN (1u << 0)
#define UART_CTL_TXE (1u << 8)
#define UART_CTL_RXE (1u << 9)
#define UART_INT_RX (1u << 4)
#define UART_INT_RT (1u << 6)
#define UART_INT_OE (1u << 10)

/* ---- Ethernet MAC ----------------------------------------------------- */
#define MAC_BASE 0x40048000u
#define MAC_RIS LM_REG(MAC_BASE + 0x00) /* read: raw status; write: IACK */
#define MAC_IACK MAC_RIS
#define MAC_IM LM_REG(MAC_BASE + 0x04)
#define MAC_RCTL LM_REG(MAC_BASE + 0x08)
#define MAC_TCTL LM_REG(MAC_BASE + 0x0C)
#define MAC_DATA LM_REG(MAC_BASE + 0x10)
#define MAC_IA0 LM_REG(MAC_BASE + 0x14)
#define MAC_IA1 LM_REG(MAC_BASE + 0x18)
#define MAC_THR LM_REG(MAC_BASE + 0x1C)
#define MAC_MCTL LM_REG(MAC_BASE + 0x20)
#define MAC_MDV LM_REG(MAC_BASE + 0x24)
#define MAC_MRXD LM_REG(MAC_BASE + 0x30)
#define MAC_NP LM_REG(MAC_BASE + 0x34)
#define MAC_TR LM_REG(MAC_BASE + 0x38)

#define MAC_INT_RX (1u << 0)
#define MAC_INT_TXER (1u << 1)
#define MAC_INT_TXEMP (1u << 2)
#define MAC_INT_FOV (1u << 3)
#define MAC_INT_RXER (1u << 4)
#define MAC_INT_MD (1u << 5)
#define MAC_INT_PHY (1u << 6)
#define MAC_INT_ALL 0x7Fu
#define MAC_RCTL_RXEN (1u << 0)
#define MAC_RCTL_AMUL (1u << 1)
#define MAC_RCTL_BADCRC (1u << 3)
#define MAC_RCTL_RSTFIFO (1u << 4)
#define MAC_TCTL_TXEN (1u << 0)
#define MAC_TCTL_PADEN (1u << 1)
#define MAC_TCTL_CRC (1u << 2)
#define MAC_TCTL_DUPLEX (1u << 4) /* datasheet: bit 4 */
#define MAC_MCTL_START (1u << 0)
#define MAC_MCTL_REG(r) ((uint32_t)(r) << 3)
#define MAC_TR_NEWTX (1u << 0)

/* ---- Cortex-M3 core --------------------------------------------------- */
#define SYST_CSR LM_REG(0xE000E010)
#define SYST_RVR LM_REG(0xE000E014)
#define SYST_CVR LM_REG(0xE000E018)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define NVIC_ISER(n) LM_REG(0xE000E100 + 4u * (n))
#define NVIC_ICER(n) LM_REG(0xE000E180 + 4u * (n))
#define SCB_VTOR LM_REG(0xE000ED08)
#define SCB_SHCSR LM_REG(0xE000ED24)
#define SCB_CFSR LM_REG(0xE000ED28)
#define SCB_HFSR LM_REG(0xE000ED2C)
#define SCB_MMFAR LM_REG(0xE000ED34)
#define SCB_BFAR LM_REG(0xE000ED38)

/* Interrupt numbers (vector = 16 + IRQ). */
#define IRQ_UART0 5u
#define IRQ_ETH 42u
#define IRQ_COUNT 44u

static inline void lm_irq_enable(unsigned irq)
{
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

#endif /* MOTE_LM3S6965_H */
