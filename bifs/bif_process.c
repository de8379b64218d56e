/* bif_process.c — self, node, references and the process dictionary.
 * The dictionary is a list of {Key, Value} for now (ERTS hashes; see note in
 * docs/architecture.md). */
#include "bif.h"
#include "../emu/signals.h"
#include "../emu/compare.h"

BIF_DECL(bif_self_0) { (void)args; return p->id; }
BIF_DECL(bif_node_0) { (void)p; (void)args; return AM(nonode_at_nohost); }
BIF_DECL(bif_node_1) {
    if (is_pid(args[0]) || is_port(args[0]) || is_reference(args[0])) return AM(nonode_at_nohost);
    BADARG(p);
}

BIF_DECL(bif_make_ref_0) {
    (void)args;
    uint32_t n[3];
    tb_ref_new_nums(n);                       /* one counter for every reference the VM makes */
    return tb_ref_make(p, n);
}

static Term dict(TbProcess *p) { return p->dictionary == TB_NONE ? NIL : p->dictionary; }
static bool key_eq(Term a, Term b) { return a == b || (!is_immed(a) && !is_immed(b) && tb_eq_exact(a, b)); }

BIF_DECL(bif_get_1) {
    for (Term l = dict(p); is_list(l); l = CDR(list_val(l))) {
        Term *kv = tuple_val(CAR(list_val(l)));
        if (key_eq(kv[1], args[0])) return kv[2];
    }
    return AM_undefined;
}

BIF_DECL(bif_get_0) { (void)args; return dict(p); }

BIF_DECL(bif_get_keys_0) {
    (void)args;
    Term res = NIL;
    for (Term l = dict(p); is_list(l); l = CDR(list_val(l))) {
        Term *hp = tb_halloc(p, 2);
        hp[0] = tuple_val(CAR(list_val(l)))[1]; hp[1] = res;
        res = make_list(hp);
    }
    return res;
}

/* Rebuild the dictionary without Key; returns the old value or undefined. */
static Term remove_key(TbProcess *p, Term key) {
    Term old = AM_undefined, res = NIL;
    Term l = dict(p);
    UWord n = 0;
    for (Term t = l; is_list(t); t = CDR(list_val(t))) {
        Term *kv = tuple_val(CAR(list_val(t)));
        if (key_eq(kv[1], key)) { old = kv[2]; break; }
        n++;
    }
    if (old == AM_undefined) {
        bool found = false;
        for (Term t = l; is_list(t); t = CDR(list_val(t)))
            if (key_eq(tuple_val(CAR(list_val(t)))[1], key)) found = true;
        if (!found) return AM_undefined;
    }
    Term *hp = tb_halloc(p, 2 * n);
    Term *cells = hp;
    UWord i = 0;
    Term t = l;
    for (; i < n; t = CDR(list_val(t)), i++) {
        cells[2 * i] = CAR(list_val(t));
        cells[2 * i + 1] = make_list(&cells[2 * i + 2]);
    }
    Term rest = CDR(list_val(t));
    if (n == 0) res = rest;
    else { cells[2 * n - 1] = rest; res = make_list(cells); }
    p->dictionary = res;
    return old;
}

BIF_DECL(bif_put_2) {
    Term old = remove_key(p, args[0]);
    Term *hp = tb_halloc(p, 5);
    hp[0] = make_arityval(2); hp[1] = args[0]; hp[2] = args[1];
    hp[3] = make_boxed(hp); hp[4] = dict(p);
    p->dictionary = make_list(hp + 3);
    return old;
}

BIF_DECL(bif_erase_1) { return remove_key(p, args[0]); }
BIF_DECL(bif_erase_0) {
    (void)args;
    Term d = dict(p);
    p->dictionary = TB_NONE;
    return d;
}
