/*
 * route.c - the compile-time route table and the streaming matcher
 * (rules in route.h).
 *
 * The matcher keeps one candidate route and what it captured. The path seen
 * so far is a function of the two (the candidate's literal bytes and its
 * captures), so when the candidate fails, or at the end, the path is
 * regenerated from them and other routes are tried against it: only the
 * parameters need RAM, never the path.
 */
#include "mote/route.h"

/* Made by the linker around the section; weak so an application without
 * any route links and sees an empty table. */
extern const struct mote_route __start_mote_routes[] __attribute__((weak));
extern const struct mote_route __stop_mote_routes[] __attribute__((weak));

#define RM_METHOD 0x07u
#define RM_QUERY 0x08u /* past "?" */
#define RM_DEAD 0x10u  /* no route matches the path so far */
#define RM_OPEN 0x20u  /* the candidate's open parameter has a byte */
#define RM_E400 0x40u
#define RM_E414 0x80u

#define STAR 0xFFFEu /* the target "*" */
#define SEG_START 4   /* seg: nothing fed yet */
#define SEG_DONE 5    /* seg: mote_route_end() chose a route */
#define NO_QUERY 0xFFu
#define MAX_PARTS 16 /* parameters counted for specificity */

const struct mote_route *mote_route_table(size_t *count)
{
    *count = (size_t)(__stop_mote_routes - __start_mote_routes);
    return __start_mote_routes;
}

void mote_route_begin(struct mote_route_match *m, enum mote_http_method method)
{
    m->route = 0;
    m->pos = 0;
    m->used = 0;
    m->query = NO_QUERY;
    m->dec = 0;
    m->seg = SEG_START;
    m->flags = (uint8_t)(method & RM_METHOD);
    m->buf[0] = 0;
}

/* Offset just past the "}" closing the parameter that starts at pos (or of
 * the terminating NUL of a malformed pattern). */
static unsigned skip_param(const char *pat, unsigned pos)
{
    while (pat[pos] && pat[pos] != '}')
        pos++;
    return pat[pos] ? pos + 1 : pos;
}

/* ---- the path regenerated from a candidate ------------------------------ */

struct gen {
    const char *pat;     /* the candidate's pattern */
    unsigned pos, stop;  /* offset in it; its matching position */
    const char *cap;     /* next captured byte */
    const char *cap_end; /* end of the captures (start of the query) */
    int in_cap;          /* emitting a capture */
};

/* Next byte of the path, or -1 at its end. */
static int gen_next(struct gen *g)
{
    for (;;) {
        if (g->in_cap) {
            if (g->cap != g->cap_end && *g->cap)
                return (uint8_t)*g->cap++;
            if (g->cap != g->cap_end)
                g->cap++; /* the NUL */
            g->in_cap = 0;
            if (g->pat[g->pos] == '*' || g->pos >= g->stop)
                return -1;
            g->pos = skip_param(g->pat, g->pos);
            continue;
        }
        if (g->pos == g->stop) {
            /* the candidate stopped here: inside a capture, or done */
            if (g->pat[g->pos] == '{' || g->pat[g->pos] == '*') {
                g->in_cap = 1;
                continue;
            }
            return -1;
        }
        if (g->pat[g->pos] == '{' || g->pat[g->pos] == '*') {
            g->in_cap = 1;
            continue;
        }
        return (uint8_t)g->pat[g->pos++];
    }
}

/* ---- one route against a byte stream -------------------------------------- */

struct run {
    const char *pat;
    unsigned pos;
    int open;       /* the parameter at pos has at least one byte */
    char *out;      /* captures go here (NULL: only check) */
    unsigned used, cap;
    int overflow;
    unsigned idx;   /* bytes of path matched */
    unsigned nparts;
    uint16_t parts[MAX_PARTS]; /* specificity: 2*start + (param ? 1 : 0) */
};

static int put(struct run *r, char c)
{
    if (!r->out)
        return 1;
    if (r->used >= r->cap) {
        r->overflow = 1;
        return 0;
    }
    r->out[r->used++] = c;
    return 1;
}

static void part(struct run *r, unsigned wild)
{
    if (r->nparts < MAX_PARTS)
        r->parts[r->nparts++] = (uint16_t)(2 * r->idx + !wild);
}

/* Match one path byte; 0 when the route cannot match. */
static int step(struct run *r, unsigned c)
{
    for (;;) {
        char pc = r->pat[r->pos];
        if (pc == '{') {
            if (c != '/') {
                if (!r->open)
                    part(r, 0);
                r->open = 1;
                r->idx++;
                return put(r, (char)c);
            }
            if (!r->open || !put(r, 0))
                return 0;
            r->open = 0;
            r->pos = skip_param(r->pat, r->pos);
            continue;
        }
        if (pc == '*' && r->pat[r->pos + 1] == 0) {
            if (!r->open)
                part(r, 1);
            r->open = 1;
            r->idx++;
            return put(r, (char)c);
        }
        if ((unsigned char)pc != c || pc == 0)
            return 0;
        r->pos++;
        r->idx++;
        return 1;
    }
}

/* The path ended: 1 when the route matches it whole. */
static int finish(struct run *r)
{
    char pc = r->pat[r->pos];
    if (pc == '{') {
        if (!r->open || !put(r, 0))
            return 0;
        r->pos = skip_param(r->pat, r->pos);
        return r->pat[r->pos] == 0;
    }
    if (pc == '*' && r->pat[r->pos + 1] == 0) {
        if (!r->open)
            part(r, 1);
        return put(r, 0);
    }
    return pc == 0;
}

static void gen_init(struct gen *g, const struct mote_route_match *m,
                     const char *caps, unsigned caps_len)
{
    size_t n;
    const struct mote_route *t = mote_route_table(&n);
    g->pat = t[m->route].pattern;
    g->pos = 0;
    g->stop = m->pos;
    g->cap = caps;
    g->cap_end = caps + caps_len;
    g->in_cap = 0;
}

/* Not inlined: one copy serves its four callers (smaller under -Os). */
__attribute__((noinline)) static void
run_init(struct run *r, const char *pat, char *out, unsigned cap)
{
    r->pat = pat;
    r->pos = 0;
    r->open = 0;
    r->out = out;
    r->used = 0;
    r->cap = cap;
    r->overflow = 0;
    r->idx = 0;
    r->nparts = 0;
}

/* Run pattern over the regenerated path (plus `extra` if >= 0). */
static int run_path(struct run *r, const struct mote_route_match *m,
                    const char *caps, unsigned caps_len, int extra)
{
    struct gen g;
    int c;
    gen_init(&g, m, caps, caps_len);
    while ((c = gen_next(&g)) >= 0)
        if (!step(r, (unsigned)c))
            return 0;
    return extra < 0 || step(r, (unsigned)extra);
}

/* ---- feeding ---------------------------------------------------------- */

static unsigned fail(struct mote_route_match *m, unsigned status)
{
    if (!(m->flags & (RM_E400 | RM_E414)))
        m->flags |= status == 414 ? RM_E414 : RM_E400;
    return status;
}

/* Make the run's state the candidate's; returns 0 (no error). */
static unsigned adopt(struct mote_route_match *m, const struct run *r)
{
    m->pos = (uint8_t)r->pos;
    m->used = (uint8_t)r->used;
    m->flags = (uint8_t)((m->flags & ~RM_OPEN) | (r->open ? RM_OPEN : 0));
    return 0;
}

/* The candidate failed on c: find a route that matches the path so far
 * followed by c, in table order; its captures replace the candidate's. */
static unsigned switch_route(struct mote_route_match *m, unsigned c)
{
    char tmp[MOTE_HTTP_PARAM_BUF];
    size_t n;
    const struct mote_route *t = mote_route_table(&n);
    int overflow = 0;
    struct run r;
    for (unsigned i = 0; i < m->used; i++)
        tmp[i] = m->buf[i];
    for (size_t j = 0; j < n; j++) {
        if (j == m->route)
            continue;
        run_init(&r, t[j].pattern, m->buf, MOTE_HTTP_PARAM_BUF);
        if (run_path(&r, m, tmp, m->used, (int)c)) {
            m->route = (uint16_t)j;
            return adopt(m, &r);
        }
        overflow |= r.overflow;
    }
    if (overflow)
        return fail(m, 414);
    m->flags |= RM_DEAD;
    return 0;
}

static unsigned path_byte(struct mote_route_match *m, unsigned c)
{
    size_t n;
    const struct mote_route *t;
    struct run r;
    /* dot segments */
    if (c == '/') {
        if (m->seg == 1 || m->seg == 2)
            return fail(m, 400);
        m->seg = 0;
    } else {
        m->seg = (uint8_t)(c == '.' && m->seg < 2 ? m->seg + 1 : 3);
    }
    if (m->flags & RM_DEAD)
        return 0;
    t = mote_route_table(&n);
    if (n == 0) {
        m->flags |= RM_DEAD;
        return 0;
    }
    /* step the candidate in place */
    run_init(&r, t[m->route].pattern, m->buf, MOTE_HTTP_PARAM_BUF);
    r.pos = m->pos;
    r.open = (m->flags & RM_OPEN) != 0;
    r.used = m->used;
    if (step(&r, c))
        return adopt(m, &r);
    /* step() may have closed a parameter before failing: keep buf as it
     * was (m->used) and regenerate from the candidate's state */
    return switch_route(m, c);
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

unsigned mote_route_feed(struct mote_route_match *m, const uint8_t *s,
                         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        unsigned st;
        if (m->flags & RM_E414)
            return 414;
        if (m->flags & RM_E400)
            return 400;
        if (m->route == STAR)
            return fail(m, 400);
        if (c < 0x21u || c > 0x7Eu)
            return fail(m, 400);
        if (m->flags & RM_QUERY) {
            if (m->flags & RM_DEAD)
                continue;
            if (m->used >= MOTE_HTTP_PARAM_BUF)
                return fail(m, 414);
            m->buf[m->used++] = (char)c;
            continue;
        }
        if (m->seg == SEG_START) {
            if (c == '*' && (m->flags & RM_METHOD) == MOTE_HTTP_OPTIONS) {
                m->route = STAR;
                m->seg = 3;
                continue;
            }
            if (c != '/')
                return fail(m, 400);
        }
        if (m->dec) {
            int h = hexval(c);
            if (h < 0)
                return fail(m, 400);
            if (m->dec == 1) {
                m->dec = (uint8_t)(0x10u | (unsigned)h);
                continue;
            }
            c = (unsigned)((m->dec & 0x0Fu) << 4 | (unsigned)h);
            m->dec = 0;
            if (c < 0x20u || c == 0x7Fu || c == '/')
                return fail(m, 400);
        } else if (c == '%') {
            m->dec = 1;
            continue;
        } else if (c == '?') {
            if (m->seg == 1 || m->seg == 2)
                return fail(m, 400);
            m->flags |= RM_QUERY;
            m->query = m->used;
            continue;
        }
        st = path_byte(m, c);
        if (st)
            return st;
    }
    return 0;
}

/* ---- deciding --------------------------------------------------------- */

/* 1 when run a is more specific than the best so far (parts of b). */
static int better(const struct run *a, const uint16_t *b, unsigned nb)
{
    unsigned i;
    if (nb == 0xFFFFu)
        return 1;
    for (i = 0; i < a->nparts && i < nb; i++)
        if (a->parts[i] != b[i])
            return a->parts[i] > b[i];
    return a->nparts < nb;
}

struct best {
    unsigned route, nparts;
    uint16_t parts[MAX_PARTS];
};

static void keep(struct best *b, const struct run *r, unsigned route)
{
    if (!better(r, b->parts, b->nparts))
        return;
    b->route = route;
    b->nparts = r->nparts;
    for (unsigned i = 0; i < r->nparts; i++)
        b->parts[i] = r->parts[i];
}

/* Not inlined: smaller under -Os. */
__attribute__((noinline)) static uint8_t allow_of(unsigned mask)
{
    if (mask & (1u << MOTE_HTTP_GET))
        mask |= 1u << MOTE_HTTP_HEAD;
    return (uint8_t)(mask | 1u << MOTE_HTTP_OPTIONS);
}

void mote_route_end(struct mote_route_match *m, struct mote_route_result *res)
{
    size_t n;
    const struct mote_route *t = mote_route_table(&n);
    unsigned method = m->flags & RM_METHOD, mask = 0;
    unsigned plen = m->query != NO_QUERY ? m->query : m->used;
    char tmp[MOTE_HTTP_PARAM_BUF];
    struct best exact, get; /* nparts 0xFFFF: none yet */
    struct best *b;
    struct run r;

    exact.nparts = get.nparts = 0xFFFFu;
    res->route = NULL;
    res->allow = 0;
    res->status = 0;
    if (m->flags & RM_E414) {
        res->status = 414;
        return;
    }
    if ((m->flags & RM_E400) || m->seg == SEG_START || m->dec ||
        (!(m->flags & RM_QUERY) && (m->seg == 1 || m->seg == 2))) {
        res->status = 400;
        return;
    }
    if (m->route == STAR) {
        for (size_t j = 0; j < n; j++)
            mask |= 1u << t[j].method;
        res->allow = allow_of(mask);
        res->status = 204;
        return;
    }
    if (m->flags & RM_DEAD) {
        res->status = 404;
        return;
    }
    for (unsigned i = 0; i < m->used; i++)
        tmp[i] = m->buf[i];
    for (size_t j = 0; j < n; j++) {
        run_init(&r, t[j].pattern, NULL, 0);
        if (!run_path(&r, m, tmp, plen, -1) || !finish(&r))
            continue;
        mask |= 1u << t[j].method;
        if (t[j].method == method)
            keep(&exact, &r, (unsigned)j);
        else if (method == MOTE_HTTP_HEAD && t[j].method == MOTE_HTTP_GET)
            keep(&get, &r, (unsigned)j);
    }
    if (mask == 0) {
        res->status = 404;
        return;
    }
    b = exact.nparts != 0xFFFFu ? &exact : get.nparts != 0xFFFFu ? &get : NULL;
    if (!b) {
        res->allow = allow_of(mask);
        res->status = method == MOTE_HTTP_OPTIONS ? 204 : 405;
        return;
    }
    /* capture the chosen route's parameters, then put the query back */
    run_init(&r, t[b->route].pattern, m->buf, MOTE_HTTP_PARAM_BUF);
    if (!run_path(&r, m, tmp, plen, -1) || !finish(&r)) {
        res->status = 414; /* only a capacity failure is possible here */
        m->flags |= RM_E414;
        return;
    }
    if (m->query != NO_QUERY) {
        unsigned q = m->query, qlen = m->used - q;
        if (r.used + qlen > MOTE_HTTP_PARAM_BUF) {
            res->status = 414;
            m->flags |= RM_E414;
            return;
        }
        for (unsigned i = 0; i < qlen; i++)
            m->buf[r.used + i] = tmp[q + i];
        m->query = (uint8_t)r.used;
        r.used += qlen;
    }
    m->route = (uint16_t)b->route;
    m->pos = (uint8_t)r.pos;
    m->used = (uint8_t)r.used;
    m->seg = SEG_DONE;
    res->route = &t[b->route];
}

/* ---- parameters and query ----------------------------------------------- */

const char *mote_param_str(const struct mote_route_match *m, const char *name)
{
    size_t n;
    const struct mote_route *t = mote_route_table(&n);
    const char *p, *v;
    unsigned k = 0;
    if (m->seg != SEG_DONE)
        return NULL;
    for (p = t[m->route].pattern; *p; p++) {
        const char *q = name;
        if (*p == '*') {
            if (name[0] == '*' && name[1] == 0)
                break;
            return NULL;
        }
        if (*p != '{')
            continue;
        for (p++; *p && *p != '}' && *p == *q; p++, q++)
            ;
        if (*p == '}' && *q == 0)
            break;
        while (*p && *p != '}')
            p++;
        if (!*p)
            return NULL; /* unterminated "{" */
        k++;
    }
    if (!*p)
        return NULL;
    for (v = m->buf; k; k--)
        while (*v++)
            ;
    return v;
}

int mote_param_int(const struct mote_route_match *m, const char *name,
                   int32_t *out)
{
    const char *v = mote_param_str(m, name);
    uint32_t x = 0, lim;
    int neg;
    if (!v)
        return -1;
    neg = *v == '-';
    v += neg;
    lim = neg ? 0x80000000u : 0x7FFFFFFFu;
    if (!*v)
        return -1;
    for (; *v; v++) {
        unsigned d = (unsigned)(*v - '0');
        if (d > 9 || x > (lim - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *out = neg ? (int32_t)(0u - x) : (int32_t)x;
    return 0;
}

/* Decode one byte of a query part at *p (before end): "+" is SP. */
static int qbyte(const char **p, const char *end)
{
    const char *s = *p;
    int hi, lo;
    if (*s == '+') {
        *p = s + 1;
        return ' ';
    }
    if (*s != '%') {
        *p = s + 1;
        return (unsigned char)*s;
    }
    if (end - s < 3 || (hi = hexval((unsigned char)s[1])) < 0 ||
        (lo = hexval((unsigned char)s[2])) < 0 || (hi | lo) == 0)
        return -1;
    *p = s + 3;
    return hi << 4 | lo;
}

int mote_query(const struct mote_route_match *m, const char *key, char *out,
               size_t cap)
{
    const char *p, *end;
    if (m->seg != SEG_DONE || m->query == NO_QUERY)
        return -1;
    p = m->buf + m->query;
    end = m->buf + m->used;
    while (p < end) {
        const char *k = key;
        int c;
        /* compare the decoded key */
        int differ = 0;
        while (p < end && *p != '=' && *p != '&') {
            if (*k == 0) {
                differ = 1;
                break;
            }
            if ((c = qbyte(&p, end)) < 0)
                return -1;
            if ((unsigned char)*k != (unsigned)c) {
                differ = 1;
                break;
            }
            k++;
        }
        if (!differ && *k == 0) {
            size_t len = 0;
            if (p < end && *p == '=')
                p++;
            while (p < end && *p != '&') {
                if ((c = qbyte(&p, end)) < 0 || len + 1 >= cap)
                    return -1;
                out[len++] = (char)c;
            }
            if (cap == 0)
                return -1;
            out[len] = 0;
            return (int)len;
        }
        while (p < end && *p != '&')
            p++;
        if (p < end)
            p++;
    }
    return -1;
}
