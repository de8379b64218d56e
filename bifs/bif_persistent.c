/* bif_persistent.c — persistent_term: values copied once into the literal
 * area, so get/1 copies nothing.  Erased values are not reclaimed yet (ERTS
 * frees them after a literal-area collection, which needs processes). */
#include "bif.h"
#include "../emu/compare.h"
#include "../emu/hash.h"
#include "../emu/gc.h"
#include "../emu/map.h"
#include <stdlib.h>

typedef struct { Term key, value; uint32_t hash; } Entry;
static Entry *tab;
static size_t count, cap;

/* refc binaries referenced by stored values (never released yet) */
static struct TbProcBin *lit_off_heap;
static Term to_literal(Term t) { return tb_copy_to_literal(t, &lit_off_heap); }

static Entry *find(Term key, uint32_t h) {
    for (size_t i = 0; i < count; i++)
        if (tab[i].hash == h && (tab[i].key == key || tb_eq_exact(tab[i].key, key))) return &tab[i];
    return NULL;
}

static Term badarg_key(TbProcess *p) { BADARG(p); }

BIF_DECL(bif_persistent_term_put_2) {
    uint32_t h = tb_make_hash2(args[0]);
    Entry *e = find(args[0], h);
    if (e) {
        if (tb_eq_exact(e->value, args[1])) return AM_ok;
        e->value = to_literal(args[1]);
        return AM_ok;
    }
    if (count == cap) {
        cap = cap ? cap * 2 : 64;
        tab = realloc(tab, cap * sizeof *tab);
        if (!tab) abort();
    }
    tab[count++] = (Entry){to_literal(args[0]), to_literal(args[1]), h};
    (void)p;
    return AM_ok;
}

BIF_DECL(bif_persistent_term_get_1) {
    Entry *e = find(args[0], tb_make_hash2(args[0]));
    return e ? e->value : badarg_key(p);
}

BIF_DECL(bif_persistent_term_get_2) {
    (void)p;
    Entry *e = find(args[0], tb_make_hash2(args[0]));
    return e ? e->value : args[1];
}

BIF_DECL(bif_persistent_term_erase_1) {
    (void)p;
    Entry *e = find(args[0], tb_make_hash2(args[0]));
    if (!e) return AM_false;
    *e = tab[--count];
    return AM_true;
}

static Term pair(TbProcess *p, Term a, Term b) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = a; hp[2] = b;
    return make_boxed(hp);
}

BIF_DECL(bif_persistent_term_get_0) {
    (void)args;
    Term l = NIL;
    for (size_t i = count; i-- > 0;) {
        Term *hp = tb_halloc(p, 2);
        hp[0] = pair(p, tab[i].key, tab[i].value); hp[1] = l;
        l = make_list(hp);
    }
    return l;
}

BIF_DECL(bif_persistent_term_info_0) {
    (void)args;
    UWord words = 0;
    for (size_t i = 0; i < count; i++) words += tb_size_object(tab[i].key) + tb_size_object(tab[i].value);
    Term keys[2] = {AM(count), tb_atom_cstr("memory")};
    Term vals[2] = {make_small((SWord)count), make_small((SWord)(words * sizeof(Term)))};
    return tb_map_from_pairs(p, keys, vals, 2);
}

/* erts_internal:erase_persistent_terms/0 (init's restart): every term goes,
 * the system's own too.  Values stay in the literal area like erased ones. */
BIF_DECL(bif_ei_erase_persistent_terms_0) {
    (void)p; (void)args;
    count = 0;
    return AM_true;
}
