/* compare.c — term order (see compare.h).  One iterative walker serves
 * ==, =:=, compare and map-key compare; its explicit stack starts in a
 * local array and moves to the C heap only for deeply nested terms. */
#include "compare.h"
#include "atom.h"
#include "module.h"
#include "print.h"
#include <math.h>
#include <stdlib.h>

#if __has_include("big.h")
#include "big.h"
#else
int tb_big_cmp(Term a, Term b);
#endif
#if __has_include("map.h")
#include "map.h"
#else
int tb_map_cmp(Term a, Term b);
bool tb_map_eq_exact(Term a, Term b);
UWord tb_map_size(Term map);
Term tb_map_get(Term map, Term key);
#endif

/* Type ranks in term order; numbers share one rank. */
enum {
    R_NUM, R_ATOM, R_REF, R_LFUN, R_XFUN, R_PORT, R_PID, R_TUPLE, R_MAP,
    R_NIL, R_LIST, R_BITS, R_OTHER
};

static int rank(Term t) {
    switch (primary_tag(t)) {
    case TAG_PRIMARY_LIST: return R_LIST;
    case TAG_PRIMARY_IMMED1:
        switch (t & TAG_IMMED1_MASK) {
        case TAG_IMMED1_SMALL: return R_NUM;
        case TAG_IMMED1_PID: return R_PID;
        case TAG_IMMED1_PORT: return R_PORT;
        default:
            if (is_atom(t)) return R_ATOM;
            if (is_nil(t)) return R_NIL;
            return R_OTHER;
        }
    case TAG_PRIMARY_BOXED:
        switch (header_sub(*boxed_val(t))) {
        case HDR_SUB_TUPLE: return R_TUPLE;
        case HDR_SUB_POS_BIG: case HDR_SUB_NEG_BIG: case HDR_SUB_FLOAT: return R_NUM;
        case HDR_SUB_REF: case HDR_SUB_EXT_REF: return R_REF;
        case HDR_SUB_FUN: return R_LFUN;
        case HDR_SUB_EXPORT: return R_XFUN;
        case HDR_SUB_EXT_PORT: return R_PORT;
        case HDR_SUB_EXT_PID: return R_PID;
        case HDR_SUB_FLATMAP: case HDR_SUB_HASHMAP: return R_MAP;
        case HDR_SUB_REFC_BIN: case HDR_SUB_HEAP_BIN: case HDR_SUB_SUB_BIN: return R_BITS;
        default: return R_OTHER;
        }
    default: return R_OTHER;
    }
}

static inline int sgn_u(UWord x, UWord y) { return x < y ? -1 : x > y; }
static inline int sgn_s(SWord x, SWord y) { return x < y ? -1 : x > y; }

/* ---- numbers ---- */

/* |big| (limbs, n) against a finite double m >= 0, exactly. */
static int big_mag_cmp_double(const UWord *limbs, UWord n, double m) {
    while (n > 1 && limbs[n - 1] == 0) n--;
    if (m < 1.0) return 1;                       /* a bignum is >= 2^59 */
    int e;
    double f = frexp(m, &e);                     /* m = f * 2^e, f in [0.5,1) */
    UWord bits = 64 * (n - 1) + (64 - (UWord)__builtin_clzll(limbs[n - 1]));
    if (bits != (UWord)e) return bits > (UWord)e ? 1 : -1;
    /* Same bit length (>= 60 > 53): m is the integer M << s. */
    uint64_t M = (uint64_t)ldexp(f, 53);
    UWord s = (UWord)e - 53, w = s / 64, off = s % 64;
    for (UWord k = n; k-- > 0;) {
        uint64_t ml = 0;
        if (k == w) ml = M << off;
        else if (k == w + 1 && off) ml = M >> (64 - off);
        if (limbs[k] != ml) return limbs[k] < ml ? -1 : 1;
    }
    return 0;
}

/* Integer vs double by exact value. */
static int int_double_cmp(Term i, double d) {
    if (is_small(i)) {
        SWord v = small_val(i);
        if (d >= 0x1p60) return -1;              /* |v| < 2^59 */
        if (d <= -0x1p60) return 1;
        SWord t = (SWord)d;                      /* exact truncation */
        if (v != t) return v < t ? -1 : 1;
        double frac = d - (double)t;             /* exact */
        return frac > 0 ? -1 : frac < 0 ? 1 : 0;
    }
    bool neg = big_sign(i);
    if (!neg && d <= 0) return 1;
    if (neg && d >= 0) return -1;
    int c = big_mag_cmp_double(big_limbs(i), big_size(i), fabs(d));
    return neg ? -c : c;
}

static int num_cmp(Term a, Term b, int exact) {
    bool fa = is_float(a), fb = is_float(b);
    if (!fa && !fb) {
        if (is_small(a) && is_small(b)) return sgn_s((SWord)a, (SWord)b);
        return tb_big_cmp(a, b);
    }
    if (fa && fb) {
        double x = float_val(a), y = float_val(b);
        return x < y ? -1 : x > y;               /* 0.0 == -0.0, also for =:= in OTP 25 */
    }
    if (exact) return fa ? 1 : -1;               /* map-key order: integers before floats */
    return fa ? -int_double_cmp(b, float_val(a)) : int_double_cmp(a, float_val(b));
}

/* ---- atoms, bitstrings ---- */

static int atom_cmp(Term a, Term b) {
    const TbAtom *x = atom_entry(a), *y = atom_entry(b);
    uint32_t n = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->name, y->name, n);
    if (r) return r < 0 ? -1 : 1;
    return sgn_u(x->len, y->len);
}

/* k (1..8) bits at absolute bit position pos, right-aligned. */
static inline unsigned get_bits(const uint8_t *p, UWord pos, unsigned k) {
    const uint8_t *q = p + (pos >> 3);
    unsigned o = pos & 7, v = (unsigned)q[0] << 8;
    if (o + k > 8) v |= q[1];
    return (v >> (16 - o - k)) & ((1u << k) - 1);
}

static int bits_cmp(Term a, Term b) {
    const uint8_t *pa, *pb;
    UWord oa, ob, sa, sb;
    bitstring_view(a, &pa, &oa, &sa);
    bitstring_view(b, &pb, &ob, &sb);
    UWord min = sa < sb ? sa : sb, nbytes = min >> 3, i = 0;
    if (((oa | ob) & 7) == 0) {
        int r = memcmp(pa + (oa >> 3), pb + (ob >> 3), nbytes);
        if (r) return r < 0 ? -1 : 1;
        i = nbytes;
    }
    for (; i < nbytes; i++) {
        unsigned x = get_bits(pa, oa + 8 * i, 8), y = get_bits(pb, ob + 8 * i, 8);
        if (x != y) return x < y ? -1 : 1;
    }
    if (min & 7) {
        unsigned k = min & 7;
        unsigned x = get_bits(pa, oa + 8 * nbytes, k), y = get_bits(pb, ob + 8 * nbytes, k);
        if (x != y) return x < y ? -1 : 1;
    }
    return sgn_u(sa, sb);
}

/* ---- hash maps (> 32 keys): mostly delegated to emu/map.c ---- */

typedef struct { Term b, min_key; int res; bool keys_differ; } HmState;

static void hm_visit(Term node, HmState *st) {
    TbHamtView v;
    tb_hashmap_view(node, &v);
    for (unsigned i = 0; i < v.n && !st->keys_differ; i++) {
        Term s = v.slots[i];
        if (!is_list(s)) { hm_visit(s, st); continue; }   /* depth bounded by hash bits */
        Term k = CAR(list_val(s)), vb = tb_map_get(st->b, k);
        if (vb == TB_NONE) { st->keys_differ = true; return; }
        int c = tb_cmp_exact(CDR(list_val(s)), vb);
        if (c && (st->min_key == TB_NONE || tb_cmp_exact(k, st->min_key) < 0)) {
            st->min_key = k;
            st->res = c;
        }
    }
}

/* Both hash maps of equal size. */
static int hashmap_cmp(Term a, Term b, int exact, bool eq_only) {
    if (!exact) return tb_map_cmp(a, b);         /* keys exact, values == */
    if (eq_only) return tb_map_eq_exact(a, b) ? 0 : 1;
    /* Map-key order: the keys decide first (tb_map_cmp compares them
     * exactly); with equal keys the smallest key whose values differ
     * (exactly) decides. */
    HmState st = { b, TB_NONE, 0, false };
    hm_visit(a, &st);
    return st.keys_differ ? tb_map_cmp(a, b) : st.res;
}

/* ---- the walker ---- */

enum { OP_PAIR, OP_ARRAY, OP_EXACT };
typedef struct {
    unsigned op;
    UWord n;                  /* OP_ARRAY: pairs left; OP_EXACT: value to restore */
    const Term *pa, *pb;      /* OP_ARRAY */
    Term ta, tb;              /* OP_PAIR */
} Frame;

typedef struct { Frame *f; size_t sp, cap; Frame local[48]; } Stack;

static Frame *push(Stack *s) {
    if (s->sp == s->cap) {
        size_t nc = s->cap * 2;
        Frame *nf = s->f == s->local ? malloc(nc * sizeof *nf) : realloc(s->f, nc * sizeof *nf);
        if (!nf) abort();
        if (s->f == s->local) memcpy(nf, s->local, sizeof s->local);
        s->f = nf;
        s->cap = nc;
    }
    return &s->f[s->sp++];
}

static int walk(Term a, Term b, int exact, bool eq_only) {
    Stack st;
    st.f = st.local;
    st.sp = 0;
    st.cap = sizeof st.local / sizeof st.local[0];
    int r = 0;

top:
    if (a == b) goto pop;
    {
        int ra = rank(a), rb = rank(b);
        if (ra != rb) { r = ra < rb ? -1 : 1; goto done; }
        switch (ra) {
        case R_NUM:
            if ((r = num_cmp(a, b, exact)) != 0) goto done;
            goto pop;
        case R_ATOM:
            r = atom_cmp(a, b);
            goto done;                           /* distinct atoms differ */
        case R_PID:
        case R_PORT:
            if (is_immed(a) && is_immed(b)) { r = sgn_u(a >> 4, b >> 4); goto done; }
            r = is_immed(a) ? -1 : is_immed(b) ? 1 : 0;   /* local before remote */
            if (r) goto done;
            break;                               /* remote vs remote: raw words below */
        case R_REF:
            if (is_ref(a) && is_ref(b)) {
                const uint32_t *x = tb_ref_numbers(a), *y = tb_ref_numbers(b);
                for (int i = 2; i >= 0; i--)
                    if (x[i] != y[i]) { r = x[i] < y[i] ? -1 : 1; goto done; }
                goto pop;
            }
            r = is_ref(a) ? -1 : is_ref(b) ? 1 : 0;
            if (r) goto done;
            break;
        case R_XFUN: {
            const TbExport *x = export_fun_val(a), *y = export_fun_val(b);
            if (x == y) goto pop;
            if (x->module != y->module) { r = atom_cmp(x->module, y->module); goto done; }
            if (x->function != y->function) { r = atom_cmp(x->function, y->function); goto done; }
            r = sgn_u(x->arity, y->arity);
            if (r) goto done;
            goto pop;
        }
        case R_LFUN: {
            const TbFunThing *x = (const TbFunThing *)boxed_val(a), *y = (const TbFunThing *)boxed_val(b);
            const TbFunEntry *fx = x->fe, *fy = y->fe;
            if (fx != fy) {
                if (fx->module_name != fy->module_name) { r = atom_cmp(fx->module_name, fy->module_name); goto done; }
                if ((r = sgn_u(fx->index, fy->index)) != 0) goto done;
                if ((r = sgn_s((int32_t)fx->old_uniq, (int32_t)fy->old_uniq)) != 0) goto done;
            }
            UWord na = header_arity(x->header) - 2, nb = header_arity(y->header) - 2;
            if ((r = sgn_u(na, nb)) != 0) goto done;
            if (na == 0) goto pop;
            Frame *f = push(&st);
            *f = (Frame){ .op = OP_ARRAY, .n = na, .pa = x->env, .pb = y->env };
            goto pop;
        }
        case R_TUPLE: {
            UWord na = tuple_arity(a), nb = tuple_arity(b);
            if ((r = sgn_u(na, nb)) != 0) goto done;
            if (na == 0) goto pop;
            const Term *pa = tuple_val(a) + 1, *pb = tuple_val(b) + 1;
            if (na > 1) {
                Frame *f = push(&st);
                *f = (Frame){ .op = OP_ARRAY, .n = na - 1, .pa = pa + 1, .pb = pb + 1 };
            }
            a = pa[0];
            b = pb[0];
            goto top;
        }
        case R_MAP: {
            if (is_flatmap(a) && is_flatmap(b)) {
                const TbFlatMap *x = (const TbFlatMap *)boxed_val(a), *y = (const TbFlatMap *)boxed_val(b);
                if ((r = sgn_u(x->size, y->size)) != 0) goto done;
                if (x->size == 0) goto pop;
                /* keys exactly first (as key tuples), then values */
                Frame *f = push(&st);
                *f = (Frame){ .op = OP_ARRAY, .n = x->size, .pa = x->values, .pb = y->values };
                if (!exact) {
                    f = push(&st);
                    *f = (Frame){ .op = OP_EXACT, .n = 0 };
                    exact = 1;
                }
                a = x->keys;
                b = y->keys;
                goto top;
            }
            UWord sa = tb_map_size(a), sb = tb_map_size(b);
            if ((r = sgn_u(sa, sb)) != 0) goto done;
            if ((r = hashmap_cmp(a, b, exact, eq_only)) != 0) goto done;
            goto pop;
        }
        case R_LIST:
            for (;;) {
                const Term *ca = list_val(a), *cb = list_val(b);
                if (CAR(ca) != CAR(cb)) {
                    Term ha = CAR(ca), hb = CAR(cb);
                    if (is_small(ha) && is_small(hb)) { r = sgn_s((SWord)ha, (SWord)hb); goto done; }
                    Frame *f = push(&st);
                    *f = (Frame){ .op = OP_PAIR, .ta = CDR(ca), .tb = CDR(cb) };
                    a = ha;
                    b = hb;
                    goto top;
                }
                a = CDR(ca);
                b = CDR(cb);
                if (!is_list(a) || !is_list(b)) goto top;
                if (a == b) goto pop;
            }
        case R_BITS:
            if ((r = bits_cmp(a, b)) != 0) goto done;
            goto pop;
        default:
            break;
        }
        /* Terms without an Erlang order (remote pids/ports/refs, internal
         * objects): compare their words so the result is at least stable. */
        if (is_boxed(a) && is_boxed(b)) {
            const Term *pa = boxed_val(a), *pb = boxed_val(b);
            UWord na = header_arity(*pa), nb = header_arity(*pb);
            if ((r = sgn_u(na, nb)) != 0) goto done;
            for (UWord i = 1; i <= na; i++)
                if (pa[i] != pb[i]) { r = sgn_u(pa[i], pb[i]); goto done; }
            goto pop;
        }
        r = sgn_u(a, b);
        goto done;
    }

pop:
    while (st.sp) {
        Frame *f = &st.f[st.sp - 1];
        switch (f->op) {
        case OP_PAIR:
            a = f->ta;
            b = f->tb;
            st.sp--;
            goto top;
        case OP_ARRAY:
            a = *f->pa++;
            b = *f->pb++;
            if (--f->n == 0) st.sp--;
            goto top;
        default:                                 /* OP_EXACT */
            exact = (int)f->n;
            st.sp--;
            break;
        }
    }
    r = 0;

done:
    if (st.f != st.local) free(st.f);
    return r;
}

int tb_cmp(Term a, Term b) {
    if (a == b) return 0;
    if (is_small(a) && is_small(b)) return sgn_s((SWord)a, (SWord)b);
    if (is_atom(a) && is_atom(b)) return atom_cmp(a, b);
    return walk(a, b, 0, false);
}

int tb_cmp_exact(Term a, Term b) {
    if (a == b) return 0;
    if (is_small(a) && is_small(b)) return sgn_s((SWord)a, (SWord)b);
    if (is_atom(a) && is_atom(b)) return atom_cmp(a, b);
    return walk(a, b, 1, false);
}

bool tb_eq(Term a, Term b) {
    if (a == b) return true;
    if (is_immed(a) && is_immed(b)) return false;
    return walk(a, b, 0, true) == 0;
}

/* =:= without ranks for what dominates (map keys, records): lists and
 * tuples are compared here word by word; other boxed pairs go to walk.
 * Pending element runs sit in a small array; a nesting deeper than it
 * hands the rest of that subterm to walk. */
bool tb_eq_exact(Term a, Term b) {
    struct { const Term *pa, *pb; UWord n; } st[32];
    int sp = 0;
    for (;;) {
        if (a != b) {
            if (primary_tag(a) != primary_tag(b) || is_immed(a)) return false;
            if (is_list(a)) {
                const Term *ca = list_val(a), *cb = list_val(b);
                if (sp == 32) { if (walk(a, b, 1, true) != 0) return false; goto next; }
                st[sp].pa = &CDR(ca); st[sp].pb = &CDR(cb); st[sp].n = 1; sp++;
                a = CAR(ca); b = CAR(cb);
                continue;
            }
            const Term *pa = boxed_val(a), *pb = boxed_val(b);
            if (header_sub(*pa) == HDR_SUB_TUPLE) {
                if (*pa != *pb) return false;             /* other arity, or not a tuple */
                UWord n = header_arity(*pa);
                if (n == 0) goto next;
                if (n > 1) {
                    if (sp == 32) { if (walk(a, b, 1, true) != 0) return false; goto next; }
                    st[sp].pa = pa + 2; st[sp].pb = pb + 2; st[sp].n = n - 1; sp++;
                }
                a = pa[1]; b = pb[1];
                continue;
            }
            if (walk(a, b, 1, true) != 0) return false;
        }
    next:
        if (sp == 0) return true;
        a = *st[sp - 1].pa++;
        b = *st[sp - 1].pb++;
        if (--st[sp - 1].n == 0) sp--;
    }
}
