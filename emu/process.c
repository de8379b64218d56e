/* process.c — process creation, destruction and heap fragments. */
#include "process.h"
#include "pdict.h"
#include "binary.h"
#include <stdlib.h>
#include <string.h>

TbProcess *tb_process_new(size_t heap_words) {
    TbProcess *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (heap_words < TB_MIN_HEAP) heap_words = TB_MIN_HEAP;
    p->heap = malloc(heap_words * sizeof(Term));
    if (!p->heap) { free(p); return NULL; }
    p->htop = p->heap;
    p->hend = p->stop = p->heap + heap_words;
    p->high_water = p->heap;
    p->min_heap_size = heap_words;
    p->max_gen_gcs = 65535;
    p->max_heap_flags = TB_MAX_HEAP_KILL | TB_MAX_HEAP_LOG;
    p->arg_reg = p->x = p->def_arg_reg;
    p->arg_cap = TB_DEF_ARG_REGS;
    p->dict = NULL;
    p->seq_token = NIL;
    p->ftrace = NIL;
    p->ftop = NIL;
    p->reg_name = NIL;
    p->group_leader = NIL;
    p->exit_reason = NIL;
    p->msg_last = p->msg_save = &p->msg_first;
    p->fvalue = NIL;
    p->prio = TB_PRIO_NORMAL;
    return p;
}

void tb_proc_bins_release(struct TbProcBin *pb);

void tb_heap_frag_free(TbHeapFrag *f) {
    tb_proc_bins_release(f->off_heap);
    free(f);
}

void tb_message_free(TbMessage *m) {
    if (m->frag) tb_heap_frag_free(m->frag);
    free(m);
}

void tb_process_free(TbProcess *p) {
    if (!p) return;
    tb_proc_bins_release(p->off_heap);
    for (TbHeapFrag *f = p->frags, *n; f; f = n) { n = f->next; free(f); }
    for (TbMessage *m = p->msg_first, *n; m; m = n) { n = m->next; tb_message_free(m); }
    if (p->exit_frag) tb_heap_frag_free(p->exit_frag);
    if (p->arg_reg != p->def_arg_reg) free(p->arg_reg);
    free(p->heap);
    free(p->old_heap);
    free(p->dict);             /* one flat block (emu/pdict.h) */
    free(p);
}

Term *tb_halloc_slow(TbProcess *p, size_t n) {
    TbHeapFrag *f = p->frags;
    p->mbuf_sz += n;
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
    f->off_heap = NULL;
    f->used = n;
    f->size = sz;
    p->frags = f;
    return f->mem;
}
