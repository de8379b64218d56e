/* bif_debug.c — erts_internal / erts_debug introspection BIFs: exact term
 * compare, internal type names, and ERTS-sized term measurements.
 *
 * Sizes are reported as ERTS 25 (64-bit) would count them, not as tbeam lays
 * terms out: a local fun is 5 words + its free variables, an export fun 5, a
 * HAMT node has no separate bitmap word, and a sub binary counts like the
 * copy ERTS would make of it (size_object's rule). */
#include "bif.h"
#include "../emu/big.h"
#include "../emu/compare.h"
#include "../emu/map.h"
#include "../emu/print.h"
#include <stdio.h>
#include <stdlib.h>

static Term cached_atom(Term *slot, const char *name) {
    if (!*slot) *slot = tb_atom_cstr(name);
    return *slot;
}
#define ATOM_C(name) ({ static Term a_; cached_atom(&a_, name); })

BIF_DECL(bif_ei_cmp_term_2) {
    (void)p;
    int c = tb_cmp_exact(args[0], args[1]);
    return make_small(c < 0 ? -1 : c > 0);
}

BIF_DECL(bif_ei_term_type_1) {
    (void)p;
    Term t = args[0];
    if (is_small(t)) return ATOM_C("fixnum");
    if (is_atom(t)) return ATOM_C("atom");
    if (t == NIL) return ATOM_C("nil");
    if (is_internal_pid(t)) return ATOM_C("pid");
    if (is_internal_port(t)) return ATOM_C("port");
    if (is_catch(t)) return ATOM_C("catch");
    if (is_list(t)) return ATOM_C("list");
    if (!is_boxed(t)) BADARG(p);
    switch (header_sub(boxed_header(t))) {
    case HDR_SUB_TUPLE: return ATOM_C("tuple");
    case HDR_SUB_MATCHSTATE: return ATOM_C("matchstate");
    case HDR_SUB_POS_BIG: case HDR_SUB_NEG_BIG: return ATOM_C("bignum");
    case HDR_SUB_REF: return ATOM_C("reference");
    case HDR_SUB_FUN: return ATOM_C("fun");
    case HDR_SUB_FLOAT: return ATOM_C("hfloat");
    case HDR_SUB_EXPORT: return ATOM_C("export");
    case HDR_SUB_REFC_BIN: return ATOM_C("refc_binary");
    case HDR_SUB_HEAP_BIN: return ATOM_C("heap_binary");
    case HDR_SUB_SUB_BIN: return ATOM_C("sub_binary");
    case HDR_SUB_HASHMAP: return ATOM_C("hashmap");
    case HDR_SUB_EXT_PID: return ATOM_C("external_pid");
    case HDR_SUB_EXT_PORT: return ATOM_C("external_port");
    case HDR_SUB_EXT_REF: return ATOM_C("external_reference");
    case HDR_SUB_FLATMAP: return ATOM_C("flatmap");
    }
    BADARG(p);
}

/* tbeam's native and perf_counter units are nanoseconds. */
BIF_DECL(bif_ei_time_unit_0) { (void)p; (void)args; return make_small(1000000000); }
BIF_DECL(bif_ei_perf_counter_unit_0) { (void)p; (void)args; return make_small(1000000000); }

/* ---- sizing ---- */

typedef struct { Term *v; size_t n, cap; Term small[64]; } Stack;

static void st_push(Stack *s, Term t) {
    if (is_immed(t)) return;
    if (s->n == s->cap) {
        size_t nc = s->cap * 2;
        Term *nv = malloc(nc * sizeof(Term));
        if (!nv) abort();
        memcpy(nv, s->v, s->n * sizeof(Term));
        if (s->v != s->small) free(s->v);
        s->v = nv; s->cap = nc;
    }
    s->v[s->n++] = t;
}

static inline UWord erts_heap_bin_size(UWord bytes) { return 2 + (bytes + 7) / 8; }

/* ERTS's count for a sub binary (the sub itself is not descended into);
 * `orig_bytes` differs between size_object (the slice) and size_shared (the
 * whole underlying binary). */
static UWord sub_bin_size(const TbSubBin *sb, bool shared) {
    UWord rem = (sb->bitsize & 7) + (sb->bitoffs & 7), sum = 0, extra = 0;
    if (rem > 8) { sum = 5; extra = 2; }
    else if (rem > 0) { sum = 5; extra = 1; }
    const Term *o = boxed_val(sb->orig);
    if (header_sub(*o) == HDR_SUB_REFC_BIN) return sum + 6;
    UWord bytes = shared ? ((const TbHeapBin *)o)->size : sb->bitsize / 8;
    return sum + erts_heap_bin_size(bytes + extra);
}

/* Words of one boxed object as ERTS counts them; pushes its children. */
static UWord boxed_size(Term *o, Stack *st, bool shared) {
    Term h = *o;
    UWord ar = header_arity(h);
    switch (header_sub(h)) {
    case HDR_SUB_TUPLE:
        if (ar == 0) return 0;          /* ERTS's {} is a shared global constant */
        for (UWord i = 1; i <= ar; i++) st_push(st, o[i]);
        return ar + 1;
    case HDR_SUB_FUN: {
        UWord nfree = ar - 2;
        for (UWord i = 0; i < nfree; i++) st_push(st, ((TbFunThing *)o)->env[i]);
        return 5 + nfree;
    }
    case HDR_SUB_EXPORT: return 5;
    case HDR_SUB_FLATMAP: {
        TbFlatMap *m = (TbFlatMap *)o;
        st_push(st, m->keys);
        for (UWord i = 0; i < m->size; i++) st_push(st, m->values[i]);
        return 3 + m->size;
    }
    case HDR_SUB_HASHMAP: {
        UWord w = tb_hashmap_words(o);
        Term *slots = tb_hamt_slots(o);
        UWord n = w - (UWord)(slots - o);
        for (UWord i = 0; i < n; i++) st_push(st, slots[i]);
        return w - 1;                   /* ERTS keeps the bitmap in the header */
    }
    case HDR_SUB_SUB_BIN: return sub_bin_size((TbSubBin *)o, shared);
    case HDR_SUB_MATCHSTATE: return 0;
    default: return ar + 1;             /* floats, bignums, refs, heap/refc binaries */
    }
}

BIF_DECL(bif_edbg_flat_size_1) {
    Stack st = { .n = 0, .cap = 64 };
    st.v = st.small;
    UWord sum = 0;
    Term t = args[0];
    for (;;) {
        if (is_list(t)) {
            Term *c = list_val(t);
            sum += 2;
            st_push(&st, c[0]);
            t = c[1];
            continue;
        }
        if (is_boxed(t)) sum += boxed_size(boxed_val(t), &st, false);
        if (st.n == 0) break;
        t = st.v[--st.n];
    }
    if (st.v != st.small) free(st.v);
    return tb_make_uinteger(p, sum);
}

/* Pointer set for size_shared (open addressing; a debug BIF may allocate). */
typedef struct { const void **slot; size_t cap, n; } PtrSet;

static bool set_add(PtrSet *s, const void *ptr) {
    if ((s->n + 1) * 2 > s->cap) {
        PtrSet ns = { calloc(s->cap * 2, sizeof(void *)), s->cap * 2, 0 };
        if (!ns.slot) abort();
        for (size_t i = 0; i < s->cap; i++) if (s->slot[i]) set_add(&ns, s->slot[i]);
        free(s->slot);
        *s = ns;
    }
    size_t i = ((UWord)ptr >> 3) * 0x9E3779B97F4A7C15ull >> 20;
    for (;; i++) {
        i &= s->cap - 1;
        if (s->slot[i] == ptr) return false;
        if (!s->slot[i]) { s->slot[i] = ptr; s->n++; return true; }
    }
}

BIF_DECL(bif_edbg_size_shared_1) {
    Stack st = { .n = 0, .cap = 64 };
    st.v = st.small;
    PtrSet seen = { calloc(64, sizeof(void *)), 64, 0 };
    if (!seen.slot) abort();
    UWord sum = 0;
    st_push(&st, args[0]);
    while (st.n) {
        Term t = st.v[--st.n];
        if (is_list(t)) {
            Term *c = list_val(t);
            if (tb_is_literal_ptr(c) || !set_add(&seen, c)) continue;
            sum += 2;
            st_push(&st, c[0]);
            st_push(&st, c[1]);
        } else if (is_boxed(t)) {
            Term *o = boxed_val(t);
            if (tb_is_literal_ptr(o) || !set_add(&seen, o)) continue;
            sum += boxed_size(o, &st, true);
        }
    }
    free(seen.slot);
    if (st.v != st.small) free(st.v);
    return tb_make_uinteger(p, sum);
}

BIF_DECL(bif_edbg_same_2) {
    (void)p;
    return args[0] == args[1] ? AM_true : AM_false;
}

/* Copying is invisible to Erlang code: the term itself is the answer. */
BIF_DECL(bif_edbg_copy_shared_2) {
    if (args[1] != AM_true && args[1] != AM_false) BADARG(p);
    return args[0];
}

/* Prints like erlang:display/1 and returns the printed text as a string. */
BIF_DECL(bif_edbg_display_1) {
    char small[256];
    size_t n = tb_print_term(small, sizeof small, args[0]);
    char *buf = small;
    if (n + 1 > sizeof small) {
        buf = malloc(n + 1);
        if (!buf) abort();
        tb_print_term(buf, n + 1, args[0]);
    }
    flockfile(stdout);
    fwrite(buf, 1, n, stdout);
    fputs(TB_DISPLAY_EOL, stdout);          /* like erlang:display; the string gets just \n */
    funlockfile(stdout);
    fflush(stdout);
    Term *hp = tb_halloc(p, 2 * (n + 1));
    Term l = NIL;
    hp[0] = make_small('\n'); hp[1] = l; l = make_list(hp); hp += 2;
    for (size_t i = n; i > 0; i--) {
        hp[0] = make_small((unsigned char)buf[i - 1]); hp[1] = l; l = make_list(hp); hp += 2;
    }
    if (buf != small) free(buf);
    return l;
}
