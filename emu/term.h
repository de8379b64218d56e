/* term.h — the tagged 64-bit word that every Erlang value is.
 *
 * Layout follows ERTS so that the same invariants hold (and later the same
 * distribution / NIF assumptions):
 *
 *   primary tag (2 bits)   00 header word (only on heap) / continuation pointer (only on stack)
 *                          01 list: pointer to a cons cell [head, tail]
 *                          10 boxed: pointer to a header word followed by data
 *                          11 immediate
 *   immediate1 (4 bits)    0011 pid   0111 port   1011 immediate2   1111 small integer (60 bits)
 *   immediate2 (6 bits)    001011 atom   011011 catch   111011 nil
 *   header (6 bits)        arity << 6 | subtag << 2 | 00
 *
 * TB_NONE (0) is never a term; BIFs return it to signal an exception.
 */
#ifndef TB_TERM_H
#define TB_TERM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

typedef uint64_t Term;
typedef uint64_t UWord;
typedef int64_t SWord;

#define TB_NONE ((Term)0)

#define TAG_PRIMARY_MASK   0x3u
#define TAG_PRIMARY_HEADER 0x0u
#define TAG_PRIMARY_LIST   0x1u
#define TAG_PRIMARY_BOXED  0x2u
#define TAG_PRIMARY_IMMED1 0x3u

#define TAG_IMMED1_MASK   0xFu
#define TAG_IMMED1_PID    0x3u
#define TAG_IMMED1_PORT   0x7u
#define TAG_IMMED1_IMMED2 0xBu
#define TAG_IMMED1_SMALL  0xFu

#define TAG_IMMED2_MASK  0x3Fu
#define TAG_IMMED2_ATOM  0x0Bu
#define TAG_IMMED2_CATCH 0x1Bu
#define TAG_IMMED2_NIL   0x3Bu

#define NIL ((Term)TAG_IMMED2_NIL)

static inline unsigned primary_tag(Term t) { return (unsigned)(t & TAG_PRIMARY_MASK); }
static inline bool is_immed(Term t) { return primary_tag(t) == TAG_PRIMARY_IMMED1; }
static inline bool is_list(Term t) { return primary_tag(t) == TAG_PRIMARY_LIST; }
static inline bool is_boxed(Term t) { return primary_tag(t) == TAG_PRIMARY_BOXED; }
static inline bool is_header(Term t) { return primary_tag(t) == TAG_PRIMARY_HEADER; }
static inline bool is_nil(Term t) { return t == NIL; }
static inline bool is_not_nil(Term t) { return t != NIL; }

/* ---- small integers: 60 bits signed ---- */
#define SMALL_BITS 60
#define MAX_SMALL ((SWord)((((UWord)1) << (SMALL_BITS - 1)) - 1))
#define MIN_SMALL (-MAX_SMALL - 1)
static inline bool is_small(Term t) { return (t & TAG_IMMED1_MASK) == TAG_IMMED1_SMALL; }
static inline Term make_small(SWord v) { return ((UWord)v << 4) | TAG_IMMED1_SMALL; }
static inline SWord small_val(Term t) { return (SWord)t >> 4; }
static inline bool fits_small(SWord v) { return v >= MIN_SMALL && v <= MAX_SMALL; }

/* ---- atoms: index into the global atom table ---- */
static inline bool is_atom(Term t) { return (t & TAG_IMMED2_MASK) == TAG_IMMED2_ATOM; }
static inline Term make_atom(UWord idx) { return (idx << 6) | TAG_IMMED2_ATOM; }
static inline UWord atom_val(Term t) { return t >> 6; }

/* ---- catch: a code address kept in a Y slot by catch/try ---- */
static inline bool is_catch(Term t) { return (t & TAG_IMMED2_MASK) == TAG_IMMED2_CATCH; }
static inline Term make_catch(const void *code) { return ((UWord)code << 6) | TAG_IMMED2_CATCH; }
static inline void *catch_val(Term t) { return (void *)(t >> 6); }

/* ---- pids and ports (local): number << 4 | tag ---- */
static inline bool is_internal_pid(Term t) { return (t & TAG_IMMED1_MASK) == TAG_IMMED1_PID; }
static inline Term make_pid(UWord n) { return (n << 4) | TAG_IMMED1_PID; }
static inline UWord pid_val(Term t) { return t >> 4; }
static inline bool is_internal_port(Term t) { return (t & TAG_IMMED1_MASK) == TAG_IMMED1_PORT; }
static inline Term make_port(UWord n) { return (n << 4) | TAG_IMMED1_PORT; }
static inline UWord port_val(Term t) { return t >> 4; }

/* ---- pointers ---- */
static inline Term *list_val(Term t) { return (Term *)(t - TAG_PRIMARY_LIST); }
static inline Term *boxed_val(Term t) { return (Term *)(t - TAG_PRIMARY_BOXED); }
static inline Term make_list(const Term *p) { return (Term)p + TAG_PRIMARY_LIST; }
static inline Term make_boxed(const Term *p) { return (Term)p + TAG_PRIMARY_BOXED; }
#define CAR(p) ((p)[0])
#define CDR(p) ((p)[1])

/* ---- headers ---- */
#define HDR_SUB_TUPLE      0x0u  /* arity words of elements */
#define HDR_SUB_MATCHSTATE 0x1u  /* binary match context (struct TbMatchState) */
#define HDR_SUB_POS_BIG    0x2u  /* arity GMP limbs, little-endian */
#define HDR_SUB_NEG_BIG    0x3u
#define HDR_SUB_REF        0x4u  /* struct TbRefThing */
#define HDR_SUB_FUN        0x5u  /* closure: struct TbFunThing + env */
#define HDR_SUB_FLOAT      0x6u  /* one double */
#define HDR_SUB_EXPORT     0x7u  /* fun M:F/A: pointer to TbExport */
#define HDR_SUB_REFC_BIN   0x8u  /* struct TbProcBin, data off heap */
#define HDR_SUB_HEAP_BIN   0x9u  /* struct TbHeapBin, data inline */
#define HDR_SUB_SUB_BIN    0xAu  /* struct TbSubBin, a slice of another binary */
#define HDR_SUB_HASHMAP    0xBu  /* HAMT node (emu/map.h) */
#define HDR_SUB_EXT_PID    0xCu  /* reserved: distribution */
#define HDR_SUB_EXT_PORT   0xDu
#define HDR_SUB_EXT_REF    0xEu
#define HDR_SUB_FLATMAP    0xFu  /* struct TbFlatMap: sorted keys tuple + values */

#define HDR_SUB_MASK 0x3Cu
static inline Term make_header(UWord arity, unsigned sub) { return (arity << 6) | ((UWord)sub << 2); }
static inline UWord header_arity(Term h) { return h >> 6; }
static inline unsigned header_sub(Term h) { return (unsigned)((h & HDR_SUB_MASK) >> 2); }
static inline Term boxed_header(Term t) { return *boxed_val(t); }
static inline bool is_boxed_sub(Term t, unsigned sub) {
    return is_boxed(t) && header_sub(boxed_header(t)) == sub;
}

/* ---- tuples ---- */
#define make_arityval(n) make_header((n), HDR_SUB_TUPLE)
static inline bool is_tuple(Term t) { return is_boxed_sub(t, HDR_SUB_TUPLE); }
static inline Term *tuple_val(Term t) { return boxed_val(t); }
static inline UWord tuple_arity(Term t) { return header_arity(*boxed_val(t)); }
static inline bool is_tuple_arity(Term t, UWord n) { return is_boxed(t) && *boxed_val(t) == make_arityval(n); }

/* ---- floats ---- */
#define FLOAT_WORDS 2
static inline bool is_float(Term t) { return is_boxed_sub(t, HDR_SUB_FLOAT); }
static inline double float_val(Term t) { double d; memcpy(&d, boxed_val(t) + 1, 8); return d; }
static inline Term make_float_at(Term *hp, double d) {
    hp[0] = make_header(1, HDR_SUB_FLOAT);
    memcpy(hp + 1, &d, 8);
    return make_boxed(hp);
}

/* ---- bignums ---- */
static inline bool is_big(Term t) {
    if (!is_boxed(t)) return false;
    unsigned s = header_sub(*boxed_val(t));
    return s == HDR_SUB_POS_BIG || s == HDR_SUB_NEG_BIG;
}
static inline bool is_integer(Term t) { return is_small(t) || is_big(t); }
static inline bool is_number(Term t) { return is_integer(t) || is_float(t); }
static inline bool big_sign(Term t) { return header_sub(*boxed_val(t)) == HDR_SUB_NEG_BIG; }
static inline UWord big_size(Term t) { return header_arity(*boxed_val(t)); }
static inline UWord *big_limbs(Term t) { return (UWord *)boxed_val(t) + 1; }

/* ---- funs ---- */
struct TbFunEntry;
struct TbExport;
typedef struct TbFunThing {
    Term header;              /* arity = 2 + num_free */
    struct TbFunEntry *fe;    /* module-level entry: code, index, uniq, arity */
    Term creator;             /* pid that created it */
    Term env[];               /* num_free captured values */
} TbFunThing;
#define FUN_THING_WORDS 3
static inline bool is_fun(Term t) { return is_boxed_sub(t, HDR_SUB_FUN) || is_boxed_sub(t, HDR_SUB_EXPORT); }
static inline bool is_local_fun(Term t) { return is_boxed_sub(t, HDR_SUB_FUN); }
static inline bool is_export_fun(Term t) { return is_boxed_sub(t, HDR_SUB_EXPORT); }
static inline struct TbExport *export_fun_val(Term t) { return (struct TbExport *)boxed_val(t)[1]; }

/* ---- references ---- */
typedef struct TbRefThing {
    Term header;          /* arity 2 */
    uint32_t num[4];      /* num[0..2] as ERTS prints #Ref<0.n2.n1.n0>; num[3] unused */
} TbRefThing;
#define REF_THING_WORDS 3
static inline bool is_ref(Term t) { return is_boxed_sub(t, HDR_SUB_REF); }

/* NIF resources: a reference-counted off-heap block (emu/resource.c).  The
 * term holding one is a magic reference, a longer REF thing (as in ERTS);
 * it sits on the process's off-heap list with the ProcBins, its `next` at
 * the same word as theirs. */
typedef struct TbResource {
    int64_t refc;
    const struct TbResourceType *type;
    uint32_t num[4];           /* its reference numbers (num[3] unused) */
    size_t size;
    uint8_t data[] __attribute__((aligned(16)));
} TbResource;
struct TbProcBin;
typedef struct TbMagicRef {
    Term header;               /* arity 3, HDR_SUB_REF */
    TbResource *res;
    struct TbProcBin *next;
    Term unused;
} TbMagicRef;
#define MAGIC_REF_WORDS 4
static inline bool is_magic_ref_header(Term h) { return h == ((UWord)(MAGIC_REF_WORDS - 1) << 6 | (UWord)HDR_SUB_REF << 2); }
/* num[0..2] of any local reference, magic or not. */
static inline const uint32_t *tb_ref_numbers(Term ref) {
    const Term *b = boxed_val(ref);
    return is_magic_ref_header(*b) ? ((const TbMagicRef *)b)->res->num : ((const TbRefThing *)b)->num;
}

/* ---- binaries ----
 * A bitstring term is one of: heap binary (<= 64 bytes inline), refc binary
 * (a ProcBin on the heap pointing to a shared TbBinary), or a sub binary
 * (a bit-aligned slice of one of the former two). */
#define TB_HEAP_BIN_LIMIT 64

typedef struct TbBinary {       /* off heap, shared, reference counted */
    int64_t refc;
    size_t orig_size;           /* allocated bytes */
    uint8_t data[];
} TbBinary;

typedef struct TbProcBin {
    Term header;                /* arity = words - 1 */
    size_t size;                /* bytes */
    struct TbProcBin *next;     /* the process's off-heap list, swept by GC */
    TbBinary *val;
    uint8_t *bytes;
    UWord flags;                /* TB_PB_WRITABLE, TB_PB_ACTIVE_WRITER: bs_append in place */
} TbProcBin;
#define PROC_BIN_WORDS (sizeof(TbProcBin) / sizeof(Term))
#define TB_PB_WRITABLE      1u
#define TB_PB_ACTIVE_WRITER 2u

typedef struct TbHeapBin {
    Term header;                /* arity = 1 + data words */
    size_t size;                /* bytes */
    uint8_t data[];
} TbHeapBin;
static inline UWord heap_bin_words(size_t bytes) { return 2 + (bytes + 7) / 8; }

typedef struct TbSubBin {
    Term header;                /* arity 3 */
    Term orig;                  /* heap or refc binary term */
    UWord bitoffs;              /* offset in bits from the start of orig's bytes */
    UWord bitsize;              /* size in bits */
} TbSubBin;
#define SUB_BIN_WORDS 4

static inline bool is_bitstring(Term t) {
    if (!is_boxed(t)) return false;
    unsigned s = header_sub(*boxed_val(t));
    return s == HDR_SUB_REFC_BIN || s == HDR_SUB_HEAP_BIN || s == HDR_SUB_SUB_BIN;
}

/* Resolve any bitstring to (bytes, bit offset, bit size). */
static inline void bitstring_view(Term t, const uint8_t **bytes, UWord *bitoffs, UWord *bitsize) {
    Term *p = boxed_val(t);
    switch (header_sub(*p)) {
    case HDR_SUB_HEAP_BIN: *bytes = ((TbHeapBin *)p)->data; *bitoffs = 0; *bitsize = ((TbHeapBin *)p)->size * 8; return;
    case HDR_SUB_REFC_BIN: *bytes = ((TbProcBin *)p)->bytes; *bitoffs = 0; *bitsize = ((TbProcBin *)p)->size * 8; return;
    default: {
        TbSubBin *sb = (TbSubBin *)p;
        Term *o = boxed_val(sb->orig);
        *bytes = header_sub(*o) == HDR_SUB_HEAP_BIN ? ((TbHeapBin *)o)->data : ((TbProcBin *)o)->bytes;
        *bitoffs = sb->bitoffs;
        *bitsize = sb->bitsize;
        return;
    }
    }
}
static inline UWord bitstring_bitsize(Term t) {
    const uint8_t *b; UWord o, s; bitstring_view(t, &b, &o, &s); return s;
}
static inline bool is_binary(Term t) { return is_bitstring(t) && bitstring_bitsize(t) % 8 == 0; }

/* ---- binary match context (OTP 22+ bs_start_match3/4) ---- */
typedef struct TbMatchState {
    Term header;                /* arity 4 */
    Term orig;                  /* the bitstring being matched (keeps data alive) */
    const uint8_t *base;        /* bytes of orig (refreshed by GC when orig moves) */
    UWord offset;               /* current bit position, absolute from base */
    UWord size;                 /* end bit position, absolute from base */
} TbMatchState;
#define MATCH_STATE_WORDS 5
static inline bool is_match_state(Term t) { return is_boxed_sub(t, HDR_SUB_MATCHSTATE); }

/* ---- maps (details in emu/map.h) ---- */
typedef struct TbFlatMap {
    Term header;                /* arity = 2 + size */
    UWord size;
    Term keys;                  /* a tuple of `size` sorted keys, often a shared literal */
    Term values[];
} TbFlatMap;
#define FLATMAP_HEAD_WORDS 3
#define TB_FLATMAP_LIMIT 32
static inline bool is_flatmap(Term t) { return is_boxed_sub(t, HDR_SUB_FLATMAP); }
static inline bool is_hashmap(Term t) { return is_boxed_sub(t, HDR_SUB_HASHMAP); }
static inline bool is_map(Term t) { return is_flatmap(t) || is_hashmap(t); }

/* ---- booleans ---- */
static inline bool is_pid(Term t) { return is_internal_pid(t) || is_boxed_sub(t, HDR_SUB_EXT_PID); }
static inline bool is_port(Term t) { return is_internal_port(t) || is_boxed_sub(t, HDR_SUB_EXT_PORT); }
static inline bool is_reference(Term t) { return is_ref(t) || is_boxed_sub(t, HDR_SUB_EXT_REF); }

#endif
