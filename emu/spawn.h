/* spawn.h — creating processes. */
#ifndef TB_SPAWN_H
#define TB_SPAWN_H
#include "process.h"

typedef struct TbSpawnOpts {
    bool link, monitor;
    uint8_t prio;
    size_t min_heap_size;      /* words; 0: default */
    UWord max_gen_gcs;         /* fullsweep_after */
    bool has_fullsweep, has_max_heap;
    size_t max_heap_size;
    uint8_t max_heap_flags;
    uint32_t mon_ref[3];       /* out: the monitor's reference */
} TbSpawnOpts;

/* Start M:F(Args) in a new process (Args a proper list on parent's heap).
 * NULL with the exception set in parent when Args is not a list (badarg) or
 * the process table is full (system_limit). */
TbProcess *tb_spawn(TbProcess *parent, Term m, Term f, Term args, TbSpawnOpts *o);
/* The first process (no parent): runs M:F(Args...) with Args in x0... */
TbProcess *tb_spawn_first(struct TbScheduler *s, Term m, Term f, const Term *args, unsigned n);
/* The return address that ends a process normally. */
const UWord *tb_spawn_exit_cp(void);
#endif
