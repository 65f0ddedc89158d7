#include "fault.h"

#include <string.h>

/* splitmix64: small, fast, and good enough to draw fault decisions. */
static uint64_t next_u64(struct fault *f)
{
    uint64_t z = (f->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int chance(struct fault *f, double p)
{
    if (p <= 0)
        return 0;
    return (double)(next_u64(f) >> 11) * 0x1.0p-53 < p;
}

void fault_init(struct fault *f, const struct fault_cfg *cfg)
{
    memset(f, 0, sizeof *f);
    f->cfg = *cfg;
    f->rng = cfg->seed;
}

int fault_active(const struct fault *f)
{
    return f->cfg.loss > 0 || f->cfg.dup > 0 || f->cfg.reorder > 0 ||
           f->cfg.corrupt > 0;
}

void fault_pass(struct fault *f, enum fault_dir dir, const uint8_t *head,
                size_t head_len, const uint8_t *tail, size_t tail_len,
                uint32_t now, fault_emit_fn emit, void *ctx)
{
    uint8_t frame[FAULT_FRAME_MAX];
    size_t len = head_len + tail_len;
    struct fault_stats *st = &f->st[dir];

    /* Every decision draws from the generator, whatever the outcome, so one
     * fault's probability does not shift the others' sequence. */
    int lose = chance(f, f->cfg.loss);
    int dup = chance(f, f->cfg.dup);
    int delay = chance(f, f->cfg.reorder);
    int corrupt = chance(f, f->cfg.corrupt);
    uint64_t where = next_u64(f);

    if (len > sizeof frame)
        len = sizeof frame; /* cannot happen with Ethernet frames */
    memcpy(frame, head, head_len < len ? head_len : len);
    if (len > head_len)
        memcpy(frame + head_len, tail, len - head_len);

    if (lose) {
        st->dropped++;
        return;
    }
    if (corrupt && len > 14) {
        size_t at = 14 + (size_t)(where % (len - 14));
        frame[at] ^= (uint8_t)(1u << ((where >> 32) & 7));
        st->corrupted++;
    }
    if (delay && f->qn < FAULT_QUEUE) {
        f->q[f->qn].due = now + f->cfg.delay_ms;
        f->q[f->qn].dir = dir;
        f->q[f->qn].len = len;
        memcpy(f->q[f->qn].data, frame, len);
        f->qn++;
        st->delayed++;
    } else {
        emit(ctx, dir, frame, len);
        st->passed++;
    }
    if (dup) {
        emit(ctx, dir, frame, len);
        st->duplicated++;
    }
}

void fault_release(struct fault *f, uint32_t now, fault_emit_fn emit,
                   void *ctx)
{
    unsigned i = 0;
    while (i < f->qn) {
        if ((int32_t)(now - f->q[i].due) >= 0) {
            emit(ctx, f->q[i].dir, f->q[i].data, f->q[i].len);
            f->st[f->q[i].dir].passed++;
            /* Keep the queue in arrival order. */
            memmove(&f->q[i], &f->q[i + 1],
                    (f->qn - i - 1) * sizeof f->q[0]);
            f->qn--;
        } else {
            i++;
        }
    }
}

int fault_next_due(const struct fault *f, uint32_t now)
{
    int best = -1;
    for (unsigned i = 0; i < f->qn; i++) {
        int32_t d = (int32_t)(f->q[i].due - now);
        if (d < 0)
            d = 0;
        if (best < 0 || d < best)
            best = (int)d;
    }
    return best;
}
