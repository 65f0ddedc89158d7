/*
 * The memory routines a freestanding core needs, for targets linked without
 * a libc (the RISC-V and Xtensa toolchains ship none). Byte loops: small
 * rather than fast. Built with -fno-tree-loop-distribute-patterns so the
 * compiler does not turn these loops back into calls to themselves.
 */
#include <stddef.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;
    while (n--)
        *dp++ = (unsigned char)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *ap = a, *bp = b;
    for (; n; n--, ap++, bp++)
        if (*ap != *bp)
            return *ap - *bp;
    return 0;
}

#ifdef __XTENSA__
/* The lx106's libgcc leaves unsigned division to the ESP8266's ROM, which
 * a bare link does not have: a shift-and-subtract one stands in. */
unsigned __udivsi3(unsigned n, unsigned d);
unsigned __udivsi3(unsigned n, unsigned d)
{
    unsigned q = 0, r = 0;
    for (int i = 31; i >= 0; i--) {
        r = r << 1 | (n >> i & 1);
        if (r >= d) {
            r -= d;
            q |= 1u << i;
        }
    }
    return q;
}
#endif
