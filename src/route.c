/*
 * route.c - the compile-time route table and the streaming matcher
 * (rules in route.h).
 *
 * The matcher keeps one candidate route, its place in the pattern and what
 * it captured. The path seen so far is a function of the three (literal
 * bytes from the pattern, the rest from the captures), so when the
 * candidate fails the path is regenerated from them and the routes after
 * it are run over it: only the parameters need RAM, never the path. The
 * candidate is the first route in the table that matches so far, so a
 * route that failed is never run again; at the end of the path the routes
 * after it are run for the best and the methods. One step function serves
 * the candidate, the regenerated runs and the end of the path.
 */
#include "mote/route.h"

/* Made by the linker around the section; weak so an application without
 * any route links and sees an empty table. */
extern const struct mote_route __start_mote_routes[] __attribute__((weak));
extern const struct mote_route __stop_mote_routes[] __attribute__((weak));
#define FIRST __start_mote_routes
#define LAST __stop_mote_routes

#define CAP MOTE_HTTP_PARAM_BUF
#define RM_METHOD 0x07u
#define RM_OVF 0x40u   /* a route dropped out for want of room */

/* st: the dot-segment state of the path segment (0 at its start, 1 after
 * ".", 2 after "..", 4 otherwise), then these. 1 to 3 may not end the
 * path; 3 and 7 are the states before it. */
#define S_START 3  /* nothing fed yet */
#define S_DONE 6   /* a route was chosen (at "?": the query is kept) */
#define S_STAR 7   /* the target "*" */
/* Decided without a route, at "?" or at the end: the status less
 * ST_BASE, so that one addition gives any of them. Nothing more is fed.
 * For 204 and 405, pos holds the methods for Allow. */
#define ST_BASE 173u
#define S_204 (204 - ST_BASE)
#define S_400 (400 - ST_BASE)
#define S_404 (404 - ST_BASE)
#define S_405 (405 - ST_BASE)
#define S_414 (414 - ST_BASE)
/* A bit that 204 and 405 have (pos: the methods for Allow) and 400, 414
 * and S_DONE lack: their pos is not cleared */
#define ST_ALLOW 8u
_Static_assert((S_204 & S_405 & ST_ALLOW) &&
                   !((S_400 | S_414 | S_DONE) & ST_ALLOW),
               "ST_ALLOW tells 204 and 405 from 400, 414 and S_DONE");

/* step() and replay() results: 0 no match, K_OVF no room, else a match.
 * step() tells what took the byte: K_LIT a literal of the pattern, or the
 * "{" of the open parameter, or the "*"; >> 4 orders them as specificity
 * does (0xF > 7 > 2). replay() tells K_OK, or K_WIN when the route is
 * more specific than the candidate it was regenerated from. */
#define K_OVF 1u
#define K_OK 2u
#define K_WIN 3u
#define K_LIT 0xFFu /* an 8-bit immediate */
_Static_assert(RM_OVF == K_OVF << 6, "scan() sets RM_OVF from K_OVF");

const struct mote_route *mote_route_table(size_t *count)
{
    *count = (size_t)(LAST - FIRST);
    return FIRST;
}

void mote_route_begin(struct mote_route_match *m, enum mote_http_method method)
{
    /* field by field in memory order: merged into word stores */
    m->route = 0; /* the first route is the first candidate */
    m->pos = 1;   /* every pattern and path starts with "/"; 0: no route */
    m->used = 0;
    m->st = S_START;
    m->dec = 0;
    m->flags = (uint8_t)(method & RM_METHOD);
}

/* Offset past the "}" of the parameter at or in which i is, past the end
 * for the "*" (the last byte of its pattern), or of the NUL ending a
 * malformed pattern. */
static unsigned skip(const char *p, unsigned i)
{
    while (p[i] && p[i++] != '}')
        ;
    return i;
}

/* Match path byte c (0: the path ended) against pattern pat from r's
 * state; captures go to r->buf, each NUL-terminated. A parameter is open
 * while the pattern byte before pos is its "{" (pos is in its name) or the
 * "*": entering one is pos + 1, and a parameter's name is skipped when it
 * ends. Returns what took c (K_LIT, "{" or "*"), or 0 / K_OVF with r->pos
 * and r->used unchanged. */
static unsigned step(struct mote_route_match *r, const char *pat, unsigned c)
{
    unsigned pos = r->pos, used = r->used, k = K_LIT;
    unsigned p = (uint8_t)pat[pos - 1], q = (uint8_t)pat[pos];
    unsigned in = c && c != '/'; /* a parameter may take c */
    if (p != '{' && p != '*' && (q == '*' || (q == '{' && in)))
        p = q, pos++; /* enter it */
    if (p == '{' || p == '*') {
        if (used >= CAP)
            return K_OVF;
        /* "*" takes everything, at the end of the path its NUL (nothing
         * follows it in a pattern); a parameter all but "/": the byte it
         * does not take ends it with a NUL and must match what follows */
        if (p == '*' || in) {
            r->buf[used++] = (char)c; /* beyond r->used until we succeed */
            k = p;
            goto took;
        }
        r->buf[used++] = 0;
        pos = skip(pat, pos); /* past its "}" */
    }
    if ((uint8_t)pat[pos] != c)
        return 0;
    pos += c != 0;
took:
    r->pos = (uint8_t)pos;
    r->used = (uint8_t)used;
    return k;
}

/* Run j (pattern jp) over the path so far, regenerated from m's
 * candidate, then c. What took each byte in both is compared: at the
 * first difference, a literal beats a parameter beats "*" (at the end, a
 * "*" that took nothing loses to the end of a pattern). */
static unsigned replay(const struct mote_route_match *m,
                       struct mote_route_match *j, const char *jp,
                       unsigned c)
{
    const char *pat = FIRST[m->route].pattern;
    unsigned i = 1, k, x, e, u = 0;
    int d = 0; /* the first difference: > 0 when j's is the literal */
    j->pos = 1;
    j->used = 0;
    for (;;) {
        if (i < m->pos) {
            x = e = (uint8_t)pat[i];
            if (x == '{' || x == '*') {
                /* its value, up to its NUL (or all of it while open) */
                if (u >= m->used || !(x = (uint8_t)m->buf[u++])) {
                    i = skip(pat, i);
                    continue;
                }
            } else {
                e = K_LIT;
                i++;
            }
        } else {
            x = c;
            e = pat[m->pos - 1] == '*' ? '*' : K_LIT;
            i = 0x100;
        }
        k = step(j, jp, x);
        if (k < K_OK)
            return k;
        if (!d)
            d = (int)(k >> 4) - (int)(e >> 4);
        if (i == 0x100)
            return d > 0 ? K_WIN : K_OK;
    }
}

/* Path byte c (0: the end) for the candidate, the first route in the table
 * that matches the path so far. Routes only drop out as the path grows, so
 * when it does not take c, the next one that matches is among those after
 * it: they are run over the path so far (regenerated from the candidate)
 * and c. At the end the candidate and every route after it are run that
 * way (the candidate too: one loop, at the cost of its run once per
 * target), for the methods that match and the best: the request's method
 * first, then GET for HEAD, then the most specific, then the first in the
 * table; its run replaces the candidate's (the path it regenerates is the
 * same). For the target "*", every route matches, none of the method.
 * Returns the methods that matched and the best's rank (3 method, 2 GET
 * for HEAD, 1 other) above; 0 when no route matches. */
static unsigned scan(struct mote_route_match *m, unsigned c)
{
    struct mote_route_match j;
    const struct mote_route *t = FIRST + m->route;
    unsigned v = 0, k, rk, meth; /* the best's rank << 8 | the methods */
    if (!m->pos) /* no route */
        return 0;
    if (c) { /* within the path, the candidate first, in place */
        k = step(m, t->pattern, c);
        if (k >= K_OK)
            return 0;
        m->flags |= (uint8_t)(k << 6); /* RM_OVF */
        t++;
    }
    j.pos = j.used = 0; /* the target "*" is not run: it copies nothing */
    for (; t < LAST; t++) { /* none in an empty table */
        unsigned tm;
        /* the target "*": every route */
        k = m->st == S_STAR ? K_OK : replay(m, &j, t->pattern, c);
        if (k < K_OK) { /* 0, or K_OVF: RM_OVF */
            m->flags |= (uint8_t)(k << 6);
            continue;
        }
        meth = m->flags & RM_METHOD;
        tm = mote_route_method(t);
        /* (2 * tm + meth is 1 only for a GET route and a HEAD request) */
        _Static_assert(MOTE_HTTP_GET == 0 && MOTE_HTTP_HEAD == 1,
                       "HEAD falls back to GET by this sum");
        rk = 1 + 2 * (tm == meth) + (2 * tm + meth == MOTE_HTTP_HEAD);
        v |= 1u << tm;
        if (rk > v >> 8 || (rk == v >> 8 && k == K_WIN)) {
            v = (v & 0xFFu) | rk << 8;
            m->route = (uint16_t)(t - FIRST);
            m->pos = j.pos;
            m->used = j.used;
            __builtin_memcpy(m->buf, j.buf, j.used);
        }
        if (c) /* within the path, the first that matches */
            break;
    }
    if (!v) {
        m->pos = 0;
        if (m->flags & RM_OVF)
            m->st = S_414;
        return 0;
    }
    return v;
}

/* The path ended (at "?" or the end of the target): decide. A route
 * chosen gets S_DONE; at "?" its query follows, kept as it comes. */
static void decide(struct mote_route_match *m)
{
    unsigned v, st = m->st;
    /* a "." or ".." segment, or nothing fed */
    if (st - 1u < 3u) {
        m->st = S_400;
        return;
    }
    v = scan(m, 0);
    if (!v && st != S_STAR) { /* no route (scan() may have found a 414) */
        if (m->st < S_204)
            m->st = S_404;
        return;
    }
    if (v >= 0x200) { /* rank 2 or 3: of the method, or GET for HEAD */
        m->st = S_DONE;
        m->pos = m->used; /* where a query starts (at the end: none) */
        return;
    }
    if (v & 1u << MOTE_HTTP_GET)
        v |= 1u << MOTE_HTTP_HEAD;
    m->pos = (uint8_t)(v | 1u << MOTE_HTTP_OPTIONS);
    /* OPTIONS, or the target "*" (method 7) */
    m->st = (m->flags & RM_METHOD) >= MOTE_HTTP_OPTIONS ? S_204 : S_405;
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
        if (m->st == S_START || m->st == S_STAR) {
            /* "/" starts the path; "*" for OPTIONS is the whole target */
            if (m->st == S_STAR)
                goto bad;
            if (c == '/') {
                m->st = 0;
                continue;
            }
            /* flags are still the method alone */
            if (c != '*' || m->flags != MOTE_HTTP_OPTIONS)
                goto bad;
            m->st = S_STAR;
            m->flags = RM_METHOD; /* no route's: every one ranks 1 */
            continue;
        }
        if (m->st == S_DONE) {
            /* the query, kept as it comes (mote_query() decodes it) */
            if (m->used >= CAP)
                m->st = S_414;
            else
                m->buf[m->used++] = (char)c;
            continue;
        }
        if (m->dec) {
            /* 1 shifted in front of the digits: 0x10 + the first, then
             * 0x100 + the byte */
            unsigned d = m->dec << 4 | hexval(c);
            m->dec = (uint8_t)(d < 0x100u ? d : 0);
            if (d < 0x100u)
                continue;
            c = d & 0xFFu;
            /* in the path, a byte the escape may not hide */
            if (c < 0x20u || c == 0x7Fu || c == '/')
                goto bad;
        } else if (c == '%') {
            m->dec = 1;
            continue;
        } else if (c == '?') {
            decide(m);
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
        scan(m, c);
        continue;
bad:
        m->st = S_400;
        break;
    }
    return m->st >= S_204 ? m->st + ST_BASE : 0;
}

void mote_route_end(struct mote_route_match *m, struct mote_route_result *r)
{
    unsigned st = m->st;
    if (st < S_204 && st != S_DONE)
        decide(m);
    st = m->st;
    /* Allow in pos for 204 and 405 (for a 404 pos is 0) */
    *r = (struct mote_route_result){
        st == S_DONE ? &FIRST[m->route] : NULL,
        (uint16_t)(st == S_DONE ? 0 : st + ST_BASE),
        (uint8_t)(m->pos * (st / ST_ALLOW & 1))};
}

/* ---- parameters and query ----------------------------------------------- */

/* a, ended by "}" or NUL, equals b. */
static int same(const char *a, const char *b)
{
    while (*b && *a == *b)
        a++, b++;
    return !*b && (!*a || *a == '}');
}

const char *mote_param_str(const struct mote_route_match *m, const char *name)
{
    const char *p, *v = m->buf;
    if (m->st != S_DONE)
        return NULL;
    for (p = FIRST[m->route].pattern; *p; p++) {
        if (*p == '{' || *p == '*') {
            /* the name of "*" is "*" */
            if (same(p + (*p == '{'), name))
                return v;
            while (*v++)
                ;
        }
    }
    return NULL;
}

int mote_param_int(const struct mote_route_match *m, const char *name,
                   int32_t *out)
{
    const char *v = mote_param_str(m, name);
    uint32_t x = 0, lim;
    if (!v)
        return -1;
    lim = 0x7FFFFFFFu + (*v == '-'); /* |INT32_MIN| when negative */
    v += *v == '-';
    do {
        unsigned d = (unsigned)(*v - '0');
        if (d > 9 || x > (lim - d) / 10)
            return -1;
        x = x * 10 + d;
    } while (*++v);
    *out = (int32_t)(lim & 1 ? x : 0u - x);
    return 0;
}

/* The next byte of the raw query [*pp, end), decoded: "%XX" its byte
 * ("%" and the next two bytes, as the parser checked them; an escape cut
 * short by the end, fed here directly, is taken as it is), "+" a space.
 * A raw "&" or "=" comes as 0x100 + itself (Q_AMP, Q_EQ), so that no
 * decoded byte is taken for one; the end is 0x100. */
#define Q_AMP (0x100u | '&')
#define Q_EQ (0x100u | '=')
static unsigned qchar(const char **pp, const char *end)
{
    const char *p = *pp;
    unsigned c = 0x100;
    if (p < end) {
        c = (uint8_t)*p++;
        if (c == '%' && end - p >= 2) {
            c = hexval((uint8_t)p[0]) << 4 | hexval((uint8_t)p[1]);
            p += 2;
        } else if (c == '+') {
            c = ' ';
        } else if (c == '&' || c == '=') {
            c |= 0x100;
        }
        *pp = p;
    }
    return c;
}

int mote_query(const struct mote_route_match *m, const char *key, char *out,
               size_t cap)
{
    /* the query is kept raw from pos to used (without one, pos is used) */
    const char *p = m->buf + m->pos, *end = m->buf + m->used, *q = p;
    if (m->st != S_DONE)
        return -1;
    while (q < end) /* an encoded NUL anywhere: nothing is served */
        if (!qchar(&q, end))
            return -1;
    while (p < end) { /* pair by pair */
        const char *k = key;
        size_t n = 0;
        unsigned c;
        /* its key, compared as it is decoded (no byte is NUL) */
        while ((c = qchar(&p, end)) < 0x100 && (uint8_t)*k == c)
            k++;
        /* the key ended with it; an empty pair (no key, no "=") is none */
        if (!*k && c >= 0x100 && (*key || c == Q_EQ)) {
            if (c == Q_EQ) /* the value: up to "&", an "=" in it is data */
                while ((c = qchar(&p, end)) != 0x100 && c != Q_AMP) {
                    if (n < cap)
                        out[n] = (char)c;
                    n++;
                }
            if (n >= cap)
                return -1;
            out[n] = 0;
            return (int)n;
        }
        while (c != 0x100 && c != Q_AMP) /* the rest of the pair */
            c = qchar(&p, end);
    }
    return -1;
}
