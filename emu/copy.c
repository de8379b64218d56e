/* copy.c — deep size and copy of terms (literals, later messages).
 * Iterative: size uses an explicit stack, copy scans its own output
 * (Cheney-style), so deep terms never recurse on the C stack. */
#include "gc.h"
#include "module.h"
#include "binary.h"
#include "resource.h"
#include "map.h"
#include <stdlib.h>

typedef struct { Term *v, small[64]; UWord n, cap; } TermStack;

static void push(TermStack *s, Term t) {
    if (s->n == s->cap) {
        s->cap *= 2;
        if (s->v == s->small) { s->v = malloc(s->cap * sizeof(Term)); memcpy(s->v, s->small, sizeof s->small); }
        else s->v = realloc(s->v, s->cap * sizeof(Term));
        if (!s->v) abort();
    }
    s->v[s->n++] = t;
}

/* own: count (and below, copy) literal data too, for copies that must not
 * depend on the code that holds the literals (ETS tables). */
static inline UWord size_object(Term t, bool own) {
    UWord size = 0;
    TermStack st;
    st.v = st.small; st.n = 0; st.cap = 64;
    for (;;) {
        if (is_list(t) && (own || !tb_is_literal_ptr(list_val(t)))) {
            size += 2;
            push(&st, CDR(list_val(t)));
            t = CAR(list_val(t));
            continue;
        }
        if (is_boxed(t) && (own || !tb_is_literal_ptr(boxed_val(t)))) {
            Term *o = boxed_val(t);
            UWord first, count;
            size += tb_object_words(o);
            tb_object_term_words(o, &first, &count);
            for (UWord i = 0; i < count; i++) push(&st, o[first + i]);
        }
        if (st.n == 0) break;
        t = st.v[--st.n];
    }
    if (st.v != st.small) free(st.v);
    return size;
}

UWord tb_size_object(Term t) { return size_object(t, false); }
UWord tb_size_object_owned(Term t) { return size_object(t, true); }

static inline Term copy_shallow(Term t, Term **hpp, TbProcBin **off_heap, bool own) {
    Term *hp = *hpp;
    if (is_list(t)) {
        Term *c = list_val(t);
        if (!own && tb_is_literal_ptr(c)) return t;
        hp[0] = c[0];
        hp[1] = c[1];
        *hpp = hp + 2;
        return make_list(hp);
    }
    if (is_boxed(t)) {
        Term *o = boxed_val(t);
        if (!own && tb_is_literal_ptr(o)) return t;
        UWord w = tb_object_words(o);
        memcpy(hp, o, w * sizeof(Term));
        if (header_sub(*o) == HDR_SUB_REFC_BIN) {
            TbProcBin *pb = (TbProcBin *)hp;
            tb_binary_ref(pb->val);
            if (own) pb->flags = 0;          /* a stored copy is never appended to */
            pb->next = *off_heap;
            *off_heap = pb;
        } else if (is_magic_ref_header(*o)) {
            TbMagicRef *m = (TbMagicRef *)hp;
            tb_resource_keep(m->res);
            m->next = *off_heap;
            *off_heap = (TbProcBin *)m;
        }
        *hpp = hp + w;
        return make_boxed(hp);
    }
    return t;
}

static inline Term copy_object(Term t, Term **hpp, TbProcBin **off_heap, bool own) {
    Term *start = *hpp;
    Term res = copy_shallow(t, hpp, off_heap, own);
    for (Term *scan = start; scan < *hpp;) {
        Term w = *scan;
        if (is_header(w)) {
            UWord first, count;
            tb_object_term_words(scan, &first, &count);
            for (UWord i = 0; i < count; i++) scan[first + i] = copy_shallow(scan[first + i], hpp, off_heap, own);
            if (header_sub(w) == HDR_SUB_MATCHSTATE) tb_match_state_rebase(scan);
            scan += tb_object_words(scan);
        } else {
            *scan = copy_shallow(w, hpp, off_heap, own);
            scan++;
        }
    }
    return res;
}
Term tb_copy_object(Term t, Term **hpp, TbProcBin **off_heap) { return copy_object(t, hpp, off_heap, false); }
Term tb_copy_object_owned(Term t, Term **hpp, TbProcBin **off_heap) { return copy_object(t, hpp, off_heap, true); }

Term tb_copy_to_literal(Term t, TbProcBin **off_heap) {
    if (is_immed(t)) return t;
    Term *hp = tb_literal_alloc(tb_size_object(t));
    return tb_copy_object(t, &hp, off_heap);
}
