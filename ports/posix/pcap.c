#define _GNU_SOURCE /* clock_gettime, readv, writev, ioctl */
#include "pcap.h"

#include <time.h>

static void put_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int pcap_open(struct pcap_writer *w, const char *path)
{
    uint8_t h[24];
    w->fp = fopen(path, "wb");
    if (!w->fp)
        return -1;
    put_u32le(h, 0xa1b2c3d4);        /* magic, microsecond stamps */
    put_u32le(h + 4, 2 | 4u << 16);  /* version 2.4 */
    put_u32le(h + 8, 0);             /* GMT offset */
    put_u32le(h + 12, 0);            /* accuracy */
    put_u32le(h + 16, 65535);        /* snap length */
    put_u32le(h + 20, 1);            /* LINKTYPE_ETHERNET */
    if (fwrite(h, sizeof h, 1, w->fp) != 1) {
        fclose(w->fp);
        w->fp = NULL;
        return -1;
    }
    return 0;
}

void pcap_write(struct pcap_writer *w, const uint8_t *head, size_t head_len,
                const uint8_t *tail, size_t tail_len)
{
    struct timespec ts;
    uint8_t r[16];
    uint32_t len = (uint32_t)(head_len + tail_len);

    if (!w->fp)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    put_u32le(r, (uint32_t)ts.tv_sec);
    put_u32le(r + 4, (uint32_t)(ts.tv_nsec / 1000));
    put_u32le(r + 8, len);
    put_u32le(r + 12, len);
    fwrite(r, sizeof r, 1, w->fp);
    fwrite(head, 1, head_len, w->fp);
    if (tail_len)
        fwrite(tail, 1, tail_len, w->fp);
}

void pcap_close(struct pcap_writer *w)
{
    if (w->fp)
        fclose(w->fp);
    w->fp = NULL;
}
