/*
 * tcp_frames.h - TCP segments for unit tests: a builder for segments from
 * the peer, a parser for the ones mote sends (checksum verified), and a test
 * application recording every callback.
 */
#ifndef TCP_FRAMES_H
#define TCP_FRAMES_H

#include "frames.h"
#include "mote/tcp.h"

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10
#define F_URG 0x20

#define APP_PORT 80
#define PEER_PORT 40000

/* A segment from PEER_IP:sport to T_IP:dport. `opt`: raw options (a
 * multiple of 4 bytes). Returns the frame length. */
size_t fb_tcp(uint8_t *f, uint16_t sport, uint16_t dport, uint32_t seq,
              uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opt,
              size_t optlen, const void *payload, size_t plen);

/* The same from another address `src` (the sender's MAC stays PEER_MAC). */
size_t fb_tcp_from(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
                   uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                   const uint8_t *opt, size_t optlen, const void *payload,
                   size_t plen);
/* Recomputes the TCP checksum of such a frame (from PEER_IP) after
 * tampering with the header. */
void fb_tcp_recsum(uint8_t *f, size_t len);

struct seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd, mss; /* mss: the option's value, 0 when absent */
    size_t plen;
    const uint8_t *payload;
    const uint8_t *tail; /* the driver's second span */
};

/* Parses sent frame i as IPv4/TCP to PEER_IP, verifying both checksums. */
struct seg sent_seg(const struct fixture *fx, unsigned i);

/* The recording test application, listening on APP_PORT. */
struct app {
    int accepted, closed, fin;
    enum mote_tcp_why why;
    struct mote_tcp_conn *conn;
    uint8_t rx[70000];
    size_t rx_len;
    size_t take_limit;    /* data() takes at most this much per call */
    int refuse;           /* accepted() refuses */
    unsigned window;      /* window() returns this; 0: no limit */
    int acked;
    struct mote_tcp_source *last_acked;
    struct mote_tcp_source reply; /* sent from data() when reply_len */
    size_t reply_len;
    int close_after_reply;
    int close_on_fin;
};
extern struct app app;
extern const struct mote_tcp_listener app_listener;

/* A fixture with the application listening and an established connection
 * from PEER_PORT; the peer's next sequence number is *peer_seq and ours
 * (what the peer must acknowledge) *our_seq. The peer's window is `wnd`. */
struct fixture *tcp_fixture(uint32_t peer_isn, uint16_t wnd,
                            uint32_t *peer_seq, uint32_t *our_seq);

/* Injects a segment on the established connection and polls. */
void peer_send(struct fixture *fx, uint32_t seq, uint32_t ack, uint8_t flags,
               uint16_t wnd, const void *payload, size_t plen);

/* Deterministic test bytes. */
uint8_t pattern(uint32_t i);

#endif
