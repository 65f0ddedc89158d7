/*
 * enet.c - the Stellaris Ethernet MAC behind struct mote_driver.
 *
 * Receive: the ISR only masks the RX interrupt and raises a flag; the main
 * loop's mote_poll() then calls rx() until it returns 0, each call moving one
 * frame out of the MAC's 2 KB FIFO into the packet buffer. rx() unmasks the
 * interrupt only once it has seen the FIFO empty, so an interrupt storm
 * cannot starve the loop and no frame is left unannounced. Nothing here
 * counts on the FIFO holding more than the silicon's 2 KB (QEMU queues more):
 * the loop drains it as soon as the flag is up, and what the MAC loses when
 * it fills is counted from its overrun interrupt.
 *
 * Transmit: the headers and the payload span are packed into FIFO words
 * directly (enet_pack.h); nothing is copied.
 */
#include <string.h>

#include "board.h"
#include "enet_pack.h"
#include "lm3s6965.h"

/* The ISR has no argument: it finds the driver context through this. */
static struct mote_lm3s_enet *isr_ctx;

void mote_isr_enet(void);

/* Shortest frame worth handing to the stack (an Ethernet header), and the
 * size of the RX FIFO, which bounds any length the MAC can report. */
#define FRAME_MIN 14u
#define FIFO_BYTES 2048u
/* Busy-wait bound for the previous frame to leave the TX FIFO: a 1514-byte
 * frame takes 121 us at 100 Mbit/s, 1.2 ms at 10 (~60,000 cycles). */
#define TX_WAIT_LOOPS 100000u

static int mii_read(unsigned reg, uint16_t *out)
{
    MAC_MCTL = MAC_MCTL_REG(reg) | MAC_MCTL_START;
    for (uint32_t n = 0; n < 10000u; n++) {
        if (!(MAC_MCTL & MAC_MCTL_START)) {
            *out = (uint16_t)MAC_MRXD;
            return 0;
        }
    }
    return -1;
}

static int enet_init(void *vctx, uint8_t mac[6])
{
    struct mote_lm3s_enet *e = vctx;
    uint32_t u0 = SYSCTL_USER0, u1 = SYSCTL_USER1;
    uint16_t id;

    e->overruns = e->rx_errors = e->tx_errors = 0;
    e->rx_bad = e->tx_refused = 0;
    atomic_store_explicit(&e->rx_pending, 0, memory_order_relaxed);

    SYSCTL_RCGC2 |= RCGC2_EMAC0 | RCGC2_EPHY0;
    (void)SYSCTL_RCGC2;
    MAC_IM = 0; /* reset enables every source */
    MAC_IACK = MAC_INT_ALL;

    /* TI programs each board's address into USER0/USER1 (3 bytes each);
     * erased flash reads all ones. QEMU fills them from -nic mac=. */
    if (u0 != 0xFFFFFFFFu && u1 != 0xFFFFFFFFu && (u0 | u1) != 0) {
        mac[0] = (uint8_t)u0;
        mac[1] = (uint8_t)(u0 >> 8);
        mac[2] = (uint8_t)(u0 >> 16);
        mac[3] = (uint8_t)u1;
        mac[4] = (uint8_t)(u1 >> 8);
        mac[5] = (uint8_t)(u1 >> 16);
    }
    MAC_IA0 = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
              (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
    MAC_IA1 = (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
    memcpy(e->mac, mac, 6);

    /* MII clock below 2.5 MHz: 50 MHz / (2 * (9 + 1)). */
    MAC_MDV = 9;
    /* A real PHY answers its identifier (0x0161 on this chip); QEMU models
     * no MII and reads 0, and then the link is reported always up. */
    e->has_phy = mii_read(2, &id) == 0 && id != 0 && id != 0xFFFFu;

    MAC_THR = 0x3F; /* send on MACTR only, never on a FIFO threshold */
    MAC_TCTL = MAC_TCTL_TXEN | MAC_TCTL_PADEN | MAC_TCTL_CRC |
               MAC_TCTL_DUPLEX;
    MAC_RCTL = MAC_RCTL_RSTFIFO;
    /* AMUL: multicast reaches the stack, which filters (QEMU's MAC does not
     * filter at all). */
    MAC_RCTL = MAC_RCTL_RXEN | MAC_RCTL_AMUL | MAC_RCTL_BADCRC;

    isr_ctx = e;
    MAC_IM = MAC_INT_RX | MAC_INT_FOV | MAC_INT_RXER | MAC_INT_TXER;
    lm_irq_enable(IRQ_ETH);
    return 0;
}

void mote_isr_enet(void)
{
    struct mote_lm3s_enet *e = isr_ctx;
    uint32_t ris = MAC_RIS & MAC_IM;

    if (ris & MAC_INT_RX) {
        /* Masked until rx() finds the FIFO empty; RIS stays set and is
         * acknowledged there. */
        MAC_IM &= ~MAC_INT_RX;
        atomic_store_explicit(&e->rx_pending, 1, memory_order_release);
        mote_board_event();
    }
    if (ris & MAC_INT_FOV)
        e->overruns++;
    if (ris & MAC_INT_RXER)
        e->rx_errors++;
    if (ris & MAC_INT_TXER)
        e->tx_errors++; /* acknowledging TXER also empties the TX FIFO */
    MAC_IACK = ris & (MAC_INT_FOV | MAC_INT_RXER | MAC_INT_TXER);
}

int mote_lm3s_enet_pending(struct mote_lm3s_enet *e)
{
    return atomic_exchange_explicit(&e->rx_pending, 0,
                                    memory_order_acquire) != 0;
}

static size_t enet_rx(void *vctx, uint8_t *buf, size_t cap)
{
    struct mote_lm3s_enet *e = vctx;

    for (;;) {
        if (MAC_NP == 0) {
            /* Acknowledge first, then look again: a frame that lands after
             * the look raises RX anew, and unmasking fires it at once. */
            MAC_IACK = MAC_INT_RX;
            if (MAC_NP == 0) {
                MAC_IM |= MAC_INT_RX;
                return 0;
            }
        }

        uint32_t w = MAC_DATA;
        uint32_t total = w & 0xFFFFu; /* 2 length bytes + frame + 4 FCS */
        if (total < 6u || total > FIFO_BYTES) {
            /* Not a length the FIFO can hold: its framing is lost, and
             * only a reset resynchronizes (the frames in it are lost). */
            e->rx_bad++;
            MAC_RCTL = MAC_RCTL_RSTFIFO;
            MAC_RCTL = MAC_RCTL_RXEN | MAC_RCTL_AMUL | MAC_RCTL_BADCRC;
            continue;
        }
        size_t len = total - 6u;
        size_t words = (total + 3u) / 4u - 1u; /* after the first */

        if (len < FRAME_MIN || len > cap) {
            while (words-- != 0)
                (void)MAC_DATA;
            if (len > cap)
                return len; /* > cap: the stack counts it */
            e->rx_bad++; /* a runt: nothing the stack could parse */
            continue;
        }
        buf[0] = (uint8_t)(w >> 16);
        buf[1] = (uint8_t)(w >> 24);
        /* Words wholly inside the frame, then the one holding its last
         * bytes (and the FCS's first), then what is left of the FCS. */
        uint8_t *p = buf + 2;
        size_t full = (len - 2u) / 4u;
        words -= full;
        while (full-- != 0) {
            w = MAC_DATA;
            /* One unaligned STR on the M3, even with -fno-builtin. */
            __builtin_memcpy(p, &w, 4);
            p += 4;
        }
        size_t rest = (size_t)(buf + len - p);
        if (rest != 0) {
            w = MAC_DATA;
            words--;
            for (size_t i = 0; i < rest; i++)
                p[i] = (uint8_t)(w >> (8u * i));
        }
        while (words-- != 0)
            (void)MAC_DATA;
        return len;
    }
}

static void put_word(void *ctx, uint32_t word)
{
    (void)ctx;
    MAC_DATA = word;
}

static int enet_tx(void *vctx, const uint8_t *head, size_t head_len,
                   const uint8_t *tail, size_t tail_len)
{
    struct mote_lm3s_enet *e = vctx;
    size_t len = head_len + tail_len;
    struct mote_enet_pack p;
    uint32_t n = 0;

    if (len < FRAME_MIN || len > 1514u || (tail == NULL && tail_len != 0)) {
        e->tx_refused++;
        return -1;
    }
    /* The silicon takes one frame at a time: wait for the last to go. */
    while (MAC_TR & MAC_TR_NEWTX) {
        if (++n == TX_WAIT_LOOPS) {
            e->tx_refused++;
            return -1;
        }
    }
    mote_enet_pack_start(&p, len);
    mote_enet_pack_bytes(&p, head, head_len, put_word, NULL);
    if (tail_len != 0)
        mote_enet_pack_bytes(&p, tail, tail_len, put_word, NULL);
    mote_enet_pack_end(&p, put_word, NULL);
    MAC_TR = MAC_TR_NEWTX;
    return 0;
}

static int enet_poll(void *vctx)
{
    struct mote_lm3s_enet *e = vctx;
    uint16_t bmsr;

    if (!e->has_phy)
        return 1;
    /* PHY status register, bit 2: link up. */
    return mii_read(1, &bmsr) == 0 && (bmsr & 0x4u) != 0;
}

const struct mote_driver mote_lm3s_enet_driver = {
    .init = enet_init,
    .rx = enet_rx,
    .tx = enet_tx,
    .poll = enet_poll,
};
