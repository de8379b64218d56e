/* exception.h — raising, catching and stacktraces.
 * A raw stacktrace is a tuple {'$tb_trace', Class, Top, Pc0, Pc1, ...}: Top is
 * NIL or {M,F,Args} (a failing BIF or function_clause), Pc words are code
 * addresses as small integers.  build_stacktrace turns it into ERTS's list. */
#ifndef TB_EXCEPTION_H
#define TB_EXCEPTION_H
#include <stdio.h>
#include "process.h"

#define TB_TRACE_DEPTH 8    /* ERTS's default backtrace_depth */

/* {M,F,[Args]} from n argument registers. */
Term tb_make_mfa_args(TbProcess *p, Term m, Term f, unsigned n, const Term *args);
/* Top frame for a failing BIF: {M,F,Args}, or NIL for error/throw/exit. */
Term tb_bif_top(TbProcess *p, Term m, Term f, unsigned n, const Term *args);
/* Find a handler for the pending exception (p->freason/fvalue/ftop);
 * pc is the raising instruction or NULL.  Returns the handler's code, or
 * NULL when the process has no catch (it then exits). */
const UWord *tb_exception_dispatch(TbProcess *p, const UWord *pc);
Term tb_catch_value(TbProcess *p, Term cls, Term reason, Term raw);
void tb_reraise(TbProcess *p, Term raw, Term value);
bool tb_raw_raise(TbProcess *p, Term cls, Term reason, Term raw);
Term tb_build_stacktrace(TbProcess *p, Term raw);
Term tb_class_atom(UWord freason);
/* {M,F,A,Location} of a code address (low bit set: a return address), or TB_NONE. */
Term tb_frame_of_pc(TbProcess *p, UWord w);
/* Print a term in erlang:display form (no newline). */
void tb_fprint_term(FILE *f, Term t);
/* Print "Error in process..."-style report for an uncaught exception (bare mode). */
void tb_report_uncaught(TbProcess *p, FILE *f);
#endif
