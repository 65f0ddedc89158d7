/*
 * The minimal application around which `make size` links the core: a stub
 * driver, a TCP responder and a main loop, as in the reference figures of
 * the other stacks (a few hundred bytes of code). The stack object is the
 * application's static RAM.
 */
#include "mote/mote.h"

static volatile uint32_t ticks;

static int stub_init(void *ctx, uint8_t mac[6])
{
    (void)ctx;
    (void)mac;
    return 0;
}

static size_t stub_rx(void *ctx, uint8_t *buf, size_t cap)
{
    (void)ctx;
    (void)cap;
    return buf[0]; /* whatever the "hardware" holds */
}

static int stub_tx(void *ctx, const uint8_t *head, size_t head_len,
                   const uint8_t *tail, size_t tail_len)
{
    (void)ctx;
    return head[0] + (int)head_len + (tail_len ? tail[0] : 0);
}

static int stub_poll(void *ctx)
{
    (void)ctx;
    return 1;
}

static const struct mote_driver stub_driver = {stub_init, stub_rx, stub_tx,
                                               stub_poll};
static struct mote_stack stack;

/* A responder that uses every TCP call, so none is left out of the count:
 * a constant reply, then close; back-pressure and abort on demand. */
static const uint8_t reply[] = "HTTP/1.0 200 OK\r\n\r\nok";
static struct mote_tcp_source reply_src = {reply, 0, 0, sizeof reply - 1};
static volatile int stop_reading;

static int on_accept(struct mote_stack *s, struct mote_tcp_conn *c)
{
    if (mote_tcp_send(s, c, &reply_src) != 0)
        return 1;
    mote_tcp_close(s, c);
    return 0;
}

static size_t on_data(struct mote_stack *s, struct mote_tcp_conn *c,
                      const uint8_t *p, size_t len)
{
    (void)s;
    (void)c;
    (void)p;
    return stop_reading ? 0 : len;
}

static uint32_t on_poll(struct mote_stack *s, struct mote_tcp_conn *c)
{
    if (stop_reading > 1)
        mote_tcp_abort(s, c);
    else if (!stop_reading)
        mote_tcp_resume(s, c);
    return 0xffffffffu;
}

static const struct mote_tcp_listener responder = {
    .port = 7, .accepted = on_accept, .data = on_data, .poll = on_poll};

/* The HTTP server with one route of each kind of answer the server has:
 * constant bytes, a generator of unknown length (chunked), a body collected
 * into the response buffer and sent from there. */
static size_t gen(void *ctx, uint32_t off, uint8_t *buf, size_t cap)
{
    (void)ctx;
    size_t n = off < 100 ? 100 - off : 0;
    n = n < cap ? n : cap;
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(off + i);
    return n;
}

static int hello(struct mote_http_req *req)
{
    size_t n;
    const uint8_t *p;
    switch (mote_http_phase(req)) {
    case MOTE_HTTP_PH_HEAD:
        if (mote_http_req_method(req) == MOTE_HTTP_POST)
            return mote_http_collect(req) ? MOTE_HTTP_AGAIN : 0;
        if (ticks & 1)
            return mote_http_reply_gen(req, 200, "text/plain", gen, 0,
                                       MOTE_HTTP_LEN_UNKNOWN);
        return mote_http_reply(req, 200, "text/plain", reply, 2);
    case MOTE_HTTP_PH_END:
        p = mote_http_data(req, &n);
        return mote_http_reply(req, 200, "text/plain", p, (uint32_t)n);
    default:
        return 0;
    }
}
MOTE_ROUTE(GET, "/", hello);
MOTE_ROUTE(POST, "/", hello);

int main(void);
int main(void)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    mote_init(&stack, &stub_driver, 0, mac);
    mote_tcp_listen(&stack, &responder);
    mote_http_start(&stack);
    if (ticks) /* a static address, or one from DHCP */
        mote_set_ipv4(&stack, MOTE_IPV4(10, 0, 2, 15),
                      MOTE_IPV4(255, 255, 255, 0), MOTE_IPV4(10, 0, 2, 2));
    else
        mote_dhcp_start(&stack, ticks);
    for (;;)
        mote_poll(&stack, ticks);
}
