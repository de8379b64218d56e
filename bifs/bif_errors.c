/* bif_errors.c — error/1,2,3, throw/1, exit/1, raise/3. */
#include "bif.h"
#include "../emu/exception.h"

static Term raise_class(TbProcess *p, UWord cls, Term reason) {
    p->freason = cls | EXC_SAVE_TRACE;
    p->fvalue = reason;
    p->ftop = NIL;
    return TB_NONE;
}

/* ERTS leaves these BIFs out of the stacktrace: the caller's frame is on top. */
BIF_DECL(bif_error_1) { return raise_class(p, EXC_CLASS_ERROR | TB_NO_BIF_FRAME, args[0]); }
/* error(Reason, Args[, Options]): the caller's frame shows Args instead of
 * its arity, plus Options' {error_info, Map} (a '$tb_args' note for
 * build_stacktrace).  Args none means as error/1. */
static Term raise_args(TbProcess *p, Term reason, Term args, Term opts) {
    raise_class(p, EXC_CLASS_ERROR | TB_NO_BIF_FRAME, reason);
    if (args == AM(none) || !(is_list(args) || args == NIL)) return TB_NONE;
    Term ei = NIL;
    for (Term l = opts; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (is_tuple(o) && tuple_arity(o) == 2 && tuple_val(o)[1] == AM(error_info) && is_map(tuple_val(o)[2])) ei = o;
    }
    p->ftop = tb_tuple3(p, tb_atom_cstr("$tb_args"), args, ei);
    return TB_NONE;
}
BIF_DECL(bif_error_2) { return raise_args(p, args[0], args[1], NIL); }
BIF_DECL(bif_error_3) { return raise_args(p, args[0], args[1], args[2]); }
BIF_DECL(bif_throw_1) { return raise_class(p, EXC_CLASS_THROW | TB_NO_BIF_FRAME, args[0]); }
BIF_DECL(bif_exit_1) { return raise_class(p, EXC_CLASS_EXIT | TB_NO_BIF_FRAME, args[0]); }

BIF_DECL(bif_raise_3) {
    Term cls = args[0];
    Term st = args[2];
    /* the stacktrace must be a proper list */
    Term t = st;
    for (; is_list(t); t = CDR(list_val(t))) {}
    if (t != NIL || !tb_raw_raise(p, cls, args[1], st)) BADARG(p);
    p->freason |= TB_NO_BIF_FRAME;
    return TB_NONE;
}
