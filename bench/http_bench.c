/*
 * http_bench.c - work of the HTTP parser on one request, for callgrind.
 *
 * usage: http_bench FILE whole|bytes, or http_bench --sizes
 * Only parse_all() is meant to be counted (callgrind --toggle-collect), so
 * reading the file and starting the process do not blur the figure. Events
 * are consumed the way a server would: spans are looked at, not copied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/http_parser.h"
#include "mote/route.h"

static volatile size_t sink;

__attribute__((noinline)) static int parse_all(const uint8_t *buf, size_t n,
                                               int bytewise)
{
    struct mote_http_parser p;
    struct mote_http_event ev;
    size_t off = 0, step, acc = 0;
    mote_http_init(&p);
    while (off < n || bytewise >= 0) {
        step = bytewise > 0 ? (n - off < 1 ? 0 : 1) : n - off;
        size_t used = mote_http_parse(&p, buf + off, step, &ev);
        off += used;
        if (ev.type == MOTE_HTTP_EV_BODY)
            acc += ev.len;
        if (ev.type == MOTE_HTTP_EV_DONE) {
            sink = acc;
            return 0;
        }
        if (ev.type == MOTE_HTTP_EV_ERROR)
            return 1;
        if (ev.type == MOTE_HTTP_EV_NEED_MORE && off >= n)
            return 2;
    }
    return 3;
}

int main(int argc, char **argv)
{
    static uint8_t buf[65536];
    FILE *f;
    size_t n;
    if (argc == 2 && strcmp(argv[1], "--sizes") == 0) {
        printf("parser state %zu B, router matcher %zu B per connection\n",
               sizeof(struct mote_http_parser),
               sizeof(struct mote_route_match));
        return 0;
    }
    if (argc != 3 || !(f = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: %s FILE whole|bytes\n", argv[0]);
        return 2;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int rc = parse_all(buf, n, strcmp(argv[2], "bytes") == 0);
    if (rc != 0) {
        fprintf(stderr, "%s: parse failed (%d)\n", argv[1], rc);
        return 1;
    }
    printf("%zu\n", n);
    return 0;
}
