/* bif_misc_boot.c — the remaining BIFs that booting OTP 25 reaches:
 *
 *   erts_internal: is_system_process/1, no_aux_work_threads/0,
 *     scheduler_wall_time/1, system_check/1, process_flag/3,
 *     is_process_alive/2, check_dirty_process_code/2,
 *     dirty_process_handle_signals/1, suspend_process/2, process_display/2
 *   erlang:resume_process/1, error_logger:warning_map/0,
 *   erts_debug:get_internal_state/1 and set_internal_state/2,
 *   erts_literal_area_collector:release_area_switch/0, send_copy_request/3,
 *   file:native_name_encoding/0, prim_file:internal_name2native/1,
 *   internal_native2name/1, is_translatable/1.
 *
 * ERTS answers requests about another process asynchronously (a reference
 * now, {Ref, Result} later); with one scheduler tbeam acts at once and
 * queues the same reply.  Several of these return an error atom instead of
 * raising (process_flag/3: badarg | badtype, suspend_process/2: badarg |
 * badopt, process_display/2: badarg | badopt): erlang.erl raises for them.
 *
 * Suspension: a suspended process is kept off the run queue with its status
 * left "runnable", so that messages and timers do not wake it (they only
 * wake waiting processes); resume puts it back when it has work.  Each
 * suspender's count is kept here (ERTS's suspend monitors).
 *
 * File names: the native encoding is utf8 when LC_CTYPE's codeset is UTF-8
 * (what ERTS checks at start, so erl and tbeam agree under any locale),
 * latin1 otherwise; invalid UTF-8 from the OS gives {error, warning}, as
 * with erl's default +fnuw. */
#include "bif.h"
#include "../emu/ptab.h"
#include "../emu/msg.h"
#include "../emu/signals.h"
#include "../emu/scheduler.h"
#include "../emu/binary.h"
#include "../emu/exception.h"
#include "../emu/utf8.h"
#include "../emu/spawn.h"
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <langinfo.h>

#define TB_NO_SCHEDULERS 1              /* keep in step with bif_system.c */

static Term am_badtype, am_badopt, am_save_calls, am_unless_suspending, am_asynchronous, am_suspended,
    am_backtrace, am_notsup, am_erl_init, am_erts_code_purger, am_literal_collector, am_dirty_handler,
    am_schedulers, am_warning, am_noproc, am_available_internal_state, am_processes, am_reds_left,
    am_copy_literals, am_init, am_check_gc, am_need_gc, am_ignore;

static void atoms_init(void) {
    if (am_ignore) return;
    am_badtype = tb_atom_cstr("badtype");
    am_badopt = tb_atom_cstr("badopt");
    am_save_calls = tb_atom_cstr("save_calls");
    am_unless_suspending = tb_atom_cstr("unless_suspending");
    am_asynchronous = tb_atom_cstr("asynchronous");
    am_suspended = tb_atom_cstr("suspended");
    am_backtrace = tb_atom_cstr("backtrace");
    am_notsup = tb_atom_cstr("notsup");
    am_erl_init = tb_atom_cstr("erl_init");
    am_erts_code_purger = tb_atom_cstr("erts_code_purger");
    am_literal_collector = tb_atom_cstr("erts_literal_area_collector");
    am_dirty_handler = tb_atom_cstr("erts_dirty_process_signal_handler");
    am_schedulers = tb_atom_cstr("schedulers");
    am_warning = tb_atom_cstr("warning");
    am_noproc = tb_atom_cstr("noproc");
    am_available_internal_state = tb_atom_cstr("available_internal_state");
    am_processes = tb_atom_cstr("processes");
    am_reds_left = tb_atom_cstr("reds_left");
    am_copy_literals = tb_atom_cstr("copy_literals");
    am_init = tb_atom_cstr("init");
    am_check_gc = tb_atom_cstr("check_gc");
    am_need_gc = tb_atom_cstr("need_gc");
    am_ignore = tb_atom_cstr("ignore");
}

/* A live local process (not exiting), or NULL. */
static TbProcess *live(Term pid) {
    if (!is_internal_pid(pid)) return NULL;
    TbProcess *q = tb_pid_lookup(pid);
    return q && q->status < TB_PS_EXITING ? q : NULL;
}

/* Queue {A, B} to p itself. */
static void reply2(TbProcess *p, Term a, Term b) { tb_msg_send(p, p, tb_tuple2(p, a, b)); }

static Term new_ref(TbProcess *p) {
    uint32_t num[3];
    tb_ref_new_nums(num);
    return tb_ref_make(p, num);
}

/* The processes ERTS starts as system processes: init (erl_init:start/2)
 * and the code purger, literal area collector and dirty signal handlers,
 * all spawned by the VM itself (no parent). */
static bool is_system(const TbProcess *q) {
    atoms_init();
    if (q->parent != AM_undefined) return false;
    Term m = q->init_m;
    return m == am_erl_init || m == am_erts_code_purger || m == am_literal_collector || m == am_dirty_handler;
}

BIF_DECL(bif_ei_is_system_process_1) {
    if (!is_internal_pid(args[0])) BADARG(p);
    TbProcess *q = live(args[0]);
    return q && is_system(q) ? AM_true : AM_false;
}

/* ERTS: one aux work thread per scheduler plus one. */
BIF_DECL(bif_ei_no_aux_work_threads_0) { (void)p; (void)args; return make_small(TB_NO_SCHEDULERS + 1); }

/* Anything but true turns it off (ERTS: no badarg). */
static bool sched_wall_time;
BIF_DECL(bif_ei_scheduler_wall_time_1) {
    (void)p;
    bool old = sched_wall_time;
    sched_wall_time = args[0] == AM_true;
    return old ? AM_true : AM_false;
}

/* schedulers: every scheduler answers (ours is running this). */
BIF_DECL(bif_ei_system_check_1) {
    atoms_init();
    if (args[0] != am_schedulers) BADARG(p);
    return AM_ok;
}

/* ---------------- process_flag/3 ---------------- */

/* save_calls is the only flag one process may set on another. */
static Term set_save_calls(TbProcess *q, Term flag, Term v) {
    if (flag != am_save_calls || !is_small(v) || small_val(v) < 0 || small_val(v) > 10000) return AM_badarg;
    UWord mask = (UWord)0x3fff << TB_PF_SAVE_CALLS_SHIFT;
    Term old = make_small((SWord)((q->flags & mask) >> TB_PF_SAVE_CALLS_SHIFT));
    q->flags = (q->flags & ~mask) | ((UWord)small_val(v) << TB_PF_SAVE_CALLS_SHIFT);
    return old;
}

BIF_DECL(bif_ei_process_flag_3) {
    atoms_init();
    if (args[0] == p->id) return set_save_calls(p, args[1], args[2]);
    TbProcess *q = live(args[0]);
    if (!q) return am_badtype;
    Term ref = new_ref(p);
    reply2(p, ref, set_save_calls(q, args[1], args[2]));
    return ref;
}

/* ---------------- is_process_alive/2 ---------------- */

BIF_DECL(bif_ei_is_process_alive_2) {
    if (!is_internal_pid(args[0]) || !is_reference(args[1])) BADARG(p);
    reply2(p, args[1], live(args[0]) ? AM_true : AM_false);
    return AM_ok;
}

/* ---------------- dirty processes (tbeam has none) ---------------- */

static bool is_dirty_handler(const TbProcess *q) {
    atoms_init();
    return q->parent == AM_undefined && q->init_m == am_dirty_handler;
}

/* ERTS 25 raises notsup for any caller (the check moved to signals). */
BIF_DECL(bif_ei_check_dirty_process_code_2) {
    (void)args;
    atoms_init();
    BIF_ERROR(p, am_notsup);
}

/* Only the dirty process signal handlers may call it; no process of ours
 * ever runs dirty, so there is never more to handle. */
BIF_DECL(bif_ei_dirty_process_handle_signals_1) {
    atoms_init();
    if (!is_dirty_handler(p)) BIF_ERROR(p, am_notsup);
    if (!is_internal_pid(args[0])) BADARG(p);
    return live(args[0]) ? AM_ok : am_noproc;
}

/* ---------------- suspend_process/2, resume_process/1 ---------------- */

typedef struct Suspension {
    Term suspender, target;
    UWord count;
} Suspension;
typedef struct Suspended {
    Term target;
    bool was_queued;                    /* it was in the run queue when suspended */
} Suspended;
static Suspension *susp;
static size_t n_susp, cap_susp;
static Suspended *susd;
static size_t n_susd, cap_susd;

static Suspension *susp_find(Term by, Term target) {
    for (size_t i = 0; i < n_susp; i++)
        if (susp[i].suspender == by && susp[i].target == target) return &susp[i];
    return NULL;
}
static Suspended *susd_find(Term target) {
    for (size_t i = 0; i < n_susd; i++)
        if (susd[i].target == target) return &susd[i];
    return NULL;
}

bool tb_proc_suspended(const TbProcess *q) { return susd_find(q->id) != NULL; }

/* Records about processes that are gone. */
static void susp_gc(void) {
    size_t j = 0;
    for (size_t i = 0; i < n_susp; i++)
        if (live(susp[i].target)) susp[j++] = susp[i];
    n_susp = j;
    j = 0;
    for (size_t i = 0; i < n_susd; i++)
        if (live(susd[i].target)) susd[j++] = susd[i];
    n_susd = j;
}

/* Take q off its run queue: it keeps status RUNNABLE, which nothing wakes. */
static void do_suspend(TbProcess *q) {
    if (n_susd == cap_susd) {
        cap_susd = cap_susd ? 2 * cap_susd : 8;
        susd = realloc(susd, cap_susd * sizeof *susd);
        if (!susd) abort();
    }
    Suspended *s = &susd[n_susd++];
    s->target = q->id;
    s->was_queued = (q->flags & TB_PF_IN_RUNQ) != 0;
    if (s->was_queued) {
        TbScheduler *sc = q->sched;
        unsigned prio = q->prio;
        TbProcess **pp = &sc->rq_head[prio], *prev = NULL;
        while (*pp && *pp != q) { prev = *pp; pp = &(*pp)->rq_next; }
        if (*pp) {
            *pp = q->rq_next;
            if (sc->rq_tail[prio] == q) sc->rq_tail[prio] = prev;
            sc->rq_len[prio]--;
        }
        q->flags &= ~(UWord)TB_PF_IN_RUNQ;
        q->rq_next = NULL;
    }
    q->status = TB_PS_RUNNABLE;
}

/* Back to the scheduler: queued if it has work, else waiting again. */
static void do_resume(TbProcess *q) {
    Suspended *s = susd_find(q->id);
    if (!s) return;
    bool queued = s->was_queued;
    *s = susd[--n_susd];
    if (q->status >= TB_PS_EXITING) return;   /* killed meanwhile: already queued to exit */
    bool work = queued;
    if (!work) {
        if (q->flags & TB_PF_HIBERNATE) work = q->msg_first != NULL;
        else work = *q->msg_save != NULL || (q->flags & TB_PF_TIMED_OUT);
    }
    if (work) tb_sched_enqueue(q);
    else q->status = TB_PS_WAITING;
}

static UWord total_count(Term target) {
    UWord n = 0;
    for (size_t i = 0; i < n_susp; i++)
        if (susp[i].target == target) n += susp[i].count;
    return n;
}

/* A process exits: what it suspended is resumed (ERTS's suspend monitors).
 * For the lead: call from process exit. */
void tb_suspend_release_all(Term suspender) {
    for (size_t i = 0; i < n_susp;) {
        if (susp[i].suspender != suspender) { i++; continue; }
        Term target = susp[i].target;
        susp[i] = susp[--n_susp];
        TbProcess *q = live(target);
        if (q && total_count(target) == 0) do_resume(q);
    }
}

BIF_DECL(bif_ei_suspend_process_2) {
    atoms_init();
    Term pid = args[0];
    if (!is_internal_pid(pid) || pid == p->id) return AM_badarg;
    bool unless = false, async = false;
    Term tag = TB_NONE;
    Term l = args[1];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == am_unless_suspending) unless = true;
        else if (o == am_asynchronous) async = true;
        else if (is_tuple_arity(o, 2) && tuple_val(o)[1] == am_asynchronous) { async = true; tag = tuple_val(o)[2]; }
        else return am_badopt;
    }
    if (l != NIL) return am_badopt;
    susp_gc();
    TbProcess *q = live(pid);
    if (!q) {
        if (!async) return AM_badarg;
        if (tag != TB_NONE) reply2(p, tag, AM_badarg);
        return AM_true;
    }
    Suspension *s = susp_find(p->id, pid);
    Term res = AM_true;
    if (s && unless) res = AM_false;
    else {
        if (!s) {
            if (n_susp == cap_susp) {
                cap_susp = cap_susp ? 2 * cap_susp : 8;
                susp = realloc(susp, cap_susp * sizeof *susp);
                if (!susp) abort();
            }
            s = &susp[n_susp++];
            *s = (Suspension){p->id, pid, 0};
        }
        s->count++;
        if (!susd_find(pid)) do_suspend(q);
    }
    if (tag != TB_NONE) reply2(p, tag, am_suspended);
    return res;
}

BIF_DECL(bif_resume_process_1) {
    Term pid = args[0];
    if (!is_internal_pid(pid) || pid == p->id) BADARG(p);
    susp_gc();
    TbProcess *q = live(pid);
    Suspension *s = susp_find(p->id, pid);
    if (!q || !s) BADARG(p);
    if (--s->count == 0) *s = susp[--n_susp];
    if (total_count(pid) == 0) do_resume(q);
    return AM_true;
}

/* ---------------- process_display/2 ---------------- */

/* "(M:F/A + Offset)" for a code address, as ERTS shows them. */
static void print_code_addr(FILE *f, const UWord *pc) {
    TbModule *m = tb_module_of_code(pc);
    const TbFuncStart *fs = NULL;
    if (m) {
        UWord off = (UWord)(pc - m->code);
        for (unsigned i = 0; i < m->nfunc_starts && m->func_starts[i].offset <= off; i++) fs = &m->func_starts[i];
    }
    fprintf(f, "%#018lx (", (unsigned long)(UWord)pc);
    if (!fs) {
        fputs(pc == tb_spawn_exit_cp() ? "<terminate process normally>" : "unknown function", f);
    } else {
        tb_fprint_term(f, m->name);
        fputc(':', f);
        tb_fprint_term(f, fs->function);
        fprintf(f, "/%u + %lu", fs->arity, (unsigned long)((pc - (m->code + fs->offset)) * sizeof(UWord)));
    }
    fputc(')', f);
}

/* ERTS's erts_stack_dump: the program counter, then each frame from the
 * top of the stack: its return address and its Y registers. */
static void stack_dump(FILE *f, TbProcess *q) {
    fflush(stdout);
    fputs("Program counter: ", f);
    print_code_addr(f, q->i);
    fputc('\n', f);
    unsigned y = 0;
    for (Term *sp = q->stop; sp < q->hend; sp++) {
        Term w = *sp;
        if (is_header(w) && w != 0 && (tb_module_of_code((const UWord *)w) || (const UWord *)w == tb_spawn_exit_cp())) {
            fprintf(f, "\n%#018lx Return addr ", (unsigned long)(UWord)sp);
            print_code_addr(f, (const UWord *)w);
            fputc('\n', f);
            y = 0;
        } else if (is_catch(w)) {
            fprintf(f, "y(%u)     Catch ", y++);
            print_code_addr(f, (const UWord *)catch_val(w));
            fputc('\n', f);
        } else if (w != 0 && !is_header(w)) {
            fprintf(f, "y(%u)     ", y++);
            tb_fprint_term(f, w);
            fputc('\n', f);
        } else {
            y++;
        }
    }
    fflush(f);
}

BIF_DECL(bif_ei_process_display_2) {
    atoms_init();
    if (args[1] != am_backtrace) return am_badopt;
    if (args[0] == p->id) { stack_dump(stderr, p); return AM_true; }
    TbProcess *q = live(args[0]);
    if (!q) return AM_badarg;
    stack_dump(stderr, q);
    Term ref = new_ref(p);
    reply2(p, ref, AM_true);
    return ref;
}

/* ---------------- error_logger, erts_debug ---------------- */

/* What error_logger:warning_msg maps to: +W w, ERTS's default. */
BIF_DECL(bif_error_logger_warning_map_0) {
    (void)p; (void)args;
    atoms_init();
    return am_warning;
}

/* erts_debug:set_internal_state(available_internal_state, true) unlocks
 * get_internal_state/1; before that both are undef, as in ERTS. */
static bool internal_state_available;

static Term undef(TbProcess *p) { BIF_ERROR(p, AM(undef)); }

BIF_DECL(bif_edbg_get_internal_state_1) {
    atoms_init();
    if (!internal_state_available) return undef(p);
    Term item = args[0];
    if (item == am_available_internal_state) return AM_true;
    if (item == am_processes) return bif_processes_0(p, args);
    if (item == am_reds_left) return make_small(p->fcalls > 0 ? p->fcalls : 0);
    BADARG(p);
}

BIF_DECL(bif_edbg_set_internal_state_2) {
    atoms_init();
    if (args[0] == am_available_internal_state) {
        if (args[1] != AM_true && args[1] != AM_false) BADARG(p);
        bool old = internal_state_available;
        internal_state_available = args[1] == AM_true;
        return old ? AM_true : AM_false;
    }
    if (!internal_state_available) return undef(p);
    BADARG(p);
}

/* ---------------- literal area collector ---------------- */

static bool is_literal_collector(const TbProcess *q) {
    atoms_init();
    return q->parent == AM_undefined && q->init_m == am_literal_collector;
}

/* tbeam never releases literal areas yet: nothing to switch to, so the
 * collector's loop just waits for the next copy_literals message. */
BIF_DECL(bif_elac_release_area_switch_0) {
    (void)args;
    if (!is_literal_collector(p)) BIF_ERROR(p, am_notsup);
    return AM_false;
}

/* No process can hold literals of an area being released: the request is
 * answered at once, {copy_literals, {ReqId, Action, Pid}, ok}. */
BIF_DECL(bif_elac_send_copy_request_3) {
    if (!is_literal_collector(p)) BIF_ERROR(p, am_notsup);
    if (!is_internal_pid(args[0])) BADARG(p);
    if (args[2] != am_init && args[2] != am_check_gc && args[2] != am_need_gc) BADARG(p);
    Term id = tb_tuple3(p, args[1], args[2], args[0]);
    tb_msg_send(p, p, tb_tuple3(p, am_copy_literals, id, AM_ok));
    return AM_ok;
}

/* ---------------- file name encoding ---------------- */

static int name_enc = -1;               /* 0 latin1, 1 utf8; -1 not decided yet */
static Term name_err_mode;              /* {error, Mode} for invalid UTF-8: warning | ignore | error */

static bool names_utf8(void) {
    if (name_enc < 0) {
        const char *cur = setlocale(LC_CTYPE, NULL);
        char saved[256];
        snprintf(saved, sizeof saved, "%s", cur ? cur : "C");
        bool utf8 = false;
        if (setlocale(LC_CTYPE, "")) utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
        setlocale(LC_CTYPE, saved);
        name_enc = utf8;
    }
    return name_enc == 1;
}

/* erl's +fnl / +fnu[w|i|e] / +fna: utf8 != 0 for u; mode 'w', 'i' or 'e'.
 * For the lead: call from the emulator flags (+fna: leave it, the locale decides). */
void tb_set_filename_encoding(int utf8, char mode) {
    atoms_init();
    name_enc = utf8 ? 1 : 0;
    name_err_mode = mode == 'i' ? am_ignore : mode == 'e' ? AM_error : am_warning;
}

/* Also the encoding of the environment (bifs/bif_os.c), as in ERTS. */
bool tb_native_names_utf8(void) { return names_utf8(); }

BIF_DECL(bif_file_native_name_encoding_0) {
    (void)p; (void)args;
    return names_utf8() ? AM(utf8) : AM(latin1);
}

/* Length of the valid UTF-8 sequence at s (strict: no overlongs, no
 * surrogates, nothing past U+10FFFF), 0 if invalid; its code point in *cp. */
static size_t utf8_char(const uint8_t *s, size_t n, uint32_t *cp) {
    uint8_t c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

static bool valid_utf8(const uint8_t *s, size_t n) {
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_char(s + i, n - i, &cp);
        if (!k) return false;
        i += k;
    }
    return true;
}

/* The whole bytes of a binary argument (native2name: a bitstring is badarg). */
static bool name_bytes(Term t, bool whole_only, const uint8_t **bytes, size_t *n) {
    if (!is_bitstring(t)) return false;
    UWord off, bits;
    bitstring_view(t, bytes, &off, &bits);
    if (whole_only && bits % 8) return false;
    if (off % 8) return false;          /* never for the binaries names come in */
    *bytes += off / 8;
    *n = bits / 8;
    return true;
}

/* Encode a (deep) list of characters; false on anything else or NUL. */
static bool encode_chars(Term l, bool utf8, uint8_t **buf, size_t *len, size_t *cap, int depth) {
    if (depth > 10000) return false;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (is_list(c) || c == NIL) {
            if (!encode_chars(c, utf8, buf, len, cap, depth + 1)) return false;
            continue;
        }
        if (!is_small(c)) return false;
        SWord v = small_val(c);
        if (v <= 0 || v > (utf8 ? 0x10FFFF : 0xFF) || (v >= 0xD800 && v <= 0xDFFF)) return false;
        if (*len + 5 > *cap) {            /* a character and the final NUL */
            *cap = *cap ? 2 * *cap : 256;
            uint8_t *nb = realloc(*buf, *cap);
            if (!nb) abort();
            *buf = nb;
        }
        if (utf8) *len += tb_utf8_encode((uint32_t)v, *buf + *len);
        else (*buf)[(*len)++] = (uint8_t)v;
    }
    return l == NIL;
}

/* A file name as the NUL-terminated bytes the OS gets. */
BIF_DECL(bif_pf_internal_name2native_1) {
    Term name = args[0];
    const uint8_t *bytes;
    size_t n;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    if (name_bytes(name, false, &bytes, &n)) {
        if (memchr(bytes, 0, n)) BADARG(p);
        buf = malloc(n + 1);
        if (!buf) abort();
        memcpy(buf, bytes, n);
        len = n;
    } else {
        if (!is_list(name) && name != NIL) BADARG(p);
        if (!encode_chars(name, names_utf8(), &buf, &len, &cap, 0) || !(buf || (buf = malloc(1)))) {
            free(buf);
            BADARG(p);
        }
    }
    buf[len] = 0;                       /* encode_chars leaves room for it */
    Term bin = tb_new_binary(p, buf, len + 1);
    free(buf);
    return bin;
}

/* A name from the OS as a list of characters, or {error, Mode} when it is
 * not valid UTF-8 (utf8 mode). */
BIF_DECL(bif_pf_internal_native2name_1) {
    const uint8_t *bytes;
    size_t n;
    if (!name_bytes(args[0], true, &bytes, &n)) BADARG(p);
    bool utf8 = names_utf8();
    if (utf8 && !valid_utf8(bytes, n)) {
        if (!name_err_mode) { atoms_init(); name_err_mode = am_warning; }
        return tb_tuple2(p, AM_error, name_err_mode);
    }
    size_t chars = 0;
    uint32_t cp;
    for (size_t i = 0; i < n; chars++) i += utf8 ? utf8_char(bytes + i, n - i, &cp) : 1;
    Term *hp = tb_halloc(p, 2 * chars);   /* never collects: bytes stay put */
    Term l = NIL;
    Term *cells = hp;
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        if (utf8) i += utf8_char(bytes + i, n - i, &cp);
        else cp = bytes[i++];
        cells[2 * k] = make_small(cp);
        cells[2 * k + 1] = NIL;
        if (k) cells[2 * k - 1] = make_list(&cells[2 * k]);
    }
    if (chars) l = make_list(cells);
    return l;
}

BIF_DECL(bif_pf_is_translatable_1) {
    const uint8_t *bytes;
    size_t n;
    if (!name_bytes(args[0], true, &bytes, &n)) BADARG(p);
    if (!names_utf8()) return AM_true;
    return valid_utf8(bytes, n) ? AM_true : AM_false;
}
