/* bif_trace.c — the tracing BIFs as ERTS 25 answers them while nothing is
 * traced: erlang:trace_info/2, erts_internal:trace/3 and trace_pattern/3,
 * erlang:dt_restore_tag/1 and dt_spread_tag/1 (no dynamic tracing).
 *
 * tbeam has no tracing machinery yet: trace/3 and trace_pattern/3 check
 * their arguments and return the number of processes/ports or functions
 * they match, exactly as ERTS counts them, but turn nothing on (a request
 * to trace is accepted and ignored).  trace_info/2 reports "not traced" for
 * everything that exists.  ERTS tags some badargs with an error_info cause
 * (badopt, match_spec, none); the exception itself is the same badarg. */
#include "bif.h"
#include "../emu/ptab.h"

TbModule *tb_module_first(void);                         /* emu/module.c */
/* ports (emu/port.c), if linked in */
struct TbPort;
extern UWord tb_port_count(void) __attribute__((weak));
extern struct TbPort *tb_port_lookup(Term id) __attribute__((weak));

static Term am_flags, am_tracer, am_new, am_new_processes, am_new_ports, am_existing, am_processes,
    am_existing_processes, am_ports, am_existing_ports, am_on_load, am_send, am_receive, am_match_spec,
    am_underscore, am_global, am_meta, am_call_count, am_call_time, am_restart, am_pause;
static Term trace_flag_atoms[24];
static unsigned n_trace_flags;

static void atoms_init(void) {
    if (am_pause) return;
    am_flags = tb_atom_cstr("flags");
    am_tracer = tb_atom_cstr("tracer");
    am_new = tb_atom_cstr("new");
    am_new_processes = tb_atom_cstr("new_processes");
    am_new_ports = tb_atom_cstr("new_ports");
    am_existing = tb_atom_cstr("existing");
    am_processes = tb_atom_cstr("processes");
    am_existing_processes = tb_atom_cstr("existing_processes");
    am_ports = tb_atom_cstr("ports");
    am_existing_ports = tb_atom_cstr("existing_ports");
    am_on_load = tb_atom_cstr("on_load");
    am_send = tb_atom_cstr("send");
    am_receive = tb_atom_cstr("receive");
    am_match_spec = tb_atom_cstr("match_spec");
    am_underscore = tb_atom_cstr("_");
    am_global = tb_atom_cstr("global");
    am_meta = tb_atom_cstr("meta");
    am_call_count = tb_atom_cstr("call_count");
    am_call_time = tb_atom_cstr("call_time");
    am_restart = tb_atom_cstr("restart");
    static const char *const flags[] = {
        "all", "send", "receive", "procs", "ports", "call", "arity", "return_to", "silent", "running",
        "exiting", "running_procs", "running_ports", "garbage_collection", "timestamp",
        "monotonic_timestamp", "strict_monotonic_timestamp", "set_on_spawn", "set_on_first_spawn",
        "set_on_link", "set_on_first_link", "scheduler_id",
    };
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) trace_flag_atoms[n_trace_flags++] = tb_atom_cstr(flags[i]);
    am_pause = tb_atom_cstr("pause");
}

static bool proc_alive(Term pid) { return is_internal_pid(pid) && tb_pid_lookup(pid) != NULL; }
static bool port_alive(Term port) { return is_internal_port(port) && tb_port_lookup && tb_port_lookup(port) != NULL; }
static UWord ports_count(void) { return tb_port_count ? tb_port_count() : 0; }

/* The loaded (current) module of that name with code, or NULL. */
static TbModule *loaded(Term m) {
    TbModule *mod = tb_module_find(m);
    return mod && mod->code && !mod->on_load_pending ? mod : NULL;
}

static bool function_exists(Term m, Term f, SWord a) {
    TbModule *mod = loaded(m);
    if (!mod) return false;
    for (unsigned i = 0; i < mod->nfunc_starts; i++)
        if (mod->func_starts[i].function == f && (SWord)mod->func_starts[i].arity == a) return true;
    return false;
}

/* ---------------- trace_info/2 ---------------- */

BIF_DECL(bif_trace_info_2) {
    atoms_init();
    Term what = args[0], item = args[1];
    if (is_internal_pid(what) || is_internal_port(what)) {
        if (item != am_flags && item != am_tracer) BADARG(p);
        if (is_internal_pid(what) ? !proc_alive(what) : !port_alive(what)) return AM_undefined;
        return tb_tuple2(p, item, NIL);
    }
    if (what == am_new || what == am_new_processes || what == am_new_ports) {
        if (item != am_flags && item != am_tracer) BADARG(p);   /* ERTS: cause badopt for bad specs */
        return tb_tuple2(p, item, NIL);
    }
    if (what == am_on_load) return tb_tuple2(p, item, AM_false);
    if (what == am_send || what == am_receive) {
        if (item != am_match_spec) BADARG(p);
        return tb_tuple2(p, item, AM_true);           /* no match spec: every message */
    }
    if (is_tuple_arity(what, 3)) {
        Term *t = tuple_val(what);
        if (!is_atom(t[1]) || !is_atom(t[2]) || !is_small(t[3]) || t[1] == am_underscore || t[2] == am_underscore)
            BADARG(p);
        return tb_tuple2(p, item, function_exists(t[1], t[2], small_val(t[3])) ? AM_false : AM_undefined);
    }
    BADARG(p);
}

/* ---------------- erts_internal:trace/3 ---------------- */

/* (cpu_timestamp is badarg: ERTS 25 on this Linux has no per-thread CPU clock for it) */
static bool valid_trace_flags(Term l) {
    for (; is_list(l); l = CDR(list_val(l))) {
        Term f = CAR(list_val(l));
        if (is_atom(f)) {
            unsigned i = 0;
            while (i < n_trace_flags && trace_flag_atoms[i] != f) i++;
            if (i == n_trace_flags) return false;
        } else if (is_tuple_arity(f, 2) && tuple_val(f)[1] == am_tracer) {
            Term t = tuple_val(f)[2];
            if (!is_internal_pid(t) && !is_internal_port(t)) return false;
        } else if (is_tuple_arity(f, 3) && tuple_val(f)[1] == am_tracer) {
            if (!is_atom(tuple_val(f)[2])) return false;
        } else {
            return false;
        }
    }
    return l == NIL;
}

BIF_DECL(bif_ei_trace_3) {
    atoms_init();
    Term spec = args[0], how = args[1];
    if (how != AM_true && how != AM_false) BADARG(p);
    if (!valid_trace_flags(args[2])) BADARG(p);       /* ERTS: cause badopt */
    UWord procs = tb_ptab_count(), ports = ports_count();
    if (is_internal_pid(spec)) { if (!proc_alive(spec)) BADARG(p); return make_small(1); }
    if (is_internal_port(spec)) { if (!port_alive(spec)) BADARG(p); return make_small(1); }
    if (spec == AM(all) || spec == am_existing) return make_small((SWord)(procs + ports));
    if (spec == am_processes || spec == am_existing_processes) return make_small((SWord)procs);
    if (spec == am_ports || spec == am_existing_ports) return make_small((SWord)ports);
    if (spec == am_new || spec == am_new_processes || spec == am_new_ports) return make_small(0);
    BADARG(p);
}

/* ---------------- erts_internal:trace_pattern/3 ---------------- */

static bool is_proper_list(Term l) {
    while (is_list(l)) l = CDR(list_val(l));
    return l == NIL;
}

/* A match specification's shape: [{Head, Conditions, Body}] (the clauses
 * themselves are checked when tracing exists). */
static bool valid_ms(Term ms) {
    if (!is_proper_list(ms)) return false;
    for (; is_list(ms); ms = CDR(list_val(ms))) {
        Term c = CAR(list_val(ms));
        if (!is_tuple_arity(c, 3)) return false;
        Term *t = tuple_val(c);
        if (!(is_list(t[1]) || t[1] == NIL || is_atom(t[1])) || !is_proper_list(t[2]) || !is_proper_list(t[3]))
            return false;
    }
    return true;
}

/* Flags: global | local | meta | {meta, ...} | call_count | call_time, with
 * global alone.  *local: whether local functions count. */
static bool parse_pattern_flags(Term l, bool *local) {
    bool global = false, other = false;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term f = CAR(list_val(l));
        if (f == am_global) global = true;
        else if (f == AM(local) || f == am_meta || f == am_call_count || f == am_call_time) other = true;
        else if ((is_tuple_arity(f, 2) || is_tuple_arity(f, 3)) && tuple_val(f)[1] == am_meta) other = true;
        else return false;
    }
    if (l != NIL || (global && other)) return false;
    *local = other;
    return true;
}

static UWord count_module(TbModule *mod, Term f, Term a, bool local) {
    UWord n = 0;
    if (local) {
        for (unsigned i = 0; i < mod->nfunc_starts; i++) {
            const TbFuncStart *fs = &mod->func_starts[i];
            if ((f == am_underscore || fs->function == f) && (a == am_underscore || make_small(fs->arity) == a)) n++;
        }
    } else {
        for (unsigned i = 0; i < mod->nexps; i++) {
            const struct TbModExport *e = &mod->exps[i];
            if ((f == am_underscore || e->function == f) && (a == am_underscore || make_small(e->arity) == a)) n++;
        }
    }
    return n;
}

BIF_DECL(bif_ei_trace_pattern_3) {
    atoms_init();
    Term what = args[0], ms = args[1];
    bool local;
    if (!parse_pattern_flags(args[2], &local)) BADARG(p);        /* ERTS: cause badopt */
    bool ms_ok = ms == AM_true || ms == AM_false || valid_ms(ms);
    if (what == am_on_load) return make_small(0);
    if (what == am_send || what == am_receive) {
        if (!ms_ok || args[2] != NIL) BADARG(p);         /* no flags at all, not even global */
        return make_small(1);
    }
    if (!ms_ok && ms != am_restart && ms != am_pause) BADARG(p);   /* ERTS: cause match_spec */
    if (!is_tuple_arity(what, 3)) BADARG(p);                      /* ERTS: cause none */
    Term m = tuple_val(what)[1], f = tuple_val(what)[2], a = tuple_val(what)[3];
    if (!is_atom(m) || !is_atom(f) || !(is_integer(a) || a == am_underscore)) BADARG(p);
    if ((m == am_underscore && f != am_underscore) || (f == am_underscore && a != am_underscore)) BADARG(p);
    UWord n = 0;
    if (m == am_underscore) {
        for (TbModule *mod = tb_module_first(); mod; mod = mod->next)
            if (mod->code && !mod->on_load_pending) n += count_module(mod, f, a, local);
    } else {
        TbModule *mod = loaded(m);
        if (mod) n = count_module(mod, f, a, local);
    }
    return make_small((SWord)n);
}

/* ---------------- dynamic trace tags (no DTrace/SystemTap) ---------------- */

BIF_DECL(bif_dt_restore_tag_1) {
    if (args[0] != AM_true) BADARG(p);
    return AM_true;
}

/* DTrace tags: ERTS without VM probes (Debian's build) keeps none. */
BIF_DECL(bif_dt_get_tag_0) { return AM(undefined); }
BIF_DECL(bif_dt_get_tag_data_0) { return AM(undefined); }
BIF_DECL(bif_dt_put_tag_1) { return AM(undefined); }
BIF_DECL(bif_dt_prepend_vm_tag_data_1) { return args[0]; }
BIF_DECL(bif_dt_append_vm_tag_data_1) { return args[0]; }

BIF_DECL(bif_dt_spread_tag_1) {
    if (args[0] != AM_true && args[0] != AM_false) BADARG(p);
    return AM_true;
}
