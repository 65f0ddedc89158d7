/*
 * eth.c - Ethernet II framing: input demultiplexing and output.
 *
 * Accepted: frames to our MAC or to broadcast, from a unicast source, of
 * type IPv4 or ARP. Everything else is dropped with a counter. Multicast
 * destinations are not accepted (no multicast group is joined yet).
 */
#include "priv.h"
#include "wire.h"

const uint8_t mote_eth_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* ---- input ------------------------------------------------------------- */

void mote_eth_input(struct mote_stack *s, size_t len)
{
    uint8_t *f = s->buf;

    if (len > sizeof s->buf) {
        COUNT(s, ETH_OVERSIZE);
        return;
    }
    if (len < ETH_HLEN) {
        COUNT(s, ETH_SHORT);
        return;
    }
    if (MEMCMP(f + ETH_DST, s->mac, 6) != 0 &&
        MEMCMP(f + ETH_DST, mote_eth_broadcast, 6) != 0) {
        COUNT(s, ETH_NOT_OURS);
        return;
    }
    if (f[ETH_SRC] & 1) { /* group bit: broadcast or multicast source */
        COUNT(s, ETH_SRC_BAD);
        return;
    }
    switch (get16(f + ETH_TYPE)) {
    case ETHTYPE_IPV4:
        mote_ipv4_input(s, f + ETH_HLEN, len - ETH_HLEN);
        break;
    case ETHTYPE_ARP:
        mote_arp_input(s, f + ETH_HLEN, len - ETH_HLEN);
        break;
    default:
        COUNT(s, ETH_TYPE);
        break;
    }
}

/* ---- output ------------------------------------------------------------ */

int mote_eth_output(struct mote_stack *s, const uint8_t dst[6], uint16_t type,
                    size_t head_len, const uint8_t *tail, size_t tail_len)
{
    uint8_t *f = s->buf;

    MEMMOVE(f + ETH_DST, dst, 6); /* dst may point into the buffer */
    MEMCPY(f + ETH_SRC, s->mac, 6);
    put16(f + ETH_TYPE, type);
    if (s->drv->tx(s->drv_ctx, f, head_len, tail, tail_len) != 0) {
        COUNT(s, TX_ERRORS);
        return -1;
    }
    COUNT(s, TX_FRAMES);
    return 0;
}
