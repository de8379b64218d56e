/* bif_register.c — register/2, unregister/1, whereis/1, registered/0. */
#include "bif.h"
#include "../emu/ptab.h"
#include "../emu/port.h"

/* Processes and ports share one name space. */
static bool name_taken(Term name) { return tb_reg_whereis(name) || tb_port_whereis(name); }

BIF_DECL(bif_register_2) {
    Term name = args[0];
    if (!is_atom(name) || name == AM_undefined || name_taken(name)) BADARG(p);
    if (is_internal_port(args[1])) {
        TbPort *pt = tb_port_lookup(args[1]);
        if (!pt || !tb_port_register(name, pt)) BADARG(p);
        return AM_true;
    }
    TbProcess *q = tb_pid_lookup(args[1]);
    if (!q || q->status >= TB_PS_EXITING) BADARG(p);
    if (!tb_reg_register(name, q)) BADARG(p);
    return AM_true;
}

BIF_DECL(bif_unregister_1) {
    if (!is_atom(args[0]) || !(tb_reg_unregister(args[0]) || tb_port_unregister(args[0]))) BADARG(p);
    return AM_true;
}

BIF_DECL(bif_whereis_1) {
    if (!is_atom(args[0])) BADARG(p);
    TbProcess *q = tb_reg_whereis(args[0]);
    if (q) return q->id;
    TbPort *pt = tb_port_whereis(args[0]);
    return pt ? pt->id : AM_undefined;
}

BIF_DECL(bif_registered_0) {
    (void)args;
    Term res = NIL;
    Term *hp = tb_halloc(p, 2 * tb_reg_count());
    for (UWord i = 0; i < tb_reg_cap(); i++) {
        Term n = tb_reg_name_at(i);
        if (n == TB_NONE) continue;
        hp[0] = n; hp[1] = res;
        res = make_list(hp);
        hp += 2;
    }
    UWord i = 0;
    for (TbPort *pt; (pt = tb_port_next(&i));)
        if (pt->reg_name != NIL) res = tb_cons(p, pt->reg_name, res);
    return res;
}
