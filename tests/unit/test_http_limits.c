/*
 * test_http_limits.c - the parser built with other limits than the defaults
 * (see cmake/http.cmake): MOTE_HTTP_MAX_TARGET 16, MOTE_HTTP_MAX_HEADERS 255
 * (the largest, where an 8-bit count must not wrap) and
 * MOTE_HTTP_MAX_HEADER_BLOCK 2048. Each edge is tested at the limit and one
 * past it, whole and one byte per call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_http_feed.h"

static struct transcript t;
static char req[4096];

static unsigned status_of(size_t n, int bytewise)
{
    tr_run(&t, req, n, bytewise ? cut_bytes : cut_whole, NULL);
    return t.status;
}

static void test_config_in_effect(void **st)
{
    (void)st;
    assert_int_equal(MOTE_HTTP_MAX_TARGET, 16);
    assert_int_equal(MOTE_HTTP_MAX_HEADERS, 255);
    assert_int_equal(MOTE_HTTP_MAX_HEADER_BLOCK, 2048);
}

static void test_target_16(void **st)
{
    size_t n;
    (void)st;
    /* "/" and 15 bytes: the limit */
    n = (size_t)snprintf(req, sizeof req,
                         "GET /aaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n");
    for (int b = 0; b < 2; b++)
        assert_int_equal(status_of(n, b), 0);
    n = (size_t)snprintf(req, sizeof req,
                         "GET /aaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n");
    for (int b = 0; b < 2; b++)
        assert_int_equal(status_of(n, b), 414);
    /* leading empty lines count */
    n = (size_t)snprintf(req, sizeof req,
                         "\r\nGET /aaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n");
    for (int b = 0; b < 2; b++)
        assert_int_equal(status_of(n, b), 414);
}

static size_t headers(int count)
{
    size_t n = (size_t)snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: h\r\n");
    for (int i = 1; i < count; i++)
        n += (size_t)snprintf(req + n, sizeof req - n, "a:\r\n");
    n += (size_t)snprintf(req + n, sizeof req - n, "\r\n");
    return n;
}

static void test_255_headers_no_wrap(void **st)
{
    (void)st;
    for (int b = 0; b < 2; b++) {
        assert_int_equal(status_of(headers(255), b), 0);
        assert_int_equal(status_of(headers(256), b), 431);
        assert_int_equal(status_of(headers(300), b), 431);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_in_effect),
        cmocka_unit_test(test_target_16),
        cmocka_unit_test(test_255_headers_no_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
