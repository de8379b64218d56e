/* insn_test.h — type tests, comparisons and multi-way branches.  Included in interp.c. */

#define TEST(name, cond) OPCASE(name) { Term t_ = S(1); (void)t_; if (!(cond)) { I = LABEL(0); DISPATCH(); } NEXTOP(name); }
TEST(is_integer, is_integer(t_))
TEST(is_float, is_float(t_))
TEST(is_number, is_number(t_))
TEST(is_atom, is_atom(t_))
TEST(is_pid, is_pid(t_))
TEST(is_reference, is_reference(t_))
TEST(is_port, is_port(t_))
TEST(is_nil, t_ == NIL)
TEST(is_binary, is_binary(t_))
TEST(is_list, is_list(t_) || t_ == NIL)
TEST(is_nonempty_list, is_list(t_))
TEST(is_tuple, is_tuple(t_))
TEST(test_arity, *tuple_val(t_) == make_arityval(A(2)))
TEST(is_tuple_of_arity, is_tuple_arity(t_, A(2)))
OPCASE(is_tagged_tuple_x) {
    Term t_ = XR(1);
    if (!(is_tuple_arity(t_, A(2)) && tuple_val(t_)[1] == (Term)A(3))) { I = LABEL(0); DISPATCH(); }
    NEXTOP(is_tagged_tuple_x);
}
TEST(is_tagged_tuple, is_tuple_arity(t_, A(2)) && tuple_val(t_)[1] == (Term)A(3))
TEST(is_function, is_fun(t_))
TEST(is_function2, tb_is_function2(t_, S(2)))
TEST(is_boolean, t_ == AM_true || t_ == AM_false)
TEST(is_bitstr, is_bitstring(t_))
TEST(is_map, is_map(t_))
#undef TEST

OPCASE(is_nonempty_list_x) { if (!is_list(XR(1))) { I = LABEL(0); DISPATCH(); } NEXTOP(is_nonempty_list_x); }
OPCASE(is_nonempty_list_allocate) {
    if (!is_list(XR(1))) { I = LABEL(0); DISPATCH(); }
    ENSURE(A(2), A(3));
    E -= A(2);
    NEXTOP(is_nonempty_list_allocate);
}
OPCASE(is_nonempty_list_get_list) {
    Term l = S(1);
    if (!is_list(l)) { I = LABEL(0); DISPATCH(); }
    Term *c = list_val(l);
    Term h = CAR(c), t = CDR(c);
    D(2) = h;
    D(3) = t;
    NEXTOP(is_nonempty_list_get_list);
}

#define CMP_TEST(name, cond) OPCASE(name) { Term a_ = S(1), b_ = S(2); if (!(cond)) { I = LABEL(0); DISPATCH(); } NEXTOP(name); }
CMP_TEST(is_eq_exact, a_ == b_ || (!is_immed(a_) && !is_immed(b_) && tb_eq_exact(a_, b_)))
CMP_TEST(is_ne_exact, a_ != b_ && (is_immed(a_) || is_immed(b_) || !tb_eq_exact(a_, b_)))
CMP_TEST(is_eq, a_ == b_ || (!(is_immed(a_) && is_immed(b_)) && tb_eq(a_, b_)))
CMP_TEST(is_ne, a_ != b_ && ((is_immed(a_) && is_immed(b_)) || !tb_eq(a_, b_)))
CMP_TEST(is_lt, (is_small(a_) && is_small(b_)) ? (SWord)a_ < (SWord)b_ : tb_cmp(a_, b_) < 0)
CMP_TEST(is_ge, (is_small(a_) && is_small(b_)) ? (SWord)a_ >= (SWord)b_ : tb_cmp(a_, b_) >= 0)
#undef CMP_TEST
/* X against a small constant: raw tagged words order like the integers when both are small. */
#define CMP_XI(name, a, b, op) OPCASE(name) {                              \
        Term a_ = (a), b_ = (b);                                          \
        if (!(is_small(a_) && is_small(b_) ? (SWord)a_ op (SWord)b_ : tb_cmp(a_, b_) op 0)) { I = LABEL(0); DISPATCH(); } \
        NEXTOP(name);                                                     \
    }
CMP_XI(is_lt_xi, XR(1), (Term)A(2), <)
CMP_XI(is_lt_ix, (Term)A(1), XR(2), <)
CMP_XI(is_ge_xi, XR(1), (Term)A(2), >=)
CMP_XI(is_ge_ix, (Term)A(1), XR(2), >=)
#undef CMP_XI
OPCASE(is_eq_exact_xc) {
    Term a_ = XR(1), b_ = (Term)A(2);
    if (a_ != b_ && (is_immed(b_) || !tb_eq_exact(a_, b_))) { I = LABEL(0); DISPATCH(); }
    NEXTOP(is_eq_exact_xc);
}

OPCASE(i_jump_on_val) {
    /* Dense small integers: table of n labels starting at the value in A(2). */
    Term v = S(0);
    UWord n = A(3);
    if (is_small(v)) {
        UWord idx = (UWord)(small_val(v) - small_val((Term)A(2)));
        if (idx < n) { I = (const UWord *)A(4 + idx); DISPATCH(); }
    }
    I = LABEL(1);
    DISPATCH();
}
OPCASE(select_val) {
    /* n/2 sorted values followed by n/2 labels; values compared as raw words
     * when immediate (the loader sorted them), else exactly. */
    Term v = S(0);
    UWord n = A(2) / 2;
    const UWord *vals = &A(3), *labs = vals + n;
    if (is_immed(v)) {
        UWord lo = 0, hi = n;
        while (lo < hi) {
            UWord mid = (lo + hi) / 2;
            if (vals[mid] == v) { I = (const UWord *)labs[mid]; DISPATCH(); }
            if (vals[mid] < v) lo = mid + 1; else hi = mid;
        }
    } else {
        for (UWord i = 0; i < n; i++)
            if (!is_immed((Term)vals[i]) && tb_eq_exact(v, (Term)vals[i])) { I = (const UWord *)labs[i]; DISPATCH(); }
    }
    I = LABEL(1);
    DISPATCH();
}
OPCASE(select_tuple_arity) {
    Term v = S(0);
    UWord n = A(2) / 2;
    const UWord *vals = &A(3), *labs = vals + n;
    if (is_tuple(v)) {
        UWord ar = tuple_arity(v);
        for (UWord i = 0; i < n; i++)
            if (vals[i] == ar) { I = (const UWord *)labs[i]; DISPATCH(); }
    }
    I = LABEL(1);
    DISPATCH();
}
