/* insn_maps.h — map construction, update and matching.  Included in interp.c. */

/* Room first (as ERTS, collecting with the live X registers), so the map
 * code allocates on the heap rather than in fragments. */
#define PUT_MAP(name, exact) OPCASE(name) {                               \
        UWord n_ = A(4);                                                  \
        Term kv_[n_ ? n_ : 1];                                            \
        if (is_map(S(1))) ENSURE(tb_map_put_need(S(1), n_ / 2), A(3));       \
        for (UWord i_ = 0; i_ < n_; i_++) kv_[i_] = SRC(A(5 + i_));        \
        Term m_ = S(1);                                                   \
        SWAPOUT;                                                          \
        Term r_ = tb_map_put_many(p, m_, kv_, n_ / 2, exact);             \
        SWAPIN;                                                           \
        if (r_ == TB_NONE) {                                              \
            if (A(0)) { I = LABEL(0); DISPATCH(); }                       \
            p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->ftop = NIL; \
            RAISE(I);                                                     \
        }                                                                 \
        D(2) = r_;                                                        \
        NEXT(W_##name + n_);                                              \
    }
PUT_MAP(put_map_assoc, false)
PUT_MAP(put_map_exact, true)
#undef PUT_MAP

OPCASE(has_map_fields) {
    Term m = S(1);
    UWord n = A(2);
    for (UWord i = 0; i < n; i++)
        if (tb_map_get(m, SRC(A(3 + i))) == TB_NONE) { I = LABEL(0); DISPATCH(); }
    NEXT(W_has_map_fields + n);
}
OPCASE(get_map_elements) {
    Term m = S(1);
    UWord n = A(2);
    for (UWord i = 0; i < n; i += 2) {
        Term v = tb_map_get(m, SRC(A(3 + i)));
        if (v == TB_NONE) { I = LABEL(0); DISPATCH(); }
        DST(A(4 + i)) = v;
    }
    NEXT(W_get_map_elements + n);
}
