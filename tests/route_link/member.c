/* member.c - a route in a static-library member nothing references; the
 * tag lets an application pull it in with MOTE_ROUTES_USE(member). */
#include "mote/route.h"

int in_member(struct mote_http_req *req);

int in_member(struct mote_http_req *req)
{
    (void)req;
    return 3;
}

MOTE_ROUTE(PUT, "/member", in_member);
MOTE_ROUTES_MODULE(member);
