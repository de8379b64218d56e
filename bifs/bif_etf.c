/* bif_etf.c — term_to_binary/1,2, term_to_iovec/1,2, binary_to_term/1,2,
 * external_size/1,2 with ERTS 25's option parsing and errors. */
#include "bif.h"
#include "../emu/etf.h"
#include "../emu/binary.h"
#include <stdlib.h>

/* term_to_binary/2 and term_to_iovec/2 options (ERTS parse_t2b_opts):
 * compressed | {compressed, 0..9} | {minor_version, 0..2} | deterministic,
 * in a proper list; later options override earlier ones. */
typedef struct { int minor, level; bool deterministic; } T2BOpts;

static bool parse_t2b_opts(Term opts, T2BOpts *o) {
    o->minor = 1;
    o->level = 0;
    o->deterministic = false;
    for (; is_list(opts); opts = CDR(list_val(opts))) {
        Term a = CAR(list_val(opts));
        if (a == AM(compressed)) o->level = -1;      /* Z_DEFAULT_COMPRESSION */
        else if (a == AM(deterministic)) o->deterministic = true;
        else if (is_tuple_arity(a, 2) && is_small(tuple_val(a)[2])) {
            SWord v = small_val(tuple_val(a)[2]);
            if (tuple_val(a)[1] == AM(minor_version) && v >= 0 && v <= 2) o->minor = (int)v;
            else if (tuple_val(a)[1] == AM(compressed) && v >= 0 && v <= 9) o->level = (int)v;
            else return false;
        } else return false;
    }
    return is_nil(opts);
}

BIF_DECL(bif_term_to_binary_1) { return tb_etf_encode(p, args[0], 1, 0, false); }

BIF_DECL(bif_term_to_binary_2) {
    T2BOpts o;
    if (!parse_t2b_opts(args[1], &o)) BADARG(p);
    return tb_etf_encode(p, args[0], o.minor, o.level, o.deterministic);
}

BIF_DECL(bif_term_to_iovec_1) { return tb_etf_encode_iovec(p, args[0], 1, 0, false); }

BIF_DECL(bif_term_to_iovec_2) {
    T2BOpts o;
    if (!parse_t2b_opts(args[1], &o)) BADARG(p);
    return tb_etf_encode_iovec(p, args[0], o.minor, o.level, o.deterministic);
}

static Term external_size(TbProcess *p, Term t, int minor) {
    size_t size;
    if (!tb_etf_encoded_size(t, minor, &size)) return tb_error(p, AM(system_limit));
    return make_small((SWord)size);
}

BIF_DECL(bif_external_size_1) { return external_size(p, args[0], 1); }

/* OTP 25's external_size/2 knows only {minor_version, 0 | 1}; 0 sticks
 * (a later {minor_version,1} does not undo it). */
BIF_DECL(bif_external_size_2) {
    int minor = 1;
    Term opts = args[1];
    for (; is_list(opts); opts = CDR(list_val(opts))) {
        Term a = CAR(list_val(opts));
        if (!is_tuple_arity(a, 2) || tuple_val(a)[1] != AM(minor_version)) BADARG(p);
        if (tuple_val(a)[2] == make_small(0)) minor = 0;
        else if (tuple_val(a)[2] != make_small(1)) BADARG(p);
    }
    if (!is_nil(opts)) BADARG(p);
    return external_size(p, args[0], minor);
}

static Term b2t(TbProcess *p, Term bin, unsigned flags, bool want_used) {
    size_t len, used = 0;
    uint8_t *tmp;
    const uint8_t *bytes = is_bitstring(bin) ? tb_binary_aligned_bytes(bin, &len, &tmp) : NULL;
    if (!bytes) BADARG(p);
    Term t = tb_etf_decode(p, bytes, len, &used, flags);
    free(tmp);
    if (t == TB_NONE) BADARG(p);
    if (!want_used) return t;
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = t;
    hp[2] = make_small((SWord)used);
    return make_boxed(hp);
}

BIF_DECL(bif_binary_to_term_1) { return b2t(p, args[0], 0, false); }

/* Options: safe | used, in a proper list.  ERTS also tags a bad option
 * with error_info cause badopt; the exception itself is badarg. */
BIF_DECL(bif_binary_to_term_2) {
    unsigned flags = 0;
    bool used = false;
    Term opts = args[1];
    for (; is_list(opts); opts = CDR(list_val(opts))) {
        Term a = CAR(list_val(opts));
        if (a == AM(safe)) flags |= TB_ETF_SAFE;
        else if (a == AM(used)) used = true;
        else BADARG(p);
    }
    if (!is_nil(opts)) BADARG(p);
    return b2t(p, args[0], flags, used);
}
