/* bif_memory.c — the allocator statistics ERTS's erlang:memory/0,1 (in
 * erlang.erl) reads: system_info(alloc_util_allocators), the per-scheduler
 * {memory_internal, Ref, Allocs} messages and system_info(allocated_areas).
 * tbeam uses malloc, not ERTS's allocators; the figures are what tbeam's
 * own structures hold, filed under the allocator ERTS would use. */
#include "bif.h"
#include "../emu/ptab.h"
#include "../emu/signals.h"
#include "../emu/timer.h"
#include "../emu/binary.h"
#include "../emu/msg.h"
#include "../emu/module.h"
#include "../emu/big.h"
#include <string.h>

static Term list_of(TbProcess *p, const Term *v, size_t n) {
    Term l = NIL;
    for (size_t i = n; i-- > 0;) l = tb_cons(p, v[i], l);
    return l;
}
static Term num(TbProcess *p, UWord v) { return tb_make_integer(p, (SWord)v); }

typedef struct { UWord heap, procs, links, mons, timers; } ProcMem;

static UWord frag_bytes(const TbHeapFrag *f) {
    UWord b = 0;
    for (; f; f = f->next) b += sizeof *f + f->size * sizeof(Term);
    return b;
}

static void gather(ProcMem *m) {
    memset(m, 0, sizeof *m);
    UWord i = 0;
    TbProcess *q;
    while ((q = tb_ptab_next(&i))) {
        m->procs++;
        m->heap += ((UWord)(q->hend - q->heap) + (UWord)(q->old_hend - q->old_heap)) * sizeof(Term) + frag_bytes(q->frags);
        for (const TbMessage *g = q->msg_first; g; g = g->next)
            m->heap += sizeof *g + (g->frag ? frag_bytes(g->frag) : 0);
        for (const TbLink *l = q->links; l; l = l->next) m->links++;
        for (const TbMon *o = q->mons; o; o = o->next) m->mons++;
        for (const TbTimer *t = q->bif_timers; t; t = t->pnext) m->timers++;
    }
}

/* {mbcs, [{blocks, [{Alloc, [{size, Cur, Max, Max}]}]}, {carriers_size, C, C, C}]} ... */
static Term alloc_info(TbProcess *p, Term name, UWord bytes) {
    Term sz = tb_cons(p, tb_tuple3(p, CATOM("size"), num(p, bytes), num(p, bytes)), NIL);
    Term *hp = tb_halloc(p, 5);
    hp[0] = make_arityval(4); hp[1] = CATOM("size"); hp[2] = num(p, bytes); hp[3] = hp[2]; hp[4] = hp[2];
    sz = tb_cons(p, make_boxed(hp), NIL);
    Term blocks = tb_tuple2(p, CATOM("blocks"), tb_cons(p, tb_tuple2(p, name, sz), NIL));
    Term *cs = tb_halloc(p, 5);
    cs[0] = make_arityval(4); cs[1] = CATOM("carriers_size"); cs[2] = num(p, bytes); cs[3] = cs[2]; cs[4] = cs[2];
    Term mbcs = tb_tuple2(p, CATOM("mbcs"), list_of(p, (Term[]){blocks, make_boxed(cs)}, 2));
    Term *zs = tb_halloc(p, 5);
    zs[0] = make_arityval(4); zs[1] = CATOM("carriers_size"); zs[2] = make_small(0); zs[3] = zs[2]; zs[4] = zs[2];
    Term sbcs = tb_tuple2(p, CATOM("sbcs"), list_of(p, (Term[]){tb_tuple2(p, CATOM("blocks"), NIL), make_boxed(zs)}, 2));
    return list_of(p, (Term[]){mbcs, sbcs}, 2);
}

static Term fix_types(TbProcess *p, const ProcMem *m) {
    struct { const char *n; UWord b; } t[] = {
        {"proc", m->procs * sizeof(TbProcess)}, {"monitor", m->mons * sizeof(TbMon)},
        {"link", m->links * sizeof(TbLink)}, {"bif_timer", m->timers * sizeof(TbTimer)},
    };
    Term v[4];
    for (int i = 0; i < 4; i++) v[i] = tb_tuple3(p, tb_atom_cstr(t[i].n), num(p, t[i].b), num(p, t[i].b));
    return tb_tuple2(p, CATOM("fix_types"), list_of(p, v, 4));
}

static UWord code_bytes(void) {
    UWord b = 0;
    for (TbModule *m = tb_module_first(); m; m = m->next)
        for (TbModule *v = m; v; v = v->old) b += v->code_words * sizeof(UWord);
    return b;
}

Term tb_system_info_memory(TbProcess *p, Term item) {
    if (item == CATOM("alloc_util_allocators"))
        return list_of(p, (Term[]){CATOM("eheap_alloc"), CATOM("fix_alloc"), CATOM("binary_alloc")}, 3);
    if (item == CATOM("allocated_areas")) {
        /* erlang.erl files these under atom / code / processes / ets and
         * counts external_alloc into total (the allocators above add the rest) */
        UWord code = code_bytes(), names = 0;
        for (uint32_t i = 0; i < tb_atom_count; i++) names += tb_atoms[i].len;
        UWord atom_table = tb_atom_count * sizeof(TbAtom), ptab = tb_ptab_max() * sizeof(void *);
        Term v[] = {tb_tuple3(p, CATOM("atom_space"), num(p, names), num(p, names)),
                    tb_tuple2(p, CATOM("atom_table"), num(p, atom_table)),
                    tb_tuple2(p, CATOM("loaded_code"), num(p, code)),
                    tb_tuple2(p, CATOM("process_table"), num(p, ptab)),
                    tb_tuple2(p, CATOM("ets_misc"), make_small(0)),
                    tb_tuple2(p, CATOM("external_alloc"), num(p, code + names + atom_table + ptab))};
        return list_of(p, v, sizeof v / sizeof *v);
    }
    /* {memory_internal, Ref, Allocs}: one {Ref, 1, Data} reply per scheduler */
    if (is_tuple(item) && tuple_arity(item) == 3 && tuple_val(item)[1] == CATOM("memory_internal")) {
        Term ref = tuple_val(item)[2];
        if (!is_ref(ref)) return TB_NONE;
        ProcMem m;
        gather(&m);
        UWord fix = m.procs * sizeof(TbProcess) + m.mons * sizeof(TbMon) + m.links * sizeof(TbLink) +
                    m.timers * sizeof(TbTimer);
        Term data[3];
        data[0] = tb_tuple3(p, CATOM("eheap_alloc"), make_small(0), alloc_info(p, CATOM("eheap_alloc"), m.heap));
        data[1] = tb_tuple3(p, CATOM("fix_alloc"), make_small(0),
                            tb_cons(p, fix_types(p, &m), alloc_info(p, CATOM("fix_alloc"), fix)));
        int64_t bin = __atomic_load_n(&tb_binary_bytes, __ATOMIC_RELAXED);
        data[2] = tb_tuple3(p, CATOM("binary_alloc"), make_small(0),
                            alloc_info(p, CATOM("binary_alloc"), bin > 0 ? (UWord)bin : 0));
        tb_msg_send(p, p, tb_tuple3(p, ref, make_small(1), list_of(p, data, 3)));
        return AM_true;
    }
    return TB_NONE;
}
