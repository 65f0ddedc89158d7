/*
 * http_parser.h - streaming HTTP/1.1 request parser.
 *
 * Usable on its own: it needs only this header and mote_config.h.
 *
 * The parser is a byte-at-a-time state machine of 16 bytes. It never copies,
 * never buffers the header block and never looks back at bytes it has been
 * given before: feed it whatever the network delivers, in pieces of any size,
 * and it reports the same events (the spans of one call may be cut into more
 * spans by another split; their concatenation is the same).
 *
 *     struct mote_http_parser p;
 *     struct mote_http_event ev;
 *     mote_http_init(&p);
 *     while (len > 0 || more events wanted) {
 *         size_t used = mote_http_parse(&p, data, len, &ev);
 *         data += used; len -= used;
 *         switch (ev.type) { ... }            // NEED_MORE: wait for bytes
 *     }
 *
 * Each call consumes bytes up to the next event and returns how many it
 * consumed (with an event inside the head, it may also take head bytes after
 * it that report nothing, such as the version after the target; a BODY span
 * and the head's last byte end the bytes consumed); MOTE_HTTP_EV_NEED_MORE
 * means all of them were consumed and nothing else happened. Spans (ev.ptr,
 * ev.len) point into the caller's bytes, or into constant strings ("*",
 * "/", spaces: see "Delivered values"), valid as long as the caller's bytes
 * do. Events of one request, in order:
 *
 *   EV_TARGET  one or more spans of the request target (path and query); the
 *           final one has ev.last = 1 (it may be empty). The method is known
 *           (mote_http_method()) from the first one on.
 *   EV_FIELD   spans of the value of a delivered header field, ev.id names it;
 *           the final span of each field line has ev.last = 1.
 *   EV_HEAD    the head is complete and valid: version, keep-alive, Expect and
 *           the body framing can be read with the accessors below.
 *   EV_BODY    spans of body data (Content-Length or de-chunked).
 *   EV_DONE    the message is complete; the parser is ready for the next
 *           request on the same connection (pipelining: keep feeding).
 *   EV_ERROR   ev.status is the status the server should answer with before it
 *           closes the connection; the parser stays in this state until
 *           mote_http_init().
 * EV_DONE consumes no bytes, so a call with len 0 can still return it.
 * ev.ptr and ev.len are meaningful for span events only (TARGET, FIELD,
 * BODY); a BODY span is never empty; TARGET and FIELD spans may be (a final
 * span with last = 1).
 *
 * Rules (RFC 9110 / RFC 9112, strict: this is where smuggling is stopped):
 *  Request line
 *   - Leading empty lines (CRLF) before the request line are ignored
 *     (RFC 9112 2.2); they count toward MOTE_HTTP_MAX_TARGET.
 *   - method SP target SP version CRLF: exactly one SP each, no HTAB (400).
 *   - Methods GET HEAD POST PUT DELETE PATCH OPTIONS, case-sensitive; any
 *     other token -> 501 (reported as soon as the token cannot be one of
 *     them); a non-token byte in the method, or an empty method -> 400.
 *   - Target: origin-form "/path[?query]"; absolute-form
 *     "scheme://authority[/path][?query]" whose scheme and authority are
 *     validated and skipped (TARGET then carries the path, "/" if empty,
 *     and query); "*" only with OPTIONS. Anything else -> 400.
 *     Path and query bytes must be RFC 3986 pchar, "/" or "?"; "%" must be
 *     followed by two hex digits (400). Longer than MOTE_HTTP_MAX_TARGET
 *     bytes -> 414 (this also bounds the request line).
 *   - Version exactly "HTTP/1.0" or "HTTP/1.1"; "HTTP/" DIGIT "." DIGIT
 *     naming another version -> 505; anything else -> 400.
 *  Line ends
 *   - Every line ends with CRLF. A CR not followed by LF (bare CR) -> 400;
 *     an LF not preceded by CR (bare LF) -> 400.
 *  Header fields
 *   - name ":" OWS value OWS CRLF. The name is a non-empty token (400);
 *     whitespace between name and colon -> 400; a line starting with SP or
 *     HTAB (obs-fold, or whitespace after the request line) -> 400.
 *   - The value is field-vchar / obs-text / SP / HTAB; any other byte (NUL,
 *     controls, DEL) -> 400.
 *   - More than MOTE_HTTP_MAX_HEADERS fields, or a header block (all field
 *     lines and the final CRLF) longer than MOTE_HTTP_MAX_HEADER_BLOCK
 *     bytes -> 431.
 *   - Names are matched case-insensitively. Content-Length,
 *     Transfer-Encoding, Connection and Expect are interpreted; Host,
 *     Content-Type, Accept-Encoding, If-None-Match and the names listed in
 *     MOTE_HTTP_APP_HEADERS are delivered as FIELD spans; every other field
 *     is validated and skipped.
 *   - Content-Length: 1*DIGIT only (no sign, no list, no spaces inside);
 *     else 400. Larger than 2^32 - 1 -> 413. A second Content-Length field,
 *     even with the same value -> 400.
 *   - Transfer-Encoding: a list of codings. A coding after "chunked"
 *     (including a second "chunked", in the same or another field line) ->
 *     400; "chunked" absent or not last -> 400; transfer parameters (";")
 *     or any other coding before a final chunked -> 501 (not implemented).
 *     Transfer-Encoding together with Content-Length -> 400; in an
 *     HTTP/1.0 request -> 400 (RFC 9112 6.1: framing is faulty).
 *   - Connection: a token list; "close" and "keep-alive" are noted, other
 *     tokens ignored; a non-token byte -> 400.
 *   - Expect: "100-continue" is noted (only for HTTP/1.1); any other
 *     expectation -> 417.
 *   - Host: required in HTTP/1.1 (400 when missing), at most once (400);
 *     its value is checked as a field value only (the server must not use
 *     it as a trusted name).
 *  Delivered values
 *   - Leading and trailing whitespace is not part of the value. Whitespace
 *     inside (SP or HTAB) is delivered as SP, so the delivered bytes do not
 *     depend on the split: an HTAB, or a SP held back at the end of a
 *     piece, comes from a constant string; a SP with the rest of its line
 *     at hand may stay inside a span of the caller's bytes.
 *  Bodies (RFC 9112 6.3)
 *   - Transfer-Encoding chunked: chunk-size = 1*HEXDIG (400 otherwise, 413
 *     past 2^32 - 1), optional BWS and chunk extensions whose bytes must be
 *     field-vchar / SP / HTAB (400), the line at most
 *     MOTE_HTTP_MAX_HEADER_BLOCK bytes (400); data must be followed by CRLF
 *     (400); trailer fields are validated like header fields, skipped, and
 *     limited like the header block, with their own count and size (431).
 *   - Content-Length: exactly that many bytes.
 *   - Neither: no body.
 */
#ifndef MOTE_HTTP_PARSER_H
#define MOTE_HTTP_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote_config.h"

/* Methods, in the order the router's method masks use (1u << method). */
enum mote_http_method {
    MOTE_HTTP_GET,
    MOTE_HTTP_HEAD,
    MOTE_HTTP_POST,
    MOTE_HTTP_PUT,
    MOTE_HTTP_DELETE,
    MOTE_HTTP_PATCH,
    MOTE_HTTP_OPTIONS,
    MOTE_HTTP_METHOD_COUNT
};

/* Header fields the parser recognizes. The interpreted ones come first; ids
 * from MOTE_HTTP_H_HOST on are the ones whose values are delivered. */
enum mote_http_header {
    MOTE_HTTP_H_CONTENT_LENGTH,
    MOTE_HTTP_H_TRANSFER_ENCODING,
    MOTE_HTTP_H_CONNECTION,
    MOTE_HTTP_H_EXPECT,
    MOTE_HTTP_H_HOST,
    MOTE_HTTP_H_CONTENT_TYPE,
    MOTE_HTTP_H_ACCEPT_ENCODING,
    MOTE_HTTP_H_IF_NONE_MATCH,
#define MOTE_HTTP_H_APP_ENUM(id, name) MOTE_HTTP_H_##id,
    MOTE_HTTP_APP_HEADERS(MOTE_HTTP_H_APP_ENUM)
#undef MOTE_HTTP_H_APP_ENUM
    MOTE_HTTP_H_COUNT
};

enum mote_http_event_type {
    MOTE_HTTP_EV_NEED_MORE,
    MOTE_HTTP_EV_TARGET,
    MOTE_HTTP_EV_FIELD,
    MOTE_HTTP_EV_HEAD,
    MOTE_HTTP_EV_BODY,
    MOTE_HTTP_EV_DONE,
    MOTE_HTTP_EV_ERROR
};

struct mote_http_event {
    const uint8_t *ptr; /* span (TARGET, FIELD, BODY) */
    size_t len;
    uint16_t status;    /* ERROR: 400, 413, 414, 417, 431, 501 or 505 */
    uint8_t type;       /* enum mote_http_event_type */
    uint8_t last;       /* TARGET, FIELD: final span of the item */
    uint8_t id;         /* FIELD: enum mote_http_header */
};

/* Body framing, known from the HEAD event on. */
enum mote_http_body {
    MOTE_HTTP_BODY_NONE,
    MOTE_HTTP_BODY_LENGTH,  /* Content-Length: mote_http_content_length() */
    MOTE_HTTP_BODY_CHUNKED
};

/* Parser state: 16 bytes (checked by a test). Private: use the accessors. */
struct mote_http_parser {
    uint32_t n;       /* Content-Length, chunk bytes left, or error status */
    uint16_t len;     /* bytes of the bounded element: target or header block */
    uint16_t ws;      /* whitespace held back inside a delivered value */
    uint8_t pos;      /* position in the word being matched */
    uint8_t kw;       /* keyword being matched in a list value */
    uint8_t id;       /* header (candidate) id */
    uint8_t nhdrs;    /* field lines so far */
    uint16_t flags;   /* MOTE_HTTP_PF_* in http_parser.c */
    uint8_t state;
    uint8_t method;
};

/* Prepare for the first request of a connection (or after an ERROR). */
void mote_http_init(struct mote_http_parser *p);

/* Consume up to len bytes of data, stopping after the first event; returns
 * the number of bytes consumed and describes the event in *ev. */
size_t mote_http_parse(struct mote_http_parser *p, const uint8_t *data,
                       size_t len, struct mote_http_event *ev);

/* Flag bits, public so the accessors can be inline (no call, no symbol). */
#define MOTE_HTTP_PF_HTTP11 0x0001u    /* HTTP/1.1 (else 1.0) */
#define MOTE_HTTP_PF_CL 0x0002u        /* Content-Length seen */
#define MOTE_HTTP_PF_TE 0x0004u        /* Transfer-Encoding seen */
#define MOTE_HTTP_PF_CHUNKED 0x0008u   /* last coding so far is chunked */
#define MOTE_HTTP_PF_EXPECT 0x0010u    /* Expect: 100-continue */
#define MOTE_HTTP_PF_HOST 0x0020u      /* Host seen */
#define MOTE_HTTP_PF_CLOSE 0x0040u     /* Connection: close */
#define MOTE_HTTP_PF_KEEPALIVE 0x0080u /* Connection: keep-alive */
#define MOTE_HTTP_PF_TE_OTHER 0x0100u  /* a coding other than chunked */
#define MOTE_HTTP_PF_TRAILER 0x0200u   /* parsing the trailer section */

/* Valid from the first TARGET event of a request. */
static inline enum mote_http_method
mote_http_method(const struct mote_http_parser *p)
{
    return (enum mote_http_method)p->method;
}

/* The accessors below are valid from the EV_HEAD event until EV_DONE (the
 * parser is reset for the next request when it reports EV_DONE). */

/* Minor version: 0 for HTTP/1.0, 1 for HTTP/1.1. */
static inline int mote_http_minor(const struct mote_http_parser *p)
{
    return (p->flags & MOTE_HTTP_PF_HTTP11) != 0;
}

/* 1 when the connection may stay open after this request. */
static inline int mote_http_keep_alive(const struct mote_http_parser *p)
{
    if (p->flags & MOTE_HTTP_PF_HTTP11)
        return !(p->flags & MOTE_HTTP_PF_CLOSE);
    return (p->flags & (MOTE_HTTP_PF_KEEPALIVE | MOTE_HTTP_PF_CLOSE)) ==
           MOTE_HTTP_PF_KEEPALIVE;
}

/* 1 when the client waits for "100 Continue" before sending the body. */
static inline int mote_http_expect_continue(const struct mote_http_parser *p)
{
    return (p->flags & (MOTE_HTTP_PF_EXPECT | MOTE_HTTP_PF_HTTP11)) ==
           (MOTE_HTTP_PF_EXPECT | MOTE_HTTP_PF_HTTP11);
}

static inline enum mote_http_body
mote_http_body(const struct mote_http_parser *p)
{
    if (p->flags & MOTE_HTTP_PF_TE)
        return MOTE_HTTP_BODY_CHUNKED;
    return (p->flags & MOTE_HTTP_PF_CL) ? MOTE_HTTP_BODY_LENGTH
                                        : MOTE_HTTP_BODY_NONE;
}

/* Content-Length; at HEAD this is the whole body length (BODY_LENGTH). */
static inline uint32_t
mote_http_content_length(const struct mote_http_parser *p)
{
    return p->n;
}

#endif /* MOTE_HTTP_PARSER_H */
