/*
 * asset_4k.c - a 4 KB constant body at /bench/4k for `make bench` (host port
 * only): sent from where it lies, through the driver's second span, as an
 * embedded asset is. bench/epoll_server.c serves the same bytes.
 */
#include "mote/mote.h"

#define B16 "0123456789abcdef"
#define B256 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16 B16
#define B4K B256 B256 B256 B256 B256 B256 B256 B256 \
            B256 B256 B256 B256 B256 B256 B256 B256
static const char body[] = B4K;

static int get_4k(struct mote_http_req *req)
{
    if (mote_http_phase(req) != MOTE_HTTP_PH_HEAD)
        return 0;
    return mote_http_reply(req, 200, "application/octet-stream", body,
                           sizeof body - 1);
}
MOTE_ROUTE(GET, "/bench/4k", get_4k);
