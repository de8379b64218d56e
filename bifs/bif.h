/* bif.h — the BIF table, derived from bifs/bif.def (one line per BIF). */
#ifndef TB_BIF_H
#define TB_BIF_H
#include "../emu/term.h"
#include "../emu/atom.h"
#include "../emu/process.h"
#include "../emu/module.h"

#define BIF_DECL(name) Term name(TbProcess *p, Term *args)

/* (a C function may serve several names, e.g. error/1 and nif_error/1) */
#define BIF(mod, fun, arity, cfun) BIF_DECL(cfun);
#include "bif.def"
#undef BIF

typedef struct TbBifInfo { const char *module, *function; unsigned arity; TbBifFn fn; } TbBifInfo;
extern const TbBifInfo tb_bif_table[];
void tb_bif_init(void);
/* Units per second of a named time unit (second, native, ...); 0 if not one. */
UWord tb_time_unit_hz(Term unit);        /* creates export entries for every BIF */
#endif
