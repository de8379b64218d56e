/* bs_ops.c — bit syntax instructions: segment lists and match operations. */
#include "bs_ops.h"
#include "bits.h"
#include "binary.h"
#include "atom.h"
#include "module.h"
#include <stdlib.h>

static inline Term src(UWord w, Term *x, Term *E) {
    return (w & 3) ? (Term)w : (w & 4) ? E[w >> 3] : x[w >> 3];
}

static unsigned flag_bits(Term flags) {
    static Term am_signed;
    if (!am_signed) am_signed = tb_atom_cstr("signed");
    unsigned f = 0;
    for (; is_list(flags); flags = CDR(list_val(flags))) {
        Term a = CAR(list_val(flags));
        if (a == AM(little)) f |= TB_BSF_LITTLE;
        else if (a == AM(native)) f |= TB_BSF_NATIVE;
        else if (a == am_signed) f |= TB_BSF_SIGNED;
    }
    return f;
}

typedef struct { Term type, value, size; UWord seg, unit, bits; unsigned flags; const uint8_t *str; bool all; } Seg;

/* ERTS's error_info cause names the size for size errors, the bit size for
 * bad float sizes, and `binary` for append segments. */
static Term seg_error(TbProcess *p, TbBsErr err, const Seg *g) {
    Term type = g->type == AM(append) || g->type == AM(private_append) ? AM(binary) : g->type;
    Term v = err == TB_BS_SIZE || err == TB_BS_LIMIT ? g->size
           : err == TB_BS_INVALID ? make_small((SWord)g->bits) : g->value;
    (void)tb_bs_error(p, err, g->seg, type, v);   /* raises; the cause tuple is not attached yet */
    return TB_NONE;
}

/* The accumulator idiom <<Acc/binary, Int:Size>>: append plus one small
 * integer segment, without the general two-pass segment walk.  Returns
 * TB_NONE when the general path must decide (including every error). */
static Term append_int_fast(TbProcess *p, const UWord *list, Term *x, Term *E) {
    Term type = (Term)list[0];
    if ((type != AM(private_append) && type != AM(append)) || (Term)list[6] != AM(integer) || (Term)list[9] != NIL)
        return TB_NONE;
    Term val = src(list[10], x, E), size = src(list[11], x, E);
    if (!is_small(val) || !is_small(size) || small_val(size) < 0) return TB_NONE;
    UWord bits = (UWord)small_val(size) * list[8];
    if (bits > 64) return TB_NONE;
    Term acc = src(list[4], x, E);
    if (type == AM(private_append) && !(bits & 7) && bits && (list[2] == 1 || list[2] == 8)) {
        Term r = tb_bs_private_append_bytes(p, acc, (uint64_t)small_val(val), bits);
        if (r != TB_NONE) return r;
    }
    TbBitWriter w;
    TbBsErr err;
    Term r = type == AM(private_append) ? tb_bs_private_append(p, acc, bits, list[2], &w, &err)
                                        : tb_bs_append(p, acc, bits, list[2], &w, &err);
    if (r == TB_NONE) return TB_NONE;      /* nothing changed: the general path reports it */
    if (bits) {
        tb_bs_put_integer(&w, val, bits, 0);
        tb_bs_clear_tail(&w);
    }
    return r;
}

Term tb_bs_create(TbProcess *p, const UWord *list, UWord n, Term *x, Term *E, unsigned unit) {
    if (n == 12) {
        Term r = append_int_fast(p, list, x, E);
        if (r != TB_NONE) return r;
    }
    UWord nseg = n / 6, total = 0;
    Seg small[16], *segs = nseg <= 16 ? small : malloc(nseg * sizeof(Seg));
    Term result = TB_NONE;
    TbBsErr err = TB_BS_OK;
    UWord k;
    (void)unit;
    /* pass 1: sizes */
    for (k = 0; k < nseg; k++) {
        const UWord *s = list + 6 * k;
        Seg *g = &segs[k];
        g->type = (Term)s[0];
        g->seg = s[1];
        g->unit = s[2];
        g->flags = flag_bits((Term)s[3]);
        g->all = false;
        g->str = NULL;
        Term size = src(s[5], x, E);
        g->size = size;
        if (g->type == AM(string)) {
            g->str = (const uint8_t *)s[4];      /* the loader put the bytes' address here */
            g->value = NIL;
            g->bits = (UWord)small_val(size) * 8;
        } else {
            g->value = src(s[4], x, E);
            if (g->type == AM(utf8)) {
                g->bits = tb_bs_utf8_bits(g->value);
            } else if (g->type == AM(utf16)) {
                g->bits = tb_bs_utf16_bits(g->value);
            } else if (g->type == AM(utf32)) {
                if (!tb_bs_utf32_valid(g->value)) { err = TB_BS_TYPE; break; }
                g->bits = 32;
            } else if (g->type == AM(binary) && size == AM(all)) {
                g->all = true;
                if ((err = tb_bs_binary_all_bits(g->value, &g->bits))) break;
            } else if (g->type == AM(append) || g->type == AM(private_append)) {
                g->bits = 0;
            } else {
                if ((err = tb_bs_size_bits(size, g->unit ? g->unit : 1, &g->bits))) break;
            }
        }
        if ((err = tb_bs_add_bits(&total, g->bits))) break;
    }
    if (err) { result = seg_error(p, err, &segs[k]); goto out; }
    /* pass 2: write */
    TbBitWriter w;
    k = 0;
    if (nseg && (segs[0].type == AM(append) || segs[0].type == AM(private_append))) {
        result = segs[0].type == AM(append)
                     ? tb_bs_append(p, segs[0].value, total, segs[0].unit, &w, &err)
                     : tb_bs_private_append(p, segs[0].value, total, segs[0].unit, &w, &err);
        if (result == TB_NONE) { result = seg_error(p, err, &segs[0]); goto out; }
        k = 1;
    } else {
        result = tb_bs_alloc(p, total, &w);
        if (result == TB_NONE) goto out;
    }
    for (; k < nseg; k++) {
        Seg *g = &segs[k];
        if (g->str) { tb_bs_put_string(&w, g->str, g->bits / 8); continue; }
        if (g->type == AM(integer)) err = tb_bs_put_integer(&w, g->value, g->bits, g->flags);
        else if (g->type == AM(float)) err = tb_bs_put_float(&w, g->value, g->bits, g->flags);
        else if (g->type == AM(binary)) err = g->all ? tb_bs_put_binary_all(&w, g->value, g->unit ? g->unit : 1)
                                                     : tb_bs_put_binary(&w, g->value, g->bits);
        else if (g->type == AM(utf8)) err = tb_bs_put_utf8(&w, g->value);
        else if (g->type == AM(utf16)) err = tb_bs_put_utf16(&w, g->value, g->flags);
        else if (g->type == AM(utf32)) err = tb_bs_put_utf32(&w, g->value, g->flags);
        if (err) { result = seg_error(p, err, g); goto out; }
    }
    tb_bs_clear_tail(&w);
out:
    if (segs != small) free(segs);
    return result;
}

Term tb_bs_writable(TbProcess *p, Term size) { return tb_bs_init_writable(p, size); }
Term tb_bs_start(TbProcess *p, Term t) { return tb_bs_start_match(p, t); }

bool tb_bs_get(TbProcess *p, TbMatchState *ms, int kind, Term size, UWord unit, UWord flags, Term *out) {
    UWord bits;
    if (kind == TB_BS_BINARY && size == AM(all)) return tb_bs_get_binary_all(p, ms, unit, out);
    if (!tb_bs_match_size_bits(size, unit, &bits)) return false;
    switch (kind) {
    case TB_BS_INTEGER: return tb_bs_get_integer(p, ms, bits, (unsigned)flags, out);
    case TB_BS_FLOAT: return tb_bs_get_float(p, ms, bits, (unsigned)flags, out);
    default: return tb_bs_get_binary(p, ms, bits, out);
    }
}

bool tb_bs_skip(TbMatchState *ms, Term size, UWord unit) {
    UWord bits;
    if (size == AM(all)) {
        if ((ms->size - ms->offset) % unit) return false;
        ms->offset = ms->size;
        return true;
    }
    if (!tb_bs_match_size_bits(size, unit, &bits) || ms->size - ms->offset < bits) return false;
    ms->offset += bits;
    return true;
}

bool tb_bs_match_bytes(TbMatchState *ms, const uint8_t *bytes, UWord bits) {
    if (ms->size - ms->offset < bits) return false;
    if (tb_cmp_bits(ms->base, ms->offset, bytes, 0, bits) != 0) return false;
    ms->offset += bits;
    return true;
}

bool tb_bs_utf(TbProcess *p, TbMatchState *ms, int which, UWord flags, Term *out) {
    (void)p;
    switch (which) {
    case 8: return tb_bs_get_utf8(ms, out);
    case 16: return tb_bs_get_utf16(ms, (unsigned)flags, out);
    default: return tb_bs_get_utf32(ms, (unsigned)flags, out);
    }
}

Term tb_bs_tail(TbProcess *p, TbMatchState *ms) { return tb_bs_get_tail(p, ms); }
