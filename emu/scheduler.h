/* scheduler.h — a scheduler: run queues for ERTS's four priorities, the X and
 * float register files the running process uses, timers, and the loop
 * that runs processes in reduction-counted slices.  There is one scheduler
 * now; everything per-scheduler lives here (reached as p->sched), so that
 * SMP schedulers are more instances of this struct. */
#ifndef TB_SCHEDULER_H
#define TB_SCHEDULER_H
#include "process.h"
#include "timer.h"

#define TB_CONTEXT_REDS 4000   /* reductions per slice, as ERTS */

typedef struct TbScheduler {
    Term x[TB_MAX_X] __attribute__((aligned(64)));
    double fr[TB_MAX_FLOAT_REGS];
    TbProcess *current;
    TbProcess *rq_head[4], *rq_tail[4];
    unsigned rq_len[4];
    unsigned normal_picks;     /* low-priority fairness counter */
    TbTimers timers;
    TbProcess *main;           /* bare mode: the VM ends with this process */
    int main_status;
    /* statistics/1 */
    uint64_t context_switches, reductions, reductions_at_last_call;
    uint64_t gcs, gc_words;
    uint64_t exact_reductions_at_last_call;
} TbScheduler;

extern TbScheduler tb_sched0;

/* Put a runnable process at the end of its priority's queue. */
void tb_sched_enqueue(TbProcess *p);
/* A waiting process got a message or signal: make it runnable. */
void tb_sched_wake(TbProcess *p);
/* Run until the main process ends; returns the exit status for main(). */
int tb_sched_loop(TbScheduler *s);

/* Receive timeouts. */
void tb_sched_set_recv_timer(TbProcess *p, uint64_t ms);
void tb_sched_cancel_recv_timer(TbProcess *p);

/* Result of one tb_interp_run slice. */
enum { TB_RUN_EXIT = 0, TB_RUN_YIELD = 1, TB_RUN_WAIT = 2 };
#endif
