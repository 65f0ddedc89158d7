/*
 * enet_pack.h - packing a frame's bytes into the 32-bit words the Stellaris
 * MAC's TX FIFO takes, straight from the stack's two spans.
 *
 * The FIFO's first word carries the payload length (frame length - 14) in
 * its low half and frame bytes 0 and 1 in its high half; then come four
 * bytes per word, little-endian, the last word zero-padded. The head span
 * rarely ends on a word boundary, so a partial word is carried from one span
 * into the next instead of copying the frame anywhere. Kept apart from the
 * register code so the host can test it.
 */
#ifndef MOTE_LM3S6965_ENET_PACK_H
#define MOTE_LM3S6965_ENET_PACK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct mote_enet_pack {
    uint32_t acc; /* bytes not yet written, low byte first */
    unsigned n;   /* how many bytes `acc` holds: 0..3 */
};

/* `put` receives each finished word; it is a constant at every call site,
 * so with inlining it becomes a plain store to the data register. */
typedef void (*mote_enet_put_fn)(void *ctx, uint32_t word);

static inline void mote_enet_pack_start(struct mote_enet_pack *p,
                                        size_t frame_len)
{
    p->acc = (uint32_t)(frame_len - 14u) & 0xFFFFu;
    p->n = 2;
}

static inline void mote_enet_pack_bytes(struct mote_enet_pack *p,
                                        const uint8_t *b, size_t len,
                                        mote_enet_put_fn put, void *ctx)
{
    /* Byte by byte only until the carry is empty or the span ends... */
    while (len != 0 && p->n != 0) {
        p->acc |= (uint32_t)*b++ << (8u * p->n);
        len--;
        if (++p->n == 4) {
            put(ctx, p->acc);
            p->acc = 0;
            p->n = 0;
        }
    }
    /* ...then whole words: memcpy is one unaligned LDR on the M3. */
    while (len >= 4) {
        uint32_t w;
        __builtin_memcpy(&w, b, 4); /* inline even with -fno-builtin */
        put(ctx, w);
        b += 4;
        len -= 4;
    }
    while (len != 0) {
        p->acc |= (uint32_t)*b++ << (8u * p->n);
        p->n++;
        len--;
    }
}

static inline void mote_enet_pack_end(struct mote_enet_pack *p,
                                      mote_enet_put_fn put, void *ctx)
{
    if (p->n != 0)
        put(ctx, p->acc);
    p->acc = 0;
    p->n = 0;
}

#endif /* MOTE_LM3S6965_ENET_PACK_H */
