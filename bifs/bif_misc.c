/* bif_misc.c — checksums (crc32/adler32 through zlib, md5 with ERTS's
 * context layout), tuple insert/delete, unique integers and a few small
 * process BIFs (get_keys/1, bump_reductions/1, yield/0, display_nl/0). */
#include "bif.h"
#include "../emu/pdict.h"
#include "../emu/binary.h"
#include "../emu/compare.h"
#include "../emu/big.h"
#include <zlib.h>
#include <stdio.h>
#include <stdlib.h>

#define CONTEXT_REDS 4000      /* ERTS's reductions per time slice */

/* ---------------- iodata walking ----------------
 * Walked like ERTS's do_chksum: runs of list bytes are summed through a
 * small buffer, binaries in place, and every binary is passed on even when
 * empty (zlib's adler32 then normalises its input sum, as in ERTS:
 * erlang:adler32(16#FFFFFFFF, <<>>) is 917518, but with [] it is unchanged).
 * The bytes are never all copied; deep lists use an explicit stack. */

typedef void (*SumFn)(void *state, const uint8_t *bytes, size_t n);

static void feed_binary(Term bin, SumFn fn, void *state) {
    const uint8_t *b;
    UWord off, bits;
    bitstring_view(bin, &b, &off, &bits);
    if (off % 8 == 0) {
        fn(state, bits ? b + off / 8 : (const uint8_t *)"", bits / 8);
        return;
    }
    size_t len;
    uint8_t *tmp;
    b = tb_binary_aligned_bytes(bin, &len, &tmp);
    fn(state, b && len ? b : (const uint8_t *)"", len);
    free(tmp);
}

static bool feed_iodata(Term t, SumFn fn, void *state) {
    Term local_stack[32], *stack = local_stack;
    size_t sp = 0, cap = 32, nrun = 0;
    uint8_t run[512];
    bool ok = true;
    for (;;) {
        if (is_list(t)) {
            Term h = CAR(list_val(t));
            t = CDR(list_val(t));
            if (is_small(h) && (UWord)small_val(h) <= 255) {
                run[nrun++] = (uint8_t)small_val(h);
                if (nrun == sizeof run) { fn(state, run, nrun); nrun = 0; }
                continue;
            }
            if (nrun) { fn(state, run, nrun); nrun = 0; }
            if (is_binary(h)) { feed_binary(h, fn, state); continue; }
            if (h == NIL) continue;
            if (!is_list(h)) { ok = false; break; }
            if (sp == cap) {                      /* rare: nesting deeper than 32 */
                Term *n = malloc(2 * cap * sizeof(Term));
                if (!n) abort();
                memcpy(n, stack, sp * sizeof(Term));
                if (stack != local_stack) free(stack);
                stack = n;
                cap *= 2;
            }
            stack[sp++] = t;                      /* the rest of this list, for later */
            t = h;
            continue;
        }
        if (nrun) { fn(state, run, nrun); nrun = 0; }
        if (is_binary(t)) feed_binary(t, fn, state);   /* a whole binary or a binary tail */
        else if (t != NIL) { ok = false; break; }
        if (sp == 0) break;
        t = stack[--sp];
    }
    if (stack != local_stack) free(stack);
    return ok;
}

/* ---------------- crc32 / adler32 ---------------- */

/* A checksum or length argument: 0..2^32-1 (always a small on 64-bit). */
static bool get_u32(Term t, uLong *out) {
    if (!is_small(t) || small_val(t) < 0 || small_val(t) > (SWord)0xFFFFFFFF) return false;
    *out = (uLong)small_val(t);
    return true;
}

/* bytes is never NULL: zlib would take that as "give the initial value". */
static void crc_fn(void *s, const uint8_t *b, size_t n) { *(uLong *)s = crc32_z(*(uLong *)s, b, n); }
static void adler_fn(void *s, const uint8_t *b, size_t n) { *(uLong *)s = adler32_z(*(uLong *)s, b, n); }

static Term checksum(TbProcess *p, uLong init, Term data, SumFn fn) {
    uLong sum = init;
    if (!feed_iodata(data, fn, &sum)) BADARG(p);
    return make_small((SWord)(sum & 0xFFFFFFFF));
}

BIF_DECL(bif_crc32_1) { return checksum(p, 0, args[0], crc_fn); }
BIF_DECL(bif_adler32_1) { return checksum(p, 1, args[0], adler_fn); }

BIF_DECL(bif_crc32_2) {
    uLong c;
    if (!get_u32(args[0], &c)) BADARG(p);
    return checksum(p, c, args[1], crc_fn);
}

BIF_DECL(bif_adler32_2) {
    uLong c;
    if (!get_u32(args[0], &c)) BADARG(p);
    return checksum(p, c, args[1], adler_fn);
}

BIF_DECL(bif_crc32_combine_3) {
    uLong a, b, len;
    if (!get_u32(args[0], &a) || !get_u32(args[1], &b) || !get_u32(args[2], &len)) BADARG(p);
    return make_small((SWord)(crc32_combine(a, b, (z_off_t)len) & 0xFFFFFFFF));
}

BIF_DECL(bif_adler32_combine_3) {
    uLong a, b, len;
    if (!get_u32(args[0], &a) || !get_u32(args[1], &b) || !get_u32(args[2], &len)) BADARG(p);
    /* zlib misbehaves for length 0; ERTS returns the first sum. */
    uLong r = len == 0 ? a : adler32_combine(a, b, (z_off_t)len);
    return make_small((SWord)(r & 0xFFFFFFFF));
}

/* ---------------- md5 ----------------
 * The context term is ERTS's: the raw bytes of an RFC 1321 MD5_CTX
 * (uint32 state[4], uint32 bit count[2] low word first, 64-byte buffer),
 * 88 bytes in native byte order.  Any 88-byte binary is accepted, like ERTS. */

typedef struct {
    uint32_t state[4];
    uint32_t count[2];
    uint8_t buffer[64];
} Md5Ctx;
_Static_assert(sizeof(Md5Ctx) == 88, "ERTS md5 context is 88 bytes");

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const uint8_t md5_r[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

static inline uint32_t rotl32(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static void md5_block(uint32_t st[4], const uint8_t *blk) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 | (uint32_t)blk[4 * i + 2] << 16 |
               (uint32_t)blk[4 * i + 3] << 24;
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g, round = i >> 4;
        switch (round) {
        case 0: f = (b & c) | (~b & d); g = i; break;
        case 1: f = (d & b) | (~d & c); g = (5 * i + 1) & 15; break;
        case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15; break;
        default: f = c ^ (b | ~d); g = (7 * i) & 15; break;
        }
        uint32_t tmp = d;
        d = c;
        c = b;
        b += rotl32(a + f + md5_k[i] + m[g], md5_r[round * 4 + (i & 3)]);
        a = tmp;
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d;
}

static void md5_init(Md5Ctx *c) {
    memset(c, 0, sizeof *c);
    c->state[0] = 0x67452301; c->state[1] = 0xefcdab89;
    c->state[2] = 0x98badcfe; c->state[3] = 0x10325476;
}

static void md5_update(Md5Ctx *c, const uint8_t *in, size_t n) {
    size_t idx = (c->count[0] >> 3) & 63;
    uint64_t bits = ((uint64_t)c->count[1] << 32 | c->count[0]) + ((uint64_t)n << 3);
    c->count[0] = (uint32_t)bits;
    c->count[1] = (uint32_t)(bits >> 32);
    size_t i = 0;
    if (n >= 64 - idx) {
        memcpy(c->buffer + idx, in, 64 - idx);
        md5_block(c->state, c->buffer);
        for (i = 64 - idx; i + 64 <= n; i += 64) md5_block(c->state, in + i);
        idx = 0;
    }
    memcpy(c->buffer + idx, in + i, n - i);
}

static void md5_final(Md5Ctx *c, uint8_t out[16]) {
    static const uint8_t pad[64] = { 0x80 };
    uint8_t len[8];
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(c->count[i >> 2] >> (8 * (i & 3)));
    size_t idx = (c->count[0] >> 3) & 63;
    md5_update(c, pad, idx < 56 ? 56 - idx : 120 - idx);
    md5_update(c, len, 8);
    for (int i = 0; i < 16; i++) out[i] = (uint8_t)(c->state[i >> 2] >> (8 * (i & 3)));
}

static void md5_fn(void *s, const uint8_t *b, size_t n) { md5_update((Md5Ctx *)s, b, n); }

/* The context argument: an 88-byte binary (any bit offset). */
static bool get_md5_ctx(Term t, Md5Ctx *c) {
    if (!is_binary(t)) return false;
    size_t len;
    uint8_t *tmp;
    const uint8_t *b = tb_binary_aligned_bytes(t, &len, &tmp);
    bool ok = len == sizeof *c;
    if (ok) memcpy(c, b, sizeof *c);
    free(tmp);
    return ok;
}

BIF_DECL(bif_md5_1) {
    Md5Ctx c;
    uint8_t digest[16];
    md5_init(&c);
    if (!feed_iodata(args[0], md5_fn, &c)) BADARG(p);
    md5_final(&c, digest);
    return tb_new_binary(p, digest, 16);
}

BIF_DECL(bif_md5_init_0) {
    (void)args;
    Md5Ctx c;
    md5_init(&c);
    return tb_new_binary(p, (const uint8_t *)&c, sizeof c);
}

BIF_DECL(bif_md5_update_2) {
    Md5Ctx c;
    if (!get_md5_ctx(args[0], &c) || !feed_iodata(args[1], md5_fn, &c)) BADARG(p);
    return tb_new_binary(p, (const uint8_t *)&c, sizeof c);
}

BIF_DECL(bif_md5_final_1) {
    Md5Ctx c;
    uint8_t digest[16];
    if (!get_md5_ctx(args[0], &c)) BADARG(p);
    md5_final(&c, digest);
    return tb_new_binary(p, digest, 16);
}

/* ---------------- tuples ---------------- */

BIF_DECL(bif_delete_element_2) {
    if (!is_small(args[0]) || !is_tuple(args[1])) BADARG(p);
    UWord ar = tuple_arity(args[1]), k = (UWord)small_val(args[0]);
    if (k - 1 >= ar) BADARG(p);                  /* k in 1..ar (k <= 0 wraps) */
    const Term *t = tuple_val(args[1]);
    Term *hp = tb_halloc(p, ar);
    hp[0] = make_arityval(ar - 1);
    memcpy(hp + 1, t + 1, (k - 1) * sizeof(Term));
    memcpy(hp + k, t + k + 1, (ar - k) * sizeof(Term));
    return make_boxed(hp);
}

BIF_DECL(bif_insert_element_3) {
    if (!is_small(args[0]) || !is_tuple(args[1])) BADARG(p);
    UWord ar = tuple_arity(args[1]), k = (UWord)small_val(args[0]);
    if (k - 1 > ar) BADARG(p);                   /* k in 1..ar+1 */
    const Term *t = tuple_val(args[1]);
    Term *hp = tb_halloc(p, ar + 2);
    hp[0] = make_arityval(ar + 1);
    memcpy(hp + 1, t + 1, (k - 1) * sizeof(Term));
    hp[k] = args[2];
    memcpy(hp + k + 1, t + k, (ar + 1 - k) * sizeof(Term));
    return make_boxed(hp);
}

/* ---------------- unique integers ----------------
 * Monotonic ones share one counter (like ERTS): positive ones start at 1,
 * the others at MIN_SMALL.  Plain unique ones have their own counter with
 * the same two offsets.  Atomics keep this right once there are several
 * schedulers. */

static uint64_t unique_ctr, monotonic_ctr;

static Term unique_value(TbProcess *p, bool positive, bool monotonic) {
    uint64_t raw = __atomic_fetch_add(monotonic ? &monotonic_ctr : &unique_ctr, 1, __ATOMIC_RELAXED);
    if (positive) return tb_make_uinteger(p, raw + 1);
    if (raw <= (uint64_t)MAX_SMALL - (uint64_t)MIN_SMALL) return make_small(MIN_SMALL + (SWord)raw);
    return tb_make_uinteger(p, raw - ((uint64_t)MAX_SMALL + 1));   /* past the small range */
}

static bool atom_named(Term t, const char *s) {
    if (!is_atom(t)) return false;
    const TbAtom *a = atom_entry(t);
    size_t n = strlen(s);
    return a->len == n && memcmp(a->name, s, n) == 0;
}

BIF_DECL(bif_unique_integer_0) { (void)args; return unique_value(p, false, false); }

BIF_DECL(bif_unique_integer_1) {
    bool positive = false, monotonic = false;
    Term l = args[0];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == AM(positive)) positive = true;
        else if (atom_named(o, "monotonic")) monotonic = true;
        else BADARG(p);
    }
    if (l != NIL) BADARG(p);
    return unique_value(p, positive, monotonic);
}

/* ---------------- small process BIFs ---------------- */

/* Charges up to one time slice.  Note: the interpreter keeps FCALLS in a
 * local while running; it must reload p->fcalls after a BIF for this to
 * shorten the slice (ERTS: BIF_RET2). */
BIF_DECL(bif_bump_reductions_1) {
    if (!is_small(args[0]) || small_val(args[0]) < 0) BADARG(p);
    SWord reds = small_val(args[0]);
    p->fcalls -= reds > CONTEXT_REDS ? CONTEXT_REDS : reds;
    return AM_true;
}

/* Single scheduler for now: nothing else could run. */

BIF_DECL(bif_display_nl_0) {
    (void)p; (void)args;
    fputc('\n', stderr);
    return AM_true;
}

/* Keys whose value is =:= Val, in ERTS's dictionary order. */
BIF_DECL(bif_get_keys_1) { return tb_pd_keys_of(p, args[0]); }
