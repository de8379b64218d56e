/* exception.c — finding handlers, raw stacktraces and their ERTS form. */
#include "exception.h"
#include "atom.h"
#include "module.h"
#include "print.h"
#include <stdlib.h>

static Term trace_tag;   /* '$tb_trace' */

Term tb_class_atom(UWord freason) {
    switch (freason & EXC_CLASS_MASK) {
    case EXC_CLASS_EXIT: return AM(exit);
    case EXC_CLASS_THROW: return AM(throw);
    default: return AM(error);
    }
}

static UWord class_of(Term cls) {
    if (cls == AM(error)) return EXC_CLASS_ERROR;
    if (cls == AM(exit)) return EXC_CLASS_EXIT;
    if (cls == AM(throw)) return EXC_CLASS_THROW;
    return 0;
}

Term tb_make_mfa_args(TbProcess *p, Term m, Term f, unsigned n, const Term *args) {
    Term *hp = tb_halloc(p, 2 * n + 4);
    Term list = NIL;
    for (unsigned i = n; i-- > 0;) {
        hp[0] = args[i];
        hp[1] = list;
        list = make_list(hp);
        hp += 2;
    }
    hp[0] = make_arityval(3);
    hp[1] = m;
    hp[2] = f;
    hp[3] = list;
    return make_boxed(hp);
}

Term tb_bif_top(TbProcess *p, Term m, Term f, unsigned n, const Term *args) {
    if (p->freason & TB_NO_BIF_FRAME) {
        p->freason &= ~(UWord)TB_NO_BIF_FRAME;
        return p->ftop;            /* NIL, or error/2,3's '$tb_args' note */
    }
    return tb_make_mfa_args(p, m, f, n, args);
}

static bool is_raw_trace(Term t) {
    return is_tuple(t) && tuple_arity(t) >= 3 && tuple_val(t)[1] == trace_tag;
}

/* Raw trace: the raising pc (exact) and up to TB_TRACE_DEPTH return addresses
 * (marked with bit 0 so the lookup uses the call instruction's line). */
static Term make_raw_trace(TbProcess *p, const UWord *pc) {
    UWord pcs[TB_TRACE_DEPTH + 1];
    unsigned n = 0;
    if (pc) pcs[n++] = (UWord)pc;
    for (Term *sp = p->stop; sp < p->hend && n < TB_TRACE_DEPTH; sp++)
        if (is_header(*sp) && *sp != 0 && tb_module_of_code((const UWord *)*sp))
            pcs[n++] = (UWord)*sp | 1;
    if (!trace_tag) trace_tag = tb_atom_cstr("$tb_trace");
    Term *hp = tb_halloc(p, 4 + n);
    hp[0] = make_arityval(3 + n);
    hp[1] = trace_tag;
    hp[2] = tb_class_atom(p->freason);
    hp[3] = p->ftop;
    for (unsigned i = 0; i < n; i++) hp[4 + i] = make_small((SWord)pcs[i]);
    return make_boxed(hp);
}

const UWord *tb_exception_dispatch(TbProcess *p, const UWord *pc) {
    Term raw;
    if (p->freason & EXC_RERAISE) {
        raw = p->ftrace;
        p->freason &= ~(UWord)EXC_RERAISE;
    } else {
        raw = make_raw_trace(p, pc);
    }
    p->ftrace = raw;
    p->ftop = NIL;
    if (p->catches > 0) {
        Term *frame = p->stop;
        for (Term *sp = p->stop; sp < p->hend; sp++) {
            Term w = *sp;
            if (is_catch(w)) {
                p->stop = frame;
                p->x[0] = TB_NONE;
                p->x[1] = tb_class_atom(p->freason);
                p->x[2] = p->fvalue;
                p->x[3] = raw;
                return (const UWord *)catch_val(w);
            }
            if (is_header(w) && w != 0) frame = sp + 1;   /* a return address: frames above it are the caller's */
        }
    }
    return NULL;
}

Term tb_catch_value(TbProcess *p, Term cls, Term reason, Term raw) {
    if (cls == AM(throw)) return reason;
    Term *hp;
    if (cls == AM(error)) {
        Term st = tb_build_stacktrace(p, raw);
        hp = tb_halloc(p, 6);
        hp[0] = make_arityval(2); hp[1] = reason; hp[2] = st;
        reason = make_boxed(hp);
        hp += 3;
    } else {
        hp = tb_halloc(p, 3);
    }
    hp[0] = make_arityval(2);
    hp[1] = AM(EXIT);
    hp[2] = reason;
    return make_boxed(hp);
}

void tb_reraise(TbProcess *p, Term raw, Term value) {
    p->fvalue = value;
    p->ftop = NIL;
    if (is_raw_trace(raw)) {
        p->freason = class_of(tuple_val(raw)[2]) | EXC_SAVE_TRACE | EXC_RERAISE;
        p->ftrace = raw;
    } else {
        p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE;
    }
}

bool tb_raw_raise(TbProcess *p, Term cls, Term reason, Term raw) {
    UWord c = is_atom(cls) ? class_of(cls) : 0;
    if (!c) return false;
    p->freason = c | EXC_SAVE_TRACE | EXC_RERAISE;
    p->fvalue = reason;
    p->ftrace = raw;
    p->ftop = NIL;
    return true;
}

/* [{file,F},{line,L}] for a code address, or [] without line information. */
static Term location(TbProcess *p, TbModule *m, UWord off) {
    if (!m->nlines) return NIL;
    unsigned lo = 0, hi = m->nlines;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (m->lines[mid].offset <= off) lo = mid + 1; else hi = mid;
    }
    if (lo == 0) return NIL;
    uint32_t loc = m->lines[lo - 1].loc;
    unsigned file = loc >> 24, line = loc & 0xFFFFFF;
    if (line == 0 || file >= m->nfiles) return NIL;
    Term *hp = tb_halloc(p, 3 + 3 + 4);
    Term lt = make_boxed(hp);
    hp[0] = make_arityval(2); hp[1] = AM(line); hp[2] = make_small(line);
    Term ft = make_boxed(hp + 3);
    hp[3] = make_arityval(2); hp[4] = AM(file); hp[5] = m->file_names[file];
    hp[6] = ft; hp[7] = make_list(hp + 8);
    hp[8] = lt; hp[9] = NIL;
    return make_list(hp + 6);
}

Term tb_frame_of_pc(TbProcess *p, UWord w) {
    bool ret = w & 1;
    const UWord *pc = (const UWord *)(w & ~(UWord)1);
    TbModule *m = tb_module_of_code(pc);
    if (!m) return TB_NONE;
    UWord off = (UWord)(pc - m->code) - (ret ? 1 : 0);
    /* function: last start <= off */
    unsigned lo = 0, hi = m->nfunc_starts;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (m->func_starts[mid].offset <= off) lo = mid + 1; else hi = mid;
    }
    if (lo == 0) return TB_NONE;
    const TbFuncStart *fs = &m->func_starts[lo - 1];
    Term loc = location(p, m, off);
    Term *hp = tb_halloc(p, 5);
    hp[0] = make_arityval(4); hp[1] = m->name; hp[2] = fs->function;
    hp[3] = make_small(fs->arity); hp[4] = loc;
    return make_boxed(hp);
}

/* [{error_info, #{module => M}}]: what ERTS attaches to BIF frames; M is
 * the module that explains errors of the BIF's application. */
static Term make_error_info(const char *explainer) {
    Term *hp = tb_literal_alloc(2 + 3 + 4 + 2);
    Term keys = make_boxed(hp);
    hp[0] = make_arityval(1); hp[1] = AM(module);
    TbFlatMap *m = (TbFlatMap *)(hp + 2);
    m->header = make_header(3, HDR_SUB_FLATMAP);
    m->size = 1;
    m->keys = keys;
    m->values[0] = tb_atom_cstr(explainer);
    Term *t = hp + 6;
    t[0] = make_arityval(2); t[1] = AM(error_info); t[2] = make_boxed((Term *)m);
    Term *c = hp + 9;
    c[0] = make_boxed(t); c[1] = NIL;
    return make_list(c);
}

/* ERTS attaches error_info only to the BIF frames of these modules; the
 * others get an empty location. */
static Term error_info_for(Term module) {
    static Term erts, kernel, stdlib;
    if (!erts) {
        erts = make_error_info("erl_erts_errors");
        kernel = make_error_info("erl_kernel_errors");
        stdlib = make_error_info("erl_stdlib_errors");
    }
    static const struct { const char *mod; int which; } owners[] = {
        {"erlang", 0}, {"erts_internal", 0}, {"persistent_term", 0}, {"atomics", 0}, {"counters", 0},
        {"code", 1}, {"os", 1},
        {"binary", 2}, {"ets", 2}, {"lists", 2}, {"maps", 2}, {"math", 2}, {"re", 2}, {"unicode", 2},
    };
    const TbAtom *a = atom_entry(module);
    for (size_t i = 0; i < sizeof owners / sizeof *owners; i++)
        if (a->len == strlen(owners[i].mod) && memcmp(a->name, owners[i].mod, a->len) == 0)
            return owners[i].which == 0 ? erts : owners[i].which == 1 ? kernel : stdlib;
    return NIL;
}

Term tb_build_stacktrace(TbProcess *p, Term raw) {
    if (!is_raw_trace(raw)) return is_list(raw) || raw == NIL ? raw : NIL;
    Term *t = tuple_val(raw);
    UWord n = tuple_arity(raw);
    Term frames[TB_TRACE_DEPTH + 2];
    unsigned k = 0;
    UWord first_pc = 4;
    /* error(R, Args[, Opts]): the caller's frame shows Args (and error_info) */
    Term args_note = TB_NONE;
    if (is_tuple(t[3]) && tuple_arity(t[3]) == 3 && tuple_val(t[3])[1] == tb_atom_cstr("$tb_args")) {
        args_note = t[3];
    } else if (is_tuple(t[3])) {
        Term *top = tuple_val(t[3]);
        Term loc = NIL;
        if (n >= 4) {
            /* function_clause: the top frame is the function at pc0 itself */
            Term f0 = tb_frame_of_pc(p, (UWord)small_val(t[4]));
            if (f0 != TB_NONE && tuple_val(f0)[1] == top[1] && tuple_val(f0)[2] == top[2]) {
                loc = tuple_val(f0)[4];
                first_pc = 5;
            }
        }
        if (tuple_arity(t[3]) == 4) loc = top[4];            /* location given (undef) */
        else if (first_pc == 4) loc = error_info_for(top[1]);
        Term *hp = tb_halloc(p, 5);
        hp[0] = make_arityval(4); hp[1] = top[1]; hp[2] = top[2]; hp[3] = top[3];
        hp[4] = loc;
        frames[k++] = make_boxed(hp);
    }
    for (UWord i = first_pc; i <= n && k < TB_TRACE_DEPTH; i++) {
        Term f = tb_frame_of_pc(p, (UWord)small_val(t[i]));
        if (f != TB_NONE) frames[k++] = f;
    }
    if (args_note != TB_NONE && k > 0) {
        Term *f = tuple_val(frames[0]), *note = tuple_val(args_note);
        Term loc = f[4];
        if (note[3] != NIL) {      /* the error_info option goes after file and line */
            Term *c = tb_halloc(p, 2);
            c[0] = note[3]; c[1] = NIL;
            Term tail = make_list(c);
            if (loc == NIL) loc = tail;
            else {
                UWord len = 0;
                for (Term l = loc; is_list(l); l = CDR(list_val(l))) len++;
                Term *cells = tb_halloc(p, 2 * len);
                UWord j = 0;
                for (Term l = loc; is_list(l); l = CDR(list_val(l)), j++) {
                    cells[2 * j] = CAR(list_val(l));
                    cells[2 * j + 1] = j + 1 < len ? make_list(&cells[2 * j + 2]) : tail;
                }
                loc = make_list(cells);
            }
        }
        Term *hp = tb_halloc(p, 5);
        hp[0] = make_arityval(4); hp[1] = f[1]; hp[2] = f[2]; hp[3] = note[2]; hp[4] = loc;
        frames[0] = make_boxed(hp);
    }
    Term *hp = tb_halloc(p, 2 * k);
    Term list = NIL;
    for (unsigned i = k; i-- > 0;) {
        hp[0] = frames[i]; hp[1] = list;
        list = make_list(hp);
        hp += 2;
    }
    return list;
}

void tb_fprint_term(FILE *f, Term t) {
    char small[256];
    size_t n = tb_print_term(small, sizeof small, t);
    if (n < sizeof small) { fwrite(small, 1, n, f); return; }
    char *buf = malloc(n + 1);
    if (!buf) abort();
    tb_print_term(buf, n + 1, t);
    fwrite(buf, 1, n, f);
    free(buf);
}

void tb_report_uncaught(TbProcess *p, FILE *f) {
    Term st = tb_build_stacktrace(p, p->ftrace);
    fputs("tbeam: uncaught ", f);
    tb_fprint_term(f, tb_class_atom(p->freason));
    fputs(": ", f);
    tb_fprint_term(f, p->fvalue);
    fputs("\n  stacktrace: ", f);
    tb_fprint_term(f, st);
    fputc('\n', f);
}
