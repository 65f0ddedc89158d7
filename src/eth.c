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
    enum mote_counter_id why;
    uint8_t *f = s->buf;

    if (len > sizeof s->buf)
        DROP(ETH_OVERSIZE);
    if (len < ETH_HLEN)
        DROP(ETH_SHORT);
    if (MEMCMP(f + ETH_DST, f[ETH_DST] & 1 ? mote_eth_broadcast : s->mac, 6))
        DROP(ETH_NOT_OURS);
    if (f[ETH_SRC] & 1) /* group bit: broadcast or multicast source */
        DROP(ETH_SRC_BAD);
    switch (get16(f + ETH_TYPE)) {
    case ETHTYPE_IPV4:
        mote_ipv4_input(s, f + ETH_HLEN, len - ETH_HLEN);
        break;
    case ETHTYPE_ARP:
        mote_arp_input(s, f + ETH_HLEN, len - ETH_HLEN);
        break;
    default:
        DROP(ETH_TYPE);
    }
    return;
drop:
    s->counters[why]++;
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
