/*
 * ipv4.c - IPv4 input validation and demultiplexing, and output with
 * next-hop selection.
 *
 * Fragments are dropped and counted, never reassembled: reassembly needs a
 * buffer per datagram in flight (RAM mote does not have), it is the classic
 * place for overflow bugs, and nothing mote speaks needs it (TCP sends MSS-
 * sized segments; DHCP and ICMP echo fit in one frame).
 */
#include "priv.h"
#include "wire.h"

static int is_bcast(const struct mote_stack *s, uint32_t a)
{
    /* The limited broadcast, or our subnet's: host part all ones (a /32
     * has no host part, hence no broadcast of its own). */
    return a == 0xffffffffu ||
           (s->ip != 0 && ~s->mask != 0 && (a | s->mask) == 0xffffffffu &&
            ((a ^ s->ip) & s->mask) == 0);
}

/* Options are skipped, but walked first so a malformed list is caught:
 * each option other than EOL/NOP has a length >= 2 within the header. */
static int options_ok(const uint8_t *o, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (o[i] == 0) /* end of list */
            return 1;
        if (o[i] == 1) { /* no-op */
            i++;
            continue;
        }
        if (len - i < 2 || o[i + 1] < 2 || o[i + 1] > len - i)
            return 0;
        i += o[i + 1];
    }
    return 1;
}

/* ---- input ------------------------------------------------------------- */

void mote_ipv4_input(struct mote_stack *s, uint8_t *ip, size_t len)
{
    enum mote_counter_id why;

    if (len < IP_HLEN)
        DROP(IP_LEN);
    if (ip[IP_VHL] >> 4 != 4)
        DROP(IP_VERSION);
    size_t hlen = (size_t)(ip[IP_VHL] & 0x0f) * 4;
    size_t total = get16(ip + IP_TOTLEN);
    if (total > len)
        DROP(IP_LEN);
    if (hlen < IP_HLEN || hlen > total)
        DROP(IP_HLEN);
    if (mote_cksum(0, ip, hlen) != 0)
        DROP(IP_CHECKSUM);
    if (ip[IP_TTL] == 0)
        DROP(IP_TTL);
    if (!options_ok(ip + IP_HLEN, hlen - IP_HLEN))
        DROP(IP_OPTIONS);
    if (get16(ip + IP_FRAG) & (IP_FLAG_MF | IP_OFFMASK))
        DROP(IP_FRAGMENT);
    uint32_t src = get32(ip + IP_SRC), dst = get32(ip + IP_DST);
    /* Martian sources: nobody can be answered at these (224/3 holds
     * multicast, class E and the limited broadcast). */
    if (src == 0 || (src >> 29) == 7 || (src >> 24) == 127 || src == s->ip ||
        is_bcast(s, src))
        DROP(IP_SRC_BAD);
    int bcast = is_bcast(s, dst);
    if (!bcast && (s->ip == 0 || dst != s->ip))
        DROP(IP_NOT_OURS);
    /* From here on the payload ends at the total length: trailing bytes
     * (Ethernet padding) are never parsed. */
    void (*in)(struct mote_stack *, uint8_t *, size_t, uint32_t, int);
    switch (ip[IP_PROTO]) {
    case IPPROTO_ICMP:
        in = mote_icmp_input;
        break;
    case IPPROTO_TCP:
        in = mote_tcp_input;
        break;
    case IPPROTO_UDP:
        in = mote_udp_input;
        break;
    default:
        DROP(IP_PROTO);
    }
    in(s, ip + hlen, total - hlen, src, bcast);
    return;
drop:
    s->counters[why]++;
}

/* ---- output ------------------------------------------------------------ */

int mote_ipv4_output(struct mote_stack *s, uint32_t dst, uint8_t proto,
                     size_t len, const uint8_t *tail, size_t tail_len)
{
    uint8_t *ip = s->buf + IP_OFF;
    const uint8_t *mac;
    uint32_t hop = dst;

    if (!is_bcast(s, dst) && ((dst ^ s->ip) & s->mask) != 0) {
        if (s->gw == 0) {
            COUNT(s, IP_NO_ROUTE);
            return -1;
        }
        hop = s->gw;
    }
    ip[IP_VHL] = 0x45;
    ip[IP_TOS] = 0;
    put16(ip + IP_TOTLEN, (uint16_t)(IP_HLEN + len + tail_len));
    put16(ip + IP_ID, s->ip_id++);
    put16(ip + IP_FRAG, IP_FLAG_DF);
    ip[IP_TTL] = MOTE_IP_TTL;
    ip[IP_PROTO] = proto;
    put16(ip + IP_CSUM, 0);
    put32(ip + IP_SRC, s->ip);
    put32(ip + IP_DST, dst);
    put16(ip + IP_CSUM, mote_cksum(0, ip, IP_HLEN));

    if (is_bcast(s, dst)) {
        mac = mote_eth_broadcast;
    } else if ((mac = mote_arp_resolve(s, hop)) == NULL) {
        COUNT(s, ARP_MISS); /* the buffer now holds the ARP request */
        return -1;
    }
    return mote_eth_output(s, mac, ETHTYPE_IPV4, IP_OFF + IP_HLEN + len, tail,
                           tail_len);
}
