/*
 * The minimal application around which `make size` links the core: a stub
 * driver and a main loop, as in the reference figures of the other stacks
 * (about 300 B of code). The stack object is the application's static RAM.
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

int main(void);
int main(void)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    mote_init(&stack, &stub_driver, 0, mac);
    mote_set_ipv4(&stack, MOTE_IPV4(10, 0, 2, 15), MOTE_IPV4(255, 255, 255, 0),
                  MOTE_IPV4(10, 0, 2, 2));
    for (;;)
        mote_poll(&stack, ticks);
}
