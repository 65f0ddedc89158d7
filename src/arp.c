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

/* A pending entry's MAC: the group bit, which no unicast host has. */
#define PENDING_MARK 0x01

static int is_pending(const struct mote_arp_entry *e)
{
    return e->mac[0] & PENDING_MARK;
}

static struct mote_arp_entry *find(struct mote_stack *s, uint32_t ip)
{
    for (unsigned i = 0; i < MOTE_ARP_ENTRIES; i++)
        if (get32(s->arp[i].ip) == ip)
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
        if (get32(e->ip) == 0) {
            best = e;
            break;
        }
        if (age >= best_age) {
            best_age = age;
            best = e;
        }
    }
    put32(best->ip, ip);
    return best;
}

/* ---- output ------------------------------------------------------------ */

/* Builds an ARP packet in the buffer and sends it. `tha`/`tpa` may point
 * into the buffer (an in-place reply): they are moved first. */
static void arp_output(struct mote_stack *s, uint16_t op, const uint8_t *tha,
                       const uint8_t *tpa, const uint8_t *eth_dst)
{
    uint8_t *a = s->buf + ETH_HLEN;

    MEMMOVE(a + ARP_THA, tha, 6);
    MEMMOVE(a + ARP_TPA, tpa, 4);
    put16(a + ARP_HTYPE, 1);
    put16(a + ARP_PTYPE, ETHTYPE_IPV4);
    a[ARP_HLEN] = 6;
    a[ARP_PLEN] = 4;
    put16(a + ARP_OP, op);
    MEMCPY(a + ARP_SHA, s->mac, 6);
    put32(a + ARP_SPA, s->ip);
    mote_eth_output(s, eth_dst, ETHTYPE_ARP, ETH_HLEN + ARP_LEN, NULL, 0);
}

static void arp_request(struct mote_stack *s, uint32_t ip)
{
    static const uint8_t zero[6];
    uint8_t tpa[4];

    put32(tpa, ip);
    COUNT(s, ARP_REQUESTS);
    arp_output(s, ARP_OP_REQUEST, zero, tpa, mote_eth_broadcast);
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
            MEMSET(e->ip, 0, 4);
    }
}

/* ---- input ------------------------------------------------------------- */

static int unicast_ip(uint32_t ip)
{
    return ip != 0 && ip != 0xffffffffu && (ip >> 28) != 0xe;
}

void mote_arp_input(struct mote_stack *s, uint8_t *a, size_t len)
{
    if (len < ARP_LEN || get16(a + ARP_HTYPE) != 1 ||
        get16(a + ARP_PTYPE) != ETHTYPE_IPV4 || a[ARP_HLEN] != 6 ||
        a[ARP_PLEN] != 4 || (a[ARP_SHA] & 1)) {
        COUNT(s, ARP_MALFORMED);
        return;
    }
    uint16_t op = get16(a + ARP_OP);
    if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) {
        COUNT(s, ARP_MALFORMED);
        return;
    }
    uint32_t spa = get32(a + ARP_SPA), tpa = get32(a + ARP_TPA);
    if (s->ip != 0 && spa == s->ip) {
        if (MEMCMP(a + ARP_SHA, s->mac, 6) != 0)
            COUNT(s, ARP_CONFLICT);
        else
            COUNT(s, ARP_NOT_OURS); /* our own announcement, looped back */
        return;
    }
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
            COUNT(s, ARP_NOT_OURS);
        return;
    }
    if (op == ARP_OP_REPLY) {
        if (!e)
            COUNT(s, ARP_UNSOLICITED);
        return;
    }
    /* In place: the requester becomes the target. */
    arp_output(s, ARP_OP_REPLY, a + ARP_SHA, a + ARP_SPA, a + ARP_THA);
}
