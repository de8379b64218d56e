/* insn_control.h — calls, returns, jumps, apply and funs.  Included in interp.c. */

OPCASE(i_func_info) {
    /* No clause matched: function_clause with the MFA and the arguments. */
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE;
    p->fvalue = AM(function_clause);
    SWAPOUT;
    p->ftop = tb_make_mfa_args(p, (Term)A(0), (Term)A(1), (unsigned)A(2), x);
    SWAPIN;
    RAISE(I);      /* the top frame takes this function's location */
}
OPCASE(int_code_end) {
    fprintf(stderr, "tbeam: fell off the end of a module's code\n");
    abort();
}
OPCASE(i_call) CALL(LABEL(0), I + W_i_call);
OPCASE(i_call_last) { E += A(1); JUMP_CALL(LABEL(0)); }
OPCASE(i_call_only) JUMP_CALL(LABEL(0));
OPCASE(i_call_ext) CALL(((TbExport *)A(0))->code, I + W_i_call_ext);
OPCASE(i_call_ext_last) { E += A(1); JUMP_CALL(((TbExport *)A(0))->code); }
OPCASE(i_call_ext_only) JUMP_CALL(((TbExport *)A(0))->code);
OPCASE(return) { I = (const UWord *)*E++; DISPATCH(); }
OPCASE(jump) { I = LABEL(0); DISPATCH(); }
OPCASE(deallocate_return) { E += A(0); I = (const UWord *)*E++; DISPATCH(); }
/* move + call/return, one body per source kind (x, y, constant, any):
 * no operand decoding on the common forms. */
OPCASE(move_return_x) { x[0] = XR(0); I = (const UWord *)*E++; DISPATCH(); }
OPCASE(move_return_c) { x[0] = (Term)A(0); I = (const UWord *)*E++; DISPATCH(); }
OPCASE(move_return) { x[0] = S(0); I = (const UWord *)*E++; DISPATCH(); }
OPCASE(move_deallocate_return_y) { x[0] = YR(0); E += A(1); I = (const UWord *)*E++; DISPATCH(); }
OPCASE(move_deallocate_return) { x[0] = S(0); E += A(1); I = (const UWord *)*E++; DISPATCH(); }
OPCASE(move_call_x) { x[0] = XR(0); CALL(LABEL(1), I + W_move_call_x); }
OPCASE(move_call_y) { x[0] = YR(0); CALL(LABEL(1), I + W_move_call_y); }
OPCASE(move_call) { x[0] = S(0); CALL(LABEL(1), I + W_move_call); }
OPCASE(move_call_last_x) { x[0] = XR(0); E += A(2); JUMP_CALL(LABEL(1)); }
OPCASE(move_call_last_y) { x[0] = YR(0); E += A(2); JUMP_CALL(LABEL(1)); }
OPCASE(move_call_last) { x[0] = S(0); E += A(2); JUMP_CALL(LABEL(1)); }
OPCASE(move_call_only_x) { x[0] = XR(0); JUMP_CALL(LABEL(1)); }
OPCASE(move_call_only) { x[0] = S(0); JUMP_CALL(LABEL(1)); }
OPCASE(on_load) NEXTOP(on_load);

OPCASE(i_call_bif) {
    /* BIF calls keep the caller's frame (ERTS does the same), so the
     * stacktrace shows the calling function and line.  A call is a GC point
     * with the arguments live: leave the BIF some heap so that small results
     * don't go to fragments. */
    TbExport *e = (TbExport *)A(0);
    ENSURE(TB_BIF_HEAP_RESERVE, (int)e->arity);
    SWAPOUT;
    p->i = I;                  /* where we are, for process_info(self(), current_function) */
    Term r = e->bif(p, x);
    SWAPIN;
    if (r == TB_NONE) {
        if (p->freason & TB_TRAP) { trap_next = I + W_i_call_bif; goto bif_trap; }
        SWAPOUT;
        p->ftop = tb_bif_top(p, e->module, e->function, e->arity, x);
        SWAPIN;
        RAISE(I);
    }
    x[0] = r;
    GC_AFTER_BIF();
    NEXTOP(i_call_bif);
}
OPCASE(i_bif_stub) {
    /* Reached through an export entry: arguments in x0.., return address on the stack. */
    TbExport *e = (TbExport *)A(0);
    SWAPOUT;
    p->i = (const UWord *)E[0];
    Term r = e->bif(p, x);
    SWAPIN;
    if (r == TB_NONE) {
        if (p->freason & TB_TRAP) { trap_next = (const UWord *)*E++; goto bif_trap; }
        SWAPOUT;
        p->ftop = tb_bif_top(p, e->module, e->function, e->arity, x);
        SWAPIN;
        RAISE(NULL);
    }
    x[0] = r;
    GC_AFTER_BIF();
    I = (const UWord *)*E++;
    DISPATCH();
}
OPCASE(i_call_nif) {
    /* Patched over the entry of a NIF's Erlang stub (emu/nif.c); the
     * func_info just before names the function for error frames. */
    TbBifFn fn = (TbBifFn)A(0);
    SWAPOUT;
    p->i = (const UWord *)E[0];
    Term r = fn(p, x);
    SWAPIN;
    if (r == TB_NONE) {
        if (p->freason & TB_TRAP) { trap_next = (const UWord *)*E++; goto bif_trap; }
        SWAPOUT;
        p->ftop = tb_bif_top(p, (Term)I[-3], (Term)I[-2], (unsigned)I[-1], x);
        SWAPIN;
        RAISE(NULL);
    }
    x[0] = r;
    I = (const UWord *)*E++;
    DISPATCH();
}
OPCASE(i_error_handler_stub) {
    TbExport *e = (TbExport *)A(0);
    SWAPOUT;
    const UWord *target = tb_undefined_function(p, e);
    SWAPIN;
    if (!target) RAISE(NULL);
    I = target;
    DISPATCH();
}

/* A tail call (apply, fun) that lands on a BIF's export stub runs the BIF
 * right here, as ERTS does: no return address was pushed, so an error must
 * show this instruction's function.  `dealloc` drops the frame afterwards. */
#define TAIL_CALL(t, dealloc) do {                                          \
        if (*(t) == tb_op_addr[OP_i_bif_stub]) {                            \
            TbExport *be_ = (TbExport *)(t)[1];                             \
            SWAPOUT;                                                        \
            p->i = I;                                                       \
            Term br_ = be_->bif(p, x);                                      \
            SWAPIN;                                                         \
            if (br_ == TB_NONE) {                                           \
                if (p->freason & TB_TRAP) { dealloc; trap_next = (const UWord *)*E++; goto bif_trap; } \
                SWAPOUT;                                                    \
                p->ftop = tb_bif_top(p, be_->module, be_->function, be_->arity, x); \
                SWAPIN;                                                     \
                RAISE(I);                                                   \
            }                                                               \
            x[0] = br_;                                                     \
            GC_AFTER_BIF();                                                 \
            dealloc;                                                        \
            I = (const UWord *)*E++;                                        \
            DISPATCH();                                                     \
        }                                                                   \
        dealloc;                                                            \
        JUMP_CALL(t);                                                       \
    } while (0)

/* apply/3 and apply/2 specialised by the loader; export stubs use the _only forms. */
#define APPLY_LIST(after)                                               \
    do {                                                                \
        SWAPOUT;                                                        \
        const UWord *t_ = tb_apply_setup(p, x[0], x[1], x[2], x);       \
        SWAPIN;                                                         \
        if (!t_) RAISE(I);                                              \
        after;                                                          \
    } while (0)
OPCASE(i_apply_list) APPLY_LIST(CALL(t_, I + W_i_apply_list));
OPCASE(i_apply_list_last) APPLY_LIST(TAIL_CALL(t_, E += A(0)));
OPCASE(i_apply_list_only) APPLY_LIST(TAIL_CALL(t_, (void)0));
#define APPLY_FUN(after)                                                \
    do {                                                                \
        SWAPOUT;                                                        \
        const UWord *t_ = tb_apply_fun_setup(p, x[0], x[1], x);         \
        SWAPIN;                                                         \
        if (!t_) RAISE(I);                                              \
        after;                                                          \
    } while (0)
OPCASE(i_apply_fun) APPLY_FUN(CALL(t_, I + W_i_apply_fun));
OPCASE(i_apply_fun_last) APPLY_FUN(TAIL_CALL(t_, E += A(0)));
OPCASE(i_apply_fun_only) APPLY_FUN(TAIL_CALL(t_, (void)0));

OPCASE(i_apply) {
    unsigned n = (unsigned)A(0);
    SWAPOUT;
    const UWord *t = tb_apply_mfa(p, x[n], x[n + 1], n, x);
    SWAPIN;
    if (!t) RAISE(I);
    CALL(t, I + W_i_apply);
}
OPCASE(i_apply_last) {
    unsigned n = (unsigned)A(0);
    SWAPOUT;
    const UWord *t = tb_apply_mfa(p, x[n], x[n + 1], n, x);
    SWAPIN;
    if (!t) RAISE(I);
    TAIL_CALL(t, E += A(1));
}
/* Local fun of the right arity: set up inline; anything else goes to call.c. */
#define FUN_FAST(f, n, call) do {                                           \
        if (is_local_fun(f)) {                                              \
            TbFunThing *ft_ = (TbFunThing *)boxed_val(f);                   \
            TbFunEntry *fe_ = ft_->fe;                                      \
            if (fe_->code && fe_->arity - fe_->num_free == (n)) {           \
                for (unsigned i_ = 0; i_ < fe_->num_free; i_++) x[(n) + i_] = ft_->env[i_]; \
                call;                                                       \
            }                                                               \
        }                                                                   \
    } while (0)
OPCASE(i_call_fun) {
    unsigned n = (unsigned)A(0);
    FUN_FAST(x[n], n, CALL(fe_->code, I + W_i_call_fun));
    SWAPOUT;
    const UWord *t = tb_fun_setup(p, x[n], n, x);
    SWAPIN;
    if (!t) RAISE(I);
    CALL(t, I + W_i_call_fun);
}
OPCASE(i_call_fun2) {
    unsigned n = (unsigned)A(0);
    Term f = S(1);
    FUN_FAST(f, n, CALL(fe_->code, I + W_i_call_fun2));
    SWAPOUT;
    const UWord *t = tb_fun_setup(p, f, n, x);
    SWAPIN;
    if (!t) RAISE(I);
    CALL(t, I + W_i_call_fun2);
}
OPCASE(i_call_fun2_last) {
    unsigned n = (unsigned)A(0);
    Term f = S(1);
    FUN_FAST(f, n, E += A(2); JUMP_CALL(fe_->code));
    SWAPOUT;
    const UWord *t = tb_fun_setup(p, f, n, x);
    SWAPIN;
    if (!t) RAISE(I);
    E += A(2);
    JUMP_CALL(t);
}
OPCASE(i_call_fun_last) {
    unsigned n = (unsigned)A(0);  /* from call_fun + deallocate + return */
    FUN_FAST(x[n], n, E += A(1); JUMP_CALL(fe_->code));
    SWAPOUT;
    const UWord *t = tb_fun_setup(p, x[n], n, x);
    SWAPIN;
    if (!t) RAISE(I);
    E += A(1);                 /* ERTS jumps into an export fun's BIF: no frame of ours */
    JUMP_CALL(t);
}
OPCASE(i_halt) {
    /* The initial call returned: the process ends normally. */
    p->freason = 0;
    p->fvalue = x[0];
    SWAPOUT;
    p->i = NULL;
    return TB_RUN_EXIT;
}

/* ---- frames ---- */
OPCASE(allocate_move_xy) {
    ENSURE(A(0), A(1));
    E -= A(0);
    YR(3) = XR(2);
    NEXTOP(allocate_move_xy);
}
OPCASE(move_xy_move_call_x) {
    YR(1) = XR(0);
    x[0] = XR(2);
    CALL(LABEL(3), I + W_move_xy_move_call_x);
}
OPCASE(move_xy_move_call) {
    YR(1) = XR(0);
    x[0] = S(2);
    CALL(LABEL(3), I + W_move_xy_move_call);
}
OPCASE(allocate) {
    ENSURE(A(0), A(1));
    E -= A(0);
    NEXTOP(allocate);
}
OPCASE(allocate_heap) {
    ENSURE(A(0) + A(1), A(2));
    E -= A(0);
    NEXTOP(allocate_heap);
}
OPCASE(allocate_zero) {
    ENSURE(A(0), A(1));
    E -= A(0);
    for (UWord i = 0; i < A(0); i++) E[i] = NIL;
    NEXTOP(allocate_zero);
}
OPCASE(allocate_heap_zero) {
    ENSURE(A(0) + A(1), A(2));
    E -= A(0);
    for (UWord i = 0; i < A(0); i++) E[i] = NIL;
    NEXTOP(allocate_heap_zero);
}
OPCASE(test_heap) {
    ENSURE(A(0), A(1));
    NEXTOP(test_heap);
}
OPCASE(init) { YR(0) = NIL; NEXTOP(init); }
OPCASE(allocate_init_yregs) {
    ENSURE(A(0), A(1));
    E -= A(0);
    UWord n = A(2);
    for (UWord i = 0; i < n; i++) DST(A(3 + i)) = NIL;
    NEXT(W_allocate_init_yregs + n);
}
OPCASE(init_yregs) {
    UWord n = A(0);
    for (UWord i = 0; i < n; i++) DST(A(1 + i)) = NIL;
    NEXT(W_init_yregs + n);
}
OPCASE(deallocate) { E += A(0); NEXTOP(deallocate); }
OPCASE(trim) { E += A(0); NEXTOP(trim); }
