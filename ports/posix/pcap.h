/* pcap.h - writes frames as a classic pcap file (LINKTYPE_ETHERNET), for
 * Wireshark and tshark. */
#ifndef MOTE_POSIX_PCAP_H
#define MOTE_POSIX_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcap_writer {
    FILE *fp;
};

/* Creates `path` and writes the file header; 0 on success. */
int pcap_open(struct pcap_writer *w, const char *path);
/* Appends one frame made of two spans, stamped with the wall clock. */
void pcap_write(struct pcap_writer *w, const uint8_t *head, size_t head_len,
                const uint8_t *tail, size_t tail_len);
void pcap_close(struct pcap_writer *w);

#endif
