/* gc.h — the per-process copying collector and term copying. */
#ifndef TB_GC_H
#define TB_GC_H
#include "process.h"

/* Words an object occupies (header + payload), from its header. */
UWord tb_object_words(const Term *obj);
/* The run of words in an object that hold terms (the rest is raw data). */
void tb_object_term_words(const Term *obj, UWord *first, UWord *count);
/* After a copy, a match state's cached data pointer must follow its binary. */
static inline void tb_match_state_rebase(Term *obj) {
    TbMatchState *ms = (TbMatchState *)obj;
    UWord o, s;
    bitstring_view(ms->orig, &ms->base, &o, &s);
}
/* Deep size of a term in words, not counting literals (shared, never copied). */
UWord tb_size_object(Term t);
/* Copy a term to hp (which has tb_size_object(t) words); ProcBins get a new
 * reference and are linked on *off_heap.  Literals are shared. */
Term tb_copy_object(Term t, Term **hp, struct TbProcBin **off_heap);
/* The same, literals copied too (size with tb_size_object_owned), and
 * binaries marked not appendable: a copy that owns all of its data, for
 * storage that outlives the process and the code (ETS). */
UWord tb_size_object_owned(Term t);
Term tb_copy_object_owned(Term t, Term **hp, struct TbProcBin **off_heap);
/* A copy of t in the literal area (immediates as they are); refc binaries it
 * references are linked on *off_heap. */
Term tb_copy_to_literal(Term t, struct TbProcBin **off_heap);
/* The heap outgrew max_heap_size: report and/or kill (emu/signals.c). */
void tb_max_heap_reached(TbProcess *p, size_t total_words);
#endif
