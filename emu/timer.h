/* timer.h — timers: receive timeouts and the BIF timers (send_after,
 * start_timer), in a binary min-heap on expiry time (O(log n) start and
 * cancel, O(1) next expiry), with BIF timers also found by reference. */
#ifndef TB_TIMER_H
#define TB_TIMER_H
#include "process.h"

enum { TB_TMR_RECEIVE, TB_TMR_SEND, TB_TMR_TIMEOUT };

typedef struct TbTimer {
    uint64_t expire;           /* monotonic nanoseconds */
    uint64_t seq;              /* equal expiries fire in start order */
    UWord slot;                /* index in the heap */
    uint8_t kind;
    TbProcess *proc;           /* receive timeout: the waiting process */
    Term dest;                 /* BIF timers: pid or registered name */
    Term msg;                  /* BIF timers: message, in frag */
    TbHeapFrag *frag;
    uint32_t ref[3];           /* BIF timers: the timer reference */
    struct TbTimer *hnext;     /* reference hash chain */
    struct TbTimer *pnext, **pprev;   /* BIF timers to a pid: the target's list (ERTS cancels them when it exits) */
} TbTimer;

typedef struct TbTimers {
    TbTimer **heap;
    UWord n, cap;
    uint64_t seq;
    TbTimer **hash;            /* BIF timers by reference */
    UWord hcap, hcount;
} TbTimers;

uint64_t tb_now_ns(void);      /* CLOCK_MONOTONIC */

void tb_timer_insert(TbTimers *t, TbTimer *tm);
void tb_timer_remove(TbTimers *t, TbTimer *tm);
/* The earliest timer if it expired by `now`, removed from the heap (and
 * from the reference table); NULL otherwise. */
TbTimer *tb_timer_pop_expired(TbTimers *t, uint64_t now);
/* Expiry of the earliest timer, or UINT64_MAX. */
static inline uint64_t tb_timer_next(const TbTimers *t) { return t->n ? t->heap[0]->expire : UINT64_MAX; }

/* BIF timers by reference number (TbRefThing num[0..2]). */
void tb_timer_hash_add(TbTimers *t, TbTimer *tm);
TbTimer *tb_timer_hash_find(TbTimers *t, const uint32_t ref[3]);
void tb_timer_hash_del(TbTimers *t, TbTimer *tm);
#endif
