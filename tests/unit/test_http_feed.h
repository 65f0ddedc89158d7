/*
 * test_http_feed.h - feed a request to the parser in pieces and write what it
 * reports as a transcript, so different splits can be compared as strings.
 *
 * Transcript lines: "T:<target>", "F<id>:<value>", "H:<minor> <keep-alive>
 * <expect> <body kind> <length>", "B:<body>", "D", "E<status>". Spans of one
 * item are joined, so the transcript does not depend on where spans were cut.
 */
#ifndef TEST_HTTP_FEED_H
#define TEST_HTTP_FEED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/http_parser.h"

struct transcript {
    char s[16384];
    size_t n;
    int open;        /* item whose spans are being joined: 0, 'T', 'F', 'B' */
    int need_more;   /* the last event was NEED_MORE */
    int bad;         /* an invariant of the API was broken */
    unsigned status; /* last error status, 0 if none */
};

static inline void tr_puts(struct transcript *t, const char *s, size_t len)
{
    if (t->n + len >= sizeof t->s)
        len = sizeof t->s - 1 - t->n;
    memcpy(t->s + t->n, s, len);
    t->n += len;
    t->s[t->n] = 0;
}

static inline void tr_open(struct transcript *t, int kind, unsigned id)
{
    char head[16];
    if (t->open == kind)
        return;
    if (t->open)
        tr_puts(t, "\n", 1);
    if (kind == 'F')
        snprintf(head, sizeof head, "F%u:", id);
    else
        snprintf(head, sizeof head, "%c:", kind);
    tr_puts(t, head, strlen(head));
    t->open = kind;
}

static inline void tr_close(struct transcript *t)
{
    if (t->open)
        tr_puts(t, "\n", 1);
    t->open = 0;
}

/* Record one event. */
static inline void tr_event(struct transcript *t, const struct mote_http_parser *p,
                     const struct mote_http_event *ev)
{
    char line[64];
    t->need_more = ev->type == MOTE_HTTP_EV_NEED_MORE;
    switch (ev->type) {
    case MOTE_HTTP_EV_NEED_MORE:
        break;
    case MOTE_HTTP_EV_TARGET:
        tr_open(t, 'T', 0);
        tr_puts(t, (const char *)ev->ptr, ev->len);
        if (ev->last)
            tr_close(t);
        break;
    case MOTE_HTTP_EV_FIELD:
        tr_open(t, 'F', ev->id);
        tr_puts(t, (const char *)ev->ptr, ev->len);
        if (ev->last)
            tr_close(t);
        break;
    case MOTE_HTTP_EV_HEAD:
        tr_close(t);
        snprintf(line, sizeof line, "H:%d %d %d %d %u\n", mote_http_minor(p),
                 mote_http_keep_alive(p), mote_http_expect_continue(p),
                 (int)mote_http_body(p), (unsigned)mote_http_content_length(p));
        tr_puts(t, line, strlen(line));
        break;
    case MOTE_HTTP_EV_BODY:
        if (ev->len == 0)
            t->bad = 1; /* a body span is never empty */
        tr_open(t, 'B', 0);
        tr_puts(t, (const char *)ev->ptr, ev->len);
        break;
    case MOTE_HTTP_EV_DONE:
        tr_close(t);
        tr_puts(t, "D\n", 2);
        break;
    case MOTE_HTTP_EV_ERROR:
        tr_close(t);
        snprintf(line, sizeof line, "E%u\n", ev->status);
        tr_puts(t, line, strlen(line));
        t->status = ev->status;
        break;
    default:
        t->bad = 1;
    }
}

/*
 * Feed data[0..len) in pieces whose lengths come from cut(): cut(i, state)
 * returns the length of the piece starting at offset i. Each piece is
 * fed until the parser asks for more; an error ends the feed.
 */
typedef size_t (*tr_cut_fn)(size_t off, size_t len, void *arg);

/* The parse function fed: mote_http_parse, or another build of it (the
 * differential harness links the -Os build under other names). */
typedef size_t (*tr_parse_fn)(struct mote_http_parser *p, const uint8_t *data,
                              size_t len, struct mote_http_event *ev);

static inline void tr_feed_with(struct transcript *t, tr_parse_fn parse,
                                struct mote_http_parser *p,
                                const uint8_t *data, size_t len, tr_cut_fn cut,
                                void *arg)
{
    size_t off = 0;
    struct mote_http_event ev;
    do {
        size_t piece = cut(off, len, arg);
        const uint8_t *s = data + off;
        size_t left = piece > len - off ? len - off : piece;
        off += left;
        for (;;) {
            size_t used = parse(p, s, left, &ev);
            if (used > left)
                t->bad = 1;
            tr_event(t, p, &ev);
            if (ev.type == MOTE_HTTP_EV_ERROR)
                return;
            s += used;
            left -= used;
            if (ev.type == MOTE_HTTP_EV_NEED_MORE) {
                if (left != 0)
                    t->bad = 1; /* NEED_MORE means all bytes were taken */
                break;
            }
        }
    } while (off < len);
}

static inline void tr_feed(struct transcript *t, struct mote_http_parser *p,
                    const uint8_t *data, size_t len, tr_cut_fn cut, void *arg)
{
    tr_feed_with(t, mote_http_parse, p, data, len, cut, arg);
}

static inline size_t cut_whole(size_t off, size_t len, void *arg)
{
    (void)arg;
    return len - off;
}

static inline size_t cut_bytes(size_t off, size_t len, void *arg)
{
    (void)off, (void)len, (void)arg;
    return 1;
}

/* Two pieces: [0, *arg) and the rest. */
static inline size_t cut_at(size_t off, size_t len, void *arg)
{
    size_t at = *(size_t *)arg;
    return off < at ? at - off : len - off;
}

/* Three pieces: [0, at[0]), [at[0], at[1]) and the rest (at[0] <= at[1]). */
static inline size_t cut_two(size_t off, size_t len, void *arg)
{
    const size_t *at = arg;
    (void)len;
    if (off < at[0])
        return at[0] - off;
    if (off < at[1])
        return at[1] - off;
    return (size_t)-1;
}

/* Pieces of pseudo-random length 1..16 (xorshift state in *arg). */
static inline size_t cut_random(size_t off, size_t len, void *arg)
{
    unsigned *x = arg;
    (void)off, (void)len;
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return 1 + (*x % 16);
}

/* Parse data fed with one cut function into a fresh parser. */
static inline void tr_run(struct transcript *t, const void *data, size_t len,
                   tr_cut_fn cut, void *arg)
{
    struct mote_http_parser p;
    memset(t, 0, sizeof *t);
    mote_http_init(&p);
    tr_feed(t, &p, data, len, cut, arg);
    tr_close(t);
}

#endif /* TEST_HTTP_FEED_H */
