/* interp.c — the interpreter loop.
 *
 * One set of dispatch macros (like Lua's lvm.c/ljumptab.h) compiles the same
 * instruction bodies either as direct-threaded code (each instruction's
 * first word is the address of its body: `goto *`) or, with
 * --disable-threaded, as a portable switch.  Hot state lives in locals:
 * I (instruction pointer), E (stack top, Y registers are E[i]), HTOP, FCALLS.
 * Bodies are grouped by concern in emu/insn_*.h and included below.
 */
#include "config.h"
#ifdef TB_FORCE_SWITCH          /* tbeam-switch: the same bodies as a switch */
#undef TB_THREADED
#define TB_THREADED 0
#endif
#include "interp.h"
#include "atom.h"
#include "module.h"
#include "exception.h"
#include "gc.h"
#include "scheduler.h"
#include "ptab.h"
#include "signals.h"
#include "../bifs/bif.h"
#include "arith.h"
#include "compare.h"
#include "map.h"
#include "bits.h"
#include "binary.h"
#include "big.h"
#include "msg.h"
#include "call.h"
#include "bs_ops.h"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

const TbOpInfo tb_op_info[OP__COUNT] = {
#define OP(name, gen, spec, doc) {#name, gen, spec},
#define NONE (-1)
#include "ops.def"
#undef NONE
#undef OP
};
UWord tb_op_addr[OP__COUNT];

int tb_op_from_addr(UWord w) {
    for (int i = 0; i < OP__COUNT; i++)
        if (tb_op_addr[i] == w) return i;
    return -1;
}

#if defined(TB_OP_PROFILE) && !TB_THREADED
/* Counts of executed instructions and of adjacent pairs, for choosing
 * combined instructions: the switch build compiled with -DTB_OP_PROFILE
 * (scripts/op-profile) writes them to $TBEAM_OP_PROFILE at exit. */
static uint64_t op_count[OP__COUNT], op_pair[OP__COUNT][OP__COUNT];
static int op_prev;
static inline void op_profile_count(int op) {
    op_count[op]++;
    op_pair[op_prev][op]++;
    op_prev = op;
}
static void op_profile_dump(void) {
    const char *path = getenv("TBEAM_OP_PROFILE");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f) return;
    for (int a = 0; a < OP__COUNT; a++) {
        if (op_count[a]) fprintf(f, "op %llu %s\n", (unsigned long long)op_count[a], tb_op_info[a].name);
        for (int b = 0; b < OP__COUNT; b++)
            if (op_pair[a][b])
                fprintf(f, "pair %llu %s %s\n", (unsigned long long)op_pair[a][b], tb_op_info[a].name, tb_op_info[b].name);
    }
    fclose(f);
}
#endif

/* ---- dispatch ---- */
#if TB_THREADED
#define DISPATCH() goto *(void *)*I
#define OPCASE(name) L_##name:
#else
#define DISPATCH() goto dispatch
#define OPCASE(name) case OP_##name:
#endif
/* W_name: words of each instruction, generated from ops.def ('-' emits nothing). */
#include "ops_words.h"
#define NEXT(words) do { I += (words); DISPATCH(); } while (0)
#define NEXTOP(name) NEXT(W_##name)

#define A(n) I[(n) + 1]
#define XR(n) x[A(n)]
#define YR(n) E[A(n)]
#define SRC(w) (((w) & 3) ? (Term)(w) : ((w) & 4) ? E[(w) >> 3] : x[(w) >> 3])
#define DST(w) (*(((w) & 4) ? &E[(w) >> 3] : &x[(w) >> 3]))
#define S(n) SRC(A(n))
#define D(n) DST(A(n))
#define LABEL(n) ((const UWord *)A(n))

#define SWAPOUT do { p->htop = HTOP; p->stop = E; } while (0)
#define SWAPIN do { HTOP = p->htop; E = p->stop; } while (0)

/* Ensure `need` free words between heap top and stack, plus the one word a
 * call pushes its return address into; collect with `live` X registers. */
#define ENSURE(need, live) do {                                     \
        if ((UWord)(E - HTOP) <= (UWord)(need) || tb_gc_stress) {   \
            SWAPOUT; tb_gc(p, (need) + 1, (live)); SWAPIN;          \
            if (p->status == TB_PS_EXITING) goto killed;            \
        }                                                           \
    } while (0)

/* After a BIF returned its result in x0: when it put more in fragments than
 * the heap has free, collect now (ERTS's erts_gc_after_bif_call), else a
 * loop of BIF calls piles up fragments until the next heap test. */
#define GC_AFTER_BIF() do {                                          \
        if (p->mbuf_sz > (UWord)(E - HTOP)) {                          \
            SWAPOUT; tb_gc(p, 0, 1); SWAPIN;                           \
            if (p->status == TB_PS_EXITING) goto killed;               \
        }                                                              \
    } while (0)

/* Free heap words guaranteed to a BIF called through call_ext. */
#define TB_BIF_HEAP_RESERVE 64

/* Raise: record where, then find a handler. */
#define RAISE(pc) do { fail_pc = (pc); goto handle_error; } while (0)
#define ERROR(reason) do { p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE; p->fvalue = (reason); p->ftop = NIL; RAISE(I); } while (0)
#define BADARG_ERR() ERROR(AM(badarg))
#define JUMP_OR_RAISE(fail) do { if (fail) { I = (const UWord *)(fail); DISPATCH(); } else RAISE(I); } while (0)

/* Calls: the return address lives on the stack (OTP 24+ style). */
#define CALL(target, next) do { *--E = (Term)(next); I = (target); if (--FCALLS <= 0) goto yield; DISPATCH(); } while (0)
#define JUMP_CALL(target) do { I = (target); if (--FCALLS <= 0) goto yield; DISPATCH(); } while (0)

int tb_interp_run(TbProcess *p) {
#if TB_THREADED
    static void *const labels[OP__COUNT] = {
#define OP(name, gen, spec, doc) &&L_##name,
#include "ops.def"
#undef OP
    };
    if (!p) {
        for (int i = 0; i < OP__COUNT; i++) tb_op_addr[i] = (UWord)labels[i];
        return 0;
    }
#else
    if (!p) {
        for (int i = 0; i < OP__COUNT; i++) tb_op_addr[i] = (UWord)i;
#ifdef TB_OP_PROFILE
        atexit(op_profile_dump);
#endif
        return 0;
    }
#endif
    Term *x = p->x;
#define fr (p->sched->fr)
    const UWord *trap_next = NULL;
    Term *E = p->stop;
    Term *HTOP = p->htop;
    const UWord *I = p->i;
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    register int64_t FCALLS asm("r15") = p->fcalls;   /* GCC spills it to memory otherwise (~4% on calls) */
#else
    int64_t FCALLS = p->fcalls;
#endif
    const UWord *fail_pc = NULL;

    DISPATCH();

#if !TB_THREADED
dispatch:
#ifdef TB_OP_PROFILE
    op_profile_count((int)*I);
#endif
    switch ((int)*I) {
#endif

#include "insn_control.h"
#include "insn_data.h"
#include "insn_test.h"
#include "insn_arith.h"
#include "insn_exc.h"
#include "insn_maps.h"
#include "insn_bits.h"
#include "insn_msg.h"

#if !TB_THREADED
    default:
        fprintf(stderr, "tbeam: bad opcode %lu\n", (unsigned long)*I);
        abort();
    }
#endif

handle_error: {
        SWAPOUT;
        const UWord *handler = tb_exception_dispatch(p, fail_pc);
        SWAPIN;
        if (handler) { I = handler; DISPATCH(); }
        p->htop = HTOP;
        p->stop = E;
        p->fcalls = FCALLS;
        p->i = NULL;
        return TB_RUN_EXIT;        /* process exits with p->freason/fvalue */
    }
yield:
    /* at a call target: code[-1] is its arity (see emu/module.h) */
    SWAPOUT;
    p->i = I;
    p->arity = (unsigned)I[-1];
    p->fcalls = FCALLS;
    return TB_RUN_YIELD;

killed:
    /* max_heap_size killed us during a collection: leave; the scheduler ends us */
    SWAPOUT;
    p->i = I;
    p->arity = 0;
    p->fcalls = FCALLS;
    return TB_RUN_YIELD;

bif_trap:
    /* a BIF asked the scheduler for something (process.h, TB_TRAP_*) */
    p->fcalls = FCALLS;
    switch (p->freason) {
    case TB_TRAP_YIELD:
        p->freason = 0;
        x[0] = p->fvalue;
        SWAPOUT;
        p->i = trap_next;
        p->arity = 1;
        return TB_RUN_YIELD;
    case TB_TRAP_HIBERNATE:      /* the BIF set up stack, registers and p->i */
        p->freason = 0;
        p->flags |= TB_PF_HIBERNATE;
        SWAPOUT;
        return TB_RUN_WAIT;
    case TB_TRAP_CALL:
        p->freason = 0;
        *--E = (Term)trap_next;
        I = p->i;
        DISPATCH();
    default:                     /* TB_TRAP_EXIT: end now, uncatchable */
        SWAPOUT;
        p->i = NULL;
        return TB_RUN_EXIT;
    }
}

void tb_interp_init(void) {
    tb_interp_run(NULL);
}
