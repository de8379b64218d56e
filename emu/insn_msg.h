/* insn_msg.h — send and receive.  Until the scheduler issue lands, a process
 * can only receive what it sent itself; a receive that would block forever
 * ends the process with a clear error. */

OPCASE(send) {
    SWAPOUT;
    Term r = tb_send(p, x[0], x[1]);
    SWAPIN;
    if (r == TB_NONE) RAISE(I);
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
    p->msg_save = &p->msg_first;
    p->freason = EXC_CLASS_EXIT;
    p->fvalue = tb_atom_cstr("receive_would_block_forever");
    p->ftop = NIL;
    RAISE(I);
}
OPCASE(wait_timeout) {
    Term t = S(1);
    if (t == make_small(0)) { NEXTOP(wait_timeout); }   /* after 0: time out now */
    if (!(is_small(t) && small_val(t) >= 0) && !is_big(t) && t != AM(infinity)) {
        p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = tb_atom_cstr("timeout_value"); p->ftop = NIL;
        RAISE(I);
    }
    /* Single process: nothing else can send, so sleep the timeout then time out. */
    SWAPOUT;
    tb_sleep_ms(t);
    SWAPIN;
    NEXTOP(wait_timeout);
}
OPCASE(timeout) { p->msg_save = &p->msg_first; NEXTOP(timeout); }
OPCASE(recv_marker_reserve) { D(0) = make_small(0); NEXTOP(recv_marker_reserve); }
OPCASE(recv_marker_bind) NEXTOP(recv_marker_bind);
OPCASE(recv_marker_clear) NEXTOP(recv_marker_clear);
OPCASE(recv_marker_use) NEXTOP(recv_marker_use);
