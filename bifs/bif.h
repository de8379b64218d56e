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

/* An atom made once, at its first use. */
#define CATOM(s) ({ static Term a_; a_ ? a_ : (a_ = tb_atom_cstr("" s "")); })

/* Small term builders shared by BIFs. */
static inline Term tb_tuple2(TbProcess *p, Term a, Term b) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = a; hp[2] = b;
    return make_boxed(hp);
}
static inline Term tb_tuple3(TbProcess *p, Term a, Term b, Term c) {
    Term *hp = tb_halloc(p, 4);
    hp[0] = make_arityval(3); hp[1] = a; hp[2] = b; hp[3] = c;
    return make_boxed(hp);
}
static inline Term tb_cons(TbProcess *p, Term h, Term t) {
    Term *hp = tb_halloc(p, 2);
    hp[0] = h; hp[1] = t;
    return make_list(hp);
}

/* erlang:suspend_process/resume_process (bif_misc_boot.c). */
bool tb_proc_suspended(const TbProcess *q);
void tb_suspend_release_all(Term suspender);

/* max_heap_size values (bif_system.c): parse a size or map; the map for a setting. */
bool tb_parse_max_heap(Term v, UWord *size, unsigned *flags);
Term tb_max_heap_map(TbProcess *p, UWord size, unsigned flags);
extern UWord tb_sys_max_heap_size;
extern unsigned tb_sys_max_heap_flags;

typedef struct TbBifInfo { const char *module, *function; unsigned arity; TbBifFn fn; } TbBifInfo;
extern const TbBifInfo tb_bif_table[];
void tb_bif_init(void);
/* Units per second of a named time unit (second, native, ...); 0 if not one. */
UWord tb_time_unit_hz(Term unit);        /* creates export entries for every BIF */
#endif
