/* insn_bits.h — binary construction and matching.  The work is in
 * emu/bs_ops.c; bodies here only decode operands.  Included in interp.c. */

#define BS_CREATE(name) do {                                              \
        UWord n_ = A(5);                                                  \
        ENSURE(A(1) + SUB_BIN_WORDS + PROC_BIN_WORDS, A(2));   /* the compiler's Alloc, as ERTS */ \
        SWAPOUT;                                                          \
        Term r_ = tb_bs_create(p, &A(6), n_, x, E, (unsigned)A(3));       \
        SWAPIN;                                                           \
        if (r_ == TB_NONE) {                                              \
            if (A(0)) { I = LABEL(0); DISPATCH(); }                       \
            RAISE(I);                                                     \
        }                                                                 \
        D(4) = r_;                                                        \
        NEXT(W_##name + n_);                                              \
    } while (0)
/* The loader checked the segment list's shape (loader/transform.c): the
 * accumulator is l[4], the integer l[10], its constant size l[11] times
 * unit l[8] a whole number of bytes.  The common case writes in place. */
OPCASE(bs_create_bin_append_bytes) {
    const UWord *l_ = &A(6);
    Term v_ = SRC(l_[10]);
    if (is_small(v_)) {
        Term r_ = tb_bs_private_append_bytes(p, SRC(l_[4]), (uint64_t)small_val(v_),
                                             (UWord)small_val((Term)l_[11]) * l_[8]);
        if (r_ != TB_NONE) { D(4) = r_; NEXT(W_bs_create_bin_append_bytes + A(5)); }
    }
    BS_CREATE(bs_create_bin_append_bytes);
}
OPCASE(bs_create_bin) BS_CREATE(bs_create_bin);
#undef BS_CREATE
OPCASE(bs_init_writable) {
    SWAPOUT;
    x[0] = tb_bs_writable(p, x[0]);
    SWAPIN;
    NEXTOP(bs_init_writable);
}
/* A context passed back in (a loop's next round) is used as it is; `then`
 * runs with the context in src_ (the _pos form also saves its position). */
#define START_MATCH(name, src, dst, then) OPCASE(name) {                  \
        Term src_ = (src);                                                \
        if (!is_match_state(src_)) {                                      \
            SWAPOUT;                                                      \
            src_ = tb_bs_start(p, src_);                                  \
            SWAPIN;                                                       \
            if (src_ == TB_NONE) {                                        \
                if (A(0)) { I = LABEL(0); DISPATCH(); }                   \
                p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = AM(badarg); p->ftop = NIL; \
                RAISE(I);                                                 \
            }                                                             \
        }                                                                 \
        dst = src_;                                                       \
        then;                                                             \
        NEXTOP(name);                                                     \
    }
START_MATCH(bs_start_match3_x, XR(1), XR(2), (void)0)
START_MATCH(bs_start_match3_pos_x, XR(1), XR(2), XR(3) = make_small((SWord)((TbMatchState *)boxed_val(src_))->offset))
START_MATCH(bs_start_match3, S(1), D(2), (void)0)
#undef START_MATCH
#define MS(n) ((TbMatchState *)boxed_val(SRC(A(n))))
#define BS_GET(name, kind) OPCASE(name) {                                 \
        Term out_;                                                        \
        SWAPOUT;                                                          \
        bool ok_ = tb_bs_get(p, MS(1), kind, S(2), A(3), A(4), &out_);    \
        SWAPIN;                                                           \
        if (!ok_) { I = LABEL(0); DISPATCH(); }                           \
        D(5) = out_;                                                      \
        NEXTOP(name);                                                     \
    }
/* An unsigned byte into X; the unit8 form then requires the rest to be
 * whole bytes (bs_get_integer2 | bs_test_unit 8: the byte is taken, and
 * the offset moved, before that test can fail — as the pair does). */
#define GET_BYTE(name, unit8) OPCASE(name) {                              \
        TbMatchState *ms_ = (TbMatchState *)boxed_val(XR(1));             \
        UWord off_ = ms_->offset;                                         \
        if ((off_ & 7) == 0 && ms_->size - off_ >= 8) {                   \
            XR(2) = make_small(ms_->base[off_ >> 3]);                     \
            ms_->offset = off_ + 8;                                       \
        } else {                                                          \
            Term out_;                                                    \
            SWAPOUT;                                                      \
            bool ok_ = tb_bs_get(p, ms_, TB_BS_INTEGER, make_small(8), 1, 0, &out_); \
            SWAPIN;                                                       \
            if (!ok_) { I = LABEL(0); DISPATCH(); }                       \
            XR(2) = out_;                                                 \
        }                                                                 \
        if ((unit8) && ((ms_->size - ms_->offset) & 7)) { I = LABEL(0); DISPATCH(); } \
        NEXTOP(name);                                                     \
    }
GET_BYTE(bs_get_byte_unit8_x, true)
GET_BYTE(bs_get_byte_x, false)
#undef GET_BYTE
OPCASE(bs_get_integer2) {
    /* inline: an unsigned byte at a byte boundary (parsing loops) */
    TbMatchState *ms_ = MS(1);
    Term sz_ = S(2);
    if (is_small(sz_) && (UWord)small_val(sz_) * A(3) == 8 && !(A(4) & TB_BSF_SIGNED) &&
        (ms_->offset & 7) == 0 && ms_->size - ms_->offset >= 8) {
        D(5) = make_small(ms_->base[ms_->offset >> 3]);
        ms_->offset += 8;
        NEXTOP(bs_get_integer2);
    }
    Term out_;
    SWAPOUT;
    bool ok_ = tb_bs_get(p, ms_, TB_BS_INTEGER, sz_, A(3), A(4), &out_);
    SWAPIN;
    if (!ok_) { I = LABEL(0); DISPATCH(); }
    D(5) = out_;
    NEXTOP(bs_get_integer2);
}
BS_GET(bs_get_float2, TB_BS_FLOAT)
BS_GET(bs_get_binary2, TB_BS_BINARY)
#undef BS_GET
OPCASE(bs_skip_bits2) {
    if (!tb_bs_skip(MS(1), S(2), A(3))) { I = LABEL(0); DISPATCH(); }
    NEXTOP(bs_skip_bits2);
}
OPCASE(bs_test_tail2) {
    TbMatchState *ms = MS(1);
    if (ms->size - ms->offset != A(2)) { I = LABEL(0); DISPATCH(); }
    NEXTOP(bs_test_tail2);
}
#define TEST_UNIT(name, msp) OPCASE(name) {                               \
        TbMatchState *ms = (msp);                                         \
        UWord left_ = ms->size - ms->offset, u_ = A(2);                   \
        /* units are nearly always powers of two: no division then */    \
        if ((u_ & (u_ - 1)) ? left_ % u_ != 0 : (left_ & (u_ - 1)) != 0) { I = LABEL(0); DISPATCH(); } \
        NEXTOP(name);                                                     \
    }
TEST_UNIT(bs_test_unit_x, (TbMatchState *)boxed_val(XR(1)))
TEST_UNIT(bs_test_unit, MS(1))
#undef TEST_UNIT
OPCASE(bs_match_string) {
    if (!tb_bs_match_bytes(MS(1), (const uint8_t *)A(3), A(2))) { I = LABEL(0); DISPATCH(); }
    NEXTOP(bs_match_string);
}
#define BS_UTF(name, which, dst) OPCASE(name) {                           \
        Term out_;                                                        \
        SWAPOUT;                                                          \
        bool ok_ = tb_bs_utf(p, MS(1), which, A(2), &out_);               \
        SWAPIN;                                                           \
        if (!ok_) { I = LABEL(0); DISPATCH(); }                           \
        dst;                                                              \
        NEXTOP(name);                                                     \
    }
BS_UTF(bs_get_utf8, 8, D(3) = out_)
BS_UTF(bs_skip_utf8, 8, (void)out_)
BS_UTF(bs_get_utf16, 16, D(3) = out_)
BS_UTF(bs_skip_utf16, 16, (void)out_)
BS_UTF(bs_get_utf32, 32, D(3) = out_)
BS_UTF(bs_skip_utf32, 32, (void)out_)
#undef BS_UTF
OPCASE(bs_get_tail) {
    SWAPOUT;
    Term t = tb_bs_tail(p, MS(0));
    SWAPIN;
    D(1) = t;
    NEXTOP(bs_get_tail);
}
OPCASE(bs_get_position_x) { XR(1) = make_small((SWord)((TbMatchState *)boxed_val(XR(0)))->offset); NEXTOP(bs_get_position_x); }
OPCASE(bs_get_position) { D(1) = make_small((SWord)MS(0)->offset); NEXTOP(bs_get_position); }
OPCASE(bs_set_position) { MS(0)->offset = (UWord)small_val(S(1)); NEXTOP(bs_set_position); }
#undef MS
