/* insn_data.h — moves, lists, tuples, closures.  Included in interp.c. */

OPCASE(move_xx) { XR(1) = XR(0); NEXTOP(move_xx); }
OPCASE(move_xy) { YR(1) = XR(0); NEXTOP(move_xy); }
OPCASE(move_yx) { XR(1) = YR(0); NEXTOP(move_yx); }
OPCASE(move_cx) { XR(1) = (Term)A(0); NEXTOP(move_cx); }
OPCASE(move) { D(1) = S(0); NEXTOP(move); }
OPCASE(move2_xyxy) { YR(1) = XR(0); YR(3) = XR(2); NEXTOP(move2_xyxy); }
OPCASE(move2_yxyx) { XR(1) = YR(0); XR(3) = YR(2); NEXTOP(move2_yxyx); }
OPCASE(move2_xxxx) { XR(1) = XR(0); XR(3) = XR(2); NEXTOP(move2_xxxx); }
OPCASE(move2) { D(1) = S(0); D(3) = S(2); NEXTOP(move2); }
OPCASE(swap) {
    Term t = D(0);
    D(0) = D(1);
    D(1) = t;
    NEXTOP(swap);
}
/* One body per operand form: read head and tail before storing (a
 * destination may be the source register). */
#define GET_LIST(name, src, hd, tl) OPCASE(name) {                        \
        Term *c_ = list_val(src);                                         \
        Term h_ = CAR(c_), t_ = CDR(c_);                                  \
        hd = h_;                                                          \
        tl = t_;                                                          \
        NEXTOP(name);                                                     \
    }
GET_LIST(get_list_xxx, XR(0), XR(1), XR(2))
GET_LIST(get_list_xxy, XR(0), XR(1), YR(2))
GET_LIST(get_list, S(0), D(1), D(2))
#undef GET_LIST
OPCASE(get_hd) { D(1) = CAR(list_val(S(0))); NEXTOP(get_hd); }
OPCASE(get_tl) { D(1) = CDR(list_val(S(0))); NEXTOP(get_tl); }
OPCASE(get_tuple_element_x) { XR(2) = tuple_val(XR(0))[A(1) + 1]; NEXTOP(get_tuple_element_x); }
OPCASE(get_two_tuple_elements) {
    const Term *t = tuple_val(XR(0));
    XR(2) = t[A(1) + 1];
    XR(4) = t[A(3) + 1];
    NEXTOP(get_two_tuple_elements);
}
OPCASE(get_tuple_element_xy) { YR(2) = tuple_val(XR(0))[A(1) + 1]; NEXTOP(get_tuple_element_xy); }
OPCASE(get_tuple_element) { D(2) = tuple_val(S(0))[A(1) + 1]; NEXTOP(get_tuple_element); }
OPCASE(set_tuple_element) {
    tuple_val(S(1))[A(2) + 1] = S(0);
    NEXTOP(set_tuple_element);
}
/* Room was reserved by test_heap (fused in, or the one before). */
#define PUT_LIST(name, reserve, hd, tl, dst) OPCASE(name) {               \
        reserve;                                                          \
        Term *hp_ = HTOP;                                                 \
        hp_[0] = hd;                                                      \
        hp_[1] = tl;                                                      \
        HTOP += 2;                                                        \
        dst = make_list(hp_);                                             \
        NEXTOP(name);                                                     \
    }
PUT_LIST(test_heap_put_list_yxx, ENSURE(A(0), A(1)), YR(2), XR(3), XR(4))
PUT_LIST(test_heap_put_list, ENSURE(A(0), A(1)), S(2), S(3), D(4))
PUT_LIST(put_list_xxx, (void)0, XR(0), XR(1), XR(2))
PUT_LIST(put_list_yxx, (void)0, YR(0), XR(1), XR(2))
PUT_LIST(put_list, (void)0, S(0), S(1), D(2))
#undef PUT_LIST
/* d, then the count and sources, from operand `at`. */
#define PUT_TUPLE(name, reserve, at) OPCASE(name) {                      \
        reserve;                                                          \
        UWord n = A((at) + 1);                                            \
        Term *hp = HTOP;                                                  \
        hp[0] = make_arityval(n);                                         \
        for (UWord i = 0; i < n; i++) hp[i + 1] = SRC(A((at) + 2 + i));   \
        HTOP += n + 1;                                                    \
        D(at) = make_boxed(hp);                                           \
        NEXT(W_##name + n);                                               \
    }
PUT_TUPLE(test_heap_put_tuple2, ENSURE(A(0), A(1)), 2)
PUT_TUPLE(put_tuple2, (void)0, 0)
#undef PUT_TUPLE
OPCASE(make_fun3) {
    TbFunEntry *fe = (TbFunEntry *)A(0);
    UWord n = A(2);
    TbFunThing *f = (TbFunThing *)HTOP;
    f->header = make_header(FUN_THING_WORDS - 1 + n, HDR_SUB_FUN);
    f->fe = fe;
    f->creator = p->id;
    for (UWord i = 0; i < n; i++) f->env[i] = SRC(A(3 + i));
    HTOP += FUN_THING_WORDS + n;
    D(1) = make_boxed((Term *)f);
    NEXT(W_make_fun3 + n);
}
OPCASE(make_fun2) {
    TbFunEntry *fe = (TbFunEntry *)A(0);
    UWord n = fe->num_free;
    ENSURE(FUN_THING_WORDS + n, n);
    TbFunThing *f = (TbFunThing *)HTOP;
    f->header = make_header(FUN_THING_WORDS - 1 + n, HDR_SUB_FUN);
    f->fe = fe;
    f->creator = p->id;
    for (UWord i = 0; i < n; i++) f->env[i] = x[i];
    HTOP += FUN_THING_WORDS + n;
    x[0] = make_boxed((Term *)f);
    NEXTOP(make_fun2);
}
