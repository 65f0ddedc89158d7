/*
 * http_server.h - the HTTP/1.1 server: TCP, the parser and the router joined.
 *
 *     static int hello(struct mote_http_req *req)
 *     {
 *         static const char body[] = "hello\n";
 *         return mote_http_reply(req, 200, "text/plain", body, 6);
 *     }
 *     MOTE_ROUTE(GET, "/hello", hello);
 *     ...
 *     mote_http_start(&stack);
 *
 * A handler is called for the phases of its request (mote_http_phase()):
 *   MOTE_HTTP_PH_FIELD  a span of a delivered header value (Host, Content-Type,
 *                    Accept-Encoding, If-None-Match, MOTE_HTTP_APP_HEADERS),
 *                    mote_http_data() and mote_http_field(); return 0.
 *   MOTE_HTTP_PH_HEAD   the head is complete and valid. Answer now (GET), or
 *                    take the body: stream it (BODY phases) or collect it
 *                    with mote_http_collect() into a response buffer (413
 *                    past MOTE_HTTP_BUF_SIZE). Return 0, or MOTE_HTTP_AGAIN
 *                    to be called again at a later poll (no buffer free).
 *   MOTE_HTTP_PH_BODY   a span of body data; return how many bytes were taken.
 *                    Taking fewer closes the TCP window until
 *                    mote_http_resume(); the rest comes again.
 *   MOTE_HTTP_PH_END    the body is complete (collected: mote_http_data()).
 *                    Answer, return MOTE_HTTP_AGAIN, or return 0 without
 *                    answering to defer: answer later from a task (check
 *                    mote_http_id() first: the connection may have gone).
 * Once answered, a handler is not called again for that request; the rest of
 * its body is read and dropped. Request data (spans, parameters, query) is
 * valid only inside the call.
 *
 * Responses come from sources (tcp.h): constant bytes, sent without a copy
 * (bodies of MOTE_HTTP_INLINE bytes or less ride in the head's segment);
 * a generator, which must be deterministic (the same bytes for the same
 * offset) until the response is acknowledged; or bytes rendered once into
 * the response buffer of mote_http_buf(), held until acknowledged, which
 * is the way for anything built from changing state. Known length:
 * Content-Length. Unknown (MOTE_HTTP_LEN_UNKNOWN): chunked for HTTP/1.1,
 * in chunks of 1,016 bytes with a 4-digit size line, so the framing is a
 * function of the body offset only and a retransmission cut elsewhere sends
 * identical bytes; HTTP/1.0: delimited by closing.
 *
 * Connections: keep-alive (HTTP/1.0 only when asked), Connection: close
 * honoured, two response entries per connection (the next request head is
 * read while the current response drains; the receive side stops only when
 * both are busy), 100 Continue sent when a handler takes an Expect body,
 * errors as the parser and router decide (with Connection: close when the
 * stream cannot be trusted), timeouts: head read 408, idle keep-alive,
 * lifetime between requests.
 */
#ifndef MOTE_HTTP_SERVER_H
#define MOTE_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "mote/http_parser.h"
#include "mote/mote_config.h"
#include "mote/route.h"
#include "mote/tcp.h"

struct mote_stack;

#define MOTE_HTTP_LEN_UNKNOWN MOTE_TCP_LEN_UNTIL_END
#define MOTE_HTTP_AGAIN (-1)

enum mote_http_phase {
    MOTE_HTTP_PH_FIELD,
    MOTE_HTTP_PH_HEAD,
    MOTE_HTTP_PH_BODY,
    MOTE_HTTP_PH_END
};

typedef size_t (*mote_http_fill)(void *ctx, uint32_t offset, uint8_t *buf,
                                 size_t cap);

/* One response: its sources and what the head says. Private. */
struct mote_http_entry {
    uint16_t flags;       /* E_* in http_server.c; 0: free */
    uint16_t status;
    union { /* by name, or by index in the order they are sent */
        struct {
            struct mote_tcp_source head, body;
        };
        struct mote_tcp_source src[2];
    };
    const char *ctype, *extra;
    mote_http_fill ufill; /* chunked: the application's generator */
    void *uctx;
    union {               /* one or the other: the router's answers (with
                             Allow) are never chunked */
        uint32_t end;     /* chunked: the body's end once found */
        uint32_t allow;   /* the router's 405, 204: methods for Allow */
    };
};

/* A connection's HTTP state, and the handle handlers get. Private. */
struct mote_http_req {
    /* Small fields first: short Thumb-2 loads reach only the first bytes. */
    uint32_t since; /* ms: start of the idle period or of the head, or
                       the last byte in or acknowledged in a transfer */
    uint32_t born;  /* ms: connection established */
    uint16_t flags; /* C_* in http_server.c */
    uint16_t owed;  /* body bytes parsed but not taken by the handler */
    uint16_t id;    /* request number on this slot */
    union {
        uint16_t hbytes; /* bytes received until the head is complete
                            (saturates), for the slow-head check */
        uint16_t blen;   /* after it: the bytes of a collected body */
    };
    uint8_t idx;    /* slot */
    uint8_t old;    /* oldest entry */
    uint8_t cur;    /* entry of the request being read */
    uint8_t phase;  /* enum mote_http_phase; FIELD: the header's id << 2 */
    uint8_t method;
    uint8_t rbuf;   /* response buffer held by the request + 1; 0: none */
    uint8_t ebuf[2]; /* ... by each entry, until its response is acked */
    struct mote_http_entry e[2];
    struct mote_http_parser p;
    struct mote_route_match m;
};

/* Starts serving on MOTE_HTTP_PORT; returns mote_tcp_listen()'s result. */
int mote_http_start(struct mote_stack *s);

/* ---- inside a handler -------------------------------------------------- */

static inline enum mote_http_phase mote_http_phase(const struct mote_http_req *r)
{
    return (enum mote_http_phase)(r->phase & 3);
}
static inline enum mote_http_method
mote_http_req_method(const struct mote_http_req *r)
{
    return (enum mote_http_method)r->method;
}
/* FIELD: which header (enum mote_http_header). */
static inline unsigned mote_http_field(const struct mote_http_req *r)
{
    return r->phase >> 2u;
}
/* Path parameters and query: mote_param_str(mote_http_match(req), "id"). */
static inline const struct mote_route_match *
mote_http_match(const struct mote_http_req *r)
{
    return &r->m;
}
/* Changes with every request on the connection: a deferred answer checks
 * it still answers the request it was asked. */
static inline uint16_t mote_http_id(const struct mote_http_req *r)
{
    return r->id;
}

/* The span of the current phase (FIELD, BODY, END with a collected body). */
const uint8_t *mote_http_data(const struct mote_http_req *req, size_t *len);

/* HEAD: collect the body into a response buffer. -1: none free (return
 * MOTE_HTTP_AGAIN). The buffer stays the request's (mote_http_buf()). */
int mote_http_collect(struct mote_http_req *req);

/* A response buffer of MOTE_HTTP_BUF_SIZE bytes for this request (the one
 * it already holds, e.g. its collected body), or NULL when none is free. A
 * body or header lines in it are held until acknowledged. */
uint8_t *mote_http_buf(struct mote_http_req *req, size_t *cap);

/* Extra header lines for the next reply ("ETag: \"x\"\r\n..."), kept by
 * pointer until acknowledged. */
void mote_http_headers(struct mote_http_req *req, const char *lines);

/* Answers with constant bytes (or bytes in the request's buffer). 0, or -1
 * when the request is already answered or gone. */
int mote_http_reply(struct mote_http_req *req, unsigned status,
                    const char *ctype, const void *body, uint32_t len);

/* Answers with a generator of `len` bytes, or MOTE_HTTP_LEN_UNKNOWN. */
int mote_http_reply_gen(struct mote_http_req *req, unsigned status,
                        const char *ctype, mote_http_fill fill, void *ctx,
                        uint32_t len);

/* After a BODY phase took less than it was given: take more. */
void mote_http_resume(struct mote_http_req *req);

/* The stack a request belongs to. */
struct mote_stack *mote_http_stack(struct mote_http_req *req);

#define MOTE_HTTP_COUNTERS(X)                                               \
    X(HTTP_2XX)         /* responses 1xx-2xx (interim 100 not counted) */   \
    X(HTTP_3XX)         /* responses 3xx */                                 \
    X(HTTP_4XX)         /* responses 4xx */                                 \
    X(HTTP_5XX)         /* responses 5xx */                                 \
    X(HTTP_TIMEOUTS)    /* 408: the head came too slowly; and transfers    \
                           aborted after HTTP_STALL_MS without progress */ \
    X(HTTP_IDLE_CLOSES) /* closed idle, or past the lifetime */            \
    X(HTTP_EVICTIONS)   /* idle connections aborted for a newcomer */

#define MOTE_HTTP_TIMEOUTS(X)                                               \
    X(HTTP_HEADER_MS)                                                       \
    X(HTTP_IDLE_MS)                                                         \
    X(HTTP_LIFETIME_MS)                                                     \
    X(HTTP_STALL_MS)

#define MOTE_TO_DEFAULT_HTTP_HEADER_MS ((uint32_t)MOTE_HTTP_HEADER_MS)
#define MOTE_TO_DEFAULT_HTTP_IDLE_MS ((uint32_t)MOTE_HTTP_IDLE_MS)
#define MOTE_TO_DEFAULT_HTTP_LIFETIME_MS ((uint32_t)MOTE_HTTP_LIFETIME_MS)
#define MOTE_TO_DEFAULT_HTTP_STALL_MS ((uint32_t)MOTE_HTTP_STALL_MS)

struct mote_http {
    struct mote_http_req conns[MOTE_MAX_CONNS];
    const uint8_t *span; /* the current phase's data */
    uint32_t span_len;
    uint8_t busy;        /* response buffers in use, a bit each */
    uint8_t stash_owner; /* slot + 1 of the connection whose bytes wait in
                            the stash; 0: free */
    uint16_t stash_len;
    uint8_t stash[MOTE_HTTP_STASH];
    uint8_t bufs[MOTE_HTTP_BUFS][MOTE_HTTP_BUF_SIZE];
};

#define MOTE_HTTP_STATE struct mote_http http;

#endif /* MOTE_HTTP_SERVER_H */
