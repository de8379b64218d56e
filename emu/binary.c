/* binary.c — binary objects and their off-heap bookkeeping, iolist walking. */
#include "binary.h"
#include "resource.h"
#include "bits.h"
#include "atom.h"
#include <stdlib.h>
#include <stdio.h>

int64_t tb_binary_bytes;

TbBinary *tb_binary_try_alloc(size_t size) {
    if (size > TB_BINARY_MAX_BYTES) return NULL;
    TbBinary *b = malloc(sizeof *b + (size ? size : 1));
    if (!b) return NULL;
    b->refc = 1;
    b->orig_size = size;
    tb_binary_account((int64_t)size);
    return b;
}

TbBinary *tb_binary_alloc(size_t size) {
    TbBinary *b = tb_binary_try_alloc(size);
    if (!b) {
        fprintf(stderr, "tbeam: cannot allocate a binary of %zu bytes\n", size);
        abort();               /* ERTS aborts too: no sane way to continue */
    }
    return b;
}

void tb_binary_unref(TbBinary *b) {
    if (__atomic_sub_fetch(&b->refc, 1, __ATOMIC_ACQ_REL) == 0) {
        tb_binary_account(-(int64_t)b->orig_size);
        free(b);
    }
}

Term tb_make_proc_bin(TbProcess *p, TbBinary *b, size_t size) {
    TbProcBin *pb = (TbProcBin *)tb_halloc(p, PROC_BIN_WORDS);
    pb->header = make_header(PROC_BIN_WORDS - 1, HDR_SUB_REFC_BIN);
    pb->size = size;
    pb->val = b;
    pb->bytes = b->data;
    pb->flags = 0;
    tb_proc_bin_link(p, pb);
    return make_boxed((Term *)pb);
}

/* Reallocate the buffer down to `size` bytes; only an unshared one (another
 * process's ProcBin may point at it). */
static void shrink_to(TbProcBin *pb, size_t size) {
    TbBinary *b = pb->val;
    if (size >= b->orig_size || !tb_binary_unique(b)) return;
    TbBinary *nb = realloc(b, sizeof *b + (size ? size : 1));
    if (!nb) return;
    tb_binary_account((int64_t)size - (int64_t)nb->orig_size);
    nb->orig_size = size;
    pb->val = nb;
    pb->bytes = nb->data;
}

void tb_proc_bin_freeze(TbProcBin *pb) {
    if (!pb->flags) return;
    pb->flags = 0;
    /* like ERTS: shrinking by less than 8 bytes gains nothing */
    if (pb->val->orig_size - pb->size >= 8) shrink_to(pb, pb->size);
}

Term tb_new_binary(TbProcess *p, const uint8_t *data, size_t len) {
    if (len <= TB_HEAP_BIN_LIMIT) {
        TbHeapBin *hb = (TbHeapBin *)tb_halloc(p, heap_bin_words(len));
        hb->header = make_header(heap_bin_words(len) - 1, HDR_SUB_HEAP_BIN);
        hb->size = len;
        ((Term *)hb)[heap_bin_words(len) - 1] = 0;   /* padding: bit readers may load whole words */
        if (data && len) memcpy(hb->data, data, len);
        return make_boxed((Term *)hb);
    }
    TbBinary *b = tb_binary_alloc(len);
    if (data) memcpy(b->data, data, len);
    return tb_make_proc_bin(p, b, len);
}

uint8_t *tb_binary_bytes_for_write(Term bin) {
    const uint8_t *bytes;
    UWord offs, size;
    bitstring_view(bin, &bytes, &offs, &size);
    return (uint8_t *)bytes + (offs >> 3);
}

Term tb_make_sub_binary(TbProcess *p, Term orig, UWord bitoffs, UWord bitsize) {
    UWord base_offs;
    Term real = tb_real_binary(orig, &base_offs);
    if (bitoffs == 0 && bitsize == bitstring_bitsize(orig)) return orig;
    TbSubBin *sb = (TbSubBin *)tb_halloc(p, SUB_BIN_WORDS);
    sb->header = make_header(SUB_BIN_WORDS - 1, HDR_SUB_SUB_BIN);
    sb->orig = real;
    sb->bitoffs = base_offs + bitoffs;
    sb->bitsize = bitsize;
    return make_boxed((Term *)sb);
}

Term tb_binary_part(TbProcess *p, Term bin, Term start, Term len) {
    if (!is_bitstring(bin) || !is_small(start) || !is_small(len)) return tb_error(p, AM(badarg));
    SWord pos = small_val(start), n = small_val(len);
    if (n < 0) {
        pos += n;
        n = -n;
        if (pos < 0) return tb_error(p, AM(badarg));
    }
    UWord size = bitstring_bitsize(bin) >> 3;
    if ((UWord)pos > size || (UWord)n > size - (UWord)pos) return tb_error(p, AM(badarg));
    return tb_make_sub_binary(p, bin, 8 * (UWord)pos, 8 * (UWord)n);
}

const uint8_t *tb_binary_aligned_bytes(Term t, size_t *len, uint8_t **tmp) {
    const uint8_t *b;
    UWord o, n;
    *tmp = NULL;
    if (!is_bitstring(t)) return NULL;
    bitstring_view(t, &b, &o, &n);
    if (n & 7) return NULL;
    *len = n >> 3;
    if (!(o & 7)) return b + (o >> 3);
    *tmp = malloc(*len ? *len : 1);
    if (!*tmp) abort();
    tb_copy_bits(b, o, *tmp, 0, n);
    return *tmp;
}

void tb_proc_bins_release(struct TbProcBin *list) {
    while (list) {
        TbProcBin *next = list->next;
        tb_off_heap_release(list);
        list = next;
    }
}

/* ERTS's policy for writable binaries after a GC: one appended to since the
 * last GC just loses ACTIVE_WRITER; an inactive one with slack is shrunk
 * (generously while nothing else is being appended to, exactly otherwise).
 * It stays writable: only a match start or a send retires that. */
void tb_off_heap_gc_done(TbProcess *p) {
    UWord bytes = 0, active = 0, cands = 0;
    TbProcBin *pb;
    for (pb = p->off_heap; pb; pb = pb->next) {
        if (is_magic_ref_header(pb->header)) continue;
        bytes += pb->size;
        if (pb->flags & TB_PB_ACTIVE_WRITER) active++;
        else if ((pb->flags & TB_PB_WRITABLE) && pb->val->orig_size - pb->size >= 8) cands++;
    }
    p->off_heap_bytes = bytes;
    if (!cands && !active) return;
    unsigned leave = 0;        /* percentage of unused room to leave */
    if (!active) leave = cands <= 1 ? 20 : cands <= 10 ? 10 : 0;
    for (pb = p->off_heap; pb; pb = pb->next) {
        if (is_magic_ref_header(pb->header)) continue;
        if (pb->flags & TB_PB_ACTIVE_WRITER) { pb->flags &= ~(UWord)TB_PB_ACTIVE_WRITER; continue; }
        if (!(pb->flags & TB_PB_WRITABLE) || pb->val->orig_size - pb->size < 8) continue;
        size_t n = pb->size;
        if (leave) {
            n += n * 100 / leave;
            if (n + 8 >= pb->val->orig_size) continue;
        }
        shrink_to(pb, n);
    }
}

void tb_off_heap_sweep(TbProcess *p, TbProcBinWhere where, void *ctx) {
    TbProcBin *pb = p->off_heap, *head = NULL, **tail = &head;
    while (pb) {
        TbProcBin *now = where(pb, ctx), *next;
        if (!now) {
            next = pb->next;
            tb_off_heap_release(pb);
        } else {
            next = now->next;
            *tail = now;
            tail = &now->next;
        }
        pb = next;
    }
    *tail = NULL;
    p->off_heap = head;
    tb_off_heap_gc_done(p);
}

/* ---- iolists ---- */

/* Explicit stack of pending list tails: no C recursion on deep lists. */
typedef struct {
    Term *items;
    size_t n, cap;
    Term local[32];
} TailStack;

static inline void ts_init(TailStack *s) { s->items = s->local; s->n = 0; s->cap = 32; }
static inline void ts_free(TailStack *s) { if (s->items != s->local) free(s->items); }
static void ts_push(TailStack *s, Term t) {
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        Term *n = malloc(cap * sizeof *n);
        if (!n) abort();
        memcpy(n, s->items, s->n * sizeof *n);
        if (s->items != s->local) free(s->items);
        s->items = n;
        s->cap = cap;
    }
    s->items[s->n++] = t;
}

/* One walker for sizing and writing: out == NULL sizes (and validates). */
static bool iol_walk(Term t, bool allow_bits, uint8_t *out, UWord *bits) {
    TailStack st;
    UWord pos = 0;
    bool ok = true;
    ts_init(&st);
    for (;;) {
        if (is_list(t)) {
            Term *c = list_val(t);
            Term h = CAR(c);
            t = CDR(c);
            if (is_small(h)) {
                if ((UWord)small_val(h) > 255) { ok = false; break; }
                if (out) {
                    uint8_t byte = (uint8_t)small_val(h);
                    if (pos & 7) tb_copy_bits(&byte, 0, out, pos, 8);
                    else out[pos >> 3] = byte;
                }
                pos += 8;
            } else if (is_list(h)) {
                ts_push(&st, t);
                t = h;
            } else if (is_nil(h)) {
                /* [] element: nothing */
            } else if (is_bitstring(h)) {
                const uint8_t *b;
                UWord o, n;
                bitstring_view(h, &b, &o, &n);
                if ((n & 7) && !allow_bits) { ok = false; break; }
                if (out) tb_copy_bits(b, o, out, pos, n);
                pos += n;
            } else { ok = false; break; }
            continue;
        }
        if (is_bitstring(t)) {
            const uint8_t *b;
            UWord o, n;
            bitstring_view(t, &b, &o, &n);
            if ((n & 7) && !allow_bits) { ok = false; break; }
            if (out) tb_copy_bits(b, o, out, pos, n);
            pos += n;
        } else if (!is_nil(t)) { ok = false; break; }
        if (st.n == 0) break;
        t = st.items[--st.n];
    }
    ts_free(&st);
    if (ok && bits) *bits = pos;
    return ok;
}

bool tb_iolist_bits(Term t, bool allow_bits, UWord *bits) { return iol_walk(t, allow_bits, NULL, bits); }
void tb_iolist_write(Term t, uint8_t *out) { iol_walk(t, true, out, NULL); }

bool tb_iolist_size(Term t, size_t *out) {
    UWord bits;
    if (!iol_walk(t, false, NULL, &bits)) return false;
    *out = bits >> 3;
    return true;
}

bool tb_iolist_to_bytes(Term t, uint8_t *out) {
    UWord bits;
    if (!iol_walk(t, false, NULL, &bits)) return false;
    iol_walk(t, false, out, NULL);
    return true;
}
