/*
 * arp.c - ARP for IPv4 over Ethernet (RFC 826): answers for our address, a
 * small cache of neighbours, resolution of next hops.
 *
 * Cache policy (against poisoning): an entry is created only for a host we
 * ask for (mote_arp_resolve) or a host that asks for our address (it is
 * about to talk to us). Any ARP packet from a host already in the cache
 * refreshes its entry (RFC 826's merge, which also follows a gratuitous ARP
 * of a peer that changed its MAC). Replies for addresses we did not ask for
 * are dropped and counted; a packet that claims our address from another MAC
 * is dropped and counted as a conflict.
 *
 * Unresolved next hop: the outgoing packet is dropped (counter ARP_MISS) and
 * an ARP request goes out in its place, at most once per MOTE_ARP_RETRY_MS
 * per address. Nothing is queued, which keeps RAM flat: the sender's own
 * retransmission (TCP, DHCP, the next echo) finds the entry resolved.
 */
#include "priv.h"
#include "wire.h"

/* Hardware type Ethernet, protocol IPv4, address lengths 6 and 4, and the
 * high byte of the operation: the only ARP mote speaks, compared and written
 * as one block. */
static const uint8_t arp_hdr[7] = {0, 1, 8, 0, 6, 4, 0};

/* A pending entry's MAC: the group bit, which no unicast host has. */
#define PENDING_MARK 0x01

static int is_pending(const struct mote_arp_entry *e)
{
    return e->mac[0] & PENDING_MARK;
}

static struct mote_arp_entry *find(struct mote_stack *s, uint32_t ip)
{
    for (unsigned i = 0; i < MOTE_ARP_ENTRIES; i++)
        if (s->arp[i].ip == ip)
            return &s->arp[i];
    return NULL;
}

/* A free entry, or else the one that has waited longest since it was last
 * confirmed or asked for. */
static struct mote_arp_entry *take_slot(struct mote_stack *s, uint32_t ip)
{
    struct mote_arp_entry *best = &s->arp[0];
    uint16_t now = mote_tick(s), best_age = 0;

    for (unsigned i = 0; i < MOTE_ARP_ENTRIES; i++) {
        struct mote_arp_entry *e = &s->arp[i];
        uint16_t age = (uint16_t)(now - e->stamp);
        if (e->ip == 0) {
            best = e;
            break;
        }
        if (age >= best_age) {
            best_age = age;
            best = e;
        }
    }
    best->ip = ip;
    return best;
}

/* ---- output ------------------------------------------------------------ */

/* Builds an ARP packet in the buffer and sends it: a reply to `tha` (which
 * may point into the buffer: it is moved first), or with `tha` NULL a
 * broadcast request. */
static void arp_output(struct mote_stack *s, uint8_t op, const uint8_t *tha,
                       uint32_t tpa)
{
    uint8_t *a = s->buf + ETH_HLEN;
    const uint8_t *dst = mote_eth_broadcast;

    if (tha) {
        MEMMOVE(a + ARP_THA, tha, 6);
        dst = a + ARP_THA;
    } else {
        MEMSET(a + ARP_THA, 0, 6);
    }
    put32(a + ARP_TPA, tpa);
    MEMCPY(a, arp_hdr, sizeof arp_hdr);
    a[ARP_OP + 1] = op;
    MEMCPY(a + ARP_SHA, s->mac, 6);
    put32(a + ARP_SPA, s->ip);
    mote_eth_output(s, dst, ETHTYPE_ARP, ETH_HLEN + ARP_LEN, NULL, 0);
}

static void arp_request(struct mote_stack *s, uint32_t ip)
{
    COUNT(s, ARP_REQUESTS);
    arp_output(s, ARP_OP_REQUEST, NULL, ip);
}

void mote_arp_announce(struct mote_stack *s)
{
    if (s->ip != 0)
        arp_request(s, s->ip); /* gratuitous: sender and target are us */
}

const uint8_t *mote_arp_resolve(struct mote_stack *s, uint32_t ip)
{
    struct mote_arp_entry *e = find(s, ip);
    uint16_t now = mote_tick(s);

    if (e && !is_pending(e))
        return e->mac;
    if (e && (uint16_t)(now - e->stamp) < TIMEOUT(s, ARP_RETRY_MS) >> 6)
        return NULL; /* asked recently; the answer is on its way */
    if (!e)
        e = take_slot(s, ip);
    MEMSET(e->mac, 0, 6);
    e->mac[0] = PENDING_MARK;
    e->stamp = now;
    arp_request(s, ip);
    return NULL;
}

void mote_arp_timer(struct mote_stack *s)
{
    uint16_t now = mote_tick(s);
    uint32_t max_age = TIMEOUT(s, ARP_MAX_AGE_MS) >> 6;

    for (unsigned i = 0; i < MOTE_ARP_ENTRIES; i++) {
        struct mote_arp_entry *e = &s->arp[i];
        if ((uint16_t)(now - e->stamp) > max_age)
            e->ip = 0;
    }
}

/* ---- input ------------------------------------------------------------- */

static int unicast_ip(uint32_t ip)
{
    return ip != 0 && ip != 0xffffffffu && (ip >> 28) != 0xe;
}

void mote_arp_input(struct mote_stack *s, uint8_t *a, size_t len)
{
    enum mote_counter_id why;
    uint8_t op;

    /* Nothing past the frame is read, not even the stale bytes of the
     * buffer behind a short one. */
    if (len < ARP_LEN || MEMCMP(a, arp_hdr, sizeof arp_hdr) != 0 ||
        (uint8_t)((op = a[ARP_OP + 1]) - 1) > 1 || (a[ARP_SHA] & 1))
        DROP(ARP_MALFORMED);
    uint32_t spa = get32(a + ARP_SPA), tpa = get32(a + ARP_TPA);
    if (s->ip != 0 && spa == s->ip)
        DROP(ARP_CONFLICT); /* our frames never come back: someone else */
    int for_us = s->ip != 0 && tpa == s->ip;
    struct mote_arp_entry *e = unicast_ip(spa) ? find(s, spa) : NULL;

    if (!e && for_us && op == ARP_OP_REQUEST && unicast_ip(spa))
        e = take_slot(s, spa);
    if (e) {
        MEMCPY(e->mac, a + ARP_SHA, 6);
        e->stamp = mote_tick(s);
    }
    if (!for_us) {
        if (!e)
            DROP(ARP_NOT_OURS);
        return; /* a neighbour's update, merged */
    }
    if (op == ARP_OP_REPLY) {
        if (!e)
            DROP(ARP_UNSOLICITED);
        return;
    }
    /* In place: the requester becomes the target. */
    arp_output(s, ARP_OP_REPLY, a + ARP_SHA, spa);
    return;
drop:
    s->counters[why]++;
}
