/*
 * Sizes of the parts of struct mote_stack on the target, read back by
 * tools/size.py from the symbol sizes (nm -S): the struct is all of the
 * core's RAM. Name pattern: mote_layout__<module>__<member>. A member not
 * listed here shows up in the report as "unattributed".
 */
#include "mote/mote.h"

#define L(module, member)                                                    \
    extern const unsigned char mote_layout__##module##__##member[];           \
    const unsigned char                                                      \
        mote_layout__##module##__##member[sizeof(((struct mote_stack *)0)->member)] = {0};

L(eth_arp, arp)
L(glue, drv)
L(glue, drv_ctx)
L(glue, mac)
L(glue, link_up)
L(glue, announce)
L(glue, counters)
L(ip_icmp, ip)
L(ip_icmp, mask)
L(ip_icmp, gw)
L(ip_icmp, ip_id)
#if MOTE_UDP_PORTS
L(ip_icmp, udp)
#endif
L(dhcp, dhcp)
L(tcp, tcp)
L(server, http)
L(glue, now)
L(buffer, buf)

extern const unsigned char mote_layout__total[];
const unsigned char mote_layout__total[sizeof(struct mote_stack)] = {0};
