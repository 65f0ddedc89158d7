/*
 * route_bench.c - work of the router on one target, for callgrind.
 *
 * usage: route_bench METHOD TARGET
 * Only route_one() is meant to be counted (callgrind --toggle-collect):
 * begin, the target fed whole, end. The table is a small API of eight
 * routes in the order an application might list them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/route.h"

static int h(struct mote_http_req *req)
{
    (void)req;
    return 0;
}

MOTE_ROUTE(GET, "/", h);
MOTE_ROUTE(GET, "/api/users", h);
MOTE_ROUTE(POST, "/api/users", h);
MOTE_ROUTE(GET, "/api/users/{id}", h);
MOTE_ROUTE(PUT, "/api/users/{id}", h);
MOTE_ROUTE(DELETE, "/api/users/{id}", h);
MOTE_ROUTE(GET, "/api/users/{id}/posts", h);
MOTE_ROUTE(GET, "/static/*", h);

static volatile unsigned sink;

__attribute__((noinline)) static unsigned
route_one(struct mote_route_match *m, enum mote_http_method method,
          const char *t)
{
    struct mote_route_result r;
    mote_route_begin(m, method);
    mote_route_feed(m, (const uint8_t *)t, strlen(t));
    mote_route_end(m, &r);
    return r.status;
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT",
                                        "DELETE", "PATCH", "OPTIONS"};
    struct mote_route_match m;
    unsigned i;
    if (argc != 3) {
        fprintf(stderr, "usage: %s METHOD TARGET\n", argv[0]);
        return 2;
    }
    for (i = 0; i < 7 && strcmp(argv[1], names[i]) != 0; i++)
        ;
    if (i == 7)
        return 2;
    sink = route_one(&m, (enum mote_http_method)i, argv[2]);
    printf("%u\n", sink);
    return 0;
}
