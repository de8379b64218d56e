/* bif_pinfo.c — process_info/1,2: ERTS's items, computed from the process
 * struct.  Terms of another process (messages, dictionary) are copied. */
#include "bif.h"
#include "../emu/pdict.h"
#include "../emu/ptab.h"
#include "../emu/signals.h"
#include "../emu/exception.h"
#include "../emu/gc.h"
#include "../emu/binary.h"
#include "../emu/map.h"
#include "../emu/big.h"
#include <string.h>

Term tb_proc_error_handler(const TbProcess *p);   /* bif_system.c */

#define ITEMS(X) X(registered_name) X(current_function) X(current_location) X(current_stacktrace) \
    X(initial_call) X(status) X(messages) X(message_queue_len) X(links) X(monitors) X(monitored_by) \
    X(dictionary) X(trap_exit) X(error_handler) X(priority) X(group_leader) X(total_heap_size) \
    X(heap_size) X(stack_size) X(memory) X(reductions) X(garbage_collection) X(garbage_collection_info) \
    X(suspending) X(min_heap_size) X(min_bin_vheap_size) X(fullsweep_after) X(catchlevel) X(last_calls) \
    X(sequential_trace_token) X(message_queue_data) X(parent) X(binary) X(max_heap_size) X(magic_ref) \
    X(backtrace) X(trace) X(low_watermark) X(async_dist)
enum {
#define E(n) PI_##n,
    ITEMS(E)
#undef E
    PI__COUNT
};
static const char *const item_names[PI__COUNT] = {
#define S(n) #n,
    ITEMS(S)
#undef S
};
static Term item_atoms[PI__COUNT];

static int item_index(Term a) {
    if (!item_atoms[0])
        for (int i = 0; i < PI__COUNT; i++) item_atoms[i] = tb_atom_cstr(item_names[i]);
    for (int i = 0; i < PI__COUNT; i++)
        if (item_atoms[i] == a && i != PI_low_watermark && i != PI_async_dist) return i;
    return -1;
}

static Term reverse(TbProcess *p, Term l) {
    Term r = NIL;
    for (; is_list(l); l = CDR(list_val(l))) r = tb_cons(p, CAR(list_val(l)), r);
    return r;
}
static Term copy_in(TbProcess *p, TbProcess *from, Term t) {
    if (p == from || is_immed(t)) return t;
    Term *hp = tb_halloc(p, tb_size_object(t));
    return tb_copy_object(t, &hp, &p->off_heap);
}
static Term copy_entry(TbProcess *p, void *from, Term t) { return copy_in(p, from, t); }
static Term count(TbProcess *p, UWord n) { return tb_make_integer(p, (SWord)n); }

static UWord frag_words(const TbHeapFrag *f) {
    UWord n = 0;
    for (; f; f = f->next) n += f->size;
    return n;
}
static UWord heap_words(const TbProcess *q) { return (UWord)(q->hend - q->heap); }
static UWord old_words(const TbProcess *q) { return (UWord)(q->old_hend - q->old_heap); }

/* Bytes: the struct, its heaps, saved registers, queued messages, links
 * and monitors (ERTS counts the same things for its own layout). */
static UWord memory(const TbProcess *q) {
    UWord b = sizeof(TbProcess) + (heap_words(q) + old_words(q) + frag_words(q->frags)) * sizeof(Term);
    if (q->arg_reg != q->def_arg_reg) b += q->arg_cap * sizeof(Term);
    for (const TbMessage *m = q->msg_first; m; m = m->next)
        b += sizeof *m + (m->frag ? sizeof *m->frag + m->frag->size * sizeof(Term) : 0);
    for (const TbLink *l = q->links; l; l = l->next) b += sizeof *l;
    for (const TbMon *m = q->mons; m; m = m->next) b += sizeof *m;
    return b + tb_pd_bytes(q->dict);
}

static Term mfa_of(TbProcess *p, TbProcess *q, bool location) {
    if (q->flags & TB_PF_HIBERNATE) {
        Term h = tb_tuple3(p, AM(erlang), tb_atom_cstr("hibernate"), make_small(3));
        if (!location) return h;
        Term *hp = tb_halloc(p, 5), *t = tuple_val(h);
        hp[0] = make_arityval(4); hp[1] = t[1]; hp[2] = t[2]; hp[3] = t[3]; hp[4] = NIL;
        return make_boxed(hp);
    }
    if (!q->i) return AM_undefined;
    Term f = tb_frame_of_pc(p, (UWord)q->i);
    if (f == TB_NONE) {                          /* not started yet: the initial call */
        if (!location) return tb_tuple3(p, q->init_m, q->init_f, make_small(q->init_a));
        Term *hp = tb_halloc(p, 5);
        hp[0] = make_arityval(4); hp[1] = q->init_m; hp[2] = q->init_f; hp[3] = make_small(q->init_a); hp[4] = NIL;
        return make_boxed(hp);
    }
    if (location) return f;
    Term *t = tuple_val(f);
    return tb_tuple3(p, t[1], t[2], t[3]);
}

static Term stacktrace(TbProcess *p, TbProcess *q) {
    Term l = NIL;
    unsigned n = 0;
    Term top = q->i ? tb_frame_of_pc(p, (UWord)q->i) : TB_NONE;
    if (top != TB_NONE) { l = tb_cons(p, top, l); n++; }
    for (Term *sp = q->stop; sp < q->hend && n < 8; sp++) {
        Term w = *sp;
        if (!is_header(w) || w == 0) continue;  /* return addresses look like headers */
        Term f = tb_frame_of_pc(p, w | 1);
        if (f != TB_NONE) { l = tb_cons(p, f, l); n++; }
    }
    return reverse(p, l);
}

static Term prio_atom(uint8_t pr) {
    switch (pr) {
    case TB_PRIO_MAX: return AM(max);
    case TB_PRIO_HIGH: return AM(high);
    case TB_PRIO_LOW: return AM(low);
    default: return AM(normal);
    }
}

static Term max_heap(TbProcess *p, TbProcess *q) { return tb_max_heap_map(p, q->max_heap_size, q->max_heap_flags); }

static Term kv_list(TbProcess *p, const char *const *names, const UWord *vals, unsigned n) {
    Term l = NIL;
    for (unsigned i = n; i-- > 0;) l = tb_cons(p, tb_tuple2(p, tb_atom_cstr(names[i]), count(p, vals[i])), l);
    return l;
}

static Term item_value(TbProcess *p, TbProcess *q, int it) {
    switch (it) {
    case PI_registered_name: return q->reg_name == NIL ? NIL : q->reg_name;
    case PI_current_function: return mfa_of(p, q, false);
    case PI_current_location: return mfa_of(p, q, true);
    case PI_current_stacktrace: return stacktrace(p, q);
    case PI_initial_call: return tb_tuple3(p, q->init_m, q->init_f, make_small(q->init_a));
    case PI_status:
        if (q == p || q->status == TB_PS_RUNNING) return AM(running);
        if (tb_proc_suspended(q)) return CATOM("suspended");
        if (q->status == TB_PS_WAITING) return AM(waiting);
        if (q->status == TB_PS_EXITING) return AM(exiting);
        return AM(runnable);
    case PI_messages: {
        Term l = NIL;
        for (TbMessage *m = q->msg_first; m; m = m->next) l = tb_cons(p, copy_in(p, q, m->msg), l);
        return reverse(p, l);
    }
    case PI_message_queue_len: return count(p, q->msg_len);
    case PI_links: {
        Term l = NIL;
        for (TbLink *k = q->links; k; k = k->next) l = tb_cons(p, k->pid, l);
        return l;
    }
    case PI_monitors: case PI_monitored_by: {
        Term l = NIL;
        for (TbMon *m = q->mons; m; m = m->next) {
            if (m->origin != (it == PI_monitors)) continue;
            if (it == PI_monitored_by) l = tb_cons(p, m->pid, l);
            else if (is_internal_port(m->pid)) l = tb_cons(p, tb_tuple2(p, CATOM("port"), m->name != NIL ? tb_tuple2(p, m->name, AM(nonode_at_nohost)) : m->pid), l);
            else l = tb_cons(p, tb_tuple2(p, AM(process), m->name != NIL ? tb_tuple2(p, m->name, AM(nonode_at_nohost)) : m->pid), l);
        }
        return l;
    }
    case PI_dictionary: return tb_pd_list(p, q->dict, false, p == q ? NULL : copy_entry, q);
    case PI_trap_exit: return q->flags & TB_PF_TRAP_EXIT ? AM_true : AM_false;
    case PI_error_handler: return tb_proc_error_handler(q);
    case PI_priority: return prio_atom(q->prio);
    case PI_group_leader: return q->group_leader;
    case PI_total_heap_size: return count(p, heap_words(q) + old_words(q) + frag_words(q->frags));
    case PI_heap_size: return count(p, heap_words(q));
    case PI_stack_size: return count(p, (UWord)(q->hend - q->stop));
    case PI_memory: return count(p, memory(q));
    case PI_reductions: return count(p, q->reductions + (q == p ? (UWord)(4000 - (q->fcalls > 0 ? q->fcalls : 0)) : 0));
    case PI_garbage_collection: {
        Term l = tb_cons(p, tb_tuple2(p, tb_atom_cstr("minor_gcs"), count(p, q->gen_gcs)), NIL);
        l = tb_cons(p, tb_tuple2(p, AM(fullsweep_after), count(p, q->max_gen_gcs)), l);
        l = tb_cons(p, tb_tuple2(p, AM(min_heap_size), count(p, q->min_heap_size)), l);
        l = tb_cons(p, tb_tuple2(p, AM(min_bin_vheap_size), make_small(46422)), l);
        return tb_cons(p, tb_tuple2(p, AM(max_heap_size), max_heap(p, q)), l);
    }
    case PI_garbage_collection_info: {
        static const char *const names[] = {"old_heap_block_size", "heap_block_size", "mbuf_size", "recent_size",
            "stack_size", "old_heap_size", "heap_size", "bin_vheap_size", "bin_vheap_block_size",
            "bin_old_vheap_size", "bin_old_vheap_block_size"};
        UWord v[] = {old_words(q), heap_words(q), frag_words(q->frags), (UWord)(q->htop - q->high_water),
                     (UWord)(q->hend - q->stop), (UWord)(q->old_htop - q->old_heap), (UWord)(q->htop - q->heap),
                     q->off_heap_bytes / sizeof(Term), 46422, 0, 46422};
        return kv_list(p, names, v, 11);
    }
    case PI_suspending: return NIL;
    case PI_min_heap_size: return count(p, q->min_heap_size);
    case PI_min_bin_vheap_size: return make_small(46422);
    case PI_fullsweep_after: return count(p, q->max_gen_gcs);
    case PI_catchlevel: return count(p, q->catches);
    case PI_last_calls: return AM_false;
    case PI_sequential_trace_token: return q->seq_token;
    case PI_message_queue_data: return tb_atom_cstr(q->flags & TB_PF_OFF_HEAP_MSGQ ? "off_heap" : "on_heap");
    case PI_parent: return q->parent;
    case PI_binary: {
        Term l = NIL;
        for (TbProcBin *pb = q->off_heap; pb; pb = pb->next)
            if (!is_magic_ref_header(pb->header)) l = tb_cons(p, tb_tuple3(p, count(p, (UWord)pb->val), count(p, pb->size), count(p, (UWord)pb->val->refc)), l);
        return l;
    }
    case PI_max_heap_size: return max_heap(p, q);
    case PI_magic_ref: return NIL;
    case PI_backtrace: return tb_new_binary(p, NULL, 0);
    case PI_trace: return make_small(0);
    }
    return AM_undefined;
}

static TbProcess *target(TbProcess *p, Term pid, bool *bad) {
    *bad = !is_internal_pid(pid);
    if (*bad) return NULL;
    TbProcess *q = tb_pid_lookup(pid);
    return q && q->status < TB_PS_EXITING ? q : NULL;
}

BIF_DECL(bif_process_info_2) {
    bool bad;
    TbProcess *q = target(p, args[0], &bad);
    Term what = args[1];
    if (bad) BADARG(p);
    if (is_atom(what)) {
        int it = item_index(what);
        if (it < 0) BADARG(p);
        if (!q) return AM_undefined;
        Term v = item_value(p, q, it);
        if (it == PI_registered_name && v == NIL) return NIL;   /* ERTS: [] when not registered */
        return tb_tuple2(p, what, v);
    }
    Term l = what;
    UWord n = 0;
    for (; is_list(l); l = CDR(list_val(l))) {
        if (!is_atom(CAR(list_val(l))) || item_index(CAR(list_val(l))) < 0) BADARG(p);
        n++;
    }
    if (l != NIL) BADARG(p);
    if (!q) return AM_undefined;
    Term res = NIL;
    for (l = what; is_list(l); l = CDR(list_val(l))) {
        Term a = CAR(list_val(l));
        res = tb_cons(p, tb_tuple2(p, a, item_value(p, q, item_index(a))), res);
    }
    return reverse(p, res);
}

BIF_DECL(bif_process_info_1) {
    bool bad;
    TbProcess *q = target(p, args[0], &bad);
    if (bad) BADARG(p);
    if (!q) return AM_undefined;
    static const int keys[] = {PI_current_function, PI_initial_call, PI_status, PI_message_queue_len, PI_links,
        PI_dictionary, PI_trap_exit, PI_error_handler, PI_priority, PI_group_leader, PI_total_heap_size,
        PI_heap_size, PI_stack_size, PI_reductions, PI_garbage_collection, PI_suspending};
    Term res = NIL;
    for (size_t i = sizeof keys / sizeof keys[0]; i-- > 0;) {
        item_index(AM_undefined);               /* makes the item atoms */
        res = tb_cons(p, tb_tuple2(p, item_atoms[keys[i]], item_value(p, q, keys[i])), res);
    }
    if (q->reg_name != NIL) res = tb_cons(p, tb_tuple2(p, item_atoms[PI_registered_name], q->reg_name), res);
    return res;
}
