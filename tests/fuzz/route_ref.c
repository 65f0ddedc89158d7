/*
 * route_ref.c - the router's previous matching engine (one best candidate,
 * the path regenerated and every route run over it when the candidate
 * fails), kept as a reference: fuzz_route_diff.c checks that the engine in
 * src/route.c decides every target as this one does. Its exports are
 * renamed ref_*; the code is otherwise as it was, but for the query,
 * which it now keeps as it comes, as route.c does. Parameters are read by
 * route.c's own functions (same fields, same meaning of st, route, pos and
 * buf); the query by ref_query() below, written apart from mote_query():
 * the raw query cut into tokens first, then pairs.
 */
#define mote_route_table ref_route_table
#define mote_route_begin ref_route_begin
#define mote_route_feed ref_route_feed
#define mote_route_end ref_route_end
#include <string.h>

#include "mote/route.h"

/* Made by the linker around the section; weak so an application without
 * any route links and sees an empty table. */
extern const struct mote_route __start_mote_routes[] __attribute__((weak));
extern const struct mote_route __stop_mote_routes[] __attribute__((weak));
#define FIRST __start_mote_routes
#define LAST __stop_mote_routes

#define CAP MOTE_HTTP_PARAM_BUF
#define RM_METHOD 0x07u
/* flags >> 6: the rank (see scan()) of the candidate a scan chose, 0
 * before the first scan */
#define RM_SCAN 0xC0u
#define RM_BEST 0x80u /* rank 2 or 3: of the method, or GET for HEAD */

/* st: the dot-segment state of the path segment (0 at its start, 1 after
 * ".", 2 after "..", 4 otherwise), then these. 1 to 3 may not end the
 * path; 3 and 7 are the states before it. */
#define S_START 3  /* nothing fed yet */
#define S_CHOSEN 5 /* a route was chosen at "?": the query is kept */
#define S_DONE 6   /* mote_route_end() chose a route */
#define S_STAR 7   /* the target "*" */
/* Decided without a route, at "?" or at the end: the status less
 * ST_BASE, so that one addition gives any of them. Nothing more is fed.
 * For 204 and 405, pos holds the methods for Allow. */
#define ST_BASE 164u
#define S_204 (204 - ST_BASE)
#define S_400 (400 - ST_BASE)
#define S_404 (404 - ST_BASE)
#define S_405 (405 - ST_BASE)
#define S_414 (414 - ST_BASE)

/* step() results */
#define K_OK 1u
#define K_OVF 2u /* a capture would not fit: no match, but 414 */

const struct mote_route *mote_route_table(size_t *count)
{
    *count = (size_t)(LAST - FIRST);
    return FIRST;
}

void mote_route_begin(struct mote_route_match *m, enum mote_http_method method)
{
    /* field by field in memory order: merged into word stores */
    m->route = 0; /* only "/" to regenerate at the first scan */
    m->pos = 1;   /* every pattern and path starts with "/"; 0: no route */
    m->used = 0;
    m->dec = 0;
    m->st = S_START;
    m->flags = (uint8_t)(method & RM_METHOD);
}

/* Offset past the parameter or "*" at i (or of the NUL ending a malformed
 * pattern). */
static unsigned skip(const char *p, unsigned i)
{
    while (p[i] && p[i++] != '}' && p[i - 1] != '*')
        ;
    return i;
}

/* Match path byte c (0: the path ended) against pattern pat from r's
 * state; captures go to r->buf, each NUL-terminated. A parameter is open
 * while the pattern byte before pos is its "}" (or the "*"). Returns K_OK,
 * or 0 / K_OVF with r->pos and r->used unchanged. */
static unsigned step(struct mote_route_match *r, const char *pat, unsigned c)
{
    unsigned pos = r->pos, used = r->used;
    for (;;) {
        unsigned p = (uint8_t)pat[pos - 1];
        if (p == '}' || p == '*') {
            /* "*" takes everything, a parameter all but "/"; the byte it
             * does not take ends it with a NUL and must match what follows */
            unsigned x = c && (c != '/' || p == '*') ? c : 0;
            if (used >= CAP)
                return K_OVF;
            r->buf[used++] = (char)x; /* beyond r->used until we succeed */
            if (x)
                break;
        } else if (pat[pos] == '*' ||
                   (pat[pos] == '{' && c && c != '/')) {
            pos = skip(pat, pos);
            continue;
        }
        if ((uint8_t)pat[pos] != c)
            return 0;
        pos += c != 0;
        break;
    }
    r->pos = (uint8_t)pos;
    r->used = (uint8_t)used;
    return K_OK;
}

/* Run j (pattern jp) over the path so far, regenerated from m's
 * candidate, then c. */
static unsigned replay(const struct mote_route_match *m,
                       struct mote_route_match *j, const char *jp,
                       unsigned c)
{
    const char *pat = FIRST[m->route].pattern, *v = m->buf;
    unsigned i = 1, k, x;
    j->pos = 1;
    j->used = 0;
    while (i < m->pos) {
        x = (uint8_t)pat[i];
        if (x == '{' || x == '*') {
            /* its value, up to its NUL (or all of it while open) */
            if (v >= m->buf + m->used || !(x = (uint8_t)*v++)) {
                i = skip(pat, i);
                continue;
            }
        } else {
            i++;
        }
        if ((k = step(j, jp, x)) != K_OK)
            return k;
    }
    return step(j, jp, c);
}

/* Whether pattern a is more specific than b, both matching the same path:
 * compared byte by byte along it, a literal beats a parameter beats "*".
 * The patterns alone decide, as their parameters end at the same "/" of
 * the path. */
static int specific(const char *a, const char *b)
{
    unsigned i = 1, k = 1, x, y; /* both start with "/" */
    for (;;) {
        x = (uint8_t)a[i];
        y = (uint8_t)b[k];
        if (x != y)
            return y == '*' || (y == '{' && x != '*');
        if (!x || x == '*')
            return 0;
        if (x == '{') {
            i = skip(a, i);
            k = skip(b, k);
        } else {
            i++, k++;
        }
    }
}

/* Path byte c (0: the end). The candidate takes it if a scan chose it and
 * `need` holds (RM_SCAN within the path, RM_BEST at its end): routes only
 * drop out as the path grows, so the best of those that matched is still
 * the best of those that match, and when it is of the method no other can
 * change the outcome. Otherwise every route is run over the path so far
 * (regenerated from the candidate) and c, and the best becomes the
 * candidate: the request's method first, then GET for HEAD, then the most
 * specific, then the first in the table. Returns the methods that matched
 * and the best's rank (3 method, 2 GET for HEAD, 1 other) above, 0x300
 * when the candidate went on, 0 when no route matches. */
static unsigned scan(struct mote_route_match *m, unsigned c, unsigned need)
{
    struct mote_route_match j[2], *b = j;
    const struct mote_route *t, *bt = NULL;
    unsigned meth = m->flags & RM_METHOD, mask = 0, rk, brank = 0, ovf = 0;
    unsigned k, win, alt = meth == MOTE_HTTP_HEAD ? MOTE_HTTP_GET : 8; /* none */
    if (!m->pos) /* no route */
        return 0;
    if (m->flags & need && step(m, FIRST[m->route].pattern, c) == K_OK)
        return 0x300;
    for (t = FIRST; t < LAST; t++) {
        unsigned tm = mote_route_method(t);
        rk = 1 + 2 * (tm == meth) + (tm == alt);
        /* a route that cannot win is not run: the methods that match
         * matter only when none is of the method (brank 1 for a 405) */
        if (rk < brank)
            continue;
        win = rk > brank || specific(t->pattern, bt->pattern);
        if (!win && brank > 1)
            continue;
        k = replay(m, b, t->pattern, c);
        ovf |= k;
        if (k != K_OK)
            continue;
        mask |= 1u << tm;
        if (win) { /* its run is kept: the next go to the other j */
            brank = rk;
            bt = t;
            b = b == j ? j + 1 : j;
        }
    }
    if (!mask) {
        m->pos = 0;
        if (ovf >= K_OVF)
            m->st = S_414;
        return 0;
    }
    b = b == j ? j + 1 : j; /* the winner's run */
    m->flags = (uint8_t)((m->flags & ~RM_SCAN) | brank << 6);
    m->route = (uint16_t)(bt - FIRST);
    m->pos = b->pos;
    for (k = m->used = b->used; k--;)
        m->buf[k] = b->buf[k];
    return brank << 8 | mask;
}

/* The path ended (at "?" or the end of the target): decide. A route
 * chosen here gets state `chosen`. */
static void decide(struct mote_route_match *m, unsigned chosen)
{
    unsigned v = 0, st = m->st;
    if (st == S_STAR) {
        for (const struct mote_route *t = FIRST; t < LAST; t++)
            v |= 1u << mote_route_method(t);
        goto allow;
    }
    /* a "." or ".." segment, or nothing fed */
    if (st - 1u < 3u) {
        m->st = S_400;
        m->pos = 0; /* no Allow */
        return;
    }
    v = scan(m, 0, RM_BEST);
    if (!v) { /* no route (scan() may have found a 414) */
        if (m->st < S_204)
            m->st = S_404;
        return;
    }
    if (v >= 0x200) { /* rank 2 or 3: of the method, or GET for HEAD */
        m->st = (uint8_t)chosen;
        m->pos = m->used; /* where a query starts (at the end: none) */
        return;
    }
allow:
    if (v & 1u << MOTE_HTTP_GET)
        v |= 1u << MOTE_HTTP_HEAD;
    m->pos = (uint8_t)(v | 1u << MOTE_HTTP_OPTIONS);
    m->st = (m->flags & RM_METHOD) == MOTE_HTTP_OPTIONS ? S_204 : S_405;
}

/* The value of hex digit c ("A"-"F" and "a"-"f" are 0x41.. and 0x61..).
 * The escapes' syntax is the parser's: it refused a "%" not followed by
 * two hex digits. Fed here directly, another byte gives some value below
 * 16, and an escape cut short by the end is dropped. */
static unsigned hexval(unsigned c)
{
    return (c + 9u * (c >> 6)) & 15u;
}

unsigned mote_route_feed(struct mote_route_match *m, const uint8_t *s,
                         size_t n)
{
    while (n-- && m->st < S_204) {
        unsigned c = *s++;
        if (c - 0x21u > 0x7Eu - 0x21u)
            goto bad;
        if ((m->st | 4u) == S_STAR) { /* S_START or S_STAR */
            /* "/" starts the path; "*" for OPTIONS is the whole target */
            if (m->st == S_STAR)
                goto bad;
            if (c == '/') {
                m->st = 0;
                continue;
            }
            if (c != '*' || (m->flags & RM_METHOD) != MOTE_HTTP_OPTIONS)
                goto bad;
            m->st = S_STAR;
            continue;
        }
        if (m->st == S_CHOSEN) { /* the query, kept as it comes */
            if (m->used >= CAP) {
                m->st = S_414;
                m->pos = 0; /* no Allow */
            } else
                m->buf[m->used++] = (char)c;
            continue;
        }
        if (m->dec) {
            unsigned h = hexval(c);
            if (m->dec == 1) { /* the first digit: 0x10 + its value */
                m->dec = (uint8_t)(0x10u | h);
                continue;
            }
            c = (m->dec << 4 | h) - 0x100u;
            m->dec = 0;
            /* in the path, a byte the escape may not hide */
            if (c < 0x20u || c == 0x7Fu || c == '/')
                goto bad;
        } else if (c == '%') {
            m->dec = 1;
            continue;
        } else if (c == '?') {
            decide(m, S_CHOSEN);
            continue;
        }
        /* "." and ".." segments, plain or encoded */
        if (c == '/') {
            if (m->st - 1u < 2u)
                goto bad;
            m->st = 0;
        } else {
            m->st = (uint8_t)(c == '.' && m->st < 2 ? m->st + 1 : 4);
        }
        scan(m, c, RM_SCAN);
        continue;
bad:
        m->st = S_400;
        m->pos = 0; /* no Allow */
    }
    return m->st >= S_204 ? m->st + ST_BASE : 0;
}

void mote_route_end(struct mote_route_match *m, struct mote_route_result *r)
{
    unsigned st = m->st;
    if (st == S_CHOSEN) {
        m->st = S_DONE;
    } else if (st < S_204) {
        decide(m, S_DONE);
    }
    st = m->st;
    r->route = NULL;
    r->status = (uint16_t)(st + ST_BASE);
    r->allow = m->pos; /* 0 for the errors */
    if (st == S_DONE) {
        r->route = &FIRST[m->route];
        r->status = 0;
        r->allow = 0;
    }
}

/* mote_query()'s reference: the raw query (pos to used) decoded into
 * tokens, a decoded byte or 0x100 + a raw "&" or "=", then split into
 * pairs at "&" and each pair at its first "=". */
int ref_query(const struct mote_route_match *m, const char *key, char *out,
              size_t cap);
int ref_query(const struct mote_route_match *m, const char *key, char *out,
              size_t cap)
{
    unsigned tok[CAP + 1];
    size_t nt = 0, i = m->pos, len = m->used, start;
    if (m->st != S_DONE)
        return -1;
    while (i < len) {
        unsigned c = (uint8_t)m->buf[i++];
        if (c == '%' && len - i >= 2) {
            c = hexval((uint8_t)m->buf[i]) * 16 +
                hexval((uint8_t)m->buf[i + 1]);
            i += 2;
            if (c == 0)
                return -1; /* an encoded NUL: no key served */
        } else if (c == '+') {
            c = ' ';
        } else if (c == '&' || c == '=') {
            c += 0x100;
        }
        tok[nt++] = c;
    }
    tok[nt] = 0x100 + '&';
    for (start = 0; start < nt; ) {
        size_t end = start, eq, klen = strlen(key), j;
        while (tok[end] != 0x100 + '&')
            end++;
        for (eq = start; eq < end && tok[eq] != 0x100 + '='; eq++)
            ;
        if (end > start && eq - start == klen) {
            for (j = 0; j < klen && tok[start + j] == (uint8_t)key[j]; j++)
                ;
            if (j == klen) {
                size_t n = eq < end ? end - eq - 1 : 0;
                if (n + 1 > cap)
                    return -1;
                for (j = 0; j < n; j++)
                    out[j] = (char)(tok[eq + 1 + j] & 0xFFu);
                out[n] = 0;
                return (int)n;
            }
        }
        start = end + 1;
    }
    return -1;
}
