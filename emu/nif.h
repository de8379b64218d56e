/* nif.h — NIFs.  ERTS links some NIF libraries into the VM (prim_file,
 * zlib, prim_buffer, erl_tracer...): their modules call erlang:load_nif/2
 * with the library's name and ERTS finds it built in.  tbeam does the same:
 * each static library is a table of C functions with the BIF signature,
 * declared in stdlib-c/nifs.def.  Loading one patches the module's Erlang
 * stubs (e.g. `open_nif(_, _) -> erlang:nif_error(undef).`) so that their
 * entry runs i_call_nif.  Real NIF .so files come with the erl_nif shim. */
#ifndef TB_NIF_H
#define TB_NIF_H
#include "process.h"
#include "module.h"

typedef struct TbNifFunc {
    const char *lib, *name;
    unsigned arity;
    TbBifFn fn;
} TbNifFunc;

typedef struct TbNifLib {
    const char *name;
    /* Called once when the library is loaded; false fails the load. */
    bool (*load)(TbProcess *p, Term load_info);
} TbNifLib;

/* The static library with this name (a path's basename without extension), or NULL. */
const TbNifLib *tb_nif_lib_find(const char *name, size_t len);
/* Install lib into module m: ok, or {error, {Reason, Text}} as ERTS's load_nif. */
Term tb_nif_install(TbProcess *p, TbModule *m, const TbNifLib *lib, Term load_info);
#endif
