/*
 * board.c - clock, SysTick millisecond timer, sleep and semihosting exit.
 */
#include <stdatomic.h>

#include "board.h"
#include "lm3s6965.h"
#include "mote/hal.h"

/* Written only by the SysTick ISR; 32-bit reads are atomic on the M3. */
static volatile uint32_t ticks_ms;
/* Set by ISRs that leave work for the main loop; see mote_board_idle(). */
static _Atomic uint32_t event;

/* From the linker script: the end of .bss and the top of the stack. */
extern uint32_t __bss_end[], __stack_top[];

void mote_isr_systick(void);

void mote_isr_systick(void)
{
    ticks_ms = ticks_ms + 1;
}

static void clock_init(void)
{
    uint32_t rcc = SYSCTL_RCC;

    /* Datasheet sequence: run from the crystal (bypass the PLL) while it is
     * reconfigured, power it up, pick the divider, wait for lock, then
     * switch over. 8 MHz crystal, PLL 400 MHz / 2 / SYSDIV 4 = 50 MHz. QEMU
     * only looks at SYSDIV (its clock period is 5 ns * SYSDIV). */
    rcc |= RCC_BYPASS;
    rcc &= ~RCC_USESYSDIV;
    SYSCTL_RCC = rcc;
    rcc &= ~(RCC_XTAL_MASK | RCC_OSCSRC_MASK | RCC_PWRDN | RCC_MOSCDIS);
    rcc |= RCC_XTAL_8MHZ;
    SYSCTL_RCC = rcc;
    rcc &= ~RCC_SYSDIV_MASK;
    rcc |= RCC_SYSDIV(4) | RCC_USESYSDIV;
    SYSCTL_RCC = rcc;
    /* Bounded: a PLL that never locks leaves us on the crystal, slower but
     * alive, rather than hung before the first console line. */
    for (uint32_t n = 0; n < 100000u; n++) {
        if (SYSCTL_RIS & SYSCTL_RIS_PLLLRIS) {
            rcc &= ~RCC_BYPASS;
            SYSCTL_RCC = rcc;
            break;
        }
    }
}

void mote_board_init(void)
{
    clock_init();
    SYST_RVR = MOTE_BOARD_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    (void)mote_uart_configure(MOTE_BOARD_CONSOLE, 115200);
}

uint32_t mote_board_stack_peak(void)
{
    const uint32_t *p = __bss_end;
    while (p < __stack_top && *p == MOTE_STACK_PAINT)
        p++;
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

uint32_t mote_board_ms(void)
{
    return ticks_ms;
}

void mote_board_event(void)
{
    atomic_store_explicit(&event, 1, memory_order_relaxed);
}

void mote_board_idle(void)
{
    /* With PRIMASK set an interrupt still ends WFI, but only runs after
     * cpsie: so the check and the sleep cannot be split by an ISR whose
     * event would then wait for the next tick. */
    __asm volatile("cpsid i" ::: "memory");
    if (atomic_exchange_explicit(&event, 0, memory_order_relaxed) == 0)
        __asm volatile("wfi" ::: "memory");
    __asm volatile("cpsie i" ::: "memory");
}

void mote_board_exit(int code)
{
    /* SYS_EXIT_EXTENDED (0x20): r1 points at {reason, exit code}. */
    static uint32_t block[2];
    block[0] = 0x20026u; /* ADP_Stopped_ApplicationExit */
    block[1] = (uint32_t)code;
    register uint32_t r0 __asm("r0") = 0x20u;
    register uint32_t *r1 __asm("r1") = block;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        __asm volatile("wfi");
}
