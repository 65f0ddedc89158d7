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
    if (mote_cksum_fold(mote_cksum_add(0, icmp, len)) != 0)
        DROP(ICMP_CHECKSUM);
    if (icmp[ICMP_TYPE] != ICMP_ECHO_REQUEST)
        DROP(ICMP_TYPE);
    if (bcast)
        DROP(ICMP_BROADCAST);
    /* The reply goes out without the request's IP options. */
    uint8_t *out = s->buf + IP_OFF + IP_HLEN;
    if (icmp != out)
        MEMMOVE(out, icmp, len);
    /* Type 8 -> 0 changes one 16-bit word: update the checksum
     * incrementally (RFC 1624, eqn. 3) instead of summing the payload. */
    uint16_t old_word = get16(out), new_word = (uint16_t)out[ICMP_CODE];
    uint32_t sum = (uint16_t)~get16(out + ICMP_CSUM);
    sum += (uint16_t)~old_word;
    sum += new_word;
    out[ICMP_TYPE] = ICMP_ECHO_REPLY;
    put16(out + ICMP_CSUM, mote_cksum_fold(sum));
    if (mote_ipv4_output(s, src, IPPROTO_ICMP, len, NULL, 0) == 0)
        COUNT(s, ICMP_ECHO_REPLIES);
    return;
drop:
    s->counters[why]++;
}
