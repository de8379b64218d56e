/* process.h — the process struct: heap + stack in one block (heap grows up,
 * stack grows down), X registers, off-heap list, exception state.  Kept
 * scheduler-agnostic: nothing here assumes a single scheduler thread. */
#ifndef TB_PROCESS_H
#define TB_PROCESS_H
#include "term.h"

#define TB_MAX_X 1024          /* X register file, like ERTS's MAX_REG */
#define TB_MAX_FLOAT_REGS 256

/* Exception reason word, like ERTS's freason: class in the low bits. */
#define EXC_CLASS_ERROR 1
#define EXC_CLASS_EXIT  2
#define EXC_CLASS_THROW 3
#define EXC_CLASS_MASK  3
#define EXC_SAVE_TRACE  4      /* build a stacktrace for this exception */
#define TB_NO_BIF_FRAME 64     /* error/throw/exit BIFs: no {erlang,F,Args} frame on top */
#define EXC_RERAISE     32     /* keep p->ftrace: raise/raw_raise of a caught exception */

/* A heap fragment: memory handed out when a BIF allocates more than the
 * heap has left; the next GC folds it into the new heap. */
typedef struct TbHeapFrag {
    struct TbHeapFrag *next;
    size_t used, size;
    Term mem[];
} TbHeapFrag;

/* A queued message; its data lives on the receiver's heap (or a fragment). */
typedef struct TbMessage {
    struct TbMessage *next;
    Term msg;
} TbMessage;

typedef struct TbProcess {
    /* hot: the interpreter loads these into locals */
    Term *htop, *stop;         /* heap top; stack top (grows down) */
    Term *heap, *hend;         /* heap start; end of block (stack bottom) */
    Term *old_heap, *old_htop, *old_hend;  /* old generation */
    Term *high_water;          /* data below this survived one GC: promoted next time */
    TbHeapFrag *frags;
    size_t min_heap_size;      /* words */
    UWord gen_gcs, max_gen_gcs;/* minor GCs since last full sweep; fullsweep_after */
    struct TbProcBin *off_heap;/* ProcBins on this heap, swept after GC */
    UWord off_heap_bytes;      /* binary virtual heap: triggers GC */

    Term x[TB_MAX_X] __attribute__((aligned(64)));   /* registers start a cache line */
    double fr[TB_MAX_FLOAT_REGS];
    int arity;                 /* live X registers when swapped out */
    const UWord *i;            /* next instruction when swapped out */
    int64_t fcalls;            /* reductions left */
    UWord reductions;

    /* exceptions */
    UWord freason;
    Term fvalue;
    Term ftrace;               /* raw stacktrace (see emu/exception.c) */
    Term ftop;                 /* {M,F,Args} of a failing BIF/function_clause, or NIL */
    UWord catches;             /* active catch frames */

    TbMessage *msg_first, **msg_last, **msg_save;

    Term id;                   /* pid */
    Term dictionary;           /* [{K,V}] list, TB_NONE when empty */
    Term group_leader;
    Term seq_token;
    UWord flags;
    struct TbScheduler *sched;
} TbProcess;

/* Words for heap+stack at spawn, like ERTS's 233 minimum heap. */
#define TB_MIN_HEAP 233

TbProcess *tb_process_new(size_t heap_words);
void tb_process_free(TbProcess *p);

/* Allocate n words on p's heap; falls back to a heap fragment (never GCs,
 * so safe in any BIF).  One word between heap and stack always stays free:
 * calls push their return address there (allocate and test_heap reserve it). */
Term *tb_halloc_slow(TbProcess *p, size_t n);
static inline Term *tb_halloc(TbProcess *p, size_t n) {
    Term *hp = p->htop;
    if ((size_t)(p->stop - hp) > n) { p->htop = hp + n; return hp; }
    return tb_halloc_slow(p, n);
}

/* Garbage collection (emu/gc.c): make room for `need` words keeping `live` X registers. */
void tb_gc(TbProcess *p, size_t need, int live);
/* A full sweep, old generation included (erlang:garbage_collect/0). */
void tb_gc_major(TbProcess *p, size_t need, int live);
extern int tb_gc_stress;       /* TBEAM_GC_STRESS=1: collect at every test_heap */

/* Raise helpers used by BIFs: set reason, return TB_NONE. */
static inline Term tb_error(TbProcess *p, Term reason) {
    p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = reason; p->ftop = NIL; return TB_NONE;
}
#define BIF_ERROR(p, r) return tb_error((p), (r))
#define BADARG(p) return tb_error((p), make_atom(AMI_badarg))
#define BADARITH(p) return tb_error((p), make_atom(AMI_badarith))
#endif
