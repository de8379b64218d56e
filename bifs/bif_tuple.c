/* bif_tuple.c — tuple BIFs. */
#include "bif.h"

static Term *alloc_tuple(TbProcess *p, UWord n) {
    Term *hp = tb_halloc(p, n + 1);
    hp[0] = make_arityval(n);
    return hp;
}

BIF_DECL(bif_element_2) {
    Term n = args[0], t = args[1];
    if (!is_small(n) || !is_tuple(t)) BADARG(p);
    UWord k = (UWord)small_val(n);
    if (k - 1 >= tuple_arity(t)) BADARG(p);
    return tuple_val(t)[k];
}

BIF_DECL(bif_setelement_3) {
    Term n = args[0], t = args[1];
    if (!is_small(n) || !is_tuple(t)) BADARG(p);
    UWord k = (UWord)small_val(n), ar = tuple_arity(t);
    if (k - 1 >= ar) BADARG(p);
    Term *hp = alloc_tuple(p, ar);
    memcpy(hp + 1, tuple_val(t) + 1, ar * sizeof(Term));
    hp[k] = args[2];
    return make_boxed(hp);
}

BIF_DECL(bif_tuple_size_1) {
    if (!is_tuple(args[0])) BADARG(p);
    return make_small((SWord)tuple_arity(args[0]));
}

BIF_DECL(bif_size_1) {
    if (is_tuple(args[0])) return make_small((SWord)tuple_arity(args[0]));
    if (is_bitstring(args[0])) return make_small((SWord)(bitstring_bitsize(args[0]) / 8));
    BADARG(p);
}

#define MAX_TUPLE ((SWord)1 << 26)   /* ERTS's MAX_ARITYVAL */

BIF_DECL(bif_make_tuple_2) {
    if (!is_small(args[0]) || small_val(args[0]) < 0 || small_val(args[0]) >= MAX_TUPLE) BADARG(p);
    UWord n = (UWord)small_val(args[0]);
    Term *hp = alloc_tuple(p, n);
    for (UWord i = 1; i <= n; i++) hp[i] = args[1];
    return make_boxed(hp);
}

BIF_DECL(bif_make_tuple_3) {
    if (!is_small(args[0]) || small_val(args[0]) < 0 || small_val(args[0]) >= MAX_TUPLE) BADARG(p);
    UWord n = (UWord)small_val(args[0]);
    Term l = args[2];
    for (Term t = l; t != NIL; t = CDR(list_val(t))) {
        if (!is_list(t)) BADARG(p);
        Term e = CAR(list_val(t));
        if (!is_tuple_arity(e, 2) || !is_small(tuple_val(e)[1])) BADARG(p);
        SWord k = small_val(tuple_val(e)[1]);
        if (k < 1 || (UWord)k > n) BADARG(p);
    }
    Term *hp = alloc_tuple(p, n);
    for (UWord i = 1; i <= n; i++) hp[i] = args[1];
    for (Term t = l; t != NIL; t = CDR(list_val(t))) {
        Term *e = tuple_val(CAR(list_val(t)));
        hp[small_val(e[1])] = e[2];
    }
    return make_boxed(hp);
}

BIF_DECL(bif_append_element_2) {
    if (!is_tuple(args[0])) BADARG(p);
    UWord ar = tuple_arity(args[0]);
    Term *hp = alloc_tuple(p, ar + 1);
    memcpy(hp + 1, tuple_val(args[0]) + 1, ar * sizeof(Term));
    hp[ar + 1] = args[1];
    return make_boxed(hp);
}

BIF_DECL(bif_tuple_to_list_1) {
    if (!is_tuple(args[0])) BADARG(p);
    UWord n = tuple_arity(args[0]);
    Term *t = tuple_val(args[0]);
    Term *hp = tb_halloc(p, 2 * n);
    Term l = NIL;
    for (UWord i = n; i > 0; i--) { hp[0] = t[i]; hp[1] = l; l = make_list(hp); hp += 2; }
    return l;
}

BIF_DECL(bif_list_to_tuple_1) {
    UWord n = 0;
    Term l = args[0];
    for (; is_list(l); l = CDR(list_val(l))) n++;
    if (l != NIL) BADARG(p);
    Term *hp = alloc_tuple(p, n);
    UWord i = 1;
    for (l = args[0]; is_list(l); l = CDR(list_val(l))) hp[i++] = CAR(list_val(l));
    return make_boxed(hp);
}
