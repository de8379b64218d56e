/* bif_timer.c — erlang:send_after/3,4, start_timer/3,4, cancel_timer/1,2,
 * read_timer/1,2, and what a BIF timer does when it fires.  The timer
 * heap itself is emu/timer.c, per scheduler. */
#include "bif.h"
#include "../emu/timer.h"
#include "../emu/scheduler.h"
#include "../emu/msg.h"
#include "../emu/ptab.h"
#include "../emu/signals.h"
#include <stdlib.h>
#include <string.h>

/* Monotonic nanoseconds are signed 64-bit like ERTS's: that bounds timeouts. */
#define MAX_NS ((uint64_t)INT64_MAX)

static void unlink_proc(TbTimer *t) {
    if (!t->pprev) return;
    *t->pprev = t->pnext;
    if (t->pnext) t->pnext->pprev = t->pprev;
    t->pprev = NULL;
}

static void free_timer(TbTimer *t) {
    unlink_proc(t);
    if (t->frag) tb_heap_frag_free(t->frag);
    free(t);
}

/* The process is ending: its pending BIF timers go (as in ERTS). */
void tb_bif_timers_cancel_all(TbProcess *p) {
    TbTimers *tm = &p->sched->timers;
    while (p->bif_timers) {
        TbTimer *t = p->bif_timers;
        tb_timer_remove(tm, t);
        tb_timer_hash_del(tm, t);
        free_timer(t);
    }
}

int64_t tb_vm_start_ns(void);   /* bif_system.c */

static Term start(TbProcess *p, Term time, Term dest, Term msg, Term opts, int kind) {
    bool abs = false;
    Term l = opts;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (!is_tuple(o) || tuple_arity(o) != 2 || tuple_val(o)[1] != AM(abs) ||
            (tuple_val(o)[2] != AM_true && tuple_val(o)[2] != AM_false)) BADARG(p);
        abs = tuple_val(o)[2] == AM_true;
    }
    if (l != NIL || !is_small(time)) BADARG(p);
    if (!is_internal_pid(dest) && !is_atom(dest)) BADARG(p);
    uint64_t now = tb_now_ns(), expire;
    SWord ms = small_val(time);
    if (abs) {                                   /* not before the VM started, not past the clock's range */
        if (ms < tb_vm_start_ns() / 1000000 || (uint64_t)ms > MAX_NS / 1000000u) BADARG(p);
        expire = (uint64_t)ms * 1000000u;
    } else {
        if (ms < 0 || (uint64_t)ms > (MAX_NS - now) / 1000000u) BADARG(p);
        expire = now + (uint64_t)ms * 1000000u;
    }
    TbTimer *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->kind = (uint8_t)kind;
    t->expire = expire;
    t->dest = dest;
    tb_ref_new_nums(t->ref);
    Term ref = tb_ref_make(p, t->ref);
    if (kind == TB_TMR_TIMEOUT) {                /* {timeout, Ref, Msg} */
        Term *hp;
        Term m = tb_msg_copy(msg, 4 + REF_THING_WORDS, &t->frag, &hp);
        Term *rp = hp + 4;
        memcpy(rp, boxed_val(ref), REF_THING_WORDS * sizeof(Term));
        hp[0] = make_arityval(3); hp[1] = AM(timeout); hp[2] = make_boxed(rp); hp[3] = m;
        t->msg = make_boxed(hp);
    } else {
        t->msg = tb_msg_copy(msg, 0, &t->frag, NULL);
    }
    if (is_internal_pid(dest)) {
        TbProcess *to = tb_pid_lookup(dest);
        if (!to || to->status >= TB_PS_EXITING) { free_timer(t); return ref; }   /* nothing to wait for */
        t->pnext = to->bif_timers;
        if (t->pnext) t->pnext->pprev = &t->pnext;
        t->pprev = &to->bif_timers;
        to->bif_timers = t;
    }
    TbTimers *tm = &p->sched->timers;
    tb_timer_insert(tm, t);
    tb_timer_hash_add(tm, t);
    return ref;
}

BIF_DECL(bif_send_after_3) { return start(p, args[0], args[1], args[2], NIL, TB_TMR_SEND); }
BIF_DECL(bif_send_after_4) { return start(p, args[0], args[1], args[2], args[3], TB_TMR_SEND); }
BIF_DECL(bif_start_timer_3) { return start(p, args[0], args[1], args[2], NIL, TB_TMR_TIMEOUT); }
BIF_DECL(bif_start_timer_4) { return start(p, args[0], args[1], args[2], args[3], TB_TMR_TIMEOUT); }

/* The timer fired: deliver its message (dropped if the receiver is gone). */
void tb_bif_timer_fire(TbScheduler *s, TbTimer *t) {
    (void)s;
    TbProcess *to = is_atom(t->dest) ? tb_reg_whereis(t->dest) : tb_pid_lookup(t->dest);
    if (to && to->status < TB_PS_EXITING) {
        tb_msg_enqueue(to, t->msg, t->frag);
        t->frag = NULL;
    }
    free_timer(t);
}

/* Milliseconds left, rounded up (ERTS answers 1000 right after a 1000 ms start). */
static Term time_left(TbProcess *p, TbTimer *t) {
    uint64_t now = tb_now_ns();
    uint64_t left = t->expire > now ? (t->expire - now + 999999u) / 1000000u : 0;
    (void)p;
    return make_small((SWord)left);
}

/* Options [{async, B}, {info, B}]; false on a bad list. */
static bool timer_opts(Term l, bool *async, bool *info) {
    *async = false;
    *info = true;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (!is_tuple(o) || tuple_arity(o) != 2) return false;
        Term k = tuple_val(o)[1], v = tuple_val(o)[2];
        if (v != AM_true && v != AM_false) return false;
        if (k == AM(async)) *async = v == AM_true;
        else if (k == AM(info)) *info = v == AM_true;
        else return false;
    }
    return l == NIL;
}

static Term timer_op(TbProcess *p, Term ref, Term opts, bool cancel) {
    bool async, info;
    if (!is_ref(ref) || !timer_opts(opts, &async, &info)) BADARG(p);
    TbTimers *tm = &p->sched->timers;
    TbTimer *t = tb_timer_hash_find(tm, tb_ref_numbers(ref));
    Term res = t ? time_left(p, t) : AM_false;
    if (t && cancel) {
        tb_timer_remove(tm, t);
        tb_timer_hash_del(tm, t);
        free_timer(t);
    }
    if (!async) return info ? res : AM(ok);
    if (info) {                                  /* {cancel_timer | read_timer, Ref, Result} */
        Term *hp = tb_halloc(p, 4);
        hp[0] = make_arityval(3); hp[1] = cancel ? AM(cancel_timer) : AM(read_timer); hp[2] = ref; hp[3] = res;
        tb_msg_send(p, p, make_boxed(hp));
    }
    return AM(ok);
}

BIF_DECL(bif_cancel_timer_1) { return timer_op(p, args[0], NIL, true); }
BIF_DECL(bif_cancel_timer_2) { return timer_op(p, args[0], args[1], true); }
BIF_DECL(bif_read_timer_1) { return timer_op(p, args[0], NIL, false); }
BIF_DECL(bif_read_timer_2) { return timer_op(p, args[0], args[1], false); }
