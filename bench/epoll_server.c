/*
 * epoll_server.c - the kernel reference for `make bench`: a small
 * single-threaded epoll HTTP/1.1 server on the kernel's TCP (loopback),
 * serving the same bodies as mote, so the two can be set side by side.
 *
 *     epoll_server PORT PATH=FILE... [PATH=@N]...
 *
 * PATH=FILE serves the file's bytes; PATH=@N serves N bytes of
 * bench/asset_4k.c's pattern ("0123456789abcdef" repeated). Keep-alive (HTTP/1.0 closes unless asked),
 * pipelined requests answered in order, no request bodies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAXR 8
#define BUF 8192

static struct route {
    const char *path;
    char *body;
    size_t len;
} routes[MAXR];
static int nroutes;

struct conn {
    int fd;
    size_t n;
    char in[BUF];
};

static void load(const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || nroutes == MAXR)
        exit(2);
    struct route *r = &routes[nroutes++];
    r->path = strndup(arg, (size_t)(eq - arg));
    if (eq[1] == '@') {
        r->len = strtoul(eq + 2, NULL, 10);
        r->body = malloc(r->len);
        for (size_t i = 0; i < r->len; i++) /* as bench/asset_4k.c */
            r->body[i] = "0123456789abcdef"[i & 15];
        return;
    }
    FILE *f = fopen(eq + 1, "rb");
    if (!f) {
        perror(eq + 1);
        exit(1);
    }
    r->body = malloc(1 << 20);
    r->len = fread(r->body, 1, 1 << 20, f);
    fclose(f);
}

/* Answers every complete request in c->in; returns -1 to close. */
static int serve(struct conn *c)
{
    size_t off = 0;
    int close_after = 0;
    for (;;) {
        char *end = memmem(c->in + off, c->n - off, "\r\n\r\n", 4);
        if (!end)
            break;
        char *req = c->in + off;
        size_t hlen = (size_t)(end + 4 - req);
        char *sp = memchr(req, ' ', hlen), *sp2;
        if (!sp || !(sp2 = memchr(sp + 1, ' ', hlen - (size_t)(sp + 1 - req))))
            return -1;
        int http10 = !memcmp(sp2 + 1, "HTTP/1.0", 8);
        int ka = memmem(req, hlen, "eep-Alive", 9) != NULL ||
                 memmem(req, hlen, "eep-alive", 9) != NULL;
        int cl = memmem(req, hlen, "onnection: close", 16) != NULL;
        close_after = cl || (http10 && !ka);
        struct route *r = NULL;
        for (int i = 0; i < nroutes; i++)
            if ((size_t)(sp2 - sp - 1) == strlen(routes[i].path) &&
                !memcmp(sp + 1, routes[i].path, strlen(routes[i].path)))
                r = &routes[i];
        char head[256];
        int n = r ? snprintf(head, sizeof head,
                             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                             "Content-Length: %zu\r\n%s\r\n", r->len,
                             close_after ? "Connection: close\r\n"
                             : http10    ? "Connection: keep-alive\r\n"
                                         : "")
                  : snprintf(head, sizeof head,
                             "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        struct iovec iov[2] = {{head, (size_t)n},
                               {r ? r->body : NULL, r ? r->len : 0}};
        size_t want = (size_t)n + iov[1].iov_len, done = 0;
        while (done < want) { /* small bodies: the socket buffer takes them */
            ssize_t w = writev(c->fd, iov, 2);
            if (w < 0) {
                if (errno == EAGAIN)
                    continue;
                return -1;
            }
            done += (size_t)w;
            for (int k = 0; k < 2; k++) {
                size_t t = (size_t)w < iov[k].iov_len ? (size_t)w : iov[k].iov_len;
                iov[k].iov_base = (char *)iov[k].iov_base + t;
                iov[k].iov_len -= t;
                w -= (ssize_t)t;
            }
        }
        off += hlen;
        if (close_after)
            return -1;
    }
    memmove(c->in, c->in + off, c->n - off);
    c->n -= off;
    return c->n == BUF ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    for (int i = 2; i < argc; i++)
        load(argv[i]);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)atoi(argv[1])),
                            .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1024)) {
        perror("bind/listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    struct epoll_event evs[64];
    for (;;) {
        int n = epoll_wait(ep, evs, 64, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    c = calloc(1, sizeof *c);
                    c->fd = fd;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            ssize_t r = read(c->fd, c->in + c->n, BUF - c->n);
            if (r < 0 && errno == EAGAIN)
                continue;
            if (r <= 0 || (c->n += (size_t)r, serve(c) < 0)) {
                close(c->fd);
                free(c);
            }
        }
    }
}
