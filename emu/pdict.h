/* pdict.h — the process dictionary: ERTS's linear-hashing table
 * (erl_process_dict.c), so get/0 lists entries in ERTS's order.
 * The slot array lives off-heap; each used slot is [] (empty), a {K,V}
 * tuple, or a list of them, on the process heap (GC roots, emu/gc.c). */
#ifndef TB_PDICT_H
#define TB_PDICT_H
#include "process.h"

typedef struct TbDict {
    unsigned size;             /* slots allocated */
    unsigned used;             /* slots in the hash range */
    unsigned mask;             /* 2 * home size - 1 */
    unsigned split;            /* next slot to split */
    UWord n;                   /* entries */
    Term slot[];
} TbDict;

Term tb_pd_get(const TbDict *d, Term key);                 /* undefined if absent */
Term tb_pd_put(TbProcess *p, Term key, Term val);          /* the old value or undefined */
Term tb_pd_erase(TbProcess *p, Term key);                  /* the old value or undefined */
/* [{K,V}] (or [K] when keys) in ERTS's order, built on p's heap; the
 * entries of another process's dictionary go through copy (may be NULL). */
Term tb_pd_list(TbProcess *p, const TbDict *d, bool keys, Term (*copy)(TbProcess *, void *, Term), void *arg);
Term tb_pd_keys_of(TbProcess *p, Term val);                /* keys whose value is =:= val */
void tb_pd_free(TbProcess *p);
UWord tb_pd_bytes(const TbDict *d);                        /* for memory accounting, as ERTS */
#endif
