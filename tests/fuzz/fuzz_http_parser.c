/*
 * fuzz_http_parser.c - libFuzzer entry for the request parser.
 *
 * Each input is parsed whole, one byte per call, and cut at two offsets
 * taken from the input itself. The API's invariants are checked on every
 * call (test_http_feed.h), and the outcomes must agree: the same transcript
 * when the input is valid, the same status when it is not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "test_http_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct transcript whole, other;

static void agree(void)
{
    if (whole.bad || other.bad)
        abort();
    if (whole.status != other.status)
        abort();
    if (whole.status == 0 && strcmp(whole.s, other.s) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t at[2];
    if (size > 8192)
        return 0;
    tr_run(&whole, data, size, cut_whole, NULL);
    tr_run(&other, data, size, cut_bytes, NULL);
    agree();
    at[0] = size ? (data[0] * 7u) % (size + 1) : 0;
    at[1] = size ? at[0] + (data[size - 1] * 13u) % (size + 1 - at[0]) : 0;
    tr_run(&other, data, size, cut_two, at);
    agree();
    return 0;
}
