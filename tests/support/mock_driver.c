#include "mock_driver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static int mock_init(void *ctx, uint8_t mac[6])
{
    (void)mac;
    ((struct mock_drv *)ctx)->init_calls++;
    return 0;
}

static size_t mock_rx(void *ctx, uint8_t *buf, size_t cap)
{
    struct mock_drv *m = ctx;
    if (m->rx_count == 0)
        return 0;
    const struct mock_frame *f = &m->rx[m->rx_head];
    m->rx_head = (m->rx_head + 1) % MOCK_RX_SLOTS;
    m->rx_count--;
    if (f->len > cap)
        return f->len; /* too long: discarded, as a real driver does */
    memcpy(buf, f->data, f->len);
    return f->len;
}

static int mock_tx(void *ctx, const uint8_t *head, size_t head_len,
                   const uint8_t *tail, size_t tail_len)
{
    struct mock_drv *m = ctx;
    if (m->fail_tx)
        return -1;
    assert_true(head_len + tail_len <= MOCK_FRAME_MAX);
    assert_true(head_len >= 14);
    if (m->tx_count < MOCK_TX_SLOTS) {
        struct mock_frame *f = &m->tx[m->tx_count];
        memcpy(f->data, head, head_len);
        if (tail_len)
            memcpy(f->data + head_len, tail, tail_len);
        f->len = head_len + tail_len;
        f->head_len = head_len;
        f->tail = tail_len ? tail : NULL;
    }
    m->tx_count++;
    return 0;
}

static int mock_poll(void *ctx)
{
    return ((struct mock_drv *)ctx)->link_up;
}

const struct mote_driver mock_driver = {
    .init = mock_init, .rx = mock_rx, .tx = mock_tx, .poll = mock_poll};

void mock_reset(struct mock_drv *m)
{
    memset(m, 0, sizeof *m);
    m->link_up = 1;
}

void mock_inject(struct mock_drv *m, const void *frame, size_t len)
{
    assert_true(m->rx_count < MOCK_RX_SLOTS);
    assert_true(len <= MOCK_FRAME_MAX);
    struct mock_frame *f = &m->rx[(m->rx_head + m->rx_count) % MOCK_RX_SLOTS];
    memcpy(f->data, frame, len);
    f->len = len;
    m->rx_count++;
}

const struct mock_frame *mock_sent(const struct mock_drv *m, unsigned i)
{
    assert_true(i < m->tx_count && i < MOCK_TX_SLOTS);
    return &m->tx[i];
}

void mock_clear_sent(struct mock_drv *m)
{
    m->tx_count = 0;
}
