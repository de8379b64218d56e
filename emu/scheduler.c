/* scheduler.c — the scheduler loop: run queues, slices, receive timeouts, BIF
 * timers firing, sleeping when nothing is runnable, and turning a finished
 * slice into the process's next state. */
#include "scheduler.h"
#include "interp.h"
#include "signals.h"
#include "msg.h"
#include "ptab.h"
#include "exception.h"
#include "atom.h"
#include "map.h"
#include "big.h"
#include "boot.h"
#include "poll.h"   /* ports: idle waits and I/O checks go through the poll set */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

TbScheduler tb_sched0;

void tb_sched_enqueue(TbProcess *p) {
    TbScheduler *s = p->sched;
    unsigned q = p->prio;
    if (p->status != TB_PS_EXITING) p->status = TB_PS_RUNNABLE;
    if (p->flags & TB_PF_IN_RUNQ) return;
    p->flags |= TB_PF_IN_RUNQ;
    p->rq_next = NULL;
    if (s->rq_tail[q]) s->rq_tail[q]->rq_next = p;
    else s->rq_head[q] = p;
    s->rq_tail[q] = p;
    s->rq_len[q]++;
}

void tb_sched_wake(TbProcess *p) {
    if (p->status == TB_PS_WAITING) tb_sched_enqueue(p);
}

static TbProcess *dequeue(TbScheduler *s, unsigned q) {
    TbProcess *p = s->rq_head[q];
    s->rq_head[q] = p->rq_next;
    if (!s->rq_head[q]) s->rq_tail[q] = NULL;
    s->rq_len[q]--;
    p->flags &= ~(UWord)TB_PF_IN_RUNQ;
    return p;
}

/* max, then high, then normal and low sharing time: a low process runs
 * once per 8 normal picks (ERTS lets low ones through in the same way). */
static TbProcess *pick(TbScheduler *s) {
    if (s->rq_head[TB_PRIO_MAX]) return dequeue(s, TB_PRIO_MAX);
    if (s->rq_head[TB_PRIO_HIGH]) return dequeue(s, TB_PRIO_HIGH);
    if (s->rq_head[TB_PRIO_NORMAL] && (!s->rq_head[TB_PRIO_LOW] || ++s->normal_picks % 8)) return dequeue(s, TB_PRIO_NORMAL);
    if (s->rq_head[TB_PRIO_LOW]) return dequeue(s, TB_PRIO_LOW);
    return NULL;
}

/* ---- timers ---- */
void tb_sched_set_recv_timer(TbProcess *p, uint64_t ms) {
    TbTimer *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->kind = TB_TMR_RECEIVE;
    t->proc = p;
    t->expire = tb_now_ns() + ms * 1000000u;
    tb_timer_insert(&p->sched->timers, t);
    p->recv_timer = t;
    p->flags |= TB_PF_TIMER;
}

void tb_sched_cancel_recv_timer(TbProcess *p) {
    if (p->recv_timer) {
        tb_timer_remove(&p->sched->timers, p->recv_timer);
        free(p->recv_timer);
        p->recv_timer = NULL;
    }
    p->flags &= ~(UWord)(TB_PF_TIMER | TB_PF_TIMED_OUT);
}

void tb_bif_timer_fire(TbScheduler *s, TbTimer *t);   /* bifs/bif_timer.c */

static void fire_timers(TbScheduler *s) {
    if (!s->timers.n) return;
    uint64_t now = tb_now_ns();
    TbTimer *t;
    while ((t = tb_timer_pop_expired(&s->timers, now))) {
        if (t->kind == TB_TMR_RECEIVE) {
            TbProcess *p = t->proc;
            p->recv_timer = NULL;
            p->flags = (p->flags & ~(UWord)TB_PF_TIMER) | TB_PF_TIMED_OUT;
            if (p->status == TB_PS_WAITING) {
                p->i = p->timeout_pc;
                tb_sched_enqueue(p);
            }
            free(t);
        } else {
            tb_bif_timer_fire(s, t);
        }
    }
}

static void sleep_until(uint64_t when) {
    /* ports: sleep in the poll set (UINT64_MAX: until I/O), so that port I/O wakes us too */
    uint64_t now = tb_now_ns();
    tb_poll_wait(when == UINT64_MAX ? -1 : when > now ? (int64_t)(when - now) : 0);
}

/* ---- ending a process ---- */

/* The exit reason of an uncaught exception: error -> {R, Stack},
 * throw -> {{nocatch, R}, Stack}, exit -> R. */
static Term uncaught_reason(TbProcess *p) {
    UWord cls = p->freason & EXC_CLASS_MASK;
    if (cls == EXC_CLASS_EXIT) return p->fvalue;
    Term st = tb_build_stacktrace(p, p->ftrace);
    Term r = p->fvalue;
    Term *hp;
    if (cls == EXC_CLASS_THROW) {
        hp = tb_halloc(p, 3);
        hp[0] = make_arityval(2); hp[1] = AM(nocatch); hp[2] = r;
        r = make_boxed(hp);
    }
    hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = r; hp[2] = st;
    return make_boxed(hp);
}

extern Term tb_system_logger;          /* bifs/bif_system.c */

/* ERTS's report to the system logger: {log, error, Format, [Pid, Reason], Meta}. */
static bool log_to_system_logger(TbProcess *p, Term reason) {
    Term sl = tb_system_logger;
    TbProcess *lg = NULL;
    if (sl == TB_NONE || sl == tb_atom_cstr("logger")) lg = tb_reg_whereis(tb_atom_cstr("logger"));
    else if (is_internal_pid(sl)) lg = tb_pid_lookup(sl);
    if (!lg || lg->status >= TB_PS_EXITING || lg == p) return false;
    static const char fmt[] = "Error in process ~p with exit value:~n~p~n";
    size_t n = sizeof fmt - 1;
    Term *hp = tb_halloc(p, 2 * n), s = NIL;
    for (size_t i = n; i-- > 0;) { hp[0] = make_small((uint8_t)fmt[i]); hp[1] = s; s = make_list(hp); hp += 2; }
    hp = tb_halloc(p, 4);
    hp[0] = p->id; hp[1] = make_list(hp + 2); hp[2] = reason; hp[3] = NIL;
    Term args = make_list(hp);
    Term ek[2] = {tb_atom_cstr("emulator"), tb_atom_cstr("tag")}, ev[2] = {AM_true, AM(error)};
    Term el = tb_map_from_pairs(p, ek, ev, 2);
    Term mk[4] = {tb_atom_cstr("error_logger"), tb_atom_cstr("gl"), tb_atom_cstr("pid"), tb_atom_cstr("time")};
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    Term mv[4] = {el, p->group_leader, p->id,
                  tb_make_integer(p, (SWord)ts.tv_sec * 1000000 + ts.tv_nsec / 1000)};
    Term meta = tb_map_from_pairs(p, mk, mv, 4);
    hp = tb_halloc(p, 6);
    hp[0] = make_arityval(5); hp[1] = tb_atom_cstr("log"); hp[2] = AM(error); hp[3] = s; hp[4] = args; hp[5] = meta;
    tb_msg_send(p, lg, make_boxed(hp));
    return true;
}

static void error_report(TbProcess *p, Term reason) {
    if (log_to_system_logger(p, reason)) return;
    fflush(stdout);
    fputs("=ERROR REPORT==== Error in process ", stderr);
    tb_fprint_term(stderr, p->id);
    fputs(" with exit value:\n", stderr);
    tb_fprint_term(stderr, reason);
    fputs("\n\n", stderr);
}

/* The slice ended with the process finished (r == TB_RUN_EXIT). */
static void finished(TbScheduler *s, TbProcess *p) {
    Term reason;
    if (p->status == TB_PS_EXITING) {          /* killed during its last slice */
        reason = p->exit_reason;
        if (p == s->main && reason != AM(normal)) s->main_status = 1;
    } else if (p->freason == 0) reason = AM(normal);
    else if (p->freason == TB_TRAP_EXIT) {
        reason = p->fvalue;
        if (p == s->main && reason != AM(normal)) {
            fputs("tbeam: main process exited: ", stderr);
            tb_fprint_term(stderr, reason);
            fputc('\n', stderr);
            s->main_status = 1;
        }
    } else {
        if (p == s->main) { tb_report_uncaught(p, stderr); s->main_status = 1; }
        reason = uncaught_reason(p);
        UWord cls = p->freason & EXC_CLASS_MASK;
        if (p != s->main && cls != EXC_CLASS_EXIT) error_report(p, reason);
    }
    if (p == s->main) s->main = NULL;
    tb_proc_exit(p, reason);
}

/* Save the live X registers of a process leaving the CPU. */
static void save_regs(TbScheduler *s, TbProcess *p) {
    unsigned n = p->arity;
    if (n > p->arg_cap) {
        if (p->arg_reg != p->def_arg_reg) free(p->arg_reg);
        p->arg_reg = malloc(n * sizeof(Term));
        if (!p->arg_reg) abort();
        p->arg_cap = n;
    }
    for (unsigned i = 0; i < n; i++) p->arg_reg[i] = s->x[i];
    p->x = p->arg_reg;
}

int tb_sched_loop(TbScheduler *s) {
    for (;;) {
        fire_timers(s);
        if (tb_poll_active()) {   /* ports: a busy VM still sees I/O (every 16 slices or 1 ms) */
            static unsigned poll_ticks;
            static uint64_t poll_last;
            uint64_t now = tb_now_ns();
            if (++poll_ticks >= 16 || now - poll_last >= 1000000u) { poll_ticks = 0; poll_last = now; tb_poll_wait(0); }
        }
        TbProcess *p = pick(s);
        if (!p) {
            if (!s->main && !tb_boot_mode) return s->main_status;
            uint64_t next = tb_timer_next(&s->timers);
            if (next == UINT64_MAX && tb_boot_mode) next = tb_now_ns() + 1000000000u;   /* idle: only I/O or halt can come */
            if (next == UINT64_MAX && !tb_poll_active()) {   /* ports: not while a port may still deliver */
                /* bare mode: nothing can wake anyone any more */
                fflush(stdout);
                fputs("tbeam: deadlock: every process waits for a message that cannot come\n", stderr);
                return 1;
            }
            sleep_until(next);
            continue;
        }
        if (p->status == TB_PS_EXITING) {
            bool was_main = p == s->main;
            Term r = p->exit_reason;
            if (was_main) { s->main = NULL; s->main_status = r == AM(normal) ? 0 : 1; }
            tb_proc_exit(p, r);
            if (was_main) return s->main_status;
            continue;
        }
        s->current = p;
        p->status = TB_PS_RUNNING;
        p->flags &= ~(UWord)TB_PF_HIBERNATE;
        for (unsigned i = 0; i < p->arity; i++) s->x[i] = p->x[i];
        p->x = s->x;
        p->fcalls = TB_CONTEXT_REDS;
        int r = tb_interp_run(p);
        UWord used = (UWord)(TB_CONTEXT_REDS - (p->fcalls > 0 ? p->fcalls : 0));
        p->reductions += used;
        s->reductions += used;
        s->context_switches++;
        s->current = NULL;
        if (r == TB_RUN_EXIT) {
            bool was_main = p == s->main;
            finished(s, p);
            if (was_main) return s->main_status;
            continue;
        }
        save_regs(s, p);
        if (p->status == TB_PS_EXITING) { tb_sched_enqueue(p); continue; }
        if (r == TB_RUN_YIELD) { tb_sched_enqueue(p); continue; }
        /* TB_RUN_WAIT: a message may already be there (hibernate) */
        p->status = TB_PS_WAITING;
        if ((p->flags & TB_PF_HIBERNATE) && p->msg_first) tb_sched_enqueue(p);
    }
}
