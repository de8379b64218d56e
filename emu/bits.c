/* bits.c — bit-level copying and the bit syntax runtime (construction,
 * appends, matching), following ERTS 25's erl_bits.c semantics. */
#include "bits.h"
#include "utf8.h"
#include "atom.h"
#include "big.h"
#include <math.h>
#include <stdlib.h>

#define LITTLE_HOST (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)

/* ================= bit copies ================= */

/* k (1..8) bits at bit offset off, right-aligned. */
static inline unsigned get_bits8(const uint8_t *s, UWord off, unsigned k) {
    const uint8_t *p = s + (off >> 3);
    unsigned sh = off & 7, v;
    if (sh + k <= 8) v = p[0] >> (8 - sh - k);
    else v = ((unsigned)p[0] << (sh + k - 8)) | (p[1] >> (16 - sh - k));
    return v & ((1u << k) - 1);
}

/* The 8 bits at bit offset off. */
static inline unsigned get_byte_at(const uint8_t *s, UWord off) {
    const uint8_t *p = s + (off >> 3);
    unsigned sh = off & 7;
    return sh ? (uint8_t)((p[0] << sh) | (p[1] >> (8 - sh))) : p[0];
}

/* Store the low k bits of v at bit offset sh (sh + k <= 8) of *p. */
static inline void merge_bits(uint8_t *p, unsigned sh, unsigned v, unsigned k) {
    unsigned s2 = 8 - sh - k;
    unsigned mask = ((1u << k) - 1) << s2;
    *p = (uint8_t)((*p & ~mask) | ((v << s2) & mask));
}

void tb_copy_bits(const uint8_t *src, UWord soffs, uint8_t *dst, UWord doffs, UWord n) {
    if (n == 0) return;
    src += soffs >> 3;
    soffs &= 7;
    dst += doffs >> 3;
    doffs &= 7;
    if (doffs) {               /* up to the next destination byte boundary */
        unsigned k = 8 - (unsigned)doffs;
        if (k > n) k = (unsigned)n;
        merge_bits(dst, (unsigned)doffs, get_bits8(src, soffs, k), k);
        dst++;
        soffs += k;
        n -= k;
        src += soffs >> 3;
        soffs &= 7;
    }
    UWord nbytes = n >> 3;
    if (soffs == 0) {
        memmove(dst, src, nbytes);
    } else {
        unsigned ls = (unsigned)soffs, rs = 8 - ls;
        for (UWord i = 0; i < nbytes; i++) dst[i] = (uint8_t)((src[i] << ls) | (src[i + 1] >> rs));
    }
    if (n & 7) merge_bits(dst + nbytes, 0, get_bits8(src + nbytes, soffs, n & 7), n & 7);
}

int tb_cmp_bits(const uint8_t *a, UWord aoffs, const uint8_t *b, UWord boffs, UWord n) {
    a += aoffs >> 3;
    aoffs &= 7;
    b += boffs >> 3;
    boffs &= 7;
    UWord nbytes = n >> 3;
    if (aoffs == 0 && boffs == 0) {
        int c = memcmp(a, b, nbytes);
        if (c) return c;
    } else {
        for (UWord i = 0; i < nbytes; i++) {
            unsigned x = get_byte_at(a, aoffs + 8 * i), y = get_byte_at(b, boffs + 8 * i);
            if (x != y) return x < y ? -1 : 1;
        }
    }
    if (n & 7) {
        unsigned x = get_bits8(a, aoffs + 8 * nbytes, n & 7), y = get_bits8(b, boffs + 8 * nbytes, n & 7);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

/* ================= half floats ================= */

uint16_t tb_double_to_half(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    uint16_t sign = (uint16_t)((b >> 48) & 0x8000);
    int e = (int)((b >> 52) & 0x7FF);
    uint64_t m = b & ((1ull << 52) - 1);
    if (e == 0x7FF) return sign | 0x7C00 | (m ? 0x200 : 0);
    int E = e - 1023;
    if (E > 15) return sign | 0x7C00;
    uint64_t mant, rest, half;
    unsigned shift;
    uint16_t h;
    if (E >= -14) {            /* normal: keep 10 of 52 mantissa bits */
        h = (uint16_t)(((E + 15) << 10) | (m >> 42));
        shift = 42;
        mant = m;
    } else {                   /* subnormal half (or zero) */
        if (e == 0) return sign;
        shift = (unsigned)(42 + (-14 - E));
        if (shift > 53) return sign;
        mant = m | (1ull << 52);
        h = (uint16_t)(mant >> shift);
    }
    rest = mant & ((1ull << shift) - 1);
    half = 1ull << (shift - 1);
    if (rest > half || (rest == half && (h & 1))) h++;   /* a carry may reach inf: right */
    return sign | h;
}

double tb_half_to_double(uint16_t h) {
    int e = (h >> 10) & 0x1F;
    unsigned m = h & 0x3FF;
    double v;
    if (e == 0) v = ldexp((double)m, -24);
    else if (e == 31) v = m ? NAN : INFINITY;
    else v = ldexp((double)(m | 0x400), e - 25);
    return (h & 0x8000) ? -v : v;
}

/* ================= construction ================= */

static Term atom_size, atom_unit, atom_no_float, atom_invalid;

Term tb_bs_error(TbProcess *p, TbBsErr err, UWord seg, Term type, Term value) {
    Term what;
    if (!atom_size) {
        atom_size = tb_atom_cstr("size");
        atom_unit = tb_atom_cstr("unit");
        atom_no_float = tb_atom_cstr("no_float");
        atom_invalid = tb_atom_cstr("invalid");
    }
    switch (err) {
    case TB_BS_TYPE: what = AM(type); break;
    case TB_BS_SIZE: case TB_BS_LIMIT: what = atom_size; break;
    case TB_BS_UNIT: what = atom_unit; break;
    case TB_BS_SHORT: what = AM(short); break;
    case TB_BS_NO_FLOAT: what = atom_no_float; break;
    case TB_BS_INVALID: what = atom_invalid; break;
    default: tb_error(p, AM(badarg)); return TB_NONE;
    }
    tb_error(p, err == TB_BS_LIMIT ? AM(system_limit) : AM(badarg));
    Term *hp = tb_halloc(p, 5);
    hp[0] = make_arityval(4);
    hp[1] = make_small((SWord)seg);
    hp[2] = type;
    hp[3] = what;
    hp[4] = value;
    return make_boxed(hp);
}

TbBsErr tb_bs_size_bits(Term size, UWord unit, UWord *bits) {
    if (is_small(size)) {
        SWord s = small_val(size);
        if (s < 0) return TB_BS_SIZE;
        if (__builtin_mul_overflow((UWord)s, unit, bits)) return TB_BS_LIMIT;
        return TB_BS_OK;
    }
    if (is_big(size)) return big_sign(size) ? TB_BS_SIZE : TB_BS_LIMIT;
    return TB_BS_SIZE;
}

UWord tb_bs_utf8_bits(Term cp) {
    if (!is_small(cp)) return 32;
    SWord v = small_val(cp);
    if (v < 0) return 32;
    return v < 0x80 ? 8 : v < 0x800 ? 16 : v < 0x10000 ? 24 : 32;
}

UWord tb_bs_utf16_bits(Term cp) {
    return is_small(cp) && (UWord)small_val(cp) < 0x10000 ? 16 : 32;
}

static inline bool valid_cp(Term cp) {
    if (!is_small(cp)) return false;
    SWord v = small_val(cp);
    return v >= 0 && v < 0x110000 && !(v >= 0xD800 && v <= 0xDFFF);
}
bool tb_bs_utf32_valid(Term cp) { return valid_cp(cp); }

Term tb_bs_alloc(TbProcess *p, UWord total_bits, TbBitWriter *w) {
    UWord nbytes = (total_bits >> 3) + ((total_bits & 7) != 0);
    Term bin;
    uint8_t *base;
    if (nbytes <= TB_HEAP_BIN_LIMIT) {
        bin = tb_new_binary(p, NULL, nbytes);
    } else {
        TbBinary *b = tb_binary_try_alloc(nbytes);
        if (!b) return tb_error(p, AM(system_limit));
        bin = tb_make_proc_bin(p, b, nbytes);
    }
    base = tb_binary_bytes_for_write(bin);
    if (nbytes) base[nbytes - 1] = 0;          /* deterministic padding bits */
    if (total_bits & 7) {
        TbSubBin *sb = (TbSubBin *)tb_halloc(p, SUB_BIN_WORDS);
        sb->header = make_header(SUB_BIN_WORDS - 1, HDR_SUB_SUB_BIN);
        sb->orig = bin;
        sb->bitoffs = 0;
        sb->bitsize = total_bits;
        bin = make_boxed((Term *)sb);
    }
    w->base = base;
    w->pos = 0;
    return bin;
}

/* ---- writer primitives (bits at and after pos may be clobbered) ---- */

static inline void wr_bits(TbBitWriter *w, unsigned v, unsigned k) {   /* low k (1..8) bits of v */
    uint8_t *p = w->base + (w->pos >> 3);
    unsigned sh = w->pos & 7;
    v &= (1u << k) - 1;
    if (sh + k <= 8) {
        merge_bits(p, sh, v, k);
    } else {
        unsigned over = sh + k - 8;
        p[0] = (uint8_t)((p[0] & (0xFF00u >> sh)) | (v >> over));
        p[1] = (uint8_t)(v << (8 - over));
    }
    w->pos += k;
}

static inline void wr_byte(TbBitWriter *w, unsigned v) {
    if (w->pos & 7) { wr_bits(w, v, 8); return; }
    w->base[w->pos >> 3] = (uint8_t)v;
    w->pos += 8;
}

static void wr_bytes(TbBitWriter *w, const uint8_t *src, UWord n) {
    if (w->pos & 7) tb_copy_bits(src, 0, w->base, w->pos, n * 8);
    else memcpy(w->base + (w->pos >> 3), src, n);
    w->pos += n * 8;
}

/* The low n (1..64) bits of x as a field. */
static void put_u64(TbBitWriter *w, uint64_t x, UWord n, bool little) {
    if (!(w->pos & 7) && !(n & 7)) {           /* byte-aligned whole bytes: direct stores */
        uint8_t *p = w->base + (w->pos >> 3);
        unsigned nb = (unsigned)(n >> 3);
        if (little) for (unsigned i = 0; i < nb; i++) p[i] = (uint8_t)(x >> (8 * i));
        else for (unsigned i = 0; i < nb; i++) p[i] = (uint8_t)(x >> (8 * (nb - 1 - i)));
        w->pos += n;
        return;
    }
    unsigned r = n & 7, nb = (unsigned)(n >> 3);
    if (little) {
        for (unsigned i = 0; i < nb; i++) wr_byte(w, (unsigned)(x >> (8 * i)));
        if (r) wr_bits(w, (unsigned)(x >> (8 * nb)), r);
    } else {
        if (r) wr_bits(w, (unsigned)(x >> (n - r)), r);
        for (int i = (int)nb - 1; i >= 0; i--) wr_byte(w, (unsigned)(x >> (8 * i)));
    }
}

/* Two's complement bytes of an integer, sign-extended forever. */
typedef struct {
    SWord small;               /* when limbs == NULL */
    const UWord *limbs;
    UWord nbytes;              /* magnitude bytes */
    UWord first_nz;            /* lowest non-zero magnitude byte (negative bignums) */
    bool neg;
} IntBytes;

static inline unsigned mag_byte(const IntBytes *ib, UWord j) {
    return j < ib->nbytes ? (unsigned)(ib->limbs[j >> 3] >> (8 * (j & 7))) & 0xFF : 0;
}

static inline unsigned int_byte(const IntBytes *ib, UWord j) {
    if (!ib->limbs) return j < 8 ? (unsigned)((UWord)ib->small >> (8 * j)) & 0xFF : (ib->small < 0 ? 0xFF : 0);
    if (!ib->neg) return mag_byte(ib, j);
    if (j < ib->first_nz) return 0;
    if (j == ib->first_nz) return (0x100 - mag_byte(ib, j)) & 0xFF;
    return ~mag_byte(ib, j) & 0xFF;
}

static void put_wide(TbBitWriter *w, const IntBytes *ib, UWord n, bool little) {
    unsigned r = n & 7;
    UWord nb = n >> 3;
    if (little) {
        for (UWord j = 0; j < nb; j++) wr_byte(w, int_byte(ib, j));
        if (r) wr_bits(w, int_byte(ib, nb), r);
    } else {
        if (r) wr_bits(w, int_byte(ib, nb), r);
        for (UWord j = nb; j-- > 0;) wr_byte(w, int_byte(ib, j));
    }
}

TbBsErr tb_bs_put_integer(TbBitWriter *w, Term v, UWord bits, unsigned flags) {
    bool little = tb_bsf_little(flags);
    IntBytes ib;
    if (is_small(v)) {
        if (bits == 0) return TB_BS_OK;
        if (bits <= 64) {
            put_u64(w, (uint64_t)small_val(v), bits, little);
            return TB_BS_OK;
        }
        ib = (IntBytes){.small = small_val(v)};
    } else if (is_big(v)) {
        if (bits == 0) return TB_BS_OK;
        UWord n = big_size(v);
        const UWord *l = big_limbs(v);
        ib = (IntBytes){.limbs = l, .nbytes = n * 8, .neg = big_sign(v)};
        if (ib.neg) {
            UWord j = 0;
            while (j < ib.nbytes && mag_byte(&ib, j) == 0) j++;
            ib.first_nz = j;
        }
    } else {
        return TB_BS_TYPE;
    }
    put_wide(w, &ib, bits, little);
    return TB_BS_OK;
}

TbBsErr tb_bs_put_float(TbBitWriter *w, Term v, UWord bits, unsigned flags) {
    double d;
    uint64_t u;
    if (bits != 16 && bits != 32 && bits != 64) return TB_BS_INVALID;
    if (is_float(v)) d = float_val(v);
    else if (is_small(v)) d = (double)small_val(v);
    else if (is_big(v)) { if (!tb_integer_to_double(v, &d)) return TB_BS_NO_FLOAT; }
    else return TB_BS_TYPE;
    if (bits == 64) {
        memcpy(&u, &d, 8);
    } else if (bits == 32) {
        /* ERTS converts a small straight to float (no double rounding) */
        float f = is_small(v) ? (float)small_val(v) : (float)d;
        uint32_t x;
        memcpy(&x, &f, 4);
        u = x;
    } else {
        u = tb_double_to_half(d);
    }
    put_u64(w, u, bits, tb_bsf_little(flags));
    return TB_BS_OK;
}

TbBsErr tb_bs_put_binary(TbBitWriter *w, Term v, UWord bits) {
    const uint8_t *b;
    UWord o, n;
    if (!is_bitstring(v)) return TB_BS_TYPE;
    bitstring_view(v, &b, &o, &n);
    if (bits > n) return TB_BS_SHORT;
    if (bits) tb_copy_bits(b, o, w->base, w->pos, bits);
    w->pos += bits;
    return TB_BS_OK;
}

TbBsErr tb_bs_put_binary_all(TbBitWriter *w, Term v, UWord unit) {
    const uint8_t *b;
    UWord o, n;
    if (!is_bitstring(v)) return TB_BS_TYPE;
    bitstring_view(v, &b, &o, &n);
    if (unit > 1 && n % unit) return TB_BS_UNIT;
    if (n) tb_copy_bits(b, o, w->base, w->pos, n);
    w->pos += n;
    return TB_BS_OK;
}

TbBsErr tb_bs_put_utf8(TbBitWriter *w, Term cp) {
    uint8_t t[4];
    unsigned n;
    if (!valid_cp(cp)) return TB_BS_TYPE;
    n = tb_utf8_encode((uint32_t)small_val(cp), t);
    wr_bytes(w, t, n);
    return TB_BS_OK;
}

TbBsErr tb_bs_put_utf16(TbBitWriter *w, Term cp, unsigned flags) {
    if (!valid_cp(cp)) return TB_BS_TYPE;
    uint32_t v = (uint32_t)small_val(cp);
    bool little = tb_bsf_little(flags);
    if (v < 0x10000) {
        put_u64(w, v, 16, little);
    } else {
        v -= 0x10000;
        put_u64(w, 0xD800 | (v >> 10), 16, little);
        put_u64(w, 0xDC00 | (v & 0x3FF), 16, little);
    }
    return TB_BS_OK;
}

TbBsErr tb_bs_put_utf32(TbBitWriter *w, Term cp, unsigned flags) {
    if (!valid_cp(cp)) return TB_BS_TYPE;
    put_u64(w, (uint64_t)small_val(cp), 32, tb_bsf_little(flags));
    return TB_BS_OK;
}

void tb_bs_put_string(TbBitWriter *w, const uint8_t *bytes, UWord nbytes) {
    if (nbytes) wr_bytes(w, bytes, nbytes);
}

/* ================= appends ================= */

/* ERTS's growth policy: double, or +20% beyond 16 MB. */
static inline size_t grow_size(size_t n) { return n > ((size_t)1 << 24) ? n + n / 5 : 2 * n; }

static Term new_sub(TbProcess *p, Term orig, UWord offs, UWord size) {
    TbSubBin *sb = (TbSubBin *)tb_halloc(p, SUB_BIN_WORDS);
    sb->header = make_header(SUB_BIN_WORDS - 1, HDR_SUB_SUB_BIN);
    sb->orig = orig;
    sb->bitoffs = offs;
    sb->bitsize = size;
    return make_boxed((Term *)sb);
}

/* A writable refc binary of capacity cap holding `used` bits, wrapped in a
 * sub binary (never hand out the ProcBin itself: its size changes). */
static Term new_writable(TbProcess *p, UWord used, size_t cap, TbProcBin **pbp) {
    TbBinary *b = tb_binary_try_alloc(cap);
    if (!b) return TB_NONE;
    Term pbt = tb_make_proc_bin(p, b, TB_NBYTES(used));
    TbProcBin *pb = (TbProcBin *)boxed_val(pbt);
    pb->flags = TB_PB_WRITABLE | TB_PB_ACTIVE_WRITER | (used << TB_PB_END_SHIFT);
    *pbp = pb;
    return new_sub(p, pbt, 0, used);
}

/* The writable ProcBin behind sb if sb ends where its writer stopped and
 * nobody else shares the buffer: then the bits after the end are free. */
static TbProcBin *appendable(const TbSubBin *sb) {
    Term *o = boxed_val(sb->orig);
    if (header_sub(*o) != HDR_SUB_REFC_BIN) return NULL;
    TbProcBin *pb = (TbProcBin *)o;
    if (!(pb->flags & TB_PB_WRITABLE)) return NULL;
    if (sb->bitoffs + sb->bitsize != tb_pb_end_bits(pb)) return NULL;
    if (!tb_binary_unique(pb->val)) return NULL;
    return pb;
}

/* Grow pb in place to end at new_end bits. */
static bool extend_in_place(TbProcess *p, TbProcBin *pb, UWord new_end) {
    size_t need = TB_NBYTES(new_end);
    if (need > pb->val->orig_size) {
        size_t cap = grow_size(need);
        if (cap > TB_BINARY_MAX_BYTES) cap = need;
        if (need > TB_BINARY_MAX_BYTES) return false;
        TbBinary *nb = realloc(pb->val, sizeof(TbBinary) + cap);
        if (!nb) return false;
        tb_binary_account((int64_t)cap - (int64_t)nb->orig_size);
        nb->orig_size = cap;
        pb->val = nb;
        pb->bytes = nb->data;
    }
    p->off_heap_bytes += need - pb->size;
    pb->size = need;
    pb->flags = TB_PB_WRITABLE | TB_PB_ACTIVE_WRITER | (new_end << TB_PB_END_SHIFT);
    return true;
}

Term tb_bs_append(TbProcess *p, Term bin, UWord extra_bits, UWord unit, TbBitWriter *w, TbBsErr *err) {
    const uint8_t *src;
    UWord soffs, size, used;
    if (!is_bitstring(bin)) { *err = TB_BS_TYPE; return TB_NONE; }
    w->base = NULL;
    w->pos = 0;
    Term *bp = boxed_val(bin);
    if (header_sub(*bp) == HDR_SUB_SUB_BIN) {
        TbSubBin *sb = (TbSubBin *)bp;
        TbProcBin *pb = appendable(sb);
        if (pb) {
            UWord end = sb->bitoffs + sb->bitsize;
            if (unit > 1 && sb->bitsize % unit) { *err = TB_BS_UNIT; return TB_NONE; }
            if (extra_bits == 0) return bin;
            if (__builtin_add_overflow(end, extra_bits, &used) || !extend_in_place(p, pb, used)) {
                *err = TB_BS_LIMIT;
                return TB_NONE;
            }
            w->base = pb->bytes;
            w->pos = end;
            return new_sub(p, sb->orig, sb->bitoffs, sb->bitsize + extra_bits);
        }
    }
    bitstring_view(bin, &src, &soffs, &size);
    if (unit > 1 && size % unit) { *err = TB_BS_UNIT; return TB_NONE; }
    if (extra_bits == 0) return bin;
    if (__builtin_add_overflow(size, extra_bits, &used) || (used >> 3) >= TB_BINARY_MAX_BYTES) {
        *err = TB_BS_LIMIT;
        return TB_NONE;
    }
    size_t cap = grow_size(TB_NBYTES(used));
    if (cap < 256) cap = 256;
    if (cap > TB_BINARY_MAX_BYTES) cap = TB_NBYTES(used);
    TbProcBin *pb;
    Term res = new_writable(p, used, cap, &pb);
    if (res == TB_NONE) { *err = TB_BS_LIMIT; return TB_NONE; }
    tb_copy_bits(src, soffs, pb->bytes, 0, size);
    w->base = pb->bytes;
    w->pos = size;
    return res;
}

Term tb_bs_private_append(TbProcess *p, Term bin, UWord extra_bits, UWord unit, TbBitWriter *w, TbBsErr *err) {
    if (is_boxed_sub(bin, HDR_SUB_SUB_BIN)) {
        TbSubBin *sb = (TbSubBin *)boxed_val(bin);
        TbProcBin *pb = appendable(sb);
        if (pb) {
            UWord end = sb->bitoffs + sb->bitsize, used;
            if (unit > 1 && sb->bitsize % unit) { *err = TB_BS_UNIT; return TB_NONE; }
            if (__builtin_add_overflow(end, extra_bits, &used) || !extend_in_place(p, pb, used)) {
                *err = TB_BS_LIMIT;
                return TB_NONE;
            }
            sb->bitsize += extra_bits;     /* the compiler guarantees nobody else sees sb */
            w->base = pb->bytes;
            w->pos = end;
            return bin;
        }
    }
    return tb_bs_append(p, bin, extra_bits, unit, w, err);
}

/* <<Acc/binary, V:Bits>> (Bits a multiple of 8, at most 64, big-endian) on a
 * private accumulator whose buffer still has room: the comprehension case,
 * in one step.  TB_NONE when the general path must do it. */
Term tb_bs_private_append_bytes(TbProcess *p, Term acc, uint64_t v, UWord bits) {
    if (!is_boxed_sub(acc, HDR_SUB_SUB_BIN)) return TB_NONE;
    TbSubBin *sb = (TbSubBin *)boxed_val(acc);
    TbProcBin *pb = appendable(sb);
    if (!pb) return TB_NONE;
    UWord end = sb->bitoffs + sb->bitsize;
    if ((end | sb->bitsize | bits) & 7) return TB_NONE;
    size_t need = (end + bits) >> 3;
    if (need > pb->val->orig_size) return TB_NONE;
    uint8_t *d = pb->bytes + (end >> 3);
    for (unsigned i = (unsigned)(bits >> 3); i-- > 0; v >>= 8) d[i] = (uint8_t)v;
    p->off_heap_bytes += need - pb->size;
    pb->size = need;
    pb->flags = TB_PB_WRITABLE | TB_PB_ACTIVE_WRITER | ((end + bits) << TB_PB_END_SHIFT);
    sb->bitsize += bits;
    return acc;
}

Term tb_bs_init_writable(TbProcess *p, Term size) {
    size_t cap = 1024;
    if (is_small(size) && small_val(size) >= 0) cap = (size_t)small_val(size);
    TbProcBin *pb;
    Term res = new_writable(p, 0, cap, &pb);
    if (res == TB_NONE) res = new_writable(p, 0, 1024, &pb);   /* absurd hint: ignore it */
    if (res == TB_NONE) abort();
    return res;
}

/* ================= matching ================= */

Term tb_bs_start_match(TbProcess *p, Term t) {
    if (!is_boxed(t)) return TB_NONE;
    Term *bp = boxed_val(t);
    unsigned sub = header_sub(*bp);
    if (sub == HDR_SUB_MATCHSTATE) return t;
    if (sub != HDR_SUB_HEAP_BIN && sub != HDR_SUB_REFC_BIN && sub != HDR_SUB_SUB_BIN) return TB_NONE;
    UWord offs, size = bitstring_bitsize(t);
    Term real = tb_real_binary(t, &offs);
    Term *rp = boxed_val(real);
    const uint8_t *base;
    if (header_sub(*rp) == HDR_SUB_REFC_BIN) {
        TbProcBin *pb = (TbProcBin *)rp;
        tb_proc_bin_freeze(pb);    /* appends in place would move or reuse the bytes */
        base = pb->bytes;
    } else {
        base = ((TbHeapBin *)rp)->data;
    }
    TbMatchState *ms = (TbMatchState *)tb_halloc(p, MATCH_STATE_WORDS);
    ms->header = make_header(MATCH_STATE_WORDS - 1, HDR_SUB_MATCHSTATE);
    ms->orig = real;
    ms->base = base;
    ms->offset = offs;
    ms->size = offs + size;
    return make_boxed((Term *)ms);
}

bool tb_bs_match_size_bits(Term size, UWord unit, UWord *bits) {
    if (!is_small(size)) return false;
    SWord s = small_val(size);
    if (s < 0) return false;
    return !__builtin_mul_overflow((UWord)s, unit, bits);
}

/* n (1..64) bits at off, big-endian. */
static inline uint64_t read_be(const uint8_t *b, UWord off, unsigned n) {
    const uint8_t *p = b + (off >> 3);
    unsigned sh = off & 7;
    if (sh == 0) {
        switch (n) {
        case 8: return p[0];
        case 16: return (uint64_t)p[0] << 8 | p[1];
        case 32: return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
        }
    }
    unsigned nbytes = (sh + n + 7) >> 3;
    unsigned __int128 acc = 0;
    for (unsigned i = 0; i < nbytes; i++) acc = (acc << 8) | p[i];
    acc >>= nbytes * 8 - sh - n;
    return n == 64 ? (uint64_t)acc : (uint64_t)acc & ((1ull << n) - 1);
}

/* n (1..64) bits at off as a little-endian field: whole bytes first, then the n%8 top bits. */
static inline uint64_t read_le(const uint8_t *b, UWord off, unsigned n) {
    unsigned nb = n >> 3, r = n & 7;
    uint64_t u = 0;
    for (unsigned i = 0; i < nb; i++) u |= read_be(b, off + 8 * i, 8) << (8 * i);
    if (r) u |= read_be(b, off + 8 * nb, r) << (8 * nb);
    return u;
}

static Term make_big_limbs(TbProcess *p, const UWord *l, UWord n, bool neg) {
    while (n > 0 && l[n - 1] == 0) n--;
    if (n == 0) return make_small(0);
    if (n == 1) {
        if (!neg && l[0] <= (UWord)MAX_SMALL) return make_small((SWord)l[0]);
        if (neg && l[0] <= (UWord)MAX_SMALL + 1) return make_small(-(SWord)(l[0] - 1) - 1);
    }
    Term *hp = tb_halloc(p, n + 1);
    hp[0] = make_header(n, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    memcpy(hp + 1, l, n * sizeof(UWord));
    return make_boxed(hp);
}

static Term get_wide(TbProcess *p, const uint8_t *b, UWord off, UWord n, unsigned flags) {
    UWord nl = (n + 63) / 64, local[64];
    UWord *l = nl <= 64 ? local : malloc(nl * sizeof(UWord));
    if (!l) abort();
    memset(l, 0, nl * sizeof(UWord));
    UWord nb = n >> 3;
    unsigned r = n & 7;
    /* Little-endian value bytes: byte j of the field's value goes to l[j/8]. */
    if (tb_bsf_little(flags)) {
        for (UWord j = 0; j < nb; j++) l[j >> 3] |= (UWord)get_byte_at(b, off + 8 * j) << (8 * (j & 7));
        if (r) l[nb >> 3] |= (UWord)get_bits8(b, off + 8 * nb, r) << (8 * (nb & 7));
    } else {
        /* top r bits first, then whole bytes from most to least significant */
        UWord pos = off;
        if (r) { l[nb >> 3] |= (UWord)get_bits8(b, pos, r) << (8 * (nb & 7)); pos += r; }
        for (UWord j = nb; j-- > 0; pos += 8) l[j >> 3] |= (UWord)get_byte_at(b, pos) << (8 * (j & 7));
    }
    bool neg = false;
    if ((flags & TB_BSF_SIGNED) && ((l[(n - 1) / 64] >> ((n - 1) % 64)) & 1)) {
        neg = true;
        if (n % 64) l[nl - 1] |= ~(UWord)0 << (n % 64);     /* sign-extend the top limb */
        unsigned carry = 1;                                  /* magnitude = -x */
        for (UWord i = 0; i < nl; i++) {
            UWord v = ~l[i] + carry;
            carry = carry && v == 0;
            l[i] = v;
        }
    }
    Term t = make_big_limbs(p, l, nl, neg);
    if (l != local) free(l);
    return t;
}

bool tb_bs_get_integer(TbProcess *p, TbMatchState *ms, UWord bits, unsigned flags, Term *out) {
    if (bits == 0) { *out = make_small(0); return true; }
    if (ms->size - ms->offset < bits) return false;
    if (bits <= 64) {
        uint64_t u = tb_bsf_little(flags) ? read_le(ms->base, ms->offset, (unsigned)bits)
                                          : read_be(ms->base, ms->offset, (unsigned)bits);
        ms->offset += bits;
        if ((flags & TB_BSF_SIGNED) && ((u >> (bits - 1)) & 1)) {
            SWord s = bits == 64 ? (SWord)u : (SWord)(u | (~0ull << bits));
            if (s >= MIN_SMALL) { *out = make_small(s); return true; }
            UWord mag = (UWord)0 - (UWord)s;
            *out = make_big_limbs(p, &mag, 1, true);
            return true;
        }
        if (u <= (uint64_t)MAX_SMALL) { *out = make_small((SWord)u); return true; }
        UWord l = u;
        *out = make_big_limbs(p, &l, 1, false);
        return true;
    }
    *out = get_wide(p, ms->base, ms->offset, bits, flags);
    ms->offset += bits;
    return true;
}

bool tb_bs_get_float(TbProcess *p, TbMatchState *ms, UWord bits, unsigned flags, Term *out) {
    double d;
    if (bits == 0) {           /* ERTS: a zero-size float segment matches 0.0 */
        *out = make_float_at(tb_halloc(p, FLOAT_WORDS), 0.0);
        return true;
    }
    if (ms->size - ms->offset < bits) return false;
    if (bits != 16 && bits != 32 && bits != 64) return false;
    uint64_t u = tb_bsf_little(flags) ? read_le(ms->base, ms->offset, (unsigned)bits)
                                      : read_be(ms->base, ms->offset, (unsigned)bits);
    if (bits == 64) {
        memcpy(&d, &u, 8);
    } else if (bits == 32) {
        uint32_t x = (uint32_t)u;
        float f;
        memcpy(&f, &x, 4);
        d = f;
    } else {
        d = tb_half_to_double((uint16_t)u);
    }
    if (!isfinite(d)) return false;
    ms->offset += bits;
    *out = make_float_at(tb_halloc(p, FLOAT_WORDS), d);
    return true;
}

bool tb_bs_get_binary(TbProcess *p, TbMatchState *ms, UWord bits, Term *out) {
    if (ms->size - ms->offset < bits) return false;
    *out = tb_make_sub_binary(p, ms->orig, ms->offset, bits);
    ms->offset += bits;
    return true;
}

bool tb_bs_get_binary_all(TbProcess *p, TbMatchState *ms, UWord unit, Term *out) {
    UWord rest = ms->size - ms->offset;
    if (unit > 1 && rest % unit) return false;
    *out = tb_make_sub_binary(p, ms->orig, ms->offset, rest);
    ms->offset = ms->size;
    return true;
}

Term tb_bs_get_tail(TbProcess *p, const TbMatchState *ms) {
    return tb_make_sub_binary(p, ms->orig, ms->offset, ms->size - ms->offset);
}

bool tb_bs_get_utf8(TbMatchState *ms, Term *out) {
    UWord rest = ms->size - ms->offset;
    if (rest < 8) return false;
    unsigned c = get_byte_at(ms->base, ms->offset), n;
    uint32_t cp;
    if (c < 0x80) { ms->offset += 8; *out = make_small(c); return true; }
    if (c < 0xC0) return false;
    else if (c < 0xE0) { n = 2; cp = c & 0x1F; }
    else if (c < 0xF0) { n = 3; cp = c & 0x0F; }
    else if (c < 0xF8) { n = 4; cp = c & 0x07; }
    else return false;
    if (rest < 8 * n) return false;
    for (unsigned i = 1; i < n; i++) {
        unsigned cc = get_byte_at(ms->base, ms->offset + 8 * i);
        if ((cc & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    ms->offset += 8 * n;
    *out = make_small(cp);
    return true;
}

bool tb_bs_get_utf16(TbMatchState *ms, unsigned flags, Term *out) {
    bool little = tb_bsf_little(flags);
    UWord rest = ms->size - ms->offset;
    if (rest < 16) return false;
    unsigned w1 = (unsigned)(little ? read_le(ms->base, ms->offset, 16) : read_be(ms->base, ms->offset, 16));
    if (w1 < 0xD800 || w1 > 0xDFFF) { ms->offset += 16; *out = make_small(w1); return true; }
    if (w1 > 0xDBFF || rest < 32) return false;
    unsigned w2 = (unsigned)(little ? read_le(ms->base, ms->offset + 16, 16) : read_be(ms->base, ms->offset + 16, 16));
    if (w2 < 0xDC00 || w2 > 0xDFFF) return false;
    ms->offset += 32;
    *out = make_small(0x10000 + (((SWord)w1 & 0x3FF) << 10) + (w2 & 0x3FF));
    return true;
}

bool tb_bs_get_utf32(TbMatchState *ms, unsigned flags, Term *out) {
    if (ms->size - ms->offset < 32) return false;
    uint64_t v = tb_bsf_little(flags) ? read_le(ms->base, ms->offset, 32) : read_be(ms->base, ms->offset, 32);
    if (v >= 0x110000 || (v >= 0xD800 && v <= 0xDFFF)) return false;
    ms->offset += 32;
    *out = make_small((SWord)v);
    return true;
}

bool tb_bs_match_string(TbMatchState *ms, const uint8_t *bytes, UWord bits) {
    if (ms->size - ms->offset < bits) return false;
    if (tb_cmp_bits(ms->base, ms->offset, bytes, 0, bits) != 0) return false;
    ms->offset += bits;
    return true;
}
