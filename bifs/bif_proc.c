/* bif_proc.c — processes: spawn, exit signals, links, monitors, yield,
 * hibernate, send, liveness, garbage_collect and group leaders.  The
 * runtime side is in emu/spawn.c, emu/signals.c, emu/msg.c, emu/sched.c. */
#include "bif.h"
#include "../emu/spawn.h"
#include "../emu/signals.h"
#include "../emu/port.h"   /* ports: links, monitors, exit/2 with port ids */
#include "../emu/msg.h"
#include "../emu/ptab.h"
#include "../emu/scheduler.h"
#include "../emu/gc.h"
#include "../emu/compare.h"
#include "../emu/alias.h"
#include <string.h>
#include <stdlib.h>

static Term trap(TbProcess *p, UWord code, Term v) {
    p->freason = code;
    p->fvalue = v;
    p->ftop = NIL;
    return TB_NONE;
}

static bool ref_nums(Term ref, uint32_t n[3]) {
    if (!is_ref(ref)) return false;
    memcpy(n, tb_ref_numbers(ref), 3 * sizeof(uint32_t));
    return true;
}

/* ---------------- spawn ---------------- */

static bool is_proper_list(Term l) {
    while (is_list(l)) l = CDR(list_val(l));
    return l == NIL;
}

static Term do_spawn(TbProcess *p, Term *args, TbSpawnOpts *o) {
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_proper_list(args[2])) BADARG(p);
    TbProcess *c = tb_spawn(p, args[0], args[1], args[2], o);
    if (!c) return TB_NONE;
    if (o && o->monitor) return tb_tuple2(p, c->id, tb_ref_make(p, o->mon_ref));
    return c->id;
}

#define DEFAULT_OPTS .prio = TB_PRIO_NORMAL, .has_max_heap = true, .max_heap_size = tb_sys_max_heap_size, \
                     .max_heap_flags = (uint8_t)tb_sys_max_heap_flags
BIF_DECL(bif_spawn_3) {
    TbSpawnOpts o = {DEFAULT_OPTS};
    return do_spawn(p, args, &o);
}
BIF_DECL(bif_spawn_link_3) {
    TbSpawnOpts o = {DEFAULT_OPTS, .link = true};
    return do_spawn(p, args, &o);
}

static int prio_index(Term v) {
    if (v == AM(max)) return TB_PRIO_MAX;
    if (v == AM(high)) return TB_PRIO_HIGH;
    if (v == AM(normal)) return TB_PRIO_NORMAL;
    if (v == AM(low)) return TB_PRIO_LOW;
    return -1;
}

BIF_DECL(bif_spawn_opt_4) {
    TbSpawnOpts o = {DEFAULT_OPTS};
    Term l = args[3];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term opt = CAR(list_val(l));
        if (opt == AM(link)) { o.link = true; continue; }
        if (opt == AM(monitor)) { o.monitor = true; continue; }
        if (!is_tuple(opt) || tuple_arity(opt) != 2) BADARG(p);
        Term k = tuple_val(opt)[1], v = tuple_val(opt)[2];
        if (k == AM(monitor)) {
            if (!is_proper_list(v)) BADARG(p);
            o.monitor = true;
        } else if (k == AM(priority)) {
            int pr = prio_index(v);
            if (pr < 0) BADARG(p);
            o.prio = (uint8_t)pr;
        } else if (k == AM(min_heap_size)) {
            if (!is_small(v) || small_val(v) < 0) BADARG(p);
            o.min_heap_size = (size_t)small_val(v);
        } else if (k == AM(fullsweep_after)) {
            if (!is_small(v) || small_val(v) < 0) BADARG(p);
            o.has_fullsweep = true;
            o.max_gen_gcs = (UWord)small_val(v) & 0xffff;
        } else if (k == AM(min_bin_vheap_size)) {
            if (!is_small(v) || small_val(v) < 0) BADARG(p);
        } else if (k == AM(max_heap_size)) {
            UWord sz;
            unsigned fl;
            if (!tb_parse_max_heap(v, &sz, &fl)) BADARG(p);
            o.has_max_heap = true;
            o.max_heap_size = sz;
            o.max_heap_flags = (uint8_t)fl;
        } else if (k == AM(message_queue_data)) {
            if (v != tb_atom_cstr("on_heap") && v != tb_atom_cstr("off_heap")) BADARG(p);
        } else BADARG(p);
    }
    if (l != NIL) BADARG(p);
    return do_spawn(p, args, &o);
}

/* ---------------- exit signals and links ---------------- */

BIF_DECL(bif_exit_2) {
    Term to = args[0], reason = args[1];
    if (!is_pid(to) && !is_port(to)) BADARG(p);
    if (to == p->id) {
        if (reason == AM(kill)) return trap(p, TB_TRAP_EXIT, AM(killed));
        if (p->flags & TB_PF_TRAP_EXIT) { tb_send_exit_msg(p, p->id, reason); return AM_true; }
        return trap(p, TB_TRAP_EXIT, reason);       /* exit(self(), normal) ends us too */
    }
    if (is_internal_port(to)) { tb_port_exit_signal(to, p->id, reason, true); return AM_true; }   /* ports */
    TbProcess *q = tb_pid_lookup(to);
    if (q) tb_signal_exit(q, p->id, reason, true);
    return AM_true;
}

BIF_DECL(bif_link_1) {
    Term to = args[0];
    if (!is_pid(to) && !is_port(to)) BADARG(p);
    if (to == p->id) return AM_true;
    if (is_internal_port(to)) { tb_port_link(p, to); return AM_true; }   /* ports */
    TbProcess *q = tb_pid_lookup(to);
    if (!q || q->status >= TB_PS_EXITING) {
        if (p->flags & TB_PF_TRAP_EXIT) { tb_send_exit_msg(p, to, AM(noproc)); return AM_true; }
        BIF_ERROR(p, AM(noproc));
    }
    tb_link_add(p, to);
    tb_link_add(q, p->id);
    return AM_true;
}

BIF_DECL(bif_unlink_1) {
    Term to = args[0];
    if (!is_pid(to) && !is_port(to)) BADARG(p);
    if (is_internal_port(to)) { tb_port_unlink(p, to); return AM_true; }   /* ports */
    tb_link_remove(p, to);
    TbProcess *q = tb_pid_lookup(to);
    if (q) tb_link_remove(q, p->id);
    return AM_true;
}

/* ---------------- monitors ---------------- */

/* alias_mode: -1 for none, else TB_ALIAS_* (monitor/3's {alias, Mode}). */
static Term do_monitor(TbProcess *p, Term type, Term item, int alias_mode) {
    if (type == tb_atom_cstr("port")) {   /* ports: monitor(port, Port | Name) */
        Term r = tb_port_monitor(p, item);
        if (r == TB_NONE) BADARG(p);
        return r;
    }
    if (type != AM(process)) BADARG(p);
    Term name = NIL;
    TbProcess *q;
    if (is_internal_pid(item)) {
        q = tb_pid_lookup(item);
    } else if (is_atom(item)) {
        name = item;
        q = tb_reg_whereis(item);
    } else if (is_tuple(item) && tuple_arity(item) == 2 && is_atom(tuple_val(item)[1]) &&
               tuple_val(item)[2] == AM(nonode_at_nohost)) {
        name = tuple_val(item)[1];
        q = tb_reg_whereis(name);
    } else BADARG(p);
    uint32_t ref[3];
    tb_ref_new_nums(ref);
    bool dead = !q || q->status >= TB_PS_EXITING;
    /* the alias first: the 'DOWN' of a dead target ends a demonitor-mode alias */
    if (alias_mode >= 0 && !(dead && alias_mode != TB_ALIAS_EXPLICIT)) tb_alias_add(p, ref, alias_mode);
    if (dead) {
        tb_send_down(p, ref, item, name, AM(noproc));
    } else if (q != p) {
        tb_mon_add(p, ref, q->id, name, true);
        tb_mon_add(q, ref, p->id, NIL, false);
    }
    return tb_ref_make(p, ref);
}

static int alias_mode_of(Term v) {
    if (v == tb_atom_cstr("explicit_unalias")) return TB_ALIAS_EXPLICIT;
    if (v == tb_atom_cstr("demonitor")) return TB_ALIAS_DEMONITOR;
    if (v == tb_atom_cstr("reply_demonitor")) return TB_ALIAS_REPLY_DEMONITOR;
    return -1;
}

BIF_DECL(bif_monitor_2) { return do_monitor(p, args[0], args[1], -1); }
BIF_DECL(bif_monitor_3) {
    int mode = -1;
    Term l = args[2];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (!is_tuple(o) || tuple_arity(o) != 2) BADARG(p);
        if (tuple_val(o)[1] == tb_atom_cstr("alias")) {
            if ((mode = alias_mode_of(tuple_val(o)[2])) < 0) BADARG(p);
        } else if (tuple_val(o)[1] != tb_atom_cstr("tag")) BADARG(p);
    }
    if (l != NIL) BADARG(p);
    return do_monitor(p, args[0], args[1], mode);
}

/* Remove the monitor (and a monitor-bound alias); true if it was active. */
static bool demonitor(TbProcess *p, Term ref) {
    uint32_t n[3];
    ref_nums(ref, n);
    int mode;
    if (tb_alias_owner(n, &mode) == p && mode != TB_ALIAS_EXPLICIT) tb_alias_remove(p, n);
    return tb_demonitor(p, n);
}

/* alias(Opts): explicit_unalias (default) or reply. */
BIF_DECL(bif_alias_1) {
    int mode = TB_ALIAS_EXPLICIT;
    Term l = args[0];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == tb_atom_cstr("explicit_unalias")) mode = TB_ALIAS_EXPLICIT;
        else if (o == tb_atom_cstr("reply")) mode = TB_ALIAS_REPLY_DEMONITOR;
        else BADARG(p);
    }
    if (l != NIL) BADARG(p);
    uint32_t n[3];
    tb_ref_new_nums(n);
    tb_alias_add(p, n, mode);
    return tb_ref_make(p, n);
}

BIF_DECL(bif_unalias_1) {
    if (!is_ref(args[0])) BADARG(p);
    return tb_alias_remove(p, tb_ref_numbers(args[0])) ? AM_true : AM_false;
}

BIF_DECL(bif_demonitor_1) {
    if (!is_ref(args[0])) BADARG(p);
    demonitor(p, args[0]);
    return AM_true;
}

/* Drop the {'DOWN', Ref, ...} message of this monitor from the queue. */
static void flush_down(TbProcess *p, Term ref) {
    for (TbMessage **mp = &p->msg_first; *mp; mp = &(*mp)->next) {
        Term m = (*mp)->msg;
        if (is_tuple(m) && tuple_arity(m) == 5 && tuple_val(m)[1] == AM(DOWN) && tb_eq_exact(tuple_val(m)[2], ref)) {
            p->msg_save = mp;
            tb_msg_remove(p);
            return;
        }
    }
}

BIF_DECL(bif_demonitor_2) {
    if (!is_ref(args[0])) BADARG(p);
    bool flush = false, info = false;
    Term l = args[1];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == AM(flush)) flush = true;
        else if (o == AM(info)) info = true;
        else BADARG(p);
    }
    if (l != NIL) BADARG(p);
    bool was = demonitor(p, args[0]);
    if (flush) flush_down(p, args[0]);
    return info ? (was ? AM_true : AM_false) : AM_true;
}

/* ---------------- scheduling ---------------- */

BIF_DECL(bif_yield_0) { (void)args; return trap(p, TB_TRAP_YIELD, AM_true); }

BIF_DECL(bif_hibernate_3) {
    Term m = args[0], f = args[1], a = args[2];
    UWord n = 0;
    Term l = a;
    for (; is_list(l); l = CDR(list_val(l))) n++;
    if (!is_atom(m) || !is_atom(f) || l != NIL || n > 255) BADARG(p);
    for (unsigned i = 0; is_list(a); a = CDR(list_val(a)), i++) p->x[i] = CAR(list_val(a));
    /* the stack goes: returning from M:F ends the process */
    p->stop = p->hend;
    *--p->stop = (Term)tb_spawn_exit_cp();
    p->catches = 0;
    tb_gc_major(p, 0, (int)n);
    p->i = tb_export_get(m, f, (unsigned)n)->code;
    p->arity = (unsigned)n;
    return trap(p, TB_TRAP_HIBERNATE, NIL);
}

/* ---------------- send ---------------- */

BIF_DECL(bif_send_2) { return tb_send(p, args[0], args[1]); }

BIF_DECL(bif_send_3) {
    Term l = args[2];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o != tb_atom_cstr("nosuspend") && o != tb_atom_cstr("noconnect")) BADARG(p);
    }
    if (l != NIL) BADARG(p);
    return tb_send(p, args[0], args[1]) == TB_NONE ? TB_NONE : AM(ok);
}

/* ---------------- liveness, processes ---------------- */

BIF_DECL(bif_is_process_alive_1) {
    if (!is_internal_pid(args[0])) BADARG(p);
    TbProcess *q = tb_pid_lookup(args[0]);
    return q && q->status < TB_PS_EXITING ? AM_true : AM_false;
}

BIF_DECL(bif_processes_0) {
    (void)args;
    UWord n = tb_ptab_count();
    Term *hp = tb_halloc(p, 2 * n), res = NIL;
    UWord i = 0, k = 0;
    Term *cells = hp;
    TbProcess *q;
    /* in table order, like ERTS */
    while ((q = tb_ptab_next(&i)) && k < n) {
        if (q->status >= TB_PS_FREE) continue;
        cells[2 * k] = q->id;
        cells[2 * k + 1] = NIL;
        if (k) cells[2 * k - 1] = make_list(&cells[2 * k]);
        k++;
    }
    if (k) res = make_list(cells);
    return res;
}

/* ---------------- garbage collection ---------------- */

BIF_DECL(bif_ei_garbage_collect_1) {
    if (args[0] == AM(major)) tb_gc_major(p, 0, 0);
    else if (args[0] == AM(minor)) tb_gc(p, 0, 0);
    else BADARG(p);
    return AM_true;
}

bool tb_process_refers_old(TbProcess *q, Term mod);   /* bif_load.c */

/* {garbage_collect, ReqId, Type}: done at once (the target is not running,
 * one scheduler), answered with {garbage_collect, ReqId, Result}. */
static Term system_task(TbProcess *p, Term pid, Term req) {
    if (!is_pid(pid) || !is_tuple(req) || tuple_arity(req) < 2) BADARG(p);
    Term *t = tuple_val(req);
    TbProcess *q = tb_pid_lookup(pid);
    bool alive = q && q->status < TB_PS_EXITING;
    if (tuple_arity(req) == 3 && t[1] == tb_atom_cstr("check_process_code") && is_atom(t[3])) {
        /* {check_process_code, ReqId, Mod} -> {check_process_code, ReqId, Bool} */
        Term *hp = tb_halloc(p, 4);
        hp[0] = make_arityval(3); hp[1] = t[1]; hp[2] = t[2];
        hp[3] = alive && tb_process_refers_old(q, t[3]) ? AM_true : AM_false;
        tb_msg_send(p, p, make_boxed(hp));
        return AM(ok);
    }
    if (t[1] != AM(garbage_collect) || tuple_arity(req) != 3) BADARG(p);
    Term *hp = tb_halloc(p, 4);
    hp[0] = make_arityval(3); hp[1] = AM(garbage_collect); hp[2] = t[2]; hp[3] = alive ? AM_true : AM_false;
    tb_msg_send(p, p, make_boxed(hp));
    /* collect last: a collection moves the arguments */
    if (alive) {
        if (q == p) tb_gc_major(p, 0, 0);
        else tb_gc_major(q, 0, (int)q->arity);     /* q->x is its saved registers */
    }
    return AM(ok);
}

BIF_DECL(bif_ei_request_system_task_3) { return system_task(p, args[0], args[2]); }
BIF_DECL(bif_ei_request_system_task_4) { return system_task(p, args[0], args[2]); }

/* ---------------- group leaders ---------------- */

BIF_DECL(bif_group_leader_0) { (void)args; return p->group_leader; }

BIF_DECL(bif_ei_group_leader_2) {
    if (!is_pid(args[0]) || !is_pid(args[1])) return AM(badarg);
    TbProcess *q = tb_pid_lookup(args[1]);
    if (!q || q->status >= TB_PS_EXITING) return AM(badarg);
    q->group_leader = args[0];
    return AM_true;
}

BIF_DECL(bif_ei_group_leader_3) {
    Term r = bif_ei_group_leader_2(p, args);
    tb_msg_send(p, p, tb_tuple2(p, args[2], r));
    return AM_true;
}
