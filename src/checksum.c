/*
 * checksum.c - the Internet checksum (RFC 1071), computed byte-wise so it
 * works on unaligned data on every target.
 */
#include "priv.h"

uint32_t mote_cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    /* Pairs of bytes into a 32-bit accumulator; folding is deferred to the
     * end, so the loop cannot overflow below 128 KB of input. */
    while (len >= 2) {
        sum += (uint32_t)(p[0] << 8 | p[1]);
        p += 2;
        len -= 2;
    }
    if (len)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

uint16_t mote_cksum_fold(uint32_t sum)
{
    /* Two folds suffice for any 32-bit sum. */
    sum = (sum & 0xffffu) + (sum >> 16);
    sum += sum >> 16;
    return (uint16_t)~sum;
}
