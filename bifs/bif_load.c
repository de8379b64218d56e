/* bif_load.c — loading code at run time: erlang:load_nif/2 (static NIF
 * libraries, emu/nif.c). */
#include "bif.h"
#include "../emu/nif.h"
#include <stdio.h>
#include <string.h>

/* erlang:load_nif(Path, LoadInfo) from the module that calls it. */
BIF_DECL(bif_load_nif_2) {
    char path[512];
    size_t n = 0;
    Term l = args[0];
    for (; is_list(l) && n < sizeof path - 1; l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255) BADARG(p);
        path[n++] = (char)small_val(c);
    }
    if (l != NIL) BADARG(p);
    path[n] = 0;
    TbModule *m = p->i ? tb_module_of_code(p->i) : NULL;
    if (!m) BADARG(p);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    const TbNifLib *lib = tb_nif_lib_find(base, len);
    if (!lib) {
        /* NIF .so files come with the erl_nif shim; until then ERTS's dlopen error */
        char msg[1200];
        snprintf(msg, sizeof msg, "Failed to load NIF library %s: '%s.so: cannot open shared object file: No such file or directory'", path, path);
        size_t k = strlen(msg);
        Term s = NIL;
        Term *hp = tb_halloc(p, 2 * k + 6);
        for (size_t i = k; i-- > 0;) { hp[0] = make_small((uint8_t)msg[i]); hp[1] = s; s = make_list(hp); hp += 2; }
        return tb_tuple2(p, AM(error), tb_tuple2(p, tb_atom_cstr("load_failed"), s));
    }
    return tb_nif_install(p, m, lib, args[1]);
}
