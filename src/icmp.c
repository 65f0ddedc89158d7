/*
 * icmp.c - ICMP echo (ping) responder.
 *
 * Echo requests of any size that fits the buffer are answered in place;
 * echoes to a broadcast address are not (no smurf amplifier). Other types
 * are counted and dropped: mote originates nothing that would draw an ICMP
 * error it could act on.
 */
#include "priv.h"
#include "wire.h"

void mote_icmp_input(struct mote_stack *s, uint8_t *icmp, size_t len,
                     uint32_t src, int bcast)
{
    enum mote_counter_id why;

    if (len < ICMP_HLEN)
        DROP(ICMP_SHORT);
    if (mote_cksum(0, icmp, len) != 0)
        DROP(ICMP_CHECKSUM);
    if (icmp[ICMP_TYPE] != ICMP_ECHO_REQUEST)
        DROP(ICMP_TYPE);
    if (bcast)
        DROP(ICMP_BROADCAST);
    /* The reply goes out without the request's IP options. */
    uint8_t *out = s->buf + IP_OFF + IP_HLEN;
    if (icmp != out)
        MEMMOVE(out, icmp, len);
    /* Type 8 -> 0 lowers the summed data by 0x0800, so the checksum (its
     * complement) rises by as much, with the end-around carry: no need to
     * sum the payload again (RFC 1624). */
    uint32_t c = get16(out + ICMP_CSUM) + 0x0800u;
    out[ICMP_TYPE] = ICMP_ECHO_REPLY;
    put16(out + ICMP_CSUM, (uint16_t)(c + (c >> 16)));
    if (mote_ipv4_output(s, src, IPPROTO_ICMP, len, NULL, 0) == 0)
        COUNT(s, ICMP_ECHO_REPLIES);
    return;
drop:
    s->counters[why]++;
}
