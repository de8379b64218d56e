/* bif_atomics.c — atomics (erts_internal:atomics_new/2, atomics:put/get/
 * add/add_get/exchange/compare_exchange/info) and the write_concurrency
 * counters (erts_internal:counters_*).  The stock atomics.erl/counters.erl
 * wrap these; plain counters are atomics.
 *
 * An array is a NIF resource (emu/resource.h) held by a magic reference, as
 * in ERTS; its 64-bit cells are updated with GCC atomics.  Values wrap
 * around as two's complement words: a signed array reads them as int64, an
 * unsigned one as uint64; an increment may be any integer of either range.
 *
 * Results and badargs follow ERTS 25: an index is 1..size (0, negatives and
 * bignums are badarg); new/2 with a size beyond what a word can address is
 * system_limit.  info/1 reports memory as ERTS computes it (its magic binary
 * size): 40 + 8 * Size bytes for atomics; for counters one 64-byte cache
 * line per 8 counters per slot, with (schedulers + 1) slots (tbeam has one
 * scheduler), plus 32. */
#include "bif.h"
#include "../emu/resource.h"
#include "../emu/big.h"
#include "../emu/map.h"
#include <stdlib.h>

#define TB_NO_SCHEDULERS 1              /* keep in step with bif_system.c */
#define CTR_SLOTS (TB_NO_SCHEDULERS + 1) /* ERTS: one per scheduler + the base value */
#define CTR_PER_LINE 8                  /* 64-bit counters per 64-byte cache line */

typedef struct Atomics {
    bool is_signed;
    UWord n;
    UWord memory;                       /* bytes, as ERTS reports */
    int64_t *v;
} Atomics;

/* Counters: CTR_SLOTS consecutive lines hold slot 0..CTR_SLOTS-1 of the
 * same 8 counters; slot 0 is the base value put/2 writes. */
typedef struct Counters {
    UWord n;
    UWord memory;
    int64_t *v;
} Counters;

static void atomics_dtor(void *data) { free(((Atomics *)data)->v); }
static void counters_dtor(void *data) { free(((Counters *)data)->v); }
static const TbResourceType atomics_type = {"atomics", atomics_dtor};
static const TbResourceType counters_type = {"counters", counters_dtor};

static Term am_size, am_min, am_memory, am_system_limit;
static void atoms_init(void) {
    if (am_size) return;
    am_min = tb_atom_cstr("min");
    am_memory = tb_atom_cstr("memory");
    am_system_limit = tb_atom_cstr("system_limit");
    am_size = tb_atom_cstr("size");
}

/* ERTS's term_to_UWord: 0 = ok, else the error (badarg, or system_limit for a
 * positive integer beyond a word). */
static Term to_uword(Term t, UWord *out) {
    if (is_small(t)) {
        if (small_val(t) < 0) return AM_badarg;
        *out = (UWord)small_val(t);
        return 0;
    }
    if (is_big(t)) {
        if (big_sign(t)) return AM_badarg;
        uint64_t u;
        if (!tb_integer_to_uint64(t, &u)) { atoms_init(); return am_system_limit; }
        *out = u;
        return 0;
    }
    return AM_badarg;
}

/* A 1-based index into n cells, as a 0-based one. */
static bool to_index(Term t, UWord n, UWord *ix) {
    UWord u;
    if (to_uword(t, &u) != 0) return false;
    if (u - 1 >= n) return false;       /* 0 wraps around, as in ERTS */
    *ix = u - 1;
    return true;
}

static bool to_int64(Term t, int64_t *out) { return is_integer(t) && tb_integer_to_int64(t, out); }
static bool to_uint64(Term t, uint64_t *out) { return is_integer(t) && tb_integer_to_uint64(t, out); }

/* An increment: any int64 or uint64 value, as its 64-bit pattern. */
static bool to_incr(Term t, int64_t *out) {
    if (to_int64(t, out)) return true;
    uint64_t u;
    if (!to_uint64(t, &u)) return false;
    *out = (int64_t)u;
    return true;
}

/* ---------------- atomics ---------------- */

static Atomics *get_atomics(Term ref) { return tb_get_resource(ref, &atomics_type); }

static bool get_value(const Atomics *a, Term t, int64_t *out) {
    if (a->is_signed) return to_int64(t, out);
    uint64_t u;
    if (!to_uint64(t, &u)) return false;
    *out = (int64_t)u;
    return true;
}

static Term make_value(TbProcess *p, const Atomics *a, int64_t v) {
    return a->is_signed ? tb_make_integer(p, v) : tb_make_uinteger(p, (uint64_t)v);
}

BIF_DECL(bif_ei_atomics_new_2) {
    UWord n, opts;
    Term err = to_uword(args[0], &n);
    if (err) BIF_ERROR(p, err);
    if (n == 0) BADARG(p);
    if ((err = to_uword(args[1], &opts)) != 0) BIF_ERROR(p, err);
    atoms_init();
    if (n > UINT64_MAX / sizeof(int64_t)) BIF_ERROR(p, am_system_limit);
    int64_t *v = calloc(n, sizeof *v);
    if (!v) BIF_ERROR(p, am_system_limit);     /* ERTS aborts the VM here */
    Atomics *a = tb_resource_alloc(&atomics_type, sizeof *a);
    a->is_signed = opts & 1;
    a->n = n;
    a->memory = 40 + n * sizeof(int64_t);
    a->v = v;
    Term ref = tb_make_magic_ref(p, a);
    tb_resource_release(tb_resource_of(a));
    return ref;
}

BIF_DECL(bif_atomics_put_3) {
    Atomics *a = get_atomics(args[0]);
    UWord ix;
    int64_t val;
    if (!a || !to_index(args[1], a->n, &ix) || !get_value(a, args[2], &val)) BADARG(p);
    __atomic_store_n(&a->v[ix], val, __ATOMIC_SEQ_CST);
    return AM_ok;
}

BIF_DECL(bif_atomics_get_2) {
    Atomics *a = get_atomics(args[0]);
    UWord ix;
    if (!a || !to_index(args[1], a->n, &ix)) BADARG(p);
    return make_value(p, a, __atomic_load_n(&a->v[ix], __ATOMIC_SEQ_CST));
}

/* Two's complement wrap-around: add as unsigned words. */
static int64_t add_wrap(int64_t *cell, int64_t incr) {
    return (int64_t)__atomic_add_fetch((uint64_t *)cell, (uint64_t)incr, __ATOMIC_SEQ_CST);
}

BIF_DECL(bif_atomics_add_3) {
    Atomics *a = get_atomics(args[0]);
    UWord ix;
    int64_t incr;
    if (!a || !to_index(args[1], a->n, &ix) || !to_incr(args[2], &incr)) BADARG(p);
    add_wrap(&a->v[ix], incr);
    return AM_ok;
}

BIF_DECL(bif_atomics_add_get_3) {
    Atomics *a = get_atomics(args[0]);
    UWord ix;
    int64_t incr;
    if (!a || !to_index(args[1], a->n, &ix) || !to_incr(args[2], &incr)) BADARG(p);
    return make_value(p, a, add_wrap(&a->v[ix], incr));
}

BIF_DECL(bif_atomics_exchange_3) {
    Atomics *a = get_atomics(args[0]);
    UWord ix;
    int64_t val;
    if (!a || !to_index(args[1], a->n, &ix) || !get_value(a, args[2], &val)) BADARG(p);
    return make_value(p, a, __atomic_exchange_n(&a->v[ix], val, __ATOMIC_SEQ_CST));
}

BIF_DECL(bif_atomics_compare_exchange_4) {
    Atomics *a = get_atomics(args[0]);
    UWord ix;
    int64_t expected, desired;
    if (!a || !to_index(args[1], a->n, &ix) || !get_value(a, args[2], &expected) ||
        !get_value(a, args[3], &desired))
        BADARG(p);
    int64_t was = expected;
    if (__atomic_compare_exchange_n(&a->v[ix], &was, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return AM_ok;
    return make_value(p, a, was);
}

BIF_DECL(bif_atomics_info_1) {
    Atomics *a = get_atomics(args[0]);
    if (!a) BADARG(p);
    atoms_init();
    Term keys[4] = {AM(max), am_min, am_size, am_memory};
    Term vals[4] = {
        a->is_signed ? tb_make_integer(p, INT64_MAX) : tb_make_uinteger(p, UINT64_MAX),
        a->is_signed ? tb_make_integer(p, INT64_MIN) : make_small(0),
        tb_make_uinteger(p, a->n),
        tb_make_uinteger(p, a->memory),
    };
    return tb_map_from_pairs(p, keys, vals, 4);
}

/* ---------------- counters (write_concurrency) ---------------- */

static Counters *get_counters(Term ref) { return tb_get_resource(ref, &counters_type); }

/* The cell of counter ix in slot s. */
static int64_t *ctr_cell(Counters *c, UWord ix, unsigned s) {
    return &c->v[((ix / CTR_PER_LINE) * CTR_SLOTS + s) * CTR_PER_LINE + ix % CTR_PER_LINE];
}

BIF_DECL(bif_ei_counters_new_1) {
    UWord n;
    Term err = to_uword(args[0], &n);
    if (err) BIF_ERROR(p, err);
    if (n == 0) BADARG(p);
    atoms_init();
    if (n > UINT64_MAX / (sizeof(int64_t) * 2 * CTR_SLOTS)) BIF_ERROR(p, am_system_limit);
    UWord lines = CTR_SLOTS * ((n + CTR_PER_LINE - 1) / CTR_PER_LINE);
    int64_t *v = calloc(lines * CTR_PER_LINE, sizeof *v);
    if (!v) BIF_ERROR(p, am_system_limit);     /* ERTS aborts the VM here */
    Counters *c = tb_resource_alloc(&counters_type, sizeof *c);
    c->n = n;
    c->memory = 32 + lines * 64;
    c->v = v;
    Term ref = tb_make_magic_ref(p, c);
    tb_resource_release(tb_resource_of(c));
    return ref;
}

BIF_DECL(bif_ei_counters_get_2) {
    Counters *c = get_counters(args[0]);
    UWord ix;
    if (!c || !to_index(args[1], c->n, &ix)) BADARG(p);
    uint64_t sum = 0;
    for (unsigned s = 0; s < CTR_SLOTS; s++) sum += (uint64_t)__atomic_load_n(ctr_cell(c, ix, s), __ATOMIC_RELAXED);
    return tb_make_integer(p, (int64_t)sum);
}

BIF_DECL(bif_ei_counters_add_3) {
    Counters *c = get_counters(args[0]);
    UWord ix;
    int64_t incr;
    if (!c || !to_index(args[1], c->n, &ix) || !to_incr(args[2], &incr)) BADARG(p);
    int64_t *cell = ctr_cell(c, ix, 1);            /* this scheduler's slot */
    uint64_t v = (uint64_t)__atomic_load_n(cell, __ATOMIC_RELAXED) + (uint64_t)incr;
    __atomic_store_n(cell, (int64_t)v, __ATOMIC_RELAXED);
    return AM_ok;
}

BIF_DECL(bif_ei_counters_put_3) {
    Counters *c = get_counters(args[0]);
    UWord ix;
    int64_t val;
    if (!c || !to_index(args[1], c->n, &ix) || !to_int64(args[2], &val)) BADARG(p);
    uint64_t others = 0;
    for (unsigned s = 1; s < CTR_SLOTS; s++) others += (uint64_t)__atomic_load_n(ctr_cell(c, ix, s), __ATOMIC_RELAXED);
    __atomic_store_n(ctr_cell(c, ix, 0), (int64_t)((uint64_t)val - others), __ATOMIC_RELAXED);
    return AM_ok;
}

BIF_DECL(bif_ei_counters_info_1) {
    Counters *c = get_counters(args[0]);
    if (!c) BADARG(p);
    atoms_init();
    Term keys[2] = {am_memory, am_size};
    Term vals[2] = {tb_make_uinteger(p, c->memory), tb_make_uinteger(p, c->n)};
    return tb_map_from_pairs(p, keys, vals, 2);
}
