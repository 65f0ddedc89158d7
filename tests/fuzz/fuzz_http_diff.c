/*
 * fuzz_http_diff.c - libFuzzer entry: the parser built for speed against the
 * parser built -Os.
 *
 * The fast paths exist only in the speed build; the -Os build (linked here
 * under the names mote_http_parse_os and mote_http_init_os) is the byte
 * machine alone. Both are fed the same pieces of each input - whole, one
 * byte per call, cut at every offset for short inputs and at offsets and in
 * random pieces taken from the input otherwise - and must write the same
 * transcript (up to the item an error cuts short), so a fast path cannot
 * drift from the rules.
 */
#include <stdint.h>
#include <stdlib.h>

#include "test_http_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t mote_http_parse_os(struct mote_http_parser *p, const uint8_t *data,
                          size_t len, struct mote_http_event *ev);
void mote_http_init_os(struct mote_http_parser *p);

static struct transcript fast, small;

/* Before an error, the byte machine itself delivers more or less of the
 * item it was in depending on the split (spans are reported at the end of
 * a call or at an event, and the error replaces the open one): the two
 * transcripts, without the error and the end of the item it cut, must be
 * one a prefix of the other. */
static int same_before_error(void)
{
    size_t a = fast.n, b = small.n;
    /* drop "E<status>\n" and the newline that closed the cut item */
    while (a && fast.s[a - 1] != 'E')
        a--;
    while (b && small.s[b - 1] != 'E')
        b--;
    if (!a || !b)
        return 0;
    a -= a >= 2 ? 2 : 1;
    b -= b >= 2 ? 2 : 1;
    return strncmp(fast.s, small.s, a < b ? a : b) == 0;
}

/* Both builds, fed the same pieces, report the same: the same events
 * (joined), or the same error after what same_before_error() allows. */
static void both(const uint8_t *data, size_t size, tr_cut_fn cut,
                 const void *arg)
{
    struct mote_http_parser p;
    size_t arg_copy[2];
    int x;

    /* cut functions may advance their state: each run gets its own copy */
    memcpy(arg_copy, arg, sizeof arg_copy);
    memset(&fast, 0, sizeof fast);
    mote_http_init(&p);
    tr_feed_with(&fast, mote_http_parse, &p, data, size, cut, arg_copy);
    tr_close(&fast);

    memcpy(arg_copy, arg, sizeof arg_copy);
    memset(&small, 0, sizeof small);
    mote_http_init_os(&p);
    tr_feed_with(&small, mote_http_parse_os, &p, data, size, cut, arg_copy);
    tr_close(&small);

    x = fast.bad | small.bad;
    if (x || fast.status != small.status)
        abort();
    if (fast.status ? !same_before_error() : strcmp(fast.s, small.s) != 0)
        abort();
}

/* Pieces of pseudo-random length 1..16 (LCG state in at[0]). */
static size_t cut_pieces(size_t off, size_t len, void *arg)
{
    size_t *at = arg;
    (void)off, (void)len;
    at[0] = (at[0] * 1103515245u + 12345u) & 0xFFFFFFFFu;
    return 1 + (at[0] >> 16) % 16;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t at[2] = {0, 0};
    unsigned h = 2166136261u;
    if (size > 8192)
        return 0;
    both(data, size, cut_whole, at);
    both(data, size, cut_bytes, at);
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    if (size <= 128) {
        /* every split in two */
        for (at[0] = 1; at[0] < size; at[0]++) {
            at[1] = at[0];
            both(data, size, cut_two, at);
        }
    }
    for (int k = 0; k < 8 && size; k++) {
        /* three pieces, offsets from the input */
        h = h * 1103515245u + 12345u;
        at[0] = (h >> 8) % (size + 1);
        h = h * 1103515245u + 12345u;
        at[1] = at[0] + (h >> 8) % (size + 1 - at[0]);
        both(data, size, cut_two, at);
        /* random pieces of 1..16 bytes */
        at[0] = h;
        both(data, size, cut_pieces, at);
    }
    return 0;
}
