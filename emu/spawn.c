/* spawn.c — a new process: heap sized for its arguments, X registers
 * loaded with them, the initial call's code, and a return address that
 * ends the process normally when the initial call returns. */
#include "spawn.h"
#include "scheduler.h"
#include "ptab.h"
#include "signals.h"
#include "module.h"
#include "interp.h"
#include "gc.h"
#include "heap_sizes.h"
#include "atom.h"
#include <stdlib.h>

/* Where the initial call returns to: the process ends with reason normal. */
static UWord exit_code[2];

const UWord *tb_spawn_exit_cp(void) {
    exit_code[1] = tb_op_addr[OP_i_halt];
    return &exit_code[1];
}

static TbProcess *new_proc(struct TbScheduler *s, size_t heap_words, unsigned arity) {
    TbProcess *c = tb_process_new(heap_words);
    if (!c) abort();
    if (arity > c->arg_cap) {
        c->arg_reg = malloc(arity * sizeof(Term));
        if (!c->arg_reg) abort();
        c->arg_cap = arity;
        c->x = c->arg_reg;
    }
    c->arity = arity;
    c->sched = s;
    *--c->stop = (Term)tb_spawn_exit_cp();
    return c;
}

static void start(TbProcess *c, Term m, Term f, unsigned arity) {
    c->init_m = m;
    c->init_f = f;
    c->init_a = arity;
    c->i = tb_export_get(m, f, arity)->code;
    tb_sched_enqueue(c);
}

TbProcess *tb_spawn(TbProcess *parent, Term m, Term f, Term args, TbSpawnOpts *o) {
    UWord n = 0;
    Term l = args;
    for (; is_list(l); l = CDR(list_val(l))) n++;
    if (l != NIL || !is_atom(m) || !is_atom(f) || n > 255) { tb_error(parent, AM(badarg)); return NULL; }
    if (tb_ptab_count() >= tb_ptab_max()) { tb_error(parent, tb_atom_cstr("system_limit")); return NULL; }
    UWord sz = tb_size_object(args);
    size_t heap = o && o->min_heap_size > TB_MIN_HEAP ? tb_heap_size_round(o->min_heap_size) : TB_MIN_HEAP;
    if (heap < sz + 2) heap = tb_heap_size_round(sz + 2 + TB_MIN_HEAP);
    TbProcess *c = new_proc(parent->sched, heap, (unsigned)n);
    if (o && o->min_heap_size) c->min_heap_size = heap;
    Term *hp = tb_halloc(c, sz);
    Term a = tb_copy_object(args, &hp, &c->off_heap);
    for (unsigned i = 0; is_list(a); a = CDR(list_val(a)), i++) c->x[i] = CAR(list_val(a));
    tb_ptab_insert(c);
    c->group_leader = parent->group_leader;
    c->parent = parent->id;
    if (o) {
        c->prio = o->prio;
        if (o->has_fullsweep) c->max_gen_gcs = o->max_gen_gcs;
        if (o->has_max_heap) { c->max_heap_size = o->max_heap_size; c->max_heap_flags = o->max_heap_flags; }
        if (o->link) { tb_link_add(parent, c->id); tb_link_add(c, parent->id); }
        if (o->monitor) {
            tb_ref_new_nums(o->mon_ref);
            tb_mon_add(parent, o->mon_ref, c->id, NIL, true);
            tb_mon_add(c, o->mon_ref, parent->id, NIL, false);
        }
    }
    start(c, m, f, (unsigned)n);
    return c;
}

TbProcess *tb_spawn_first(struct TbScheduler *s, Term m, Term f, const Term *args, unsigned n) {
    TbProcess *c = new_proc(s, TB_MIN_HEAP, n);
    for (unsigned i = 0; i < n; i++) c->x[i] = args ? args[i] : NIL;   /* immediates only */
    tb_ptab_insert(c);
    c->group_leader = c->id;
    c->parent = AM_undefined;
    start(c, m, f, n);
    return c;
}
