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

static void on_poll(struct mote_stack *s, struct mote_tcp_conn *c)
{
    if (stop_reading > 1)
        mote_tcp_abort(s, c);
    else if (!stop_reading)
        mote_tcp_resume(s, c);
}

static const struct mote_tcp_listener responder = {
    .port = 80, .accepted = on_accept, .data = on_data, .poll = on_poll};

int main(void);
int main(void)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    mote_init(&stack, &stub_driver, 0, mac);
    mote_tcp_listen(&stack, &responder);
    if (ticks) /* a static address, or one from DHCP */
        mote_set_ipv4(&stack, MOTE_IPV4(10, 0, 2, 15),
                      MOTE_IPV4(255, 255, 255, 0), MOTE_IPV4(10, 0, 2, 2));
    else
        mote_dhcp_start(&stack, ticks);
    for (;;)
        mote_poll(&stack, ticks);
}
