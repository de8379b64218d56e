/* signals.c — links, monitors, exit signals and termination (see signals.h). */
#include "signals.h"
#include "msg.h"
#include "ptab.h"
#include "scheduler.h"
#include "atom.h"
#include "gc.h"
#include "alias.h"
#include "../stdlib-c/ets.h"
#include "exception.h"
#include "port.h"   /* ports: links and monitors of ports end with the process */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Link and monitor lists are shared by processes and ports (emu/port.c). */
bool tb_link_list_add(TbLink **list, Term pid) {
    for (TbLink *l = *list; l; l = l->next)
        if (l->pid == pid) return false;
    TbLink *l = malloc(sizeof *l);
    if (!l) abort();
    l->pid = pid;
    l->next = *list;
    *list = l;
    return true;
}
bool tb_link_add(TbProcess *p, Term pid) { return tb_link_list_add(&p->links, pid); }

bool tb_link_list_remove(TbLink **list, Term pid) {
    for (TbLink **l = list; *l; l = &(*l)->next)
        if ((*l)->pid == pid) {
            TbLink *d = *l;
            *l = d->next;
            free(d);
            return true;
        }
    return false;
}
bool tb_link_remove(TbProcess *p, Term pid) { return tb_link_list_remove(&p->links, pid); }

void tb_mon_list_add(TbMon **list, const uint32_t ref[3], Term pid, Term name, bool origin) {
    TbMon *m = malloc(sizeof *m);
    if (!m) abort();
    memcpy(m->ref, ref, sizeof m->ref);
    m->pid = pid;
    m->name = name;
    m->origin = origin;
    m->next = *list;
    *list = m;
}
void tb_mon_add(TbProcess *p, const uint32_t ref[3], Term pid, Term name, bool origin) {
    tb_mon_list_add(&p->mons, ref, pid, name, origin);
}

TbMon *tb_mon_take(TbProcess *p, const uint32_t ref[3], bool origin) {
    for (TbMon **m = &p->mons; *m; m = &(*m)->next) {
        TbMon *d = *m;
        if (d->origin == origin && d->ref[0] == ref[0] && d->ref[1] == ref[1] && d->ref[2] == ref[2]) {
            *m = d->next;
            return d;
        }
    }
    return NULL;
}

bool tb_demonitor(TbProcess *p, const uint32_t ref[3]) {
    TbMon *m = tb_mon_take(p, ref, true);
    if (!m) return false;
    TbProcess *q = tb_pid_lookup(m->pid);
    if (q) free(tb_mon_take(q, ref, false));
    else if (is_internal_port(m->pid)) tb_port_demonitor(m->pid, ref);   /* ports */
    free(m);
    return true;
}

/* References: ERTS's layout, num[1]'s low bits name the scheduler (1). */
static uint64_t ref_counter = 1;
void tb_ref_new_nums(uint32_t num[3]) {
    uint64_t n = ref_counter++;
    num[0] = (uint32_t)(n & 0x3FFFF);
    num[1] = (uint32_t)((n & 0xFFFC0000u) | 1);
    num[2] = (uint32_t)(n >> 32);
}

static Term ref_at(Term *hp, const uint32_t num[3]) {
    TbRefThing *r = (TbRefThing *)hp;
    r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
    memcpy(r->num, num, 3 * sizeof(uint32_t));
    r->num[3] = 0;
    return make_boxed(hp);
}

Term tb_ref_make(TbProcess *p, const uint32_t num[3]) {
    return ref_at(tb_halloc(p, REF_THING_WORDS), num);
}

void tb_send_exit_msg(TbProcess *to, Term from, Term reason) {
    TbHeapFrag *f;
    Term *hp;
    Term r = tb_msg_copy(reason, 4, &f, &hp);
    hp[0] = make_arityval(3);
    hp[1] = AM(EXIT);
    hp[2] = from;
    hp[3] = r;
    tb_msg_enqueue(to, make_boxed(hp), f);
}

void tb_send_down(TbProcess *to, const uint32_t ref[3], Term pid, Term name, Term reason) {
    TbHeapFrag *f;
    Term *hp;
    Term r = tb_msg_copy(reason, 6 + REF_THING_WORDS + 3, &f, &hp);
    Term obj = pid;
    if (name != NIL) {
        Term *t = hp + 6 + REF_THING_WORDS;
        t[0] = make_arityval(2);
        t[1] = name;
        t[2] = AM(nonode_at_nohost);
        obj = make_boxed(t);
    }
    hp[0] = make_arityval(5);
    hp[1] = AM(DOWN);
    hp[2] = ref_at(hp + 6, ref);
    hp[3] = AM(process);
    hp[4] = obj;
    hp[5] = r;
    tb_msg_enqueue(to, make_boxed(hp), f);
}

void tb_proc_kill(TbProcess *p, Term reason) {
    if (p->status >= TB_PS_EXITING) return;
    TbHeapFrag *f;
    p->exit_reason = tb_msg_copy(reason, 0, &f, NULL);
    p->exit_frag = f;
    bool running = p->status == TB_PS_RUNNING;
    p->status = TB_PS_EXITING;
    /* a running process is queued by the scheduler when its slice ends */
    if (!running) tb_sched_enqueue(p);
}

void tb_max_heap_reached(TbProcess *p, size_t total) {
    if (p->max_heap_flags & TB_MAX_HEAP_LOG) {
        fflush(stdout);
        fputs("=ERROR REPORT====\n     Process:            ", stderr);
        tb_fprint_term(stderr, p->id);
        fprintf(stderr, "\n     Context:            maximum heap size reached\n"
                        "     Max Heap Size:      %zu\n     Total Heap Size:    %zu\n"
                        "     Kill:               %s\n     Error Logger:       true\n"
                        "     Message Queue Len:  %lu\n\n",
                p->max_heap_size, total, p->max_heap_flags & TB_MAX_HEAP_KILL ? "true" : "false",
                (unsigned long)p->msg_len);
    }
    if (p->max_heap_flags & TB_MAX_HEAP_KILL) tb_proc_kill(p, AM(killed));
}

void tb_signal_exit(TbProcess *to, Term from, Term reason, bool exit2) {
    if (to->status >= TB_PS_EXITING) return;
    if (exit2 && reason == AM(kill)) { tb_proc_kill(to, AM(killed)); return; }
    if (to->flags & TB_PF_TRAP_EXIT) { tb_send_exit_msg(to, from, reason); return; }
    if (reason == AM(normal)) return;
    tb_proc_kill(to, reason);
}

void tb_bif_timers_cancel_all(TbProcess *p);   /* bifs/bif_timer.c */
void tb_suspend_release_all(Term suspender);   /* bifs/bif_misc_boot.c */

void tb_proc_exit(TbProcess *p, Term reason) {
    p->status = TB_PS_EXITING;
    if (p->flags & (TB_PF_TIMER | TB_PF_TIMED_OUT)) tb_sched_cancel_recv_timer(p);
    if (p->reg_name != NIL) tb_reg_unregister(p->reg_name);
    tb_ets_process_exit(p);                   /* before links and monitors fire, as ERTS */
    tb_suspend_release_all(p->id);            /* what it suspended runs again */
    for (TbLink *l = p->links, *n; l; l = n) {
        n = l->next;
        TbProcess *q = tb_pid_lookup(l->pid);
        if (q && tb_link_remove(q, p->id)) tb_signal_exit(q, p->id, reason, false);
        else if (is_internal_port(l->pid)) tb_port_link_exit(l->pid, p->id, reason);   /* ports: may close it */
        free(l);
    }
    p->links = NULL;
    for (TbMon *m = p->mons, *n; m; m = n) {
        n = m->next;
        TbProcess *q = tb_pid_lookup(m->pid);
        if (q) {
            TbMon *peer = tb_mon_take(q, m->ref, !m->origin);
            if (!m->origin && peer) {
                tb_alias_remove(q, m->ref);          /* {alias, demonitor}: gone with the monitor */
                tb_send_down(q, m->ref, p->id, peer->name, reason);
            }
            free(peer);
        } else if (is_internal_port(m->pid)) tb_port_mon_gone(m->pid, m->ref, m->origin, p->id);   /* ports */
        free(m);
    }
    p->mons = NULL;
    tb_alias_drop_all(p);
    tb_bif_timers_cancel_all(p);
    tb_ptab_remove(p);
    p->status = TB_PS_FREE;
    tb_process_free(p);
}
