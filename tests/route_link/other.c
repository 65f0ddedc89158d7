/* other.c - a route in an object file nothing else references. */
#include "mote/route.h"

int in_other(struct mote_http_req *req);

int in_other(struct mote_http_req *req)
{
    (void)req;
    return 2;
}

MOTE_ROUTE(POST, "/other", in_other);
