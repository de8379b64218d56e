/* gc.c — Cheney copying collector for one process.
 *
 * From-space is everything the process can point to that is not a literal:
 * its heap block and its heap fragments.  The stack (top of the block) is
 * moved to the top of the new block.  Moved cons cells get CAR = 0 and CDR =
 * new cell; moved boxed objects get their header replaced by the new boxed
 * term (headers have tag 00, so a boxed tag there means "forwarded").
 */
#include "gc.h"
#include "module.h"
#include "map.h"
#include "binary.h"
#include <stdlib.h>
#include <stdio.h>

int tb_gc_stress;

UWord tb_object_words(const Term *obj) {
    Term h = *obj;
    if (header_sub(h) == HDR_SUB_HASHMAP) return tb_hashmap_words(obj);
    return header_arity(h) + 1;
}

/* Index of the first term (pointer-bearing) word and count of term words in an object. */
void tb_object_term_words(const Term *obj, UWord *first, UWord *count) {
    Term h = *obj;
    UWord ar = header_arity(h);
    switch (header_sub(h)) {
    case HDR_SUB_TUPLE: *first = 1; *count = ar; return;
    case HDR_SUB_FUN: *first = 2; *count = ar - 1; return;              /* creator + env; skip fe */
    case HDR_SUB_FLATMAP: *first = 2; *count = ar - 1; return;          /* keys + values; skip size */
    case HDR_SUB_HASHMAP: tb_hashmap_term_words(obj, first, count); return;
    case HDR_SUB_SUB_BIN: *first = 1; *count = 1; return;               /* orig */
    case HDR_SUB_MATCHSTATE: *first = 1; *count = 1; return;            /* orig */
    default: *first = 0; *count = 0; return;                            /* raw payload */
    }
}

typedef struct {
    Term *hp;
    TbProcBin *off_heap;
} Gc;

static inline Term evacuate(Gc *gc, Term t) {
    switch (primary_tag(t)) {
    case TAG_PRIMARY_LIST: {
        Term *c = list_val(t);
        if (tb_is_literal_ptr(c)) return t;
        if (c[0] == TB_NONE) return c[1];
        Term *n = gc->hp;
        gc->hp += 2;
        n[0] = c[0];
        n[1] = c[1];
        c[0] = TB_NONE;
        c[1] = make_list(n);
        return c[1];
    }
    case TAG_PRIMARY_BOXED: {
        Term *o = boxed_val(t);
        if (tb_is_literal_ptr(o)) return t;
        if (is_boxed(*o)) return *o;                     /* forwarded */
        UWord w = tb_object_words(o);
        Term *n = gc->hp;
        gc->hp += w;
        memcpy(n, o, w * sizeof(Term));
        if (header_sub(*o) == HDR_SUB_REFC_BIN) {
            TbProcBin *pb = (TbProcBin *)n;
            pb->next = gc->off_heap;
            gc->off_heap = pb;
        }
        *o = make_boxed(n);
        return *o;
    }
    default:
        return t;
    }
}

static size_t next_heap_size(size_t need) {
    size_t s = TB_MIN_HEAP;
    while (s < need) s = s < 1000000 ? s * 2 : s + s / 5;
    return s;
}

/* Copy everything live into a new block of `size` words (which must hold it). */
static void collect(TbProcess *p, size_t size, int live) {
    size_t stack = (size_t)(p->hend - p->stop);

    Term *nheap = malloc(size * sizeof(Term));
    if (!nheap) { fputs("tbeam: out of memory in GC\n", stderr); abort(); }
    Term *nend = nheap + size;
    Term *nstop = nend - stack;
    Gc gc = {nheap, NULL};

    /* roots */
    for (int i = 0; i < live; i++) p->x[i] = evacuate(&gc, p->x[i]);
    for (size_t i = 0; i < stack; i++) {
        Term w = p->stop[i];
        nstop[i] = is_header(w) ? w : evacuate(&gc, w);   /* return addresses stay */
    }
    if (p->dictionary != TB_NONE) p->dictionary = evacuate(&gc, p->dictionary);
    p->fvalue = evacuate(&gc, p->fvalue);
    p->ftrace = evacuate(&gc, p->ftrace);
    p->ftop = evacuate(&gc, p->ftop);
    p->seq_token = evacuate(&gc, p->seq_token);
    for (TbMessage *m = p->msg_first; m; m = m->next) m->msg = evacuate(&gc, m->msg);

    /* scan */
    for (Term *scan = nheap; scan < gc.hp;) {
        Term w = *scan;
        if (is_header(w)) {
            UWord first, count;
            tb_object_term_words(scan, &first, &count);
            for (UWord i = 0; i < count; i++) scan[first + i] = evacuate(&gc, scan[first + i]);
            if (header_sub(w) == HDR_SUB_MATCHSTATE) {     /* cached data pointer into a moved binary */
                TbMatchState *ms = (TbMatchState *)scan;
                UWord o, s;
                bitstring_view(ms->orig, &ms->base, &o, &s);
            }
            scan += tb_object_words(scan);
        } else {
            *scan = evacuate(&gc, w);
            scan++;
        }
    }

    /* off-heap binaries that were not copied are garbage */
    for (TbProcBin *pb = p->off_heap, *next; pb; pb = next) {
        next = pb->next;
        if (!is_boxed(pb->header)) tb_binary_unref(pb->val);
    }
    p->off_heap = gc.off_heap;
    tb_off_heap_gc_done(p);

    free(p->heap);
    for (TbHeapFrag *f = p->frags, *n; f; f = n) { n = f->next; free(f); }
    p->frags = NULL;
    p->heap = nheap;
    p->htop = gc.hp;
    p->hend = nend;
    p->stop = nstop;
    p->high_water = gc.hp;
    p->gen_gcs++;
}

/* The first copy goes to a block big enough for everything the heap holds;
 * when little of it was live, a second, cheap copy moves it to a block sized
 * from the live data, so a loop that allocates garbage doesn't grow the heap. */
void tb_gc(TbProcess *p, size_t need, int live) {
    size_t used = (size_t)(p->htop - p->heap);
    for (TbHeapFrag *f = p->frags; f; f = f->next) used += f->used;
    size_t stack = (size_t)(p->hend - p->stop);
    size_t size = next_heap_size(used + stack + need + 1);
    if (size < p->min_heap_size) size = p->min_heap_size;
    collect(p, size, live);
    size_t live_words = (size_t)(p->htop - p->heap);
    size_t want = next_heap_size(2 * (live_words + need) + stack + 1);
    if (want < p->min_heap_size) want = p->min_heap_size;
    if (size > 4 * want) collect(p, want, live);
}
