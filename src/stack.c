/*
 * stack.c - the stack object: set-up, the poll loop, counters, timeouts.
 */
#include "priv.h"

int mote_init(struct mote_stack *s, const struct mote_driver *drv,
              void *drv_ctx, const uint8_t mac[6])
{
    MEMSET(s, 0, sizeof *s);
    s->drv = drv;
    s->drv_ctx = drv_ctx;
    MEMCPY(s->mac, mac, 6);
#if MOTE_RUNTIME_TIMEOUTS
#define MOTE_TIMEOUT_INIT(name) s->timeouts[MOTE_TO_##name] = MOTE_TO_DEFAULT_##name;
    MOTE_TIMEOUTS(MOTE_TIMEOUT_INIT)
#undef MOTE_TIMEOUT_INIT
#endif
    return drv->init(drv_ctx, s->mac);
}

void mote_set_ipv4(struct mote_stack *s, uint32_t ip, uint32_t mask,
                   uint32_t gw)
{
    s->ip = ip;
    s->mask = mask;
    s->gw = gw;
    /* The neighbours' view of us changed: tell them at the next poll (and
     * whenever the link comes up again). */
    s->announce = 1;
}

uint32_t mote_poll(struct mote_stack *s, uint32_t now_ms)
{
    int up = s->drv->poll ? s->drv->poll(s->drv_ctx) != 0 : 1;

    s->now = now_ms;
    if (up && !s->link_up)
        s->announce = 1;
    s->link_up = (uint8_t)up;
    if (s->announce && up) {
        s->announce = 0;
        mote_arp_announce(s);
        /* Most peers are beyond the gateway (a DHCP lease, a NAT): ask for
         * it now, not while a first SYN-ACK waits for it. */
        if (s->gw)
            mote_arp_resolve(s, s->gw);
    }
    mote_arp_timer(s);

    unsigned n;
    for (n = 0; n < MOTE_RX_BUDGET; n++) {
        size_t len = s->drv->rx(s->drv_ctx, s->buf, sizeof s->buf);
        if (len == 0)
            break;
        COUNT(s, RX_FRAMES);
        mote_eth_input(s, len);
    }
    uint32_t next = 1000; /* the ARP cache ages in whole seconds */
    next = mote_tcp_poll(s, next);
    next = mote_dhcp_timer(s, next);
    /* A spent budget means frames may be waiting: come back at once. */
    return n == MOTE_RX_BUDGET ? 0 : next;
}

uint32_t mote_counter(const struct mote_stack *s, enum mote_counter_id id)
{
    return (unsigned)id < MOTE_CNT_COUNT ? s->counters[id] : 0;
}

#if MOTE_RUNTIME_TIMEOUTS
void mote_set_timeout(struct mote_stack *s, enum mote_timeout_id id,
                      uint32_t ms)
{
    if ((unsigned)id < MOTE_TO_COUNT)
        s->timeouts[id] = ms;
}
#endif
