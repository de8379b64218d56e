/* gc.c — generational copying collector for one process (ERTS's scheme).
 *
 * Young data lives in the heap block (with the stack at its top) and in heap
 * fragments; data that survived one collection lies below `high_water`.
 * A minor collection copies live young data: what is below the high-water
 * mark is promoted to the old heap, the rest goes to a new young block.  The
 * old heap is not scanned: Erlang data never points from older to younger
 * objects (terms are immutable; the only in-place updates — setelement on a
 * fresh tuple, private appends — store no new heap pointers).  A major
 * collection copies everything, old heap included, into one new block.
 *
 * Moved cons cells get CAR = 0 and CDR = new cell; moved boxed objects get
 * their header replaced by the new boxed term (headers have tag 00, so a
 * boxed tag there means "forwarded").
 */
#include "gc.h"
#include "module.h"
#include "map.h"
#include "binary.h"
#include "resource.h"
#include "scheduler.h"
#include "heap_sizes.h"
#include "pdict.h"
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
    Term *hp;                  /* young to-space top */
    Term *ohp;                 /* old heap top (minor collections promote here) */
    const Term *keep_lo, *keep_hi;     /* not moved: the old heap (minor) */
    const Term *promo_lo, *promo_hi;   /* promoted: survived one collection (minor) */
    UWord lit_lo, lit_size;            /* the literal area (emu/module.h), never moved */
    TbProcBin *off_heap;
} Gc;

static inline bool kept(const Gc *gc, const Term *p) {
    return (UWord)p - gc->lit_lo < gc->lit_size || (p >= gc->keep_lo && p < gc->keep_hi);
}

static inline Term *dest(Gc *gc, const Term *from, UWord words) {
    Term *n;
    if (from >= gc->promo_lo && from < gc->promo_hi) { n = gc->ohp; gc->ohp += words; }
    else { n = gc->hp; gc->hp += words; }
    return n;
}

static inline Term evacuate(Gc *gc, Term t) {
    switch (primary_tag(t)) {
    case TAG_PRIMARY_LIST: {
        Term *c = list_val(t);
        if (kept(gc, c)) return t;
        if (c[0] == TB_NONE) return c[1];
        Term *n = dest(gc, c, 2);
        n[0] = c[0];
        n[1] = c[1];
        c[0] = TB_NONE;
        c[1] = make_list(n);
        return c[1];
    }
    case TAG_PRIMARY_BOXED: {
        Term *o = boxed_val(t);
        if (kept(gc, o)) return t;
        if (is_boxed(*o)) return *o;                     /* forwarded */
        UWord w = tb_object_words(o);
        Term *n = dest(gc, o, w);
        memcpy(n, o, w * sizeof(Term));
        if (header_sub(*o) == HDR_SUB_REFC_BIN || is_magic_ref_header(*o)) {
            TbProcBin *pb = (TbProcBin *)n;     /* magic refs keep `next` at the same word */
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

/* Scan copied objects in [from, *top) until no more are added.  Works on a
 * copy of the state: a local whose address does not escape stays in
 * registers across the stores of copying (gc itself could alias them). */
static Term *scan_region(Gc *gcp, Term *scan, Term **topp) {
    Gc g = *gcp, *gc = &g;
    Term **top = topp == &gcp->hp ? &g.hp : &g.ohp;
    while (scan < *top) {
        Term w = *scan;
        if (is_header(w)) {
            UWord first, count;
            tb_object_term_words(scan, &first, &count);
            for (UWord i = 0; i < count; i++) scan[first + i] = evacuate(gc, scan[first + i]);
            if (header_sub(w) == HDR_SUB_MATCHSTATE) tb_match_state_rebase(scan);
            scan += tb_object_words(scan);
        } else {
            *scan = evacuate(gc, w);
            scan++;
        }
    }
    *gcp = g;
    return scan;
}

/* ERTS's heap-size series: the smallest size >= need, `step` sizes further. */
static size_t next_heap_size(size_t need, int step) {
    int i = tb_heap_size_index(need) + step;
    return tb_heap_sizes[i < TB_HEAP_SIZES ? i : TB_HEAP_SIZES - 1];
}

/* Copy the live data into a new young block of `size` words (which must
 * hold it).  minor: promote what is below high water to the old heap, which
 * has room for all of it, and leave the old heap alone. */
static void collect(TbProcess *p, size_t size, int live, bool minor) {
    size_t stack = (size_t)(p->hend - p->stop);
    Term *nheap = malloc(size * sizeof(Term));
    if (!nheap) { fputs("tbeam: out of memory in GC\n", stderr); abort(); }
    Term *nend = nheap + size;
    Term *nstop = nend - stack;
    Gc gc = {nheap, p->old_htop, NULL, NULL, NULL, NULL, tb_lit_start, tb_lit_end - tb_lit_start, NULL};
    if (minor) {
        gc.keep_lo = p->old_heap;
        gc.keep_hi = p->old_hend;
        gc.promo_lo = p->heap;
        gc.promo_hi = p->high_water;
    }
    Term *old_scan = gc.ohp;

    /* roots */
    for (int i = 0; i < live; i++) p->x[i] = evacuate(&gc, p->x[i]);
    for (size_t i = 0; i < stack; i++) {
        Term w = p->stop[i];
        nstop[i] = is_header(w) ? w : evacuate(&gc, w);   /* return addresses stay */
    }
    if (p->dict)
        for (unsigned i = 0; i < p->dict->used; i++) p->dict->slot[i] = evacuate(&gc, p->dict->slot[i]);
    p->fvalue = evacuate(&gc, p->fvalue);
    p->ftrace = evacuate(&gc, p->ftrace);
    p->ftop = evacuate(&gc, p->ftop);
    p->seq_token = evacuate(&gc, p->seq_token);
    for (TbMessage *m = p->msg_first; m; m = m->next) m->msg = evacuate(&gc, m->msg);

    /* scan both to-spaces until neither grows */
    Term *young_scan = nheap;
    while (young_scan < gc.hp || (minor && old_scan < gc.ohp)) {
        young_scan = scan_region(&gc, young_scan, &gc.hp);
        if (minor) old_scan = scan_region(&gc, old_scan, &gc.ohp);
    }

    /* off-heap binaries: copied ones were relinked; those left in the old
     * heap by a minor collection are still live; the rest are garbage */
    for (TbProcBin *pb = p->off_heap, *next; pb; pb = next) {
        next = pb->next;
        if (minor && (const Term *)pb >= gc.keep_lo && (const Term *)pb < gc.keep_hi) {
            pb->next = gc.off_heap;
            gc.off_heap = pb;
        } else if (!is_boxed(pb->header)) {
            tb_off_heap_release(pb);
        }
    }
    p->off_heap = gc.off_heap;
    tb_off_heap_gc_done(p);

    free(p->heap);
    for (TbHeapFrag *f = p->frags, *n; f; f = n) { n = f->next; free(f); }
    p->frags = NULL;
    p->mbuf_sz = 0;
    if (minor) {
        p->old_htop = gc.ohp;
    } else {                   /* everything now lives in the new block */
        free(p->old_heap);
        p->old_heap = p->old_htop = p->old_hend = NULL;
    }
    p->heap = nheap;
    p->htop = gc.hp;
    p->hend = nend;
    p->stop = nstop;
    p->high_water = gc.hp;     /* all of it has now survived a collection */
}

/* Sizing follows ERTS's erl_gc.c, so heaps grow, shrink and get collected
 * as often as there (it sets how much a process copies per word allocated):
 * a minor collection keeps the young heap at the size it had (stack plus
 * young data), shrinks it only when it is large and mostly empty — never
 * below 1/8 of the old heap — and grows it when the survivors need it; a
 * major one sizes from all live data and afterwards grows at 100% use,
 * shrinks below 25%, and marks 75% for growing at the next one. */
static void gc(TbProcess *p, size_t need, int live, bool force_major) {
    /* queued messages' data joins the heap fragments (copied in like ERTS's
     * on-heap message queue); their binaries join the off-heap list */
    if (p->msg_unabsorbed) {
        for (TbMessage *m = *p->msg_unabsorbed; m; m = m->next) {
            TbHeapFrag *f = m->frag;
            if (!f) continue;
            m->frag = NULL;
            tb_frag_absorb(p, f);
        }
        p->msg_unabsorbed = NULL;
    }
    size_t frags = 0;
    for (TbHeapFrag *f = p->frags; f; f = f->next) frags += f->used;
    size_t stack = (size_t)(p->hend - p->stop);
    size_t heap_size = (size_t)(p->hend - p->heap);
    size_t promote = (size_t)(p->high_water - p->heap);
    size_t young = (size_t)(p->htop - p->heap) + frags;   /* ERTS's size_before */
    bool minor = !force_major && p->gen_gcs < p->max_gen_gcs;
    if (minor && promote > (size_t)(p->old_hend - p->old_htop)) {
        if (!p->old_heap) {                 /* first promotion: make an old heap */
            size_t osz = next_heap_size(young, 1);
            p->old_heap = p->old_htop = malloc(osz * sizeof(Term));
            if (!p->old_heap) { fputs("tbeam: out of memory in GC\n", stderr); abort(); }
            p->old_hend = p->old_heap + osz;
        } else {
            minor = false;                  /* old heap full: collect it too */
        }
    }
    size_t size;
    if (minor) {
        size = next_heap_size(young + stack, 0);
    } else {
        young += (size_t)(p->old_htop - p->old_heap);
        size = next_heap_size(young + stack, 0);
        if (size == heap_size && p->heap_grow) size = next_heap_size(heap_size, 1);
        p->heap_grow = false;
    }
    if (size < p->min_heap_size) size = p->min_heap_size;
    Term *old_top = p->old_htop;
    collect(p, size, live, minor);
    if (p->sched) {            /* statistics(garbage_collection): words reclaimed */
        size_t after = (size_t)(p->htop - p->heap) + (minor ? (size_t)(p->old_htop - old_top) : 0);
        p->sched->gcs++;
        p->sched->gc_words += young > after ? young - after : 0;
    }
    if (minor) p->gen_gcs++;
    else p->gen_gcs = 0;
    if (p->max_heap_size) {
        size_t total = (size_t)(p->hend - p->heap) + (size_t)(p->old_hend - p->old_heap);
        if (total > p->max_heap_size) tb_max_heap_reached(p, total);
    }
    /* every queued message is a root each collection: a long queue gets a
     * young heap in proportion, so scanning it stays O(1) per word allocated */
    size_t need_after = (size_t)(p->htop - p->heap) + need + stack + p->msg_len;
    size_t wanted = 0;
    heap_size = size;
    if (minor) {
        size_t old_size = (size_t)(p->old_hend - p->old_heap);
        if (heap_size > 3000 && 4 * need_after < heap_size &&
            (heap_size > 8000 || heap_size > old_size)) {
            wanted = 3 * need_after;
            if (wanted * 9 < old_size && old_size / 8 > wanted) wanted = old_size / 8;
            if (next_heap_size(wanted, 0) >= heap_size) wanted = 0;
        } else if (need_after > heap_size) {
            wanted = need_after;
        }
    } else if (need_after > heap_size) {
        wanted = need_after;
    } else if (3 * heap_size < 4 * need_after) {
        p->heap_grow = true;                /* over 75% used: grow next time */
    } else if (4 * need_after < heap_size && heap_size > p->min_heap_size) {
        wanted = 2 * need_after;
    }
    if (!wanted) return;
    wanted = wanted < p->min_heap_size ? p->min_heap_size : next_heap_size(wanted, 0);
    if (wanted == heap_size) return;
    /* move the survivors into a block of the wanted size; they are all below
     * high water now, so a minor pass would promote them: keep them young */
    p->high_water = p->heap;
    collect(p, wanted, live, minor);
}

void tb_gc(TbProcess *p, size_t need, int live) { gc(p, need, live, false); }
void tb_gc_major(TbProcess *p, size_t need, int live) { gc(p, need, live, true); }
