/* bits.h — the bit syntax runtime: bit-level copying, segment construction
 * (bs_create_bin, append, private_append, bs_init_writable) and matching
 * (match states and the bs_get_* family), with ERTS 25 semantics.
 *
 * Bit numbering is big-endian within bytes: bit offset 0 is the most
 * significant bit of byte 0, like ERTS. */
#ifndef TB_BITS_H
#define TB_BITS_H
#include "term.h"
#include "process.h"
#include "binary.h"

/* Segment flags as the loader hands them over (ERTS's BSF_*). */
#define TB_BSF_ALIGNED 1u
#define TB_BSF_LITTLE  2u
#define TB_BSF_SIGNED  4u
#define TB_BSF_EXACT   8u
#define TB_BSF_NATIVE 16u      /* native = little on every host we run on */

static inline bool tb_bsf_little(unsigned flags) { return (flags & (TB_BSF_LITTLE | TB_BSF_NATIVE)) != 0; }

/* ---- bit copies ---- */
/* Copy n bits; dst bits outside [doffs, doffs+n) are preserved. */
void tb_copy_bits(const uint8_t *src, UWord soffs, uint8_t *dst, UWord doffs, UWord n);
/* Compare n bits like memcmp (<0, 0, >0). */
int tb_cmp_bits(const uint8_t *a, UWord aoffs, const uint8_t *b, UWord boffs, UWord n);

/* ---- construction ----
 * Errors are reported as a TbBsErr; the interpreter raises them with
 * tb_bs_error (ERTS attaches {SegNo, Type, What, Value} as the error_info
 * cause, e.g. {1,integer,type,a}).  ERTS order: a first pass computes every
 * segment's size (size/utf32/binary-type errors), then a second writes
 * (integer/float/utf8/utf16 type, binary unit/short errors). */
typedef enum {
    TB_BS_OK = 0,
    TB_BS_TYPE,        /* badarg, cause type:     value of the wrong type */
    TB_BS_SIZE,        /* badarg, cause size:     size not a non-negative integer */
    TB_BS_UNIT,        /* badarg, cause unit:     binary size not a multiple of the unit */
    TB_BS_SHORT,       /* badarg, cause short:    binary shorter than the segment size */
    TB_BS_NO_FLOAT,    /* badarg, cause no_float: integer too large for a float */
    TB_BS_INVALID,     /* badarg, cause invalid:  float size not 16/32/64 (value: the bit size) */
    TB_BS_LIMIT,       /* system_limit, cause size: size or total size too large */
} TbBsErr;

/* Raise the ERTS exception for err (badarg or system_limit) and return the
 * error_info cause tuple {Seg, Type, What, Value} for the caller to attach
 * (TB_NONE when err has no cause).  type: the segment's type atom (binary for
 * append/private_append segments). */
Term tb_bs_error(TbProcess *p, TbBsErr err, UWord seg, Term type, Term value);

/* First pass helpers. */
TbBsErr tb_bs_size_bits(Term size, UWord unit, UWord *bits);   /* OK, SIZE or LIMIT */
UWord tb_bs_utf8_bits(Term cp);           /* 8..32; invalid values are caught by the put */
UWord tb_bs_utf16_bits(Term cp);          /* 16 or 32; likewise */
bool tb_bs_utf32_valid(Term cp);          /* utf32 is validated in the size pass (TYPE) */
/* `all`-sized binary segment: TYPE if v is not a bitstring. */
static inline TbBsErr tb_bs_binary_all_bits(Term v, UWord *bits) {
    if (!is_bitstring(v)) return TB_BS_TYPE;
    *bits = bitstring_bitsize(v);
    return TB_BS_OK;
}
/* Sum of segment sizes: LIMIT on overflow. */
static inline TbBsErr tb_bs_add_bits(UWord *total, UWord bits) {
    if (__builtin_add_overflow(*total, bits, total)) return TB_BS_LIMIT;
    return TB_BS_OK;
}

typedef struct TbBitWriter {
    uint8_t *base;
    UWord pos;                 /* next bit to write; bits at and after pos may be clobbered */
} TbBitWriter;

/* A fresh bitstring of total_bits (heap binary up to 64 bytes, else refc;
 * wrapped in a sub binary when not a whole number of bytes), w set to its
 * start.  TB_NONE (system_limit raised) if absurdly large. */
Term tb_bs_alloc(TbProcess *p, UWord total_bits, TbBitWriter *w);
/* Zero the bits after the last written one in its byte (writers may leave
 * garbage there; term_to_binary and comparisons see whole bytes). */
static inline void tb_bs_clear_tail(const TbBitWriter *w) {
    if (w->base && (w->pos & 7)) w->base[w->pos >> 3] &= (uint8_t)(0xFF << (8 - (w->pos & 7)));
}

TbBsErr tb_bs_put_integer(TbBitWriter *w, Term v, UWord bits, unsigned flags);   /* TYPE */
TbBsErr tb_bs_put_float(TbBitWriter *w, Term v, UWord bits, unsigned flags);     /* INVALID, TYPE, NO_FLOAT */
TbBsErr tb_bs_put_binary(TbBitWriter *w, Term v, UWord bits);                    /* TYPE, SHORT */
TbBsErr tb_bs_put_binary_all(TbBitWriter *w, Term v, UWord unit);                /* TYPE, UNIT */
TbBsErr tb_bs_put_utf8(TbBitWriter *w, Term cp);                                 /* TYPE */
TbBsErr tb_bs_put_utf16(TbBitWriter *w, Term cp, unsigned flags);                /* TYPE */
TbBsErr tb_bs_put_utf32(TbBitWriter *w, Term cp, unsigned flags);                /* TYPE */
void tb_bs_put_string(TbBitWriter *w, const uint8_t *bytes, UWord nbytes);

/* First segment `append`: extends bin by extra_bits, in place when bin is
 * the latest version of an unshared writable binary (so <<Acc/binary, X>>
 * loops are linear), else by copying into a new writable binary with room
 * to grow.  w is positioned after the old contents.  Errors (TB_NONE
 * returned, *err set, nothing raised): TYPE (not a bitstring), UNIT (size of
 * bin not a multiple of unit), LIMIT.  With extra_bits == 0 bin itself is
 * returned and w->base is NULL (zero-size puts never touch it). */
Term tb_bs_append(TbProcess *p, Term bin, UWord extra_bits, UWord unit, TbBitWriter *w, TbBsErr *err);
/* First segment `private_append`: bin comes from bs_init_writable or an
 * earlier private_append and is only referenced from here, so the sub binary
 * is grown and returned in place.  Falls back to tb_bs_append otherwise. */
Term tb_bs_private_append(TbProcess *p, Term bin, UWord extra_bits, UWord unit, TbBitWriter *w, TbBsErr *err);
/* Fast path of the above for whole big-endian bytes when the buffer has room; else TB_NONE. */
Term tb_bs_private_append_bytes(TbProcess *p, Term acc, uint64_t v, UWord bits);
/* bs_init_writable: an empty writable binary with room for `size` bytes
 * (1024 if size is not a non-negative small). */
Term tb_bs_init_writable(TbProcess *p, Term size);

/* ---- matching ---- */
static inline TbMatchState *ms_val(Term t) { return (TbMatchState *)boxed_val(t); }

/* bs_start_match3/4: a match state for a bitstring; an existing match state
 * is returned as is; TB_NONE if t is neither (no exception: jump to fail). */
Term tb_bs_start_match(TbProcess *p, Term t);
/* Size*unit for a matching segment; false (= no match) if size is not a
 * non-negative integer or the product overflows. */
bool tb_bs_match_size_bits(Term size, UWord unit, UWord *bits);

/* The getters return false on no match and leave the position unchanged. */
bool tb_bs_get_integer(TbProcess *p, TbMatchState *ms, UWord bits, unsigned flags, Term *out);
bool tb_bs_get_float(TbProcess *p, TbMatchState *ms, UWord bits, unsigned flags, Term *out);
bool tb_bs_get_binary(TbProcess *p, TbMatchState *ms, UWord bits, Term *out);
bool tb_bs_get_binary_all(TbProcess *p, TbMatchState *ms, UWord unit, Term *out);
Term tb_bs_get_tail(TbProcess *p, const TbMatchState *ms);     /* the rest, position unchanged */
bool tb_bs_get_utf8(TbMatchState *ms, Term *out);
bool tb_bs_get_utf16(TbMatchState *ms, unsigned flags, Term *out);
bool tb_bs_get_utf32(TbMatchState *ms, unsigned flags, Term *out);
static inline bool tb_bs_skip_utf8(TbMatchState *ms) { Term t; return tb_bs_get_utf8(ms, &t); }
static inline bool tb_bs_skip_utf16(TbMatchState *ms, unsigned flags) { Term t; return tb_bs_get_utf16(ms, flags, &t); }
static inline bool tb_bs_skip_utf32(TbMatchState *ms, unsigned flags) { Term t; return tb_bs_get_utf32(ms, flags, &t); }
bool tb_bs_match_string(TbMatchState *ms, const uint8_t *bytes, UWord bits);

static inline UWord tb_bs_remaining(const TbMatchState *ms) { return ms->size - ms->offset; }
static inline bool tb_bs_skip_bits(TbMatchState *ms, UWord bits) {
    if (tb_bs_remaining(ms) < bits) return false;
    ms->offset += bits;
    return true;
}
static inline bool tb_bs_test_tail(const TbMatchState *ms, UWord bits) { return tb_bs_remaining(ms) == bits; }
static inline bool tb_bs_test_unit(const TbMatchState *ms, UWord unit) { return unit <= 1 || tb_bs_remaining(ms) % unit == 0; }
/* bs_get_position / bs_set_position: a small holding the absolute offset. */
static inline Term tb_bs_get_position(const TbMatchState *ms) { return make_small((SWord)ms->offset); }
static inline void tb_bs_set_position(TbMatchState *ms, Term pos) { ms->offset = (UWord)small_val(pos); }

/* ---- float conversions shared with other code ---- */
uint16_t tb_double_to_half(double d);     /* round to nearest even, like a _Float16 cast */
double tb_half_to_double(uint16_t h);
#endif
