/*
 * fw.c - a bare Cortex-M3 image for the firmware-link case: a vector table
 * and a reset handler that walks the route table; run.sh checks the table
 * in the linked ELF (the descriptors must be in flash, all of them).
 */
#include "mote/route.h"

int in_fw(struct mote_http_req *req);
void reset(void);

int in_fw(struct mote_http_req *req)
{
    (void)req;
    return 4;
}

MOTE_ROUTE(GET, "/fw", in_fw);

volatile unsigned fw_routes;

void reset(void)
{
    size_t n;
    (void)mote_route_table(&n);
    fw_routes = (unsigned)n;
    for (;;)
        ;
}

__attribute__((used, section(".vectors"))) static void (*const vectors[2])(
    void) = {(void (*)(void))0x20001000u, reset};
