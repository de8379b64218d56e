/* process.c — process creation, destruction and heap fragments. */
#include "process.h"
#include <stdlib.h>
#include <string.h>

TbProcess *tb_process_new(size_t heap_words) {
    /* x[] is cache-line aligned (process.h): calloc only promises 16 bytes */
    TbProcess *p = aligned_alloc(64, (sizeof *p + 63) & ~(size_t)63);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    if (heap_words < TB_MIN_HEAP) heap_words = TB_MIN_HEAP;
    p->heap = malloc(heap_words * sizeof(Term));
    if (!p->heap) { free(p); return NULL; }
    p->htop = p->heap;
    p->hend = p->stop = p->heap + heap_words;
    p->high_water = p->heap;
    p->min_heap_size = heap_words;
    p->max_gen_gcs = 65535;
    p->dictionary = TB_NONE;
    p->seq_token = NIL;
    p->ftrace = NIL;
    p->ftop = NIL;
    p->msg_last = p->msg_save = &p->msg_first;
    p->fvalue = NIL;
    return p;
}

void tb_proc_bins_release(struct TbProcBin *pb);

void tb_process_free(TbProcess *p) {
    if (!p) return;
    tb_proc_bins_release(p->off_heap);
    for (TbHeapFrag *f = p->frags, *n; f; f = n) { n = f->next; free(f); }
    for (TbMessage *m = p->msg_first, *n; m; m = n) { n = m->next; free(m); }
    free(p->heap);
    free(p->old_heap);
    free(p);
}

Term *tb_halloc_slow(TbProcess *p, size_t n) {
    TbHeapFrag *f = p->frags;
    if (f && f->size - f->used >= n) {
        Term *hp = f->mem + f->used;
        f->used += n;
        return hp;
    }
    /* fragments grow geometrically so BIF-heavy loops don't malloc per call */
    size_t sz = f ? 2 * f->size : 512;
    if (sz > ((size_t)1 << 20)) sz = (size_t)1 << 20;
    if (sz < n) sz = n;
    f = malloc(sizeof *f + sz * sizeof(Term));
    if (!f) abort();             /* out of memory: ERTS aborts too */
    f->next = p->frags;
    f->used = n;
    f->size = sz;
    p->frags = f;
    return f->mem;
}
