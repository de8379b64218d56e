/* bif_hash.c — erlang:phash/2, phash2/1, phash2/2 (values as ERTS 25). */
#include "bif.h"
#include "../emu/hash.h"

/* Range argument: an integer 1..2^32, else badarg (checked before hashing,
 * like ERTS).  *range = 0 stands for 2^32. */
static bool get_range(Term r, uint64_t *range) {
    if (!is_small(r)) return false;            /* bignums are all > 2^32 */
    SWord v = small_val(r);
    if (v <= 0 || v > ((SWord)1 << 32)) return false;
    *range = (uint64_t)v & 0xffffffffu;
    return true;
}

/* [1..Range] */
Term bif_phash_2(TbProcess *p, Term *args) {
    uint64_t range;
    if (!get_range(args[1], &range)) BADARG(p);
    uint64_t h = tb_make_hash(args[0]);
    return make_small((SWord)(range ? 1 + h % range : h + 1));
}

/* [0..2^27) */
Term bif_phash2_1(TbProcess *p, Term *args) {
    (void)p;
    return make_small(tb_make_hash2(args[0]) & ((1u << 27) - 1));
}

/* [0..Range) */
Term bif_phash2_2(TbProcess *p, Term *args) {
    uint64_t range;
    if (!get_range(args[1], &range)) BADARG(p);
    uint64_t h = tb_make_hash2(args[0]);
    return make_small((SWord)(range ? h % range : h));
}
