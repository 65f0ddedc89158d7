/*
 * fuzz_route_diff.c - libFuzzer entry: the router against its previous
 * engine (tests/fuzz/route_ref.c, exports renamed ref_*).
 *
 * The first byte picks the method and how the target is cut into feeds,
 * the rest is the target. Both engines must give the same status, route
 * and Allow, and then the same answers from every accessor. The table
 * mixes what makes matching hard: shared prefixes, literals against
 * parameters and the wildcard, in-segment literals, routes that overflow
 * the buffer, HEAD and OPTIONS routes, several methods per pattern.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mote/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const struct mote_route *ref_route_table(size_t *count);
void ref_route_begin(struct mote_route_match *m, enum mote_http_method method);
unsigned ref_route_feed(struct mote_route_match *m, const uint8_t *s,
                        size_t n);
void ref_route_end(struct mote_route_match *m, struct mote_route_result *r);
/* The reference's parameters are read with route.c's accessors: what is
 * compared is what each engine captured. Its query is read by its own
 * decoder, so that mote_query() is checked too. */
#define ref_param_str mote_param_str
#define ref_param_int mote_param_int
int ref_query(const struct mote_route_match *m, const char *key, char *out,
              size_t cap);

static int h1(struct mote_http_req *r) { (void)r; return 1; }
static int h2(struct mote_http_req *r) { (void)r; return 2; }
static int h3(struct mote_http_req *r) { (void)r; return 3; }

MOTE_ROUTE(GET, "/", h1);
MOTE_ROUTE(GET, "/api/users", h1);
MOTE_ROUTE(POST, "/api/users", h2);
MOTE_ROUTE(GET, "/api/users/{id}", h2);
MOTE_ROUTE(PUT, "/api/users/{id}", h3);
MOTE_ROUTE(GET, "/api/users/me", h3);
MOTE_ROUTE(GET, "/api/users/{id}/posts/{post}", h1);
MOTE_ROUTE(DELETE, "/api/{x}/{y}", h2);
MOTE_ROUTE(GET, "/static/*", h1);
MOTE_ROUTE(HEAD, "/static/head", h2);
MOTE_ROUTE(GET, "/a/{x}/c", h1);
MOTE_ROUTE(GET, "/a/b/d", h2);
MOTE_ROUTE(PATCH, "/a/*", h3);
MOTE_ROUTE(GET, "/s/{x}", h1);
MOTE_ROUTE(GET, "/s/*", h2);
MOTE_ROUTE(GET, "/s/lit", h3);
MOTE_ROUTE(GET, "/s/", h1);
MOTE_ROUTE(HEAD, "/s/*", h3);
MOTE_ROUTE(GET, "/t/{x}", h1);
MOTE_ROUTE(GET, "/t/l{y}", h2);
MOTE_ROUTE(GET, "/t/l{y}/*", h3);
MOTE_ROUTE(GET, "/c/{x}", h1);
MOTE_ROUTE(GET, "/c/a-literal-segment-longer-than-the-buffer", h2);
MOTE_ROUTE(POST, "/c/{x}/{y}/{z}", h3);
MOTE_ROUTE(OPTIONS, "/o", h1);
MOTE_ROUTE(PATCH, "/o", h2);
MOTE_ROUTE(GET, "/files/{user}/*", h3);
MOTE_ROUTE(HEAD, "/{x}", h1);
MOTE_ROUTE(GET, "/{x}/{y}", h2);
MOTE_ROUTE(PUT, "/*", h3);
MOTE_ROUTE(GET, "/q", h1);

static const char *const names[] = {"id", "post", "x", "y", "z", "user",
                                    "*", "nope"};

static void check(int same)
{
    if (!same)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mote_route_match a, b;
    struct mote_route_result ra, rb;
    enum mote_http_method method;
    unsigned fa, fb = 0, cut;
    char oa[24], ob[24], key[4] = {0};
    int32_t va = 0, vb = 0;
    const uint8_t *q;
    if (size < 1)
        return 0;
    method = (enum mote_http_method)(data[0] % MOTE_HTTP_METHOD_COUNT);
    cut = data[0] / MOTE_HTTP_METHOD_COUNT; /* 0: whole, else piece size */
    data++;
    size--;
    ref_route_begin(&a, method);
    fa = ref_route_feed(&a, data, size);
    ref_route_end(&a, &ra);
    mote_route_begin(&b, method);
    for (size_t i = 0; i < size || !i; i += cut ? cut : size + 1) {
        size_t n = cut && size - i > cut ? cut : size - i;
        fb = mote_route_feed(&b, data + i, n);
    }
    mote_route_end(&b, &rb);
    check(fa == fb);
    check(ra.status == rb.status && ra.route == rb.route &&
          ra.allow == rb.allow);
    if (ra.status)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *sa = ref_param_str(&a, names[i]);
        const char *sb = mote_param_str(&b, names[i]);
        check(!sa == !sb && (!sa || strcmp(sa, sb) == 0));
        check(ref_param_int(&a, names[i], &va) ==
                  mote_param_int(&b, names[i], &vb) &&
              va == vb);
    }
    /* a key from the query itself, and a few fixed ones */
    q = memchr(data, '?', size);
    if (q)
        for (size_t i = 0; i < 3 && q + 1 + i < data + size &&
                           q[1 + i] != '=' && q[1 + i] != '&';
             i++)
            key[i] = (char)q[1 + i];
    {
        static const char *const keys[] = {"k", "a", "", "x", "id"};
        for (size_t i = 0; i <= sizeof keys / sizeof keys[0]; i++) {
            const char *k = i ? keys[i - 1] : key;
            for (size_t cap = 0; cap <= sizeof oa; cap += 5) {
                int na = ref_query(&a, k, oa, cap);
                int nb = mote_query(&b, k, ob, cap);
                check(na == nb && (na < 0 || memcmp(oa, ob, (size_t)na + 1) == 0));
            }
        }
    }
    return 0;
}
