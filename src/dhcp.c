/*
 * dhcp.c - the DHCP client: state machine, message parsing, timers.
 *
 * Choices that keep it small, and why they are safe:
 * - Requests set the BROADCAST flag, so servers broadcast their replies: the
 *   IPv4 layer then needs no exception for unicasts to an address we do not
 *   have yet.
 * - The options read are the message type, server identifier, lease time,
 *   subnet mask and router; each must have exactly its size (the router list
 *   at least 4 B, the first router is used). Every other option is skipped
 *   by its length; option overload (52) is not supported. T1 and T2 are the
 *   defaults of RFC 2131 (1/2 and 7/8 of the lease), whatever the server says.
 * - Deadlines are kept in ms on the wrapping clock, compared as signed
 *   differences, so a lease is timed as at most LEASE_MAX_S (24 days); a
 *   longer or infinite one is renewed like a 24-day lease.
 * - The first OFFER is taken. No ARP probe of the offered address (no
 *   DECLINE), no RELEASE: the lease simply runs out on the server.
 */
#include "priv.h"
#include "wire.h"

/* BOOTP message (RFC 2131 section 2), offsets from the UDP payload. */
#define M_OP 0
#define M_XID 4
#define M_FLAGS 10
#define M_CIADDR 12
#define M_YIADDR 16
#define M_CHADDR 28
#define M_COOKIE 236
#define M_OPTIONS 240
#define M_SEND_LEN 300 /* the BOOTP minimum: some relays drop shorter */
#define BOOTREPLY 2
#define COOKIE 0x63825363u

#define PORT_SERVER 67
#define PORT_CLIENT 68

/* Message types (option 53). */
#define DISCOVER 1
#define OFFER 2
#define REQUEST 3
#define ACK 5
#define NAK 6

/* Options. */
#define OPT_PAD 0
#define OPT_MASK 1
#define OPT_ROUTER 3
#define OPT_REQ_IP 50
#define OPT_LEASE 51
#define OPT_TYPE 53
#define OPT_SERVER 54
#define OPT_PARAMS 55
#define OPT_END 255

#define RETRY_MS 4000u        /* first retransmission (RFC 2131 4.1) */
#define RENEW_MIN_MS 60000u   /* least wait between renewal requests */
#define REQUEST_TRIES 4       /* REQUESTs for an offer before starting over */
#define LEASE_MAX_S 2097151u  /* its deadlines stay under 2^31 ms ahead */

static int passed(uint32_t now, uint32_t t)
{
    return (int32_t)(now - t) >= 0;
}

/* A linear congruential step with the clock mixed in; the high half, which
 * is the better mixed, is folded into the result. */
static uint32_t rnd(struct mote_dhcp *d, uint32_t now)
{
    d->rnd = d->rnd * 1664525u + 1013904223u + now;
    return d->rnd ^ d->rnd >> 16;
}

/* ---- output ------------------------------------------------------------ */

/* Fixed part of every request's options: the magic cookie, then the message
 * type (its value patched in) and the parameters asked for: mask, router. */
static const uint8_t opt_head[11] = {0x63, 0x82, 0x53, 0x63, OPT_TYPE, 1, 0,
                                     OPT_PARAMS, 2, OPT_MASK, OPT_ROUTER};

/* Sends the message of the current state: DISCOVER in SELECTING, REQUEST in
 * the others (RFC 2131 table 5 for which fields each carries). */
static int dhcp_send(struct mote_stack *s)
{
    struct mote_dhcp *d = &s->dhcp;
    uint8_t *m = s->buf + IP_OFF + IP_HLEN + 8;
    uint8_t *o = m + M_COOKIE + sizeof opt_head;
    uint32_t ip = s->ip, dst = 0xffffffffu;

    MEMSET(m, 0, M_SEND_LEN);
    m[0] = 1; /* BOOTREQUEST, Ethernet, 6-byte address */
    m[1] = 1;
    m[2] = 6;
    put32(m + M_XID, d->xid);
    MEMCPY(m + M_CHADDR, s->mac, 6);
    MEMCPY(m + M_COOKIE, opt_head, sizeof opt_head);
    m[M_COOKIE + 6] = d->state == MOTE_DHCP_SELECTING ? DISCOVER : REQUEST;
    if (d->state >= MOTE_DHCP_RENEWING) {
        put32(m + M_CIADDR, ip);
        if (d->state == MOTE_DHCP_RENEWING)
            dst = d->server;
    } else {
        /* Not bound: from 0.0.0.0 (even over the fallback address), and
         * replies broadcast since we cannot take unicasts yet. */
        s->ip = 0;
        m[M_FLAGS] = 0x80;
        if (d->state == MOTE_DHCP_REQUESTING) {
            o[0] = OPT_REQ_IP;
            o[1] = 4;
            put32(o + 2, d->offered);
            o[6] = OPT_SERVER;
            o[7] = 4;
            put32(o + 8, d->server);
            o += 12;
        }
    }
    *o = OPT_END;
    int r = mote_udp_send(s, PORT_CLIENT, dst, PORT_SERVER, m, M_SEND_LEN);
    s->ip = ip;
    return r;
}

/* Sends and sets the deadline of the next retransmission. The first
 * renewal REQUEST, which usually finds the server's MAC aged out of the ARP
 * cache, is sent again a second later if it could not leave (an ARP request
 * went instead); later failures wait for the normal schedule. */
static void transmit(struct mote_stack *s, uint32_t wait)
{
    struct mote_dhcp *d = &s->dhcp;

    if (dhcp_send(s) != 0 && !d->tries && wait > 1000) {
        d->tries = 1;
        wait = 1000;
    }
    d->due = s->now + wait;
}

/* Discovery and requests: 4, 8, 16, 32, then 64 s, each +-1 s. */
static void retransmit(struct mote_stack *s)
{
    struct mote_dhcp *d = &s->dhcp;
    unsigned k = d->tries < 4 ? d->tries : 4;

    if (d->tries < 255)
        d->tries++;
    /* 0..2000 ms of jitter by a multiply: no division routine needed (the
     * lx106 has no divider and mote links no libgcc helpers for it). */
    transmit(s, (RETRY_MS << k) - 1000 + ((rnd(d, s->now) & 0xffff) * 2001 >> 16));
}

/* ---- input ------------------------------------------------------------- */

void mote_dhcp_input(struct mote_stack *s, uint8_t *m, size_t len,
                     uint16_t sport)
{
    struct mote_dhcp *d = &s->dhcp;
    enum mote_counter_id why;
    uint8_t type = 0, st = d->state;
    uint32_t sid = 0, lease = 0, mask = 0, gw = 0;

    /* op BOOTREPLY, Ethernet, 6-byte addresses; the magic cookie. */
    if (len < M_OPTIONS || get32(m + M_OP) >> 8 != 0x020106 ||
        get32(m + M_COOKIE) != COOKIE)
        DROP(DHCP_MALFORMED);
    if (sport != PORT_SERVER || get32(m + M_XID) != d->xid ||
        MEMCMP(m + M_CHADDR, s->mac, 6) != 0)
        DROP(DHCP_NOT_OURS);

    /* Walk every option up to the end option, which must be there; each
     * length is checked against what is left before it is used. */
    const uint8_t *o = m + M_OPTIONS, *end = m + len;
    for (;;) {
        if (o >= end)
            DROP(DHCP_MALFORMED); /* no end option */
        uint8_t code = *o++;
        if (code == OPT_END)
            break;
        if (code == OPT_PAD)
            continue;
        if (o >= end || *o >= end - o)
            DROP(DHCP_MALFORMED); /* length past the packet */
        uint8_t n = *o++;
        switch (code) {
        case OPT_TYPE:
            if (n != 1)
                DROP(DHCP_MALFORMED);
            type = *o;
            break;
        case OPT_ROUTER:
            if (n < 4 || n % 4)
                DROP(DHCP_MALFORMED);
            gw = get32(o);
            break;
        case OPT_MASK:
        case OPT_LEASE:
        case OPT_SERVER:
            if (n != 4)
                DROP(DHCP_MALFORMED);
            if (code == OPT_MASK)
                mask = get32(o);
            else if (code == OPT_LEASE)
                lease = get32(o);
            else
                sid = get32(o);
            break;
        }
        o += n;
    }

    if (type == NAK) {
        /* Only while a REQUEST is outstanding, and from its server. */
        if (st < MOTE_DHCP_REQUESTING || st == MOTE_DHCP_BOUND)
            DROP(DHCP_UNEXPECTED);
        if (!sid)
            DROP(DHCP_NO_SERVER_ID);
        if (st != MOTE_DHCP_REBINDING && sid != d->server)
            DROP(DHCP_NOT_OURS);
        COUNT(s, DHCP_NAKS);
        if (st != MOTE_DHCP_REQUESTING)
            mote_set_ipv4(s, 0, 0, 0); /* halt use of the address */
        d->state = MOTE_DHCP_INIT;
        return;
    }
    if (st < MOTE_DHCP_SELECTING || st == MOTE_DHCP_BOUND ||
        type != (st == MOTE_DHCP_SELECTING ? OFFER : ACK))
        DROP(DHCP_UNEXPECTED);
    if (!sid)
        DROP(DHCP_NO_SERVER_ID);
    if ((st == MOTE_DHCP_REQUESTING || st == MOTE_DHCP_RENEWING) &&
        sid != d->server)
        DROP(DHCP_NOT_OURS);
    uint32_t yi = get32(m + M_YIADDR);
    if (!lease || !yi || yi >> 28 >= 0xe || yi >> 24 == 127)
        DROP(DHCP_BAD_LEASE);
    uint32_t inv = ~mask;
    if (inv & (inv + 1))
        DROP(DHCP_BAD_MASK);
    if (!mask) /* none given: the address's class (RFC 1122 3.3.1.1) */
        mask = yi >> 31 ? yi >> 30 == 2 ? 0xffff0000u : 0xffffff00u
                        : 0xff000000u;
    d->server = sid;
    d->offered = yi;
    if (st == MOTE_DHCP_SELECTING) {
        d->state = MOTE_DHCP_REQUESTING;
        d->tries = 0;
        retransmit(s);
        return;
    }
    mote_set_ipv4(s, yi, mask, gw);
    if (lease > LEASE_MAX_S)
        lease = LEASE_MAX_S;
    uint32_t now = s->now;
    d->state = MOTE_DHCP_BOUND;
    d->due = now + lease * 500;
    d->t2 = now + lease * 875;
    d->end = now + lease * 1000;
    COUNT(s, DHCP_LEASES);
    return;
drop:
    s->counters[why]++;
}

/* ---- timers ------------------------------------------------------------ */

/* The work of a deadline that has come (or of a fresh start). */
static void dhcp_due(struct mote_stack *s)
{
    struct mote_dhcp *d = &s->dhcp;
    uint32_t now = s->now, limit, wait;

    switch (d->state) {
    case MOTE_DHCP_BOUND: /* T1 */
        d->state = MOTE_DHCP_RENEWING;
        d->xid = rnd(d, now);
        d->tries = 0;
        /* fall through */
    case MOTE_DHCP_RENEWING:
        limit = d->t2;
        if (!passed(now, limit))
            break;
        d->state = MOTE_DHCP_REBINDING;
        /* fall through */
    case MOTE_DHCP_REBINDING:
        limit = d->end;
        if (!passed(now, limit))
            break;
        COUNT(s, DHCP_EXPIRED);
        mote_set_ipv4(s, 0, 0, 0);
        /* fall through */
    default:
        if (d->state != MOTE_DHCP_SELECTING &&
            (d->state != MOTE_DHCP_REQUESTING || d->tries >= REQUEST_TRIES)) {
            /* A new discovery. */
            d->state = MOTE_DHCP_SELECTING;
            d->tries = 0;
            d->xid = rnd(d, now);
        }
#ifdef MOTE_DHCP_FALLBACK
        if (d->state == MOTE_DHCP_SELECTING &&
            d->tries == MOTE_DHCP_FALLBACK_TRIES && s->ip == 0) {
            mote_set_ipv4(s, MOTE_DHCP_FALLBACK);
            COUNT(s, DHCP_FALLBACK);
        }
#endif
        retransmit(s);
        return;
    }
    /* Renewing or rebinding: again after half the time left to T2 or to
     * the end, at least 60 s later (RFC 2131 4.4.5), and at that limit. */
    wait = (limit - now) / 2;
    if (wait < RENEW_MIN_MS)
        wait = RENEW_MIN_MS;
    if (wait > limit - now)
        wait = limit - now;
    transmit(s, wait);
}

uint32_t mote_dhcp_timer(struct mote_stack *s, uint32_t cap)
{
    struct mote_dhcp *d = &s->dhcp;

    if (d->state == MOTE_DHCP_OFF)
        return cap;
    if (d->state == MOTE_DHCP_INIT || passed(s->now, d->due))
        dhcp_due(s);
    uint32_t wait = d->due - s->now;
    return wait < cap ? wait : cap;
}

/* ---- interface --------------------------------------------------------- */

void mote_dhcp_start(struct mote_stack *s, uint32_t seed)
{
    struct mote_dhcp *d = &s->dhcp;

    d->rnd = seed;
    for (unsigned i = 0; i < 6; i++)
        rnd(d, s->mac[i]);
    d->state = MOTE_DHCP_INIT;
}

enum mote_dhcp_state mote_dhcp_status(const struct mote_stack *s,
                                      uint32_t cfg[3])
{
    if (cfg) {
        cfg[0] = s->ip;
        cfg[1] = s->mask;
        cfg[2] = s->gw;
    }
    return (enum mote_dhcp_state)s->dhcp.state;
}
