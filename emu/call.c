/* call.c — apply, fun calls and the undefined-function path. */
#include "call.h"
#include "exception.h"
#include "atom.h"
#include "interp.h"
#include "boot.h"
#include <stdio.h>
#include <string.h>

#define MAX_ARGS 255

static Term error_tuple(TbProcess *p, Term tag, Term v) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = tag; hp[2] = v;
    return make_boxed(hp);
}

static const UWord *raise(TbProcess *p, Term reason, Term top) {
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE;
    p->fvalue = reason;
    p->ftop = top;
    return NULL;
}

const UWord *tb_apply_mfa(TbProcess *p, Term m, Term f, unsigned arity, Term *x) {
    if (!is_atom(m) || !is_atom(f)) return raise(p, AM(badarg), NIL);
    TbExport *e = tb_export_get(m, f, arity);
    (void)x;
    return e->code;
}

/* Spread a proper list into x0..; false if improper or too long. */
static int spread(Term args, Term *x) {
    int n = 0;
    for (; is_list(args); args = CDR(list_val(args))) {
        if (n >= MAX_ARGS) return -1;
        x[n++] = CAR(list_val(args));
    }
    return args == NIL ? n : -1;
}

const UWord *tb_apply_setup(TbProcess *p, Term m, Term f, Term args, Term *x) {
    Term saved_m = m, saved_f = f;
    int n = spread(args, x);
    if (n < 0 || !is_atom(saved_m) || !is_atom(saved_f)) {
        Term a[3] = {saved_m, saved_f, args};
        return raise(p, AM(badarg), tb_make_mfa_args(p, AM(erlang), AM(apply), 3, a));
    }
    return tb_export_get(saved_m, saved_f, (unsigned)n)->code;
}

const UWord *tb_apply_fun_setup(TbProcess *p, Term fun, Term args, Term *x) {
    Term a[2] = {fun, args};
    int n = spread(args, x);
    if (n < 0) return raise(p, AM(badarg), tb_make_mfa_args(p, AM(erlang), AM(apply), 2, a));
    x[n] = fun;
    return tb_fun_setup(p, fun, (unsigned)n, x);
}

const UWord *tb_fun_setup(TbProcess *p, Term fun, unsigned arity, Term *x) {
    if (is_local_fun(fun)) {
        TbFunThing *f = (TbFunThing *)boxed_val(fun);
        TbFunEntry *fe = f->fe;
        if (!fe->code) return raise(p, AM(undef), NIL);   /* fun of code never loaded */
        if (fe->arity - fe->num_free == arity) {
            for (unsigned i = 0; i < fe->num_free; i++) x[arity + i] = f->env[i];
            return fe->code;
        }
    } else if (is_export_fun(fun)) {
        TbExport *e = export_fun_val(fun);
        if (e->arity == arity) return e->code;
    } else {
        return raise(p, error_tuple(p, AM(badfun), fun), NIL);
    }
    /* {badarity, {Fun, Args}} */
    Term *hp = tb_halloc(p, 2 * arity);
    Term list = NIL;
    for (unsigned i = arity; i-- > 0;) { hp[0] = x[i]; hp[1] = list; list = make_list(hp); hp += 2; }
    return raise(p, error_tuple(p, AM(badarity), error_tuple(p, fun, list)), NIL);
}

Term tb_proc_error_handler(const TbProcess *p);   /* bifs/bif_system.c */

/* Booted: call ErrorHandler:undefined_function(M, F, Args) as ERTS does
 * (the code server loads the module); NULL when there is no handler. */
static const UWord *call_error_handler(TbProcess *p, TbExport *e) {
    TbExport *eh = tb_export_find(tb_proc_error_handler(p), AM(undefined_function), 3);
    if (!eh || !tb_export_defined(eh) || eh == e) return NULL;
    Term *hp = tb_halloc(p, 2 * e->arity), args = NIL;
    for (unsigned i = e->arity; i-- > 0;) { hp[0] = p->x[i]; hp[1] = args; args = make_list(hp); hp += 2; }
    p->x[0] = e->module;
    p->x[1] = e->function;
    p->x[2] = args;
    return eh->code;
}

const UWord *tb_undefined_function(TbProcess *p, TbExport *e) {
    char err[256];
    if (tb_boot_mode) {
        const UWord *h = call_error_handler(p, e);
        if (h) return h;
    } else if (!tb_module_find(e->module)) {
        tb_code_ensure_loaded(e->module, err, sizeof err);   /* bare mode loads on demand */
    }
    if (tb_export_defined(e)) return e->code;
    /* {M,F,Args,[]}: an explicit empty location (no error_info, as in ERTS) */
    Term mfa = tb_make_mfa_args(p, e->module, e->function, e->arity, p->x);
    Term *hp = tb_halloc(p, 5);
    hp[0] = make_arityval(4);
    memcpy(hp + 1, tuple_val(mfa) + 1, 3 * sizeof(Term));
    hp[4] = NIL;
    return raise(p, AM(undef), make_boxed(hp));
}

bool tb_is_function2(Term f, Term arity) {
    if (!is_small(arity) || small_val(arity) < 0) return false;
    if (is_local_fun(f)) {
        TbFunEntry *fe = ((TbFunThing *)boxed_val(f))->fe;
        return (SWord)(fe->arity - fe->num_free) == small_val(arity);
    }
    if (is_export_fun(f)) return (SWord)export_fun_val(f)->arity == small_val(arity);
    return false;
}

TbExport *tb_erlang_op_export(Term name, unsigned arity) {
    return tb_export_get(AM(erlang), name, arity);
}

Term tb_bif_not_implemented(TbProcess *p, Term *args) {
    (void)args;
    return tb_error(p, AM(undef));
}
