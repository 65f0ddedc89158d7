/*
 * route.c - the compile-time route table and the streaming matcher
 * (rules in route.h).
 *
 * The matcher keeps one candidate route, its place in the pattern and what
 * it captured. The path seen so far is a function of the three (literal
 * bytes from the pattern, the rest from the captures), so when the
 * candidate fails, or at the end, the path is regenerated from them and
 * every route is run over it: only the parameters need RAM, never the path.
 * One step function serves the candidate, the regenerated runs and the
 * end of the path.
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
#define RM_OPEN 0x08u  /* the parameter before pos still takes bytes */
#define RM_QUERY 0x10u /* past "?" */
#define RM_E400 0x20u
#define RM_E414 0x40u

#define DEAD 0xFFFFu /* route: none matches the path so far */
#define STAR 0xFFFEu /* route: the target "*" */
#define S_START 4    /* seg: nothing fed yet */
#define S_DONE 5     /* seg: a route was chosen (status 0) */

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
    m->route = &FIRST[0] == &LAST[0] ? DEAD : 0;
    m->pos = 0;
    m->used = 0;
    m->dec = 0;
    m->seg = S_START;
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
 * state; captures go to r->buf, each NUL-terminated. Returns K_OK, or 0 /
 * K_OVF with r unchanged. */
static unsigned step(struct mote_route_match *r, const char *pat, unsigned c)
{
    unsigned pos = r->pos, used = r->used, open = r->flags & RM_OPEN;
    for (;;) {
        if (open) {
            /* "*" takes everything, a parameter all but "/" */
            if (c && (c != '/' || pat[pos - 1] == '*'))
                break;
            if (used >= CAP)
                return K_OVF;
            r->buf[used++] = 0; /* beyond r->used until we succeed */
            open = 0;
        } else if (pat[pos] == '*' ||
                   (pat[pos] == '{' && c && c != '/')) {
            open = RM_OPEN;
            pos = skip(pat, pos);
        } else {
            if ((uint8_t)pat[pos] != c)
                return 0;
            pos += c != 0;
            goto done;
        }
    }
    if (used >= CAP)
        return K_OVF;
    r->buf[used++] = (char)c;
done:
    r->pos = (uint8_t)pos;
    r->used = (uint8_t)used;
    r->flags = (uint8_t)((r->flags & ~RM_OPEN) | open);
    return K_OK;
}

/* Run j (pattern jp) over the path so far, regenerated from m's
 * candidate, then c. */
__attribute__((noinline)) static unsigned replay(const struct mote_route_match *m,
                       struct mote_route_match *j, const char *jp,
                       unsigned c)
{
    const char *pat = FIRST[m->route].pattern, *v = m->buf;
    const char *ve = m->buf + m->used;
    unsigned i = 0, k;
    while (i < m->pos) {
        if (pat[i] == '{' || pat[i] == '*') {
            for (; v < ve && *v; v++)
                if ((k = step(j, jp, (uint8_t)*v)) != K_OK)
                    return k;
            v++;
            i = skip(pat, i);
        } else if ((k = step(j, jp, (uint8_t)pat[i++])) != K_OK) {
            return k;
        }
    }
    return step(j, jp, c);
}

/* The more specific of two patterns that match the same path: compared
 * byte by byte along it, a literal beats a parameter beats "*"; > 0 when
 * a wins. Patterns alone decide: parameters end at the same "/". */
static int rank(unsigned c)
{
    return c == '*' ? 1 : c == '{' ? 2 : 3;
}

__attribute__((noinline)) static int specific(const char *a, const char *b)
{
    unsigned i = 0, j = 0;
    while (a[i] == b[j] && a[i] && a[i] != '*') {
        if (a[i] == '{') {
            i = skip(a, i);
            j = skip(b, j);
        } else {
            i++, j++;
        }
    }
    return rank((uint8_t)a[i]) - rank((uint8_t)b[j]);
}

/* Every route over the path so far followed by c (0: the end); the best
 * becomes the candidate: the request's method first, then GET for HEAD,
 * then the most specific, then the first in the table. Returns the methods
 * that matched, and the best's rank (3 method, 2 GET for HEAD) above. */
static unsigned scan(struct mote_route_match *m, unsigned c)
{
    struct mote_route_match j, best;
    const struct mote_route *t, *bt = NULL;
    unsigned meth = m->flags & RM_METHOD, mask = 0, rk, brank = 0, ovf = 0;
    for (t = FIRST; t < LAST; t++) {
        unsigned k;
        j = *m;
        j.pos = 0;
        j.used = 0;
        j.flags &= (uint8_t)~RM_OPEN;
        k = replay(m, &j, t->pattern, c);
        ovf |= k;
        if (k != K_OK)
            continue;
        mask |= 1u << t->method;
        rk = t->method == meth ? 3
             : meth == MOTE_HTTP_HEAD && t->method == MOTE_HTTP_GET ? 2
                                                                     : 1;
        if (rk > brank ||
            (rk == brank && specific(t->pattern, bt->pattern) > 0)) {
            brank = rk;
            best = j;
            bt = t;
        }
    }
    if (!mask) {
        m->route = DEAD;
        m->flags |= ovf & K_OVF ? RM_E414 : 0;
    } else {
        *m = best;
        m->route = (uint16_t)(bt - FIRST);
    }
    return brank << 8 | mask;
}

static unsigned path_byte(struct mote_route_match *m, unsigned c)
{
    /* "." and ".." segments, plain or encoded */
    if (c == '/') {
        if (m->seg - 1u < 2u)
            return RM_E400;
        m->seg = 0;
    } else {
        m->seg = (uint8_t)(c == '.' && m->seg < 2 ? m->seg + 1 : 3);
    }
    if (m->route != DEAD &&
        step(m, FIRST[m->route].pattern, c) != K_OK)
        scan(m, c);
    return 0;
}

/* The path ended (at "?" or the end of the target): decide. */
static unsigned path_end(struct mote_route_match *m,
                         struct mote_route_result *res)
{
    unsigned v = 0;
    res->route = NULL;
    res->allow = 0;
    if (m->flags & RM_E414)
        return 414;
    if (m->flags & RM_E400 || m->dec || m->seg - 1u < 2u ||
        m->seg == S_START) {
        m->flags |= RM_E400;
        return 400;
    }
    if (m->seg == S_DONE) /* decided at "?" */
        goto found;
    if (m->route == STAR) {
        for (const struct mote_route *t = FIRST; t < LAST; t++)
            v |= 1u << t->method;
    } else {
        if (m->route != DEAD)
            v = scan(m, 0);
        if (m->flags & RM_E414)
            return 414;
        if (m->route == DEAD)
            return 404;
        if (v >> 9) { /* rank 2 or 3 */
            m->seg = S_DONE;
found:
            res->route = &FIRST[m->route];
            return 0;
        }
    }
    if (v & 1u << MOTE_HTTP_GET)
        v |= 1u << MOTE_HTTP_HEAD;
    res->allow = (uint8_t)(v | 1u << MOTE_HTTP_OPTIONS);
    return (m->flags & RM_METHOD) == MOTE_HTTP_OPTIONS ? 204 : 405;
}

static unsigned hexval(unsigned c)
{
    if (c - '0' < 10u)
        return c - '0';
    c = (c | 0x20u) - 'a';
    return c < 6u ? c + 10 : 0x100u;
}

/* The byte "%ab" stands for, or more than 0xFF when malformed. */
static unsigned hex2(unsigned a, unsigned b)
{
    return hexval(a) << 4 | hexval(b);
}

unsigned mote_route_feed(struct mote_route_match *m, const uint8_t *s,
                         size_t n)
{
    while (n-- && !(m->flags & (RM_E400 | RM_E414))) {
        unsigned c = *s++;
        if (c - 0x21u > 0x7Eu - 0x21u || m->route == STAR) {
            m->flags |= RM_E400;
        } else if (m->flags & RM_QUERY) {
            /* kept only for a chosen route */
            if (m->seg == S_DONE) {
                if (m->used >= CAP)
                    m->flags |= RM_E414;
                else
                    m->buf[m->used++] = (char)c;
            }
        } else if (m->seg == S_START && c != '/') {
            if (c == '*' && (m->flags & RM_METHOD) == MOTE_HTTP_OPTIONS) {
                m->route = STAR;
                m->seg = 3;
            } else {
                m->flags |= RM_E400;
            }
        } else if (m->dec == 1) {
            m->dec = (uint8_t)c; /* the first digit, checked with the 2nd */
        } else if (m->dec) {
            c = hex2(m->dec, c);
            m->dec = 0;
            m->flags |= c < 0x20u || c == 0x7Fu || c == '/' || c > 0xFFu
                            ? RM_E400
                            : path_byte(m, c);
        } else if (c == '%') {
            m->dec = 1;
        } else if (c == '?') {
            struct mote_route_result r;
            path_end(m, &r);
            m->flags |= RM_QUERY;
        } else {
            m->flags |= path_byte(m, c);
        }
    }
    return m->flags & RM_E414 ? 414 : m->flags & RM_E400 ? 400 : 0;
}

void mote_route_end(struct mote_route_match *m, struct mote_route_result *r)
{
    r->status = (uint16_t)path_end(m, r);
}

/* ---- parameters and query ----------------------------------------------- */

/* The value of parameter `name` of the chosen route; with name NULL, what
 * follows the parameters in buf (the query). */
static const char *capture(const struct mote_route_match *m,
                           const char *name)
{
    const char *p, *v = m->buf;
    if (m->seg != S_DONE)
        return NULL;
    for (p = FIRST[m->route].pattern; *p; p++) {
        if (*p == '{' || *p == '*') {
            const char *s = p + (*p == '{'), *q = name;
            if (q) {
                while (*q && *q == *s)
                    q++, s++;
                if (!*q && (*s == '}' || !*s))
                    return v;
            }
            while (*v++)
                ;
        }
    }
    return name ? NULL : v;
}

const char *mote_param_str(const struct mote_route_match *m, const char *name)
{
    return capture(m, name);
}

int mote_param_int(const struct mote_route_match *m, const char *name,
                   int32_t *out)
{
    const char *v = capture(m, name);
    uint32_t x = 0, neg;
    if (!v)
        return -1;
    neg = *v == '-';
    v += neg;
    do {
        unsigned d = (unsigned)(*v - '0');
        /* x <= 214748364 keeps x * 10 + 9 within 32 bits */
        if (d > 9 || x > 214748364u || (x = x * 10 + d) > 0x7FFFFFFFu + neg)
            return -1;
    } while (*++v);
    *out = (int32_t)(neg ? 0u - x : x);
    return 0;
}

/* Decode the query part at *pp up to "&" (or `stop`) into out, "+" as
 * space; returns its length, or -1 when malformed, holding NUL or longer
 * than cap - 1. */
static int part(const char **pp, const char *end, char *out, size_t cap,
                char stop)
{
    const char *p = *pp;
    size_t n = 0;
    while (p < end && *p != '&' && *p != stop) {
        unsigned c = (uint8_t)*p++;
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            if (end - p < 2 || (c = hex2((uint8_t)p[0], (uint8_t)p[1])) - 1u >
                                   0xFEu)
                return -1;
            p += 2;
        }
        if (n < cap)
            out[n] = (char)c;
        n++;
    }
    if (n >= cap)
        return -1;
    out[n] = 0;
    *pp = p;
    return (int)n;
}

int mote_query(const struct mote_route_match *m, const char *key, char *out,
               size_t cap)
{
    const char *p = capture(m, NULL), *end = m->buf + m->used;
    char k[CAP + 1];
    if (!p || !(m->flags & RM_QUERY))
        return -1;
    while (p < end) {
        const char *a = k, *b = key;
        /* a pair whose key is malformed is skipped */
        if (part(&p, end, k, sizeof k, '=') >= 0) {
            while (*a && *a == *b)
                a++, b++;
            if (*a == *b) {
                p += p < end && *p == '=';
                return part(&p, end, out, cap, '&');
            }
        }
        while (p < end && *p++ != '&')
            ;
    }
    return -1;
}
