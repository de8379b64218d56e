/* bif_compare.c — the comparison operators as BIFs (apply/3, fun erlang:'<'/2)
 * and min/2, max/2.  When the arguments compare equal, min and max both
 * return the FIRST one: max(1, 1.0) =:= 1, max(1.0, 1) =:= 1.0. */
#include "bif.h"
#include "../emu/compare.h"

static inline Term boolean(bool b) { return b ? AM_true : AM_false; }

Term bif_eq_2(TbProcess *p, Term *a)    { (void)p; return boolean(tb_eq_fast(a[0], a[1])); }
Term bif_neq_2(TbProcess *p, Term *a)   { (void)p; return boolean(!tb_eq_fast(a[0], a[1])); }
Term bif_exeq_2(TbProcess *p, Term *a)  { (void)p; return boolean(tb_eq_exact_fast(a[0], a[1])); }
Term bif_exneq_2(TbProcess *p, Term *a) { (void)p; return boolean(!tb_eq_exact_fast(a[0], a[1])); }
Term bif_lt_2(TbProcess *p, Term *a)    { (void)p; return boolean(tb_cmp_fast(a[0], a[1]) < 0); }
Term bif_gt_2(TbProcess *p, Term *a)    { (void)p; return boolean(tb_cmp_fast(a[0], a[1]) > 0); }
Term bif_le_2(TbProcess *p, Term *a)    { (void)p; return boolean(tb_cmp_fast(a[0], a[1]) <= 0); }
Term bif_ge_2(TbProcess *p, Term *a)    { (void)p; return boolean(tb_cmp_fast(a[0], a[1]) >= 0); }
Term bif_min_2(TbProcess *p, Term *a)   { (void)p; return tb_cmp_fast(a[0], a[1]) > 0 ? a[1] : a[0]; }
Term bif_max_2(TbProcess *p, Term *a)   { (void)p; return tb_cmp_fast(a[0], a[1]) < 0 ? a[1] : a[0]; }
