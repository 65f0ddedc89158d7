/*
 * checksum.c - the Internet checksum (RFC 1071), on data of any alignment.
 */
#include "priv.h"

/* Word loads pay where the target loads unaligned words in one instruction
 * (Cortex-M3/M4, x86); elsewhere (RV32, Xtensa lx106) they would be
 * assembled from bytes anyway, so bytes are summed in pairs. */
#ifndef MOTE_CKSUM_WORDS
#if defined(__ARM_FEATURE_UNALIGNED) || defined(__x86_64__) || defined(__i386__)
#define MOTE_CKSUM_WORDS 1
#else
#define MOTE_CKSUM_WORDS 0
#endif
#endif

uint32_t mote_cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
#if MOTE_CKSUM_WORDS
    /* Four bytes per step in network order, both halves into the 32-bit
     * sum; the last 1-3 bytes are padded with zeros, which add nothing. */
    while (len) {
        uint32_t w = 0;
        if (len >= 4) {
            __builtin_memcpy(&w, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            w = __builtin_bswap32(w);
#endif
            p += 4;
            len -= 4;
        } else {
            for (unsigned sh = 24; len; len--, sh -= 8)
                w |= (uint32_t)*p++ << sh;
        }
        sum += (w >> 16) + (w & 0xffffu);
    }
#else
    while (len >= 2) {
        sum += (uint32_t)(p[0] << 8 | p[1]);
        p += 2;
        len -= 2;
    }
    if (len)
        sum += (uint32_t)p[0] << 8;
#endif
    /* Folding is deferred to mote_cksum_fold(): at most 0x1fffe per step,
     * so the 32-bit sum cannot overflow below 128 KB of input. */
    return sum;
}

uint16_t mote_cksum_fold(uint32_t sum)
{
    /* Two folds suffice for any 32-bit sum. */
    sum = (sum & 0xffffu) + (sum >> 16);
    sum += sum >> 16;
    return (uint16_t)~sum;
}

uint16_t mote_cksum(uint32_t sum, const uint8_t *p, size_t len)
{
    return mote_cksum_fold(mote_cksum_add(sum, p, len));
}
