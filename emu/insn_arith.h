/* insn_arith.h — arithmetic with small-integer fast paths, inline guard BIFs,
 * generic BIF calls and float registers.  Included in interp.c. */

/* On failure: jump to the fail label, or raise with the BIF's MFA on top. */
#define BIF_FAIL(exp, nargs, ...) do {                                    \
        if (A(0)) { I = LABEL(0); DISPATCH(); }                           \
        Term args_[] = {__VA_ARGS__};                                     \
        SWAPOUT;                                                          \
        p->ftop = tb_bif_top(p, (exp)->module, (exp)->function, (nargs), args_); \
        SWAPIN;                                                           \
        RAISE(I);                                                         \
    } while (0)

/* Operator BIFs: fast path on two smalls, else the generic routine in arith.c.
 * As in ERTS, a failing `+` (and `X - Lit`) has no {erlang,Op,Args} frame;
 * the other operators have one.  (Constant-only operands go through the
 * generic BIF call, which has the frame: see loader/transform.c.) */
#define IS_CONST_OPERAND(n) ((A(n) & 3) != 0)
#define ARITH_OP(name, fast, slow, am, noframe) OPCASE(name) {            \
        Term a_ = S(1), b_ = S(2), r_;                                    \
        if (is_small(a_) && is_small(b_)) { SWord x_ = small_val(a_), y_ = small_val(b_), z_; (void)x_; (void)y_; (void)z_; fast } \
        SWAPOUT; r_ = slow(p, a_, b_); SWAPIN;                            \
        if (r_ == TB_NONE) {                                              \
            if (noframe) { if (A(0)) { I = LABEL(0); DISPATCH(); } p->ftop = NIL; RAISE(I); } \
            BIF_FAIL(tb_erlang_op_export(am, 2), 2, a_, b_);              \
        }                                                                 \
        D(3) = r_; NEXTOP(name);                                          \
    }
/* Tagged smalls add and subtract as words: (x<<4|F) + (y<<4) is (x+y)<<4|F,
 * and the word overflows exactly when x+y leaves the 60-bit small range. */
#define SMALL_ADD(a, b, r) __builtin_add_overflow((SWord)(a), (SWord)((b) - TAG_IMMED1_SMALL), (r))
#define SMALL_SUB(a, b, r) __builtin_sub_overflow((SWord)(a), (SWord)((b) - TAG_IMMED1_SMALL), (r))
#define BOTH_SMALL(a, b) (((a) & (b) & TAG_IMMED1_MASK) == TAG_IMMED1_SMALL)
ARITH_OP(i_plus, { if (!SMALL_ADD(a_, b_, &z_)) { D(3) = (Term)z_; NEXTOP(i_plus); } }, tb_arith_add, AM(plus), true)
ARITH_OP(i_minus, { if (!SMALL_SUB(a_, b_, &z_)) { D(3) = (Term)z_; NEXTOP(i_minus); } }, tb_arith_sub, AM(minus), IS_CONST_OPERAND(2))
ARITH_OP(i_times, { if (!__builtin_mul_overflow(x_, y_, &z_) && fits_small(z_)) { D(3) = make_small(z_); NEXTOP(i_times); } }, tb_arith_mul, AM(times), false)
ARITH_OP(i_band, { D(3) = make_small(x_ & y_); NEXTOP(i_band); }, tb_arith_band, AM(band), false)
ARITH_OP(i_bor, { D(3) = make_small(x_ | y_); NEXTOP(i_bor); }, tb_arith_bor, AM(bor), false)
ARITH_OP(i_bsl, { if (y_ >= 0 && y_ < 64) { z_ = x_ << y_; if (fits_small(z_) && (z_ >> y_) == x_) { D(3) = make_small(z_); NEXTOP(i_bsl); } } }, tb_arith_bsl, AM(bsl), false)
ARITH_OP(i_bsr, { if (y_ >= 0) { D(3) = make_small(y_ > 63 ? (x_ < 0 ? -1 : 0) : x_ >> y_); NEXTOP(i_bsr); } }, tb_arith_bsr, AM(bsr), false)
ARITH_OP(i_int_div, { if (y_ != 0) { z_ = x_ / y_; if (fits_small(z_)) { D(3) = make_small(z_); NEXTOP(i_int_div); } } }, tb_arith_idiv, AM(intdiv), false)
ARITH_OP(i_rem, { if (y_ != 0) { D(3) = make_small(x_ % y_); NEXTOP(i_rem); } }, tb_arith_rem, AM(rem), false)
#undef ARITH_OP

/* `+` without a BIF frame on failure (see above): operands a, b, result to dst. */
#define PLUS_NOFRAME(name, a, b, dst) OPCASE(name) {                       \
        Term a_ = (a), b_ = (b);                                          \
        SWord z_;                                                         \
        if (BOTH_SMALL(a_, b_) && !SMALL_ADD(a_, b_, &z_)) { dst = (Term)z_; NEXTOP(name); } \
        SWAPOUT;                                                          \
        Term r_ = tb_arith_add(p, a_, b_);                                \
        SWAPIN;                                                           \
        if (r_ == TB_NONE) {                                              \
            if (A(0)) { I = LABEL(0); DISPATCH(); }                       \
            p->ftop = NIL;                                                \
            RAISE(I);                                                     \
        }                                                                 \
        dst = r_;                                                         \
        NEXTOP(name);                                                     \
    }
PLUS_NOFRAME(i_increment_xx, XR(1), (Term)A(2), XR(3))
PLUS_NOFRAME(i_increment_yx, YR(1), (Term)A(2), XR(3))
PLUS_NOFRAME(i_plus_xxx, XR(1), XR(2), XR(3))
PLUS_NOFRAME(i_plus_yxx, YR(1), XR(2), XR(3))
PLUS_NOFRAME(i_increment, S(1), (Term)A(2), D(3))
#undef PLUS_NOFRAME

OPCASE(i_element) {
    Term n = S(2), t = S(3);
    if (is_small(n) && is_tuple(t)) {
        UWord k = (UWord)small_val(n);
        if (k - 1 < tuple_arity(t)) { D(4) = tuple_val(t)[k]; NEXTOP(i_element); }
    }
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarg);
    BIF_FAIL((TbExport *)A(1), 2, n, t);
}
OPCASE(i_tuple_size) {
    Term t = S(2);
    if (is_tuple(t)) { D(3) = make_small((SWord)tuple_arity(t)); NEXTOP(i_tuple_size); }
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarg);
    BIF_FAIL((TbExport *)A(1), 1, t);
}
OPCASE(i_hd) {
    Term t = S(2);
    if (is_list(t)) { D(3) = CAR(list_val(t)); NEXTOP(i_hd); }
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarg);
    BIF_FAIL((TbExport *)A(1), 1, t);
}
OPCASE(i_tl) {
    Term t = S(2);
    if (is_list(t)) { D(3) = CDR(list_val(t)); NEXTOP(i_tl); }
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarg);
    BIF_FAIL((TbExport *)A(1), 1, t);
}

/* Generic BIF calls.  BIFs never GC (they allocate with tb_halloc), so X and
 * Y registers stay valid across the call. */
OPCASE(i_bif0) {
    TbExport *e = (TbExport *)A(0);
    SWAPOUT;
    Term r = e->bif(p, x);
    SWAPIN;
    D(1) = r;
    NEXTOP(i_bif0);
}
#define CALL_BIF(name, nargs, fi, bi, di, ...) OPCASE(name) {            \
        TbExport *e_ = (TbExport *)A(bi);                                 \
        Term args_[] = {__VA_ARGS__};                                     \
        SWAPOUT;                                                          \
        Term r_ = e_->bif(p, args_);                                      \
        SWAPIN;                                                           \
        if (r_ == TB_NONE) {                                              \
            if (A(fi)) { I = LABEL(fi); DISPATCH(); }                     \
            SWAPOUT;                                                      \
            /* compiled A / B fails without a BIF frame in ERTS */        \
            p->ftop = e_->function == AM(div_) && e_->module == AM(erlang) ? NIL \
                    : tb_bif_top(p, e_->module, e_->function, nargs, args_); \
            SWAPIN;                                                       \
            RAISE(I);                                                     \
        }                                                                 \
        D(di) = r_;                                                       \
        NEXTOP(name);                                                     \
    }
CALL_BIF(i_bif1, 1, 0, 1, 3, S(2))
CALL_BIF(i_bif2, 2, 0, 1, 4, S(2), S(3))
CALL_BIF(i_gc_bif1, 1, 0, 1, 3, S(2))
CALL_BIF(i_gc_bif2, 2, 0, 1, 4, S(2), S(3))
CALL_BIF(i_gc_bif3, 3, 0, 1, 5, S(2), S(3), S(4))
#undef CALL_BIF

/* ---- float registers ---- */
OPCASE(fload) { fr[A(1)] = float_val(S(0)); NEXTOP(fload); }
OPCASE(fstore) {
    /* room was reserved by the preceding test_heap's float count */
    D(1) = make_float_at(HTOP, fr[A(0)]);
    HTOP += FLOAT_WORDS;
    NEXTOP(fstore);
}
OPCASE(fmove_ll) { fr[A(1)] = fr[A(0)]; NEXTOP(fmove_ll); }
OPCASE(fconv) {
    Term t = S(0);
    double d;
    if (is_small(t)) d = (double)small_val(t);
    else if (is_float(t)) d = float_val(t);
    else if (!is_big(t) || !tb_integer_to_double(t, &d)) {
        p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarith); p->ftop = NIL;
        RAISE(I);
    }
    fr[A(1)] = d;
    NEXTOP(fconv);
}
#define FLOAT_OP(name, expr) OPCASE(name) {                               \
        double a_ = fr[A(0)], b_ = fr[A(1)], r_ = (expr); (void)b_; \
        if (!isfinite(r_)) {                                              \
            p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarith); p->ftop = NIL; \
            RAISE(I);                                                     \
        }                                                                 \
        fr[A(2)] = r_;                                                 \
        NEXTOP(name);                                                     \
    }
FLOAT_OP(fadd, a_ + b_)
FLOAT_OP(fsub, a_ - b_)
FLOAT_OP(fmul, a_ * b_)
FLOAT_OP(fdiv, a_ / b_)
#undef FLOAT_OP
OPCASE(fnegate) { fr[A(1)] = -fr[A(0)]; NEXTOP(fnegate); }
