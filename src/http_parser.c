/*
 * http_parser.c - streaming HTTP/1.1 request parser (rules in http_parser.h).
 *
 * The byte machine, written for size: one loop takes one byte per step
 * through a switch over the state. Every byte a bounded element owns is
 * counted as it is taken, after its own checks, so an offending byte
 * reports its syntax error and the byte that crosses a limit reports the
 * limit, however the input is cut. Words (methods, header names, list
 * keywords) are matched against one table as bytes arrive, keeping only a
 * candidate index and a position. Built -Os, as firmware is, that is all
 * there is: 1,829 B of Thumb-2; 97 / 86 / 66 / 69 instructions per byte on
 * the bench's requests a/b/c/d given whole, 111 to 133 given one byte per
 * call (x86-64, bench/http_bench.sh).
 *
 * Built for speed, mote_http_parse (at the end of the file) does what it
 * can before the byte machine: whole request, field and chunk-size lines,
 * line ends and body spans when they are all in the caller's buffer, runs
 * of plain bytes when they are not, and single plain bytes in a handler
 * for each state; the byte machine takes the rest and hands back after
 * each step. -O2: 11.5 / 4.9 / 5.4 / 5.9 instructions per byte whole,
 * 18.6 / 16.7 / 17.2 / 18.1 one byte per call.
 * tests/fuzz/fuzz_http_diff.c holds the two builds to the same results.
 */
#include "mote/http_parser.h"

#include <stddef.h>

/* Byte states first; the order gives the bounded element of each: target
 * up to S_START_LF, header block up to S_H_END_LF, chunk line up to
 * S_CHUNK_LF, nothing after. States from S_HEAD on act without a byte.
 * The LF states lie within a few steps of each other (lf_next). */
enum {
    S_START,        /* before the request line; leading CRLFs skipped */
    S_TARGET_START,
    S_TARGET,       /* path and query; pos: 1 or 2 inside %XX */
    S_ABS,          /* absolute-form; pos: 0 scheme, 1 and 2 after ":" and
                     * "/", 3 authority empty, 4 not */
    S_START_LF,
    S_H_START,      /* start of a field line or of the final CRLF */
    S_H_NAME,       /* id: candidate word, pos: bytes matched */
    S_H_SKIP,       /* value of a field that is not delivered */
    S_H_VAL,        /* delivered value; pos 1 once non-empty, ws:
                     * whitespace held back */
    S_H_LIST,       /* token list; pos 0 between, 1..254 in, 255 after */
    S_H_CL,         /* shared with S_CHUNK_SIZE: pos 0 before digits, 1 in
                     * them, 2 after, 3 in a chunk extension; the LF
                     * state follows each */
    S_H_LF,
    S_H_END_LF,
    S_CHUNK_SIZE,
    S_CHUNK_LF,
    S_DATA_LF,
    S_METHOD,       /* method: candidate word, pos: bytes matched */
    S_VERSION,      /* pos: offset in " HTTP/#.#\r\n"; kw: each digit's
                     * difference from 1, the major's in the high nibble
                     * (0 for 1.1, 1 for 1.0, more for another) */
    S_DATA_CR,
    S_HEAD,         /* the head ended: check it and report it */
    S_CHUNK_END,    /* a chunk-size line ended */
    S_BODY_LEN,
    S_BODY_NONE,
    S_CHUNK_DATA,
    S_ERROR
};

#define NONE 0xFFu

/* Optimizing for size, helpers called from several states are kept out of
 * line (one copy) and each byte takes one trip through the state switch.
 * Otherwise the helpers are inlined, RUN() takes a run of bytes of the
 * same kind at once (the same checks on the same bytes, counted together,
 * so the result is the same; the unit tests also build it with -Os) and
 * the fast paths at the end of the file come first. */
#ifdef __OPTIMIZE_SIZE__
#define SPEED 0
#define SMALL __attribute__((noinline))
#define RUN(cond) ((void)0)
#else
#define SPEED 1
#define SMALL __attribute__((always_inline)) inline
#define RUN(cond)                                                          \
    do {                                                                   \
        while (s + 1 != end && (c = s[1], (cond)))                         \
            s++;                                                           \
    } while (0)
#endif

#if SPEED
#include <string.h>
/* Nonzero when a byte of x is below lo or is 0x7F (exact as a test of the
 * whole word; bytes from 0x80 up pass): values are skipped a word at a
 * time, and the byte loop after it stops at the exact byte. */
static inline size_t stop_in(size_t x, size_t lo)
{
    const size_t ones = (size_t)-1 / 255, high = ones * 0x80u;
    size_t y = x ^ ones * 0x7Fu;
    return ((x - ones * lo) & ~x & high) | ((y - ones) & ~y & high);
}
/* Skip whole words after s that hold no stop byte. */
#define RUN_WORDS(lo)                                                      \
    do {                                                                   \
        size_t x_;                                                         \
        while (end - s > (ptrdiff_t)sizeof x_ &&                           \
               (memcpy(&x_, s + 1, sizeof x_), !stop_in(x_, (lo))))        \
            s += sizeof x_;                                                \
    } while (0)
#else
#define RUN_WORDS(lo) ((void)0)
#endif

enum { C_TCHAR, C_PATH, C_AUTH, C_SCHEME, C_OWS, C_VCHAR };
/* classes(c): the classes of c, bit k for class k. C_TCHAR: RFC 9110
 * token; C_PATH: pchar, "/", "?" (RFC 3986), "%" excluded; C_AUTH:
 * authority: unreserved sub-delims : @ [ ] %; C_SCHEME: ALPHA DIGIT + - .;
 * C_OWS: SP or HTAB; C_VCHAR: field-vchar or obs-text, what a value holds
 * besides OWS. */
#if SPEED
/* Built for speed: a table of all 256 bytes (fuzz_http_diff checks it
 * against the -Os build's computed classes). */
#define X16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
#define CLASS_OF                                                           \
    {                                                                      \
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* NUL .. BS */        \
    0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* HTAB */             \
    X16(0x00),                                                             \
    0x10, 0x27, 0x20, 0x21, 0x27, 0x25, 0x27, 0x27, /* SP ! " # $ % & ' */ \
    0x26, 0x26, 0x27, 0x2f, 0x26, 0x2f, 0x2f, 0x22, /* ( ) * + , - . / */  \
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* 0 .. 7 */           \
    0x2f, 0x2f, 0x26, 0x26, 0x20, 0x26, 0x20, 0x22, /* 8 9 : ; < = > ? */  \
    0x26, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* @ A .. G */         \
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* H .. O */           \
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* P .. W */           \
    0x2f, 0x2f, 0x2f, 0x24, 0x20, 0x24, 0x21, 0x27, /* X Y Z [ bs ] ^ _ */ \
    0x21, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* ` a .. g */         \
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* h .. o */           \
    0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, 0x2f, /* p .. w */           \
    0x2f, 0x2f, 0x2f, 0x20, 0x21, 0x20, 0x27, 0x00, /* x y z { | } ~ DEL */\
    X16(0x20), X16(0x20), X16(0x20), X16(0x20), /* obs-text */             \
    X16(0x20), X16(0x20), X16(0x20), X16(0x20),                            \
    }
#define classes(c) ((unsigned)lt.class_of[c]) /* (lt: below) */
#else
/* Classes C_TCHAR .. C_SCHEME of 0x21..0x7E, four bits per byte (bytes
 * outside have none): a quarter of a 256-entry table, and no range checks
 * per class. */
static const uint8_t cls[47] = {
    0x07, 0x71, 0x75, 0x67, 0x76, 0x6f, 0xff, 0xf2, 0xff, 0xff, 0xff, 0xff,
    0x6f, 0x06, 0x06, 0x62, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0x04, 0x14, 0x17, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10, 0x70,
};

SMALL static unsigned classes(unsigned c)
{
    if (c == ' ' || c == '\t')
        return 1u << C_OWS;
    if (c >= 0x80u)
        return 1u << C_VCHAR;
    c -= 0x21u;
    if (c >= 94u)
        return 0;
    return (cls[c >> 1] >> ((c & 1u) << 2) & 15u) | 1u << C_VCHAR;
}
#endif
#define IS(k) (cl & (1u << (k)))

/* 0..15, or 16 for a byte that is no hex digit. */
SMALL static unsigned hexval(unsigned c)
{
    if (c - '0' < 10u)
        return c - '0';
    c = (c | 0x20u) - 'a';
    return c < 6u ? c + 10u : 16u;
}

/* Methods (matched as they are), header names and list keywords (matched
 * on lowercased bytes: |0x20 lowercases exactly for tchars against words
 * of a-z 0-9 "-"), one after the other with their NULs. A candidate is a
 * word's index; its offset comes from at[], whose values come from a
 * struct of the same layout (arrays of char have no padding). */
#define MOTE_HTTP_H_APP_NAME(id, name) name "\0"
#define WORDS                                                              \
    "GET\0" "HEAD\0" "POST\0" "PUT\0" "DELETE\0" "PATCH\0" "OPTIONS\0"       \
    "content-length\0" "transfer-encoding\0" "connection\0" "expect\0"      \
    "host\0" "content-type\0" "accept-encoding\0" "if-none-match\0"         \
    MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_NAME)                            \
    "chunked\0" "close\0" "keep-alive\0" "100-continue"
#define MOTE_HTTP_H_APP_FIELD(id, name) char app_##id[sizeof name];
struct word_layout {
    char get[4], head[5], post[5], put[4], del[7], patch[6], options[8];
    char cl[15], te[18], conn[11], expect[7], host[5], ctype[13], aenc[16];
    char inm[14];
    MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_FIELD)
    char chunked[8], close[6], keepalive[11], cont[13];
};
_Static_assert(sizeof(struct word_layout) == sizeof WORDS,
               "word_layout must follow words");
#define AT(f) offsetof(struct word_layout, f)
#define MOTE_HTTP_H_APP_AT(id, name) AT(app_##id),
/* at[]: each word's offset, in the order of the word indexes. */
#define WORD_AT                                                            \
    {                                                                      \
        AT(get), AT(head), AT(post), AT(put), AT(del), AT(patch),          \
        AT(options), AT(cl), AT(te), AT(conn), AT(expect), AT(host),       \
        AT(ctype), AT(aenc), AT(inm),                                      \
        MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_AT)                          \
        AT(chunked), AT(close), AT(keepalive), AT(cont),                   \
    }
#define W_NAMES MOTE_HTTP_METHOD_COUNT
#define W_KW (W_NAMES + MOTE_HTTP_H_COUNT)
_Static_assert(sizeof WORDS <= 256, "too many header names: 8-bit offsets");
_Static_assert(W_KW + 4 < NONE, "too many header names");

/* The constant tables of the byte machine in one object, so that the code
 * reaches them all from one address (one literal instead of one each). */
static const struct {
    char words[sizeof WORDS];
    uint8_t at[W_KW + 4];
    /* Keywords of Transfer-Encoding, Connection, Expect: words
     * kw_at[id - 1] up to kw_at[id]; the flag each one sets. */
    uint8_t kw_at[4], kw_flag[4];
    uint16_t kw_miss[3]; /* the flag of any other keyword */
    /* For the interpreted fields and Host: the flag noting it was seen,
     * the state of its value. */
    uint8_t seen_flag[5], value_state[5];
    /* Its first byte is the space delivered for whitespace inside values;
     * its "/" is the path of an absolute-form target without one. */
    char version[12];
    char star; /* the target "*" */
    uint8_t lf_next[S_DATA_LF - S_START_LF + 1]; /* after an LF state */
} tab = {
    WORDS,
    WORD_AT,
    {W_KW, W_KW + 1, W_KW + 3, W_KW + 4},
    {MOTE_HTTP_PF_CHUNKED, MOTE_HTTP_PF_CLOSE, MOTE_HTTP_PF_KEEPALIVE,
     MOTE_HTTP_PF_EXPECT},
    {MOTE_HTTP_PF_TE_OTHER, 0, 0},
    {MOTE_HTTP_PF_CL, MOTE_HTTP_PF_TE, 0, 0, MOTE_HTTP_PF_HOST},
    {S_H_CL, S_H_LIST, S_H_LIST, S_H_LIST, S_H_VAL},
    " HTTP/#.#\r\n",
    '*',
    {
        [S_START_LF - S_START_LF] = S_START,
        [S_H_LF - S_START_LF] = S_H_START,
        [S_H_END_LF - S_START_LF] = S_HEAD,
        [S_CHUNK_LF - S_START_LF] = S_CHUNK_END,
        [S_DATA_LF - S_START_LF] = S_CHUNK_SIZE,
    },
};
/* The method names, NUL-separated in enum order, are the first words: the
 * server names the methods of an Allow with them (no copy of its own). The
 * name covers the whole table: AddressSanitizer guards an alias by its
 * size. */
extern const char mote_http_method_names[sizeof tab]
    __attribute__((alias("tab")));
#define words tab.words
#define at tab.at
#define kw_at tab.kw_at
#define kw_flag tab.kw_flag
#define kw_miss tab.kw_miss
#define seen_flag tab.seen_flag
#define value_state tab.value_state
#define version tab.version
#define star tab.star
#define lf_next tab.lf_next
#define WORD(i) (words + at[i])

#if SPEED
/* The one-byte leaf's own states (at the end of the file), which nothing
 * else knows: the byte machine turns them back into its own on entry.
 *  S_H_UNKNOWN: S_H_NAME with no candidate left (id NONE), whose bytes
 *   then need no test of id.
 *  S_H_CAND: S_H_NAME with a candidate, pos the offset in words of the
 *   byte it goes on with rather than a count (one load per byte), and len
 *   as it was after the name's first byte: the bytes that match the
 *   candidate are counted when the state ends, and cannot cross the limit,
 *   as the state is only entered with room left for the longest name and
 *   its colon.
 *  S_METHOD_AT: S_METHOD, pos the offset in words of the byte the method
 *   goes on with.
 *  S_H_OWS: after a known name's colon, the state of its value in kw
 *   (which no value state reads before it sets it), where a SP is taken
 *   alone. */
#define S_H_UNKNOWN (S_ERROR + 1)
#define S_H_CAND (S_ERROR + 2)
#define S_METHOD_AT (S_ERROR + 3) /* S_METHOD, pos an offset in words */
#define S_H_OWS (S_ERROR + 4) /* a known field's value, kw its state */
#define S_LEAF_STATES (S_ERROR + 5)
union name_room {
    char cl[15], te[18], conn[11], expect[7], host[5], ctype[13], aenc[16];
    char inm[14];
    MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_FIELD)
};
/* S_H_CAND only while len is below this */
#define CAND_BELOW                                                         \
    (MOTE_HTTP_MAX_HEADER_BLOCK > sizeof(union name_room)                 \
         ? MOTE_HTTP_MAX_HEADER_BLOCK - sizeof(union name_room)           \
         : 0u)

/* A handler of the one-byte leaf (at the end of the file): the parser, its
 * byte, the tables below, the event. */
struct leaf_tabs;
typedef size_t leaf_fn(struct mote_http_parser *restrict p,
                       const uint8_t *data,
                       const struct leaf_tabs *restrict t,
                       struct mote_http_event *restrict ev);
/* The speed build's byte tables in one object with the leaf's handlers,
 * defined at the end of the file: mote_http_parse finds a handler and
 * hands it the tables in one register (one address literal per call). */
struct leaf_tabs {
    leaf_fn *leaf[S_LEAF_STATES];
    uint8_t class_of[256]; /* classes() */
    uint8_t hex_of[256];   /* a hex digit's value + 1, else 0 */
    uint8_t lc[256];       /* a tchar | 0x20, else NONE */
    uint8_t method_first[256]; /* a method by its first byte, or NONE */
    uint8_t name_first[256]; /* a header name's first candidate */
    uint8_t first_pos[256];  /* S_H_CAND's pos after that byte */
    uint8_t first_state[256]; /* S_H_CAND, or S_H_UNKNOWN without one */
    uint16_t version_plain[11];
    uint8_t word_at[W_KW + 4];     /* at[] and words, again, next to */
    char name_words[sizeof WORDS]; /* the others */
    /* by a header name's word index: seen_flag, the flags of a second
     * one's 400, value_state */
    uint8_t name_seen[W_KW], name_dup[W_KW], name_state[W_KW];
};
static const struct leaf_tabs lt;
#endif

/* The first word from i on (below hi) that agrees with the bytes matched so
 * far (the first pos bytes of word i) followed by c, or NONE. Word i is
 * always the smallest that agrees, so the input is never looked back at. */
static unsigned match(unsigned i, unsigned hi, unsigned pos, unsigned c)
{
    const char *w;
    if (i >= hi)
        return NONE; /* no candidate left (i is NONE) */
    w = WORD(i);
    if (SPEED && (uint8_t)w[pos] == c)
        return i; /* the first iteration below, without its prefix loop */
    for (; i < hi; i++) {
        const char *x = WORD(i);
        unsigned k = pos;
        if ((uint8_t)x[k] != c)
            continue;
        while (k && x[k - 1] == w[k - 1])
            k--;
        if (!k)
            return i;
    }
    return NONE;
}

_Static_assert(S_H_CL + 1 == S_H_LF && S_CHUNK_SIZE + 1 == S_CHUNK_LF,
               "the number parser's CR goes to the next state");

/* The k bytes taken in state st count toward its element: 0, or the status
 * once that passes its limit. A run holds only bytes that passed their
 * checks, so crossing the limit inside it is the first error either way. */
SMALL static unsigned count(struct mote_http_parser *p, unsigned st,
                            size_t k)
{
    unsigned lim = MOTE_HTTP_MAX_HEADER_BLOCK, status = 431;
    size_t n = p->len + k;
    if (st > S_CHUNK_LF)
        return 0;
    if (st <= S_START_LF)
        lim = MOTE_HTTP_MAX_TARGET, status = 414;
    else if (st > S_H_END_LF)
        status = 400;
    if (n > lim)
        return status;
    p->len = (uint16_t)n;
    return 0;
}

/* Report the span from t (or an empty one at s) to s. */
static void span(struct mote_http_event *ev, unsigned type, const uint8_t *t,
                 const uint8_t *s)
{
    if (!t)
        t = s;
    ev->type = (uint8_t)type;
    ev->ptr = t;
    ev->len = (size_t)(s - t);
}

/* A head (not a trailer) is complete: its framing decides what follows.
 * 0 with the next state set, or the status of a faulty framing with the
 * parser left as it was. */
static inline unsigned head_framing(struct mote_http_parser *p)
{
    unsigned f = p->flags;
    if ((f & MOTE_HTTP_PF_HTTP11) && !(f & MOTE_HTTP_PF_HOST))
        return 400;
    if (f & MOTE_HTTP_PF_TE) {
        /* no Content-Length, HTTP/1.1, chunked last */
        if ((f & (MOTE_HTTP_PF_CL | MOTE_HTTP_PF_HTTP11 |
                  MOTE_HTTP_PF_CHUNKED)) !=
            (MOTE_HTTP_PF_HTTP11 | MOTE_HTTP_PF_CHUNKED))
            return 400;
        if (f & MOTE_HTTP_PF_TE_OTHER)
            return 501;
        p->len = 0;
        p->pos = 0;
        p->state = S_CHUNK_SIZE;
    } else {
        p->state = (f & MOTE_HTTP_PF_CL) ? S_BODY_LEN : S_BODY_NONE;
    }
    return 0;
}

/* A chunk-size line ended: its data, or after the last chunk the trailer
 * section, bounded like a header block. */
static inline void chunk_end(struct mote_http_parser *p)
{
    if (p->n) {
        p->state = S_CHUNK_DATA;
    } else {
        p->flags |= MOTE_HTTP_PF_TRAILER;
        p->nhdrs = 0;
        p->len = 0;
        p->state = S_H_START;
    }
}

void mote_http_init(struct mote_http_parser *p)
{
    /* field by field: merged into word stores, and no memset call */
    p->n = 0;
    p->len = 0;
    p->flags = 0;
    p->ws = 0;
    p->state = S_START;
    p->method = 0;
    p->id = 0;
    p->pos = 0;
    p->kw = 0;
    p->nhdrs = 0;
}

#if SPEED
/* Built for speed, mote_http_parse (at the end of the file) takes whole
 * lines and runs where it can and leaves the rest to this byte machine. */
__attribute__((noinline)) static size_t
machine(struct mote_http_parser *p, const uint8_t *data, size_t len,
        struct mote_http_event *ev);
#else
#define machine mote_http_parse
#endif

/* (static when declared so above) */
size_t machine(struct mote_http_parser *p, const uint8_t *data, size_t len,
               struct mote_http_event *ev)
{
    const uint8_t *s = data;
    const uint8_t *const end = data + len;
    const uint8_t *t = NULL; /* start of the open span in this call */
    unsigned status;

    ev->type = MOTE_HTTP_EV_NEED_MORE;
    ev->last = 0;
    ev->len = 0;
#if SPEED
    if (p->state == S_H_UNKNOWN) {
        p->state = S_H_NAME; /* (id is NONE) */
    } else if (p->state == S_H_CAND) {
        p->pos = (uint8_t)(p->pos - at[p->id]);
        p->len = (uint16_t)(p->len + p->pos - 1u);
        p->state = S_H_NAME;
    } else if (p->state == S_METHOD_AT) {
        p->pos = (uint8_t)(p->pos - at[p->method]);
        p->state = S_METHOD;
    } else if (p->state == S_H_OWS) {
        p->state = p->kw;
    }
#endif

#define BAD() goto bad
#define FAIL(code)                                                         \
    do {                                                                   \
        status = (code);                                                   \
        goto fail;                                                         \
    } while (0)

    for (;;) {
        unsigned st = p->state, c, cl;
        const uint8_t *s0;
        if (st >= S_HEAD) {
            /* states that act without a byte */
            switch (st) {
            case S_HEAD:
                if (p->flags & MOTE_HTTP_PF_TRAILER) {
                    p->state = S_BODY_NONE;
                    continue;
                }
                status = head_framing(p);
                if (status)
                    goto fail;
                ev->type = MOTE_HTTP_EV_HEAD;
                goto out;
            case S_CHUNK_END:
                chunk_end(p);
                continue;
            case S_BODY_LEN:
            case S_CHUNK_DATA:
                if (p->n == 0) {
                    p->state = st == S_BODY_LEN ? S_BODY_NONE : S_DATA_CR;
                    continue;
                }
                if (s == end)
                    goto out;
                ev->type = MOTE_HTTP_EV_BODY;
                ev->ptr = s;
                ev->len = (size_t)(end - s) < p->n ? (size_t)(end - s) : p->n;
                p->n -= (uint32_t)ev->len;
                s += ev->len;
                goto out;
            case S_BODY_NONE:
                mote_http_init(p);
                ev->type = MOTE_HTTP_EV_DONE;
                goto out;
            default: /* S_ERROR */
                ev->type = MOTE_HTTP_EV_ERROR;
                ev->status = (uint16_t)p->n;
                goto out;
            }
        }
        if (s == end) {
            if (t)
                span(ev, st == S_TARGET ? MOTE_HTTP_EV_TARGET
                                        : MOTE_HTTP_EV_FIELD,
                     t, s);
            goto out;
        }
        c = *s;
        s0 = s;
        cl = classes(c);
        /* The order of the cases is the one GCC 12 lays out smallest at
         * -Os (found by moving one case at a time; tens of bytes). */
        switch (st) {
        case S_START:
            if (c == '\r') {
                p->state = S_START_LF;
                break;
            }
            p->state = S_METHOD; /* method and pos are 0 */
            goto kept;
        case S_H_CL:
        case S_CHUNK_SIZE: {
            /* one number parser: Content-Length and chunk-size */
            unsigned base = st == S_H_CL ? 10u : 16u, d = hexval(c);
            unsigned pos = p->pos;
            if (d < base && pos < 2) {
                uint32_t v;
                if (__builtin_mul_overflow(p->n, base, &v) ||
                    __builtin_add_overflow(v, d, &v))
                    FAIL(413);
                p->n = v;
                p->pos = 1;
                break;
            }
            if (pos == 0) {
                if (base == 10 && (IS(C_OWS)))
                    break; /* OWS before the value */
                BAD(); /* empty, sign, or not a digit */
            }
            if (c == '\r') {
                p->state = (uint8_t)(st + 1); /* S_H_LF or S_CHUNK_LF */
            } else if (IS(C_OWS)) {
                if (pos == 1)
                    p->pos = 2;
            } else if (base == 16 && (c == ';' || (pos == 3 && IS(C_VCHAR)))) {
                p->pos = 3; /* chunk extension */
            } else {
                BAD(); /* a list, or bytes after the number */
            }
            break;
        }
        case S_TARGET:
            if (!t)
                t = s;
            if (p->pos) { /* inside %XX */
                if (hexval(c) > 15u)
                    BAD();
                p->pos = (uint8_t)((p->pos & 1u) << 1); /* 1, 2, 0 */
            } else if (c == '%') {
                p->pos = 1;
            } else if (c == ' ') {
                span(ev, MOTE_HTTP_EV_TARGET, t, s);
                goto target_end;
            } else if (!IS(C_PATH)) {
                BAD();
            } else {
                RUN(classes(c) & 1u << C_PATH);
            }
            break;
        case S_H_VAL:
            if (c == '\r') {
                p->state = S_H_LF;
                ev->last = 1;
                goto field_span; /* (t may be NULL: an empty span) */
            }
            if (IS(C_OWS)) {
                /* held back: trailing whitespace is not delivered */
                if (p->pos) {
                    p->ws++; /* bounded by the header block */
                    if (t)
                        goto field_span;
                }
                break;
            }
            if (!IS(C_VCHAR))
                BAD();
            p->pos = 1;
            if (p->ws) {
                /* one space per event: held whitespace is rare */
                p->ws--;
                ev->type = MOTE_HTTP_EV_FIELD;
                ev->ptr = (const uint8_t *)version;
                ev->len = 1;
                goto kept;
            }
            if (!t)
                t = s;
            RUN_WORDS(0x21u); /* up to whitespace or a CR */
            RUN(c > 0x20u && c != 0x7Fu);
            break;
        field_span:
            span(ev, MOTE_HTTP_EV_FIELD, t, s);
            break;
        case S_ABS: {
            /* scheme "://" authority, validated and skipped */
            unsigned pos = p->pos;
            if (pos == 0) {
                if (c == ':')
                    pos = 1;
                else if (!IS(C_SCHEME))
                    BAD();
            } else if (pos < 3) {
                if (c != '/')
                    BAD();
                pos++;
            } else if (IS(C_AUTH)) {
                pos = 4;
            } else {
                if (pos == 3)
                    BAD(); /* empty authority */
                p->pos = 0;
                p->state = S_TARGET;
                if (c == '/')
                    goto kept;
                if (c != '?' && c != ' ')
                    BAD();
                /* no path: it is "/" (RFC 9112 3.2.2) */
                ev->type = MOTE_HTTP_EV_TARGET;
                ev->ptr = (const uint8_t *)version + 5; /* "/" */
                ev->len = 1;
                if (c == '?')
                    goto kept;
                goto target_end;
            }
            p->pos = (uint8_t)pos;
            break;
        }
        target_end:
            /* a SP is left to S_VERSION, outside the target's count; the
             * "*" is taken */
            ev->type = MOTE_HTTP_EV_TARGET;
            ev->last = 1;
            p->state = S_VERSION;
            if (c == ' ')
                goto kept;
            break;
        case S_VERSION: {
            unsigned pos = p->pos++, v = (uint8_t)version[pos];
            if (v == '#') {
                if (c - '0' > 9u)
                    BAD();
                /* a digit's difference from 1: high nibble major */
                p->kw |= (uint8_t)((c ^ '1') << ((pos & 2u) << 1));
            } else if (c != v) {
                BAD();
            } else if (pos == 9) { /* CR */
                if (p->kw > 1u)
                    FAIL(505);
            } else if (pos == 10) {
                if (!p->kw)
                    p->flags |= MOTE_HTTP_PF_HTTP11;
                p->len = 0;
                p->state = S_H_START;
            }
            break;
        }
        case S_METHOD: {
            unsigned m = p->method, pos = p->pos;
            if (c == ' ') {
                if (pos == 0)
                    BAD();
                if (match(m, W_NAMES, pos, 0) == NONE)
                    FAIL(501); /* no method is these bytes */
                p->pos = 0;
                p->state = S_TARGET_START;
                break;
            }
            if (!IS(C_TCHAR))
                BAD();
            m = match(m, W_NAMES, pos, c);
            if (m == NONE)
                FAIL(501);
            p->method = (uint8_t)m;
            p->pos = (uint8_t)(pos + 1);
            break;
        }
        case S_TARGET_START:
            if (c == '/') {
                p->state = S_TARGET;
                goto kept;
            } else if (c == '*') {
                if (p->method != MOTE_HTTP_OPTIONS)
                    BAD();
                /* S_VERSION checks the SP after it */
                ev->ptr = (const uint8_t *)&star;
                ev->len = 1;
                goto target_end;
            } else if ((c | 0x20u) - 'a' < 26u) {
                p->state = S_ABS;
            } else {
                BAD();
            }
            break;
        case S_H_LIST: {
            unsigned pos = p->pos, id = p->id, kw = p->kw;
            if (IS(C_TCHAR)) {
                if (pos == 255)
                    BAD(); /* "clo se": no comma between tokens */
                if (pos == 0)
                    kw = kw_at[id - 1];
                kw = match(kw, kw_at[id], pos, c | 0x20u);
                p->kw = (uint8_t)kw;
                p->pos = (uint8_t)(pos + (pos < 254));
                break;
            }
            if (pos - 1u < 254u) {
                /* an element ended: act on it */
                unsigned f = kw_miss[id - 1];
                if (kw != NONE && WORD(kw)[pos] == 0)
                    f = kw_flag[kw - W_KW];
                if ((p->flags & MOTE_HTTP_PF_CHUNKED) &&
                    id == MOTE_HTTP_H_TRANSFER_ENCODING)
                    BAD(); /* a coding after chunked */
                if (!f && id == MOTE_HTTP_H_EXPECT)
                    FAIL(417);
                p->flags |= (uint16_t)f;
                p->pos = 255;
            }
            if (c == ',') {
                p->pos = 0;
            } else if (c == '\r') {
                p->state = S_H_LF;
            } else if (!IS(C_OWS)) {
                if (c == ';' && id == MOTE_HTTP_H_TRANSFER_ENCODING)
                    FAIL(501); /* transfer parameters */
                if ((c == ';' || c == '=') && id == MOTE_HTTP_H_EXPECT)
                    FAIL(417);
                BAD();
            }
            break;
        }
        case S_H_NAME: {
            unsigned id = p->id;
            if (c == ':') {
                unsigned nst;
                if (id != NONE)
                    id = WORD(id)[p->pos] ? NONE : id - W_NAMES;
                nst = id == NONE ? S_H_SKIP : S_H_VAL;
                if (id <= MOTE_HTTP_H_HOST) {
                    unsigned f = seen_flag[id];
                    if (f & p->flags & (MOTE_HTTP_PF_CL | MOTE_HTTP_PF_HOST))
                        BAD(); /* a second Content-Length or Host */
                    p->flags |= (uint16_t)f;
                    nst = value_state[id];
                }
                p->id = (uint8_t)id;
                p->pos = 0;
                p->ws = 0;
                p->state = (uint8_t)nst;
                break;
            }
            if (!IS(C_TCHAR))
                BAD(); /* whitespace before the colon, or no colon */
            /* pos may wrap only once id is NONE: no word is that long */
            id = match(id, W_KW, p->pos++, c | 0x20u);
            p->id = (uint8_t)id;
            if (id == NONE) {
                RUN(classes(c) & 1u << C_TCHAR);
                break;
            }
#if SPEED
            {
                /* the candidate goes on: match the bytes that follow */
                const char *w = WORD(id);
                unsigned k = p->pos;
                RUN((classes(c) & 1u << C_TCHAR) &&
                    (c | 0x20u) == (uint8_t)w[k] && ++k);
                p->pos = (uint8_t)k;
            }
#endif
            break;
        }
        case S_H_SKIP:
            if (c == '\r')
                p->state = S_H_LF;
            else if (!(cl & (1u << C_OWS | 1u << C_VCHAR)))
                BAD();
            else { /* up to a CR or a control byte */
                RUN_WORDS(0x20u);
                RUN(c >= 0x20u ? c != 0x7Fu : c == '\t');
            }
            break;
        case S_DATA_CR:
            if (c != '\r')
                BAD();
            p->state = S_DATA_LF;
            break;
        case S_START_LF:
        case S_H_LF:
        case S_H_END_LF:
        case S_CHUNK_LF:
        case S_DATA_LF:
            if (c != '\n')
                BAD(); /* bare CR */
            p->state = lf_next[st - S_START_LF];
            if (st == S_DATA_LF) {
                p->len = 0;
                p->pos = 0;
            }
            break;

        case S_H_START:
            if (c == '\r') {
                p->state = S_H_END_LF;
                break;
            }
            if (!IS(C_TCHAR))
                BAD(); /* obs-fold, empty name, bare LF, controls */
            if (p->nhdrs >= MOTE_HTTP_MAX_HEADERS) /* before ++: no wrap */
                FAIL(431);
            p->nhdrs++;
            p->pos = 0;
            p->id = (p->flags & MOTE_HTTP_PF_TRAILER) ? NONE : W_NAMES;
            p->state = S_H_NAME;
            goto kept;        }
        s++; /* and the run taken after s0, if any */
        status = count(p, st, (size_t)(s - s0));
        if (status)
            goto fail;
#if SPEED
        /* a step taken and no span open: back to the fast paths */
        if (!t && ev->type == MOTE_HTTP_EV_NEED_MORE)
            goto out;
#endif
    kept: /* the byte is left to the new state: not taken, not counted */
        if (ev->type != MOTE_HTTP_EV_NEED_MORE)
            goto out;
        continue;
    bad:
        status = 400;
    fail:
        p->state = S_ERROR;
        p->n = status;
    }

out:
    ev->id = p->id;
    return (size_t)(s - data);
#undef BAD
#undef FAIL
}

#if SPEED
/* The fast paths of the speed build, in three layers:
 *  - request_line() and field_line() take a whole unit (a request line up
 *    to its target, and its version when that follows; a field line; runs()
 *    and chunk() also take chunk-size lines and CRLFs) only when all of it
 *    is in the caller's buffer, well-formed, within its limits and plain:
 *    a known method, an origin-form target, a field that is skipped,
 *    delivered without HTAB, or a Content-Length, Transfer-Encoding:
 *    chunked, Connection: close or keep-alive;
 *  - runs() otherwise takes runs of plain bytes of the state at hand and
 *    counts them the way count() would;
 *  - mote_http_parse() itself hands a call with a single byte to the
 *    handler of its state (the one-byte leaf, at the end of the file),
 *    which takes it when it is plain (a list value's and held whitespace
 *    too); it takes a call with body bytes, and hands a call that starts
 *    a request line, a field line, the end of a head or a chunk-size line
 *    to start_line(), fields(), head_end() or chunk(), which cost less to
 *    enter than runs().
 * A unit taken after an event in the same call lies within the head (the
 * version after the target, the LF after a delivered value): body bytes
 * are only ever the last ones a call takes, and a head's last call ends
 * at its CRLF, as the server expects.
 * Anything else (an error, a limit that the unit would cross, an escape,
 * a list or held whitespace in a longer call, another form of target) is
 * left untouched to the byte machine, which then finds the exact byte of
 * any error or limit.
 * Each changes the parser state only for what it takes, as the machine
 * would have, so the result cannot depend on the split. */

static inline uint64_t load8(const void *s)
{
    uint64_t x;
    memcpy(&x, s, sizeof x);
    return x;
}

/* stop_in() on 8 bytes with one constant less (DEL found by x + 1), and
 * the index of the first flagged byte of a nonzero result (its lowest
 * address). */
static inline uint64_t stop_in64(uint64_t x, uint64_t lo)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80u;
    return ((x - ones * lo) | (x + ones)) & ~x & high;
}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Borrows and carries run toward the higher bytes, so the flag at the
 * lowest address is the first stop, or before it a 0x7E after a 0xFF
 * (whose carry makes it look like DEL): a byte that is no stop, which the
 * callers look at and leave to the byte machine. */
#define FIRST_BYTE(m) ((unsigned)__builtin_ctzll(m) >> 3)
#endif

static inline uint16_t load2(const void *s)
{
    uint16_t x;
    memcpy(&x, s, sizeof x);
    return x;
}

static inline uint32_t load4(const void *s)
{
    uint32_t x;
    memcpy(&x, s, sizeof x);
    return x;
}

/* The first byte from q on without class k, or end: 4 bytes a step,
 * without an end test for each. */
static inline const uint8_t *skip_class(const uint8_t *q, const uint8_t *end,
                                        unsigned k)
{
#define T(i) (classes(q[i]) & 1u << k)
    while (end - q >= 4) {
        if (!T(0))
            return q;
        if (!T(1))
            return q + 1;
        if (!T(2))
            return q + 2;
        if (!T(3))
            return q + 3;
        q += 4;
    }
#undef T
    while (q != end && classes(*q) & 1u << k)
        q++;
    return q;
}

/* The first byte from q on that is no tchar, where one is known to come
 * (the CR of a line): 4 bytes a step, without end tests. */
static inline const uint8_t *skip_tchars(const uint8_t *q)
{
#define T(i) (classes(q[i]) & 1u << C_TCHAR)
    for (;; q += 4) {
        if (!T(0))
            return q;
        if (!T(1))
            return q + 1;
        if (!T(2))
            return q + 2;
        if (!T(3))
            return q + 3;
    }
#undef T
}

static inline const uint8_t *skip_ows(const uint8_t *q, const uint8_t *end)
{
    if (end - q >= 2 && q[0] == ' ' && q[1] > ' ')
        return q + 1; /* the usual single SP */
    while (q != end && (*q == ' ' || *q == '\t'))
        q++;
    return q;
}

/* The first byte from q on that a field value cannot hold (its CR when the
 * line is well-formed), or end; or, rarely, a byte before it (see
 * FIRST_BYTE). */
static inline const uint8_t *skip_value(const uint8_t *q, const uint8_t *end,
                                        unsigned *htab)
{
    for (;;) {
        while (end - q >= 8) {
            uint64_t m = stop_in64(load8(q), 0x20u);
            if (m) {
#ifdef FIRST_BYTE
                q += FIRST_BYTE(m);
                goto stop;
#else
                break; /* the byte loop finds it */
#endif
            }
            q += 8;
        }
        while (q != end && *q >= 0x20u && *q != 0x7Fu)
            q++;
        if (q == end)
            return q;
#ifdef FIRST_BYTE
    stop:
#endif
        if (*q != '\t')
            return q;
        *htab = 1;
        q++;
    }
}


/* Names compared as the byte machine matches them: |0x20 on each byte,
 * 8 or 4 bytes at a time, the last ones overlapping; s has n bytes and
 * more (a colon follows), w is a word. */
static inline int same_name(const uint8_t *s, const char *w, unsigned n)
{
    const uint64_t lower = 0x2020202020202020u;
    unsigned k;
    if (n < 4) {
        for (k = 0; k < n && (s[k] | 0x20u) == (uint8_t)w[k]; k++)
            ;
        return k == n;
    }
    if (n < 8)
        return (load4(s) | 0x20202020u) == load4(w) &&
               (load4(s + n - 4) | 0x20202020u) == load4(w + n - 4);
    for (k = 0; k + 8 < n; k += 8)
        if ((load8(s + k) | lower) != load8(w + k))
            return 0;
    return (load8(s + n - 8) | lower) == load8(w + n - 8);
}

/* The length of a word, by its field in struct word_layout. */
#define WLEN(f) (sizeof(((struct word_layout *)0)->f) - 1u)

/* Whether the value [q, e) is list keyword k (a single one), compared as
 * the byte machine matches it: for value bytes, |0x20 matches no byte that
 * is not a tchar against a-z 0-9 "-" either. */
static inline int is_keyword(const uint8_t *q, const uint8_t *e, unsigned k)
{
    static const uint8_t kw_len[4] = {WLEN(chunked), WLEN(close),
                                      WLEN(keepalive), WLEN(cont)};
    return e - q == kw_len[k] && same_name(q, WORD(W_KW + k), kw_len[k]);
}

/* The fixed header names by length (their lengths differ): id + 1 (0 for
 * none) and the word's offset; the application's names are looked for
 * one by one. */
#define BY_LEN(f, id) [WLEN(f)] = {(id) + 1, AT(f)}
static const struct {
    uint8_t id1, off;
} name_by_len[32] = {
    BY_LEN(cl, MOTE_HTTP_H_CONTENT_LENGTH),
    BY_LEN(te, MOTE_HTTP_H_TRANSFER_ENCODING),
    BY_LEN(conn, MOTE_HTTP_H_CONNECTION),
    BY_LEN(expect, MOTE_HTTP_H_EXPECT),
    BY_LEN(host, MOTE_HTTP_H_HOST),
    BY_LEN(ctype, MOTE_HTTP_H_CONTENT_TYPE),
    BY_LEN(aenc, MOTE_HTTP_H_ACCEPT_ENCODING),
    BY_LEN(inm, MOTE_HTTP_H_IF_NONE_MATCH),
};
#undef BY_LEN
#define MOTE_HTTP_H_APP_LEN(id, name) (uint8_t)(sizeof name - 1),
static const uint8_t app_len[MOTE_HTTP_H_COUNT - MOTE_HTTP_H_IF_NONE_MATCH] = {
    MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_LEN) 0
};

/* The header id of the name [s, s + n), or NONE. */
static inline unsigned name_id(const uint8_t *s, unsigned n)
{
    unsigned i;
    if (n < 32 && name_by_len[n].id1 &&
        same_name(s, words + name_by_len[n].off, n))
        return name_by_len[n].id1 - 1u;
    for (i = MOTE_HTTP_H_IF_NONE_MATCH + 1; i < MOTE_HTTP_H_COUNT; i++)
        if (app_len[i - MOTE_HTTP_H_IF_NONE_MATCH - 1] == n &&
            same_name(s, WORD(W_NAMES + i), n))
            return i;
    return NONE;
}

/* match(W_NAMES, W_KW, 0, c) without a loop over the fixed names: the
 * first word that starts with c, a lowercased byte (the fixed names come
 * first, in this order). */
static inline unsigned first_name(unsigned c)
{
    unsigned i;
    switch (c) {
    case 'c':
        return W_NAMES + MOTE_HTTP_H_CONTENT_LENGTH;
    case 't':
        return W_NAMES + MOTE_HTTP_H_TRANSFER_ENCODING;
    case 'e':
        return W_NAMES + MOTE_HTTP_H_EXPECT;
    case 'h':
        return W_NAMES + MOTE_HTTP_H_HOST;
    case 'a':
        return W_NAMES + MOTE_HTTP_H_ACCEPT_ENCODING;
    case 'i':
        return W_NAMES + MOTE_HTTP_H_IF_NONE_MATCH;
    }
    for (i = W_NAMES + MOTE_HTTP_H_IF_NONE_MATCH + 1; i < W_KW; i++)
        if ((uint8_t)WORD(i)[0] == c)
            return i;
    return NONE;
}

/* The colon after a name, taken as the byte machine takes it; 0 for an
 * error, left to the machine to report. */
static inline int name_colon(struct mote_http_parser *p)
{
    unsigned id = p->id, nst;
    if (id != NONE)
        id = WORD(id)[p->pos] ? NONE : id - W_NAMES;
    nst = id == NONE ? S_H_SKIP : S_H_VAL;
    if (id <= MOTE_HTTP_H_HOST) {
        unsigned f = seen_flag[id];
        if (f & p->flags & (MOTE_HTTP_PF_CL | MOTE_HTTP_PF_HOST))
            return 0;
        p->flags |= (uint16_t)f;
        nst = value_state[id];
    }
    p->id = (uint8_t)id;
    p->pos = 0;
    p->ws = 0;
    p->state = (uint8_t)nst;
    return 1;
}

/* Hex digits' values + 1, 0 for other bytes: escapes and chunk sizes
 * without hexval()'s two tests per digit. */
#define HEX_OF(c, v) [c] = (v) + 1, [(c) | 0x20] = (v) + 1
#define HEX_DIGITS                                                         \
    {                                                                      \
        ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,             \
        ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,            \
        HEX_OF('A', 10), HEX_OF('B', 11), HEX_OF('C', 12),                 \
        HEX_OF('D', 13), HEX_OF('E', 14), HEX_OF('F', 15),                 \
    }

/* The request line from its first byte up to the SP after the target, for
 * a known method and an origin-form target: reports the target and returns
 * where S_VERSION starts, or past the version's CRLF when that is all
 * there, or NULL. */
static const uint8_t *request_line(struct mote_http_parser *restrict p,
                                   const uint8_t *s, const uint8_t *end,
                                   struct mote_http_event *restrict ev)
{
    const uint8_t *q = s, *t;
    /* (the method is set at once, fewer values live; a caller given NULL
     * sets it back to 0) */
    if (end - s >= 5 && load4(s) == load4("GET ")) {
        p->method = MOTE_HTTP_GET;
        q = s + 3;
    } else if (end - s >= 5 && load4(s) == load4("POST") && s[4] == ' ') {
        p->method = MOTE_HTTP_POST;
        q = s + 4;
    } else {
        unsigned m;
        for (m = 0; m < MOTE_HTTP_METHOD_COUNT; m++) {
            const char *w = WORD(m);
            for (q = s; q != end && *w && *q == (uint8_t)*w; q++)
                w++;
            if (!*w && q != end && *q == ' ')
                break;
        }
        if (m == MOTE_HTTP_METHOD_COUNT)
            return NULL;
        p->method = (uint8_t)m;
    }
    t = ++q;
    for (;;) {
        q = skip_class(q, end, C_PATH);
        if (q == end || *q != '%')
            break;
        if (end - q < 3 || !lt.hex_of[q[1]] || !lt.hex_of[q[2]])
            return NULL;
        q += 3;
    }
    if (q == end || *q != ' ' || *t != '/' ||
        p->len + (size_t)(q - t) > MOTE_HTTP_MAX_TARGET)
        return NULL;
    ev->type = MOTE_HTTP_EV_TARGET;
    ev->ptr = t;
    ev->len = (size_t)(q - t);
    ev->last = 1;
    if (end - q >= 11 && load8(q) == load8(" HTTP/1.") &&
        (load4(q + 7) | load4("\0\1\0")) == load4(".1\r\n")) {
        /* the version line too: the next call starts a field line */
        p->flags |= (uint16_t)(q[8] & MOTE_HTTP_PF_HTTP11);
        p->len = 0;
        p->state = S_H_START;
        return q + 11;
    }
    p->len = (uint16_t)(p->len + (q - t));
    p->state = S_VERSION;
    return q;
}

/* The value [v, e) of a field that frames the body or the connection
 * (Content-Length, Transfer-Encoding: chunked, Connection: close or
 * keep-alive; an Expect is left to the byte machine): the flags with it,
 * or 0. Out of line: the loop over field lines keeps fewer values live. */
__attribute__((noinline)) static unsigned
framing(struct mote_http_parser *restrict p, unsigned id, const uint8_t *v,
        const uint8_t *e)
{
    unsigned f = p->flags;
    const uint8_t *q;
    switch (id) {
    case MOTE_HTTP_H_CONTENT_LENGTH: {
        uint32_t x = 0;
        if ((f & MOTE_HTTP_PF_CL) || e == v || e - v > 9)
            return 0; /* a second one, empty, or maybe too large */
        for (q = v; q != e; q++) {
            if (*q - 48u > 9u)
                return 0;
            x = x * 10u + (*q - 48u);
        }
        p->n = x;
        return f | MOTE_HTTP_PF_CL;
    }
    case MOTE_HTTP_H_TRANSFER_ENCODING:
        if ((f & MOTE_HTTP_PF_CHUNKED) || !is_keyword(v, e, 0))
            return 0;
        return f | MOTE_HTTP_PF_TE | MOTE_HTTP_PF_CHUNKED;
    case MOTE_HTTP_H_CONNECTION:
        if (is_keyword(v, e, 1))
            return f | MOTE_HTTP_PF_CLOSE;
        if (is_keyword(v, e, 2))
            return f | MOTE_HTTP_PF_KEEPALIVE;
        return 0;
    default:
        return 0;
    }
}

/* A field line: returns where the next one starts, or, for a delivered
 * field, reports its value in one span of the caller's bytes (and returns
 * where the next line starts too). Its inner whitespace is then SP only,
 * the bytes the byte machine delivers from its constant string (as its
 * own spans); an HTAB inside would not be: NULL. */
static inline __attribute__((always_inline)) const uint8_t *
field_line(struct mote_http_parser *restrict p, const uint8_t *s,
           const uint8_t *end, struct mote_http_event *restrict ev)
{
    const uint8_t *q, *v, *e, *cr;
    unsigned id = NONE, f, htab = 0;
    /* the line's CR first: the loops below stop at it without end tests */
    cr = skip_value(s, end, &htab);
    if (end - cr < 2 || load2(cr) != load2("\r\n") ||
        p->len + (size_t)(cr + 2 - s) > MOTE_HTTP_MAX_HEADER_BLOCK ||
        p->nhdrs >= MOTE_HTTP_MAX_HEADERS)
        return NULL;
    q = skip_tchars(s);
    if (q == s || *q != ':')
        return NULL;
    if (!(p->flags & MOTE_HTTP_PF_TRAILER))
        id = name_id(s, (unsigned)(q - s));
    if (id == NONE)
        goto take; /* validated: skipped */
    /* (within the line, bytes up to SP are SP and HTAB) */
    for (v = q + 1; *v <= ' ' && v != cr; v++)
        ;
    for (e = cr; e != v && e[-1] <= ' '; e--)
        ;
    /* (the flags are read where needed, and written once nothing fails) */
    if (id < MOTE_HTTP_H_HOST) {
        f = framing(p, id, v, e);
        if (!f)
            return NULL;
        p->flags = (uint16_t)f;
    } else {
        if (htab || (id == MOTE_HTTP_H_HOST && (p->flags & MOTE_HTTP_PF_HOST)))
            return NULL; /* HTAB maybe inside: delivered as SP */
        if (id == MOTE_HTTP_H_HOST)
            p->flags |= MOTE_HTTP_PF_HOST;
        ev->type = MOTE_HTTP_EV_FIELD;
        ev->ptr = v;
        ev->len = (size_t)(e - v);
        ev->last = 1;
        ev->id = (uint8_t)id;
    }
take:
    p->id = (uint8_t)id;
    p->nhdrs++;
    p->len = (uint16_t)(p->len + (cr + 2 - s));
    return cr + 2;
}

/* Count the run [s, q) of a header line, and its terminator term when q
 * holds it, toward the header block: 1 when term was taken, 0 when only
 * the run was (q is end, or a byte for the byte machine), -1 when that
 * would cross the limit and nothing was taken. */
static inline int take_run(struct mote_http_parser *p, const uint8_t *s,
                           const uint8_t *q, const uint8_t *end,
                           unsigned term)
{
    int at_term = q != end && *q == term;
    size_t k = (size_t)(q - s) + (size_t)at_term;
    if (p->len + k > MOTE_HTTP_MAX_HEADER_BLOCK)
        return -1;
    p->len = (uint16_t)(p->len + k);
    return at_term;
}

/* Everything but the single plain bytes mote_http_parse takes itself. */
__attribute__((noinline)) static size_t
runs(struct mote_http_parser *restrict p, const uint8_t *data, size_t len,
     struct mote_http_event *restrict ev)
{
    const uint8_t *s = data, *q;
    const uint8_t *const end = data + len;
    size_t k;
    unsigned c;
    int r;

    ev->type = MOTE_HTTP_EV_NEED_MORE;
    ev->last = 0;
    ev->len = 0;
    for (;;) {
        if (s == end && p->state < S_HEAD)
            goto out; /* the byte states need a byte */
        switch (p->state) {
        case S_START:
            /* (start_line() has tried request_line()) */
            if (s == end || *s == '\r')
                break;
            p->state = S_METHOD; /* method and pos are 0 */
            /* fall through */
        case S_METHOD: {
            unsigned pos = p->pos;
            const char *w = WORD(p->method);
            if (s == end)
                goto out;
            c = *s;
            if (c == ' ' && pos && !w[pos]) {
                p->pos = 0;
                p->state = S_TARGET_START;
                s++;
                continue;
            }
            if (c != (uint8_t)w[pos] || !c)
                break; /* another method, or an error */
            p->pos = (uint8_t)(pos + 1);
            s++;
            continue;
        }
        case S_TARGET_START:
            if (s == end)
                goto out;
            if (*s != '/')
                break;
            p->state = S_TARGET;
            /* fall through */
        case S_TARGET:
            if (p->pos)
                break; /* inside %XX */
            q = skip_class(s, end, C_PATH);
            if ((q != end && *q != ' ') ||
                p->len + (size_t)(q - s) > MOTE_HTTP_MAX_TARGET)
                break;
            p->len = (uint16_t)(p->len + (q - s));
            if (q != end) {
                ev->last = 1;
                p->state = S_VERSION;
            } else if (q == s) {
                goto out;
            }
            ev->type = MOTE_HTTP_EV_TARGET;
            ev->ptr = s;
            ev->len = (size_t)(q - s);
            s = q;
            goto out;
        case S_VERSION: {
            unsigned pos = p->pos, v;
            if (pos == 0 && end - s >= 11 && load8(s) == load8(" HTTP/1.") &&
                (s[8] | 1u) == '1' && s[9] == '\r' && s[10] == '\n') {
                p->flags |= (uint16_t)(s[8] & MOTE_HTTP_PF_HTTP11);
                p->len = 0;
                p->state = S_H_START;
                s += 11;
                continue;
            }
            if (s == end)
                goto out;
            c = *s;
            v = (uint8_t)version[pos];
            if (v == '#') {
                if (c - 48u > 9u)
                    break;
                p->kw |= (uint8_t)((c ^ '1') << ((pos & 2u) << 1));
            } else if (c != v) {
                break;
            } else if (pos == 9) {
                if (p->kw > 1u)
                    break;
            } else if (pos == 10) {
                if (!p->kw)
                    p->flags |= MOTE_HTTP_PF_HTTP11;
                p->len = 0;
                p->state = S_H_START;
            }
            p->pos = (uint8_t)(pos + 1);
            s++;
            continue;
        }
        case S_H_START:
            if (s == end)
                goto out;
            if (*s == '\r') {
                if (end - s >= 2 && s[1] == '\n' &&
                    p->len + 2u <= MOTE_HTTP_MAX_HEADER_BLOCK) {
                    p->len = (uint16_t)(p->len + 2u);
                    p->state = S_HEAD;
                    s += 2;
                    continue;
                }
                if (p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
                    break;
                p->len++;
                p->state = S_H_END_LF;
                s++;
                continue;
            }
            if ((q = field_line(p, s, end, ev))) {
                s = q;
                if (ev->type != MOTE_HTTP_EV_NEED_MORE)
                    goto out;
                continue;
            }
            /* the line is not all here: its first byte */
            c = *s;
            if (!(classes(c) & 1u << C_TCHAR) ||
                p->nhdrs >= MOTE_HTTP_MAX_HEADERS)
                break;
            p->nhdrs++;
            p->pos = 0;
            p->id = (p->flags & MOTE_HTTP_PF_TRAILER)
                        ? NONE
                        : (uint8_t)first_name(c | 0x20u);
            p->state = S_H_NAME;
            /* fall through */
        case S_H_NAME: {
            unsigned id = p->id;
            if (s == end)
                goto out;
            if (id == NONE) {
                q = skip_class(s, end, C_TCHAR);
                r = take_run(p, s, q, end, ':');
                if (r <= 0) {
                    if (r == 0 && (s = q) == end)
                        goto out;
                    break;
                }
                p->pos = 0;
                p->ws = 0;
                p->state = S_H_SKIP;
                s = q + 1;
                continue;
            }
            /* a candidate: its next byte */
            c = *s;
            if (c == ':' && p->len < MOTE_HTTP_MAX_HEADER_BLOCK &&
                name_colon(p)) {
                p->len++;
                s++;
                continue;
            }
            if (!(classes(c) & 1u << C_TCHAR) ||
                p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
                break;
            if ((c | 0x20u) != (uint8_t)WORD(id)[p->pos])
                p->id = (uint8_t)match(id, W_KW, p->pos, c | 0x20u);
            p->len++;
            p->pos++;
            s++;
            continue;
        }
        case S_H_SKIP: {
            unsigned htab = 0;
            q = skip_value(s, end, &htab);
            r = take_run(p, s, q, end, '\r');
            if (r <= 0) {
                if (r == 0 && (s = q) == end)
                    goto out;
                break;
            }
            p->state = S_H_LF;
            s = q + 1;
            continue;
        }
        case S_H_VAL:
            if (p->ws)
                break;
            if (!p->pos) {
                /* leading whitespace is not delivered */
                q = skip_ows(s, end);
                if (p->len + (size_t)(q - s) > MOTE_HTTP_MAX_HEADER_BLOCK)
                    break;
                p->len = (uint16_t)(p->len + (q - s));
                s = q;
                if (s == end)
                    goto out;
                if (!(classes(*s) & 1u << C_VCHAR))
                    break;
                p->pos = 1;
            }
            for (q = s; q != end && *q > 0x20u && *q != 0x7Fu; q++)
                ;
            k = (size_t)(q - s) + (q != end && *q == '\r');
            if (p->len + k > MOTE_HTTP_MAX_HEADER_BLOCK ||
                (q != end && *q != '\r' &&
                 (q == s || (*q != ' ' && *q != '\t'))))
                break;
            p->len = (uint16_t)(p->len + k);
            ev->type = MOTE_HTTP_EV_FIELD;
            ev->ptr = s;
            ev->len = (size_t)(q - s);
            if (q != end && *q == '\r') {
                ev->last = 1;
                p->state = S_H_LF;
                q++;
            } else if (q == s) {
                ev->type = MOTE_HTTP_EV_NEED_MORE;
            }
            s = q;
            goto out;
        case S_H_LF:
        case S_H_END_LF:
            if (s == end)
                goto out;
            if (*s != '\n' || p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
                break;
            p->len++;
            p->state = p->state == S_H_LF ? S_H_START : S_HEAD;
            s++;
            continue;
        case S_CHUNK_SIZE:
            if (p->pos == 0) {
                uint32_t x = 0;
                unsigned d;
                for (q = s; q != end && q - s < 7 && (d = lt.hex_of[*q]); q++)
                    x = x << 4 | (d - 1u);
                if (q != s && end - q >= 2 && q[0] == '\r' && q[1] == '\n' &&
                    p->len + (size_t)(q + 2 - s) <=
                        MOTE_HTTP_MAX_HEADER_BLOCK) {
                    p->len = (uint16_t)(p->len + (q + 2 - s));
                    p->n = x;
                    p->state = S_CHUNK_END;
                    s = q + 2;
                    continue;
                }
            }
            break;
        case S_DATA_CR:
            if (end - s >= 2 && s[0] == '\r' && s[1] == '\n') {
                p->len = 0;
                p->pos = 0;
                p->state = S_CHUNK_SIZE;
                s += 2;
                continue;
            }
            break;
        case S_BODY_LEN:
        case S_CHUNK_DATA:
            if (p->n == 0) {
                p->state = p->state == S_BODY_LEN ? S_BODY_NONE : S_DATA_CR;
                continue;
            }
            if (s != end) {
                k = (size_t)(end - s) < p->n ? (size_t)(end - s) : p->n;
                ev->type = MOTE_HTTP_EV_BODY;
                ev->ptr = s;
                ev->len = k;
                p->n -= (uint32_t)k;
                s += k;
                goto out;
            }
            break;
        case S_HEAD:
            if (p->flags & MOTE_HTTP_PF_TRAILER) {
                p->state = S_BODY_NONE;
                continue;
            }
            if (head_framing(p))
                break; /* the byte machine reports it */
            ev->type = MOTE_HTTP_EV_HEAD;
            goto out;
        case S_CHUNK_END:
            chunk_end(p);
            continue;
        case S_BODY_NONE:
            mote_http_init(p);
            ev->type = MOTE_HTTP_EV_DONE;
            goto out;
        default:
            break;
        }
        if (s == end && p->state < S_HEAD)
            goto out; /* the byte machine would take nothing */
        s += machine(p, s, (size_t)(end - s), ev);
        if (ev->type != MOTE_HTTP_EV_NEED_MORE || s == end)
            return (size_t)(s - data);
        /* the byte machine handed back at the start of a line */
    }
out:
    ev->id = p->id;
    return (size_t)(s - data);
}

/* Calls with more bytes that start a request line are taken here when it
 * is at hand and plain: apart from runs(), whose many paths keep many
 * values live, little is saved on the way in. */
__attribute__((noinline)) static size_t
start_line(struct mote_http_parser *restrict p, const uint8_t *data,
           size_t len, struct mote_http_event *restrict ev)
{
    const uint8_t *q = request_line(p, data, data + len, ev);
    if (!q) {
        p->method = 0; /* as it was in S_START */
        return runs(p, data, len, ev);
    }
    return (size_t)(q - data);
}

/* The CRLF that ends a head (in S_H_START; at least two bytes are at
 * hand), with S_HEAD after it but for its errors. */
__attribute__((noinline)) static size_t
head_end(struct mote_http_parser *restrict p, const uint8_t *data,
         size_t len, struct mote_http_event *restrict ev)
{
    unsigned f = p->flags;
    if (load2(data) != load2("\r\n") ||
        p->len + 2u > MOTE_HTTP_MAX_HEADER_BLOCK ||
        (f & (MOTE_HTTP_PF_TRAILER | MOTE_HTTP_PF_HTTP11 |
              MOTE_HTTP_PF_HOST)) == MOTE_HTTP_PF_HTTP11 ||
        (f & MOTE_HTTP_PF_TRAILER))
        return runs(p, data, len, ev);
    if (f & MOTE_HTTP_PF_TE) {
        if ((f & (MOTE_HTTP_PF_CL | MOTE_HTTP_PF_HTTP11 |
                  MOTE_HTTP_PF_CHUNKED | MOTE_HTTP_PF_TE_OTHER)) !=
            (MOTE_HTTP_PF_HTTP11 | MOTE_HTTP_PF_CHUNKED))
            return runs(p, data, len, ev);
        p->len = 0;
        p->pos = 0;
        p->state = S_CHUNK_SIZE;
    } else {
        p->len = (uint16_t)(p->len + 2u);
        p->state = (f & MOTE_HTTP_PF_CL) ? S_BODY_LEN : S_BODY_NONE;
    }
    ev->type = MOTE_HTTP_EV_HEAD;
    return 2;
}

/* Calls at the start of a field line or of the CRLF that ends the head
 * (S_H_START, or S_H_LF before it): whole plain field lines up to the
 * first delivered one, whose value it reports, or up to the end of the
 * head with S_HEAD's work (of a trailer: the end of the request); from
 * the first line it does not take on, runs(). */
__attribute__((noinline)) static size_t
fields(struct mote_http_parser *restrict p, const uint8_t *data, size_t len,
       struct mote_http_event *restrict ev)
{
    const uint8_t *s = data, *q;
    const uint8_t *const end = data + len;
    unsigned f;
    if (p->state == S_H_LF) {
        if (*s != '\n' || p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
            return runs(p, data, len, ev);
        p->len++;
        p->state = S_H_START;
        s++;
    }
    ev->type = MOTE_HTTP_EV_NEED_MORE;
    while (*s != '\r') {
        q = field_line(p, s, end, ev);
        if (!q)
            goto rest;
        s = q;
        if (ev->type != MOTE_HTTP_EV_NEED_MORE || s == end)
            return (size_t)(s - data);
    }
    f = p->flags;
    if (end - s < 2 || s[1] != '\n' ||
        p->len + 2u > MOTE_HTTP_MAX_HEADER_BLOCK ||
        (f & (MOTE_HTTP_PF_TRAILER | MOTE_HTTP_PF_HTTP11 |
              MOTE_HTTP_PF_HOST)) == MOTE_HTTP_PF_HTTP11)
        goto rest;
    if (f & MOTE_HTTP_PF_TRAILER) {
        mote_http_init(p);
        ev->type = MOTE_HTTP_EV_DONE;
    } else {
        if (f & MOTE_HTTP_PF_TE) {
            if ((f & (MOTE_HTTP_PF_CL | MOTE_HTTP_PF_HTTP11 |
                      MOTE_HTTP_PF_CHUNKED | MOTE_HTTP_PF_TE_OTHER)) !=
                (MOTE_HTTP_PF_HTTP11 | MOTE_HTTP_PF_CHUNKED))
                goto rest;
            p->len = 0;
            p->pos = 0;
            p->state = S_CHUNK_SIZE;
        } else {
            p->len = (uint16_t)(p->len + 2u);
            p->state = (f & MOTE_HTTP_PF_CL) ? S_BODY_LEN : S_BODY_NONE;
        }
        ev->type = MOTE_HTTP_EV_HEAD;
    }
    return (size_t)(s + 2 - data);
rest:
    if (s == data)
        return runs(p, data, len, ev);
    return (size_t)(s - data) + runs(p, s, (size_t)(end - s), ev);
}

/* A chunk-size line without extension (after the CRLF that ends the data
 * before it), all at hand: the data after it, as one span of what is at
 * hand, or after the last chunk an empty trailer section and the end of
 * the request. Anything else to runs(). */
__attribute__((noinline)) static size_t
chunk(struct mote_http_parser *restrict p, const uint8_t *data, size_t len,
      struct mote_http_event *restrict ev)
{
    const uint8_t *s = data, *q;
    const uint8_t *const end = data + len;
    uint32_t x = 0;
    unsigned d;
    size_t k;
    if (p->state != S_CHUNK_SIZE) { /* S_DATA_CR, or its data ended */
        if (load2(s) != load2("\r\n"))
            return runs(p, data, len, ev);
        s += 2;
    }
    /* (in S_CHUNK_SIZE before a digit, p->len is 0: up to 9 bytes are
     * within the limit) */
    for (q = s; q != end && q - s < 7 && (d = lt.hex_of[*q]); q++)
        x = x << 4 | (d - 1u);
    if (q == s || end - q < 2 || load2(q) != load2("\r\n"))
        return runs(p, data, len, ev);
    if (!x) {
        /* the last chunk: an empty trailer section ends the request */
        if (end - q < 4 || load2(q + 2) != load2("\r\n"))
            return runs(p, data, len, ev);
        mote_http_init(p);
        ev->type = MOTE_HTTP_EV_DONE;
        return (size_t)(q + 4 - data);
    }
    p->len = (uint16_t)(q + 2 - s);
    p->state = S_CHUNK_DATA;
    s = q + 2;
    k = (size_t)(end - s) < x ? (size_t)(end - s) : x;
    p->n = x - (uint32_t)k;
    ev->type = k ? MOTE_HTTP_EV_BODY : MOTE_HTTP_EV_NEED_MORE;
    ev->ptr = s;
    ev->len = k;
    return (size_t)(s + k - data);
}

/* The one-byte leaf. mote_http_parse hands a call with one byte to the
 * handler of the parser's state through the table in lt, and lt itself in
 * the place of len (the byte tables without an address literal each). Each
 * handler, a function of its own, takes the byte when it is plain in its
 * state, as the byte machine would (counted the same way, the same state
 * after it, but for a field that the next state does not read), in a few
 * instructions and the registers it was given; less common bytes go on to
 * an out-of-line helper (handed the same arguments), which takes what it
 * can and leaves the rest to runs(). Four states of its own (S_H_UNKNOWN
 * and those after it) keep a method's or a name's position as an offset
 * in words, or defer a count, where that saves loads per byte; the byte
 * machine turns them back into its own on entry. */
#define LEAF(name)                                                         \
    static size_t name(struct mote_http_parser *restrict p,               \
                       const uint8_t *data,                               \
                       const struct leaf_tabs *restrict t                 \
                       __attribute__((unused)),                           \
                       struct mote_http_event *restrict ev)
/* (not cloned: a clone without t would move ev to another register;
 * clang, which fuzzes this build, has no noclone and does not clone) */
#if defined(__clang__)
#define HELPER __attribute__((noinline))
#else
#define HELPER __attribute__((noinline, noclone))
#endif

/* lt's 256-byte tables of header name bytes, B256(f): f of each byte. */
#define B4(f, c) f(c), f((c) + 1u), f((c) + 2u), f((c) + 3u)
#define B16(f, c) B4(f, c), B4(f, (c) + 4u), B4(f, (c) + 8u), B4(f, (c) + 12u)
#define B64(f, c)                                                          \
    B16(f, c), B16(f, (c) + 16u), B16(f, (c) + 32u), B16(f, (c) + 48u)
#define B256(f) {B64(f, 0u), B64(f, 64u), B64(f, 128u), B64(f, 192u)}
#define IS_TCHAR(c)                                                        \
    ((c) - 0x30u < 10u || ((c) | 0x20u) - 0x61u < 26u || (c) == '!' ||     \
     ((c) >= '#' && (c) <= '\'') || (c) == '*' || (c) == '+' ||            \
     (c) == '-' || (c) == '.' || ((c) >= '^' && (c) <= '`') ||             \
     (c) == '|' || (c) == '~')
/* method_first: match(0, W_NAMES, 0, c) */
#define METHOD_OF(c)                                                       \
    (uint8_t)((c) == 'G'   ? MOTE_HTTP_GET                                 \
              : (c) == 'H' ? MOTE_HTTP_HEAD                                \
              : (c) == 'P' ? MOTE_HTTP_POST                                \
              : (c) == 'D' ? MOTE_HTTP_DELETE                              \
              : (c) == 'O' ? MOTE_HTTP_OPTIONS                             \
                           : NONE)
/* lc: header name bytes as they are matched, a tchar |0x20, any other
 * byte NONE, which no word holds (one load instead of a class test and an
 * OR; list keywords use it too). */
#define LOWER(c) (uint8_t)(IS_TCHAR(c) ? (c) | 0x20u : NONE)
/* name_first: the first candidate of a name by its first byte:
 * first_name() for the fixed names' first letters, NONE for other tchars
 * (an application's name may start so), NO_NAME for bytes that start no
 * name. */
#define NO_NAME 0xFEu
#define FIRST(l)                                                           \
    ((l) == 'c'   ? W_NAMES + MOTE_HTTP_H_CONTENT_LENGTH                   \
     : (l) == 't' ? W_NAMES + MOTE_HTTP_H_TRANSFER_ENCODING                \
     : (l) == 'e' ? W_NAMES + MOTE_HTTP_H_EXPECT                           \
     : (l) == 'h' ? W_NAMES + MOTE_HTTP_H_HOST                             \
     : (l) == 'a' ? W_NAMES + MOTE_HTTP_H_ACCEPT_ENCODING                  \
     : (l) == 'i' ? W_NAMES + MOTE_HTTP_H_IF_NONE_MATCH                    \
                  : NONE)
#define FIRST_OF(c) (uint8_t)(IS_TCHAR(c) ? FIRST((c) | 0x20u) : NO_NAME)
/* first_pos: where that candidate goes on, at[FIRST()] + 1 (1 without) */
#define FIRST_AT(l)                                                        \
    ((l) == 'c'   ? AT(cl)                                                 \
     : (l) == 't' ? AT(te)                                                 \
     : (l) == 'e' ? AT(expect)                                             \
     : (l) == 'h' ? AT(host)                                               \
     : (l) == 'a' ? AT(aenc)                                               \
     : (l) == 'i' ? AT(inm)                                                \
                  : 0u)
#define FIRST_POS(c) (uint8_t)(FIRST_AT((c) | 0x20u) + 1u)
/* first_state: the state after it (tchars only) */
#define FIRST_STATE(c)                                                     \
    (uint8_t)(FIRST((c) | 0x20u) == NONE ? S_H_UNKNOWN : S_H_CAND)
_Static_assert(W_KW < NO_NAME, "NO_NAME is no word");
/* The handlers read the tables through t. */
#undef classes
#define classes(c) ((unsigned)t->class_of[c])
#define name_lc t->lc
/* WORD(id)[pos] for a header name's candidate id */
#define NAME_BYTE(id, pos) t->name_words[(size_t)t->word_at[id] + (pos)]
/* Whether the application has header names of its own. */
#define APP_NAMES (W_KW > W_NAMES + MOTE_HTTP_H_IF_NONE_MATCH + 1)

/* The byte taken, nothing to report. */
static inline size_t took(struct mote_http_event *ev)
{
    ev->type = MOTE_HTTP_EV_NEED_MORE;
    return 1;
}

/* A field's ++ or -- in one instruction: GCC would add to the register
 * it read the field into for a test and store that (two instructions
 * more); after a compiler barrier it adds in memory. */
#define IN_PLACE(op)                                                       \
    do {                                                                   \
        __asm__("" ::: "memory");                                          \
        op;                                                                \
    } while (0)

/* The byte taken as a span of its own. */
static inline size_t took_span(struct mote_http_event *ev, unsigned type,
                               const uint8_t *data)
{
    ev->type = (uint8_t)type;
    ev->ptr = data;
    ev->len = 1;
    return 1;
}

LEAF(leaf_start)
{
    unsigned m = t->method_first[*data];
    if (m == NONE)
        return runs(p, data, 1, ev);
    p->method = (uint8_t)m;
    p->pos = (uint8_t)(t->word_at[m] + 1u);
    p->state = S_METHOD_AT;
    return took(ev);
}

/* A method's byte, and the SP after it. */
LEAF(leaf_method_at)
{
    size_t pos = p->pos;
    unsigned c = *data, w = (uint8_t)t->name_words[pos];
    if (c == w && c) {
        IN_PLACE(p->pos++);
        return took(ev);
    }
    if (c == ' ' && !w) {
        p->pos = 0;
        p->state = S_TARGET_START;
        return took(ev);
    }
    p->pos = (uint8_t)(pos - t->word_at[p->method]);
    p->state = S_METHOD;
    return runs(p, data, 1, ev);
}

/* The SP after a method, or an error. */

/* S_METHOD as the byte machine left it: S_METHOD_AT from here on. */
LEAF(leaf_method)
{
    p->pos = (uint8_t)(p->pos + t->word_at[p->method]);
    p->state = S_METHOD_AT;
    return leaf_method_at(p, data, t, ev);
}

/* A path byte of the target, outside %XX and within the limit. */
static inline size_t target_byte(struct mote_http_parser *restrict p,
                                 const uint8_t *data,
                                 struct mote_http_event *restrict ev)
{
    IN_PLACE(p->len++);
    ev->last = 0;
    return took_span(ev, MOTE_HTTP_EV_TARGET, data);
}

LEAF(leaf_target_start)
{
    if (*data != '/' || p->len >= MOTE_HTTP_MAX_TARGET)
        return runs(p, data, 1, ev);
    p->state = S_TARGET;
    return target_byte(p, data, ev);
}

/* The SP after the target, or anything but a plain path byte. */
HELPER LEAF(target_other)
{
    if (*data != ' ' || p->pos)
        return runs(p, data, 1, ev);
    /* The target ends; the SP is the one S_VERSION takes first (it counts
     * toward nothing): taken here, one call less. */
    ev->type = MOTE_HTTP_EV_TARGET;
    ev->ptr = data;
    ev->len = 0;
    ev->last = 1;
    p->pos = 1;
    p->state = S_VERSION;
    return 1;
}

LEAF(leaf_target)
{
    size_t c = *data;
    /* len within its limit and pos 0 (no %XX) in one test: the fields
     * after len up to nhdrs are all 0 in a target, as mote_http_init()
     * left them (one load of 8 bytes) */
    uint64_t x = (uint64_t)p->len | (uint64_t)p->ws << 16 |
                 (uint64_t)p->pos << 32 | (uint64_t)p->kw << 40 |
                 (uint64_t)p->id << 48 | (uint64_t)p->nhdrs << 56;
    if ((classes(c) & 1u << C_PATH) && x < MOTE_HTTP_MAX_TARGET)
        return target_byte(p, data, ev);
    return target_other(p, data, t, ev);
}

/* version_plain: " HTTP/1.1" byte by byte, the bytes taken as they are
 * (a 1 even after another digit: kw keeps what decides), and 0x100, no
 * byte, for the CR and LF. */
#define VERSION_PLAIN                                                      \
    {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', 0x100, 0x100}

/* A digit other than 1, the CR and LF, or an error. */
HELPER LEAF(version_rest);
HELPER LEAF(version_other)
{
    unsigned x = p->pos | p->kw << 8;
    if (x == 10 && *data == '\n') {
        /* the LF after 1.1 (pos is not read from here on) */
        p->flags |= MOTE_HTTP_PF_HTTP11;
        p->len = 0;
        p->state = S_H_START;
        return took(ev);
    }
    if ((x | 0x100) == 0x109 && *data == '\r') {
        /* the CR after 1.1 or 1.0 */
        p->pos = 10;
        return took(ev);
    }
    return version_rest(p, data, t, ev);
}

/* The rest of version_other. */
HELPER LEAF(version_rest)
{
    unsigned c = *data, pos = p->pos, kw = p->kw, v = (uint8_t)version[pos];
    if (v == '#') {
        if (c - '0' > 9u)
            return runs(p, data, 1, ev);
        kw |= (c ^ '1') << ((pos & 2u) << 1);
    } else if (c != v || (pos == 9 && kw > 1u)) {
        return runs(p, data, 1, ev);
    } else if (pos == 10) {
        if (!kw)
            p->flags |= MOTE_HTTP_PF_HTTP11;
        p->len = 0;
        p->state = S_H_START;
    }
    p->kw = (uint8_t)kw;
    p->pos = (uint8_t)(pos + 1);
    return took(ev);
}

LEAF(leaf_version)
{
    size_t pos = p->pos; /* 0..10 in this state */
    if (*data == t->version_plain[pos]) {
        IN_PLACE(p->pos++);
        return took(ev);
    }
    return version_other(p, data, t, ev);
}

/* The first byte of a field line other than a fixed name's or another
 * tchar's of a header (a trailer's, or an application's name), or an
 * error (leaf_h_start takes the CR of the final CRLF). */
HELPER LEAF(start_other)
{
    size_t c = *data;
    unsigned n = p->len, id = t->name_first[c];
    if (n >= MOTE_HTTP_MAX_HEADER_BLOCK || id == NO_NAME ||
        p->nhdrs >= MOTE_HTTP_MAX_HEADERS)
        return runs(p, data, 1, ev);
    if (p->flags & MOTE_HTTP_PF_TRAILER)
        id = NONE;
    else
        id = first_name(name_lc[c]);
    p->nhdrs++;
    p->id = (uint8_t)id;
    p->pos = 1; /* (counts on past a candidate: not read) */
    if (id == NONE) {
        p->state = S_H_UNKNOWN;
    } else if (n < CAND_BELOW) {
        p->pos = (uint8_t)(t->word_at[id] + 1u);
        p->state = S_H_CAND;
    } else {
        p->state = S_H_NAME;
    }
    p->len = (uint16_t)(n + 1);
    return took(ev);
}

LEAF(leaf_h_start)
{
    size_t c = *data;
    unsigned id = t->name_first[c], n, h;
    /* a tchar (not NO_NAME): a fixed name's first, or any without an
     * application's names; within the limits, in a head */
    if (APP_NAMES ? id >= NO_NAME : id == NO_NAME) {
        n = p->len;
        if (c == '\r' && n < MOTE_HTTP_MAX_HEADER_BLOCK) {
            p->state = S_H_END_LF; /* the head's final CRLF */
            p->len = (uint16_t)(n + 1);
            return took(ev);
        }
        return start_other(p, data, t, ev);
    }
    n = p->len;
    h = p->nhdrs;
    if (n >= CAND_BELOW || h >= MOTE_HTTP_MAX_HEADERS ||
        (p->flags & MOTE_HTTP_PF_TRAILER))
        return start_other(p, data, t, ev);
    p->len = (uint16_t)(n + 1);
    p->pos = t->first_pos[c];
    p->id = (uint8_t)id;
    p->state = t->first_state[c];
    /* (GCC would merge the stores of id and nhdrs through a byte register
     * that it saves first) */
    __asm__("" ::: "memory");
    p->nhdrs = (uint8_t)(h + 1);
    return took(ev);
}

/* match(id, W_KW, pos, c) for a header name when word id, which agrees
 * with the name's first pos bytes, does not go on with c: the later words
 * that have c there are compared with it a few bytes at a time. */
__attribute__((noinline)) static unsigned next_name(unsigned id, unsigned pos,
                                                 unsigned c)
{
    const char *w = WORD(id);
    unsigned i;
    for (i = id + 1; i < W_KW; i++) {
        const char *x = WORD(i);
        if ((uint8_t)x[pos] == c && same_name((const uint8_t *)x, w, pos))
            return i;
    }
    return NONE;
}

/* A name's byte that its candidate does not go on with. */
HELPER LEAF(name_switch)
{
    unsigned pos = p->pos, id = next_name(p->id, pos, name_lc[*data]);
    unsigned n = p->len;
    p->id = (uint8_t)id;
    p->pos = (uint8_t)(pos + 1);
    p->len = (uint16_t)(n + 1);
    if (id == NONE) {
        p->state = S_H_UNKNOWN;
    } else if (n < CAND_BELOW) {
        /* len as after the name's first byte */
        p->pos = (uint8_t)(t->word_at[id] + pos + 1u);
        p->len = (uint16_t)(n + 1 - pos);
        p->state = S_H_CAND;
    }
    return took(ev);
}

/* A name's colon (name_colon(), with the tests the limit needs), a byte
 * that its candidate does not go on with, or an error. */
HELPER LEAF(name_other)
{
    unsigned n = p->len;
    if (n >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    if (*data != ':') {
        if (name_lc[*data] == NONE)
            return runs(p, data, 1, ev);
        return name_switch(p, data, t, ev); /* (id is not NONE) */
    }
    if (!name_colon(p))
        return runs(p, data, 1, ev); /* a second Content-Length or Host */
    p->len = (uint16_t)(n + 1);
    return took(ev);
}

LEAF(leaf_h_name)
{
    size_t id = p->id, pos = p->pos;
    unsigned c = name_lc[*data], n = p->len;
    if (n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        if (id == NONE) {
            if (c != NONE) { /* a skipped field's name */
                p->len = (uint16_t)(n + 1);
                return took(ev);
            }
        } else if (c == (uint8_t)NAME_BYTE(id, pos)) {
            p->pos = (uint8_t)(pos + 1);
            p->len = (uint16_t)(n + 1);
            return took(ev);
        }
    }
    return name_other(p, data, t, ev);
}

/* A candidate's byte that it does not go on with: as S_H_NAME. */
/* S_H_CAND back to S_H_NAME, as the byte machine knows it. */
static inline void cand_name(struct mote_http_parser *restrict p,
                             const struct leaf_tabs *restrict t)
{
    unsigned k = p->pos - t->word_at[p->id]; /* the name's bytes */
    p->pos = (uint8_t)k;
    p->len = (uint16_t)(p->len + k - 1u);
    p->state = S_H_NAME;
}

/* A byte that S_H_NAME's byte machine takes. */
HELPER LEAF(cand_runs)
{
    cand_name(p, t);
    return runs(p, data, 1, ev);
}

/* The colon after a candidate's whole name (name_colon()). */
HELPER LEAF(cand_colon)
{
    unsigned id = p->id, flags = p->flags;
    if (flags & t->name_dup[id])
        return cand_runs(p, data, t, ev); /* a second one */
    p->flags = (uint16_t)(flags | t->name_seen[id]);
    /* the name's bytes after its first, and the colon */
    p->len = (uint16_t)(p->len + p->pos - t->word_at[id]);
    p->id = (uint8_t)(id - W_NAMES);
    p->pos = 0;
    p->ws = 0;
    p->kw = t->name_state[id];
    p->state = S_H_OWS;
    return took(ev);
}

/* A byte that the candidate does not go on with, but its colon. */
HELPER LEAF(cand_other)
{
    cand_name(p, t);
    return name_other(p, data, t, ev);
}

/* A SP before a known field's value; any other byte goes to the value's
 * state, as the byte machine would have it. */
LEAF(leaf_h_ows)
{
    unsigned n = p->len, st;
    if (*data == ' ' && n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        IN_PLACE(p->len++);
        return took(ev);
    }
    st = p->kw;
    p->state = (uint8_t)st;
    return t->leaf[st](p, data, t, ev);
}

LEAF(leaf_h_cand)
{
    size_t pos = p->pos;
    unsigned c = *data, w = (uint8_t)t->name_words[pos];
    if (name_lc[c] == w) {
        IN_PLACE(p->pos++);
        return took(ev);
    }
    if (c == ':' && !w)
        return cand_colon(p, data, t, ev);
    return cand_other(p, data, t, ev);
}

/* The colon after a name without a candidate, or an error. */
HELPER LEAF(unknown_other)
{
    if (*data != ':' || p->len >= MOTE_HTTP_MAX_HEADER_BLOCK) {
        p->state = S_H_NAME; /* (as runs() knows it) */
        return runs(p, data, 1, ev);
    }
    p->len++;
    p->pos = 0;
    p->ws = 0;
    p->state = S_H_SKIP;
    return took(ev);
}

/* A name's byte when no candidate is left (S_H_UNKNOWN): a field that is
 * skipped. */
LEAF(leaf_h_unknown)
{
    unsigned n = p->len;
    if (name_lc[*data] != NONE && n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        IN_PLACE(p->len++);
        return took(ev);
    }
    return unknown_other(p, data, t, ev);
}

/* A skipped value's CR, or an error. */
HELPER LEAF(skip_other)
{
    if (*data != '\r' || p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    p->len++;
    p->state = S_H_LF;
    return took(ev);
}

LEAF(leaf_h_skip)
{
    size_t c = *data;
    unsigned n = p->len;
    if ((classes(c) & (1u << C_OWS | 1u << C_VCHAR)) &&
        n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        IN_PLACE(p->len++);
        return took(ev);
    }
    return skip_other(p, data, t, ev);
}

/* A delivered value's whitespace, a byte after held whitespace, or an
 * error (leaf_h_val takes the CR). */
HELPER LEAF(val_other)
{
    unsigned c = *data, n = p->len;
    if (n >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    if (classes(c) & 1u << C_OWS) {
        if (p->pos)
            p->ws++; /* held back: trailing whitespace is not delivered */
        p->len = (uint16_t)(n + 1);
        return took(ev);
    }
    if (!(classes(c) & 1u << C_VCHAR))
        return runs(p, data, 1, ev);
    /* a held space first, this byte left for the next call */
    p->ws--;
    ev->type = MOTE_HTTP_EV_FIELD;
    ev->ptr = (const uint8_t *)version;
    ev->len = 1;
    ev->last = 0;
    ev->id = p->id;
    return 0;
}

LEAF(leaf_h_val)
{
    size_t c = *data;
    /* len within its limit and no whitespace held, in one test (ws
     * follows len in the struct: one load) */
    uint32_t n = p->len | (uint32_t)p->ws << 16;
    if ((classes(c) & 1u << C_VCHAR) && n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        IN_PLACE(p->len++);
        p->pos = 1;
        ev->last = 0;
        ev->id = p->id;
        return took_span(ev, MOTE_HTTP_EV_FIELD, data);
    }
    if (c == '\r' && (uint16_t)n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        /* the end of the value: its final span, empty */
        p->state = S_H_LF;
        p->len = (uint16_t)(n + 1);
        ev->type = MOTE_HTTP_EV_FIELD;
        ev->ptr = data;
        ev->len = 0;
        ev->last = 1;
        ev->id = p->id;
        return 1;
    }
    return val_other(p, data, t, ev);
}

LEAF(leaf_h_lf)
{
    unsigned n = p->len;
    if (*data != '\n' || n >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    IN_PLACE(p->len++);
    p->state = S_H_START;
    return took(ev);
}

/* The LF that ends a head or a trailer, and S_HEAD after it but for its
 * errors. */
LEAF(leaf_h_end_lf)
{
    unsigned f = p->flags;
    if (*data == '\n' && p->len < MOTE_HTTP_MAX_HEADER_BLOCK &&
        (f & (MOTE_HTTP_PF_TRAILER | MOTE_HTTP_PF_TE | MOTE_HTTP_PF_HTTP11 |
              MOTE_HTTP_PF_HOST)) ==
            (MOTE_HTTP_PF_HTTP11 | MOTE_HTTP_PF_HOST)) {
        /* the common head: HTTP/1.1, Host, no chunked body (the LF is
         * not counted: nothing reads len after a head) */
        p->state = (f & MOTE_HTTP_PF_CL) ? S_BODY_LEN : S_BODY_NONE;
        ev->type = MOTE_HTTP_EV_HEAD;
        return 1;
    }
    if (*data != '\n' || p->len >= MOTE_HTTP_MAX_HEADER_BLOCK ||
        (f & (MOTE_HTTP_PF_TRAILER | MOTE_HTTP_PF_HTTP11 |
              MOTE_HTTP_PF_HOST)) == MOTE_HTTP_PF_HTTP11)
        return runs(p, data, 1, ev);
    if (f & MOTE_HTTP_PF_TRAILER) {
        mote_http_init(p);
        ev->type = MOTE_HTTP_EV_DONE;
        return 1;
    }
    if (f & MOTE_HTTP_PF_TE) {
        if ((f & (MOTE_HTTP_PF_CL | MOTE_HTTP_PF_HTTP11 |
                  MOTE_HTTP_PF_CHUNKED | MOTE_HTTP_PF_TE_OTHER)) !=
            (MOTE_HTTP_PF_HTTP11 | MOTE_HTTP_PF_CHUNKED))
            return runs(p, data, 1, ev);
        p->len = 0;
        p->pos = 0;
        p->state = S_CHUNK_SIZE;
    } else {
        p->len++;
        p->state = (f & MOTE_HTTP_PF_CL) ? S_BODY_LEN : S_BODY_NONE;
    }
    ev->type = MOTE_HTTP_EV_HEAD;
    return 1;
}

/* A list keyword's byte that its candidate does not go on with. */
HELPER LEAF(list_switch)
{
    unsigned pos = p->pos, kw = p->kw, id = p->id;
    if (pos == 0)
        kw = kw_at[id - 1];
    p->kw = (uint8_t)match(kw, kw_at[id], pos, name_lc[*data]);
    p->pos = (uint8_t)(pos + (pos < 254));
    p->len++;
    return took(ev);
}

/* A list value's byte that starts a keyword. */
HELPER LEAF(list_start)
{
    unsigned pos = p->pos, kw = p->kw;
    if (pos == 255)
        return runs(p, data, 1, ev); /* no comma between tokens */
    if (pos == 0)
        kw = kw_at[p->id - 1];
    if (kw != NONE && (uint8_t)WORD(kw)[pos] != name_lc[*data])
        return list_switch(p, data, t, ev);
    p->kw = (uint8_t)kw;
    p->pos = (uint8_t)(pos + (pos < 254));
    p->len++;
    return took(ev);
}

/* A byte that ends a list element without an error, or a comma or CR
 * between elements. */
HELPER LEAF(list_end)
{
    unsigned c = *data, pos = p->pos, kw = p->kw;
    if (c != ',' && c != '\r' && !(classes(c) & 1u << C_OWS))
        return runs(p, data, 1, ev);
    if (pos - 1u < 254u) {
        /* an element ended */
        unsigned f = 0, id = p->id;
        if (kw != NONE && !WORD(kw)[pos])
            f = kw_flag[kw - W_KW];
        if (id == MOTE_HTTP_H_TRANSFER_ENCODING) {
            if (p->flags & MOTE_HTTP_PF_CHUNKED)
                return runs(p, data, 1, ev);
            if (!f)
                f = MOTE_HTTP_PF_TE_OTHER;
        } else if (id == MOTE_HTTP_H_EXPECT && !f) {
            return runs(p, data, 1, ev);
        }
        p->flags |= (uint16_t)f;
        p->pos = 255;
    }
    if (c == ',')
        p->pos = 0;
    else if (c == '\r')
        p->state = S_H_LF;
    p->len++;
    return took(ev);
}

/* A list value's byte other than one inside a keyword that keeps its
 * candidate. */
HELPER LEAF(list_other)
{
    unsigned c = *data, pos = p->pos;
    if (p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    if (name_lc[c] != NONE)
        return list_start(p, data, t, ev);
    if ((pos == 0 || pos == 255) && (classes(c) & 1u << C_OWS)) {
        p->len++; /* whitespace between elements */
        return took(ev);
    }
    return list_end(p, data, t, ev);
}

/* Inside a list keyword, a byte that keeps its candidate. */
LEAF(leaf_h_list)
{
    size_t pos = p->pos, kw = p->kw;
    if (pos - 1u < 253u && kw != NONE &&
        name_lc[*data] == (uint8_t)t->name_words[t->word_at[kw] + pos]) {
        unsigned n = p->len;
        if (n < MOTE_HTTP_MAX_HEADER_BLOCK) {
            IN_PLACE(p->pos++);
            p->len = (uint16_t)(n + 1);
            return took(ev);
        }
    }
    return list_other(p, data, t, ev);
}

/* Content-Length and chunk-size bytes, base 10 or 16, as the byte
 * machine's number parser takes them, but for errors and overflow. */
static inline size_t number_byte(struct mote_http_parser *restrict p,
                                 const uint8_t *data,
                                 const struct leaf_tabs *restrict t,
                                 struct mote_http_event *restrict ev,
                                 unsigned base)
{
    unsigned c = *data, d = hexval(c);
    if (p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    if (d < base && p->pos < 2) {
        uint64_t x = base == 10 ? (uint64_t)p->n * 10u + d
                                : (uint64_t)p->n << 4 | d;
        if (x >> 32)
            return runs(p, data, 1, ev); /* past 2^32 - 1 */
        p->n = (uint32_t)x;
        p->pos = 1;
    } else if (c == '\r' && p->pos) {
        p->state = base == 10 ? S_H_LF : S_CHUNK_LF;
    } else if (!(base == 10 && p->pos == 0 && (classes(c) & 1u << C_OWS))) {
        return runs(p, data, 1, ev);
    }
    p->len++;
    return took(ev);
}

/* A Content-Length byte other than a digit within the number's range. */
HELPER LEAF(cl_other)
{
    return number_byte(p, data, t, ev, 10);
}

LEAF(leaf_h_cl)
{
    unsigned d = *data - 48u, n = p->len;
    uint32_t v = p->n;
    if (d < 10u && p->pos < 2 && v < 429496729u &&
        n < MOTE_HTTP_MAX_HEADER_BLOCK) {
        p->n = v * 10u + d; /* (less than 2^32 - 1: no overflow) */
        p->pos = 1;
        p->len = (uint16_t)(n + 1);
        return took(ev);
    }
    return cl_other(p, data, t, ev);
}

/* A chunk-size byte other than a hex digit within the number's range. */
HELPER LEAF(chunk_other)
{
    return number_byte(p, data, t, ev, 16);
}

LEAF(leaf_chunk_size)
{
    unsigned d = t->hex_of[*data] - 1u; /* (16 and up: none) */
    if (d < 16u) {
        uint32_t v = p->n;
        unsigned n = p->len;
        if (p->pos < 2 && v >> 28 == 0 && n < MOTE_HTTP_MAX_HEADER_BLOCK) {
            p->n = v << 4 | d;
            p->pos = 1;
            p->len = (uint16_t)(n + 1);
            return took(ev);
        }
    } else if (*data == '\r' && p->pos == 1) { /* the size's end */
        unsigned n = p->len;
        if (n < MOTE_HTTP_MAX_HEADER_BLOCK) {
            p->state = S_CHUNK_LF;
            p->len = (uint16_t)(n + 1);
            return took(ev);
        }
    }
    return chunk_other(p, data, t, ev);
}

LEAF(leaf_chunk_lf)
{
    if (*data != '\n' || p->len >= MOTE_HTTP_MAX_HEADER_BLOCK)
        return runs(p, data, 1, ev);
    p->len++;
    chunk_end(p); /* S_CHUNK_END, which needs no byte */
    return took(ev);
}

LEAF(leaf_data_cr)
{
    if (*data != '\r')
        return runs(p, data, 1, ev);
    p->state = S_DATA_LF;
    return took(ev);
}

LEAF(leaf_data_lf)
{
    if (*data != '\n')
        return runs(p, data, 1, ev);
    p->len = 0;
    p->pos = 0;
    p->state = S_CHUNK_SIZE;
    return took(ev);
}

/* A body byte (ev->last and ev->id mean nothing for BODY). */
LEAF(leaf_body)
{
    uint32_t n = p->n;
    if (!n)
        return runs(p, data, 1, ev);
    IN_PLACE(p->n--);
    return took_span(ev, MOTE_HTTP_EV_BODY, data);
}

LEAF(leaf_chunk_data)
{
    uint32_t n = p->n;
    if (!n)
        return leaf_data_cr(p, data, t, ev); /* the CR after the data */
    IN_PLACE(p->n--);
    return took_span(ev, MOTE_HTTP_EV_BODY, data);
}

/* runs() for a byte that no handler takes in its state. */
LEAF(leaf_runs)
{
    return runs(p, data, 1, ev);
}

#undef classes
#define classes(c) ((unsigned)lt.class_of[c])
/* a header's word index, for the tables by word */
#define BY_WORD(id) W_NAMES + MOTE_HTTP_H_##id
#define APP_VALUE_STATE(id, name) [BY_WORD(id)] = S_H_VAL,
static const struct leaf_tabs lt = {
    /* every state has its entry: leaf_runs where no byte is plain */
    {
        [S_START] = leaf_start,
        [S_TARGET_START] = leaf_target_start,
        [S_TARGET] = leaf_target,
        [S_ABS] = leaf_runs,
        [S_START_LF] = leaf_runs,
        [S_H_START] = leaf_h_start,
        [S_H_NAME] = leaf_h_name,
        [S_H_SKIP] = leaf_h_skip,
        [S_H_VAL] = leaf_h_val,
        [S_H_LIST] = leaf_h_list,
        [S_H_CL] = leaf_h_cl,
        [S_H_LF] = leaf_h_lf,
        [S_H_END_LF] = leaf_h_end_lf,
        [S_CHUNK_SIZE] = leaf_chunk_size,
        [S_CHUNK_LF] = leaf_chunk_lf,
        [S_DATA_LF] = leaf_data_lf,
        [S_METHOD] = leaf_method,
        [S_VERSION] = leaf_version,
        [S_DATA_CR] = leaf_data_cr,
        [S_HEAD] = leaf_runs,
        [S_CHUNK_END] = leaf_runs,
        [S_BODY_LEN] = leaf_body,
        [S_BODY_NONE] = leaf_runs,
        [S_CHUNK_DATA] = leaf_chunk_data,
        [S_ERROR] = leaf_runs,
        [S_H_UNKNOWN] = leaf_h_unknown,
        [S_H_CAND] = leaf_h_cand,
        [S_METHOD_AT] = leaf_method_at,
        [S_H_OWS] = leaf_h_ows,
    },
    CLASS_OF,
    HEX_DIGITS,
    B256(LOWER),
    B256(METHOD_OF),
    B256(FIRST_OF),
    B256(FIRST_POS),
    B256(FIRST_STATE),
    VERSION_PLAIN,
    WORD_AT,
    WORDS,
    {[BY_WORD(CONTENT_LENGTH)] = MOTE_HTTP_PF_CL,
     [BY_WORD(TRANSFER_ENCODING)] = MOTE_HTTP_PF_TE,
     [BY_WORD(HOST)] = MOTE_HTTP_PF_HOST},
    {[BY_WORD(CONTENT_LENGTH)] = MOTE_HTTP_PF_CL,
     [BY_WORD(HOST)] = MOTE_HTTP_PF_HOST},
    {[BY_WORD(CONTENT_LENGTH)] = S_H_CL,
     [BY_WORD(TRANSFER_ENCODING)] = S_H_LIST,
     [BY_WORD(CONNECTION)] = S_H_LIST, [BY_WORD(EXPECT)] = S_H_LIST,
     [BY_WORD(HOST)] = S_H_VAL, [BY_WORD(CONTENT_TYPE)] = S_H_VAL,
     [BY_WORD(ACCEPT_ENCODING)] = S_H_VAL, [BY_WORD(IF_NONE_MATCH)] = S_H_VAL,
     MOTE_HTTP_APP_HEADERS(APP_VALUE_STATE)},
};

/* Calls with more than one byte, by state: what each may start with
 * (everything else goes to runs()). */
__attribute__((noinline)) static size_t
more_h_start(struct mote_http_parser *restrict p, const uint8_t *data,
             size_t len, struct mote_http_event *restrict ev)
{
    if (*data == '\r')
        return head_end(p, data, len, ev);
    return fields(p, data, len, ev);
}

/* body bytes: one span, as many as are owed (last and id mean nothing
 * for a body span) */
__attribute__((noinline)) static size_t
more_body(struct mote_http_parser *restrict p, const uint8_t *data,
          size_t len, struct mote_http_event *restrict ev)
{
    size_t k = len < p->n ? len : p->n;
    if (!k) /* the CR after a chunk's data, or bytes after a body */
        return p->state == S_CHUNK_DATA ? chunk(p, data, len, ev)
                                        : runs(p, data, len, ev);
    p->n -= (uint32_t)k;
    ev->type = MOTE_HTTP_EV_BODY;
    ev->ptr = data;
    ev->len = k;
    return k;
}

__attribute__((noinline)) static size_t
more_chunk_size(struct mote_http_parser *restrict p, const uint8_t *data,
                size_t len, struct mote_http_event *restrict ev)
{
    if (!p->pos)
        return chunk(p, data, len, ev);
    return runs(p, data, len, ev);
}

typedef size_t more_fn(struct mote_http_parser *restrict p,
                       const uint8_t *data, size_t len,
                       struct mote_http_event *restrict ev);
static more_fn *const more[S_LEAF_STATES] = {
    [S_START] = start_line,
    [S_TARGET_START] = runs,
    [S_TARGET] = runs,
    [S_ABS] = runs,
    [S_START_LF] = runs,
    [S_H_START] = more_h_start,
    [S_H_NAME] = runs,
    [S_H_SKIP] = runs,
    [S_H_VAL] = runs,
    [S_H_LIST] = runs,
    [S_H_CL] = runs,
    [S_H_LF] = fields,
    [S_H_END_LF] = runs,
    [S_CHUNK_SIZE] = more_chunk_size,
    [S_CHUNK_LF] = runs,
    [S_DATA_LF] = runs,
    [S_METHOD] = runs,
    [S_VERSION] = runs,
    [S_DATA_CR] = chunk,
    [S_HEAD] = runs,
    [S_CHUNK_END] = runs,
    [S_BODY_LEN] = more_body,
    [S_BODY_NONE] = runs,
    [S_CHUNK_DATA] = more_body,
    [S_ERROR] = runs,
    [S_H_UNKNOWN] = runs,
    [S_H_CAND] = runs,
    [S_METHOD_AT] = runs,
    [S_H_OWS] = runs,
};

size_t mote_http_parse(struct mote_http_parser *p, const uint8_t *data,
                       size_t len, struct mote_http_event *ev)
{
    unsigned st = p->state;
    if (len == 1) {
        const struct leaf_tabs *t = &lt;
        return t->leaf[st](p, data, t, ev);
    }
    if (len > 1) /* (the flags of the test above) */
        return more[st](p, data, len, ev);
    if (st == S_BODY_NONE || (st == S_BODY_LEN && p->n == 0)) {
        /* the call that reports the end of a request (not a span: the
         * type alone means something) */
        mote_http_init(p);
        ev->type = MOTE_HTTP_EV_DONE;
        return 0;
    }
    return runs(p, data, len, ev);
}
#endif /* SPEED */
