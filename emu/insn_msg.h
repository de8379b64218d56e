/* insn_msg.h — send and receive.  Included in interp.c.
 * The scan position is p->msg_save (a link in the queue).  A receive that
 * finds nothing leaves the CPU with p->i at its loop_rec; a new message
 * makes it runnable again, a timeout resumes it at p->timeout_pc. */

OPCASE(send) {
    SWAPOUT;
    Term r = tb_send(p, x[0], x[1]);
    SWAPIN;
    if (r == TB_NONE) {                  /* as ERTS: an {erlang,send,[To,Msg]} frame */
        SWAPOUT;
        p->ftop = tb_bif_top(p, AM(erlang), AM(send), 2, x);
        SWAPIN;
        RAISE(I);
    }
    x[0] = r;
    NEXTOP(send);
}
OPCASE(loop_rec) {
    TbMessage *m = *p->msg_save;
    if (!m) { I = LABEL(0); DISPATCH(); }
    x[0] = m->msg;
    NEXTOP(loop_rec);
}
OPCASE(loop_rec_end) {
    p->msg_save = &(*p->msg_save)->next;
    I = LABEL(0);
    DISPATCH();
}
OPCASE(remove_message) {
    tb_msg_remove(p);
    NEXTOP(remove_message);
}
OPCASE(wait) {
    SWAPOUT;
    p->i = LABEL(0);
    p->arity = 0;
    p->fcalls = FCALLS - 1;              /* suspending costs a reduction */
    return TB_RUN_WAIT;
}
OPCASE(wait_timeout) {
    if (p->flags & TB_PF_TIMED_OUT) NEXTOP(wait_timeout);   /* fired while we were runnable */
    if (!(p->flags & TB_PF_TIMER)) {
        Term t = S(1);
        if (t == make_small(0)) NEXTOP(wait_timeout);
        if (t != AM(infinity)) {
            /* ERTS accepts 0..2^32-1 milliseconds */
            if (!is_small(t) || small_val(t) < 0 || small_val(t) > 0xFFFFFFFFll) {
                p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = tb_atom_cstr("timeout_value"); p->ftop = NIL;
                RAISE(I);
            }
            tb_sched_set_recv_timer(p, (uint64_t)small_val(t));
        }
    }
    SWAPOUT;
    p->timeout_pc = I + W_wait_timeout;
    p->i = LABEL(0);
    p->arity = 0;
    p->fcalls = FCALLS - 1;
    return TB_RUN_WAIT;
}
OPCASE(timeout) {
    p->flags &= ~(UWord)TB_PF_TIMED_OUT;
    p->msg_save = &p->msg_first;
    NEXTOP(timeout);
}
OPCASE(recv_marker_reserve) { D(0) = tb_recv_marker_reserve(p); NEXTOP(recv_marker_reserve); }
OPCASE(recv_marker_bind) { tb_recv_marker_bind(p, S(0), S(1)); NEXTOP(recv_marker_bind); }
OPCASE(recv_marker_clear) { tb_recv_marker_clear(p, S(0)); NEXTOP(recv_marker_clear); }
OPCASE(recv_marker_use) { tb_recv_marker_use(p, S(0)); NEXTOP(recv_marker_use); }
