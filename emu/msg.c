/* msg.c — message passing.  A message sent to another process is copied
 * into a fragment of its own (literals and refc binaries are shared, as in
 * ERTS) and linked at the end of the receiver's queue; the receiver's GC
 * later copies it into the heap (emu/gc.c).  Sends to oneself need no copy. */
#include "msg.h"
#include "gc.h"
#include "atom.h"
#include "ptab.h"
#include "scheduler.h"
#include "alias.h"
#include "signals.h"
#include "port.h"   /* ports: Port ! Msg */
#include <stdlib.h>
#include <string.h>

Term tb_msg_copy(Term t, UWord extra, TbHeapFrag **frag, Term **extra_hp) {
    UWord sz = is_immed(t) ? 0 : tb_size_object(t);
    if (sz + extra == 0) { *frag = NULL; return t; }
    TbHeapFrag *f = malloc(sizeof *f + (sz + extra) * sizeof(Term));
    if (!f) abort();
    f->next = NULL;
    f->off_heap = NULL;
    f->used = f->size = sz + extra;
    if (extra_hp) *extra_hp = f->mem;
    Term *hp = f->mem + extra;
    Term r = sz ? tb_copy_object(t, &hp, &f->off_heap) : t;
    *frag = f;
    return r;
}

void tb_msg_enqueue(TbProcess *to, Term msg, TbHeapFrag *frag) {
    TbMessage *m = malloc(sizeof *m);
    if (!m) abort();
    m->next = NULL;
    m->msg = msg;
    m->frag = frag;
    if (frag && !to->msg_unabsorbed) to->msg_unabsorbed = to->msg_last;
    *to->msg_last = m;
    to->msg_last = &m->next;
    to->msg_len++;
    if (to->status == TB_PS_WAITING) tb_sched_wake(to);
}

void tb_msg_send(TbProcess *p, TbProcess *to, Term msg) {
    if (to->status >= TB_PS_EXITING) return;          /* dying: dropped, like ERTS */
    if (to == p) { tb_msg_enqueue(p, msg, NULL); return; }
    TbHeapFrag *f;
    Term c = tb_msg_copy(msg, 0, &f, NULL);
    tb_msg_enqueue(to, c, f);
}

static Term badarg(TbProcess *p) {
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE;
    p->fvalue = AM(badarg);
    p->ftop = NIL;
    return TB_NONE;
}

Term tb_send(TbProcess *p, Term to, Term msg) {
    TbProcess *r;
    if (is_internal_pid(to)) {
        if ((r = tb_pid_lookup(to))) tb_msg_send(p, r, msg);
        return msg;                                   /* dead pid: dropped */
    }
    if (is_atom(to)) {
        if (!(r = tb_reg_whereis(to))) {
            TbPort *pt = tb_port_whereis(to);   /* ports: a registered port */
            if (!pt) return badarg(p);
            tb_port_bang(p, pt, msg);
            return msg;
        }
        tb_msg_send(p, r, msg);
        return msg;
    }
    if (is_tuple(to) && tuple_arity(to) == 2 && is_atom(tuple_val(to)[1]) && is_atom(tuple_val(to)[2])) {
        /* no distribution: other nodes drop it; so does an unregistered name here */
        if (tuple_val(to)[2] == AM(nonode_at_nohost) && (r = tb_reg_whereis(tuple_val(to)[1]))) tb_msg_send(p, r, msg);
        return msg;
    }
    if (is_ref(to)) {                                 /* an alias: delivered while active */
        int mode;
        if ((r = tb_alias_owner(tb_ref_numbers(to), &mode))) {
            if (mode == TB_ALIAS_REPLY_DEMONITOR) {      /* the reply ends alias and monitor */
                tb_alias_remove(r, tb_ref_numbers(to));
                tb_demonitor(r, tb_ref_numbers(to));
            }
            tb_msg_send(p, r, msg);
        }
        return msg;
    }
    if (is_internal_port(to)) {                       /* ports: {Pid, command|close|connect} */
        TbPort *pt = tb_port_lookup(to);
        if (pt) tb_port_bang(p, pt, msg);
        return msg;
    }
    if (is_pid(to) || is_port(to)) return msg;        /* external pids, ports: later issues */
    return badarg(p);
}

void tb_msg_remove(TbProcess *p) {
    TbMessage *m = *p->msg_save;
    *p->msg_save = m->next;
    if (p->msg_last == &m->next) p->msg_last = p->msg_save;
    /* links into the queue that pointed after m now point where m was */
    for (int i = 0; i < TB_RECV_MARKERS; i++)
        if (p->markers[i].in_use && p->markers[i].pos == &m->next) p->markers[i].pos = p->msg_save;
    if (p->msg_unabsorbed == &m->next) p->msg_unabsorbed = p->msg_save;
    if (m->frag) tb_frag_absorb(p, m->frag);
    free(m);
    p->msg_len--;
    p->msg_save = &p->msg_first;
    if (p->flags & (TB_PF_TIMER | TB_PF_TIMED_OUT)) tb_sched_cancel_recv_timer(p);
}

/* ---- receive markers ---- */
static bool ref_nums(Term ref, uint32_t out[3]) {
    if (!is_ref(ref)) return false;
    memcpy(out, tb_ref_numbers(ref), 3 * sizeof(uint32_t));
    return true;
}

static TbRecvMarker *find_marker(TbProcess *p, Term ref) {
    uint32_t n[3];
    if (!ref_nums(ref, n)) return NULL;
    for (int i = 0; i < TB_RECV_MARKERS; i++) {
        TbRecvMarker *mk = &p->markers[i];
        if (mk->in_use && mk->ref[0] == n[0] && mk->ref[1] == n[1] && mk->ref[2] == n[2]) return mk;
    }
    return NULL;
}

/* The marker term is a small: its slot.  When all slots are taken (an
 * exception can skip recv_marker_clear) the oldest is reused: a receive
 * whose marker was taken scans from the start, slower but the same. */
Term tb_recv_marker_reserve(TbProcess *p) {
    int i = 0;
    while (i < TB_RECV_MARKERS && p->markers[i].in_use) i++;
    if (i == TB_RECV_MARKERS) i = p->marker_next++ % TB_RECV_MARKERS;
    TbRecvMarker *mk = &p->markers[i];
    mk->in_use = true;
    mk->pos = p->msg_last;
    mk->ref[0] = mk->ref[1] = mk->ref[2] = 0;
    return make_small(i);
}

void tb_recv_marker_bind(TbProcess *p, Term marker, Term ref) {
    if (!is_small(marker) || small_val(marker) < 0 || small_val(marker) >= TB_RECV_MARKERS) return;
    TbRecvMarker *mk = &p->markers[small_val(marker)];
    if (!ref_nums(ref, mk->ref)) mk->in_use = false;
}

void tb_recv_marker_use(TbProcess *p, Term ref) {
    TbRecvMarker *mk = find_marker(p, ref);
    if (mk) p->msg_save = mk->pos;
}

void tb_recv_marker_clear(TbProcess *p, Term ref) {
    TbRecvMarker *mk = find_marker(p, ref);
    if (mk) mk->in_use = false;
}
