/*
 * route.h - routes registered at compile time, matched as the target streams.
 *
 *     static int get_user(struct mote_http_req *req) { ... }
 *     MOTE_ROUTE(GET, "/api/users/{id}", get_user);
 *
 * Each MOTE_ROUTE places a const descriptor in the linker section
 * `mote_routes`; the router walks it between __start_mote_routes and
 * __stop_mote_routes (GNU ld makes these for sections named like C
 * identifiers; a firmware linker script must KEEP(*(mote_routes)) and define
 * both symbols around it). No registration call at run time. Descriptors are
 * marked `used`, so --gc-sections and LTO keep them; a route defined in a
 * static-library member that nothing else references is not linked at all
 * (archive members are pulled by symbols only): link such a library with
 * --whole-archive, or reference the member from the application with
 * MOTE_ROUTES_USE(tag) against MOTE_ROUTES_MODULE(tag) in the member.
 *
 * Handler signature: `int handler(struct mote_http_req *req)`. The request
 * object belongs to the HTTP server, which defines the struct; the router
 * only stores the pointer, so it does not depend on the server.
 *
 * Patterns: "/" then literal bytes, `{name}` (one or more bytes other than
 * "/": a parameter takes the rest of its segment, so it is followed by "/"
 * or ends the pattern) and a final `*` (the rest of the path, possibly
 * empty, "/" included; read it as the parameter "*"). "{", "}" and "*" are
 * not literal bytes. At most 255 bytes.
 *
 * Matching (mote_route_begin / _feed / _end): the target is fed as the
 * parser delivers it. The path is percent-decoded on the fly and compared
 * with one candidate route, the first in the table that matches so far;
 * only parameter values and the query are kept, in MOTE_HTTP_PARAM_BUF
 * bytes. When the candidate stops matching, the path so far is rebuilt
 * from its pattern and the kept values and the routes after it are run
 * over it until one matches; at the end of the path all those after it
 * are run, for the best and the methods. So no route is missed and a long
 * literal path costs no RAM. A route whose parameters would not fit in
 * the buffer does not match; when no route matches for that reason alone:
 * 414.
 *   - An escape's decoded byte must not be NUL, a control byte, DEL or "/"
 *     (an encoded slash would hide a segment boundary); "." and ".."
 *     segments, plain or encoded, are refused: 400. The escapes' syntax
 *     ("%" and two hex digits) is the parser's: it refuses the request.
 *   - The target must start with "/"; "*" is accepted for OPTIONS only.
 *   - Among the routes whose pattern matches the whole path, those of the
 *     request's method are considered, then (for HEAD) those of GET; the most
 *     specific wins: compared byte by byte along the path, a literal beats a
 *     parameter beats `*`.
 *   - The path ends at "?". The query is kept only once a route is chosen
 *     there (not for a 404 or 405), as it comes: mote_query() decodes it
 *     when asked, so a query nobody reads costs no work. A query longer
 *     (as it comes, escapes counted as three bytes) than the buffer left
 *     by the parameters: 414.
 *   - No route matches the path: 404. Some match, none for the method: 405,
 *     with the methods that match in `allow`. OPTIONS without an OPTIONS
 *     route is answered from the table: status 204 and `allow`; "OPTIONS *"
 *     lists every method of the table. HEAD and OPTIONS are in `allow`
 *     whenever GET, or any method, is.
 */
#ifndef MOTE_ROUTE_H
#define MOTE_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "mote/http_parser.h"
#include "mote/mote_config.h"

struct mote_http_req; /* the HTTP server's request */

typedef int (*mote_route_handler)(struct mote_http_req *req);

/* Two pointers, no padding (8 B on a 32-bit target): the method is the
 * byte before the pattern (mote_route_method()). */
struct mote_route {
    const char *pattern;
    mote_route_handler handler;
};

static inline enum mote_http_method
mote_route_method(const struct mote_route *t)
{
    return (enum mote_http_method)(uint8_t)t->pattern[-1];
}

#define MOTE_ROUTE_CAT2(a, b) a##b
#define MOTE_ROUTE_CAT(a, b) MOTE_ROUTE_CAT2(a, b)

/* The method's byte, put before the pattern (octal: no pattern byte can
 * extend the escape). */
#define MOTE_ROUTE_M_GET "\000"
#define MOTE_ROUTE_M_HEAD "\001"
#define MOTE_ROUTE_M_POST "\002"
#define MOTE_ROUTE_M_PUT "\003"
#define MOTE_ROUTE_M_DELETE "\004"
#define MOTE_ROUTE_M_PATCH "\005"
#define MOTE_ROUTE_M_OPTIONS "\006"
_Static_assert(MOTE_HTTP_GET == 0 && MOTE_HTTP_HEAD == 1 &&
                   MOTE_HTTP_POST == 2 && MOTE_HTTP_PUT == 3 &&
                   MOTE_HTTP_DELETE == 4 && MOTE_HTTP_PATCH == 5 &&
                   MOTE_HTTP_OPTIONS == 6,
               "MOTE_ROUTE_M_* follow enum mote_http_method");

/* Register `handler` for METHOD (GET, HEAD, POST, PUT, DELETE, PATCH,
 * OPTIONS) and PATTERN (a string literal). Use at file scope. */
#define MOTE_ROUTE(METHOD, PATTERN, HANDLER)                                 \
    _Static_assert(sizeof(PATTERN) <= 256, "route pattern too long");       \
    _Static_assert(sizeof(PATTERN) >= 2, "route pattern must start with /"); \
    static const char MOTE_ROUTE_CAT(mote_route_pat_##HANDLER##_,           \
                                     __LINE__)[] =                           \
        MOTE_ROUTE_M_##METHOD PATTERN;                                       \
    static const struct mote_route MOTE_ROUTE_CAT(                           \
        mote_route_##HANDLER##_, __LINE__)                                   \
        __attribute__((used, section("mote_routes"),                         \
                       aligned(__alignof__(struct mote_route)))) = {         \
            MOTE_ROUTE_CAT(mote_route_pat_##HANDLER##_, __LINE__) + 1,       \
            HANDLER}

/* Pull a static-library member's routes into the link: MOTE_ROUTES_MODULE
 * in the member, MOTE_ROUTES_USE in any linked file (e.g. main.c). */
#define MOTE_ROUTES_MODULE(tag) const char mote_routes_module_##tag = 0
#define MOTE_ROUTES_USE(tag)                                                 \
    extern const char mote_routes_module_##tag;                              \
    const char *const mote_routes_use_##tag = &mote_routes_module_##tag

/* The table, in link order. */
const struct mote_route *mote_route_table(size_t *count);

/* Per-connection matcher: 7 B plus MOTE_HTTP_PARAM_BUF (32 B by default,
 * padding included). */
struct mote_route_match {
    uint16_t route; /* candidate (then chosen) route index */
    uint8_t pos;    /* offset in its pattern (0: no route matches); once
                       chosen, of the query; once answered 204 or 405,
                       the methods for Allow */
    uint8_t used;   /* bytes of buf in use */
    uint8_t st;     /* dot-segment state, or start / chosen / status */
    uint8_t dec;    /* percent-decoding: 0, 1 after "%", then 0x10 + the
                       1st digit's value */
    uint8_t flags;  /* method (3 bits, 7 for the target "*"), a route
                       that ran out of room */
    char buf[MOTE_HTTP_PARAM_BUF]; /* NUL-terminated parameters, then the
                                      query as it came */
};

struct mote_route_result {
    const struct mote_route *route; /* status 0: call route->handler */
    uint16_t status; /* 0, 204 (OPTIONS answered), 400, 404, 405, 414 */
    uint8_t allow;   /* 204, 405: the methods, 1u << enum mote_http_method */
};

void mote_route_begin(struct mote_route_match *m, enum mote_http_method method);

/* Feed target bytes (path and query, as the parser's TARGET spans deliver
 * them); returns 0, or the status already decided, which mote_route_end()
 * will also report: 400, 414, or at "?" 404, 405 or 204 (the rest of the
 * target is then not looked at). */
unsigned mote_route_feed(struct mote_route_match *m, const uint8_t *s,
                         size_t n);

/* The target is complete: decide. */
void mote_route_end(struct mote_route_match *m, struct mote_route_result *r);

/* Parameters of the chosen route, after mote_route_end() returned 0. */
const char *mote_param_str(const struct mote_route_match *m, const char *name);

/* The parameter as a decimal int32 ("-"? DIGIT+): 0, or -1 when it is
 * missing, not a number or out of range. */
int mote_param_int(const struct mote_route_match *m, const char *name,
                   int32_t *out);

/* The value of the first query parameter named `key`, decoded ("%XX", "+"
 * as space) into out (NUL-terminated); returns its length, or -1 when
 * absent or longer than cap - 1 (out then holds no answer). Pairs are
 * split at the raw "&" and the pair's first raw "=" before decoding, so
 * an encoded "&" or "=" is data; keys are compared decoded. A key without
 * "=" has the empty value; an empty pair ("&&") has no key. A query
 * holding an encoded NUL anywhere is not served: every key is absent. */
int mote_query(const struct mote_route_match *m, const char *key, char *out,
               size_t cap);

#endif /* MOTE_ROUTE_H */
