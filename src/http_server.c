/*
 * http_server.c - HTTP/1.1 on the TCP API: requests in through the parser
 * and router to handlers, responses out as TCP sources.
 *
 * Input: the TCP data callback feeds the parser; events drive the request
 * (route, handler phases, body). Output: each request owns one of the
 * connection's two response entries; an answered entry becomes up to three
 * sources queued in order (100 Continue, head, body), at most two at a time
 * in TCP, the next queued as the previous is acknowledged. Nothing is ever
 * copied to be kept: heads and chunk framing are regenerated from the entry
 * at any offset.
 */
#include "priv.h"

/* Kept out of line where the size report showed inlining costs bytes: a
 * copy per caller. */
#define OUTLINE __attribute__((noinline))

/* Entry flags. Free: none; E_TAKEN from its request's first byte;
 * E_HEAD once answered. The bits outside the sources' are placed where
 * the size report found the smallest code (masks that encode as
 * immediates). */
#define E_CLOSE 0x0001u   /* "Connection: close", then FIN */
#define E_LEN 0x0004u     /* Content-Length: body.len */
#define E_CHUNKED 0x0008u
#define E_KA 0x0010u      /* "Connection: keep-alive" (HTTP/1.0) */
#define E_INLINE 0x0020u  /* the body is copied behind the head */
/* The entry's three sources, each wanted, then queued (3 bits up), in
 * order: a 100 Continue, the head (once answered), a body source. */
#define E_CONT 0x0040u
#define E_HEAD 0x0080u
#define E_BODY 0x0100u
#define E_CONTQ (E_CONT << 3)
#define E_BODYQ (E_BODY << 3)
#define E_TAKEN 0x1000u

/* Connection flags, placed like the entry's. */
#define C_REQ 0x0001u     /* a request is being read; e[cur] is its entry */
#define C_KEEP 0x0002u    /* the request allows keep-alive */
#define C_HEAD 0x0004u    /* its head is complete */
#define C_DONE 0x0008u    /* its message is complete */
#define C_ANSWERED 0x0010u
#define C_ASKED 0x0020u   /* a request has begun on this connection */
#define C_AGAIN 0x0040u   /* call the handler's phase again at poll */
#define C_STOP 0x0080u    /* the data callback took less than offered */
#define C_CLOSING 0x0100u /* no further request: FIN once all is queued */
#define C_PEER_FIN 0x0200u
#define C_TGT 0x0400u     /* the router has begun */
#define C_HTTP10 0x0800u
#define C_COLLECT 0x2000u

/* Chunked framing: a 1,024-byte unit per chunk of CHUNK data bytes (the
 * size line "03f8\r\n", the data, CRLF), so a body offset maps to its
 * framing with a shift and a retransmission regenerates the same bytes. */
#define CHUNK 1016u
#define UNIT_SHIFT 10

/* The fixed strings of heads and chunked framing, NUL-separated in one
 * array: a call names one by a small offset (an immediate), not by an
 * address of its own in the literal pool. The 100 Continue line comes
 * first: "HTTP/1.1 " starts it, its last CRLF (and NUL) ends a line; ", "
 * ends in the " " after a status code. */
#define S_CONT "HTTP/1.1 100 Continue\r\n\r\n"
#define S_CTYPE "\r\nContent-Type: "
#define S_CHUNKED "\r\nTransfer-Encoding: chunked"
#define S_CLEN "\r\nContent-Length: "
#define S_ALLOW "\r\nAllow: "
#define S_COMMA ", "
#define S_CLOSE "\r\nConnection: close"
#define S_KA "\r\nConnection: keep-alive"
#define S_LAST "0\r\n\r\n" /* a chunked body's end */
static const char strs[] = S_CONT "\0" S_CTYPE "\0" S_CHUNKED "\0" S_CLEN
                           "\0" S_ALLOW "\0" S_COMMA "\0" S_CLOSE "\0" S_KA
                           "\0" S_LAST;
#define O_CRLF (sizeof S_CONT - 3)
#define O_CTYPE (sizeof S_CONT)
#define O_CHUNKED (O_CTYPE + sizeof S_CTYPE)
#define O_CLEN (O_CHUNKED + sizeof S_CHUNKED)
#define O_ALLOW (O_CLEN + sizeof S_CLEN)
#define O_COMMA (O_ALLOW + sizeof S_ALLOW)
#define O_CLOSE (O_COMMA + sizeof S_COMMA)
#define O_KA (O_CLOSE + sizeof S_CLOSE)
#define O_LAST (O_KA + sizeof S_KA)

/* Constant bytes: TCP never writes to such a source, so every connection
 * can queue this one, and it can lie in flash. */
static const struct mote_tcp_source cont_src = {
    (const uint8_t *)strs, 0, 0, sizeof S_CONT - 1};

/* ---- helpers -------------------------------------------------------------- */

/* A connection's request, set when it was accepted: the TCP slot's
 * application pointer saves the index arithmetic in every callback. */
static struct mote_http_req *hconn(const struct mote_tcp_conn *c)
{
    return c->ctx;
}

static struct mote_tcp_conn *tconn(struct mote_stack *s,
                                   const struct mote_http_req *r)
{
    return &s->tcp.conns[r->idx];
}

/* The request sits at index idx of its stack's table. */
static struct mote_stack *stack_of(const struct mote_http_req *r)
{
    return (struct mote_stack *)((uintptr_t)(r - r->idx) -
                                 offsetof(struct mote_stack, http.conns));
}

struct mote_stack *mote_http_stack(struct mote_http_req *req)
{
    return stack_of(req);
}

static size_t slen(const char *p)
{
    size_t n = 0;
    while (p[n])
        n++;
    return n;
}

/* Frees response buffer b - 1 (b 0: none, whose bit shifts out). */
static void buf_free(struct mote_stack *s, unsigned b)
{
    s->http.busy &= (uint8_t) ~((1u << b) >> 1);
}

/* ---- heads, generated at any offset ------------------------------------- */

/* A window [off, off + cap) on the bytes written in order. */
struct win {
    uint8_t *buf;
    uint32_t off, cap, pos;
};

/* n bytes at p; or, with gen, n bytes of a chunked body's data from its
 * generator, p then being their offset in the data (one window arithmetic
 * for both). */
static void span(struct win *w, const void *p, size_t n,
                 const struct mote_http_entry *gen)
{
    uint32_t a = w->pos, b = a + (uint32_t)n;
    uint32_t lo = a > w->off ? a : w->off;
    uint32_t hi = b < w->off + w->cap ? b : w->off + w->cap;
    if (lo < hi) {
        if (gen)
            gen->ufill(gen->uctx, (uint32_t)(uintptr_t)p + (lo - a),
                       w->buf + (lo - w->off), hi - lo);
        else
            MEMCPY(w->buf + (lo - w->off), (const uint8_t *)p + (lo - a),
                   hi - lo);
    }
    w->pos = b;
}

static void put(struct win *w, const void *p, size_t n)
{
    span(w, p, n, NULL);
}

static void puts_(struct win *w, const char *s)
{
    put(w, s, slen(s));
}

/* The fixed string at offset k of strs. */
OUTLINE static void putk(struct win *w, unsigned k)
{
    puts_(w, strs + k);
}

/* v in base 10 or 16 (lowercase digits), at least `width` of them. */
static void putnum(struct win *w, uint32_t v, unsigned base, unsigned width)
{
    char d[10];
    unsigned n = sizeof d;
    do { /* backwards: a divide by 10 is one instruction on the M3, by
          * 16 a shift (a divide by a variable base would be a modulo
          * call for the remainder, and lx106's libgcc has none); the
          * remainder by multiplying back */
        uint32_t q = base == 16 ? v >> 4 : v / 10;
        unsigned x = v - q * base;
        d[--n] = (char)(x + (x < 10 ? '0' : 'a' - 10));
        v = q;
    } while (v || n > sizeof d - width);
    put(w, d + n, sizeof d - n);
}

/* Reason phrases in ascending order of status, each after a key byte: 0x80
 * plus its status's distance from the previous one (from 200). No table of
 * codes and no separators; a phrase ends at the next key or the final NUL. */
static const char reasons[] =
    "\x80" "OK" "\x81" "Created" "\x83" "No Content" "\xe4" "Not Modified"
    "\xe0" "Bad Request" "\x84" "Not Found" "\x81" "Method Not Allowed"
    "\x83" "Request Timeout" "\x83" "Length Required"
    "\x82" "Content Too Large" "\x81" "URI Too Long"
    "\x83" "Expectation Failed" "\x8e" "Request Header Fields Too Large"
    "\xc5" "Internal Server Error" "\x81" "Not Implemented"
    "\x82" "Service Unavailable" "\x82" "HTTP Version Not Supported";

/* The length of the phrase at p: up to a key byte or the NUL. */
static uint32_t plen(const char *p)
{
    uint32_t n = 0;
    while ((signed char)p[n] > 0)
        n++;
    return n;
}

/* status's phrase and its length in *n; "" for a status not listed. */
static const char *reason(unsigned status, uint32_t *n)
{
    const char *p = reasons;
    unsigned c = 200;
    while (*p) {
        c += (uint8_t)*p++ - 0x80u;
        if (c == status)
            break;
        p += plen(p);
    }
    *n = plen(p);
    return p;
}

/* The head (status line, fields, blank line, and an inline body): the
 * part in [off, off + cap) to buf; returns the head's length. */
static uint32_t head_gen(const struct mote_http_entry *e, uint8_t *buf,
                         uint32_t off, uint32_t cap)
{
    struct win w = {buf, off, cap, 0};

    put(&w, strs, 9); /* "HTTP/1.1 " */
    putnum(&w, e->status, 10, 1);
    putk(&w, O_COMMA + 1); /* " " */
    uint32_t n;
    const char *t = reason(e->status, &n);
    put(&w, t, n);
    if (e->ctype) {
        putk(&w, O_CTYPE);
        puts_(&w, e->ctype);
    }
    if (e->flags & E_CHUNKED) {
        putk(&w, O_CHUNKED);
    } else { /* e->allow is e->end when chunked */
        if (e->flags & E_LEN) {
            putk(&w, O_CLEN);
            putnum(&w, e->body.len, 10, 1);
        }
        unsigned sep = O_ALLOW;
        const char *name = mote_http_method_names;
        for (uint32_t a = e->allow; a; a >>= 1) { /* bit m: method m */
            if (a & 1) {
                putk(&w, sep);
                puts_(&w, name);
                sep = O_COMMA;
            }
            name += slen(name) + 1;
        }
    }
    if (e->flags & E_CLOSE)
        putk(&w, O_CLOSE);
    else if (e->flags & E_KA)
        putk(&w, O_KA);
    putk(&w, O_CRLF);
    if (e->extra)
        puts_(&w, e->extra);
    putk(&w, O_CRLF);
    if (e->flags & E_INLINE)
        put(&w, e->body.data, e->body.len);
    return w.pos;
}

static size_t head_fill(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    uint32_t end = head_gen(ctx, buf, off, (uint32_t)cap);
    /* TCP asks only inside the head's length, set by answer(). */
    return end - off < cap ? end - off : cap;
}

/* ---- chunked bodies --------------------------------------------------------- */

/* Data bytes of chunk k: CHUNK, fewer for the last one, 0 past the end. The
 * end is found by asking the generator for single bytes (it must answer
 * any offset the same way) and kept once found. Every chunk before k is
 * full when this is asked. */
static uint32_t chunk_len(struct mote_http_entry *e, uint32_t k)
{
    uint32_t base = k * CHUNK;
    uint8_t b;
    if (e->end == MOTE_HTTP_LEN_UNKNOWN) {
        /* The chunk's last byte first (there: the chunk is full), then a
         * binary search below it: one call site for both. */
        uint32_t lo = base, hi = base + CHUNK, mid = hi - 1;
        while (lo < hi) {
            if (e->ufill(e->uctx, mid, &b, 1) == 1)
                lo = mid + 1;
            else
                hi = mid;
            mid = lo + ((hi - lo) >> 1);
        }
        if (lo == base + CHUNK)
            return CHUNK;
        e->end = lo;
    }
    if (e->end <= base)
        return 0;
    return e->end - base < CHUNK ? e->end - base : CHUNK;
}

/* Unit k: "03f8\r\n", CHUNK bytes, CRLF (1,024 bytes). The last unit has a
 * shorter size line value, its data, CRLF and "0\r\n\r\n"; with 1,012 data
 * bytes or more it spills up to 4 bytes into the next unit's range. The
 * units are written in order through one window on the whole body. */
static size_t chunk_fill(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    struct mote_http_entry *e = ctx;
    uint32_t k = off >> UNIT_SHIFT;
    if (k && (off & ((1u << UNIT_SHIFT) - 1)) < 5)
        k--; /* from the unit before: its spill if it was the last; if
              * full, it ends at off's unit and puts nothing in the window
              * (no generator call), and the loop goes on */
    struct win w = {buf, off, (uint32_t)cap, k << UNIT_SHIFT};
    uint32_t r;
    do {
        r = chunk_len(e, k);
        if (r) {
            putnum(&w, r, 16, 4); /* r < 0x400: "0" and 3 digits */
            putk(&w, O_CRLF);
            span(&w, (const void *)(uintptr_t)(k * CHUNK), r, e);
            putk(&w, O_CRLF);
        }
        k++;
    } while (r == CHUNK && w.pos < off + w.cap);
    if (r < CHUNK)
        putk(&w, O_LAST); /* the last unit: the body ends here */
    uint32_t n = w.pos > off ? w.pos - off : 0;
    return n < cap ? n : cap;
}

/* ---- output ------------------------------------------------------------- */

static int owns_stash(const struct mote_stack *s, const struct mote_http_req *r)
{
    return s->http.stash_owner == r->idx + 1;
}

static void resume_rx(struct mote_stack *s, struct mote_http_req *r)
{
    if (r->flags & C_STOP) {
        r->flags &= (uint16_t)~C_STOP;
        mote_tcp_resume(s, tconn(s, r));
    }
}

/* Queues what the entries have ready, in order, as TCP takes it. */
static void pump(struct mote_stack *s, struct mote_http_req *r)
{
    struct mote_tcp_conn *c = tconn(s, r);
    for (unsigned i = 0; i < 2; i++) {
        struct mote_http_entry *e = &r->e[(r->old + i) & 1];
        for (unsigned j = 0; j < 3; j++) {
            unsigned want = E_CONT << j;
            if ((e->flags & (want | want << 3)) != want)
                continue;
            struct mote_tcp_source *src =
                j ? &e->src[j - 1] /* the head, the body */
                  : (struct mote_tcp_source *)(uintptr_t)&cont_src;
            if (mote_tcp_send(s, c, src))
                return;
            e->flags |= (uint16_t)(want << 3);
        }
        if (!(e->flags & E_HEAD))
            break; /* free, or a request still being read */
    }
    /* Closing: the answer that decided it is the last one (no request is
     * read after it), so every answer is queued now. Or the peer closed
     * its side: once nothing more can come, close ours. */
    if ((r->flags & C_CLOSING) ||
        ((r->flags & C_PEER_FIN) && !owns_stash(s, r) &&
         (!(r->flags & C_REQ) || !(r->flags & C_DONE))))
        mote_tcp_close(s, c);
}

/* The four counters are consecutive: one index instead of a branch each. */
_Static_assert(MOTE_CNT_HTTP_5XX == MOTE_CNT_HTTP_2XX + 3, "HTTP_nXX order");

static void count_status(struct mote_stack *s, unsigned status)
{
    unsigned k = status / 100;
    k = k < 2 ? 2 : k > 5 ? 5 : k; /* 1xx counts as 2xx */
    s->counters[MOTE_CNT_HTTP_2XX - 2 + k]++;
}

/* Request done (complete and answered): ready for the next one. */
OUTLINE static void finish(struct mote_stack *s, struct mote_http_req *r)
{
    r->flags &= (uint16_t) ~(C_REQ | C_TGT | C_HEAD | C_DONE | C_ANSWERED |
                             C_COLLECT | C_AGAIN | C_KEEP | C_HTTP10);
    buf_free(s, r->rbuf);
    r->rbuf = 0;
    r->hbytes = 0; /* owed: 0 since the message ended */
    r->since = s->now;
    resume_rx(s, r);
}

/* p lies in response buffer b - 1 (b nonzero). One unsigned compare:
 * addresses below the buffer wrap around to large differences. */
static int in_buf(const struct mote_stack *s, unsigned b, const void *p)
{
    return (uintptr_t)p - (uintptr_t)s->http.bufs[b - 1] < MOTE_HTTP_BUF_SIZE;
}

/* The client holds a body back until it gets 100 Continue. */
OUTLINE static int awaits_continue(const struct mote_http_req *r)
{
    return mote_http_expect_continue(&r->p) &&
           mote_http_body(&r->p) != MOTE_HTTP_BODY_NONE;
}

/* Sets the current request's entry from a body source. */
static int answer(struct mote_http_req *r, unsigned status, const char *ctype,
                  const void *data, mote_http_fill fill, void *ctx,
                  uint32_t len)
{
    struct mote_stack *s = stack_of(r);
    if ((r->flags & (C_REQ | C_ANSWERED)) != C_REQ)
        return -1;
    struct mote_http_entry *e = &r->e[r->cur];
    unsigned f = e->flags & (E_TAKEN | E_CONT | E_CONTQ);
    /* 1xx and 204 have no length; a 304's would describe the 200's body. */
    int nolen = status < 200 || status == 204 || status == 304;
    int nobody = nolen || r->method == MOTE_HTTP_HEAD;

    /* HTTP/1.0 bodies of unknown length end by closing; a body the client
     * holds back for a 100 Continue it will not get leaves the stream
     * undelimited; past its lifetime a connection ends with this request
     * (between requests, never inside a transfer). */
    if (!(r->flags & C_KEEP) ||
        s->now - r->born >= TIMEOUT(s, HTTP_LIFETIME_MS) ||
        (len == MOTE_HTTP_LEN_UNKNOWN && (r->flags & C_HTTP10) && !nobody) ||
        ((r->flags & (C_HEAD | C_DONE)) == C_HEAD && !(f & E_CONTQ) &&
         awaits_continue(r)))
        f |= E_CLOSE;
    else if (r->flags & C_HTTP10)
        f |= E_KA;
    e->ctype = ctype;
    e->status = (uint16_t)status;
    e->head.fill = head_fill; /* head.data: NULL since the entry was taken */
    e->head.ctx = e;
    e->body.data = data;
    e->body.fill = fill;
    e->body.ctx = ctx;
    e->body.len = len;
    if (len != MOTE_HTTP_LEN_UNKNOWN) {
        if (!nolen)
            f |= E_LEN;
    } else if (!(r->flags & C_HTTP10)) {
        f |= E_CHUNKED;
        e->ufill = fill;
        e->uctx = ctx;
        e->end = MOTE_HTTP_LEN_UNKNOWN;
        e->body.fill = chunk_fill;
        e->body.ctx = e;
    }
    if (!nobody && len != 0) {
        if (data && len <= MOTE_HTTP_INLINE)
            f |= E_INLINE;
        else
            f |= E_BODY;
    }
    /* A body or header lines in the request's buffer: the entry holds it. */
    if (r->rbuf && (in_buf(s, r->rbuf, data) || in_buf(s, r->rbuf, e->extra))) {
        r->ebuf[r->cur] = r->rbuf;
        r->rbuf = 0;
    }
    e->flags = (uint16_t)(f | E_HEAD);
    /* The head's length, so the body's sources may follow it. */
    e->head.len = head_gen(e, NULL, 0, 0);
    r->flags |= C_ANSWERED;
    if (f & E_CLOSE)
        r->flags |= C_CLOSING;
    count_status(s, status);
    if (r->flags & C_DONE)
        finish(s, r);
    pump(s, r);
    return 0;
}

int mote_http_reply(struct mote_http_req *req, unsigned status,
                    const char *ctype, const void *body, uint32_t len)
{
    return answer(req, status, ctype, body, NULL, NULL, len); /* NULL: len 0 */
}

int mote_http_reply_gen(struct mote_http_req *req, unsigned status,
                        const char *ctype, mote_http_fill fill, void *ctx,
                        uint32_t len)
{
    return answer(req, status, ctype, NULL, fill, ctx, len);
}

void mote_http_headers(struct mote_http_req *req, const char *lines)
{
    if ((req->flags & (C_REQ | C_ANSWERED)) == C_REQ)
        req->e[req->cur].extra = lines;
}

/* An error decided by the server: a short body (the reason phrase).
 * close: the stream cannot be trusted. The router's answers (404, 405,
 * 400, 414, 204) are the others, and only they carry an Allow. */
static void error(struct mote_stack *s, struct mote_http_req *r,
                  unsigned status, int close)
{
    if (r->flags & C_ANSWERED) {
        if (close) { /* the stream is lost: close after the answer given */
            r->flags |= C_CLOSING;
            pump(s, r);
        }
        return;
    }
    if (close) {
        r->flags &= (uint16_t)~C_KEEP;
        r->e[r->cur].allow = 0;
    }
    r->e[r->cur].extra = NULL;
    uint32_t n;
    const char *t = reason(status, &n); /* a 204 sends no body anyway */
    answer(r, status, status == 204 ? NULL : "text/plain", t, NULL, NULL, n);
}

/* A head that came too slowly. */
OUTLINE static void timeout_408(struct mote_stack *s, struct mote_http_req *r)
{
    COUNT(s, HTTP_TIMEOUTS);
    error(s, r, 408, 1);
}

/* ---- the application's side ------------------------------------------- */

const uint8_t *mote_http_data(const struct mote_http_req *req, size_t *len)
{
    const struct mote_stack *s = stack_of(req);
    *len = s->http.span_len;
    return s->http.span;
}

uint8_t *mote_http_buf(struct mote_http_req *req, size_t *cap)
{
    struct mote_stack *s = stack_of(req);
    if (!req->rbuf) { /* the first free one */
        unsigned i = 0;
        while (s->http.busy & (1u << i))
            if (++i == MOTE_HTTP_BUFS)
                return NULL;
        s->http.busy |= (uint8_t)(1u << i);
        req->rbuf = (uint8_t)(i + 1);
    }
    *cap = MOTE_HTTP_BUF_SIZE;
    return s->http.bufs[req->rbuf - 1];
}

int mote_http_collect(struct mote_http_req *req)
{
    size_t cap;
    if (!mote_http_buf(req, &cap))
        return -1;
    req->flags |= C_COLLECT;
    req->blen = 0;
    return 0;
}

void mote_http_resume(struct mote_http_req *req)
{
    resume_rx(stack_of(req), req);
}

/* ---- input ---------------------------------------------------------------- */

/* The phase byte holds a FIELD phase's header id above the phase. */
_Static_assert(MOTE_HTTP_H_COUNT <= 64, "header ids must fit in 6 bits");

static int call(struct mote_stack *s, struct mote_http_req *r,
                unsigned phase, const uint8_t *p, size_t n)
{
    size_t count;
    const struct mote_route *t = mote_route_table(&count);
    s->http.span = p;
    s->http.span_len = (uint32_t)n;
    r->phase = (uint8_t)phase;
    return t[r->m.route].handler(r);
}

/* After the HEAD phase returned (not AGAIN): a body it did not refuse is
 * wanted, so a client waiting for 100 Continue gets it. */
static void after_head(struct mote_stack *s, struct mote_http_req *r)
{
    if (!(r->flags & C_ANSWERED) && awaits_continue(r)) {
        r->e[r->cur].flags |= E_CONT;
        pump(s, r);
    }
}

/* Calls the HEAD or END phase; MOTE_HTTP_AGAIN leaves it to a later poll
 * (the receive side waits meanwhile). */
static void run_phase(struct mote_stack *s, struct mote_http_req *r,
                      unsigned ph)
{
    const uint8_t *p = NULL;
    size_t n = 0;
    if (r->flags & C_COLLECT) { /* END: the body; HEAD: nothing yet */
        p = s->http.bufs[r->rbuf - 1];
        n = r->blen;
    }
    if (call(s, r, ph, p, n) == MOTE_HTTP_AGAIN) {
        r->flags |= C_AGAIN;
        return;
    }
    r->flags &= (uint16_t)~C_AGAIN;
    if (ph == MOTE_HTTP_PH_HEAD)
        after_head(s, r);
    resume_rx(s, r);
}

static void on_head(struct mote_stack *s, struct mote_http_req *r)
{
    struct mote_http_entry *e = &r->e[r->cur];
    /* What answer() needs of the parser, which resets at the end. */
    unsigned f = r->flags | C_HEAD;
    if (mote_http_keep_alive(&r->p))
        f |= C_KEEP;
    if (!mote_http_minor(&r->p))
        f |= C_HTTP10;
    r->flags = (uint16_t)f;
    if (e->status) /* the router's answer: 404, 405, 400, 414, 204 */
        error(s, r, e->status, 0);
    else
        run_phase(s, r, MOTE_HTTP_PH_HEAD);
}

static void on_done(struct mote_stack *s, struct mote_http_req *r)
{
    r->flags |= C_DONE;
    if (r->flags & C_ANSWERED)
        finish(s, r);
    else
        run_phase(s, r, MOTE_HTTP_PH_END);
}

/* Body bytes to the handler (or the collection); returns how many it took. */
OUTLINE static size_t body(struct mote_stack *s, struct mote_http_req *r,
                           const uint8_t *p, size_t n)
{
    if (r->flags & C_ANSWERED)
        return n; /* answered early: the rest is dropped */
    if (r->flags & C_COLLECT) {
        if (n > (size_t)(MOTE_HTTP_BUF_SIZE - r->blen)) {
            error(s, r, 413, 1);
            return n;
        }
        MEMCPY(s->http.bufs[r->rbuf - 1] + r->blen, p, n);
        r->blen = (uint16_t)(r->blen + n);
        return n;
    }
    int t = call(s, r, MOTE_HTTP_PH_BODY, p, n);
    if ((r->flags & C_ANSWERED) || (size_t)t > n)
        return n;
    return t < 0 ? 0 : (size_t)t;
}

/* Parses and handles what it can of p; returns the bytes taken. */
static size_t feed(struct mote_stack *s, struct mote_http_req *r,
                   const uint8_t *p, size_t len)
{
    size_t used = 0;

    /* Events may follow the last byte (DONE consumes none): the parser is
     * asked until it needs more. */
    for (;;) {
        if (r->flags & C_CLOSING)
            return len; /* nothing more is answered: drop */
        if (r->flags & (C_AGAIN | C_DONE))
            break; /* the handler has not finished with this request */
        if (r->owed) { /* bytes the parser counted, not yet taken */
            if (used == len)
                break;
            size_t n = len - used < r->owed ? len - used : r->owed;
            size_t t = body(s, r, p + used, n);
            used += t;
            r->owed = (uint16_t)(r->owed - t);
            if (t < n)
                break;
            continue;
        }
        if (!(r->flags & C_REQ)) { /* a new request needs a free entry */
            if (used == len)
                break;
            unsigned i = r->e[r->old].flags & E_TAKEN ? r->old ^ 1u : r->old;
            if (r->e[i].flags & E_TAKEN)
                break; /* both busy: the window closes */
            /* What answer() reads before it writes (head.data stays
             * NULL, as mote_init() and http_closed() left it). */
            struct mote_http_entry *e = &r->e[i];
            e->flags = E_TAKEN;
            e->status = 0;
            e->extra = NULL;
            e->allow = 0;
            r->cur = (uint8_t)i;
            r->flags |= C_REQ | C_ASKED;
            r->id++;
            r->since = s->now;
        }
        struct mote_http_event ev;
        used += mote_http_parse(&r->p, p + used, len - used, &ev);
        switch (ev.type) {
        case MOTE_HTTP_EV_TARGET:
            if (!(r->flags & C_TGT)) {
                r->flags |= C_TGT;
                r->method = (uint8_t)mote_http_method(&r->p);
                mote_route_begin(&r->m, mote_http_method(&r->p));
            }
            mote_route_feed(&r->m, ev.ptr, ev.len);
            if (ev.last) {
                struct mote_route_result rr;
                mote_route_end(&r->m, &rr);
                if (rr.status) { /* answered at HEAD, by the server */
                    r->e[r->cur].status = rr.status;
                    r->e[r->cur].allow = rr.allow;
                }
            }
            break;
        case MOTE_HTTP_EV_FIELD:
            if (!r->e[r->cur].status && !(r->flags & C_ANSWERED)) {
                call(s, r, MOTE_HTTP_PH_FIELD | (unsigned)ev.id << 2, ev.ptr,
                     ev.len);
            }
            break;
        case MOTE_HTTP_EV_HEAD:
            on_head(s, r);
            break;
        case MOTE_HTTP_EV_BODY:
            /* The span ends the bytes consumed: hand them over as owed. */
            used -= ev.len;
            r->owed = (uint16_t)ev.len;
            break;
        case MOTE_HTTP_EV_DONE:
            on_done(s, r);
            break;
        case MOTE_HTTP_EV_ERROR:
            error(s, r, ev.status, 1);
            return len;
        default: /* NEED_MORE: every byte consumed */
            goto stop;
        }
    }
stop:
    return used;
}

/* Feeds the stashed bytes; once they are all taken, the stash is free. */
OUTLINE static void unstash(struct mote_stack *s, struct mote_http_req *r)
{
    struct mote_http *h = &s->http;
    if (!owns_stash(s, r))
        return;
    size_t n = feed(s, r, h->stash, h->stash_len);
    if (!n)
        return;
    h->stash_len = (uint16_t)(h->stash_len - n);
    MEMMOVE(h->stash, h->stash + n, h->stash_len);
    if (!h->stash_len) {
        h->stash_owner = 0;
        pump(s, r); /* a FIN that waited behind the stash */
    }
    mote_tcp_resume(s, tconn(s, r)); /* the window grew: say so */
}

static size_t http_data(struct mote_stack *s, struct mote_tcp_conn *c,
                        const uint8_t *p, size_t len)
{
    struct mote_http_req *r = hconn(c);
    struct mote_http *h = &s->http;
    size_t used = 0;

    if (!p) {
        r->flags |= C_PEER_FIN;
        pump(s, r);
        return 0;
    }
    if (!(r->flags & C_HEAD)) /* then hbytes is blen */
        r->hbytes =
            (uint16_t)(r->hbytes + len < 0xffff ? r->hbytes + len : 0xffff);
    if ((r->flags & (C_REQ | C_HEAD)) != C_REQ)
        r->since = s->now; /* progress (a head keeps its start) */
    /* New bytes queue behind stashed ones. Else, pipelined requests
     * behind two busy entries (or a handler not done) are kept in the
     * stash, which the window was kept within, so the client never has
     * to send them again; a body the handler refused is not kept: that is
     * its back-pressure. */
    int queued = owns_stash(s, r);
    if (!queued) {
        used = feed(s, r, p, len);
        if (used == len || r->owed || (r->flags & C_CLOSING) ||
            h->stash_owner)
            goto out;
    }
    size_t k = MOTE_HTTP_STASH - h->stash_len; /* stash_len: 0 when free */
    if (k > len - used)
        k = len - used;
    MEMCPY(h->stash + h->stash_len, p + used, k);
    h->stash_len = (uint16_t)(h->stash_len + k);
    h->stash_owner = (uint8_t)(r->idx + 1);
    used += k;
    if (queued)
        unstash(s, r);
out:
    if (used < len)
        r->flags |= C_STOP;
    return used;
}

/* While a request head is read, the window is what the stash can hold
 * (pipelined requests past the two entries land there); a body streams at
 * the handler's pace, at the full window. */
static unsigned http_window(const struct mote_stack *s,
                            const struct mote_tcp_conn *c)
{
    const struct mote_http_req *r = hconn(c);
    if (!r) /* SYN-RECEIVED: not accepted yet */
        return MOTE_HTTP_STASH;
    if ((r->flags & (C_HEAD | C_DONE | C_AGAIN)) == C_HEAD &&
        mote_http_body(&r->p) != MOTE_HTTP_BODY_NONE)
        return MOTE_TCP_RCV_WND;
    if (owns_stash(s, r))
        return MOTE_HTTP_STASH - s->http.stash_len;
    return MOTE_HTTP_STASH;
}

static void http_acked(struct mote_stack *s, struct mote_tcp_conn *c,
                       struct mote_tcp_source *src)
{
    struct mote_http_req *r = hconn(c);
    struct mote_http_entry *e = &r->e[r->old];
    if (src != &e->src[(e->flags & E_BODY) != 0]) /* the body, else head */
        return; /* a 100 Continue, or a head with a body behind it */
    buf_free(s, r->ebuf[r->old]);
    r->ebuf[r->old] = 0;
    e->flags = 0;
    r->old ^= 1;
    if ((r->flags & (C_REQ | C_HEAD)) != C_REQ)
        r->since = s->now; /* idle from the end of the last response */
    pump(s, r);
    resume_rx(s, r);
}

static int http_accepted(struct mote_stack *s, struct mote_tcp_conn *c)
{
    unsigned i = (unsigned)(c - s->tcp.conns);
    struct mote_http_req *r = &s->http.conns[i];
    /* Zero but for id: mote_init() cleared it, http_closed() clears it. */
    r->idx = (uint8_t)i;
    r->since = r->born = s->now;
    mote_http_init(&r->p);
    c->ctx = r;
    return 0;
}

static void http_closed(struct mote_stack *s, struct mote_tcp_conn *c,
                        enum mote_tcp_why why)
{
    struct mote_http_req *r = hconn(c);
    (void)why;
    if (owns_stash(s, r)) { /* a free stash is empty */
        s->http.stash_owner = 0;
        s->http.stash_len = 0;
    }
    buf_free(s, r->rbuf);
    buf_free(s, r->ebuf[0]);
    buf_free(s, r->ebuf[1]);
    uint16_t id = r->id;
    MEMSET(r, 0, sizeof *r);
    r->id = (uint16_t)(id + 1); /* a deferred answer sees it is stale */
}

static int idle(const struct mote_stack *s, const struct mote_http_req *r)
{
    return !(r->flags & C_REQ) &&
           !((r->e[0].flags | r->e[1].flags) & E_TAKEN) && !owns_stash(s, r);
}

/* A client found the pool full: a connection whose last answer is
 * delivered and which is closing goes first, else the idle one least
 * recently active (RST, its slot to the newcomer at once), but not one
 * opened less than a second ago that has not asked yet. With none,
 * heads arriving slower than MOTE_HTTP_MIN_RATE get 408: closed, they
 * leave room for the client's SYN retry. */
static int http_evict(struct mote_stack *s)
{
    struct mote_tcp_conn *best = NULL;
    for (struct mote_tcp_conn *c = s->tcp.conns;
         c < s->tcp.conns + MOTE_MAX_CONNS; c++) {
        if (c->lport != MOTE_HTTP_PORT)
            continue;
        if (c->state == MOTE_TCP_FIN_WAIT_2) {
            best = c;
            break;
        }
        struct mote_http_req *r = hconn(c); /* set once established */
        if (c->state != MOTE_TCP_ESTABLISHED || (r->flags & C_CLOSING))
            continue;
        uint32_t age = s->now - r->since;
        if (idle(s, r)) {
            /* A connection not yet a second old and without a request
             * yet is spared: its client is about to ask (two newcomers
             * must not evict each other in turn). */
            if (!(r->flags & C_ASKED) && age < 1000)
                continue;
            if (!best || (int32_t)(r->since - hconn(best)->since) < 0)
                best = c; /* FIN-WAIT-2 ends the search: best is idle */
        } else if ((r->flags & (C_REQ | C_HEAD)) == C_REQ && age >= 1000 &&
                   (uint32_t)r->hbytes * 1000u < MOTE_HTTP_MIN_RATE * age) {
            timeout_408(s, r);
        }
    }
    if (!best)
        return 0;
    if (best->state == MOTE_TCP_ESTABLISHED)
        COUNT(s, HTTP_EVICTIONS);
    mote_tcp_abort(s, best);
    return 1;
}

/* Applies the timeouts; returns the ms to the next one. */
static uint32_t http_poll(struct mote_stack *s, struct mote_tcp_conn *c)
{
    struct mote_http_req *r = hconn(c);
    uint32_t due;

    if (r->flags & C_AGAIN) {
        run_phase(s, r, r->phase);
        if (r->flags & C_AGAIN)
            return 10; /* a handler waiting for a buffer: soon again */
        /* The parser gives a GET's DONE without consuming a byte, so it
         * is still to be asked for (no bytes: any pointer does, and r is
         * at hand): else the request stays open until the client's next
         * bytes, and the connection is never idle, so never evicted nor
         * idle-closed. */
        feed(s, r, (const uint8_t *)r, 0);
    }
    unstash(s, r);
    if (r->flags & C_CLOSING)
        return 0xffffffffu; /* TCP's own timers end it */
    if (idle(s, r)) {
        /* Idle keep-alive, or past the lifetime between requests. */
        due = r->since + TIMEOUT(s, HTTP_IDLE_MS);
        if ((int32_t)(r->born + TIMEOUT(s, HTTP_LIFETIME_MS) - due) < 0)
            due = r->born + TIMEOUT(s, HTTP_LIFETIME_MS);
        if ((int32_t)(s->now - due) >= 0) {
            COUNT(s, HTTP_IDLE_CLOSES);
            r->flags |= C_CLOSING;
            mote_tcp_close(s, c);
            return 0xffffffffu;
        }
    } else if ((r->flags & (C_REQ | C_HEAD)) == C_REQ) {
        /* A head must come whole within HTTP_HEADER_MS (slowloris). */
        due = r->since + TIMEOUT(s, HTTP_HEADER_MS);
        if ((int32_t)(s->now - due) >= 0) {
            timeout_408(s, r);
            return 0xffffffffu;
        }
    } else {
        /* A body or a response on its way: no byte moved for too long.
         * `since` marks the last byte in or acknowledged; while bytes are
         * in flight, TCP's retransmission and persist limits govern. */
        if (c->snd_una != c->snd_max)
            r->since = s->now;
        due = r->since + TIMEOUT(s, HTTP_STALL_MS);
        if ((int32_t)(s->now - due) >= 0) {
            COUNT(s, HTTP_TIMEOUTS);
            mote_tcp_abort(s, c);
            return 0xffffffffu;
        }
    }
    return due - s->now;
}

static const struct mote_tcp_listener http_listener = {
    .port = MOTE_HTTP_PORT,
    .accepted = http_accepted,
    .data = http_data,
    .acked = http_acked,
    .closed = http_closed,
    .poll = http_poll,
    .evict = http_evict,
    .window = http_window,
};

int mote_http_start(struct mote_stack *s)
{
    return mote_tcp_listen(s, &http_listener);
}
