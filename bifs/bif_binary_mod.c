/* bif_binary_mod.c — the binary module's BIFs (ERTS's erl_bif_binary.c).
 *
 * Compiled patterns: ERTS returns {bm, MagicRef} / {ac, MagicRef}; tbeam
 * returns {bm, Binary} / {ac, [Binary]} (same tags, the pattern itself kept
 * as the second element) — only their printed form differs. */
#define _GNU_SOURCE            /* memmem */
#include "bif.h"
#include "../emu/binary.h"
#include "../emu/bits.h"
#include <stdlib.h>

/* Bytes of a binary argument (bitstrings refused, like ERTS's binary module). */
typedef struct { const uint8_t *b; size_t n; uint8_t *tmp; } Bytes;
static bool get_bytes(Term t, Bytes *out) {
    out->b = tb_binary_aligned_bytes(t, &out->n, &out->tmp);
    return out->b != NULL;
}

BIF_DECL(bif_binary_part_3) { return tb_binary_part(p, args[0], args[1], args[2]); }
BIF_DECL(bif_binary_part_2) {
    if (!is_tuple_arity(args[1], 2)) BADARG(p);
    return tb_binary_part(p, args[0], tuple_val(args[1])[1], tuple_val(args[1])[2]);
}

static int byte_at(Term bin, SWord pos) {          /* -1: not a binary or out of range */
    const uint8_t *b;
    UWord o, n;
    if (!is_bitstring(bin)) return -1;
    bitstring_view(bin, &b, &o, &n);
    if ((n & 7) || pos < 0 || (UWord)pos >= (n >> 3)) return -1;
    uint8_t v;
    tb_copy_bits(b, o + 8 * (UWord)pos, &v, 0, 8);
    return v;
}

BIF_DECL(bif_binary_at_2) {
    if (!is_small(args[1])) BADARG(p);
    int v = byte_at(args[0], small_val(args[1]));
    if (v < 0) BADARG(p);
    return make_small(v);
}

BIF_DECL(bif_binary_first_1) {
    int v = byte_at(args[0], 0);
    if (v < 0) BADARG(p);
    return make_small(v);
}

BIF_DECL(bif_binary_last_1) {
    if (!is_bitstring(args[0])) BADARG(p);
    int v = byte_at(args[0], (SWord)(bitstring_bitsize(args[0]) >> 3) - 1);
    if (v < 0) BADARG(p);
    return make_small(v);
}

static Term copy_n(TbProcess *p, Term bin, Term times) {
    Bytes s;
    if (!is_small(times) || small_val(times) < 0 || !get_bytes(bin, &s)) BADARG(p);
    size_t k = (size_t)small_val(times), total;
    if (__builtin_mul_overflow(s.n, k, &total) || total > TB_BINARY_MAX_BYTES) {
        free(s.tmp);
        BADARG(p);
    }
    Term r = tb_new_binary(p, NULL, total);
    uint8_t *out = tb_binary_bytes_for_write(r);
    if (s.n)
        for (size_t i = 0; i < k; i++) memcpy(out + i * s.n, s.b, s.n);
    free(s.tmp);
    return r;
}
BIF_DECL(bif_binary_copy_1) { return copy_n(p, args[0], make_small(1)); }
BIF_DECL(bif_binary_copy_2) { return copy_n(p, args[0], args[1]); }

static bool endian_arg(Term t, unsigned *flags) {
    if (t == AM(big)) { *flags = 0; return true; }
    if (t == AM(little)) { *flags = TB_BSF_LITTLE; return true; }
    return false;
}

static Term decode_unsigned(TbProcess *p, Term bin, Term endian) {
    unsigned flags;
    const uint8_t *b;
    UWord o, n;
    if (!endian_arg(endian, &flags) || !is_bitstring(bin)) BADARG(p);
    bitstring_view(bin, &b, &o, &n);
    if (n & 7) BADARG(p);
    /* a match state on the C stack: the bit syntax getter does the work */
    TbMatchState ms = {make_header(MATCH_STATE_WORDS - 1, HDR_SUB_MATCHSTATE), bin, b, o, o + n};
    Term out;
    tb_bs_get_integer(p, &ms, n, flags, &out);
    return out;
}
BIF_DECL(bif_binary_decode_unsigned_1) { return decode_unsigned(p, args[0], AM(big)); }
BIF_DECL(bif_binary_decode_unsigned_2) { return decode_unsigned(p, args[0], args[1]); }

static Term encode_unsigned(TbProcess *p, Term v, Term endian) {
    unsigned flags;
    UWord nbytes, top;
    if (!endian_arg(endian, &flags)) BADARG(p);
    if (is_small(v)) {
        if (small_val(v) < 0) BADARG(p);
        top = (UWord)small_val(v);
        nbytes = 0;
    } else if (is_big(v) && !big_sign(v)) {
        nbytes = 8 * (big_size(v) - 1);
        top = big_limbs(v)[big_size(v) - 1];
    } else {
        BADARG(p);
    }
    do { nbytes++; top >>= 8; } while (top);
    TbBitWriter w;
    Term r = tb_bs_alloc(p, 8 * nbytes, &w);
    tb_bs_put_integer(&w, v, 8 * nbytes, flags);
    return r;
}
BIF_DECL(bif_binary_encode_unsigned_1) { return encode_unsigned(p, args[0], AM(big)); }
BIF_DECL(bif_binary_encode_unsigned_2) { return encode_unsigned(p, args[0], args[1]); }

BIF_DECL(bif_binary_referenced_byte_size_1) {
    if (!is_bitstring(args[0])) BADARG(p);
    UWord offs;
    Term *r = boxed_val(tb_real_binary(args[0], &offs));
    size_t n = header_sub(*r) == HDR_SUB_REFC_BIN ? ((TbProcBin *)r)->val->orig_size : ((TbHeapBin *)r)->size;
    return make_small((SWord)n);
}

BIF_DECL(bif_binary_list_to_bin_1) {
    UWord bits;
    TbBitWriter w;
    if (!is_list(args[0]) && !is_nil(args[0])) BADARG(p);
    if (!tb_iolist_bits(args[0], false, &bits)) BADARG(p);
    Term r = tb_bs_alloc(p, bits, &w);
    tb_iolist_write(args[0], w.base);
    return r;
}

/* longest_common_prefix/suffix: a proper, non-empty list of binaries. */
static Term longest_common(TbProcess *p, Term l, bool suffix) {
    if (!is_list(l)) BADARG(p);
    Bytes first = {NULL, 0, NULL};
    size_t best = 0;
    bool have = false;
    for (Term t = l; !is_nil(t); t = CDR(list_val(t))) {
        Bytes b;
        if (!is_list(t) || !get_bytes(CAR(list_val(t)), &b)) {
            if (have) free(first.tmp);
            BADARG(p);
        }
        if (!have) { first = b; best = b.n; have = true; continue; }
        size_t k = 0, m = b.n < best ? b.n : best;
        if (suffix) while (k < m && first.b[first.n - 1 - k] == b.b[b.n - 1 - k]) k++;
        else while (k < m && first.b[k] == b.b[k]) k++;
        best = k;
        free(b.tmp);
    }
    free(first.tmp);
    return make_small((SWord)best);
}
BIF_DECL(bif_binary_longest_common_prefix_1) { return longest_common(p, args[0], false); }
BIF_DECL(bif_binary_longest_common_suffix_1) { return longest_common(p, args[0], true); }

/* ---- searching ---- */

#define MAX_PATTERNS 4096

typedef struct {
    Bytes pat[MAX_PATTERNS];
    size_t n;
    uint8_t first[32];         /* bitmap of first bytes */
} Patterns;

static void pats_free(Patterns *ps) {
    for (size_t i = 0; i < ps->n; i++) free(ps->pat[i].tmp);
    ps->n = 0;
}

static bool pats_add(Patterns *ps, Term b) {
    Bytes x;
    if (ps->n == MAX_PATTERNS || !get_bytes(b, &x)) return false;
    if (x.n == 0) { free(x.tmp); return false; }
    ps->pat[ps->n++] = x;
    ps->first[x.b[0] >> 3] |= (uint8_t)(1u << (x.b[0] & 7));
    return true;
}

static Term atom_bm, atom_ac;
static void pattern_atoms(void) {
    if (!atom_bm) { atom_bm = tb_atom_cstr("bm"); atom_ac = tb_atom_cstr("ac"); }
}

/* A binary, a non-empty proper list of non-empty binaries, or a compiled pattern. */
static bool pats_parse(Term t, Patterns *ps) {
    pattern_atoms();
    memset(ps->first, 0, sizeof ps->first);
    ps->n = 0;
    if (is_tuple_arity(t, 2)) {
        Term tag = tuple_val(t)[1];
        if (tag == atom_bm || tag == atom_ac) t = tuple_val(t)[2];
        else return false;
    }
    if (is_bitstring(t)) return pats_add(ps, t);
    if (!is_list(t)) return false;
    for (; is_list(t); t = CDR(list_val(t)))
        if (!pats_add(ps, CAR(list_val(t)))) { pats_free(ps); return false; }
    if (!is_nil(t)) { pats_free(ps); return false; }
    return true;
}

/* Leftmost, then longest match in s[from, to). */
static bool find(const Patterns *ps, const uint8_t *s, size_t from, size_t to, size_t *pos, size_t *len) {
    if (ps->n == 1) {
        const Bytes *x = &ps->pat[0];
        if (to - from < x->n) return false;
        const uint8_t *hit = memmem(s + from, to - from, x->b, x->n);
        if (!hit) return false;
        *pos = (size_t)(hit - s);
        *len = x->n;
        return true;
    }
    for (size_t i = from; i < to; i++) {
        if (!(ps->first[s[i] >> 3] & (1u << (s[i] & 7)))) continue;
        size_t best = 0;
        for (size_t k = 0; k < ps->n; k++) {
            const Bytes *x = &ps->pat[k];
            if (x->n > best && x->n <= to - i && memcmp(s + i, x->b, x->n) == 0) best = x->n;
        }
        if (best) { *pos = i; *len = best; return true; }
    }
    return false;
}

enum { OPT_GLOBAL = 1, OPT_TRIM = 2, OPT_TRIM_ALL = 4 };

/* [{scope, {Start, Len}}] (+ global/trim/trim_all for split); the last scope wins. */
static bool parse_opts(Term opts, size_t size, bool split, size_t *from, size_t *to, unsigned *flags) {
    *from = 0;
    *to = size;
    *flags = 0;
    static Term a_scope, a_global, a_trim, a_trim_all;
    if (!a_scope) {
        a_scope = tb_atom_cstr("scope");
        a_global = tb_atom_cstr("global");
        a_trim = tb_atom_cstr("trim");
        a_trim_all = tb_atom_cstr("trim_all");
    }
    for (; is_list(opts); opts = CDR(list_val(opts))) {
        Term o = CAR(list_val(opts));
        if (split && o == a_global) *flags |= OPT_GLOBAL;
        else if (split && o == a_trim) *flags |= OPT_TRIM;
        else if (split && o == a_trim_all) *flags |= OPT_TRIM_ALL;
        else if (is_tuple_arity(o, 2) && tuple_val(o)[1] == a_scope && is_tuple_arity(tuple_val(o)[2], 2)) {
            Term *sc = tuple_val(tuple_val(o)[2]);
            if (!is_small(sc[1]) || !is_small(sc[2])) return false;
            SWord s = small_val(sc[1]), l = small_val(sc[2]);
            if (l < 0) { s += l; l = -l; }
            if (s < 0 || (UWord)s > size || (UWord)l > size - (UWord)s) return false;
            *from = (size_t)s;
            *to = (size_t)(s + l);
        } else {
            return false;
        }
    }
    return is_nil(opts);
}

static Term pos_len(TbProcess *p, size_t pos, size_t len) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = make_small((SWord)pos);
    hp[2] = make_small((SWord)len);
    return make_boxed(hp);
}

/* Shared set-up for match/matches/split; returns false on badarg. */
typedef struct { Bytes subj; Patterns pats; size_t from, to; unsigned flags; } Search;
static bool search_init(Search *s, Term subj, Term pat, Term opts, bool split) {
    if (!get_bytes(subj, &s->subj)) return false;
    if (!pats_parse(pat, &s->pats)) { free(s->subj.tmp); return false; }
    if (!parse_opts(opts, s->subj.n, split, &s->from, &s->to, &s->flags)) {
        pats_free(&s->pats);
        free(s->subj.tmp);
        return false;
    }
    return true;
}
static void search_done(Search *s) { pats_free(&s->pats); free(s->subj.tmp); }

static Term do_match(TbProcess *p, Term subj, Term pat, Term opts) {
    Search *s = malloc(sizeof *s);
    if (!s) abort();
    if (!search_init(s, subj, pat, opts, false)) { free(s); BADARG(p); }
    size_t pos, len;
    Term r = find(&s->pats, s->subj.b, s->from, s->to, &pos, &len) ? pos_len(p, pos, len) : AM(nomatch);
    search_done(s);
    free(s);
    return r;
}
BIF_DECL(bif_binary_match_2) { return do_match(p, args[0], args[1], NIL); }
BIF_DECL(bif_binary_match_3) { return do_match(p, args[0], args[1], args[2]); }

/* Collected results, consed up in order at the end. */
typedef struct { Term *v; size_t n, cap; } TermVec;
static void tv_push(TermVec *tv, Term t) {
    if (tv->n == tv->cap) {
        tv->cap = tv->cap ? 2 * tv->cap : 16;
        tv->v = realloc(tv->v, tv->cap * sizeof(Term));
        if (!tv->v) abort();
    }
    tv->v[tv->n++] = t;
}
static Term tv_list(TbProcess *p, TermVec *tv) {
    Term l = NIL;
    if (tv->n) {
        Term *hp = tb_halloc(p, 2 * tv->n);
        for (size_t i = 0; i < tv->n; i++) {
            hp[2 * i] = tv->v[i];
            hp[2 * i + 1] = i + 1 < tv->n ? make_list(hp + 2 * i + 2) : NIL;
        }
        l = make_list(hp);
    }
    free(tv->v);
    return l;
}

static Term do_matches(TbProcess *p, Term subj, Term pat, Term opts) {
    Search *s = malloc(sizeof *s);
    if (!s) abort();
    if (!search_init(s, subj, pat, opts, false)) { free(s); BADARG(p); }
    TermVec tv = {0};
    size_t at = s->from, pos, len;
    while (at < s->to && find(&s->pats, s->subj.b, at, s->to, &pos, &len)) {
        tv_push(&tv, pos_len(p, pos, len));
        at = pos + len;
    }
    search_done(s);
    free(s);
    return tv_list(p, &tv);
}
BIF_DECL(bif_binary_matches_2) { return do_matches(p, args[0], args[1], NIL); }
BIF_DECL(bif_binary_matches_3) { return do_matches(p, args[0], args[1], args[2]); }

/* Parts between matches; the first part starts at 0 and the last runs to the
 * end of the subject whatever the scope, like ERTS. */
static Term do_split(TbProcess *p, Term subj, Term pat, Term opts) {
    Search *s = malloc(sizeof *s);
    if (!s) abort();
    if (!search_init(s, subj, pat, opts, true)) { free(s); BADARG(p); }
    TermVec tv = {0};
    size_t at = s->from, start = 0, pos, len;
    while (at < s->to && find(&s->pats, s->subj.b, at, s->to, &pos, &len)) {
        if (!(s->flags & OPT_TRIM_ALL) || pos > start)
            tv_push(&tv, tb_make_sub_binary(p, subj, 8 * start, 8 * (pos - start)));
        start = at = pos + len;
        if (!(s->flags & OPT_GLOBAL)) break;
    }
    size_t size = s->subj.n;
    if (!(s->flags & OPT_TRIM_ALL) || size > start) tv_push(&tv, tb_make_sub_binary(p, subj, 8 * start, 8 * (size - start)));
    if (s->flags & (OPT_TRIM | OPT_TRIM_ALL))
        while (tv.n && bitstring_bitsize(tv.v[tv.n - 1]) == 0) tv.n--;
    search_done(s);
    free(s);
    return tv_list(p, &tv);
}
BIF_DECL(bif_binary_split_2) { return do_split(p, args[0], args[1], NIL); }
BIF_DECL(bif_binary_split_3) { return do_split(p, args[0], args[1], args[2]); }

BIF_DECL(bif_binary_compile_pattern_1) {
    Patterns *ps = malloc(sizeof *ps);
    if (!ps) abort();
    bool ok = pats_parse(args[0], ps);
    size_t n = ps->n;
    pats_free(ps);
    free(ps);
    if (!ok || is_tuple(args[0])) BADARG(p);
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = n == 1 ? atom_bm : atom_ac;
    hp[2] = n == 1 && is_list(args[0]) ? CAR(list_val(args[0])) : args[0];
    return make_boxed(hp);
}
