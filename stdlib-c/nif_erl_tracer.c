/* nif_erl_tracer.c — the erl_tracer NIFs (ERTS's default tracer module):
 * trace events go as messages to the tracer process. */
#include "../bifs/bif.h"
#include "../emu/ptab.h"
#include "../emu/msg.h"

bool nif_erl_tracer_load(TbProcess *p, Term load_info) { (void)p; (void)load_info; return true; }

/* enabled(Tag, TracerState, Tracee): trace while the tracer lives; a
 * process does not trace itself. */
Term nif_erl_tracer_enabled_3(TbProcess *p, Term *args) {
    (void)p;
    if (args[1] == args[2]) return tb_atom_cstr("discard");
    TbProcess *t = tb_pid_lookup(args[1]);
    return t && t->status < TB_PS_EXITING ? tb_atom_cstr("trace") : tb_atom_cstr("remove");
}

/* trace(Tag, TracerState, Tracee, Term, Opts): {trace, Tracee, Tag, Term}
 * (with {extra, E} in Opts: {trace, Tracee, Tag, Term, E}). */
Term nif_erl_tracer_trace_5(TbProcess *p, Term *args) {
    TbProcess *t = tb_pid_lookup(args[1]);
    if (!t) return AM(ok);
    Term extra = TB_NONE;
    for (Term l = args[4]; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (is_tuple(o) && tuple_arity(o) == 2 && tuple_val(o)[1] == tb_atom_cstr("extra")) extra = tuple_val(o)[2];
    }
    Term *hp = tb_halloc(p, 6);
    hp[0] = make_arityval(extra == TB_NONE ? 4 : 5);
    hp[1] = tb_atom_cstr("trace"); hp[2] = args[2]; hp[3] = args[0]; hp[4] = args[3];
    if (extra != TB_NONE) hp[5] = extra;
    tb_msg_send(p, t, make_boxed(hp));
    return AM(ok);
}
