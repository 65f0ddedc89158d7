/*
 * mote_config.h - every size and option of mote, with its default and RAM cost.
 *
 * Override an option by defining it before this header is read: on the compiler
 * command line (-DMOTE_MAX_CONNS=2) or in a file named by MOTE_CONFIG_FILE
 * (-DMOTE_CONFIG_FILE='"my_mote_config.h"'), which is included first.
 * All RAM lives in the application's `struct mote_stack`; the cost given for
 * each option is what one unit adds to that struct on a 32-bit target.
 * Cross-checks between options sit together at the end of this file.
 */
#ifndef MOTE_CONFIG_H
#define MOTE_CONFIG_H

#ifdef MOTE_CONFIG_FILE
#include MOTE_CONFIG_FILE
#endif

/* ---- link layer and buffers ------------------------------------------- */

/* Size of the one packet buffer shared by input and output, in bytes (RAM:
 * exactly this). 1514 holds a full Ethernet frame without FCS; smaller values
 * shrink the MSS and the largest ping that can be answered. */
#ifndef MOTE_BUF_SIZE
#define MOTE_BUF_SIZE 1514
#endif

/* Most frames read from the driver in one mote_poll() call (no RAM). Bounds
 * the time spent in one call under a flood so timers are still serviced. */
#ifndef MOTE_RX_BUDGET
#define MOTE_RX_BUDGET 16
#endif

/* ---- ARP ------------------------------------------------------------- */

/* Entries in the ARP cache (RAM: 12 B each). One per neighbour talked to at
 * once: the gateway plus the local peers. The oldest entry is recycled. */
#ifndef MOTE_ARP_ENTRIES
#define MOTE_ARP_ENTRIES 4
#endif

/* Seconds an entry lives after the last ARP packet from its host (no RAM);
 * then it is forgotten and the next packet to that host asks again. */
#ifndef MOTE_ARP_MAX_AGE_S
#define MOTE_ARP_MAX_AGE_S 300
#endif

/* Milliseconds between two ARP requests for the same unresolved address
 * (no RAM); also how long a request is waited for before it is retried. */
#ifndef MOTE_ARP_RETRY_MS
#define MOTE_ARP_RETRY_MS 1000
#endif

/* ---- IPv4 ------------------------------------------------------------ */

/* Time to live of the packets mote sends (no RAM). */
#ifndef MOTE_IP_TTL
#define MOTE_IP_TTL 64
#endif

/* ---- UDP and DHCP ------------------------------------------------------ */

/* Local UDP ports the application can bind with mote_udp_bind() (RAM: 8 B
 * each; flash: about 40 B for the lookup when not 0). The DHCP client needs
 * none, so the default is 0: mote_udp_bind() fails and datagrams reach DHCP
 * only. The host build uses 2. */
#ifndef MOTE_UDP_PORTS
#define MOTE_UDP_PORTS 0
#endif

/* Static address used when DHCP finds no server (no RAM): the three
 * arguments of mote_set_ipv4(), e.g.
 *   #define MOTE_DHCP_FALLBACK MOTE_IPV4(192, 168, 1, 50), \
 *                              MOTE_IPV4(255, 255, 255, 0), MOTE_IPV4(192, 168, 1, 1)
 * Undefined by default: no address until a lease. The client keeps asking
 * while it runs on the fallback; a lease replaces it. */

/* DISCOVERs left unanswered before the fallback applies (no RAM). With the
 * back-off of RFC 2131 (4, 8, 16 s...), 3 means about 28 s. */
#ifndef MOTE_DHCP_FALLBACK_TRIES
#define MOTE_DHCP_FALLBACK_TRIES 3
#endif

/* ---- run-time timeouts --------------------------------------------------- */

/* 1: the timeouts above can be changed at run time with mote_set_timeout()
 * (RAM: 4 B per timeout), so host tests need not wait for production
 * defaults. 0: they are compile-time constants (smaller and faster). The host
 * port builds with 1; firmware keeps 0. */
#ifndef MOTE_RUNTIME_TIMEOUTS
#define MOTE_RUNTIME_TIMEOUTS 0
#endif

/* ---- connections (TCP, HTTP server) ----------------------------------- */

/* Connection slots (RAM: per connection, TCP + HTTP state). */
#ifndef MOTE_MAX_CONNS
#define MOTE_MAX_CONNS 4
#endif

/* ---- TCP ---------------------------------------------------------------- */

/* Receive window advertised while the application keeps up, in bytes (no
 * RAM: data is consumed as it arrives). Several MSS keep a Linux sender
 * streaming; on a MAC with a small FIFO keep it near what the FIFO holds. */
#ifndef MOTE_TCP_RCV_WND
#define MOTE_TCP_RCV_WND 5840
#endif

/* Initial congestion window in segments (no RAM). RFC 6928 allows ten;
 * four keeps a first burst within what a small MAC FIFO or a slow link
 * absorbs. Slow start and congestion avoidance (RFC 5681) take it from
 * there, bounded by the peer's window. */
#ifndef MOTE_TCP_INIT_SEGS
#define MOTE_TCP_INIT_SEGS 4
#endif

/* Listening ports (RAM: 4 B each). */
#ifndef MOTE_TCP_LISTENERS
#define MOTE_TCP_LISTENERS 2
#endif

/* TIME-WAIT records (RAM: 12 B each); the oldest is recycled when full. */
#ifndef MOTE_TCP_TIME_WAIT
#define MOTE_TCP_TIME_WAIT 8
#endif

/* 2*MSL: how long a TIME-WAIT record lives, ms (no RAM). Short, as suits a
 * LAN device; the record table bounds the memory whatever the rate. */
#ifndef MOTE_TCP_TIME_WAIT_MS
#define MOTE_TCP_TIME_WAIT_MS 30000
#endif

/* How long FIN-WAIT-2 waits for the peer's FIN before the slot is freed, ms
 * (no RAM). */
#ifndef MOTE_TCP_FIN_WAIT2_MS
#define MOTE_TCP_FIN_WAIT2_MS 30000
#endif

/* Retransmission timeout: initial, lower and upper bounds, ms (no RAM).
 * RFC 6298 asks for a 1 s minimum; 200 ms (as Linux) suits LAN round trips. */
#ifndef MOTE_TCP_RTO_INIT_MS
#define MOTE_TCP_RTO_INIT_MS 1000
#endif
#ifndef MOTE_TCP_RTO_MIN_MS
#define MOTE_TCP_RTO_MIN_MS 200
#endif
#ifndef MOTE_TCP_RTO_MAX_MS
#define MOTE_TCP_RTO_MAX_MS 60000
#endif

/* Consecutive retransmission timeouts before a connection is dropped, and
 * the same for an unanswered SYN-ACK (no RAM). */
#ifndef MOTE_TCP_MAX_RETRIES
#define MOTE_TCP_MAX_RETRIES 8
#endif
#ifndef MOTE_TCP_SYN_RETRIES
#define MOTE_TCP_SYN_RETRIES 3
#endif

/* RSTs sent per second (a 1,024 ms window) at most for segments that match
 * no connection (no RAM): a scan or flood cannot turn mote into a packet
 * cannon. */
#ifndef MOTE_TCP_RST_PER_S
#define MOTE_TCP_RST_PER_S 20
#endif

/* ---- HTTP request parser and router ------------------------------------ */

/* Longest request target (path and query) accepted, in bytes (no RAM: the
 * target is matched as it streams). Longer targets get 414. */
#ifndef MOTE_HTTP_MAX_TARGET
#define MOTE_HTTP_MAX_TARGET 1024
#endif

/* Largest header block (request line excluded), in bytes (no RAM). A larger
 * one gets 431. */
#ifndef MOTE_HTTP_MAX_HEADER_BLOCK
#define MOTE_HTTP_MAX_HEADER_BLOCK 4096
#endif

/* Most header fields in one request (no RAM). More get 431. */
#ifndef MOTE_HTTP_MAX_HEADERS
#define MOTE_HTTP_MAX_HEADERS 48
#endif

/* Header fields the application wants to read (no RAM; flash: the name plus
 * a pointer). An X-macro of X(ID, "lowercase-name") entries; their values
 * reach the server as FIELD spans with id MOTE_HTTP_H_<ID>, e.g.
 *   #define MOTE_HTTP_APP_HEADERS(X) X(AUTHORIZATION, "authorization") \
 *                                    X(X_API_KEY, "x-api-key")
 * Names must be lowercase tokens (letters, digits, '-'). Empty by default. */
#ifndef MOTE_HTTP_APP_HEADERS
#define MOTE_HTTP_APP_HEADERS(X)
#endif

/* Bytes kept per connection by the router for decoded path parameters and
 * the raw query (RAM: exactly this, plus 8 B of matcher state). A longer
 * parameter set or query gets 414. 24 keeps the router at 32 B. */
#ifndef MOTE_HTTP_PARAM_BUF
#define MOTE_HTTP_PARAM_BUF 24
#endif

/* ---- HTTP server --------------------------------------------------------- */

/* TCP port the server listens on (no RAM). */
#ifndef MOTE_HTTP_PORT
#define MOTE_HTTP_PORT 80
#endif

/* Response buffers shared by all connections, and their size (RAM: exactly
 * BUFS * SIZE). A body built from changing state is rendered once into one
 * and held until acknowledged; a collected request body lands in one (413
 * past SIZE). A connection that needs one while none is free waits. */
#ifndef MOTE_HTTP_BUFS
#define MOTE_HTTP_BUFS 1
#endif
#ifndef MOTE_HTTP_BUF_SIZE
#define MOTE_HTTP_BUF_SIZE 256
#endif

/* Pipelined bytes kept for one connection at a time when both its response
 * entries are busy (RAM: exactly this). While a connection reads request
 * heads it advertises this much window, so a client that pipelines never
 * sends what mote would have to drop: past two requests, the rest waits
 * here and the window closes, then reopens with an ACK as it drains. A body
 * streams at the full window. Two connections pipelining at once: the
 * second loses what does not fit, and its client sends it again. */
#ifndef MOTE_HTTP_STASH
#define MOTE_HTTP_STASH 128
#endif

/* Constant bodies up to this many bytes are copied behind the head, in its
 * segment, instead of going as a separate zero-copy segment (no RAM). */
#ifndef MOTE_HTTP_INLINE
#define MOTE_HTTP_INLINE 512
#endif

/* Timeouts, ms (no RAM): the whole request head must arrive within HEADER
 * (else 408); a connection with no request closes after IDLE, and after
 * LIFETIME since it opened once its current request is done (never in the
 * middle of a transfer). */
#ifndef MOTE_HTTP_HEADER_MS
#define MOTE_HTTP_HEADER_MS 10000
#endif
#ifndef MOTE_HTTP_IDLE_MS
#define MOTE_HTTP_IDLE_MS 5000
#endif
#ifndef MOTE_HTTP_LIFETIME_MS
#define MOTE_HTTP_LIFETIME_MS 30000
#endif
/* A request being read or a response being sent that moves no byte for
 * this long, ms (no RAM), is aborted: a client that stops mid-body or stops
 * reading cannot hold a slot. */
#ifndef MOTE_HTTP_STALL_MS
#define MOTE_HTTP_STALL_MS 20000
#endif
/* Slowest head accepted while the pool is full, bytes/s (no RAM): when a
 * SYN finds no idle connection to evict, heads arriving slower than this
 * (after their first second) get 408 and close, leaving room for the
 * client's SYN retry. */
#ifndef MOTE_HTTP_MIN_RATE
#define MOTE_HTTP_MIN_RATE 64
#endif

/* ---- cross-checks ------------------------------------------------------ */

_Static_assert(MOTE_BUF_SIZE >= 590 && MOTE_BUF_SIZE <= 1514,
               "MOTE_BUF_SIZE must hold a minimal IPv4 datagram (576 B) and "
               "at most one Ethernet frame");
_Static_assert(MOTE_RX_BUDGET >= 1, "MOTE_RX_BUDGET must be at least 1");
_Static_assert(MOTE_ARP_ENTRIES >= 1 && MOTE_ARP_ENTRIES <= 64,
               "MOTE_ARP_ENTRIES must be 1..64");
_Static_assert(MOTE_ARP_MAX_AGE_S >= 1 && MOTE_ARP_MAX_AGE_S <= 2000,
               "MOTE_ARP_MAX_AGE_S must be 1..2000 (the cache keeps time "
               "in 16-bit ticks of 64 ms)");
_Static_assert(MOTE_ARP_RETRY_MS >= 64 && MOTE_ARP_RETRY_MS <= 60000,
               "MOTE_ARP_RETRY_MS must be 64..60000");
_Static_assert(MOTE_IP_TTL >= 1 && MOTE_IP_TTL <= 255, "MOTE_IP_TTL: 1..255");
_Static_assert(MOTE_UDP_PORTS >= 0 && MOTE_UDP_PORTS <= 16,
               "MOTE_UDP_PORTS must be 0..16");
_Static_assert(MOTE_DHCP_FALLBACK_TRIES >= 1 && MOTE_DHCP_FALLBACK_TRIES <= 100,
               "MOTE_DHCP_FALLBACK_TRIES must be 1..100");
_Static_assert(MOTE_MAX_CONNS >= 1 && MOTE_MAX_CONNS <= 64,
               "MOTE_MAX_CONNS must be 1..64");
_Static_assert(MOTE_TCP_RCV_WND >= 536 && MOTE_TCP_RCV_WND <= 65535,
               "MOTE_TCP_RCV_WND must be 536..65535 (no window scaling)");
_Static_assert(MOTE_TCP_INIT_SEGS >= 1 && MOTE_TCP_INIT_SEGS <= 10,
               "MOTE_TCP_INIT_SEGS must be 1..10 (RFC 6928's initial window)");
_Static_assert(MOTE_TCP_LISTENERS >= 1 && MOTE_TCP_LISTENERS <= 255,
               "MOTE_TCP_LISTENERS must be 1..255");
_Static_assert(MOTE_TCP_TIME_WAIT >= 1, "MOTE_TCP_TIME_WAIT must be >= 1");
_Static_assert(MOTE_TCP_TIME_WAIT_MS >= 64 &&
                   MOTE_TCP_TIME_WAIT_MS <= 2000000,
               "MOTE_TCP_TIME_WAIT_MS must be 64..2000000 (16-bit ticks)");
_Static_assert(MOTE_TCP_RTO_MIN_MS >= 10 &&
                   MOTE_TCP_RTO_MIN_MS <= MOTE_TCP_RTO_INIT_MS &&
                   MOTE_TCP_RTO_INIT_MS <= MOTE_TCP_RTO_MAX_MS &&
                   MOTE_TCP_RTO_MAX_MS <= 65535,
               "TCP RTO: 10 <= MIN <= INIT <= MAX <= 65535 ms");
_Static_assert(MOTE_TCP_MAX_RETRIES >= 1 && MOTE_TCP_MAX_RETRIES <= 255 &&
                   MOTE_TCP_SYN_RETRIES >= 1 && MOTE_TCP_SYN_RETRIES <= 255,
               "TCP retries must be 1..255");
_Static_assert(MOTE_TCP_RST_PER_S >= 1 && MOTE_TCP_RST_PER_S <= 255,
               "MOTE_TCP_RST_PER_S must be 1..255");
_Static_assert(MOTE_HTTP_MAX_TARGET >= 16 && MOTE_HTTP_MAX_TARGET <= 65535,
               "MOTE_HTTP_MAX_TARGET must be 16..65535");
_Static_assert(MOTE_HTTP_MAX_HEADER_BLOCK >= 64 &&
                   MOTE_HTTP_MAX_HEADER_BLOCK <= 65535,
               "MOTE_HTTP_MAX_HEADER_BLOCK must be 64..65535");
_Static_assert(MOTE_HTTP_MAX_HEADERS >= 1 && MOTE_HTTP_MAX_HEADERS <= 255,
               "MOTE_HTTP_MAX_HEADERS must be 1..255");
_Static_assert(MOTE_HTTP_PARAM_BUF >= 8 && MOTE_HTTP_PARAM_BUF <= 254,
               "MOTE_HTTP_PARAM_BUF must be 8..254 (8-bit offsets, 255 "
               "means no query)");

_Static_assert(MOTE_HTTP_BUFS >= 1 && MOTE_HTTP_BUFS <= 8,
               "MOTE_HTTP_BUFS must be 1..8 (a bit each)");
_Static_assert(MOTE_HTTP_BUF_SIZE >= 16 && MOTE_HTTP_BUF_SIZE <= 65535,
               "MOTE_HTTP_BUF_SIZE must be 16..65535");
_Static_assert(MOTE_MAX_CONNS <= 255, "HTTP slots are 8-bit");
_Static_assert(MOTE_HTTP_STASH >= 64 && MOTE_HTTP_STASH <= MOTE_TCP_RCV_WND,
               "MOTE_HTTP_STASH must be 64..MOTE_TCP_RCV_WND");
_Static_assert(MOTE_HTTP_INLINE <= 1024,
               "MOTE_HTTP_INLINE: at most 1024 (one segment)");

#endif /* MOTE_CONFIG_H */
