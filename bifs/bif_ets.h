/* bif_ets.h — shared by bifs/bif_ets*.c. */
#ifndef TB_BIF_ETS_H
#define TB_BIF_ETS_H
#include "bif.h"
#include "../stdlib-c/ets.h"
#include "../stdlib-c/ms.h"

Term tb_ets_badarg(TbProcess *p);
SWord tb_ets_list_len(Term l);
Term tb_ets_objects_of(TbProcess *p, TbEtsTable *t, TbEtsObj *o);
Term tb_make_integer(TbProcess *p, SWord v);
#endif
