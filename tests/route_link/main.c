/*
 * main.c - counts the routes that survived the link. Built by run.sh in
 * several ways; EXPECTED is the number of routes that must be in the table.
 * Exit status 0 when the table holds exactly the expected handlers.
 */
#include <stdio.h>

#include "mote/route.h"

int in_main(struct mote_http_req *req);
int in_other(struct mote_http_req *req);
int in_member(struct mote_http_req *req);

int in_main(struct mote_http_req *req)
{
    (void)req;
    return 1;
}

MOTE_ROUTE(GET, "/main", in_main);

#ifdef USE_MEMBER
MOTE_ROUTES_USE(member);
#endif

int main(void)
{
    size_t n, seen = 0;
    const struct mote_route *t = mote_route_table(&n);
    for (size_t i = 0; i < n; i++) {
        printf("%s %s\n", t[i].pattern,
               t[i].handler == in_main ? "main" : "other");
        seen++;
    }
    printf("%zu routes\n", seen);
    return seen == EXPECTED ? 0 : 1;
}
