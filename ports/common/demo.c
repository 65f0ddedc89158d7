/*
 * demo.c - the HTTP demo (host port and firmware), one handler per route:
 *   GET  /, /static/NAME    assets embedded by tools/mkassets.py (constant
 *                          bytes sent without copy; gzip when accepted,
 *                          ETag and If-None-Match -> 304)
 *   GET  /api/stats        counters as JSON, rendered once into a response
 *                          buffer (they change while the response drains)
 *   GET  /api/users/{id}   a typed path parameter
 *   POST /api/users, POST /api/echo
 *                          a JSON body collected into a bounded buffer
 *                          (413 past it) and sent back
 *   PUT  /api/upload       any size, streamed; answers length and CRC-32
 *   GET  /api/stream?n=N   N bytes of the test pattern, chunked generator
 *   GET  /api/slow         a deferred response, completed by demo_poll()
 *   GET  /api/led, POST /api/led
 *                          the LED through mote_gpio (a real pin on the
 *                          board, the simulation on the host); the body
 *                          says on/off, true/false or 1/0
 *
 * Portable C: no printf family (on newlib it drags in malloc and kilobytes
 * of formatter), JSON is put together by the few helpers below.
 */
#include "demo.h"

#include <string.h>

static struct {
    uint32_t crc[MOTE_MAX_CONNS];   /* upload: running CRC-32 per slot */
    uint32_t bytes[MOTE_MAX_CONNS]; /* upload: length per slot */
    struct mote_http_req *slow;     /* a deferred /api/slow */
    uint16_t slow_id;
    uint32_t slow_due;
    uint32_t now;
    uint32_t uploads, upload_bytes;
    const struct demo_port *port;
} demo;

static const struct demo_port default_port = {.led_pin = DEMO_LED_PIN};

/* ---- JSON out --------------------------------------------------------- */

/* Appends to a response buffer; `p` runs past `end` on overflow, which
 * out_reply() turns into a 500. */
struct out {
    char *p, *end;
};

static void out_str(struct out *o, const char *s)
{
    while (*s) {
        if (o->p < o->end)
            *o->p = *s;
        o->p++;
        s++;
    }
}

static void out_u32(struct out *o, uint32_t v)
{
    char tmp[11];
    unsigned i = sizeof tmp - 1;
    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    out_str(o, &tmp[i]);
}

/* ,"key":value -- or {"key":value for the first field. */
static void out_field(struct out *o, const char *key, uint32_t v, int first)
{
    out_str(o, first ? "{\"" : ",\"");
    out_str(o, key);
    out_str(o, "\":");
    out_u32(o, v);
}

/* Answers with what `o` holds in the response buffer `b`; 500 if it did
 * not fit. */
static int out_reply(struct mote_http_req *req, const struct out *o,
                     const uint8_t *b)
{
    if (o->p > o->end)
        return mote_http_reply(req, 500, NULL, NULL, 0);
    return mote_http_reply(req, 200, "application/json", b,
                           (uint32_t)(o->p - (const char *)b));
}

static unsigned slot(struct mote_http_req *req)
{
    return (unsigned)(req - mote_http_stack(req)->http.conns);
}

/* ---- static assets (tools/mkassets.py) ----------------------------------- */

/* Per slot: what the request's delivered headers said, matched as they
 * stream (a value may come in several spans). */
static struct {
    uint16_t id;        /* the request these belong to */
    uint8_t inm_pos;    /* If-None-Match bytes equal to the ETag so far */
    uint8_t inm_bad;    /* ... and a byte that differed */
    uint8_t gz_k;       /* Accept-Encoding: bytes of "gzip" matched */
    uint8_t gz;         /* "gzip" seen */
} hdr[MOTE_MAX_CONNS];

static const struct demo_asset *find_asset(struct mote_http_req *req)
{
    const char *rest = mote_param_str(mote_http_match(req), "*");
    if (!rest || !*rest)
        rest = "index.html"; /* "/" */
    for (unsigned i = 0; i < demo_assets_count; i++)
        if (!strcmp(demo_assets[i].path + 8, rest)) /* after "/static/" */
            return &demo_assets[i];
    return NULL;
}

static int get_asset(struct mote_http_req *req)
{
    unsigned i = slot(req);
    const struct demo_asset *a = find_asset(req);
    size_t n;
    const uint8_t *p;

    if (hdr[i].id != mote_http_id(req)) {
        memset(&hdr[i], 0, sizeof hdr[i]);
        hdr[i].id = mote_http_id(req);
    }
    if (!a)
        return mote_http_phase(req) == MOTE_HTTP_PH_HEAD
                   ? mote_http_reply(req, 404, "text/plain", "Not Found", 9)
                   : 0;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_FIELD:
        p = mote_http_data(req, &n);
        for (size_t k = 0; k < n; k++) {
            if (mote_http_field(req) == MOTE_HTTP_H_IF_NONE_MATCH) {
                if (a->etag[hdr[i].inm_pos] == (char)p[k])
                    hdr[i].inm_pos++;
                else
                    hdr[i].inm_bad = 1;
            } else if (mote_http_field(req) == MOTE_HTTP_H_ACCEPT_ENCODING) {
                static const char gz[] = "gzip";
                hdr[i].gz_k = gz[hdr[i].gz_k] == (char)p[k] ? hdr[i].gz_k + 1
                              : p[k] == 'g'                 ? 1
                                                            : 0;
                if (hdr[i].gz_k == 4)
                    hdr[i].gz = 1;
            }
        }
        return 0;
    case MOTE_HTTP_PH_HEAD: {
        int use_gz = a->gz && hdr[i].gz;
        mote_http_headers(req, use_gz ? a->gz_headers : a->headers);
        if (!hdr[i].inm_bad && a->etag[hdr[i].inm_pos] == 0)
            return mote_http_reply(req, 304, NULL, NULL, 0);
        return mote_http_reply(req, 200, a->ctype, use_gz ? a->gz : a->data,
                               use_gz ? a->gz_len : a->len);
    }
    default:
        return 0;
    }
}
MOTE_ROUTE(GET, "/", get_asset);
MOTE_ROUTE(GET, "/static/*", get_asset);

static int get_stats(struct mote_http_req *req)
{
    struct mote_stack *s = mote_http_stack(req);
    size_t cap;
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    uint8_t *b = mote_http_buf(req, &cap);
    if (!b)
        return MOTE_HTTP_AGAIN; /* every buffer is draining: wait */
    struct out o = {(char *)b, (char *)b + cap};
    out_field(&o, "uptime_ms", demo.now, 1);
    out_field(&o, "http_2xx", mote_counter(s, MOTE_CNT_HTTP_2XX), 0);
    out_field(&o, "http_3xx", mote_counter(s, MOTE_CNT_HTTP_3XX), 0);
    out_field(&o, "http_4xx", mote_counter(s, MOTE_CNT_HTTP_4XX), 0);
    out_field(&o, "http_5xx", mote_counter(s, MOTE_CNT_HTTP_5XX), 0);
    out_field(&o, "timeouts", mote_counter(s, MOTE_CNT_HTTP_TIMEOUTS), 0);
    out_field(&o, "idle_closes", mote_counter(s, MOTE_CNT_HTTP_IDLE_CLOSES),
              0);
    out_field(&o, "evictions", mote_counter(s, MOTE_CNT_HTTP_EVICTIONS), 0);
    out_field(&o, "tcp_active", mote_tcp_active(s), 0);
    out_field(&o, "led", (uint32_t)mote_gpio_read(demo.port->led_pin), 0);
    if (demo.port->stack_peak)
        out_field(&o, "stack_peak", demo.port->stack_peak(), 0);
    out_str(&o, "}\n");
    return out_reply(req, &o, b);
}
MOTE_ROUTE(GET, "/api/stats", get_stats);

static int get_user(struct mote_http_req *req)
{
    size_t cap;
    int32_t id;
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    if (mote_param_int(mote_http_match(req), "id", &id) != 0 || id < 0)
        return mote_http_reply(req, 400, "text/plain", "bad id\n", 7);
    uint8_t *b = mote_http_buf(req, &cap);
    if (!b)
        return MOTE_HTTP_AGAIN;
    struct out o = {(char *)b, (char *)b + cap};
    out_field(&o, "id", (uint32_t)id, 1);
    out_str(&o, ",\"name\":\"user");
    out_u32(&o, (uint32_t)id);
    out_str(&o, "\"}\n");
    return out_reply(req, &o, b);
}
MOTE_ROUTE(GET, "/api/users/{id}", get_user);

/* Collects a small JSON body (413 past the buffer) and sends it back with
 * `status`, from the request's buffer, held until acknowledged. */
static int json_back(struct mote_http_req *req, unsigned status)
{
    size_t n;
    const uint8_t *p;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_HEAD:
        return mote_http_collect(req) ? MOTE_HTTP_AGAIN : 0;
    case MOTE_HTTP_PH_END:
        p = mote_http_data(req, &n);
        if (n == 0 || p[0] != '{')
            return mote_http_reply(req, 400, "text/plain", "JSON object\n",
                                   12);
        return mote_http_reply(req, status, "application/json", p,
                               (uint32_t)n);
    default:
        return 0;
    }
}

static int post_json(struct mote_http_req *req)
{
    return json_back(req, 200);
}
MOTE_ROUTE(POST, "/api/echo", post_json);

static int post_user(struct mote_http_req *req)
{
    return json_back(req, 201);
}
MOTE_ROUTE(POST, "/api/users", post_user);

/* CRC-32 (IEEE, as zlib's crc32()) four bits at a time: a 64-byte table
 * in flash instead of 1 KB of RAM, and fast enough for any link here. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t t[16] = {
        0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
        0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
        0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
        0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu};
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        crc = t[crc & 15u] ^ (crc >> 4);
        crc = t[crc & 15u] ^ (crc >> 4);
    }
    return ~crc;
}

static int put_upload(struct mote_http_req *req)
{
    unsigned i = slot(req);
    size_t n;
    const uint8_t *p;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_HEAD:
        demo.crc[i] = 0;
        demo.bytes[i] = 0;
        return 0;
    case MOTE_HTTP_PH_BODY:
        p = mote_http_data(req, &n);
        demo.crc[i] = crc32_update(demo.crc[i], p, n);
        demo.bytes[i] += (uint32_t)n;
        return (int)n;
    case MOTE_HTTP_PH_END: {
        size_t cap;
        uint8_t *b = mote_http_buf(req, &cap);
        if (!b)
            return MOTE_HTTP_AGAIN;
        demo.uploads++;
        demo.upload_bytes += demo.bytes[i];
        struct out o = {(char *)b, (char *)b + cap};
        out_field(&o, "length", demo.bytes[i], 1);
        out_str(&o, ",\"crc32\":\"");
        for (int k = 28; k >= 0; k -= 4) {
            char h[2] = {"0123456789abcdef"[(demo.crc[i] >> k) & 15u], 0};
            out_str(&o, h);
        }
        out_str(&o, "\"}\n");
        return out_reply(req, &o, b);
    }
    default:
        return 0;
    }
}
MOTE_ROUTE(PUT, "/api/upload", put_upload);

static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 31u + (i >> 8) * 7u + 3u);
}

/* The length travels in the context pointer itself: nothing to keep, and
 * the same bytes for the same offset whatever else the connection does. */
static size_t stream_fill(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    uint32_t end = (uint32_t)(uintptr_t)ctx;
    size_t n = 0;
    while (n < cap && off + n < end) {
        buf[n] = pattern(off + (uint32_t)n);
        n++;
    }
    return n;
}

static int get_stream(struct mote_http_req *req)
{
    char v[16];
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    uint32_t n = 1000;
    if (mote_query(mote_http_match(req), "n", v, sizeof v) > 0) {
        n = 0;
        for (const char *c = v; *c >= '0' && *c <= '9'; c++)
            n = n * 10u + (uint32_t)(*c - '0');
    }
    return mote_http_reply_gen(req, 200, "application/octet-stream",
                               stream_fill, (void *)(uintptr_t)n,
                               MOTE_HTTP_LEN_UNKNOWN);
}
MOTE_ROUTE(GET, "/api/stream", get_stream);

static int get_slow(struct mote_http_req *req)
{
    if (mote_http_phase(req) != MOTE_HTTP_PH_END)
        return 0;
    if (demo.slow)
        return mote_http_reply(req, 503, "text/plain", "busy\n", 5);
    demo.slow = req; /* answered by demo_poll() */
    demo.slow_id = mote_http_id(req);
    demo.slow_due = demo.now + 200;
    return 0;
}
MOTE_ROUTE(GET, "/api/slow", get_slow);

/* ---- the LED ------------------------------------------------------------ */

static int led_reply(struct mote_http_req *req, unsigned status)
{
    static const char on[] = "{\"led\":1}\n", off[] = "{\"led\":0}\n";
    return mote_http_reply(req, status, "application/json",
                           mote_gpio_read(demo.port->led_pin) ? on : off,
                           sizeof on - 1);
}

static int get_led(struct mote_http_req *req)
{
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    return led_reply(req, 200);
}
MOTE_ROUTE(GET, "/api/led", get_led);

/* 1 or 0 from a body such as {"led":1}, {"on":true}, "off", 0; -1 when it
 * says neither. The last word that decides wins. */
static int led_wanted(const uint8_t *p, size_t n)
{
    static const char *const words[] = {"true", "on", "1",
                                        "false", "off", "0"};
    int v = -1;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && ((p[i - 1] >= 'a' && p[i - 1] <= 'z') ||
                      (p[i - 1] >= '0' && p[i - 1] <= '9')))
            continue; /* only at the start of a word */
        for (unsigned w = 0; w < 6; w++) {
            size_t k = strlen(words[w]);
            if (k <= n - i && !memcmp(p + i, words[w], k) &&
                (i + k == n || !((p[i + k] >= 'a' && p[i + k] <= 'z') ||
                                 (p[i + k] >= '0' && p[i + k] <= '9'))))
                v = w < 3;
        }
    }
    return v;
}

static int post_led(struct mote_http_req *req)
{
    size_t n;
    const uint8_t *p;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_HEAD:
        return mote_http_collect(req) ? MOTE_HTTP_AGAIN : 0;
    case MOTE_HTTP_PH_END: {
        p = mote_http_data(req, &n);
        int on = led_wanted(p, n);
        if (on < 0)
            return mote_http_reply(req, 400, "text/plain",
                                   "say on or off\n", 14);
        if (on)
            mote_gpio_set(demo.port->led_pin);
        else
            mote_gpio_clear(demo.port->led_pin);
        if (demo.port->led_changed)
            demo.port->led_changed(on);
        return led_reply(req, 200);
    }
    default:
        return 0;
    }
}
MOTE_ROUTE(POST, "/api/led", post_led);

void demo_set_port(const struct demo_port *p)
{
    demo.port = p;
}

int demo_start(struct mote_stack *s)
{
    if (!demo.port)
        demo.port = &default_port;
    (void)mote_gpio_configure(demo.port->led_pin, MOTE_GPIO_OUTPUT);
    return mote_http_start(s);
}

uint32_t demo_poll(struct mote_stack *s, uint32_t now, uint32_t cap)
{
    static const char late[] = "{\"slow\":true}\n";
    (void)s;
    demo.now = now;
    if (!demo.slow)
        return cap;
    int32_t left = (int32_t)(demo.slow_due - now);
    if (left > 0)
        return (uint32_t)left < cap ? (uint32_t)left : cap;
    /* The connection may have gone meanwhile: the id tells. */
    if (mote_http_id(demo.slow) == demo.slow_id)
        mote_http_reply(demo.slow, 200, "application/json", late,
                        sizeof late - 1);
    demo.slow = NULL;
    return 0;
}

void demo_report(const struct mote_stack *s, FILE *out)
{
    fprintf(out, "demo uploads %lu bytes %lu\n", (unsigned long)demo.uploads,
            (unsigned long)demo.upload_bytes);
    /* Slots still in use at exit, for a test that finds a leak. */
    for (unsigned i = 0; i < MOTE_MAX_CONNS; i++) {
        const struct mote_tcp_conn *c = &s->tcp.conns[i];
        const struct mote_http_req *r = &s->http.conns[i];
        if (c->state != MOTE_TCP_FREE)
            fprintf(out, "slot %u port %u state %u tcp-flags %#x http-flags "
                    "%#x entries %#x %#x\n", i, c->lport, c->state, c->flags,
                    r->flags, r->e[0].flags, r->e[1].flags);
    }
}
