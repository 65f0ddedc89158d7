/*
 * mote.h - the public interface of the mote network stack.
 *
 * One `struct mote_stack` holds all of a stack's state; the application
 * allocates it (statically, as a rule) and passes it to every call, so one
 * process may run several stacks side by side. Its members are private: read
 * them only through the functions below.
 *
 * The stack is single-threaded and event driven: call mote_poll() from the
 * main loop, with the current time, whenever a frame may be waiting or the
 * delay it returned has passed. Nothing in mote may be called from an ISR.
 */
#ifndef MOTE_H
#define MOTE_H

#include <stddef.h>
#include <stdint.h>

#include "mote/driver.h"
#include "mote/mote_config.h"

struct mote_stack;

/* Each protocol module declares its counters and its part of the stack. */
#include "mote/dhcp.h"
#include "mote/http_server.h"
#include "mote/tcp.h"
#include "mote/udp.h"

/* An IPv4 address in host byte order, from its four dotted parts. */
#define MOTE_IPV4(a, b, c, d)                                           \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |   \
     (uint32_t)(d))

/*
 * Counters: one per event worth knowing, and one per reason a frame is
 * dropped, so every drop path can be seen from outside. The list is an
 * X-macro so a port can print names without the core storing them.
 */
#define MOTE_COUNTERS(X)                                                    \
    MOTE_CORE_COUNTERS(X)                                                   \
    MOTE_UDP_COUNTERS(X)                                                    \
    MOTE_DHCP_COUNTERS(X)                                                   \
    MOTE_TCP_COUNTERS(X)                                                    \
    MOTE_HTTP_COUNTERS(X)

#define MOTE_CORE_COUNTERS(X)                                               \
    X(RX_FRAMES)        /* frames read from the driver */                  \
    X(TX_FRAMES)        /* frames handed to the driver */                  \
    X(TX_ERRORS)        /* frames the driver refused */                    \
    X(ETH_SHORT)        /* drop: shorter than the Ethernet header */        \
    X(ETH_OVERSIZE)     /* drop: longer than the packet buffer */           \
    X(ETH_NOT_OURS)     /* drop: destination neither us nor broadcast */    \
    X(ETH_SRC_BAD)      /* drop: source MAC broadcast or multicast */       \
    X(ETH_TYPE)         /* drop: EtherType other than IPv4 or ARP */        \
    X(ARP_MALFORMED)    /* drop: truncated, or wrong types or lengths */    \
    X(ARP_NOT_OURS)     /* drop: request or reply for another address */    \
    X(ARP_UNSOLICITED)  /* drop: reply for an address we did not ask for */ \
    X(ARP_CONFLICT)     /* drop: another MAC claims our IP address */       \
    X(ARP_MISS)         /* drop: outgoing packet, next hop unresolved */    \
    X(ARP_REQUESTS)     /* ARP requests sent */                             \
    X(IP_VERSION)       /* drop: version not 4 */                           \
    X(IP_HLEN)          /* drop: IHL < 5 or past the total length */        \
    X(IP_LEN)           /* drop: total length past the frame or < header */ \
    X(IP_CHECKSUM)      /* drop: bad header checksum */                     \
    X(IP_TTL)           /* drop: TTL 0 */                                   \
    X(IP_OPTIONS)       /* drop: malformed options */                       \
    X(IP_FRAGMENT)      /* drop: fragment (no reassembly, see ipv4.c) */    \
    X(IP_SRC_BAD)       /* drop: source broadcast, multicast or ours */     \
    X(IP_NOT_OURS)      /* drop: destination not ours nor broadcast */      \
    X(IP_PROTO)         /* drop: protocol not handled */                    \
    X(IP_NO_ROUTE)      /* drop: outgoing, off-subnet and no gateway */     \
    X(ICMP_SHORT)       /* drop: shorter than the ICMP header */            \
    X(ICMP_CHECKSUM)    /* drop: bad ICMP checksum */                       \
    X(ICMP_BROADCAST)   /* drop: echo to a broadcast address (smurf) */     \
    X(ICMP_TYPE)        /* drop: type not handled */                        \
    X(ICMP_ECHO_REPLIES) /* echo replies sent */

enum mote_counter_id {
#define MOTE_COUNTER_ENUM(name) MOTE_CNT_##name,
    MOTE_COUNTERS(MOTE_COUNTER_ENUM)
#undef MOTE_COUNTER_ENUM
    MOTE_CNT_COUNT
};

/* Timeouts that MOTE_RUNTIME_TIMEOUTS lets a host test shorten, in ms. Each
 * module lists its own (MOTE_<MODULE>_TIMEOUTS in its header); the default
 * of timeout NAME is MOTE_TO_DEFAULT_NAME. */
#define MOTE_TIMEOUTS(X)                                                    \
    X(ARP_MAX_AGE_MS)                                                       \
    X(ARP_RETRY_MS)                                                         \
    MOTE_UDP_TIMEOUTS(X)                                                    \
    MOTE_DHCP_TIMEOUTS(X)                                                   \
    MOTE_TCP_TIMEOUTS(X)                                                    \
    MOTE_HTTP_TIMEOUTS(X)

#define MOTE_TO_DEFAULT_ARP_MAX_AGE_MS ((uint32_t)MOTE_ARP_MAX_AGE_S * 1000u)
#define MOTE_TO_DEFAULT_ARP_RETRY_MS ((uint32_t)MOTE_ARP_RETRY_MS)

enum mote_timeout_id {
#define MOTE_TIMEOUT_ENUM(name) MOTE_TO_##name,
    MOTE_TIMEOUTS(MOTE_TIMEOUT_ENUM)
#undef MOTE_TIMEOUT_ENUM
    MOTE_TO_COUNT
};

/* ---- private state (sized here so the application can allocate it) ------- */

struct mote_arp_entry {
    uint32_t ip;     /* 0: free */
    uint8_t mac[6];  /* multicast bit set: request sent, no answer yet */
    uint16_t stamp;  /* tick (64 ms units) when last confirmed or asked */
};

struct mote_stack {
    const struct mote_driver *drv;
    void *drv_ctx;
    uint8_t mac[6];
    uint8_t link_up;     /* last state reported by the driver */
    uint8_t announce;    /* gratuitous ARP owed at the next poll */
    uint32_t ip;         /* our address; 0 until configured */
    uint32_t mask;
    uint32_t gw;         /* 0: no gateway, off-subnet traffic is dropped */
    uint32_t now;        /* time of the current mote_poll(), ms */
    uint16_t ip_id;      /* identification of the next IPv4 packet */
    /* The ARP cache and the counters come early: on Thumb-2 small offsets
     * from the struct's start make shorter instructions. */
    struct mote_arp_entry arp[MOTE_ARP_ENTRIES];
    uint32_t counters[MOTE_CNT_COUNT];
    MOTE_UDP_STATE
    MOTE_DHCP_STATE
    MOTE_TCP_STATE
    MOTE_HTTP_STATE
#if MOTE_RUNTIME_TIMEOUTS
    uint32_t timeouts[MOTE_TO_COUNT];
#endif
    uint8_t buf[MOTE_BUF_SIZE];
};

/* ---- interface -------------------------------------------------------- */

/* Prepares `s` for the interface behind `drv` (called with `drv_ctx`) with
 * MAC address `mac`; returns the driver's init() result (0: success). The
 * stack has no IPv4 address until mote_set_ipv4() (or DHCP) gives one. */
int mote_init(struct mote_stack *s, const struct mote_driver *drv,
              void *drv_ctx, const uint8_t mac[6]);

/* Sets our address, netmask and gateway (0: none), in host byte order, and
 * announces the address with a gratuitous ARP when the link is up. */
void mote_set_ipv4(struct mote_stack *s, uint32_t ip, uint32_t mask,
                   uint32_t gw);

/* Processes every waiting frame (at most MOTE_RX_BUDGET per call) and every
 * timer due at `now_ms` (a millisecond clock that may wrap). Returns how many
 * ms may pass before the next call is needed if no frame arrives; 0 when it
 * has more work right away. */
uint32_t mote_poll(struct mote_stack *s, uint32_t now_ms);

/* Value of one counter. */
uint32_t mote_counter(const struct mote_stack *s, enum mote_counter_id id);

#if MOTE_RUNTIME_TIMEOUTS
/* Changes a timeout at run time (values in ms; the ARP age at most
 * 2,000,000). Only with MOTE_RUNTIME_TIMEOUTS. */
void mote_set_timeout(struct mote_stack *s, enum mote_timeout_id id,
                      uint32_t ms);
#endif

#endif /* MOTE_H */
