/*
 * http_parser.c - streaming HTTP/1.1 request parser (rules in http_parser.h).
 *
 * One switch over the state (parse_slow); the states that see most bytes
 * (target, header names and values, body) run tight inner loops over the
 * caller's bytes, and mote_http_parse() runs those loops first, so a call
 * that only continues such a run (one byte per call, say) stays short.
 * Limits are checked lazily: bytes of the bounded element are added up when
 * the call leaves the element or returns, and the limit is compared before
 * any event or error is reported, so the outcome is the one a byte-at-a-time
 * feed gives.
 */
#include "mote/http_parser.h"

enum {
    S_START,        /* before the request line; leading CRLFs skipped */
    S_START_LF,
    S_METHOD,
    S_TARGET_START,
    S_TARGET,       /* path and query; pos: 1 or 2 inside %XX */
    S_ABS_SCHEME,   /* absolute-form scheme, ":" and "//" (pos) */
    S_ABS_AUTH,     /* absolute-form authority; pos 1 once non-empty */
    S_ASTERISK,
    S_VERSION,      /* pos: offset in "HTTP/x.y" */
    S_RL_LF,
    S_H_START,      /* start of a field line or of the final CRLF */
    S_H_NAME,
    S_H_OWS,
    S_H_SKIP,
    S_H_VAL,        /* delivered value */
    S_H_VAL_WS,     /* whitespace inside a delivered value; ws counts it */
    S_H_CL,
    S_H_CL_OWS,
    S_H_LIST,       /* token list; pos 0 between, 1..254 in, 255 after */
    S_H_LF,
    S_H_END_LF,
    S_BODY_NONE,
    S_BODY_LEN,
    S_CHUNK_SIZE,   /* pos 1 once a digit is seen */
    S_CHUNK_EXT,    /* pos 2: BWS before ";", 3: extension */
    S_CHUNK_SIZE_LF,
    S_CHUNK_DATA,
    S_CHUNK_DATA_CR,
    S_CHUNK_DATA_LF,
    S_ERROR
};

#define NONE 0xFFu

/* Character classes; bytes >= 0x80 have none (256 entries: no range check
 * in the hot loops). */
#define C_TCHAR 0x01u  /* RFC 9110 token */
#define C_PATH 0x02u   /* pchar, "/", "?" (RFC 3986), "%" excluded */
#define C_HEX 0x04u
#define C_AUTH 0x08u   /* authority: unreserved sub-delims : @ [ ] % */
#define C_SCHEME 0x10u /* ALPHA DIGIT + - . */

static const uint8_t cls[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x01,
    0x0b, 0x09, 0x0b, 0x0b, 0x0a, 0x0a, 0x0b, 0x1b, 0x0a, 0x1b, 0x1b, 0x02,
    0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x0a, 0x0a,
    0x00, 0x0a, 0x00, 0x02, 0x0a, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1b,
    0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b,
    0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x08, 0x00, 0x08, 0x01, 0x0b,
    0x01, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1f, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b,
    0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b,
    0x1b, 0x1b, 0x1b, 0x00, 0x01, 0x00, 0x0b, 0x00,
};

static inline unsigned is(unsigned c, unsigned k)
{
    return cls[c & 0xFFu] & k;
}

/* field-vchar or obs-text: what a value holds besides SP and HTAB. */
static inline unsigned is_vchar(unsigned c)
{
    return (uint8_t)(c - 0x21u) < 0x5Eu || c >= 0x80u;
}

static const char methods[MOTE_HTTP_METHOD_COUNT][8] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
};

static const char *const names[MOTE_HTTP_H_COUNT] = {
    "content-length", "transfer-encoding", "connection", "expect", "host",
    "content-type", "accept-encoding", "if-none-match",
#define MOTE_HTTP_H_APP_NAME(id, name) name,
    MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_NAME)
#undef MOTE_HTTP_H_APP_NAME
};

/* Keywords of the list-valued fields. */
enum { KW_CHUNKED, KW_CLOSE, KW_KEEPALIVE, KW_CONTINUE };
static const char *const keywords[] = {
    "chunked", "close", "keep-alive", "100-continue",
};

/* Delivered for whitespace held across calls, and for HTAB in values. */
static const uint8_t spaces[17] = "                "; /* 16 and a NUL */

/* 1 when a and b agree on their first n bytes (stops at a NUL of a). */
static int same_prefix(const char *a, const char *b, unsigned n)
{
    while (n && *a && *a == *b)
        a++, b++, n--;
    return n == 0;
}

/* The first method, or header name after `cur`, that agrees with the bytes
 * matched so far (the first pos bytes of the candidate `cur`) followed by c.
 * The candidate is always the smallest index that agrees, so this runs on
 * mismatches only and never needs to look back at the input. */
static unsigned next_method(unsigned cur, unsigned pos, unsigned c)
{
    for (unsigned j = 0; j < MOTE_HTTP_METHOD_COUNT; j++)
        if ((pos == 0 || same_prefix(methods[j], methods[cur], pos)) &&
            (uint8_t)methods[j][pos] == c)
            return j;
    return NONE;
}

static unsigned next_name(unsigned cur, unsigned pos, unsigned c)
{
    for (unsigned j = cur == NONE ? 0 : cur + 1; j < MOTE_HTTP_H_COUNT; j++)
        if ((pos == 0 || same_prefix(names[j], names[cur], pos)) &&
            (uint8_t)names[j][pos] == c)
            return j;
    return NONE;
}

/* The smallest name index starting with c: a switch for the built-in names,
 * the table for the application's (after them). */
static unsigned first_name(unsigned c)
{
    switch (c) {
    case 'c':
        return MOTE_HTTP_H_CONTENT_LENGTH;
    case 't':
        return MOTE_HTTP_H_TRANSFER_ENCODING;
    case 'e':
        return MOTE_HTTP_H_EXPECT;
    case 'h':
        return MOTE_HTTP_H_HOST;
    case 'a':
        return MOTE_HTTP_H_ACCEPT_ENCODING;
    case 'i':
        return MOTE_HTTP_H_IF_NONE_MATCH;
    default:
        return next_name(MOTE_HTTP_H_IF_NONE_MATCH, 0, c);
    }
}

/* The first byte from s on that is not 0x20..0x7E, or end: a word at a
 * time, since most of a request is such text (header values). The word test
 * is exact as a whole: some byte < 0x20, or some byte >= 0x7F. */
static inline const uint8_t *skip_text(const uint8_t *s, const uint8_t *end)
{
    const size_t ones = (size_t)-1 / 255;
    size_t w;
    while ((size_t)(end - s) >= sizeof w) {
        __builtin_memcpy(&w, s, sizeof w);
        if ((((w - ones * 0x20u) & ~w) | w | (w + ones)) & ones * 0x80u)
            break;
        s += sizeof w;
    }
    while (s != end && (uint8_t)(*s - 0x20u) < 0x5Fu)
        s++;
    return s;
}

static int hexval(unsigned c)
{
    if (c - '0' < 10u)
        return (int)(c - '0');
    c |= 0x20u;
    if (c - 'a' < 6u)
        return (int)(c - 'a' + 10);
    return -1;
}

void mote_http_init(struct mote_http_parser *p)
{
    static const struct mote_http_parser zero;
    *p = zero;
}

/* Which bounded element a state belongs to, for the lazy length check. */
enum { PH_NONE, PH_TARGET, PH_HEADERS, PH_CHUNK_LINE };

static const uint8_t phases[S_ERROR + 1] = {
    [S_START] = PH_TARGET,         [S_START_LF] = PH_TARGET,
    [S_TARGET_START] = PH_TARGET,  [S_TARGET] = PH_TARGET,
    [S_ABS_SCHEME] = PH_TARGET,    [S_ABS_AUTH] = PH_TARGET,
    [S_ASTERISK] = PH_TARGET,      [S_H_START] = PH_HEADERS,
    [S_H_NAME] = PH_HEADERS,       [S_H_OWS] = PH_HEADERS,
    [S_H_SKIP] = PH_HEADERS,       [S_H_VAL] = PH_HEADERS,
    [S_H_VAL_WS] = PH_HEADERS,     [S_H_CL] = PH_HEADERS,
    [S_H_CL_OWS] = PH_HEADERS,     [S_H_LIST] = PH_HEADERS,
    [S_H_LF] = PH_HEADERS,         [S_H_END_LF] = PH_HEADERS,
    [S_CHUNK_SIZE] = PH_CHUNK_LINE, [S_CHUNK_EXT] = PH_CHUNK_LINE,
    [S_CHUNK_SIZE_LF] = PH_CHUNK_LINE,
};

static unsigned phase_of(const struct mote_http_parser *p)
{
    return phases[p->state];
}

/* Add the bytes [from, to) to the bounded element of `phase`; 1 (with the
 * status to answer) when that takes it past its limit. */
static int account(struct mote_http_parser *p, unsigned phase,
                   const uint8_t *from, const uint8_t *to, unsigned *status)
{
    size_t total = (size_t)p->len + (size_t)(to - from);
    if (phase == PH_NONE)
        return 0;
    size_t lim = phase == PH_TARGET ? MOTE_HTTP_MAX_TARGET
                                    : MOTE_HTTP_MAX_HEADER_BLOCK;
    if (total > lim) {
        *status = phase == PH_TARGET    ? 414
                  : phase == PH_HEADERS ? 431
                                        : 400;
        return 1;
    }
    p->len = (uint16_t)total;
    return 0;
}

/* The whole state machine; mote_http_parse() handles the common cases of
 * the busiest states first and comes here for the rest, from s on. */
static size_t
parse_slow(struct mote_http_parser *p, const uint8_t *const data,
           const uint8_t *s, const uint8_t *const end,
           struct mote_http_event *ev)
{
    const uint8_t *mark = data; /* start of not yet counted bytes */
    const uint8_t *t;
    unsigned c, status = 400;

    ev->type = MOTE_HTTP_EV_NEED_MORE; /* ptr and len: set with spans */

/* Add the bytes since `mark` to the bounded element of the current state
 * (called before the state leaves it); fail past its limit. */
#define ACCOUNT()                                                          \
    do {                                                                   \
        if (account(p, phase_of(p), mark, s, &status))                     \
            goto fail;                                                     \
        mark = s;                                                          \
    } while (0)
/* status is 400 until a FAIL(code) or a limit changes it */
#define BAD() goto fail_at
#define FAIL(code)                                                         \
    do {                                                                   \
        status = (code);                                                   \
        goto fail_at;                                                      \
    } while (0)

    for (;;) {
        switch (p->state) {
        case S_START:
            if (s == end)
                goto out;
            if (*s == '\r') {
                s++;
                p->state = S_START_LF;
                break;
            }
            ACCOUNT(); /* method bytes are bounded by the match */
            p->state = S_METHOD;
            p->method = NONE;
            p->pos = 0;
            if (end - s >= 4) {
                uint32_t w, get;
                __builtin_memcpy(&w, s, 4);
                __builtin_memcpy(&get, "GET ", 4);
                if (w == get) {
                    p->method = MOTE_HTTP_GET;
                    p->pos = 3;
                    s += 3;
                }
            }
            goto method;
        case S_START_LF:
            if (s == end)
                goto out;
            if (*s != '\n')
                BAD();
            s++;
            p->state = S_START;
            break;
        case S_METHOD:
        method: {
            unsigned m = p->method, pos = p->pos;
            for (;;) {
                if (s == end) {
                    p->method = (uint8_t)m;
                    p->pos = (uint8_t)pos;
                    goto out;
                }
                c = *s;
                if (c == ' ')
                    break;
                if (m == NONE || (uint8_t)methods[m][pos] != c || !c) {
                    if (!is(c, C_TCHAR))
                        BAD();
                    m = next_method(m, pos, c);
                    if (m == NONE)
                        FAIL(501);
                }
                pos++;
                s++;
            }
            if (pos == 0)
                BAD();
            if (methods[m][pos] != 0)
                FAIL(501);
            p->method = (uint8_t)m;
            s++;
            mark = s;
            p->state = S_TARGET_START;
        }
            /* fall through */
        case S_TARGET_START:
            if (s == end)
                goto out;
            c = *s;
            p->pos = 0;
            if (c == '/') {
                p->state = S_TARGET;
            } else if (c == '*') {
                if (p->method != MOTE_HTTP_OPTIONS)
                    BAD();
                s++;
                p->state = S_ASTERISK;
                break;
            } else if (c < 128 && (cls[c] & C_SCHEME) && c > '9') {
                p->flags |= MOTE_HTTP_PF_ABSOLUTE;
                p->state = S_ABS_SCHEME;
                break;
            } else {
                BAD();
            }
            /* fall through */
        case S_TARGET: {
            unsigned pct = p->pos;
            t = s;
            for (;;) {
                if (s == end) {
                    p->pos = (uint8_t)pct;
                    if (s == t)
                        goto out;
                    ev->type = MOTE_HTTP_EV_TARGET;
                    ev->ptr = t;
                    ev->len = (size_t)(s - t);
                    goto out;
                }
                c = *s;
                if (pct) { /* inside %XX across a call boundary */
                    if (!is(c, C_HEX))
                        BAD();
                    pct = pct == 1 ? 2 : 0;
                    s++;
                    continue;
                }
                if (is(c, C_PATH)) {
                    s++;
                    continue;
                }
                if (c == '%') {
                    if (end - s >= 3) {
                        /* fail at the offending byte, as a byte-wise feed
                         * would: the bytes before it count toward 414 */
                        if (!is(*++s, C_HEX) || !is(*++s, C_HEX))
                            BAD();
                        s++;
                    } else {
                        pct = 1;
                        s++;
                    }
                    continue;
                }
                if (c != ' ')
                    BAD();
                break;
            }
            p->pos = 0;
            ev->type = MOTE_HTTP_EV_TARGET;
            ev->ptr = t;
            ev->len = (size_t)(s - t);
            ev->last = 1;
            ACCOUNT();
            s++;
            p->state = S_VERSION;
            goto out;
        }
        case S_ASTERISK:
            if (s == end)
                goto out;
            if (*s != ' ')
                BAD();
            ev->ptr = (const uint8_t *)"*";
            goto target_const;
        case S_ABS_SCHEME:
            /* scheme ":" "//": pos 0 scheme, 1 and 2 the slashes */
            for (;;) {
                if (s == end)
                    goto out;
                c = *s;
                if (p->pos == 0) {
                    if (c == ':')
                        p->pos = 1;
                    else if (!is(c, C_SCHEME))
                        BAD();
                } else if (c != '/') {
                    BAD();
                } else if (++p->pos == 3) {
                    s++;
                    p->pos = 0;
                    p->state = S_ABS_AUTH;
                    break;
                }
                s++;
            }
            /* fall through */
        case S_ABS_AUTH:
            for (;;) {
                if (s == end)
                    goto out;
                c = *s;
                if (!is(c, C_AUTH))
                    break;
                p->pos = 1;
                s++;
            }
            if (p->pos == 0 || (c != '/' && c != '?' && c != ' '))
                BAD();
            p->pos = 0;
            if (c == '/') {
                p->state = S_TARGET;
                break;
            }
            /* no path: it is "/" (RFC 9112 3.2.2) */
            ev->ptr = (const uint8_t *)"/";
            if (c == '?') {
                p->state = S_TARGET;
                ev->type = MOTE_HTTP_EV_TARGET;
                ev->len = 1;
                ACCOUNT();
                goto out;
            }
        target_const:
            ev->type = MOTE_HTTP_EV_TARGET;
            ev->len = 1;
            ev->last = 1;
            ACCOUNT();
            s++;
            p->pos = 0;
            p->state = S_VERSION;
            goto out;
        case S_VERSION:
            if (p->pos == 0 && end - s >= 10 && s[8] == '\r' &&
                s[9] == '\n') {
                /* the whole version at once, as it usually comes */
                uint64_t w, v10, v11;
                __builtin_memcpy(&w, s, 8);
                __builtin_memcpy(&v10, "HTTP/1.0", 8);
                __builtin_memcpy(&v11, "HTTP/1.1", 8);
                if (w == v11 || w == v10) {
                    if (w == v11)
                        p->flags |= MOTE_HTTP_PF_HTTP11;
                    s += 10;
                    goto headers;
                }
            }
            for (;;) {
                unsigned pos = p->pos;
                if (s == end)
                    goto out;
                c = *s;
                if (pos < 5) {
                    if (c != (uint8_t)"HTTP/"[pos])
                        BAD();
                } else if (pos == 6) {
                    if (c != '.')
                        BAD();
                } else if (pos < 8) {
                    if (c - '0' > 9u)
                        BAD();
                    /* id and kw hold the digits until the CR */
                    if (pos == 5)
                        p->id = (uint8_t)c;
                    else
                        p->kw = (uint8_t)c;
                } else {
                    if (c != '\r')
                        BAD();
                    if (p->id != '1' || (p->kw != '0' && p->kw != '1'))
                        FAIL(505);
                    if (p->kw == '1')
                        p->flags |= MOTE_HTTP_PF_HTTP11;
                    s++;
                    p->state = S_RL_LF;
                    break;
                }
                p->pos = (uint8_t)(pos + 1);
                s++;
            }
            /* fall through */
        case S_RL_LF:
            if (s == end)
                goto out;
            if (*s != '\n')
                BAD();
            s++;
        headers:
            mark = s;
            p->len = 0;
            p->state = S_H_START;
            /* fall through */
        case S_H_START:
            if (s == end)
                goto out;
            c = *s;
            if (c == '\r') {
                s++;
                p->state = S_H_END_LF;
                break;
            }
            if (!is(c, C_TCHAR))
                BAD(); /* obs-fold, empty name, bare LF, controls */
            if (p->nhdrs >= MOTE_HTTP_MAX_HEADERS) /* before ++: no wrap */
                FAIL(431);
            p->nhdrs++;
            p->pos = 0;
            p->id = (p->flags & MOTE_HTTP_PF_TRAILER)
                        ? (uint8_t)NONE
                        : (uint8_t)first_name(c | 0x20u);
            p->state = S_H_NAME;
            /* fall through */
        case S_H_NAME: {
            unsigned id = p->id, pos = p->pos;
            while (id != NONE) {
                /* |0x20 lowercases exactly for names of a-z 0-9 "-" */
                const char *nm = names[id] + pos;
                t = s;
                while (s != end && (uint8_t)(*s | 0x20u) == (uint8_t)*nm)
                    s++, nm++;
                pos += (unsigned)(s - t);
                if (s == end || !is(*s, C_TCHAR))
                    break;
                id = next_name(id, pos, *s | 0x20u);
                if (id == NONE)
                    s++;
            }
            if (id == NONE)
                while (s != end && is(*s, C_TCHAR))
                    s++;
            if (s == end) {
                p->id = (uint8_t)id;
                p->pos = (uint8_t)pos;
                goto out;
            }
            if (*s != ':')
                BAD(); /* whitespace before the colon, or no colon */
            s++;
            if (id != NONE && names[id][pos] != 0)
                id = NONE;
            if (id == MOTE_HTTP_H_CONTENT_LENGTH) {
                if (p->flags & MOTE_HTTP_PF_CL)
                    BAD();
                p->flags |= MOTE_HTTP_PF_CL;
                p->n = 0;
            } else if (id == MOTE_HTTP_H_TRANSFER_ENCODING) {
                p->flags |= MOTE_HTTP_PF_TE;
            } else if (id == MOTE_HTTP_H_HOST) {
                if (p->flags & MOTE_HTTP_PF_HOST)
                    BAD();
                p->flags |= MOTE_HTTP_PF_HOST;
            }
            p->id = (uint8_t)id;
            p->pos = 0;
            p->state = S_H_OWS;
        }
            /* fall through */
        case S_H_OWS:
            while (s != end && (*s == ' ' || *s == '\t'))
                s++;
            if (s == end)
                goto out;
            switch (p->id) {
            case NONE:
                p->state = S_H_SKIP;
                goto h_skip;
            case MOTE_HTTP_H_CONTENT_LENGTH:
                p->state = S_H_CL;
                break;
            case MOTE_HTTP_H_TRANSFER_ENCODING:
            case MOTE_HTTP_H_CONNECTION:
            case MOTE_HTTP_H_EXPECT:
                p->state = S_H_LIST;
                break;
            default:
                p->ws = 0;
                p->state = S_H_VAL;
                break;
            }
            break;
        case S_H_SKIP:
        h_skip:
            for (;;) {
                s = skip_text(s, end);
                if (s == end)
                    goto out;
                c = *s;
                if ((uint8_t)(c - 0x20u) < 0x5Fu || c == '\t' || c >= 0x80) {
                    s++;
                    continue;
                }
                if (c != '\r')
                    BAD();
                s++;
                p->state = S_H_LF;
                break;
            }
            break;
        case S_H_VAL:
            t = s;
            for (;;) {
                while (s != end && is_vchar(*s))
                    s++;
                if (s == end)
                    goto val_span;
                c = *s;
                if (c == '\r') {
                    ev->last = 1;
                    p->state = S_H_LF;
                    goto val_span;
                }
                if (c == ' ') {
                    /* SP run inside the value and within this call: keep */
                    const uint8_t *q = s + 1;
                    while (q != end && *q == ' ')
                        q++;
                    if (q != end && is_vchar(*q)) {
                        s = q;
                        continue;
                    }
                } else if (c != '\t') {
                    BAD();
                }
                p->ws = 0;
                p->state = S_H_VAL_WS;
                if (s == t)
                    break;
                goto val_span;
            }
            break;
        val_span:
            ev->type = MOTE_HTTP_EV_FIELD;
            ev->id = p->id;
            ev->ptr = t;
            ev->len = (size_t)(s - t);
            if (ev->last)
                s++; /* the CR */
            if (ev->len == 0 && !ev->last)
                ev->type = MOTE_HTTP_EV_NEED_MORE;
            goto out;
        case S_H_VAL_WS: {
            unsigned ws = p->ws;
            while (s != end && (*s == ' ' || *s == '\t')) {
                s++;
                /* bounded by the header block, checked at ACCOUNT */
                if (ws < 0xFFFFu)
                    ws++;
            }
            p->ws = (uint16_t)ws;
            if (s == end)
                goto out;
            c = *s;
            ev->id = p->id;
            if (c == '\r') {
                s++;
                ev->type = MOTE_HTTP_EV_FIELD;
                ev->ptr = spaces;
                ev->len = 0;
                ev->last = 1;
                p->state = S_H_LF;
                goto out;
            }
            if (!is_vchar(c))
                BAD();
            if (ws == 0) {
                p->state = S_H_VAL;
                break;
            }
            c = ws < 16 ? ws : 16;
            p->ws = (uint16_t)(ws - c);
            ev->type = MOTE_HTTP_EV_FIELD;
            ev->ptr = spaces;
            ev->len = c;
            goto out;
        }
        case S_H_CL: {
            uint32_t n = p->n;
            for (;;) {
                if (s == end) {
                    p->n = n;
                    goto out;
                }
                c = (unsigned)*s - '0';
                if (c > 9)
                    break;
                if (n > (0xFFFFFFFFu - c) / 10)
                    FAIL(413);
                n = n * 10 + c;
                p->pos = 1;
                s++;
            }
            p->n = n;
            if (!p->pos)
                BAD(); /* empty, sign, or not a digit */
            p->state = S_H_CL_OWS;
        }
            /* fall through */
        case S_H_CL_OWS:
            while (s != end && (*s == ' ' || *s == '\t'))
                s++;
            if (s == end)
                goto out;
            if (*s != '\r')
                BAD(); /* a list, or bytes after the number */
            s++;
            p->state = S_H_LF;
            break;
        case S_H_LIST:
            for (;;) {
                unsigned pos = p->pos;
                if (s == end)
                    goto out;
                c = *s;
                if (is(c, C_TCHAR)) {
                    unsigned kw = p->kw;
                    if (pos == 255)
                        BAD(); /* "clo se": no comma between tokens */
                    c |= 0x20u;
                    if (pos == 0) {
                        kw = NONE;
                        if (p->id == MOTE_HTTP_H_TRANSFER_ENCODING)
                            kw = c == 'c' ? KW_CHUNKED : NONE;
                        else if (p->id == MOTE_HTTP_H_CONNECTION)
                            kw = c == 'c'   ? KW_CLOSE
                                 : c == 'k' ? KW_KEEPALIVE
                                            : NONE;
                        else
                            kw = c == '1' ? KW_CONTINUE : NONE;
                    }
                    if (kw != NONE && (uint8_t)keywords[kw][pos] != c)
                        kw = NONE;
                    p->kw = (uint8_t)kw;
                    p->pos = (uint8_t)(pos < 254 ? pos + 1 : 254);
                    s++;
                    continue;
                }
                if (pos != 0 && pos != 255) {
                    /* an element ended: act on it */
                    unsigned kw = p->kw;
                    unsigned hit = kw != NONE && keywords[kw][pos] == 0;
                    if (p->id == MOTE_HTTP_H_TRANSFER_ENCODING) {
                        if (p->flags & MOTE_HTTP_PF_CHUNKED)
                            BAD(); /* a coding after chunked */
                        p->flags |= hit ? MOTE_HTTP_PF_CHUNKED
                                        : MOTE_HTTP_PF_TE_OTHER;
                    } else if (p->id == MOTE_HTTP_H_CONNECTION) {
                        if (hit)
                            p->flags |= kw == KW_CLOSE
                                            ? MOTE_HTTP_PF_CLOSE
                                            : MOTE_HTTP_PF_KEEPALIVE;
                    } else {
                        if (!hit)
                            FAIL(417);
                        p->flags |= MOTE_HTTP_PF_EXPECT;
                    }
                    p->pos = 255;
                }
                if (c == ',') {
                    p->pos = 0;
                } else if (c == '\r') {
                    s++;
                    p->state = S_H_LF;
                    break;
                } else if (c != ' ' && c != '\t') {
                    if (c == ';' && p->id == MOTE_HTTP_H_TRANSFER_ENCODING)
                        FAIL(501); /* transfer parameters */
                    if ((c == ';' || c == '=') && p->id == MOTE_HTTP_H_EXPECT)
                        FAIL(417);
                    BAD();
                }
                s++;
            }
            break;
        case S_H_LF:
            if (s == end)
                goto out;
            if (*s != '\n')
                BAD(); /* bare CR */
            s++;
            p->state = S_H_START;
            break;
        case S_H_END_LF: {
            unsigned f = p->flags;
            if (s == end)
                goto out;
            if (*s != '\n')
                BAD();
            s++;
            ACCOUNT();
            if (f & MOTE_HTTP_PF_TRAILER) {
                p->state = S_BODY_NONE;
                break;
            }
            if ((f & MOTE_HTTP_PF_HTTP11) && !(f & MOTE_HTTP_PF_HOST))
                BAD();
            if (f & MOTE_HTTP_PF_TE) {
                if (f & MOTE_HTTP_PF_CL)
                    BAD();
                if (!(f & MOTE_HTTP_PF_HTTP11))
                    BAD();
                if (!(f & MOTE_HTTP_PF_CHUNKED))
                    BAD();
                if (f & MOTE_HTTP_PF_TE_OTHER)
                    FAIL(501);
                p->state = S_CHUNK_SIZE;
                p->n = 0;
                p->pos = 0;
                p->len = 0;
            } else if (f & MOTE_HTTP_PF_CL) {
                p->state = S_BODY_LEN;
            } else {
                p->state = S_BODY_NONE;
            }
            ev->type = MOTE_HTTP_EV_HEAD;
            goto out;
        }
        case S_BODY_NONE:
            mote_http_init(p);
            ev->type = MOTE_HTTP_EV_DONE;
            goto out;
        case S_BODY_LEN:
            if (p->n == 0) {
                p->state = S_BODY_NONE;
                break;
            }
            if (s == end)
                goto out;
            ev->type = MOTE_HTTP_EV_BODY;
            ev->ptr = s;
            ev->len = (size_t)(end - s) < p->n ? (size_t)(end - s) : p->n;
            p->n -= (uint32_t)ev->len;
            s += ev->len;
            goto out;
        case S_CHUNK_SIZE: {
            uint32_t n = p->n;
            int h;
            for (;;) {
                if (s == end) {
                    p->n = n;
                    goto out;
                }
                h = hexval(*s);
                if (h < 0)
                    break;
                if (n > 0x0FFFFFFFu)
                    FAIL(413);
                n = n << 4 | (uint32_t)h;
                p->pos = 1;
                s++;
            }
            p->n = n;
            if (!p->pos)
                BAD();
            c = *s;
            if (c == '\r') {
                s++;
                p->state = S_CHUNK_SIZE_LF;
                break;
            }
            p->pos = 2;
            p->state = S_CHUNK_EXT;
        }
            /* fall through */
        case S_CHUNK_EXT:
            for (;;) {
                if (s == end)
                    goto out;
                c = *s;
                if (c == '\r')
                    break;
                if (c == ';')
                    p->pos = 3;
                else if (c != ' ' && c != '\t' &&
                         (p->pos != 3 || !is_vchar(c)))
                    BAD();
                s++;
            }
            s++;
            p->state = S_CHUNK_SIZE_LF;
            /* fall through */
        case S_CHUNK_SIZE_LF:
            if (s == end)
                goto out;
            if (*s != '\n')
                BAD();
            s++;
            ACCOUNT();
            if (p->n == 0) {
                /* the trailer section, bounded like a header block */
                p->flags |= MOTE_HTTP_PF_TRAILER;
                p->nhdrs = 0;
                p->len = 0;
                p->state = S_H_START;
            } else {
                p->state = S_CHUNK_DATA;
            }
            break;
        case S_CHUNK_DATA:
            if (p->n == 0) {
                p->state = S_CHUNK_DATA_CR;
                break;
            }
            if (s == end)
                goto out;
            ev->type = MOTE_HTTP_EV_BODY;
            ev->ptr = s;
            ev->len = (size_t)(end - s) < p->n ? (size_t)(end - s) : p->n;
            p->n -= (uint32_t)ev->len;
            s += ev->len;
            goto out;
        case S_CHUNK_DATA_CR:
            if (s == end)
                goto out;
            if (*s != '\r')
                BAD();
            s++;
            p->state = S_CHUNK_DATA_LF;
            /* fall through */
        case S_CHUNK_DATA_LF:
            if (s == end)
                goto out;
            if (*s != '\n')
                BAD();
            s++;
            mark = s;
            p->len = 0;
            p->pos = 0;
            p->n = 0;
            p->state = S_CHUNK_SIZE;
            break;
        default: /* S_ERROR */
            ev->type = MOTE_HTTP_EV_ERROR;
            ev->status = (uint16_t)p->n;
            return 0;
        }
    }

out:
    ACCOUNT();
    return (size_t)(s - data);

fail_at:
    /* bytes before the offending one may already exceed the limit */
    (void)account(p, phase_of(p), mark, s, &status);
fail:
    p->state = S_ERROR;
    p->n = status;
    ev->type = MOTE_HTTP_EV_ERROR;
    ev->status = (uint16_t)status;
    ev->ptr = NULL;
    ev->len = 0;
    ev->last = 0;
    return (size_t)(s - data);
#undef ACCOUNT
#undef FAIL
}

/*
 * The busiest states, done without the full machine: a run of header name
 * or value bytes, target bytes or body bytes that reaches the end of the
 * input is consumed here, so feeding one byte per call stays cheap. Anything
 * else (an event, a delimiter, a limit) goes to parse_slow().
 */
size_t mote_http_parse(struct mote_http_parser *p, const uint8_t *data,
                       size_t len, struct mote_http_event *ev)
{
    const uint8_t *s = data;
    const uint8_t *const end = data + len;
    size_t total;

    ev->last = 0;
    switch (p->state) {
    case S_H_SKIP:
        s = skip_text(s, end);
        if (s != end)
            break;
    header_bytes:
        total = (size_t)p->len + len;
        if (total > MOTE_HTTP_MAX_HEADER_BLOCK)
            break;
        p->len = (uint16_t)total;
        ev->type = MOTE_HTTP_EV_NEED_MORE;
        return len;
    case S_H_NAME:
        if (p->id != NONE)
            break;
        while (s != end && is(*s, C_TCHAR))
            s++;
        if (s != end)
            break;
        goto header_bytes;
    case S_H_VAL:
        while (s != end && is_vchar(*s))
            s++;
        if (s != end || len == 0) {
            s = data; /* the span starts at data: let parse_slow cut it */
            break;
        }
        total = (size_t)p->len + len;
        if (total > MOTE_HTTP_MAX_HEADER_BLOCK)
            break;
        p->len = (uint16_t)total;
        ev->type = MOTE_HTTP_EV_FIELD;
        ev->id = p->id;
        ev->ptr = data;
        ev->len = len;
        return len;
    case S_TARGET:
        if (p->pos != 0)
            break;
        while (s != end && is(*s, C_PATH))
            s++;
        if (s != end || len == 0) {
            s = data;
            break;
        }
        total = (size_t)p->len + len;
        if (total > MOTE_HTTP_MAX_TARGET)
            break;
        p->len = (uint16_t)total;
        ev->type = MOTE_HTTP_EV_TARGET;
        ev->ptr = data;
        ev->len = len;
        return len;
    case S_BODY_NONE:
        mote_http_init(p);
        ev->type = MOTE_HTTP_EV_DONE;
        ev->len = 0;
        return 0;
    case S_BODY_LEN:
    case S_CHUNK_DATA:
        if (p->n == 0 || len == 0)
            break;
        ev->type = MOTE_HTTP_EV_BODY;
        ev->ptr = data;
        ev->len = len < p->n ? len : p->n;
        p->n -= (uint32_t)ev->len;
        return ev->len;
    default:
        break;
    }
    return parse_slow(p, data, s, end, ev);
}
