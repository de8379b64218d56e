/* test_gc.c — the copying collector: data survives, garbage goes, off-heap
 * binaries are released, deep structures don't recurse. */
#include <criterion/criterion.h>
#include "emu/term.h"
#include "emu/atom.h"
#include "emu/process.h"
#include "emu/gc.h"
#include "emu/binary.h"
#include "emu/compare.h"
#include "emu/map.h"

static void setup(void) { tb_atom_init(); }

static Term cons(TbProcess *p, Term h, Term t) {
    Term *hp = tb_halloc(p, 2);
    hp[0] = h; hp[1] = t;
    return make_list(hp);
}

/* A mixed term: tuples, floats, a refc binary, a sub binary, a map. */
static Term build(TbProcess *p, int i, Term tail) {
    Term *t = tb_halloc(p, 4);
    t[0] = make_arityval(3);
    t[1] = make_small(i);
    t[2] = make_float_at(tb_halloc(p, FLOAT_WORDS), i + 0.5);
    uint8_t data[100];
    memset(data, i & 0xFF, sizeof data);
    Term bin = tb_new_binary(p, data, sizeof data);
    t[3] = tb_make_sub_binary(p, bin, 8, 80 * 8);
    Term k = make_small(i), v = make_boxed(t);
    Term m = tb_map_from_pairs(p, &k, &v, 1);
    return cons(p, m, tail);
}

static bool check(Term l, int n) {
    for (int i = n - 1; i >= 0; i--, l = CDR(list_val(l))) {
        if (!is_list(l)) return false;
        Term m = CAR(list_val(l));
        Term v = tb_map_get(m, make_small(i));
        if (v == TB_NONE || !is_tuple_arity(v, 3)) return false;
        Term *t = tuple_val(v);
        if (t[1] != make_small(i) || float_val(t[2]) != i + 0.5) return false;
        const uint8_t *b; UWord off, sz;
        bitstring_view(t[3], &b, &off, &sz);
        if (sz != 80 * 8 || b[off / 8] != (uint8_t)(i & 0xFF)) return false;
    }
    return l == NIL;
}

Test(gc, live_data_survives_every_collection, .init = setup) {
    TbProcess *p = tb_process_new(TB_MIN_HEAP);
    Term l = NIL;
    for (int i = 0; i < 2000; i++) {
        p->x[0] = build(p, i, l);
        for (int g = 0; g < 3; g++) (void)build(p, g, NIL);   /* garbage */
        tb_gc(p, 0, 1);
        l = p->x[0];
        cr_assert(p->frags == NULL);
    }
    cr_assert(check(l, 2000));
    /* only the live binaries remain on the off-heap list */
    UWord n = 0;
    for (TbProcBin *pb = p->off_heap; pb; pb = pb->next) n++;
    cr_assert_eq(n, 2000);
    p->x[0] = NIL;
    tb_gc(p, 0, 1);                 /* minor: binaries promoted earlier may stay */
    tb_gc_major(p, 0, 1);           /* a full sweep frees them all */
    cr_assert_null(p->off_heap);
    cr_assert_null(p->old_heap);
    cr_assert_lt(p->htop - p->heap, 10);
    tb_process_free(p);
}

static UWord fake_code[4];   /* a return address is a word-aligned code pointer */

Test(gc, deep_list_and_stack_roots, .init = setup) {
    TbProcess *p = tb_process_new(TB_MIN_HEAP);
    Term l = NIL;
    for (int i = 0; i < 1000000; i++) l = cons(p, make_small(i), l);
    p->x[0] = l;
    tb_gc(p, 2, 1);                           /* room for two stack words */
    *--p->stop = p->x[0];                     /* a root on the stack */
    *--p->stop = (Term)fake_code;                /* a return address: left alone */
    tb_gc(p, 100, 0);
    cr_assert_eq(p->stop[0], (Term)fake_code);
    l = p->stop[1];
    for (int i = 999999; i >= 0; i--, l = CDR(list_val(l))) cr_assert_eq(CAR(list_val(l)), make_small(i));
    cr_assert_eq(l, NIL);
    cr_assert_geq((size_t)(p->stop - p->htop), 100);
    tb_process_free(p);
}

Test(gc, promotion_keeps_old_data_and_collects_young, .init = setup) {
    TbProcess *p = tb_process_new(TB_MIN_HEAP);
    p->x[0] = build(p, 0, NIL);
    tb_gc(p, 0, 1);                 /* survives once: below high water */
    tb_gc(p, 0, 1);                 /* promoted to the old heap */
    cr_assert_not_null(p->old_heap);
    Term *old = list_val(p->x[0]);
    cr_assert(old >= p->old_heap && old < p->old_htop);
    for (int i = 0; i < 100; i++) {
        p->x[1] = build(p, i, NIL);     /* young garbage each round */
        tb_gc(p, 0, 1);
        cr_assert_eq(list_val(p->x[0]), old);   /* minor collections leave old data in place */
    }
    cr_assert(check(p->x[0], 1));
    tb_gc_major(p, 0, 1);
    cr_assert_null(p->old_heap);
    cr_assert(check(p->x[0], 1));
    tb_process_free(p);
}

Test(gc, shared_subterms_stay_shared, .init = setup) {
    TbProcess *p = tb_process_new(TB_MIN_HEAP);
    Term shared = build(p, 0, NIL);
    Term *t = tb_halloc(p, 3);
    t[0] = make_arityval(2); t[1] = shared; t[2] = shared;
    p->x[0] = make_boxed(t);
    tb_gc(p, 0, 1);
    Term *n = tuple_val(p->x[0]);
    cr_assert_eq(n[1], n[2]);                 /* forwarding keeps the DAG */
    cr_assert(check(n[1], 1));
    tb_process_free(p);
}
