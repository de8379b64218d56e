/* bytebuf.h — a growable byte buffer, on the stack while small; for BIFs
 * that gather characters before parsing them. */
#ifndef TB_BYTEBUF_H
#define TB_BYTEBUF_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint8_t *b; size_t len, cap; uint8_t stack[256]; } Buf;
static inline void buf_init(Buf *s) { s->b = s->stack; s->len = 0; s->cap = sizeof s->stack; }
static inline void buf_free(Buf *s) { if (s->b != s->stack) free(s->b); }
static inline void buf_put(Buf *s, uint8_t c) {
    if (s->len == s->cap) {
        size_t nc = s->cap * 2;
        uint8_t *nb = s->b == s->stack ? malloc(nc) : realloc(s->b, nc);
        if (!nb) abort();
        if (s->b == s->stack) memcpy(nb, s->stack, s->len);
        s->b = nb;
        s->cap = nc;
    }
    s->b[s->len++] = c;
}
#endif
