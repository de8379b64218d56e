/* bif_maps.c — the maps module's BIFs, erlang:map_size/is_map_key/map_get
 * and erts_internal's map helpers, with ERTS 25's error reasons. */
#include "bif.h"
#include "../emu/map.h"
#include <stdlib.h>

static Term tuple2(TbProcess *p, Term a, Term b) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2);
    hp[1] = a;
    hp[2] = b;
    return make_boxed(hp);
}
static Term err_badmap(TbProcess *p, Term m) { return tb_error(p, tuple2(p, AM(badmap), m)); }
static Term err_badkey(TbProcess *p, Term k) { return tb_error(p, tuple2(p, AM(badkey), k)); }

/* A real map (hashmap inner nodes are not). */
static inline bool map_arg(Term t) {
    return is_flatmap(t) || (is_hashmap(t) && tb_hamt_is_head(boxed_val(t)));
}

BIF_DECL(bif_erlang_map_size_1) {
    if (!map_arg(args[0])) return err_badmap(p, args[0]);
    return make_small((SWord)tb_map_size(args[0]));
}

BIF_DECL(bif_erlang_is_map_key_2) {
    if (!map_arg(args[1])) return err_badmap(p, args[1]);
    return tb_map_get(args[1], args[0]) != TB_NONE ? AM_true : AM_false;
}

BIF_DECL(bif_erlang_map_get_2) {
    if (!map_arg(args[1])) return err_badmap(p, args[1]);
    Term v = tb_map_get(args[1], args[0]);
    if (v == TB_NONE) return err_badkey(p, args[0]);
    return v;
}

BIF_DECL(bif_maps_find_2) {
    if (!map_arg(args[1])) return err_badmap(p, args[1]);
    Term v = tb_map_get(args[1], args[0]);
    return v == TB_NONE ? AM_error : tuple2(p, AM_ok, v);
}

BIF_DECL(bif_maps_get_2) { return bif_erlang_map_get_2(p, args); }
BIF_DECL(bif_maps_is_key_2) { return bif_erlang_is_map_key_2(p, args); }

BIF_DECL(bif_maps_put_3) {
    if (!map_arg(args[2])) return err_badmap(p, args[2]);
    return tb_map_put(p, args[2], args[0], args[1]);
}

BIF_DECL(bif_maps_update_3) {
    if (!map_arg(args[2])) return err_badmap(p, args[2]);
    Term r = tb_map_update(p, args[2], args[0], args[1]);
    return r == TB_NONE ? err_badkey(p, args[0]) : r;
}

BIF_DECL(bif_maps_remove_2) {
    if (!map_arg(args[1])) return err_badmap(p, args[1]);
    return tb_map_remove(p, args[1], args[0]);
}

BIF_DECL(bif_maps_take_2) {
    if (!map_arg(args[1])) return err_badmap(p, args[1]);
    Term v, r = tb_map_take(p, args[1], args[0], &v);
    return r == TB_NONE ? AM_error : tuple2(p, v, r);
}

BIF_DECL(bif_maps_keys_1) {
    if (!map_arg(args[0])) return err_badmap(p, args[0]);
    return tb_map_keys(p, args[0]);
}

BIF_DECL(bif_maps_values_1) {
    if (!map_arg(args[0])) return err_badmap(p, args[0]);
    return tb_map_values(p, args[0]);
}

BIF_DECL(bif_maps_merge_2) {
    if (!map_arg(args[0])) return err_badmap(p, args[0]);
    if (!map_arg(args[1])) return err_badmap(p, args[1]);
    return tb_map_merge(p, args[0], args[1]);
}

/* Length of a proper list of {K,V} (or of anything when pairs is false);
 * -1 if not. */
static SWord list_len(Term l, bool pairs) {
    SWord n = 0;
    for (; is_list(l); l = CDR(list_val(l)), n++)
        if (pairs && !is_tuple_arity(CAR(list_val(l)), 2)) return -1;
    return is_nil(l) ? n : -1;
}

BIF_DECL(bif_maps_from_list_1) {
    SWord n = list_len(args[0], true);
    if (n < 0) BADARG(p);
    Term small[2 * TB_FLATMAP_LIMIT], *ks = small;
    if (n > TB_FLATMAP_LIMIT) {
        ks = malloc((size_t)n * 2 * sizeof(Term));
        if (!ks) abort();
    }
    Term *vs = ks + n, l = args[0];
    for (SWord i = 0; i < n; i++, l = CDR(list_val(l))) {
        const Term *t = tuple_val(CAR(list_val(l)));
        ks[i] = t[1];
        vs[i] = t[2];
    }
    Term r = tb_map_from_pairs(p, ks, vs, (size_t)n);
    if (ks != small) free(ks);
    return r;
}

BIF_DECL(bif_maps_from_keys_2) {
    SWord n = list_len(args[0], false);
    if (n < 0) BADARG(p);
    Term small[2 * TB_FLATMAP_LIMIT], *ks = small;
    if (n > TB_FLATMAP_LIMIT) {
        ks = malloc((size_t)n * 2 * sizeof(Term));
        if (!ks) abort();
    }
    Term *vs = ks + n, l = args[0];
    for (SWord i = 0; i < n; i++, l = CDR(list_val(l))) {
        ks[i] = CAR(list_val(l));
        vs[i] = args[1];
    }
    Term r = tb_map_from_pairs(p, ks, vs, (size_t)n);
    if (ks != small) free(ks);
    return r;
}

/* erts_internal:map_next(Path, Map, iterator | Acc) */
BIF_DECL(bif_erts_internal_map_next_3) {
    if (!map_arg(args[1])) BADARG(p);
    Term r = tb_map_next(p, args[0], args[1], args[2]);
    if (r == TB_NONE) BADARG(p);
    return r;
}

/* erts_internal:map_to_tuple_keys(FlatMap) */
BIF_DECL(bif_erts_internal_map_to_tuple_keys_1) {
    if (is_flatmap(args[0])) return tb_flatmap_keys(args[0]);
    if (is_hashmap(args[0])) BADARG(p);
    return err_badmap(p, args[0]);
}

/* erts_internal:map_hashmap_children(HashMapNode): its slots, last first */
BIF_DECL(bif_erts_internal_map_hashmap_children_1) {
    if (is_flatmap(args[0])) BADARG(p);
    if (!is_hashmap(args[0])) return err_badmap(p, args[0]);
    TbHamtView v;
    tb_hashmap_view(args[0], &v);
    Term *hp = tb_halloc(p, 2 * v.n), res = NIL;
    for (unsigned i = 0; i < v.n; i++, hp += 2) {
        hp[0] = v.slots[i];
        hp[1] = res;
        res = make_list(hp);
    }
    return res;
}
