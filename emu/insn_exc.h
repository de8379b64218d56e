/* insn_exc.h — catch/try and the error instructions.  Included in interp.c.
 * When an exception reaches a handler, exception.c sets x0 = none,
 * x1 = class, x2 = reason, x3 = raw stacktrace. */

OPCASE(catch) { YR(0) = make_catch(LABEL(1)); p->catches++; NEXTOP(catch); }
OPCASE(try) { YR(0) = make_catch(LABEL(1)); p->catches++; NEXTOP(try); }
OPCASE(try_end) { YR(0) = NIL; p->catches--; NEXTOP(try_end); }
OPCASE(catch_end) {
    YR(0) = NIL;
    p->catches--;
    if (x[0] == TB_NONE) {
        SWAPOUT;
        x[0] = tb_catch_value(p, x[1], x[2], x[3]);
        SWAPIN;
    }
    NEXTOP(catch_end);
}
OPCASE(try_case) {
    YR(0) = NIL;
    p->catches--;
    x[0] = x[1];
    x[1] = x[2];
    x[2] = x[3];
    NEXTOP(try_case);
}

#define RAISE_TAGGED(tag, v) do {                                         \
        Term v_ = (v);                                                    \
        SWAPOUT;                                                          \
        Term *hp_ = tb_halloc(p, 3);                                      \
        SWAPIN;                                                           \
        hp_[0] = make_arityval(2); hp_[1] = (tag); hp_[2] = v_;           \
        ERROR(make_boxed(hp_));                                           \
    } while (0)
OPCASE(badmatch) RAISE_TAGGED(AM(badmatch), S(0));
OPCASE(case_end) RAISE_TAGGED(AM(case_clause), S(0));
OPCASE(try_case_end) RAISE_TAGGED(AM(try_clause), S(0));
OPCASE(badrecord) RAISE_TAGGED(AM(badrecord), S(0));
OPCASE(if_end) ERROR(AM(if_clause));
#undef RAISE_TAGGED

OPCASE(raise) {
    /* raise Trace Value: re-raise with the class kept in the raw trace. */
    Term trace = S(0), value = S(1);
    tb_reraise(p, trace, value);
    RAISE(I);
}
OPCASE(raw_raise) {
    SWAPOUT;
    bool ok = tb_raw_raise(p, x[0], x[1], x[2]);
    SWAPIN;
    if (!ok) { x[0] = AM(badarg); NEXTOP(raw_raise); }
    RAISE(I);
}
OPCASE(build_stacktrace) {
    SWAPOUT;
    x[0] = tb_build_stacktrace(p, x[0]);
    SWAPIN;
    NEXTOP(build_stacktrace);
}
