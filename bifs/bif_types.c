/* bif_types.c — type tests and boolean operators as BIFs. */
#include "bif.h"
#include "../emu/call.h"

#define TYPE_BIF(name, cond) BIF_DECL(name) { Term t = args[0]; (void)p; return (cond) ? AM_true : AM_false; }
TYPE_BIF(bif_is_atom_1, is_atom(t))
TYPE_BIF(bif_is_binary_1, is_binary(t))
TYPE_BIF(bif_is_bitstring_1, is_bitstring(t))
TYPE_BIF(bif_is_boolean_1, t == AM_true || t == AM_false)
TYPE_BIF(bif_is_float_1, is_float(t))
TYPE_BIF(bif_is_function_1, is_fun(t))
TYPE_BIF(bif_is_integer_1, is_integer(t))
TYPE_BIF(bif_is_list_1, is_list(t) || t == NIL)
TYPE_BIF(bif_is_map_1, is_map(t))
TYPE_BIF(bif_is_number_1, is_number(t))
TYPE_BIF(bif_is_pid_1, is_pid(t))
TYPE_BIF(bif_is_port_1, is_port(t))
TYPE_BIF(bif_is_reference_1, is_reference(t))
TYPE_BIF(bif_is_tuple_1, is_tuple(t))

BIF_DECL(bif_is_function_2) {
    if (!is_small(args[1]) || small_val(args[1]) < 0) BADARG(p);
    return tb_is_function2(args[0], args[1]) ? AM_true : AM_false;
}
BIF_DECL(bif_is_record_2) {
    if (!is_atom(args[1])) BADARG(p);
    Term t = args[0];
    return is_tuple(t) && tuple_arity(t) >= 1 && tuple_val(t)[1] == args[1] ? AM_true : AM_false;
}
BIF_DECL(bif_is_record_3) {
    if (!is_atom(args[1]) || !is_small(args[2])) BADARG(p);
    Term t = args[0];
    return is_tuple(t) && (SWord)tuple_arity(t) == small_val(args[2]) && tuple_arity(t) >= 1 &&
           tuple_val(t)[1] == args[1] ? AM_true : AM_false;
}

static bool is_bool(Term t) { return t == AM_true || t == AM_false; }
BIF_DECL(bif_not_1) {
    if (!is_bool(args[0])) BADARG(p);
    return args[0] == AM_true ? AM_false : AM_true;
}
BIF_DECL(bif_and_2) {
    if (!is_bool(args[0]) || !is_bool(args[1])) BADARG(p);
    return args[0] == AM_true && args[1] == AM_true ? AM_true : AM_false;
}
BIF_DECL(bif_or_2) {
    if (!is_bool(args[0]) || !is_bool(args[1])) BADARG(p);
    return args[0] == AM_true || args[1] == AM_true ? AM_true : AM_false;
}
BIF_DECL(bif_xor_2) {
    if (!is_bool(args[0]) || !is_bool(args[1])) BADARG(p);
    return (args[0] == AM_true) != (args[1] == AM_true) ? AM_true : AM_false;
}
