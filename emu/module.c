/* module.c — export entries, the module table and the literal range. */
#include "module.h"
#include "interp.h"
#include "atom.h"
#include <stdlib.h>
#include <stdio.h>
#include <sys/mman.h>

/* Under LeakSanitizer the literal range is a root: binaries that only
 * literals reference are reachable, not leaked. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define TB_LSAN_ROOT(p, n) __lsan_register_root_region((p), (n))
#endif
#endif
#ifndef TB_LSAN_ROOT
#define TB_LSAN_ROOT(p, n) ((void)(p), (void)(n))
#endif

#define EXPORT_BUCKETS 16384
static TbExport *exports[EXPORT_BUCKETS];
static TbModule *modules;

static unsigned export_hash(Term m, Term f, unsigned a) {
    UWord h = (m * 31 + f) * 31 + a;
    return (unsigned)((h ^ (h >> 17)) % EXPORT_BUCKETS);
}

TbExport *tb_export_find(Term m, Term f, unsigned a) {
    for (TbExport *e = exports[export_hash(m, f, a)]; e; e = e->next)
        if (e->module == m && e->function == f && e->arity == a) return e;
    return NULL;
}

TbExport *tb_export_get(Term m, Term f, unsigned a) {
    TbExport *e = tb_export_find(m, f, a);
    if (e) return e;
    e = calloc(1, sizeof *e);
    if (!e) abort();
    e->module = m;
    e->function = f;
    e->arity = a;
    e->stub[0] = e->stub[3] = a;
    e->stub[1] = tb_op_addr[OP_i_error_handler_stub];
    e->stub[2] = (UWord)e;
    e->code = &e->stub[1];
    unsigned h = export_hash(m, f, a);
    e->next = exports[h];
    exports[h] = e;
    return e;
}

TbModule *tb_module_find(Term name) {
    for (TbModule *m = modules; m; m = m->next)
        if (m->name == name) return m;
    return NULL;
}

void tb_module_register(TbModule *m) {
    TbModule *old = tb_module_find(m->name);
    if (old) {
        TbModule **pp = &modules;
        while (*pp != old) pp = &(*pp)->next;
        *pp = old->next;
        if (old->code) {
            m->old = old;
            /* exports the new version lacks go back to the error handler */
            tb_module_unpublish_exports(old);
        } else {
            m->old = old->old;              /* a deleted module's shell */
            free(old);
        }
    }
    m->next = modules;
    modules = m;
    tb_module_changed();
}

void tb_module_publish_exports(TbModule *m) {
    for (unsigned i = 0; i < m->nexps; i++) {
        TbExport *ex = tb_export_get(m->name, m->exps[i].function, m->exps[i].arity);
        if (!ex->bif) ex->code = m->exps[i].code;
    }
}

void tb_module_unpublish_exports(TbModule *m) {
    for (unsigned i = 0; i < m->nexps; i++) {
        TbExport *ex = tb_export_find(m->name, m->exps[i].function, m->exps[i].arity);
        if (ex && !ex->bif && ex->code == m->exps[i].code) ex->code = &ex->stub[1];
    }
}

bool tb_module_make_old(Term name) {
    TbModule *cur = tb_module_find(name);
    if (!cur || !cur->code) return false;
    tb_module_unpublish_exports(cur);
    /* a module entry with no code keeps the old version reachable */
    TbModule *shell = calloc(1, sizeof *shell);
    if (!shell) abort();
    shell->name = name;
    shell->old = cur;
    shell->attributes = shell->compile_info = shell->exports_list = NIL;
    TbModule **pp = &modules;
    while (*pp != cur) pp = &(*pp)->next;
    *pp = shell;
    shell->next = cur->next;
    cur->next = NULL;
    cur->old = NULL;
    tb_module_changed();
    return true;
}

bool tb_module_purge_old(Term name) {
    TbModule *cur = tb_module_find(name);
    if (!cur || !cur->old) return false;
    /* the code stays allocated: return addresses into it may still sit on
     * stacks of processes that check_process_code did not stop (ERTS kills
     * them; we keep the memory until then) */
    cur->old = NULL;
    if (!cur->code) {                       /* nothing current either: forget the module */
        TbModule **pp = &modules;
        while (*pp != cur) pp = &(*pp)->next;
        *pp = cur->next;
        free(cur);
    }
    tb_module_changed();
    return true;
}

/* Code address -> module: a sorted index of the code blocks of current and
 * old versions, rebuilt after the module list changes (rare) and searched
 * in O(log n) — exceptions walk the stack with it, and bs_create_bin's
 * string segments find their module's string table. */
typedef struct { const UWord *lo, *hi; TbModule *m; } CodeRange;
static CodeRange *ranges;
static size_t nranges, ranges_cap;
static unsigned modules_gen = 1, ranges_gen;

void tb_module_changed(void) { modules_gen++; }

static int range_cmp(const void *a, const void *b) {
    const UWord *x = ((const CodeRange *)a)->lo, *y = ((const CodeRange *)b)->lo;
    return x < y ? -1 : x > y;
}

static void ranges_rebuild(void) {
    nranges = 0;
    for (TbModule *m = modules; m; m = m->next)
        for (TbModule *v = m; v; v = v->old) {
            if (!v->code) continue;
            if (nranges == ranges_cap) {
                ranges_cap = ranges_cap ? 2 * ranges_cap : 256;
                ranges = realloc(ranges, ranges_cap * sizeof *ranges);
                if (!ranges) abort();
            }
            ranges[nranges++] = (CodeRange){v->code, v->code + v->code_words, v};
        }
    qsort(ranges, nranges, sizeof *ranges, range_cmp);
    ranges_gen = modules_gen;
}

TbModule *tb_module_of_code(const UWord *pc) {
    if (ranges_gen != modules_gen) ranges_rebuild();
    size_t lo = 0, hi = nranges;              /* the last range starting at or before pc */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ranges[mid].lo <= pc) lo = mid + 1; else hi = mid;
    }
    return lo && pc < ranges[lo - 1].hi ? ranges[lo - 1].m : NULL;
}

TbModule *tb_module_first(void) { return modules; }

/* ---- literal range: reserve address space once, commit as we go ---- */
UWord tb_lit_start, tb_lit_end;
static UWord lit_top, lit_committed;
#define LIT_RESERVE ((UWord)1 << 36)   /* 64 GB of address space, committed lazily;
                                          smaller where the host refuses (valgrind) */

Term *tb_literal_alloc(size_t words) {
    if (!tb_lit_start) {
        UWord size = LIT_RESERVE;
        void *r = MAP_FAILED;
        for (; size >= ((UWord)1 << 26) && r == MAP_FAILED; size /= 2)
            r = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED) { perror("tbeam: literal area"); abort(); }
        size *= 2;
        tb_lit_start = lit_top = lit_committed = (UWord)r;
        tb_lit_end = tb_lit_start + size;
        TB_LSAN_ROOT(r, size);
    }
    UWord need = words * sizeof(Term);
    if (lit_top + need > tb_lit_end) { fputs("tbeam: literal area exhausted\n", stderr); abort(); }
    if (lit_top + need > lit_committed) {
        UWord grow = (lit_top + need - lit_committed + (1 << 20) - 1) & ~(UWord)((1 << 20) - 1);
        if (mprotect((void *)lit_committed, grow, PROT_READ | PROT_WRITE) != 0) { perror("tbeam: literal area"); abort(); }
        lit_committed += grow;
    }
    Term *p = (Term *)lit_top;
    lit_top += need;
    return p;
}

/* ---- fun entries for binary_to_term ---- */
TbFunEntry *tb_fun_entry_find(Term module, uint32_t index, uint32_t old_uniq, const uint8_t md5[16]) {
    for (TbModule *m = tb_module_find(module); m; m = m->old) {
        if (memcmp(m->md5, md5, 16) != 0 || index >= m->nfuns) continue;
        if (m->funs[index].old_uniq == old_uniq) return &m->funs[index];
    }
    return NULL;
}

/* A fun of code we don't have: kept so it round-trips; calling it is undef. */
TbFunEntry *tb_fun_entry_stub(Term module, uint32_t index, uint32_t old_index, uint32_t old_uniq,
                              const uint8_t md5[16], unsigned arity, unsigned num_free) {
    (void)old_index; (void)md5;
    TbFunEntry *fe = calloc(1, sizeof *fe);
    if (!fe) return NULL;
    fe->module_name = module;
    fe->name = AM(undefined);
    fe->arity = arity + num_free;
    fe->num_free = num_free;
    fe->index = index;
    fe->old_uniq = old_uniq;
    return fe;
}

UWord tb_literal_mark(void) { return lit_top; }
void tb_literal_rewind(UWord mark) {
    if (mark >= tb_lit_start && mark <= lit_top) lit_top = mark;
}
