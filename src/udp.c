/*
 * udp.c - UDP input checks and demultiplexing (to the DHCP client and to
 * the ports the application bound), and output.
 *
 * The checksum's pseudo-header is read from, or written into, the IPv4
 * header's address fields in the buffer, so one block sum covers it.
 */
#include "priv.h"
#include "wire.h"

#define UDP_HLEN 8
#define UDP_SPORT 0
#define UDP_DPORT 2
#define UDP_LEN 4
#define UDP_CSUM 6
#define DHCP_CLIENT_PORT 68

/* ---- input ------------------------------------------------------------- */

void mote_udp_input(struct mote_stack *s, uint8_t *udp, size_t len,
                    uint32_t src, int bcast)
{
    (void)bcast; /* broadcasts are fine for UDP (DHCP replies are some) */
    enum mote_counter_id why;
    size_t ulen;

    /* Bytes between the UDP length and the IP payload's end are ignored. */
    if (len < UDP_HLEN || (ulen = get16(udp + UDP_LEN)) < UDP_HLEN ||
        ulen > len)
        DROP(UDP_LEN);
    if (get16(udp + UDP_CSUM) != 0 &&
        mote_cksum(
            mote_cksum_add(IPPROTO_UDP + ulen, s->buf + IP_OFF + IP_SRC, 8),
            udp, ulen) != 0)
        DROP(UDP_CHECKSUM);
    uint16_t port = get16(udp + UDP_DPORT), sport = get16(udp + UDP_SPORT);
    udp += UDP_HLEN;
    ulen -= UDP_HLEN;
    /* The DHCP client is called directly: it takes no slot, and the call
     * graph (so the worst-case stack) stays visible to the size report. */
    if (port == DHCP_CLIENT_PORT) {
        mote_dhcp_input(s, udp, ulen, sport);
        return;
    }
#if MOTE_UDP_PORTS
    for (unsigned i = 0; i < MOTE_UDP_PORTS; i++) {
        struct mote_udp_port *p = &s->udp[i];
        if (p->port == port && p->fn) { /* a free slot has port 0 */
            p->fn(s, udp, ulen, src, sport);
            return;
        }
    }
#else
    (void)src;
#endif
    DROP(UDP_NO_PORT);
drop:
    s->counters[why]++;
}

int mote_udp_bind(struct mote_stack *s, uint16_t port, mote_udp_fn *fn)
{
#if MOTE_UDP_PORTS
    struct mote_udp_port *slot = NULL;

    for (unsigned i = 0; i < MOTE_UDP_PORTS; i++) {
        struct mote_udp_port *p = &s->udp[i];
        if (p->port == port) {
            slot = p;
            break;
        }
        if (!p->port && !slot)
            slot = p;
    }
    if (!slot || !port)
        return -1;
    slot->port = fn ? port : 0;
    slot->fn = fn;
    return 0;
#else
    (void)s, (void)port, (void)fn;
    return -1;
#endif
}

/* ---- output ------------------------------------------------------------ */

int mote_udp_send(struct mote_stack *s, uint16_t sport, uint32_t dst,
                  uint16_t dport, const void *data, size_t len)
{
    uint8_t *ip = s->buf + IP_OFF, *udp = ip + IP_HLEN;

    if (len > 1500 - IP_HLEN - UDP_HLEN)
        return -1;
    uint32_t ulen = UDP_HLEN + (uint32_t)len;
    put32(ip + IP_SRC, s->ip); /* the pseudo-header; ipv4 rewrites them */
    put32(ip + IP_DST, dst);
    put32(udp + UDP_SPORT, (uint32_t)sport << 16 | dport);
    put32(udp + UDP_LEN, ulen << 16); /* and a zero checksum */
    /* The header is 8 B, so the data's bytes keep their 16-bit pairing. */
    uint16_t sum = mote_cksum(
        mote_cksum_add(IPPROTO_UDP + ulen, ip + IP_SRC, 8 + UDP_HLEN), data,
        len);
    put16(udp + UDP_CSUM, sum ? sum : 0xffff); /* 0 would mean "none" */
    return mote_ipv4_output(s, dst, IPPROTO_UDP, UDP_HLEN, data, len);
}
