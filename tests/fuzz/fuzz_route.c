/*
 * fuzz_route.c - libFuzzer entry for the router.
 *
 * The first byte picks the method, the rest is the target. It is decided
 * fed whole and one byte per call, which must agree; the accessors are then
 * exercised on whatever was matched. A small route table covers literals,
 * parameters, the wildcard and candidate switches.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mote/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h1(struct mote_http_req *r) { (void)r; return 1; }
static int h2(struct mote_http_req *r) { (void)r; return 2; }
static int h3(struct mote_http_req *r) { (void)r; return 3; }
static int h4(struct mote_http_req *r) { (void)r; return 4; }
static int h5(struct mote_http_req *r) { (void)r; return 5; }
static int h6(struct mote_http_req *r) { (void)r; return 6; }

MOTE_ROUTE(GET, "/", h1);
MOTE_ROUTE(GET, "/api/users/{id}", h2);
MOTE_ROUTE(PUT, "/api/users/{id}/posts/{post}", h3);
MOTE_ROUTE(GET, "/api/users/me", h4);
MOTE_ROUTE(GET, "/static/*", h5);
MOTE_ROUTE(POST, "/a/{x}/c", h6);
MOTE_ROUTE(POST, "/a/b/d", h1);
MOTE_ROUTE(HEAD, "/{x}", h2);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mote_route_match a, b;
    struct mote_route_result ra, rb;
    enum mote_http_method method;
    char out[16];
    int32_t v;
    if (size < 1)
        return 0;
    method = (enum mote_http_method)(data[0] % MOTE_HTTP_METHOD_COUNT);
    data++;
    size--;
    mote_route_begin(&a, method);
    mote_route_feed(&a, data, size);
    mote_route_end(&a, &ra);
    mote_route_begin(&b, method);
    for (size_t i = 0; i < size; i++)
        mote_route_feed(&b, data + i, 1);
    mote_route_end(&b, &rb);
    if (ra.status != rb.status || ra.route != rb.route ||
        ra.allow != rb.allow)
        abort();
    if (ra.status == 0) {
        if (a.used != b.used || memcmp(a.buf, b.buf, a.used) != 0)
            abort();
        (void)mote_param_str(&a, "id");
        (void)mote_param_str(&a, "*");
        (void)mote_param_int(&a, "post", &v);
        (void)mote_query(&a, "k", out, sizeof out);
        (void)mote_query(&a, "", out, 1);
    }
    return 0;
}
