/* big.c — bignum construction and conversions (text, doubles, bytes).
 * The arithmetic itself is in arith.c. */
#include "big.h"
#include "atom.h"
#include <gmp.h>
#include <math.h>
#include <stdlib.h>

_Static_assert(sizeof(mp_limb_t) == sizeof(UWord), "GMP limbs must be 64-bit");

/* Temporary limb/byte space: on the stack when small, else malloc'd. */
#define TMP_STACK 512
typedef struct { void *p; unsigned char stack[TMP_STACK]; } Tmp;
static void *tmp_get(Tmp *t, size_t bytes) {
    t->p = bytes <= TMP_STACK ? t->stack : malloc(bytes);
    if (!t->p) abort();
    return t->p;
}
static void tmp_free(Tmp *t) { if (t->p != t->stack) free(t->p); }

static Term system_limit(TbProcess *p) { return tb_error(p, AM(system_limit)); }

/* ---- heap ---- */

/* Give back [from, end), the unused tail of the latest allocation. */
static void heap_giveback(TbProcess *p, Term *from, Term *end) {
    if (from == end) return;
    if (p->htop == end) { p->htop = from; return; }
    TbHeapFrag *f = p->frags;
    if (f && f->mem + f->used == end) { f->used -= (size_t)(end - from); return; }
    /* not the latest allocation: keep the heap walkable with a dead bignum */
    *from = make_header((UWord)(end - from - 1), HDR_SUB_POS_BIG);
}

static inline bool mag_fits_small(UWord m, bool neg) {
    return neg ? m <= (UWord)MAX_SMALL + 1 : m <= (UWord)MAX_SMALL;
}

Term tb_big_finish(TbProcess *p, Term *hp, size_t alloc, size_t n, bool neg) {
    UWord *l = (UWord *)hp + 1;
    while (n > 0 && l[n - 1] == 0) n--;
    if (n <= 1) {
        UWord m = n ? l[0] : 0;
        if (mag_fits_small(m, neg)) {
            heap_giveback(p, hp, hp + 1 + alloc);
            return make_small(neg ? (SWord)-m : (SWord)m);
        }
    }
    if (n > TB_BIG_MAX_LIMBS) {
        heap_giveback(p, hp, hp + 1 + alloc);
        return system_limit(p);
    }
    hp[0] = make_header(n, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    heap_giveback(p, hp + 1 + n, hp + 1 + alloc);
    return make_boxed(hp);
}

/* ---- making integers ---- */

static Term one_limb(TbProcess *p, UWord m, bool neg) {
    if (mag_fits_small(m, neg)) return make_small(neg ? (SWord)-m : (SWord)m);
    Term *hp = tb_halloc(p, 2);
    hp[0] = make_header(1, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    hp[1] = m;
    return make_boxed(hp);
}

Term tb_make_integer(TbProcess *p, SWord v) {
    if (fits_small(v)) return make_small(v);
    return one_limb(p, v < 0 ? -(UWord)v : (UWord)v, v < 0);
}

Term tb_make_uinteger(TbProcess *p, UWord v) {
    if (v <= (UWord)MAX_SMALL) return make_small((SWord)v);
    return one_limb(p, v, false);
}

Term tb_make_integer128(TbProcess *p, __int128 v) {
    bool neg = v < 0;
    unsigned __int128 m = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    UWord hi = (UWord)(m >> 64), lo = (UWord)m;
    if (!hi) return one_limb(p, lo, neg);
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_header(2, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    hp[1] = lo;
    hp[2] = hi;
    return make_boxed(hp);
}

Term tb_big_from_limbs(TbProcess *p, const UWord *limbs, size_t n, bool neg) {
    while (n > 0 && limbs[n - 1] == 0) n--;
    if (n <= 1) return one_limb(p, n ? limbs[0] : 0, neg);
    if (n > TB_BIG_MAX_LIMBS) return system_limit(p);
    Term *hp = tb_halloc(p, n + 1);
    hp[0] = make_header(n, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    memcpy(hp + 1, limbs, n * sizeof(UWord));
    return make_boxed(hp);
}

Term tb_integer_from_bytes(TbProcess *p, const uint8_t *le, size_t n, bool negative) {
    while (n > 0 && le[n - 1] == 0) n--;
    size_t nl = (n + 7) / 8;
    if (nl <= 1) {
        UWord m = 0;
        for (size_t k = n; k-- > 0;) m = m << 8 | le[k];
        return one_limb(p, m, negative);
    }
    if (nl > TB_BIG_MAX_LIMBS) return system_limit(p);
    Term *hp = tb_halloc(p, nl + 1);
    UWord *l = (UWord *)hp + 1;
    l[nl - 1] = 0;
    for (size_t k = 0; k < n; k++) {
        if ((k & 7) == 0) l[k >> 3] = 0;
        l[k >> 3] |= (UWord)le[k] << (8 * (k & 7));
    }
    hp[0] = make_header(nl, negative ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    return make_boxed(hp);
}

Term tb_integer_from_twos_le(TbProcess *p, const uint8_t *le, size_t n, bool is_signed) {
    if (!is_signed || n == 0 || !(le[n - 1] & 0x80)) return tb_integer_from_bytes(p, le, n, false);
    size_t nl = (n + 7) / 8;
    if (nl > TB_BIG_MAX_LIMBS + 1) return system_limit(p);
    Term *hp = tb_big_alloc(p, nl);
    UWord *l = (UWord *)hp + 1;
    for (size_t j = 0; j < nl; j++) l[j] = ~(UWord)0;    /* sign extension */
    for (size_t k = 0; k < n; k++) {
        UWord sh = 8 * (k & 7);
        l[k >> 3] = (l[k >> 3] & ~((UWord)0xFF << sh)) | (UWord)le[k] << sh;
    }
    /* magnitude = -value: complement and add one */
    UWord carry = 1;
    for (size_t j = 0; j < nl; j++) { l[j] = ~l[j] + carry; carry = carry && l[j] == 0; }
    return tb_big_finish(p, hp, nl, nl, true);
}

Term tb_double_to_integer(TbProcess *p, double d) {
    d = trunc(d);
    if (d > -9.2e18 && d < 9.2e18) return tb_make_integer(p, (SWord)d);
    bool neg = d < 0;
    int e;
    double m = frexp(fabs(d), &e);                 /* |d| = m * 2^e, e >= 63 */
    UWord mant = (UWord)ldexp(m, 53);              /* exact 53-bit integer */
    unsigned sh = (unsigned)(e - 53);              /* |d| = mant << sh */
    size_t n = (53 + sh + 63) / 64;
    Term *hp = tb_halloc(p, n + 1);
    UWord *l = (UWord *)hp + 1;
    memset(l, 0, n * sizeof(UWord));
    size_t w = sh / 64, b = sh % 64;
    l[w] = mant << b;
    if (b && w + 1 < n) l[w + 1] = mant >> (64 - b);
    hp[0] = make_header(n, neg ? HDR_SUB_NEG_BIG : HDR_SUB_POS_BIG);
    return make_boxed(hp);
}

/* ---- reading integers ---- */

static int mag_cmp(const TbIntView *a, const TbIntView *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    return a->n ? mpn_cmp(a->d, b->d, (mp_size_t)a->n) : 0;
}

int tb_big_cmp(Term a, Term b) {
    if (is_small(a) && is_small(b)) {
        SWord x = small_val(a), y = small_val(b);
        return x < y ? -1 : x > y;
    }
    TbIntView va, vb;
    tb_int_view(a, &va);
    tb_int_view(b, &vb);
    if (va.neg != vb.neg) return va.neg ? -1 : 1;
    int c = mag_cmp(&va, &vb);
    return va.neg ? -c : c;
}

/* ERTS's big_to_double: d = d * 2^64 + limb from the top, each step rounded
 * (so not always the nearest double); overflow at any step fails. */
__attribute__((optimize("fp-contract=off")))
bool tb_integer_to_double(Term i, double *out) {
    if (is_small(i)) { *out = (double)small_val(i); return true; }
    const UWord *l = big_limbs(i);
    double d = 0.0;
    for (size_t k = big_size(i); k-- > 0;) {
        d = d * 18446744073709551616.0 + (double)l[k];
        if (!isfinite(d)) return false;
    }
    *out = big_sign(i) ? -d : d;
    return true;
}

bool tb_integer_to_int64(Term i, int64_t *out) {
    if (is_small(i)) { *out = small_val(i); return true; }
    if (!is_big(i) || big_size(i) != 1) return false;
    UWord m = big_limbs(i)[0];
    if (big_sign(i)) {
        if (m > (UWord)INT64_MAX + 1) return false;
        *out = (int64_t)-m;
    } else {
        if (m > (UWord)INT64_MAX) return false;
        *out = (int64_t)m;
    }
    return true;
}

bool tb_integer_to_uint64(Term i, uint64_t *out) {
    if (is_small(i)) {
        if (small_val(i) < 0) return false;
        *out = (uint64_t)small_val(i);
        return true;
    }
    if (!is_big(i) || big_sign(i) || big_size(i) != 1) return false;
    *out = big_limbs(i)[0];
    return true;
}

size_t tb_integer_magnitude_bytes(Term i, uint8_t *out, size_t cap, bool *negative) {
    TbIntView v;
    tb_int_view(i, &v);
    *negative = v.neg;
    if (v.n == 0) return 0;
    UWord top = v.d[v.n - 1];
    size_t nb = (v.n - 1) * 8 + (size_t)(64 - __builtin_clzll(top) + 7) / 8;
    if (cap < nb) return nb;
    for (size_t k = 0; k < nb; k++) out[k] = (uint8_t)(v.d[k >> 3] >> (8 * (k & 7)));
    return nb;
}

void tb_integer_twos_le(Term i, uint8_t *out, size_t nbytes) {
    TbIntView v;
    tb_int_view(i, &v);
    size_t have = v.n * 8;
    unsigned carry = 1;
    for (size_t k = 0; k < nbytes; k++) {
        unsigned b = k < have ? (unsigned)(v.d[k >> 3] >> (8 * (k & 7))) & 0xFF : 0;
        if (v.neg) { b = (~b & 0xFF) + carry; carry = b >> 8; }
        out[k] = (uint8_t)b;
    }
}

UWord tb_integer_bit_length(Term i) {
    TbIntView v;
    tb_int_view(i, &v);
    if (v.n == 0) return 0;
    return (UWord)(v.n - 1) * 64 + (UWord)(64 - __builtin_clzll(v.d[v.n - 1]));
}

/* ---- text ---- */

static const char DIGITS[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static size_t small_to_chars(SWord v, unsigned base, char *buf, size_t cap) {
    char tmp[72], *e = tmp + sizeof tmp, *s = e;
    UWord u = v < 0 ? -(UWord)v : (UWord)v;
    if (base == 10) do { *--s = (char)('0' + u % 10); u /= 10; } while (u);
    else do { *--s = DIGITS[u % base]; u /= base; } while (u);
    if (v < 0) *--s = '-';
    size_t len = (size_t)(e - s);
    if (len <= cap) memcpy(buf, s, len);
    return len;
}

size_t tb_integer_to_chars(Term i, unsigned base, char *buf, size_t cap) {
    if (is_small(i)) return small_to_chars(small_val(i), base, buf, cap);
    size_t n = big_size(i);
    const UWord *l = big_limbs(i);
    size_t sign = big_sign(i);
    size_t bound = mpn_sizeinbase(l, (mp_size_t)n, (int)base) + sign;  /* exact or 1 more */
    if (cap < bound) return bound;
    /* mpn_get_str wants room for any n-limb number plus one */
    size_t room = (size_t)ceil((double)n * 64.0 / log2((double)base)) + 2;
    Tmp ts, tl;
    unsigned char *s = cap - sign >= room ? (unsigned char *)buf + sign : tmp_get(&ts, room);
    mp_limb_t *src = (mp_limb_t *)l;
    if (base & (base - 1)) {                        /* clobbers its input unless base is 2^k */
        src = tmp_get(&tl, n * sizeof(UWord));
        memcpy(src, l, n * sizeof(UWord));
    }
    size_t len = mpn_get_str(s, (int)base, src, (mp_size_t)n);
    if (src != (mp_limb_t *)l) tmp_free(&tl);
    size_t z = 0;
    while (z + 1 < len && s[z] == 0) z++;          /* leading zeros may appear */
    len -= z;
    char *o = buf + sign;
    for (size_t k = 0; k < len; k++) o[k] = DIGITS[s[z + k]];
    if (s != (unsigned char *)buf + sign) tmp_free(&ts);
    if (sign) buf[0] = '-';
    return len + sign;
}

static inline unsigned digit_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

Term tb_chars_to_integer(TbProcess *p, const char *s, size_t len, unsigned base) {
    if (base < 2 || base > 36) BADARG(p);
    bool neg = false;
    if (len && (s[0] == '-' || s[0] == '+')) { neg = s[0] == '-'; s++; len--; }
    if (len == 0) BADARG(p);
    while (len && *s == '0') { s++; len--; }
    if (len == 0) return make_small(0);
    const unsigned char *u = (const unsigned char *)s;
    UWord acc = 0;
    size_t k;
    for (k = 0; k < len; k++) {
        unsigned dv = digit_value(u[k]);
        if (dv >= base) BADARG(p);
        if (__builtin_mul_overflow(acc, (UWord)base, &acc) || __builtin_add_overflow(acc, (UWord)dv, &acc)) break;
    }
    if (k == len) return one_limb(p, acc, neg);
    /* Bignum: validate the rest, then GMP's subquadratic conversion. */
    for (size_t j = k; j < len; j++)
        if (digit_value(u[j]) >= base) BADARG(p);
    double bits_per_digit = log2((double)base);
    if ((double)(len - 1) * bits_per_digit >= (double)TB_BIG_MAX_LIMBS * 64.0) return system_limit(p);
    Tmp td;
    unsigned char *dig = tmp_get(&td, len);
    for (size_t j = 0; j < len; j++) dig[j] = (unsigned char)digit_value(u[j]);
    size_t room = (size_t)((double)len * bits_per_digit / 64.0) + 3;
    Term *hp = tb_big_alloc(p, room);
    size_t rn = (size_t)mpn_set_str((mp_limb_t *)hp + 1, dig, len, (int)base);
    tmp_free(&td);
    return tb_big_finish(p, hp, room, rn, neg);
}
