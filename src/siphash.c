/*
 * siphash.c - HalfSipHash-2-4 with a 32-bit result (Aumasson and Bernstein,
 * the 32-bit-word variant of SipHash): the one keyed hash of the stack, for
 * TCP initial sequence numbers and SYN cookies.
 *
 * Why the half variant: it works on 32-bit words, so Cortex-M3, RV32 and
 * lx106 need no 64-bit rotations, and its 64-bit key fits the threat (an
 * off-path guesser who cannot query it faster than the network carries).
 */
#include "tcp_priv.h"

static uint32_t rotl(uint32_t x, unsigned b)
{
    return x << b | x >> (32 - b);
}

static void rounds(uint32_t v[4], unsigned n)
{
    while (n--) {
        v[0] += v[1];
        v[1] = rotl(v[1], 5) ^ v[0];
        v[0] = rotl(v[0], 16);
        v[2] += v[3];
        v[3] = rotl(v[3], 8) ^ v[2];
        v[0] += v[3];
        v[3] = rotl(v[3], 7) ^ v[0];
        v[2] += v[1];
        v[1] = rotl(v[1], 13) ^ v[2];
        v[2] = rotl(v[2], 16);
    }
}

/* The words are the message's little-endian 4-byte blocks, so the result
 * equals the reference function over those 4n bytes. */
uint32_t mote_hsiphash(const uint32_t key[2], const uint32_t *w, unsigned n)
{
    uint32_t v[4] = {key[0], key[1], key[0] ^ 0x6c796765u,
                     key[1] ^ 0x74656462u};
    uint32_t m;

    for (unsigned i = 0; i <= n; i++) {
        /* The last block holds the byte length in its top byte. */
        m = i < n ? w[i] : (uint32_t)(n * 4) << 24;
        v[3] ^= m;
        rounds(v, 2);
        v[0] ^= m;
    }
    v[2] ^= 0xff;
    rounds(v, 4);
    return v[1] ^ v[3];
}
