/* re.c — the re BIFs of ERTS 25 (version/0, compile/1,2, run/2,3,
 * internal_run/4, inspect/2) on PCRE2 (stdlib-c/re_pcre.c makes it answer
 * like ERTS's PCRE 8.44).
 *
 * As in ERTS, the BIFs hand three cases to Erlang code in re.erl by
 * calling it in their place (TB_TRAP_CALL): a unicode pattern given as a
 * list goes to re:ucompile/2; a unicode run on list data (or with list
 * captures) to re:urun/3, which converts and calls run again; a global run
 * to re:grun/3, which loops over re:internal_run/4.  A match runs to
 * completion (ERTS yields in the middle of long ones); PCRE2's match and
 * depth limits (10,000,000 as in ERTS's PCRE build) bound its time and a
 * heap limit bounds its memory.
 *
 * Compiled patterns are {re_pattern, NumGroups, Unicode, UseCRLF, Binary}
 * where Binary is tbeam's own (options and pattern text under a tag): a
 * pattern compiled by ERTS is refused with badarg, as is a changed one. */
#include "re_int.h"
#include "../bifs/bif.h"
#include "../emu/binary.h"
#include "../emu/scheduler.h"
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#define HEAP_LIMIT_KIB (256 * 1024)   /* PCRE2's backtracking frames per match */

/* ---------------- atoms ---------------- */

enum {
    A_anchored, A_notempty, A_notempty_atstart, A_notbol, A_noteol, A_no_start_optimize, A_caseless,
    A_dollar_endonly, A_dotall, A_extended, A_firstline, A_multiline, A_no_auto_capture, A_dupnames,
    A_ungreedy, A_ucp, A_never_utf, A_report_errors, A_unicode, A_global, A_bsr_anycrlf, A_bsr_unicode,
    A_capture, A_offset, A_match_limit, A_match_limit_recursion, A_newline,
    A_cr, A_crlf, A_lf, A_anycrlf, A_any,
    A_all, A_none, A_all_but_first, A_first, A_all_names, A_index, A_list, A_binary,
    A_match, A_nomatch, A_compile, A_re_pattern, A_namelist, A_re, A_grun, A_urun, A_ucompile,
    A_internal_error, A_run, A_internal_run,
    A_COUNT
};
static const char *const atom_names[A_COUNT] = {
    "anchored", "notempty", "notempty_atstart", "notbol", "noteol", "no_start_optimize", "caseless",
    "dollar_endonly", "dotall", "extended", "firstline", "multiline", "no_auto_capture", "dupnames",
    "ungreedy", "ucp", "never_utf", "report_errors", "unicode", "global", "bsr_anycrlf", "bsr_unicode",
    "capture", "offset", "match_limit", "match_limit_recursion", "newline",
    "cr", "crlf", "lf", "anycrlf", "any",
    "all", "none", "all_but_first", "first", "all_names", "index", "list", "binary",
    "match", "nomatch", "compile", "re_pattern", "namelist", "re", "grun", "urun", "ucompile",
    "internal_error", "run", "internal_run",
};
static Term am[A_COUNT];
static TbExport *grun_export, *urun_export, *ucompile_export;
static pcre2_match_context *default_mctx;

static void init_once(void) {
    for (int i = 0; i < A_COUNT; i++) am[i] = tb_atom_cstr(atom_names[i]);
    grun_export = tb_export_get(am[A_re], am[A_grun], 3);
    urun_export = tb_export_get(am[A_re], am[A_urun], 3);
    ucompile_export = tb_export_get(am[A_re], am[A_ucompile], 2);
    default_mctx = pcre2_match_context_create(re_general_context());
    if (!default_mctx) abort();
    pcre2_set_heap_limit(default_mctx, HEAP_LIMIT_KIB);
}
static void init(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_once);
}

/* ---------------- options ---------------- */

enum {
    F_UNIQUE_COMPILE = 1, F_UNIQUE_EXEC = 2, F_UNICODE = 4, F_OFFSET = 8, F_CAPTURE = 16,
    F_GLOBAL = 32, F_REPORT = 64, F_MLIMIT = 128, F_MLIMIT_REC = 256
};

typedef struct Opts {
    uint32_t copt;             /* RE_CO_* */
    uint8_t newline, bsr;      /* RE_NL_*, RE_BSR_* */
    uint32_t mopt;             /* PCRE2 match options */
    unsigned flags;
    int offset;
    Term cap_values, cap_type;
    uint32_t match_limit, match_limit_rec;
} Opts;

/* ERTS's term_to_int: a small integer in 0..INT_MAX. */
static bool term_to_int(Term t, int *out) {
    if (!is_small(t) || small_val(t) < 0 || small_val(t) > INT_MAX) return false;
    *out = (int)small_val(t);
    return true;
}

static bool parse_opts(Term l, Opts *o) {
    memset(o, 0, sizeof *o);
    static const struct { int atom; uint32_t copt, mopt; unsigned flags; } atoms[] = {
        {A_anchored, RE_CO_ANCHORED, PCRE2_ANCHORED, 0},
        {A_notempty, 0, PCRE2_NOTEMPTY, F_UNIQUE_EXEC},
        {A_notempty_atstart, 0, PCRE2_NOTEMPTY_ATSTART, F_UNIQUE_EXEC},
        {A_notbol, 0, PCRE2_NOTBOL, F_UNIQUE_EXEC},
        {A_noteol, 0, PCRE2_NOTEOL, F_UNIQUE_EXEC},
        {A_no_start_optimize, RE_CO_NO_START_OPTIMIZE, 0, F_UNIQUE_COMPILE},
        {A_caseless, RE_CO_CASELESS, 0, F_UNIQUE_COMPILE},
        {A_dollar_endonly, RE_CO_DOLLAR_ENDONLY, 0, F_UNIQUE_COMPILE},
        {A_dotall, RE_CO_DOTALL, 0, F_UNIQUE_COMPILE},
        {A_extended, RE_CO_EXTENDED, 0, F_UNIQUE_COMPILE},
        {A_firstline, RE_CO_FIRSTLINE, 0, F_UNIQUE_COMPILE},
        {A_multiline, RE_CO_MULTILINE, 0, F_UNIQUE_COMPILE},
        {A_no_auto_capture, RE_CO_NO_AUTO_CAPTURE, 0, F_UNIQUE_COMPILE},
        {A_dupnames, RE_CO_DUPNAMES, 0, F_UNIQUE_COMPILE},
        {A_ungreedy, RE_CO_UNGREEDY, 0, F_UNIQUE_COMPILE},
        {A_ucp, RE_CO_UCP, 0, F_UNIQUE_COMPILE},
        {A_never_utf, RE_CO_NEVER_UTF, 0, F_UNIQUE_COMPILE},
        {A_report_errors, 0, 0, F_UNIQUE_EXEC | F_REPORT},
        {A_unicode, RE_CO_UNICODE, 0, F_UNIQUE_COMPILE | F_UNICODE},
        {A_global, 0, 0, F_UNIQUE_EXEC | F_GLOBAL},
        {A_bsr_anycrlf, 0, 0, 0},
        {A_bsr_unicode, 0, 0, 0},
    };
    for (; is_list(l); l = CDR(list_val(l))) {
        Term it = CAR(list_val(l));
        if (is_tuple(it)) {
            Term *tp = tuple_val(it);
            UWord ar = header_arity(tp[0]);
            if (ar == 3 && tp[1] == am[A_capture]) {
                o->cap_values = tp[2];
                o->cap_type = tp[3];
                o->flags |= F_CAPTURE | F_UNIQUE_EXEC;
                continue;
            }
            if (ar != 2 || !is_atom(tp[1])) return false;
            int n;
            if (tp[1] == am[A_capture]) {
                o->cap_values = tp[2];
                o->cap_type = am[A_index];
                o->flags |= F_CAPTURE | F_UNIQUE_EXEC;
            } else if (tp[1] == am[A_offset]) {
                if (!term_to_int(tp[2], &n)) return false;
                o->offset = n;
                o->flags |= F_UNIQUE_EXEC | F_OFFSET;
            } else if (tp[1] == am[A_match_limit]) {
                if (!term_to_int(tp[2], &n)) return false;
                o->match_limit = (uint32_t)n;
                o->flags |= F_UNIQUE_EXEC | F_MLIMIT;
            } else if (tp[1] == am[A_match_limit_recursion]) {
                if (!term_to_int(tp[2], &n)) return false;
                o->match_limit_rec = (uint32_t)n;
                o->flags |= F_UNIQUE_EXEC | F_MLIMIT_REC;
            } else if (tp[1] == am[A_newline]) {
                Term v = tp[2];
                if (v == am[A_cr]) o->newline = RE_NL_CR;
                else if (v == am[A_crlf]) o->newline = RE_NL_CRLF;
                else if (v == am[A_lf]) o->newline = RE_NL_LF;
                else if (v == am[A_anycrlf]) o->newline = RE_NL_ANYCRLF;
                else if (v == am[A_any]) o->newline = RE_NL_ANY;
                else return false;          /* nul is new in OTP 26 */
            } else return false;
            continue;
        }
        size_t i = 0, n = sizeof atoms / sizeof *atoms;
        while (i < n && am[atoms[i].atom] != it) i++;
        if (i == n) return false;
        o->copt |= atoms[i].copt;
        o->mopt |= atoms[i].mopt;
        o->flags |= atoms[i].flags;
        if (it == am[A_bsr_anycrlf]) o->bsr = RE_BSR_ANYCRLF;
        if (it == am[A_bsr_unicode]) o->bsr = RE_BSR_UNICODE;
    }
    return l == NIL;
}

/* ---------------- data ---------------- */

typedef struct Bytes { const uint8_t *b; size_t n; uint8_t *tmp; } Bytes;

/* A binary's bytes or an iolist flattened. */
static bool get_bytes(Term t, Bytes *out) {
    out->tmp = NULL;
    if (is_binary(t)) {
        out->b = tb_binary_aligned_bytes(t, &out->n, &out->tmp);
        return true;
    }
    size_t n;
    if (!tb_iolist_size(t, &n)) return false;
    out->tmp = malloc(n ? n : 1);
    if (!out->tmp) abort();
    tb_iolist_to_bytes(t, out->tmp);
    out->b = out->tmp;
    out->n = n;
    return true;
}

static void spec_from(ReSpec *s, const Opts *o, const Bytes *b) {
    s->copt = o->copt;
    s->newline = o->newline;
    s->bsr = o->bsr;
    s->pat = b->b;
    const uint8_t *z = memchr(b->b, 0, b->n);
    s->len = z ? (size_t)(z - b->b) : b->n;
}

/* A Latin-1 string as a list. */
static Term str_list(TbProcess *p, const uint8_t *s, size_t n) {
    Term *hp = tb_halloc(p, 2 * n);
    Term l = NIL;
    for (size_t i = n; i-- > 0;) { hp[2 * i] = make_small(s[i]); hp[2 * i + 1] = l; l = make_list(hp + 2 * i); }
    return l;
}

/* {re_pattern, NumGroups, Unicode, UseCRLF, Binary} */
static Term make_pattern(TbProcess *p, const ReSpec *s, const ReCode *c, bool unicode) {
    size_t n = re_blob_size(s);
    Term bin = tb_new_binary(p, NULL, n);
    re_blob_write(s, c->capture_count, tb_binary_bytes_for_write(bin));
    Term *hp = tb_halloc(p, 6);
    hp[0] = make_arityval(5); hp[1] = am[A_re_pattern]; hp[2] = make_small(c->capture_count);
    hp[3] = make_small(unicode); hp[4] = make_small(c->use_crlf); hp[5] = bin;
    return make_boxed(hp);
}

/* Call M:F in the BIF's place; its result is the BIF's. */
static Term trap_call(TbProcess *p, Term *x, TbExport *e, Term a0, Term a1, Term a2) {
    x[0] = a0; x[1] = a1;
    if (e->arity > 2) x[2] = a2;
    p->i = e->code;
    p->arity = e->arity;
    p->freason = TB_TRAP_CALL;
    p->fvalue = NIL;
    p->ftop = NIL;
    return TB_NONE;
}

/* The compiled code of {re_pattern, ...}, with run-time newline and bsr
 * settings (PCRE 8 took them at match time; PCRE2 at compile time). */
static ReCode *pattern_code(Term mp, const Opts *o, SWord *groups) {
    Term *tp = tuple_val(mp);
    if (tp[1] != am[A_re_pattern] || !is_small(tp[2]) || !is_small(tp[3]) || !is_small(tp[4]) || !is_binary(tp[5]))
        return NULL;
    size_t n;
    uint8_t *tmp;
    const uint8_t *b = tb_binary_aligned_bytes(tp[5], &n, &tmp);
    ReSpec s;
    uint32_t cc;
    ReCode *c = NULL;
    if (re_blob_read(b, n, &s, &cc)) {
        if (o && o->newline) s.newline = o->newline;
        if (o && o->bsr) s.bsr = o->bsr;
        const char *msg;
        size_t off;
        c = re_code_get(&s, &msg, &off);
        if (c && c->capture_count != cc) { re_code_release(c); c = NULL; }
    }
    free(tmp);
    *groups = small_val(tp[2]);
    return c;
}

/* ---------------- captures ---------------- */

enum { RET_INDEX, RET_LIST, RET_BIN, RET_NONE };

/* What to return: num_spec 0 = all, -1 = all but the first, > 0 = the
 * groups in v.  A name shared by several groups (dupnames) is -k followed
 * by the k group numbers; the first of them that is set is returned. */
typedef struct RInfo { int type, num_spec; int *v; size_t cap; } RInfo;

static void ri_push(RInfo *r, int x) {
    if ((size_t)r->num_spec == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (!r->v) abort();
    }
    r->v[r->num_spec++] = x;
}

static int group_of(const uint8_t *entry) { return entry[0] << 8 | entry[1]; }

static void push_name(RInfo *r, const ReCode *c, const char *name) {
    if (c->dupnames) {
        PCRE2_SPTR first, last;
        int esize = pcre2_substring_nametable_scan(c->code, (PCRE2_SPTR)name, &first, &last);
        if (esize < 0) { ri_push(r, -1); return; }
        if (first == last) { ri_push(r, group_of(first)); return; }
        int k = (int)((last - first) / esize) + 1;
        ri_push(r, -k);
        for (int i = 0; i < k; i++, first += esize) ri_push(r, group_of(first));
    } else {
        int g = pcre2_substring_number_from_name(c->code, (PCRE2_SPTR)name);
        ri_push(r, g < 0 ? -1 : g);
    }
}

static bool build_capture(const Opts *o, const ReCode *c, RInfo *r) {
    memset(r, 0, sizeof *r);
    Term t = o->cap_type, v = o->cap_values;
    if (t == am[A_index]) r->type = RET_INDEX;
    else if (t == am[A_list]) r->type = RET_LIST;
    else if (t == am[A_binary]) r->type = RET_BIN;
    else return false;
    if (v == am[A_all]) return true;
    if (v == am[A_none] || v == NIL) { r->type = RET_NONE; return true; }
    if (v == am[A_all_but_first]) { r->num_spec = -1; return true; }
    if (v == am[A_first]) { ri_push(r, 0); return true; }
    if (v == am[A_all_names]) {
        uint32_t count = 0, esize = 0;
        PCRE2_SPTR table = NULL, last = NULL;
        pcre2_pattern_info(c->code, PCRE2_INFO_NAMECOUNT, &count);
        if (count == 0) { r->type = RET_NONE; return true; }
        pcre2_pattern_info(c->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
        pcre2_pattern_info(c->code, PCRE2_INFO_NAMETABLE, &table);
        for (uint32_t i = 0; i < count; i++, table += esize) {
            if (!last || !c->dupnames || strcmp((const char *)last + 2, (const char *)table + 2) != 0) {
                if (c->dupnames) push_name(r, c, (const char *)table + 2);
                else ri_push(r, group_of(table));
            }
            last = table;
        }
        return true;
    }
    if (!is_list(v)) return false;
    for (; is_list(v); v = CDR(list_val(v))) {
        Term e = CAR(list_val(v));
        int x;
        if (term_to_int(e, &x)) { ri_push(r, x); continue; }
        char *name;
        if (is_atom(e)) {
            const TbAtom *a = atom_entry(e);
            name = malloc(a->len + 1);
            if (!name) abort();
            memcpy(name, a->name, a->len);
            name[a->len] = 0;
        } else if (is_binary(e) || is_list(e)) {
            Bytes b;
            if (!get_bytes(e, &b)) { free(r->v); return false; }
            name = malloc(b.n + 1);
            if (!name) abort();
            memcpy(name, b.b, b.n);
            name[b.n] = 0;
            free(b.tmp);
        } else {
            free(r->v);
            return false;
        }
        push_name(r, c, name);
        free(name);
    }
    if (v != NIL) { free(r->v); return false; }
    return true;
}

/* ---------------- results ---------------- */

typedef struct Match {
    Term subj;                 /* the subject term, if a binary (sub binaries of it) */
    const uint8_t *b;
    const PCRE2_SIZE *ov;
    int rc;
} Match;

static Term one_capture(TbProcess *p, const Match *m, int type, int g) {
    bool set = g >= 0 && g < m->rc && m->ov[2 * g] != PCRE2_UNSET;
    size_t start = set ? m->ov[2 * g] : 0, len = set ? m->ov[2 * g + 1] - m->ov[2 * g] : 0;
    if (type == RET_INDEX)
        return set ? tb_tuple2(p, make_small((SWord)start), make_small((SWord)len))
                   : tb_tuple2(p, make_small(-1), make_small(0));
    if (type == RET_LIST) return str_list(p, m->b + start, len);
    if (m->subj != TB_NONE && len > 0) return tb_make_sub_binary(p, m->subj, 8 * start, 8 * len);
    return tb_new_binary(p, m->b + start, len);
}

static Term build_result(TbProcess *p, const Match *m, const RInfo *r) {
    if (r->type == RET_NONE) return am[A_match];
    Term *items, l = NIL;
    size_t n = 0;
    if (r->num_spec <= 0) {
        int from = -r->num_spec;
        items = malloc(sizeof(Term) * (size_t)(m->rc > from ? m->rc - from : 1));
        if (!items) abort();
        for (int g = from; g < m->rc; g++) items[n++] = one_capture(p, m, r->type, g);
    } else {
        items = malloc(sizeof(Term) * (size_t)r->num_spec);
        if (!items) abort();
        for (int i = 0; i < r->num_spec; i++) {
            int x = r->v[i];
            if (x < -1) {              /* a shared name: its first group that is set */
                int k = -x;
                for (int j = i + 1; j <= i + k && j < r->num_spec; j++)
                    if (r->v[j] < m->rc && m->ov[2 * r->v[j]] != PCRE2_UNSET) { x = r->v[j]; break; }
                i += k;
            }
            items[n++] = one_capture(p, m, r->type, x);
        }
    }
    for (size_t i = n; i-- > 0;) l = tb_cons(p, items[i], l);
    free(items);
    return tb_tuple2(p, am[A_match], l);
}

/* ---------------- UTF-8 checks ---------------- */

/* re:grun calls internal_run on the same subject for every match: its
 * first call (first = true) checks the whole subject and notes the
 * off-heap binary here; the later ones (first = false) on that same
 * binary skip the check.  ERTS skips it on every later call; only the
 * address is kept, so a stale note could only mislead such a later call
 * with a binary made since at the same address. */
static struct { const TbBinary *bin; const uint8_t *b; size_t n; } utf_ok;
static pthread_mutex_t utf_lock = PTHREAD_MUTEX_INITIALIZER;

static bool subject_utf8_ok(Term subj, const uint8_t *b, size_t n, bool first) {
    const TbBinary *bin = NULL;
    if (subj != TB_NONE) {
        UWord off;
        Term real = tb_real_binary(subj, &off);
        if (header_sub(*boxed_val(real)) == HDR_SUB_REFC_BIN) bin = ((TbProcBin *)boxed_val(real))->val;
    }
    if (bin && !first) {
        pthread_mutex_lock(&utf_lock);
        bool hit = utf_ok.bin == bin && utf_ok.b == b && utf_ok.n == n;
        pthread_mutex_unlock(&utf_lock);
        if (hit) return true;
    }
    if (!re_valid_utf8(b, n)) return false;
    if (bin) {
        pthread_mutex_lock(&utf_lock);
        utf_ok.bin = bin; utf_ok.b = b; utf_ok.n = n;
        pthread_mutex_unlock(&utf_lock);
    }
    return true;
}

/* ---------------- the BIFs ---------------- */

static Term re_compile(TbProcess *p, Term *x, Term re, Term optl) {
    init();
    Opts o;
    if (!parse_opts(optl, &o) || (o.flags & F_UNIQUE_EXEC)) BADARG(p);   /* ERTS: cause badopt */
    bool unicode = (o.flags & F_UNICODE) != 0;
    if (unicode && !is_binary(re)) return trap_call(p, x, ucompile_export, re, optl, NIL);
    Bytes b;
    if (!get_bytes(re, &b)) BADARG(p);
    ReSpec s;
    spec_from(&s, &o, &b);
    const char *msg;
    size_t off;
    ReCode *c = re_code_get(&s, &msg, &off);
    Term res;
    if (!c) {
        res = tb_tuple2(p, AM_error, tb_tuple2(p, str_list(p, (const uint8_t *)msg, strlen(msg)), make_small((SWord)off)));
    } else {
        res = tb_tuple2(p, AM_ok, make_pattern(p, &s, c, unicode));
        re_code_release(c);
    }
    free(b.tmp);
    return res;
}

BIF_DECL(bif_re_compile_1) { return re_compile(p, args, args[0], NIL); }
BIF_DECL(bif_re_compile_2) { return re_compile(p, args, args[0], args[1]); }

static Term re_run(TbProcess *p, Term *x, Term subj, Term re, Term optl, bool first, Term fname) {
    init();
    Opts o;
    if (!parse_opts(optl, &o)) BADARG(p);                               /* ERTS: cause badopt */
    bool global = (o.flags & F_GLOBAL) != 0;
    bool list_cap = (o.flags & F_CAPTURE) && o.cap_type == am[A_list];
    ReCode *c;
    SWord groups;
    if (!is_tuple_arity(re, 5)) {
        if ((o.flags & F_UNICODE) && (!is_binary(re) || !is_binary(subj) || (list_cap && !global)))
            return trap_call(p, x, urun_export, subj, re, optl);
        Bytes rb;
        if (!get_bytes(re, &rb)) BADARG(p);
        ReSpec s;
        spec_from(&s, &o, &rb);
        const char *msg;
        size_t off;
        c = re_code_get(&s, &msg, &off);
        if (!c) {
            free(rb.tmp);
            if (!(o.flags & F_REPORT)) BADARG(p);
            Term e = tb_tuple2(p, str_list(p, (const uint8_t *)msg, strlen(msg)), make_small((SWord)off));
            return tb_tuple2(p, AM_error, tb_tuple2(p, am[A_compile], e));
        }
        if (global) {
            Term mp = make_pattern(p, &s, c, (o.flags & F_UNICODE) != 0);
            re_code_release(c);
            free(rb.tmp);
            Term r = tb_tuple3(p, optl, (o.flags & F_UNIQUE_COMPILE) ? AM_true : AM_false, re);
            return trap_call(p, x, grun_export, subj, mp, r);
        }
        free(rb.tmp);
        groups = (SWord)c->capture_count;
    } else {
        if (o.flags & F_UNIQUE_COMPILE) BADARG(p);
        Term *tp = tuple_val(re);
        if (tp[1] != am[A_re_pattern] || !is_small(tp[2]) || !is_small(tp[3]) || !is_small(tp[4]) ||
            !is_binary(tp[5]))
            BADARG(p);
        if (small_val(tp[3]) != 0 && (!is_binary(subj) || (list_cap && !global)))
            return trap_call(p, x, urun_export, subj, re, optl);
        if (global) return trap_call(p, x, grun_export, subj, re, tb_tuple2(p, optl, AM_false));
        c = pattern_code(re, &o, &groups);
        if (!c) BADARG(p);
    }

    RInfo ri = {RET_INDEX, 0, NULL, 0};
    if ((o.flags & F_CAPTURE) && !build_capture(&o, c, &ri)) { re_code_release(c); BADARG(p); }
    Bytes sb;
    if (!get_bytes(subj, &sb)) { re_code_release(c); free(ri.v); BADARG(p); }
    Term res = TB_NONE;
    if ((size_t)o.offset > sb.n) {
        /* PCRE 8 says "bad offset", which ERTS 25 does not expect: an
         * internal error, which no catch stops */
        Term *hp = tb_halloc(p, 5);
        hp[0] = make_arityval(4); hp[1] = am[A_re]; hp[2] = fname;
        hp[3] = tb_cons(p, subj, tb_cons(p, re, tb_cons(p, optl, NIL))); hp[4] = NIL;
        p->fvalue = tb_tuple2(p, am[A_internal_error], tb_cons(p, make_boxed(hp), NIL));
        p->freason = TB_TRAP_EXIT;
        goto done;
    }
    Term bin_subj = is_binary(subj) ? subj : TB_NONE;
    uint32_t mopt = o.mopt;
    if (c->utf) {
        /* (only bytes read in place are noted: not a copy of an odd-offset sub binary) */
        if (!subject_utf8_ok(sb.tmp ? TB_NONE : bin_subj, sb.b, sb.n, first) ||
            ((size_t)o.offset < sb.n && (sb.b[o.offset] & 0xC0) == 0x80)) {
            (void)tb_error(p, AM_badarg);
            goto done;
        }
        mopt |= PCRE2_NO_UTF_CHECK;
    }
    /* NumGroups of the tuple sizes the result vector, as in ERTS (too
     * small a vector: nomatch; none at all, for a negative one) */
    if (groups < 0) { res = am[A_nomatch]; goto done; }
    uint32_t pairs = (groups < (SWord)c->capture_count ? (uint32_t)groups : c->capture_count) + 1;
    pcre2_match_data *md = pcre2_match_data_create(pairs, re_general_context());
    if (!md) abort();
    pcre2_match_context *mctx = default_mctx;
    if (o.flags & (F_MLIMIT | F_MLIMIT_REC)) {
        mctx = pcre2_match_context_copy(default_mctx);
        if (!mctx) abort();
        if (o.flags & F_MLIMIT) pcre2_set_match_limit(mctx, o.match_limit);
        if (o.flags & F_MLIMIT_REC) pcre2_set_depth_limit(mctx, o.match_limit_rec);
    }
    int rc = pcre2_match(c->code, sb.b, sb.n, (PCRE2_SIZE)o.offset, mopt, md, mctx);
    if (mctx != default_mctx) pcre2_match_context_free(mctx);
    SWord reds = 1 + (SWord)(sb.n / 64);
    p->fcalls -= reds > TB_CONTEXT_REDS ? TB_CONTEXT_REDS : reds;
    bool report = (o.flags & F_REPORT) != 0;
    if (rc > 0) {
        Match m = {bin_subj, sb.b, pcre2_get_ovector_pointer(md), rc};
        res = build_result(p, &m, &ri);
    } else if (rc == 0 || rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) {
        res = am[A_nomatch];
    } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
        /* (PCRE 8 counts every step of a deep backtrack against the match
         * limit; where PCRE2's frames outgrow the heap limit, ERTS has
         * usually run out of match_limit) */
        res = report ? tb_tuple2(p, AM_error, am[A_match_limit]) : am[A_nomatch];
    } else if (rc == PCRE2_ERROR_DEPTHLIMIT) {
        res = report ? tb_tuple2(p, AM_error, am[A_match_limit_recursion]) : am[A_nomatch];
    } else {
        /* bad UTF-8, or a recursion that would loop (PCRE 8 refuses such
         * patterns at compile time) */
        (void)tb_error(p, AM_badarg);
    }
    pcre2_match_data_free(md);
done:
    re_code_release(c);
    free(ri.v);
    free(sb.tmp);
    return res;
}

BIF_DECL(bif_re_run_2) { return re_run(p, args, args[0], args[1], NIL, true, CATOM("run")); }
BIF_DECL(bif_re_run_3) { return re_run(p, args, args[0], args[1], args[2], true, CATOM("run")); }
BIF_DECL(bif_re_internal_run_4) {
    if (args[3] != AM_true && args[3] != AM_false) BADARG(p);
    return re_run(p, args, args[0], args[1], args[2], args[3] == AM_true, CATOM("internal_run"));
}

BIF_DECL(bif_re_inspect_2) {
    init();
    SWord groups;
    ReCode *c = is_tuple_arity(args[0], 5) ? pattern_code(args[0], NULL, &groups) : NULL;
    if (!c) BADARG(p);
    if (args[1] != am[A_namelist]) { re_code_release(c); BADARG(p); }
    uint32_t count = 0, esize = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(c->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(c->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
    pcre2_pattern_info(c->code, PCRE2_INFO_NAMETABLE, &table);
    Term *items = malloc(sizeof(Term) * (count ? count : 1)), l = NIL;
    if (!items) abort();
    size_t n = 0;
    const char *last = NULL;
    for (uint32_t i = 0; i < count; i++, table += esize) {
        const char *name = (const char *)table + 2;
        if (last && strcmp(last, name) == 0) continue;
        items[n++] = tb_new_binary(p, (const uint8_t *)name, strlen(name));
        last = name;
    }
    for (size_t i = n; i-- > 0;) l = tb_cons(p, items[i], l);
    free(items);
    re_code_release(c);
    return tb_tuple2(p, am[A_namelist], l);
}

/* ERTS 25 as Debian builds it (OTP 25.2.3) reports its bundled PCRE as
 * "8.44 2020-02-12", as a binary. */
BIF_DECL(bif_re_version_0) {
    (void)args;
    static const char v[] = "8.44 2020-02-12";
    return tb_new_binary(p, (const uint8_t *)v, sizeof v - 1);
}
