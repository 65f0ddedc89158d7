/* The HTTP server in simulated time over the mock driver: keep-alive,
 * pipelining split at every byte, HEAD, errors, chunked framing regenerated
 * at other cuts, back-pressure, 100-continue, timeouts, slots returned.
 * The server is compiled into this test so its framing can be probed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/http_server.c"
#include "tcp_frames.h"

/* ---- routes --------------------------------------------------------------- */

static int h_hello(struct mote_http_req *req)
{
    static const char body[] = "hello\n";
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    return mote_http_reply(req, 200, "text/plain", body, 6);
}
MOTE_ROUTE(GET, "/hello", h_hello);
/* Two more methods, so that "OPTIONS *" names all seven. */
MOTE_ROUTE(DELETE, "/hello/all", h_hello);
MOTE_ROUTE(PATCH, "/hello/all", h_hello);

static uint8_t big[8192];
static int h_big(struct mote_http_req *req)
{
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    return mote_http_reply(req, 200, "application/octet-stream", big,
                           sizeof big);
}
MOTE_ROUTE(GET, "/big", h_big);

static uint32_t gen_n;
static size_t gen(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    uint32_t end = *(uint32_t *)ctx;
    size_t n = 0;
    while (n < cap && off + n < end) {
        buf[n] = pattern(off + (uint32_t)n);
        n++;
    }
    return n;
}
static int h_stream(struct mote_http_req *req)
{
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    return mote_http_reply_gen(req, 200, "text/plain", gen, &gen_n,
                               MOTE_HTTP_LEN_UNKNOWN);
}
MOTE_ROUTE(GET, "/stream", h_stream);

static int h_echo(struct mote_http_req *req)
{
    size_t n;
    const uint8_t *p;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_HEAD:
        return mote_http_collect(req) ? MOTE_HTTP_AGAIN : 0;
    case MOTE_HTTP_PH_END:
        p = mote_http_data(req, &n);
        return mote_http_reply(req, 200, "application/json", p, (uint32_t)n);
    default:
        return 0;
    }
}
MOTE_ROUTE(POST, "/echo", h_echo);

static size_t take_limit, up_bytes;
static int up_stall;
static int h_up(struct mote_http_req *req)
{
    static char msg[32];
    size_t n;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_HEAD:
        up_bytes = 0;
        return 0;
    case MOTE_HTTP_PH_BODY:
        mote_http_data(req, &n);
        if (up_stall)
            return 0;
        if (take_limit && n > take_limit)
            n = take_limit;
        up_bytes += n;
        return (int)n;
    case MOTE_HTTP_PH_END: {
        int len = snprintf(msg, sizeof msg, "%zu", up_bytes);
        return mote_http_reply(req, 201, "text/plain", msg, (uint32_t)len);
    }
    default:
        return 0;
    }
}
MOTE_ROUTE(PUT, "/up", h_up);

static int h_user(struct mote_http_req *req)
{
    size_t cap;
    int32_t id;
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    uint8_t *b = mote_http_buf(req, &cap);
    if (!b)
        return MOTE_HTTP_AGAIN;
    if (mote_param_int(mote_http_match(req), "id", &id))
        return mote_http_reply(req, 400, "text/plain", "bad id", 6);
    int n = snprintf((char *)b, cap, "{\"id\":%d}", (int)id);
    return mote_http_reply(req, 200, "application/json", b, (uint32_t)n);
}
MOTE_ROUTE(GET, "/users/{id}", h_user);

static struct mote_http_req *deferred;
static uint16_t deferred_id;
static int h_defer(struct mote_http_req *req)
{
    if (mote_http_phase(req) == MOTE_HTTP_PH_END) {
        deferred = req;
        deferred_id = mote_http_id(req);
    }
    return 0;
}
MOTE_ROUTE(GET, "/defer", h_defer);

/* Echoes the Content-Type it was sent, gathered from FIELD spans. */
static char ctype_seen[64];
static size_t ctype_len;
static int h_fields(struct mote_http_req *req)
{
    size_t n;
    const uint8_t *p;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_FIELD:
        p = mote_http_data(req, &n);
        if (mote_http_field(req) == MOTE_HTTP_H_CONTENT_TYPE &&
            ctype_len + n < sizeof ctype_seen) {
            memcpy(ctype_seen + ctype_len, p, n);
            ctype_len += n;
        }
        return 0;
    case MOTE_HTTP_PH_HEAD:
        return mote_http_reply(req, 200, "text/plain", ctype_seen,
                               (uint32_t)ctype_len);
    default:
        return 0;
    }
}
MOTE_ROUTE(GET, "/fields", h_fields);

/* ---- a peer speaking TCP from the test ----------------------------------- */

static struct fixture *fx;
static uint8_t fr[MOCK_FRAME_MAX];

struct cli {
    uint16_t port;
    uint32_t seq;   /* next byte we send */
    uint32_t rcv;   /* next byte expected from mote */
    uint32_t acked; /* highest ack from mote */
    uint16_t wnd;
    uint32_t edge;  /* right edge of mote's window: ack + window */
    int fin, rst, noack, ignore_wnd;
    size_t len;
    uint8_t rx[200000];
};
static struct cli cls[6];

static void cli_send_seg(struct cli *c, uint32_t seq, uint8_t fl,
                         const void *p, size_t n)
{
    fixture_rx(fx, fr, fb_tcp(fr, c->port, APP_PORT, seq, c->rcv, fl, c->wnd,
                              NULL, 0, p, n));
}

/* Reads what mote sent, acknowledges in-order data; repeats until quiet. */
static void drain(void)
{
    for (int rounds = 0; rounds < 10000; rounds++) {
        unsigned n = fx->m.tx_count;
        if (n == 0)
            return;
        assert_true(n <= MOCK_TX_SLOTS);
        int fresh[6] = {0};
        for (unsigned i = 0; i < n; i++) {
            struct seg g = sent_seg(fx, i);
            struct cli *c = NULL;
            if (getenv("DBG"))
                fprintf(stderr, "seg seq %u ack %u fl %x len %zu\n", g.seq, g.ack, g.flags, g.plen);
            for (unsigned k = 0; k < 6; k++)
                if (cls[k].port == g.dport)
                    c = &cls[k];
            assert_non_null(c);
            if (g.flags & F_RST) {
                c->rst = 1;
                continue;
            }
            if (g.flags & F_ACK && (int32_t)(g.ack - c->acked) > 0)
                c->acked = g.ack;
            if (g.flags & F_ACK)
                c->edge = g.ack + g.wnd;
            if (g.plen && g.seq == c->rcv) {
                assert_true(c->len + g.plen <= sizeof c->rx);
                memcpy(c->rx + c->len, g.payload, g.plen);
                c->len += g.plen;
                c->rcv += (uint32_t)g.plen;
                fresh[c - cls] = 1;
            }
            if ((g.flags & F_FIN) && g.seq + g.plen == c->rcv) {
                c->rcv++;
                c->fin = 1;
                fresh[c - cls] = 1;
            }
        }
        mock_clear_sent(&fx->m);
        for (unsigned k = 0; k < 6; k++)
            if (fresh[k] && !cls[k].noack)
                cli_send_seg(&cls[k], cls[k].seq, F_ACK, NULL, 0);
    }
    fail_msg("mote never went quiet");
}

static struct cli *cli_open(unsigned i)
{
    struct cli *c = &cls[i];
    memset(c, 0, sizeof *c);
    c->port = (uint16_t)(40000 + i);
    c->wnd = 65535;
    c->seq = 1000 * (i + 1);
    fixture_rx(fx, fr, fb_tcp(fr, c->port, APP_PORT, c->seq, 0, F_SYN,
                              c->wnd, NULL, 0, NULL, 0));
    struct seg g = sent_seg(fx, 0);
    assert_int_equal(g.flags, F_SYN | F_ACK);
    mock_clear_sent(&fx->m);
    c->seq++;
    c->rcv = g.seq + 1;
    c->acked = c->seq;
    c->edge = c->seq + g.wnd;
    cli_send_seg(c, c->seq, F_ACK, NULL, 0);
    drain();
    return c;
}

/* Sends bytes in segments of at most `seg` bytes, within mote's window
 * (unless ignore_wnd); returns what mote took. */
static size_t cli_write(struct cli *c, const void *p, size_t n, size_t seg)
{
    const uint8_t *b = p;
    size_t off = 0;
    while (off < n) {
        size_t k = n - off < seg ? n - off : seg;
        if (!c->ignore_wnd && (int32_t)(c->edge - c->seq) < (int32_t)k)
            k = (int32_t)(c->edge - c->seq) > 0 ? c->edge - c->seq : 0;
        if (k == 0)
            break; /* the window is closed: wait for the update */
        uint32_t before = c->acked;
        cli_send_seg(c, c->seq, F_ACK | F_PSH, b + off, k);
        /* The ACK may ride on data; read it before draining. */
        for (unsigned i = 0; i < fx->m.tx_count; i++) {
            struct seg g = sent_seg(fx, i);
            if (g.dport == c->port && (int32_t)(g.ack - c->acked) > 0)
                c->acked = g.ack;
            if (g.dport == c->port && (g.flags & F_ACK))
                c->edge = g.ack + g.wnd;
        }
        uint32_t took = c->acked - before;
        c->seq += took; /* what was not taken comes again later */
        off += took;
        drain();
        if (took < k)
            break;
    }
    return off;
}

/* Sends everything, waiting for the window to reopen when it closes. */
static void cli_write_all(struct cli *c, const void *p, size_t n)
{
    size_t off = 0;
    for (int tries = 0; off < n && tries < 1000; tries++) {
        off += cli_write(c, (const uint8_t *)p + off, n - off, 1400);
        if (off < n) {
            fx->now += 10;
            fixture_poll(fx);
            drain();
        }
    }
    assert_int_equal(off, n);
}

static void cli_puts(struct cli *c, const char *s)
{
    cli_write_all(c, s, strlen(s));
}

static void cli_close(struct cli *c)
{
    cli_send_seg(c, c->seq, F_ACK | F_FIN, NULL, 0);
    c->seq++;
    drain();
}

static void advance(uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += 100) {
        fx->now += 100;
        fixture_poll(fx);
        drain();
    }
}

static void setup_server(void)
{
    fx = fixture_new();
    for (uint32_t i = 0; i < sizeof big; i++)
        big[i] = pattern(i);
    memset(cls, 0, sizeof cls);
    take_limit = 0;
    up_stall = 0;
    deferred = NULL;
    assert_int_equal(mote_http_start(&fx->s), 0);
}

/* Every slot and buffer back once all clients closed. */
static void assert_all_free(void)
{
    advance(200);
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    assert_int_equal(fx->s.http.busy, 0);
}

static const char *rxs(struct cli *c)
{
    static char s[200001];
    memcpy(s, c->rx, c->len);
    s[c->len] = 0;
    return s;
}

/* Occurrences of n in what c received (binary bodies included). */
static int count_in(const struct cli *c, const char *n)
{
    int k = 0;
    size_t m = strlen(n);
    for (size_t i = 0; i + m <= c->len; i++)
        k += !memcmp(c->rx + i, n, m);
    return k;
}

/* ---- tests ------------------------------------------------------------------ */

static void keep_alive_get(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_string_equal(rxs(c), "HTTP/1.1 200 OK\r\nContent-Type: text/plain"
                                "\r\nContent-Length: 6\r\n\r\nhello\n");
    cli_puts(c, "GET /users/42 HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_non_null(strstr(rxs(c), "\r\n\r\n{\"id\":42}"));
    assert_int_equal(c->fin, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_2XX), 2);
    /* Delivered header values reach the handler, split or not. */
    c->len = 0;
    ctype_len = 0;
    static const char fr_req[] = "GET /fields HTTP/1.1\r\nHost: x\r\n"
                                 "Content-Type: text/x-a\r\n\r\n";
    assert_int_equal(cli_write(c, fr_req, 40, 1400), 40);
    cli_write_all(c, fr_req + 40, sizeof fr_req - 41);
    assert_non_null(strstr(rxs(c), "\r\n\r\ntext/x-a"));
    cli_close(c);
    assert_int_equal(c->fin, 1);
    assert_all_free();
}

static void http10_and_close(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "GET /hello HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(rxs(c), "Connection: close\r\n"));
    assert_int_equal(c->fin, 1);
    cli_close(c);
    c = cli_open(1);
    cli_puts(c, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert_non_null(strstr(rxs(c), "Connection: keep-alive\r\n"));
    assert_int_equal(c->fin, 0);
    cli_close(c);
    c = cli_open(2);
    cli_puts(c, "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(rxs(c), "Connection: close\r\n"));
    assert_int_equal(c->fin, 1);
    cli_close(c);
    assert_all_free();
}

static void head_request(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_string_equal(rxs(c), "HTTP/1.1 200 OK\r\nContent-Type: "
                                "application/octet-stream\r\nContent-Length: "
                                "8192\r\n\r\n");
    c->len = 0;
    cli_puts(c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    const char *h = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream"
                    "\r\nContent-Length: 8192\r\n\r\n";
    assert_int_equal(c->len, strlen(h) + sizeof big);
    assert_memory_equal(c->rx + strlen(h), big, sizeof big);
    cli_close(c);
    assert_all_free();
}

/* The response stream to `req` sent whole, then split in two at every byte. */
static void pipelined_split(void **st)
{
    (void)st;
    static const char req[] =
        "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /users/7 HTTP/1.1\r\nHost: x\r\n\r\n"
        "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd"
        "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    size_t n = sizeof req - 1;
    static uint8_t want[200000];
    size_t want_len;

    setup_server();
    struct cli *c = cli_open(0);
    cli_write_all(c, req, n);
    want_len = c->len;
    memcpy(want, c->rx, want_len);
    if (getenv("DBG"))
        fprintf(stderr, "%s\n", rxs(c));
    assert_int_equal(count_in(c, "HTTP/1.1 "), 7);
    assert_int_equal(count_in(c, "404 Not Found"), 1);
    cli_close(c);
    assert_all_free();

    for (size_t cut = 1; cut < n; cut++) {
        setup_server();
        c = cli_open(0);
        /* The first piece may not be taken whole (both entries busy): the
         * rest of it goes again, then the second piece. */
        cli_write_all(c, req, cut);
        cli_write_all(c, req + cut, n - cut);
        advance(300);
        assert_int_equal(c->len, want_len);
        assert_memory_equal(c->rx, want, want_len);
        cli_close(c);
        assert_all_free();
    }
}

/* 20 GETs written at once by a client that keeps within mote's window:
 * every byte sent is taken (none has to go again), the window closes and
 * reopens with an update as the stash drains, answers in order. */
static void pipelined_burst(void **st)
{
    (void)st;
    static char req[2000];
    size_t n = 0;
    setup_server();
    struct cli *c = cli_open(0);
    for (int i = 0; i < 20; i++)
        n += (size_t)sprintf(req + n, "GET /users/%d HTTP/1.1\r\nHost: x\r\n\r\n", i);
    for (int tries = 0; n && tries < 100; tries++) {
        uint32_t room = c->edge - c->seq;
        size_t k = n < room ? n : room;
        size_t took = cli_write(c, req, k, 1400);
        assert_int_equal(took, k); /* within the window: all taken */
        memmove(req, req + k, n - k);
        n -= k;
        if (n && c->edge == c->seq) { /* closed: the update comes unasked */
            fixture_poll(fx);
            drain();
            assert_true(c->edge - c->seq > 0);
        }
    }
    assert_int_equal(n, 0);
    advance(200);
    assert_int_equal(count_in(c, "HTTP/1.1 200"), 20);
    const char *p = rxs(c);
    for (int i = 0; i < 20; i++) {
        char want[32];
        snprintf(want, sizeof want, "\"id\":%d}", i);
        const char *q = strstr(p, want);
        assert_non_null(q);
        p = q;
    }
    assert_int_equal(fx->s.http.stash_owner, 0);
    cli_close(c);
    assert_all_free();
}

/* "OPTIONS *" answers from the table with every method in Allow, in enum
 * order: the server names them from the parser's word table. */
static void options_star_names_every_method(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_non_null(strstr(rxs(c), "HTTP/1.1 204 No Content\r\n"));
    assert_non_null(strstr(rxs(c), "\r\nAllow: GET, HEAD, POST, PUT, DELETE, "
                                   "PATCH, OPTIONS\r\n"));
    cli_close(c);
    assert_all_free();
}

static void error_statuses(void **st)
{
    (void)st;
    static const struct {
        const char *req;
        const char *status;
        int closes;
    } t[] = {
        {"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", "404 Not Found", 0},
        {"DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n",
         "405 Method Not Allowed", 0},
        {"GET /a/../b HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request", 0},
        {"GET /hello HTTP/1.1\r\n\r\n", "400 Bad Request", 1},
        {"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", "501 Not Implemented", 1},
        {"GET /hello HTTP/2.0\r\nHost: x\r\n\r\n",
         "505 HTTP Version Not Supported", 1},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
         "413 Content Too Large", 1},
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        setup_server();
        struct cli *c = cli_open(0);
        cli_puts(c, t[i].req);
        assert_non_null(strstr(rxs(c), t[i].status));
        assert_int_equal(c->fin, t[i].closes);
        if (strstr(t[i].status, "405"))
            assert_non_null(strstr(rxs(c), "Allow: GET, HEAD, OPTIONS\r\n"));
        cli_close(c);
        assert_all_free();
    }
    /* 414: a target longer than the limit. */
    setup_server();
    struct cli *c = cli_open(0);
    static char longreq[3000];
    strcpy(longreq, "GET /");
    memset(longreq + 5, 'a', MOTE_HTTP_MAX_TARGET + 10);
    strcat(longreq, " HTTP/1.1\r\nHost: x\r\n\r\n");
    cli_write_all(c, longreq, strlen(longreq));
    assert_non_null(strstr(rxs(c), "414 URI Too Long"));
    assert_int_equal(c->fin, 1);
    cli_close(c);
    /* 431: too many header fields. */
    c = cli_open(1);
    static char many[4000];
    strcpy(many, "GET /hello HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < MOTE_HTTP_MAX_HEADERS + 2; i++)
        strcat(many, "X-A: b\r\n");
    strcat(many, "\r\n");
    cli_write_all(c, many, strlen(many));
    assert_non_null(strstr(rxs(c), "431 Request Header Fields Too Large"));
    cli_close(c);
    /* 413 from collection: a body larger than the response buffer. */
    c = cli_open(2);
    static char body[MOTE_HTTP_BUF_SIZE + 100];
    memset(body, 'x', sizeof body);
    char head[128];
    snprintf(head, sizeof head,
             "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n",
             sizeof body);
    cli_puts(c, head);
    cli_write(c, body, sizeof body, 1400);
    assert_non_null(strstr(rxs(c), "413 Content Too Large"));
    assert_int_equal(c->fin, 1);
    cli_close(c);
    assert_all_free();
    assert_true(cnt(fx, MOTE_CNT_HTTP_4XX) >= 3);
}

/* Decodes a chunked body; returns its length or -1. */
static long dechunk(const uint8_t *p, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0;
    for (;;) {
        char *end;
        char line[16];
        size_t k = 0;
        while (i < n && p[i] != '\r' && k < 15)
            line[k++] = (char)p[i++];
        line[k] = 0;
        if (i + 1 >= n || p[i + 1] != '\n')
            return -1;
        i += 2;
        unsigned long len = strtoul(line, &end, 16);
        if (*end || k != (len ? 4u : 1u))
            return -1;
        if (len == 0)
            return (i + 2 == n && p[i] == '\r' && p[i + 1] == '\n') ? (long)o
                                                                    : -1;
        if (i + len + 2 > n)
            return -1;
        memcpy(out + o, p + i, len);
        o += len;
        i += len;
        if (p[i] != '\r' || p[i + 1] != '\n')
            return -1;
        i += 2;
    }
}

static void chunked_framing(void **st)
{
    (void)st;
    static const uint32_t sizes[] = {0,    1,    1010, 1011, 1012, 1015,
                                     1016, 1017, 2031, 2032, 2033, 5000};
    static uint8_t whole[8000], cut[8000], body[8000];
    for (unsigned si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        uint32_t n = sizes[si];
        struct mote_http_entry e;
        memset(&e, 0, sizeof e);
        e.ufill = gen;
        e.uctx = &n;
        e.end = MOTE_HTTP_LEN_UNKNOWN;
        size_t len = chunk_fill(&e, 0, whole, sizeof whole);
        assert_true(len < sizeof whole);
        assert_int_equal(dechunk(whole, len, body), n);
        for (uint32_t i = 0; i < n; i++)
            assert_int_equal(body[i], pattern(i));
        /* Regenerated from fresh state, cut at other offsets and sizes. */
        for (size_t step = 1; step < 1500; step += 97) {
            memset(&e, 0, sizeof e);
            e.ufill = gen;
            e.uctx = &n;
            e.end = MOTE_HTTP_LEN_UNKNOWN;
            size_t off = 0;
            for (;;) {
                size_t got = chunk_fill(&e, (uint32_t)off, cut + off, step);
                off += got;
                if (got < step)
                    break;
            }
            assert_int_equal(off, len);
            assert_memory_equal(cut, whole, len);
            /* And out of order: the tail first, as a retransmission may. */
            memset(&e, 0, sizeof e);
            e.ufill = gen;
            e.uctx = &n;
            e.end = MOTE_HTTP_LEN_UNKNOWN;
            size_t from = len > step ? len - step : 0;
            assert_int_equal(chunk_fill(&e, (uint32_t)from, cut, step),
                             len - from);
            assert_memory_equal(cut, whole + from, len - from);
        }
    }
    /* Through the server. */
    setup_server();
    struct cli *c = cli_open(0);
    gen_n = 3000;
    cli_puts(c, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    const char *h = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n";
    assert_memory_equal(c->rx, h, strlen(h));
    assert_int_equal(dechunk(c->rx + strlen(h), c->len - strlen(h), body),
                     3000);
    /* HTTP/1.0: no chunking, delimited by closing. */
    c->len = 0;
    cli_puts(c, "GET /stream HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(rxs(c), "Connection: close\r\n\r\n"));
    assert_int_equal(c->len - (size_t)(strstr(rxs(c), "\r\n\r\n") + 4 - rxs(c)),
                     3000);
    assert_int_equal(c->fin, 1);
    cli_close(c);
    assert_all_free();
}

static void retransmission_identical(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    gen_n = 6000;
    c->noack = 1; /* lose every ACK: mote retransmits from the source */
    cli_puts(c, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    size_t first = c->len;
    static uint8_t copy[20000];
    memcpy(copy, c->rx, first);
    /* Forget what arrived; the retransmissions rebuild it. */
    c->len = 0;
    c->rcv -= (uint32_t)first;
    c->noack = 0;
    advance(3000);
    assert_true(c->len >= first);
    assert_memory_equal(c->rx, copy, first);
    cli_close(c);
    assert_all_free();
}

static void back_pressure(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    static uint8_t body[20000];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = pattern((uint32_t)i);
    char head[128];
    snprintf(head, sizeof head,
             "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n",
             sizeof body);
    take_limit = 300;
    cli_puts(c, head);
    size_t sent = 0;
    int rounds = 0;
    while (sent < sizeof body && rounds++ < 1000) {
        size_t t = cli_write(c, body + sent, sizeof body - sent, 1000);
        sent += t;
        if (t < sizeof body - sent + t) /* window closed: resume */
            mote_http_resume(&fx->s.http.conns[0]);
        fixture_poll(fx);
        drain();
    }
    assert_int_equal(sent, sizeof body);
    assert_int_equal(up_bytes, sizeof body);
    assert_non_null(strstr(rxs(c), "201 Created"));
    assert_non_null(strstr(rxs(c), "\r\n\r\n20000"));
    /* A stalled handler closes the window entirely. */
    c->len = 0;
    up_stall = 1;
    cli_puts(c, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
    assert_int_equal(cli_write(c, "0123456789", 10, 1400), 0);
    up_stall = 0;
    mote_http_resume(&fx->s.http.conns[0]);
    fixture_poll(fx);
    drain();
    assert_int_equal(cli_write(c, "0123456789", 10, 1400), 10);
    assert_non_null(strstr(rxs(c), "\r\n\r\n10"));
    cli_close(c);
    assert_all_free();
}

static void expect_continue(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                "Expect: 100-continue\r\n\r\n");
    assert_string_equal(rxs(c), "HTTP/1.1 100 Continue\r\n\r\n");
    cli_puts(c, "hello");
    if (getenv("DBG"))
        fprintf(stderr, "[%s]\n", rxs(c));
    assert_non_null(strstr(rxs(c), "100 Continue\r\n\r\nHTTP/1.1 201 Created"));
    assert_int_equal(c->fin, 0);
    /* Refused at the head (404): no 100, and the connection closes since the
     * client may never send the body. */
    c->len = 0;
    cli_puts(c, "PUT /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                "Expect: 100-continue\r\n\r\n");
    assert_null(strstr(rxs(c), "100 Continue"));
    assert_non_null(strstr(rxs(c), "404 Not Found"));
    assert_int_equal(c->fin, 1);
    cli_close(c);
    assert_all_free();
}

static void deferred_and_timeouts(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    static const char two[] = "GET /defer HTTP/1.1\r\nHost: x\r\n\r\n"
                              "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    /* The second request waits in the stash while the first is
     * unanswered: taken, answered after it. */
    size_t took = cli_write(c, two, sizeof two - 1, 1400);
    assert_int_equal(took, sizeof two - 1);
    assert_int_equal(c->len, 0);
    assert_int_equal(fx->s.http.stash_owner, 1);
    assert_non_null(deferred);
    advance(8000); /* a request in progress is not idle */
    assert_int_equal(c->fin, 0);
    assert_int_equal(mote_http_id(deferred), deferred_id);
    assert_int_equal(mote_http_reply(deferred, 200, NULL, "late", 4), 0);
    fixture_poll(fx);
    drain();
    advance(500);
    assert_int_equal(count_in(c, "HTTP/1.1 200"), 2);
    assert_non_null(strstr(rxs(c), "late"));
    /* Idle keep-alive: closed after 5 s. */
    advance(MOTE_HTTP_IDLE_MS + 200);
    assert_int_equal(c->fin, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_IDLE_CLOSES), 1);
    cli_close(c);
    /* A head that never completes: 408 and close. */
    c = cli_open(1);
    cli_puts(c, "GET /hello HTTP/1.1\r\nHo");
    advance(MOTE_HTTP_HEADER_MS + 200);
    assert_non_null(strstr(rxs(c), "408 Request Timeout"));
    assert_int_equal(c->fin, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_TIMEOUTS), 1);
    cli_close(c);
    /* Past the lifetime, a busy connection ends with its current request. */
    mote_set_timeout(&fx->s, MOTE_TO_HTTP_IDLE_MS, 60000);
    mote_set_timeout(&fx->s, MOTE_TO_HTTP_LIFETIME_MS, 4000);
    c = cli_open(3);
    for (int i = 0; i < 3; i++) {
        advance(1000);
        cli_puts(c, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    assert_int_equal(c->fin, 0);
    advance(500); /* a request begun before the lifetime ends is served */
    cli_puts(c, "GET /hello HTTP/1.1\r\n");
    advance(700);
    assert_int_equal(c->fin, 0);
    cli_puts(c, "Host: x\r\n\r\n");
    assert_int_equal(count_in(c, "Connection: close"), 1);
    assert_int_equal(c->fin, 1);
    cli_close(c);
    /* Run-time settable. */
    mote_set_timeout(&fx->s, MOTE_TO_HTTP_IDLE_MS, 1000);
    c = cli_open(2);
    advance(1300);
    assert_int_equal(c->fin, 1);
    cli_close(c);
    assert_all_free();
}

static void eviction(void **st)
{
    (void)st;
    setup_server();
    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++)
        cli_open(i);
    /* Connections younger than a second that have not asked are spared. */
    fixture_rx(fx, fr, fb_tcp(fr, 41000, APP_PORT, 5, 0, F_SYN, 65535,
                              NULL, 0, NULL, 0));
    assert_int_equal(fx->m.tx_count, 0);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_SLOT), 1);
    advance(1100);
    cli_puts(&cls[1], "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    struct cli *c = &cls[MOTE_MAX_CONNS];
    memset(c, 0, sizeof *c);
    c->port = 41000;
    c->wnd = 65535;
    /* One more SYN: the oldest idle slot (0) goes at once (RST), and the
     * SYN takes it. */
    fixture_rx(fx, fr, fb_tcp(fr, c->port, APP_PORT, 5, 0, F_SYN, c->wnd,
                              NULL, 0, NULL, 0));
    int synack = 0;
    for (unsigned i = 0; i < fx->m.tx_count; i++) {
        struct seg g = sent_seg(fx, i);
        if (g.dport == c->port && g.flags == (F_SYN | F_ACK) && g.ack == 6) {
            synack = 1;
            c->rcv = g.seq + 1;
            c->edge = 6 + g.wnd;
        }
        if (g.dport == cls[0].port && (g.flags & F_RST))
            cls[0].rst = 1;
    }
    mock_clear_sent(&fx->m);
    assert_true(synack);
    assert_int_equal(cls[0].rst, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_SLOT), 1);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_EVICTIONS), 1);
    assert_int_equal(mote_tcp_active(&fx->s), MOTE_MAX_CONNS);
    /* The newcomer completes its handshake. */
    c->seq = 6;
    c->acked = 6;
    cli_send_seg(c, c->seq, F_ACK, NULL, 0);
    drain();
    /* Every slot busy reading a head: nobody to evict, the SYN is refused;
     * heads slower than the minimum rate get 408. */
    for (unsigned i = 1; i < MOTE_MAX_CONNS; i++)
        cli_puts(&cls[i], "GET /hello HTTP/1.1\r\n");
    struct cli *d = c;
    cli_puts(d, "GET /hello HTTP/1.1\r\nHost: x\r\n"
                "X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    advance(1500);
    fixture_rx(fx, fr, fb_tcp(fr, 41001, APP_PORT, 5, 0, F_SYN, 65535,
                              NULL, 0, NULL, 0));
    drain();
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_SLOT), 2);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_TIMEOUTS), MOTE_MAX_CONNS - 1);
    for (unsigned i = 1; i < MOTE_MAX_CONNS; i++) {
        assert_non_null(strstr(rxs(&cls[i]), "408 Request Timeout"));
        assert_int_equal(cls[i].fin, 1);
        cli_close(&cls[i]);
    }
    assert_null(strstr(rxs(d), "408")); /* 152 B in 1.5 s: fast enough */
    cli_puts(d, "\r\n\r\n");
    assert_non_null(strstr(rxs(d), "200 OK"));
    cli_close(d);
    assert_all_free();
}

/* A handler that waited for a response buffer (AGAIN at HEAD) and was
 * answered at a poll: once its answer is acknowledged, the connection is
 * idle like any other, so a newcomer evicts it. (The parser's DONE of the
 * GET was left unasked until the next request came: the connection looked
 * busy, was never evicted, and the pool stayed full.) */
static void again_then_idle(void **st)
{
    (void)st;
    setup_server();
    struct cli *hold = cli_open(0), *c = cli_open(1);
    hold->noack = 1; /* its answer keeps the only response buffer */
    cli_puts(hold, "GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    cli_puts(c, "GET /users/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(c->len, 0);
    assert_true(fx->s.http.conns[1].flags & C_AGAIN);
    hold->noack = 0;
    cli_send_seg(hold, hold->seq, F_ACK, NULL, 0); /* the buffer is free */
    drain();
    advance(100);
    assert_non_null(strstr(rxs(c), "{\"id\":2}"));
    /* Every other slot reads a head: c is the only one to evict. */
    cli_open(2);
    cli_open(3);
    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++)
        if (i != 1)
            cli_puts(&cls[i], "GET /hello HTTP/1.1\r\n");
    struct cli *n = &cls[MOTE_MAX_CONNS];
    memset(n, 0, sizeof *n);
    n->port = 41000;
    n->wnd = 65535;
    fixture_rx(fx, fr, fb_tcp(fr, n->port, APP_PORT, 5, 0, F_SYN, n->wnd,
                              NULL, 0, NULL, 0));
    int synack = 0;
    for (unsigned i = 0; i < fx->m.tx_count; i++) {
        struct seg g = sent_seg(fx, i);
        if (g.dport == n->port && g.flags == (F_SYN | F_ACK)) {
            synack = 1;
            n->rcv = g.seq + 1;
            n->edge = 6 + g.wnd;
        }
        if (g.dport == c->port && (g.flags & F_RST))
            c->rst = 1;
    }
    mock_clear_sent(&fx->m);
    assert_true(synack);
    assert_int_equal(c->rst, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_EVICTIONS), 1);
    assert_int_equal(cnt(fx, MOTE_CNT_TCP_NO_SLOT), 0);
    n->seq = n->acked = 6;
    cli_send_seg(n, n->seq, F_ACK, NULL, 0);
    drain();
    cli_puts(n, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    for (unsigned i = 0; i <= MOTE_MAX_CONNS; i++) {
        if (i == 1)
            continue;
        if (i != MOTE_MAX_CONNS)
            cli_puts(&cls[i], "Host: x\r\n\r\n");
        assert_non_null(strstr(rxs(&cls[i]), "hello"));
        cli_close(&cls[i]);
    }
    assert_all_free();
}

/* The server's poll hook: ms to its next deadline for slot i. */
static uint32_t http_due(unsigned i)
{
    const struct mote_tcp_listener *l =
        fx->s.tcp.listeners[fx->s.tcp.conns[i].listener];
    return l->poll(&fx->s, &fx->s.tcp.conns[i]);
}

/* mote_poll() wakes up for the HTTP deadlines; a transfer that stalls is
 * aborted after HTTP_STALL_MS. */
static void deadlines_and_stall(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    /* Idle: the next wake-up is the idle timeout. */
    uint32_t due = http_due(0);
    assert_true(due <= MOTE_HTTP_IDLE_MS && due > MOTE_HTTP_IDLE_MS - 200);
    /* Reading a head: the header timeout. */
    cli_puts(c, "GET /hello HTTP/1.1\r\n");
    due = http_due(0);
    assert_true(due <= MOTE_HTTP_HEADER_MS && due > MOTE_HTTP_HEADER_MS - 200);
    cli_close(c);
    advance(200);
    /* The peer closed in the middle of a head: closed at once. */
    assert_int_equal(mote_tcp_active(&fx->s), 0);
    /* A short deadline shows in mote_poll()'s answer. */
    mote_set_timeout(&fx->s, MOTE_TO_HTTP_IDLE_MS, 300);
    c = cli_open(2);
    due = mote_poll(&fx->s, fx->now);
    assert_true(due <= 300 && due > 100);
    advance(400);
    assert_int_equal(c->fin, 1);
    cli_close(c);
    mote_set_timeout(&fx->s, MOTE_TO_HTTP_IDLE_MS, MOTE_HTTP_IDLE_MS);
    advance(200);
    /* A body that stops coming: aborted after the stall timeout. */
    c = cli_open(1);
    cli_puts(c, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    due = http_due(0);
    assert_true(due <= MOTE_HTTP_STALL_MS && due > MOTE_HTTP_STALL_MS - 200);
    advance(MOTE_HTTP_STALL_MS - 500);
    assert_int_equal(c->rst, 0);
    advance(700);
    assert_int_equal(c->rst, 1);
    assert_int_equal(cnt(fx, MOTE_CNT_HTTP_TIMEOUTS), 1);
    assert_all_free();
}

/* ---- hostile peers (tests/HOSTILE.md) -------------------------------------- */

/* A collected body that stops short: the stall timeout resets the
 * connection and frees its response buffer. */
static void hostile_collected_body_stalls(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    advance(MOTE_HTTP_STALL_MS - 500);
    assert_int_equal(c->rst, 0);
    advance(700);
    assert_int_equal(c->rst, 1);
    assert_all_free();
}

/* The same body ended by the peer's FIN: nothing more can come, so the
 * connection goes at once, not at a timeout. */
static void hostile_body_short_then_fin(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    cli_puts(c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    cli_close(c);
    assert_all_free(); /* within 200 ms */
}

/* A client that asks for a large body and never reads: its window stays at
 * zero and it refuses every probe byte. TCP's retry limit ends it; the slot
 * and the server's entries come back. */
static void hostile_client_never_reads(void **st)
{
    (void)st;
    setup_server();
    struct cli *c = cli_open(0);
    c->wnd = 0;
    cli_puts(c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    uint32_t rcv0 = c->rcv;
    size_t len0 = c->len;
    c->noack = 1;
    uint32_t ms = 0;
    for (; ms < 600000 && mote_tcp_active(&fx->s); ms += 100) {
        fx->now += 100;
        fixture_poll(fx);
        drain();
        if (c->rcv != rcv0) { /* a probe byte: refused, window still 0 */
            c->rcv = rcv0;
            c->len = len0;
            cli_send_seg(c, c->seq, F_ACK, NULL, 0);
            drain();
        }
    }
    assert_true(ms < 600000);
    assert_int_equal(c->rst, 1);
    assert_true(cnt(fx, MOTE_CNT_TCP_PROBES) > 0);
    assert_int_equal(fx->s.http.busy, 0);
    assert_all_free();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keep_alive_get),
        cmocka_unit_test(http10_and_close),
        cmocka_unit_test(head_request),
        cmocka_unit_test(options_star_names_every_method),
        cmocka_unit_test(pipelined_split),
        cmocka_unit_test(pipelined_burst),
        cmocka_unit_test(error_statuses),
        cmocka_unit_test(chunked_framing),
        cmocka_unit_test(retransmission_identical),
        cmocka_unit_test(back_pressure),
        cmocka_unit_test(expect_continue),
        cmocka_unit_test(deferred_and_timeouts),
        cmocka_unit_test(eviction),
        cmocka_unit_test(again_then_idle),
        cmocka_unit_test(deadlines_and_stall),
        cmocka_unit_test(hostile_collected_body_stalls),
        cmocka_unit_test(hostile_body_short_then_fin),
        cmocka_unit_test(hostile_client_never_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
