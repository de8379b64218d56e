/* bif_io.c — erlang:display/1, display_string/1 and halt/0,1,2. */
#include "bif.h"
#include "../emu/print.h"
#include <stdio.h>
#include <stdlib.h>

BIF_DECL(bif_display_1) {
    (void)p;
    tb_display(stdout, args[0]);
    return AM_true;
}

BIF_DECL(bif_display_string_1) {
    Term l = args[0];
    for (Term t = l; t != NIL; t = CDR(list_val(t)))
        if (!is_list(t) || !is_small(CAR(list_val(t))) || small_val(CAR(list_val(t))) < 0) BADARG(p);
    for (Term t = l; t != NIL; t = CDR(list_val(t))) {
        SWord c = small_val(CAR(list_val(t)));
        if (c < 0x80) fputc((int)c, stderr);
        else if (c < 0x800) { fputc(0xC0 | (int)(c >> 6), stderr); fputc(0x80 | (int)(c & 0x3F), stderr); }
        else if (c < 0x10000) { fputc(0xE0 | (int)(c >> 12), stderr); fputc(0x80 | (int)((c >> 6) & 0x3F), stderr); fputc(0x80 | (int)(c & 0x3F), stderr); }
        else { fputc(0xF0 | (int)(c >> 18), stderr); fputc(0x80 | (int)((c >> 12) & 0x3F), stderr); fputc(0x80 | (int)((c >> 6) & 0x3F), stderr); fputc(0x80 | (int)(c & 0x3F), stderr); }
    }
    return AM_true;
}

static Term do_halt(TbProcess *p, Term status) {
    int code;
    if (is_small(status) && small_val(status) >= 0) code = (int)(small_val(status) & 0xFF);
    else if (status == tb_atom_cstr("abort")) { fflush(stdout); abort(); }
    else if (is_list(status) || status == NIL) {
        for (Term t = status; t != NIL; t = CDR(list_val(t))) {
            if (!is_list(t) || !is_small(CAR(list_val(t)))) BADARG(p);
        }
        for (Term t = status; t != NIL; t = CDR(list_val(t))) fputc((int)small_val(CAR(list_val(t))), stderr);
        fputc('\n', stderr);
        code = 1;
    } else BADARG(p);
    fflush(stdout);
    fflush(stderr);
    exit(code);
}

BIF_DECL(bif_halt_0) { (void)args; return do_halt(p, make_small(0)); }
BIF_DECL(bif_halt_1) { return do_halt(p, args[0]); }
BIF_DECL(bif_halt_2) {
    if (!is_list(args[1]) && args[1] != NIL) BADARG(p);
    return do_halt(p, args[0]);
}
