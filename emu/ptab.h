/* ptab.h — the process table (pid -> process) and the name registry.
 * Pid data is 28 bits like ERTS's: number = bits 0..14, serial = 15..27
 * (<0.Number.Serial>); the table slot is data mod the table size, a power
 * of two set by +P.  One scheduler for now: no locking yet (SMP will lock
 * these two tables, not the callers). */
#ifndef TB_PTAB_H
#define TB_PTAB_H
#include "process.h"

#define TB_PTAB_DEFAULT_MAX 262144u        /* ERTS's default +P */
void tb_ptab_init(UWord max_processes);    /* rounded up to a power of two, 1024..2^27 */
UWord tb_ptab_max(void);
UWord tb_ptab_count(void);
/* Give p a pid and a slot; false when the table is full (system_limit). */
bool tb_ptab_insert(TbProcess *p);
void tb_ptab_remove(TbProcess *p);
/* The live (not yet freed) local process with this pid, or NULL. */
TbProcess *tb_pid_lookup(Term pid);
/* Iterate: start with *i = 0; NULL at the end. */
TbProcess *tb_ptab_next(UWord *i);

/* Registered names (atoms) of processes. */
bool tb_reg_register(Term name, TbProcess *p);   /* false: name or process taken */
TbProcess *tb_reg_whereis(Term name);
bool tb_reg_unregister(Term name);
UWord tb_reg_count(void);
Term tb_reg_name_at(UWord i);                    /* TB_NONE for an empty slot; i < tb_reg_cap() */
UWord tb_reg_cap(void);
#endif
