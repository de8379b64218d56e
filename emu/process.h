/* process.h — the process struct: heap + stack in one block (heap grows up,
 * stack grows down), X registers, off-heap list, exception state.  Kept
 * scheduler-agnostic: nothing here assumes a single scheduler thread. */
#ifndef TB_PROCESS_H
#define TB_PROCESS_H
#include "term.h"
#include <stdbool.h>

#define TB_MAX_X 1024          /* X register file, like ERTS's MAX_REG */
#define TB_MAX_FLOAT_REGS 256
#define TB_DEF_ARG_REGS 6      /* saved X registers without a malloc */

/* Exception reason word, like ERTS's freason: class in the low bits. */
#define EXC_CLASS_ERROR 1
#define EXC_CLASS_EXIT  2
#define EXC_CLASS_THROW 3
#define EXC_CLASS_MASK  3
#define EXC_SAVE_TRACE  4      /* build a stacktrace for this exception */
#define TB_NO_BIF_FRAME 64     /* error/throw/exit BIFs: no {erlang,F,Args} frame on top */
#define EXC_RERAISE     32     /* keep p->ftrace: raise/raw_raise of a caught exception */
/* Not exceptions: a BIF returning TB_NONE with one of these asks the
 * scheduler for something (the interpreter checks them on the slow path). */
#define TB_TRAP         0x100
#define TB_TRAP_YIELD   (TB_TRAP | 1)  /* result in fvalue; let others run */
#define TB_TRAP_EXIT    (TB_TRAP | 2)  /* terminate now with reason fvalue (uncatchable) */
#define TB_TRAP_HIBERNATE (TB_TRAP | 3) /* p->i/arity set up; sleep until a message */
#define TB_TRAP_CALL    (TB_TRAP | 4)  /* call p->i with the X registers set up; it returns to the BIF's caller */

/* A heap fragment: memory handed out when a BIF allocates more than the
 * heap has left, or the data of a message; the next GC folds it into the
 * new heap.  Message fragments carry their own off-heap binaries. */
typedef struct TbHeapFrag {
    struct TbHeapFrag *next;
    struct TbProcBin *off_heap;
    size_t used, size;
    Term mem[];
} TbHeapFrag;

/* A queued message.  Its data lives in `frag` (copied there by the sender)
 * until the receiver takes it or collects; a self-sent message has no frag. */
typedef struct TbMessage {
    struct TbMessage *next;
    Term msg;
    TbHeapFrag *frag;
} TbMessage;

/* Receive markers (OTP 24+): a position in the queue bound to a reference,
 * so that `receive {Ref, _}` after make_ref() skips the older messages. */
#define TB_RECV_MARKERS 4
typedef struct TbRecvMarker {
    TbMessage **pos;           /* where the scan starts: link after the last old message */
    uint32_t ref[3];           /* bound reference; ref[0..2] == 0 while unbound */
    bool in_use;
} TbRecvMarker;

#define TB_MAX_HEAP_KILL 1u
#define TB_MAX_HEAP_LOG  2u

/* Process states (ERTS's status of process_info). */
enum { TB_PS_RUNNABLE, TB_PS_RUNNING, TB_PS_WAITING, TB_PS_EXITING, TB_PS_FREE };
/* Priorities, highest first (run queue index). */
enum { TB_PRIO_MAX, TB_PRIO_HIGH, TB_PRIO_NORMAL, TB_PRIO_LOW };

/* p->flags */
#define TB_PF_TRAP_EXIT        ((UWord)1 << 0)
#define TB_PF_SENSITIVE        ((UWord)1 << 1)
#define TB_PF_OFF_HEAP_MSGQ    ((UWord)1 << 2)
#define TB_PF_SCHED_BOUND      ((UWord)1 << 3)
#define TB_PF_IN_RUNQ          ((UWord)1 << 4)
#define TB_PF_TIMER            ((UWord)1 << 5)   /* a receive timeout is armed */
#define TB_PF_TIMED_OUT        ((UWord)1 << 6)
#define TB_PF_HIBERNATE        ((UWord)1 << 7)
#define TB_PF_SAVE_CALLS_SHIFT 8      /* 14 bits: 0..10000 */
#define TB_PF_VHEAP_SHIFT      24     /* 8 bits: heap_sizes index + 1 of min_bin_vheap_size; 0 = default */
#define TB_PF_EH_SHIFT         32     /* error_handler atom index + 1; 0 = error_handler */

struct TbLink;
struct TbMon;
struct TbTimer;

typedef struct TbProcess {
    /* hot: the interpreter loads these into locals */
    Term *htop, *stop;         /* heap top; stack top (grows down) */
    Term *heap, *hend;         /* heap start; end of block (stack bottom) */
    Term *old_heap, *old_htop, *old_hend;  /* old generation */
    Term *high_water;          /* data below this survived one GC: promoted next time */
    TbHeapFrag *frags;
    size_t min_heap_size;      /* words */
    size_t max_heap_size;      /* words, 0: no limit */
    uint8_t max_heap_flags;    /* TB_MAX_HEAP_KILL | TB_MAX_HEAP_LOG */
    UWord gen_gcs, max_gen_gcs;/* minor GCs since last full sweep; fullsweep_after */
    size_t mbuf_sz;            /* words BIFs put in fragments since the last GC */
    bool heap_grow;            /* a major GC left the heap over 75% full: grow at the next */
    struct TbProcBin *off_heap;/* ProcBins on this heap, swept after GC */
    UWord off_heap_bytes;      /* binary virtual heap: triggers GC */

    /* X registers: the scheduler's file while running; arg_reg otherwise,
     * holding the `arity` live ones (ERTS keeps them per scheduler too). */
    Term *x;
    Term *arg_reg;             /* def_arg_reg, or malloc'd when more are live */
    unsigned arity, arg_cap;
    Term def_arg_reg[TB_DEF_ARG_REGS];
    const UWord *i;            /* next instruction when swapped out */
    int64_t fcalls;            /* reductions left */
    UWord reductions;

    /* exceptions */
    UWord freason;
    Term fvalue;
    Term ftrace;               /* raw stacktrace (see emu/exception.c) */
    Term ftop;                 /* {M,F,Args} of a failing BIF/function_clause, or NIL */
    UWord catches;             /* active catch frames */

    /* messages and receive */
    TbMessage *msg_first, **msg_last, **msg_save;
    TbMessage **msg_unabsorbed;/* link to the first message whose data may still be in its own fragment */
    UWord msg_len;
    const UWord *timeout_pc;   /* where a timed-out receive resumes */
    struct TbTimer *recv_timer;
    struct TbTimer *bif_timers;/* BIF timers aimed at this process (by pid) */
    TbRecvMarker markers[TB_RECV_MARKERS];
    unsigned marker_next;      /* slot to reuse when all are taken */

    /* identity and relations */
    Term id;                   /* pid */
    Term reg_name;             /* registered name or NIL */
    struct TbDict *dict;       /* process dictionary (emu/pdict.c), NULL when never used */
    Term group_leader;
    Term seq_token;
    Term parent;               /* spawner's pid, or undefined */
    Term init_m, init_f;       /* initial call */
    unsigned init_a;
    struct TbLink *links;
    struct TbMon *mons;
    void *aliases;             /* emu/alias.c: this process's active aliases */
    UWord node_monitors;       /* process_flag(monitor_nodes, true) count */
    Term exit_reason;          /* set when a signal kills us; lives in exit_frag */
    TbHeapFrag *exit_frag;
    UWord flags;
    uint8_t status, prio;
    struct TbProcess *rq_next; /* run queue link */
    struct TbScheduler *sched;
} TbProcess;

/* Words for heap+stack at spawn, like ERTS's 233 minimum heap. */
#define TB_MIN_HEAP 233

TbProcess *tb_process_new(size_t heap_words);
void tb_process_free(TbProcess *p);
/* Free a message and what it holds (fragment, off-heap binaries). */
void tb_message_free(TbMessage *m);
void tb_heap_frag_free(TbHeapFrag *f);
/* Make a message's fragment part of p's heap: freed by p's next GC. */
static inline void tb_frag_absorb(TbProcess *p, TbHeapFrag *f) {
    struct TbProcBin **tail = &f->off_heap;
    while (*tail) tail = &(*tail)->next;
    *tail = p->off_heap;
    p->off_heap = f->off_heap;
    f->off_heap = NULL;
    f->next = p->frags;
    p->frags = f;
}

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
