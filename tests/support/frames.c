#include "frames.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

const uint8_t T_MAC[6] = {2, 0, 0, 0, 0, 1};
const uint8_t PEER_MAC[6] = {2, 0, 0, 0, 0, 2};
const uint8_t GW_MAC[6] = {2, 0, 0, 0, 0, 0xfe};
const uint8_t BCAST_MAC[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct fixture the_fixture;

uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t)(v >> 16));
    wr16(p + 2, (uint16_t)v);
}

uint16_t csum(const uint8_t *p, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t fb_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
              uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    wr16(f + 12, type);
    return 14;
}

size_t fb_arp(uint8_t *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
              const uint8_t tha[6], uint32_t tpa)
{
    fb_eth(f, op == 1 ? BCAST_MAC : tha, sha, 0x0806);
    uint8_t *a = f + 14;
    wr16(a, 1);
    wr16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    wr16(a + 6, op);
    memcpy(a + 8, sha, 6);
    wr32(a + 14, spa);
    memcpy(a + 18, tha, 6);
    wr32(a + 24, tpa);
    return 14 + 28;
}

void fb_ip_recsum(uint8_t *f)
{
    uint8_t *ip = f + 14;
    size_t hlen = (size_t)(ip[0] & 15) * 4;
    wr16(ip + 10, 0);
    wr16(ip + 10, csum(ip, hlen));
}

size_t fb_ipv4(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
               const uint8_t *payload, size_t plen)
{
    fb_eth(f, T_MAC, PEER_MAC, 0x0800);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[1] = 0;
    wr16(ip + 2, (uint16_t)(20 + plen));
    wr16(ip + 4, 0x1234);
    wr16(ip + 6, 0x4000);
    ip[8] = 64;
    ip[9] = proto;
    wr32(ip + 12, src);
    wr32(ip + 16, dst);
    fb_ip_recsum(f);
    if (plen)
        memcpy(ip + 20, payload, plen);
    return 14 + 20 + plen;
}

void fb_icmp_recsum(uint8_t *f, size_t len)
{
    uint8_t *icmp = f + 34;
    wr16(icmp + 2, 0);
    wr16(icmp + 2, csum(icmp, len - 34));
}

size_t fb_echo(uint8_t *f, uint32_t dst, uint16_t id, uint16_t seq,
               size_t plen)
{
    static uint8_t icmp[MOCK_FRAME_MAX];
    assert_true(plen + 8 <= sizeof icmp);
    icmp[0] = 8;
    icmp[1] = 0;
    wr16(icmp + 2, 0);
    wr16(icmp + 4, id);
    wr16(icmp + 6, seq);
    for (size_t i = 0; i < plen; i++)
        icmp[8 + i] = (uint8_t)(i * 7);
    wr16(icmp + 2, csum(icmp, 8 + plen));
    return fb_ipv4(f, PEER_IP, dst, 1, icmp, 8 + plen);
}

void fb_udp_recsum(uint8_t *f, size_t len)
{
    uint8_t *ip = f + 14, *udp = f + 34;
    uint8_t pseudo[12];
    uint32_t sum = 0;
    size_t ulen = len - 34;

    memcpy(pseudo, ip + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 17;
    wr16(pseudo + 10, (uint16_t)ulen);
    wr16(udp + 6, 0);
    for (size_t i = 0; i < 12; i += 2)
        sum += (uint32_t)(pseudo[i] << 8 | pseudo[i + 1]);
    sum += (uint16_t)~csum(udp, ulen);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    uint16_t c = (uint16_t)~sum;
    wr16(udp + 6, c ? c : 0xffff);
}

size_t fb_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
              uint16_t dport, const uint8_t *payload, size_t plen)
{
    static uint8_t udp[MOCK_FRAME_MAX];
    assert_true(plen + 8 <= sizeof udp);
    wr16(udp, sport);
    wr16(udp + 2, dport);
    wr16(udp + 4, (uint16_t)(8 + plen));
    wr16(udp + 6, 0);
    if (plen)
        memcpy(udp + 8, payload, plen);
    size_t len = fb_ipv4(f, src, dst, 17, udp, 8 + plen);
    if (dst == 0xffffffffu)
        memcpy(f, BCAST_MAC, 6);
    fb_udp_recsum(f, len);
    return len;
}

uint32_t fixture_poll(struct fixture *fx)
{
    return mote_poll(&fx->s, fx->now);
}

void fixture_rx(struct fixture *fx, const uint8_t *f, size_t len)
{
    mock_inject(&fx->m, f, len);
    fixture_poll(fx);
}

uint32_t cnt(const struct fixture *fx, enum mote_counter_id id)
{
    return mote_counter(&fx->s, id);
}

struct fixture *fixture_new(void)
{
    struct fixture *fx = &the_fixture;
    uint8_t f[64];

    memset(fx, 0, sizeof *fx);
    mock_reset(&fx->m);
    fx->now = 100000;
    assert_int_equal(mote_init(&fx->s, &mock_driver, &fx->m, T_MAC), 0);
    mote_set_ipv4(&fx->s, T_IP, T_MASK, GW_IP);
    fixture_poll(fx);
    /* The peer and the gateway ask for us, so both land in the cache. */
    fixture_rx(fx, f, fb_arp(f, 1, PEER_MAC, PEER_IP, BCAST_MAC, T_IP));
    fixture_rx(fx, f, fb_arp(f, 1, GW_MAC, GW_IP, BCAST_MAC, T_IP));
    mock_clear_sent(&fx->m);
    return fx;
}
