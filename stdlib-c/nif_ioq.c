/* nif_ioq.c — see nif_ioq.h. */
#include "nif_ioq.h"
#include "../emu/bits.h"
#include <stdlib.h>
#include <string.h>

void tb_ioq_init(TbIoq *q) { memset(q, 0, sizeof *q); }

void tb_ioq_destroy(TbIoq *q) {
    for (size_t i = 0; i < q->n; i++) tb_binary_unref(tb_ioq_seg(q, i)->bin);
    free(q->v);
    memset(q, 0, sizeof *q);
}

void tb_ioq_push(TbIoq *q, TbBinary *b, size_t off, size_t len) {
    if (!len) { tb_binary_unref(b); return; }
    if (q->head + q->n == q->cap) {
        if (q->head > q->cap / 2) {
            memmove(q->v, q->v + q->head, q->n * sizeof *q->v);
            q->head = 0;
        } else {
            q->cap = q->cap ? 2 * q->cap : 8;
            q->v = realloc(q->v, q->cap * sizeof *q->v);
            if (!q->v) abort();
        }
    }
    q->v[q->head + q->n++] = (TbIoqSeg){b, off, len};
    q->size += len;
}

void tb_ioq_push_term(TbIoq *q, Term bin) {
    const uint8_t *bytes;
    UWord bitoffs, bits;
    bitstring_view(bin, &bytes, &bitoffs, &bits);
    size_t len = bits >> 3;
    if (!len) return;
    UWord o;
    Term real = tb_real_binary(bin, &o);
    if (header_sub(*boxed_val(real)) == HDR_SUB_REFC_BIN && !(bitoffs & 7)) {
        TbProcBin *pb = (TbProcBin *)boxed_val(real);
        tb_binary_ref(pb->val);
        tb_ioq_push(q, pb->val, (size_t)(pb->bytes - pb->val->data) + (bitoffs >> 3), len);
        return;
    }
    TbBinary *b = tb_binary_alloc(len);
    tb_copy_bits(bytes, bitoffs, b->data, 0, bits);
    tb_ioq_push(q, b, 0, len);
}

void tb_ioq_deq(TbIoq *q, size_t n) {
    q->size -= n;
    while (n > 0) {
        TbIoqSeg *s = tb_ioq_seg(q, 0);
        if (n < s->len) { s->off += n; s->len -= n; return; }
        n -= s->len;
        tb_binary_unref(s->bin);
        q->head++;
        q->n--;
    }
    if (!q->n) q->head = 0;
}

void tb_ioq_copy(const TbIoq *q, size_t n, uint8_t *out) {
    for (size_t i = 0; n > 0; i++) {
        const TbIoqSeg *s = tb_ioq_seg(q, i);
        size_t k = n < s->len ? n : s->len;
        memcpy(out, s->bin->data + s->off, k);
        out += k;
        n -= k;
    }
}

Term tb_ioq_seg_term(TbProcess *p, const TbIoqSeg *s) {
    if (s->len <= TB_HEAP_BIN_LIMIT) return tb_new_binary(p, s->bin->data + s->off, s->len);
    tb_binary_ref(s->bin);
    Term pb = tb_make_proc_bin(p, s->bin, s->off + s->len);
    return s->off ? tb_make_sub_binary(p, pb, s->off * 8, s->len * 8) : pb;
}

bool tb_iovec_elem_ok(Term t) {
    /* ERTS lets a bitstring of less than a byte through (as nothing) */
    return is_bitstring(t) && (bitstring_bitsize(t) % 8 == 0 || bitstring_bitsize(t) < 8);
}

long tb_iovec_length(Term l) {
    long n = 0;
    for (; is_list(l); l = CDR(list_val(l)), n++)
        if (!tb_iovec_elem_ok(CAR(list_val(l)))) return -1;
    return is_nil(l) ? n : -1;
}
