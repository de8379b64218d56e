/* ms_int.h — shared between ms_compile.c and ms_run.c. */
#ifndef TB_MS_INT_H
#define TB_MS_INT_H
#include "ms.h"
#include "../bifs/bif.h"

enum { MS_BIF_ANY, MS_BIF_TRACE };
typedef struct TbMsBif { const char *name; unsigned arity; int kind; TbBifFn fn; } TbMsBif;
extern const TbMsBif tb_ms_bifs[];
extern const unsigned tb_ms_nbifs;
BIF_DECL(tb_ms_uplus);
BIF_DECL(tb_ms_get_tcw);
BIF_DECL(tb_ms_set_tcw);
int tb_ms_var_num(Term t);
#endif
