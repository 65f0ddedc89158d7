/*
 * startup.c - reset entry, vector table and fault reporting for the LM3S6965.
 *
 * The reset handler copies .data from flash, clears .bss, paints the free
 * RAM below the stack (mote_board_stack_peak() finds the high-water mark)
 * and calls main(); no libc start files run (no constructors are used).
 * The HardFault handler prints the stacked registers and the fault status
 * registers on UART0 by polling (interrupts cannot be trusted any more),
 * then ends the QEMU run through semihosting with code 0x7F (or stops, on a
 * board without debugger).
 */
#include <stdint.h>

#include "board.h"
#include "lm3s6965.h"
#include "console.h"
#include "mote/hal.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[], __stack_top[];

int main(void);

void mote_isr_reset(void);
void mote_isr_default(void);
void mote_isr_hardfault(void);
void mote_fault_report(const uint32_t *frame, uint32_t exc_return);
void mote_isr_systick(void);
void mote_isr_uart0(void);
void mote_isr_enet(void);

void mote_isr_reset(void)
{
    uint32_t *src = __data_load;
    for (uint32_t *dst = __data_start; dst < __data_end;)
        *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end;)
        *dst++ = 0;
    /* Everything between .bss and this frame: the stack will only ever
     * grow into it. A margin spares what this function itself pushed. */
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *dst = __bss_end; dst < sp - 16;)
        *dst++ = MOTE_STACK_PAINT;
    (void)main();
    mote_board_exit(0);
}

void mote_isr_default(void)
{
    /* An interrupt nobody enabled: report it like a fault. */
    __asm volatile("udf #1");
    for (;;) {
    }
}

/* Picks the stack the exception frame was pushed on and hands it over;
 * naked so that no prologue moves the stack pointer first. */
__attribute__((naked)) void mote_isr_hardfault(void)
{
    __asm volatile("tst lr, #4\n"
                   "ite eq\n"
                   "mrseq r0, msp\n"
                   "mrsne r0, psp\n"
                   "mov r1, lr\n"
                   "b mote_fault_report\n");
}

static void reg(const char *name, uint32_t v)
{
    mote_con_puts(MOTE_BOARD_CONSOLE, name);
    mote_con_puthex(MOTE_BOARD_CONSOLE, v, 8);
    mote_con_puts(MOTE_BOARD_CONSOLE, "\r\n");
}

void mote_fault_report(const uint32_t *frame, uint32_t exc_return)
{
    mote_con_puts(MOTE_BOARD_CONSOLE, "\r\nHARDFAULT\r\n");
    reg(" r0   0x", frame[0]);
    reg(" r1   0x", frame[1]);
    reg(" r2   0x", frame[2]);
    reg(" r3   0x", frame[3]);
    reg(" r12  0x", frame[4]);
    reg(" lr   0x", frame[5]);
    reg(" pc   0x", frame[6]);
    reg(" xpsr 0x", frame[7]);
    reg(" sp   0x", (uint32_t)(uintptr_t)(frame + 8));
    reg(" excr 0x", exc_return);
    reg(" cfsr 0x", SCB_CFSR);
    reg(" hfsr 0x", SCB_HFSR);
    reg(" mmfar 0x", SCB_MMFAR);
    reg(" bfar 0x", SCB_BFAR);
    mote_board_exit(0x7F);
}

#define VEC(f) ((uintptr_t)(f))
#define D VEC(mote_isr_default)

/* Vector table: initial stack, 15 core exceptions, IRQ 0..43. Unused slots
 * go to mote_isr_default so a stray interrupt is reported, not jumped to 0. */
__attribute__((section(".isr_vector"), used))
const uintptr_t mote_vectors[16 + IRQ_COUNT] = {
    VEC(__stack_top),
    VEC(mote_isr_reset),
    D,                          /* NMI */
    VEC(mote_isr_hardfault),
    VEC(mote_isr_hardfault),    /* MemManage (escalates when disabled) */
    VEC(mote_isr_hardfault),    /* BusFault */
    VEC(mote_isr_hardfault),    /* UsageFault */
    0, 0, 0, 0,                 /* reserved */
    D,                          /* SVCall */
    D,                          /* DebugMon */
    0,                          /* reserved */
    D,                          /* PendSV */
    VEC(mote_isr_systick),
    D, D, D, D, D,              /* IRQ 0..4 */
    VEC(mote_isr_uart0),        /* IRQ 5: UART0 */
    D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, /* IRQ 6..23 */
    D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, /* IRQ 24..41 */
    VEC(mote_isr_enet),         /* IRQ 42: Ethernet MAC */
    D,                          /* IRQ 43 */
};
