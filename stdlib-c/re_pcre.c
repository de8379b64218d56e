/* re_pcre.c — PCRE2 under the re BIFs, made to behave like ERTS 25's
 * bundled PCRE 8.44:
 *  - ERTS's character tables are Latin-1 (\w, [:alpha:], caseless matching
 *    know 0xC0..0xFF); PCRE2's built-in ones are ASCII, so tables are built
 *    here from the classes measured on ERTS 25;
 *  - PCRE 8 takes the pattern as a C string (it ends at the first NUL) and
 *    knows (*UTF8) as well as (*UTF);
 *  - compile errors get PCRE 8's message texts (ERTS passes them on);
 *  - the Binary of {re_pattern, N, Unicode, UseCRLF, Binary} holds the
 *    options and the pattern text under a SipHash-2-4 tag (fixed key, so a
 *    pattern made by another tbeam is accepted; any change is rejected),
 *    and compiled code is kept in a small cache keyed by that text. */
#include "re_int.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- Latin-1 character tables ---------------- */

/* Layout of PCRE2's tables (pcre2_internal.h): lower-case map, flip-case
 * map, ten 32-byte class bitmaps, then a ctype byte per character. */
enum { T_LCC = 0, T_FCC = 256, T_CBITS = 512, T_CTYPES = 512 + 320, T_LEN = 512 + 320 + 256 };
enum { CB_SPACE = 0, CB_XDIGIT = 32, CB_DIGIT = 64, CB_UPPER = 96, CB_LOWER = 128, CB_WORD = 160,
       CB_GRAPH = 192, CB_PRINT = 224, CB_PUNCT = 256, CB_CNTRL = 288 };
enum { CT_SPACE = 1, CT_LETTER = 2, CT_LCLETTER = 4, CT_DIGIT = 8, CT_WORD = 16 };

static uint8_t l1_tables[T_LEN];

static bool l1_upper(int c) { return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7); }
static bool l1_lower(int c) {
    return (c >= 'a' && c <= 'z') || c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xDF && c != 0xF7);
}
static bool l1_digit(int c) { return c >= '0' && c <= '9'; }
static bool l1_alpha(int c) { return l1_upper(c) || l1_lower(c); }
static bool l1_space(int c) { return (c >= 9 && c <= 13) || c == ' '; }
static bool l1_cntrl(int c) { return c < 32 || (c >= 127 && c < 160); }
static bool l1_graph(int c) { return (c > 32 && c < 127) || c >= 160; }
static bool l1_xdigit(int c) { return l1_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int l1_tolower(int c) { return l1_upper(c) ? c + 32 : c; }
static int l1_toupper(int c) { return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ? c - 32 : c; }

static void build_tables(void) {
    uint8_t *t = l1_tables;
    for (int c = 0; c < 256; c++) {
        bool al = l1_alpha(c), dg = l1_digit(c);
        t[T_LCC + c] = (uint8_t)l1_tolower(c);
        t[T_FCC + c] = (uint8_t)(l1_lower(c) ? l1_toupper(c) : l1_tolower(c));
        uint8_t *cb = t + T_CBITS, bit = (uint8_t)(1u << (c & 7));
        int i = c / 8;
        if (dg) cb[CB_DIGIT + i] |= bit;
        if (l1_upper(c)) cb[CB_UPPER + i] |= bit;
        if (l1_lower(c)) cb[CB_LOWER + i] |= bit;
        if (al || dg || c == '_') cb[CB_WORD + i] |= bit;
        if (l1_space(c)) cb[CB_SPACE + i] |= bit;
        if (l1_xdigit(c)) cb[CB_XDIGIT + i] |= bit;
        if (l1_graph(c)) cb[CB_GRAPH + i] |= bit;
        if (l1_graph(c) || c == ' ') cb[CB_PRINT + i] |= bit;
        if (l1_graph(c) && !al && !dg) cb[CB_PUNCT + i] |= bit;
        if (l1_cntrl(c)) cb[CB_CNTRL + i] |= bit;
        t[T_CTYPES + c] = (uint8_t)((l1_space(c) ? CT_SPACE : 0) | (al ? CT_LETTER : 0) |
                                    (l1_lower(c) ? CT_LCLETTER : 0) | (dg ? CT_DIGIT : 0) |
                                    (al || dg || c == '_' ? CT_WORD : 0));
    }
}

/* ---------------- contexts ---------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pcre2_general_context *gctx;
static pcre2_compile_context *cctx;

static void init(void) {
    build_tables();
    gctx = pcre2_general_context_create(NULL, NULL, NULL);
    cctx = pcre2_compile_context_create(gctx);
    if (!gctx || !cctx) abort();
    pcre2_set_character_tables(cctx, l1_tables);
    pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
    pcre2_set_bsr(cctx, PCRE2_BSR_UNICODE);
    pcre2_set_parens_nest_limit(cctx, 2000);      /* re_compat.c applies PCRE 8's limits */
    pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALLOW_LOOKAROUND_BSK);
}

pcre2_general_context *re_general_context(void) {
    pthread_once(&once, init);
    return gctx;
}

/* ---------------- PCRE 8 error texts ---------------- */

/* ERTS 25's messages (PCRE 8.44's error_texts), by PCRE 8 number. */
static const char *const pcre1_text[] = {
    "no error", "\\ at end of pattern", "\\c at end of pattern", "unrecognized character follows \\",
    "numbers out of order in {} quantifier", "number too big in {} quantifier",
    "missing terminating ] for character class", "invalid escape sequence in character class",
    "range out of order in character class", "nothing to repeat",
    "internal error: invalid forward reference offset", "internal error: unexpected repeat",
    "unrecognized character after (? or (?-", "POSIX named classes are supported only within a class",
    "missing )", "reference to non-existent subpattern", "erroffset passed as NULL",
    "unknown option bit(s) set", "missing ) after comment", "parentheses nested too deeply",
    "regular expression is too large", "failed to get memory", "unmatched parentheses",
    "internal error: code overflow", "unrecognized character after (?<",
    "lookbehind assertion is not fixed length", "malformed number or name after (?(",
    "conditional group contains more than two branches", "assertion expected after (?( or (?(?C)",
    "(?R or (?[+-]digits must be followed by )", "unknown POSIX class name",
    "POSIX collating elements are not supported", "this version of PCRE is compiled without UTF support",
    "spare error", "character value in \\x{} or \\o{} is too large", "invalid condition (?(0)",
    "\\C not allowed in lookbehind assertion", "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u",
    "number after (?C is > 255", "closing ) for (?C expected", "recursive call could loop indefinitely",
    "unrecognized character after (?P", "syntax error in subpattern name (missing terminator)",
    "two named subpatterns have the same name", "invalid UTF-8 string",
    "support for \\P, \\p, and \\X has not been compiled", "malformed \\P or \\p sequence",
    "unknown property name after \\P or \\p", "subpattern name is too long (maximum 32 characters)",
    "too many named subpatterns (maximum 10000)", "repeated subpattern is too long",
    "octal value is greater than \\377 in 8-bit non-UTF-8 mode",
    "internal error: overran compiling workspace",
    "internal error: previously-checked referenced subpattern not found",
    "DEFINE group contains more than one branch", "repeating a DEFINE group is not allowed",
    "inconsistent NEWLINE options",
    "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number",
    "a numbered reference must not be zero",
    "an argument is not allowed for (*ACCEPT), (*FAIL), or (*COMMIT)",
    "(*VERB) not recognized or malformed", "number is too big", "subpattern name expected",
    "digit expected after (?+", "] is an invalid data character in JavaScript compatibility mode",
    "different names for subpatterns of the same number are not allowed",
    "(*MARK) must have an argument", "this version of PCRE is not compiled with Unicode property support",
    "\\c must be followed by an ASCII character", "\\k is not followed by a braced, angle-bracketed, or quoted name",
    "internal error: unknown opcode in find_fixedlength()", "\\N is not supported in a class",
    "too many forward references", "disallowed Unicode code point (>= 0xd800 && <= 0xdfff)",
    "invalid UTF-16 string", "name is too long in (*MARK), (*PRUNE), (*SKIP), or (*THEN)",
    "character value in \\u.... sequence is too large", "invalid UTF-32 string",
    "setting UTF is disabled by the application", "non-hex character in \\x{} (closing brace missing?)",
    "non-octal character in \\o{} (closing brace missing?)", "missing opening brace after \\o",
    "parentheses are too deeply nested", "invalid range in character class",
    "group name must start with a non-digit", "parentheses are too deeply nested (stack check)",
    "digits missing in \\x{} or \\o{}", "regular expression is too complicated",
};

/* PCRE2 compile error (100 + n) to the PCRE 8 number of the same error
 * (0: no counterpart; PCRE2's own text is used then). */
static const uint8_t pcre2_to_1[100] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 7, [8] = 8, [9] = 9, [10] = 11,
    [11] = 12, [12] = 13, [13] = 31, [14] = 14, [15] = 15, [17] = 17, [18] = 18, [19] = 82,
    [20] = 20, [21] = 21, [22] = 22, [23] = 23, [24] = 26, [25] = 25, [26] = 58, [27] = 27, [28] = 28,
    [29] = 63, [30] = 30, [32] = 32, [33] = 85, [34] = 34, [35] = 25, [36] = 36, [37] = 37, [38] = 38,
    [39] = 39, [41] = 41, [42] = 42, [43] = 43, [44] = 84, [45] = 45, [46] = 46, [47] = 47,
    [48] = 48, [49] = 49, [50] = 83, [51] = 51, [52] = 52, [53] = 53, [54] = 54, [55] = 81,
    [57] = 57, [58] = 29, [60] = 60, [61] = 61, [62] = 62, [64] = 80, [65] = 65, [66] = 66,
    [67] = 79, [68] = 68, [69] = 69, [71] = 71, [73] = 73, [74] = 78, [76] = 75, [77] = 76,
    [78] = 86, [82] = 39, [86] = 87, [95] = 60, [84] = 87, [87] = 25, [93] = 37, [97] = 20,
};

int pcre2_to_pcre1(int code) {
    return code >= 100 && code < 200 ? pcre2_to_1[code - 100] : code < 0 && code >= PCRE2_ERROR_UTF8_ERR21 ? 44 : 0;
}

static const char *error_text(int pcre1, int code) {
    static char buf[8][128];
    static unsigned next;
    if (pcre1 > 0 && pcre1 < (int)(sizeof pcre1_text / sizeof *pcre1_text)) return pcre1_text[pcre1];
    char *b = buf[next++ % 8];
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *)b, sizeof buf[0]) < 0) strcpy(b, "internal error");
    return b;
}

/* ---------------- pattern binary ---------------- */

static uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
#define SIPROUND do {                                                         \
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);            \
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                               \
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                               \
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);            \
    } while (0)

/* SipHash-2-4 of n bytes under a fixed key. */
static uint64_t siphash(const uint8_t *in, size_t n) {
    const uint64_t k0 = 0x746265616d2d7265ULL, k1 = 0x5043524532207461ULL;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t m = 0;
        for (int j = 7; j >= 0; j--) m = m << 8 | in[i + j];
        v3 ^= m; SIPROUND; SIPROUND; v0 ^= m;
    }
    uint64_t b = (uint64_t)n << 56;
    for (int j = 0; i + j < n; j++) b |= (uint64_t)in[i + j] << (8 * j);
    v3 ^= b; SIPROUND; SIPROUND; v0 ^= b;
    v2 ^= 0xff;
    SIPROUND; SIPROUND; SIPROUND; SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* "TBRE", version, newline, bsr, 0, copt u32, capture count u32, length
 * u32 (all little-endian), the pattern, then the tag over all of it. */
enum { BLOB_HEAD = 20, BLOB_TAG = 8, BLOB_VERSION = 1 };

static void put32(uint8_t *o, uint32_t v) { for (int i = 0; i < 4; i++) o[i] = (uint8_t)(v >> (8 * i)); }
static uint32_t get32(const uint8_t *o) { return o[0] | o[1] << 8 | o[2] << 16 | (uint32_t)o[3] << 24; }

size_t re_blob_size(const ReSpec *s) { return BLOB_HEAD + s->len + BLOB_TAG; }

void re_blob_write(const ReSpec *s, uint32_t capture_count, uint8_t *out) {
    memcpy(out, "TBRE", 4);
    out[4] = BLOB_VERSION; out[5] = s->newline; out[6] = s->bsr; out[7] = 0;
    put32(out + 8, s->copt);
    put32(out + 12, capture_count);
    put32(out + 16, (uint32_t)s->len);
    memcpy(out + BLOB_HEAD, s->pat, s->len);
    uint64_t tag = siphash(out, BLOB_HEAD + s->len);
    for (int i = 0; i < 8; i++) out[BLOB_HEAD + s->len + i] = (uint8_t)(tag >> (8 * i));
}

bool re_blob_read(const uint8_t *b, size_t len, ReSpec *s, uint32_t *capture_count) {
    if (len < BLOB_HEAD + BLOB_TAG || memcmp(b, "TBRE", 4) != 0 || b[4] != BLOB_VERSION) return false;
    size_t plen = get32(b + 16);
    if (plen != len - BLOB_HEAD - BLOB_TAG) return false;
    uint64_t tag = siphash(b, BLOB_HEAD + plen), have = 0;
    for (int i = 7; i >= 0; i--) have = have << 8 | b[BLOB_HEAD + plen + i];
    if (tag != have) return false;
    if (b[5] > RE_NL_ANY || b[6] > RE_BSR_UNICODE || (get32(b + 8) & ~(uint32_t)RE_CO_ALL)) return false;
    s->newline = b[5]; s->bsr = b[6];
    s->copt = get32(b + 8);
    s->pat = b + BLOB_HEAD;
    s->len = plen;
    *capture_count = get32(b + 12);
    return memchr(s->pat, 0, plen) == NULL;
}

/* ---------------- compiling ---------------- */

static uint32_t pcre2_options(uint32_t copt) {
    static const struct { uint32_t re, pcre; } map[] = {
        {RE_CO_UNICODE, PCRE2_UTF}, {RE_CO_ANCHORED, PCRE2_ANCHORED}, {RE_CO_CASELESS, PCRE2_CASELESS},
        {RE_CO_DOLLAR_ENDONLY, PCRE2_DOLLAR_ENDONLY}, {RE_CO_DOTALL, PCRE2_DOTALL},
        {RE_CO_EXTENDED, PCRE2_EXTENDED}, {RE_CO_FIRSTLINE, PCRE2_FIRSTLINE},
        {RE_CO_MULTILINE, PCRE2_MULTILINE}, {RE_CO_NO_AUTO_CAPTURE, PCRE2_NO_AUTO_CAPTURE},
        {RE_CO_DUPNAMES, PCRE2_DUPNAMES}, {RE_CO_UNGREEDY, PCRE2_UNGREEDY},
        {RE_CO_NO_START_OPTIMIZE, PCRE2_NO_START_OPTIMIZE}, {RE_CO_UCP, PCRE2_UCP},
        {RE_CO_NEVER_UTF, PCRE2_NEVER_UTF},
    };
    uint32_t o = 0;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (copt & map[i].re) o |= map[i].pcre;
    return o;
}

static const uint32_t nl_pcre2[] = {0, PCRE2_NEWLINE_CR, PCRE2_NEWLINE_LF, PCRE2_NEWLINE_CRLF,
                                    PCRE2_NEWLINE_ANYCRLF, PCRE2_NEWLINE_ANY};

/* Errors that PCRE 8 finds in its second pass over the pattern: after
 * all syntax errors. */
static bool second_pass(int code) {
    return code == 115 || code == 125 || code == 127 || code == 136 || code == 154;
}

/* Compiles s; on an error sets *msg and *erroff as PCRE 8 would. */
static pcre2_code *compile(const ReSpec *s, const char **msg, size_t *erroff) {
    pcre2_compile_context *ctx = cctx;
    if (s->newline || s->bsr) {
        ctx = pcre2_compile_context_copy(cctx);
        if (!ctx) abort();
        if (s->newline) pcre2_set_newline(ctx, nl_pcre2[s->newline]);
        if (s->bsr) pcre2_set_bsr(ctx, s->bsr == RE_BSR_ANYCRLF ? PCRE2_BSR_ANYCRLF : PCRE2_BSR_UNICODE);
    }
    ReCompat rc;
    re_compat_prepare(s->pat, s->len, s->copt, &rc);
    PCRE2_SIZE off = 0;
    int err = 0;
    pcre2_code *c = pcre2_compile(rc.pat, rc.len, pcre2_options(s->copt), &err, &off, ctx);
    if (c && !rc.err1 && !rc.err_late && rc.unmatched == SIZE_MAX) goto done;
    /* PCRE 8's order: syntax errors by position; then, after the whole
     * pattern, missing groups and recursions that could loop (by
     * position); an unmatched ')' (where PCRE 8 stopped reading) last */
    int e1 = 0, syn_code = 0, ref_code = 0;
    size_t o1 = 0, syn_off = SIZE_MAX, ref_off = SIZE_MAX;
    if (!c && err == 115 && rc.fill_len) {
        /* PCRE2 may report a missing group before a syntax error after it:
         * look again with the missing groups appended */
        uint8_t *p2 = malloc(rc.len + rc.fill_len);
        if (!p2) abort();
        memcpy(p2, rc.pat, rc.len);
        memcpy(p2 + rc.len, rc.fill, rc.fill_len);
        int err2;
        PCRE2_SIZE off2;
        pcre2_code *c2 = pcre2_compile(p2, rc.len + rc.fill_len, pcre2_options(s->copt), &err2, &off2, ctx);
        free(p2);
        if (!c2 && err2 != 115) {
            size_t o = rc.map[off2 < rc.len ? off2 : rc.len], oo;
            int k = re_compat_adjust(s->pat, s->len, err2, o, &oo);
            if (!k) k = -err2;
            if (second_pass(err2)) { ref_code = k; ref_off = oo; }
            else { syn_code = k; syn_off = oo; }
        }
        pcre2_code_free(c2);
    }
    if (!c && !syn_code) {
        size_t o = rc.map[off < rc.len ? off : rc.len], oo;
        int k = re_compat_adjust(s->pat, s->len, err, o, &oo);
        if (!k) k = -err;                     /* no PCRE 8 text: PCRE2's own */
        if (!second_pass(err)) { syn_code = k; syn_off = oo; }
        else if (!ref_code || oo < ref_off) { ref_code = k; ref_off = oo; }
    }
    /* PCRE 8's order (it reads the pattern twice): syntax errors by
     * position; then, found in the second pass or after it, missing groups,
     * lookbehinds of no fixed length, conditions of more than two branches
     * and recursions that could loop (by position); then an unmatched ')', where PCRE 8 stopped reading;
     * then numbered back references */
    if (rc.err1 && (!syn_code || rc.err1_off <= syn_off)) { syn_code = rc.err1; syn_off = rc.err1_off; }
    if (rc.err_late && (!ref_code || rc.err_late_off < ref_off)) { ref_code = rc.err_late; ref_off = rc.err_late_off; }
    if (ref_code && ref_off >= s->len && rc.unmatched != SIZE_MAX) ref_code = 0;   /* \N: checked last */
    if (syn_code) { e1 = syn_code; o1 = syn_off; }
    else if (ref_code) { e1 = ref_code; o1 = ref_off; }
    else if (rc.unmatched != SIZE_MAX) { e1 = 22; o1 = rc.unmatched; }
    if (e1) {
        *msg = e1 > 0 ? error_text(e1, 0) : error_text(0, -e1);
        *erroff = o1 > s->len ? s->len : o1;
        pcre2_code_free(c);
        c = NULL;
    }
done:
    re_compat_free(&rc);
    if (ctx != cctx) pcre2_compile_context_free(ctx);
    return c;
}

/* ---------------- the code cache ---------------- */

#define CACHE_SIZE 64
static ReCode *cache[CACHE_SIZE];
static uint64_t use_clock;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void code_free(ReCode *c) {
    pcre2_code_free(c->code);
    free(c->spec_bytes);
    free(c);
}

ReCode *re_code_get(const ReSpec *s, const char **msg, size_t *erroff) {
    pthread_once(&once, init);
    size_t klen = 7 + s->len;
    uint8_t *key = malloc(klen);
    if (!key) abort();
    put32(key, s->copt);
    key[4] = s->newline; key[5] = s->bsr; key[6] = 0;
    memcpy(key + 7, s->pat, s->len);
    uint64_t h = siphash(key, klen);

    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_SIZE; i++) {
        ReCode *c = cache[i];
        if (c && c->key == h && c->spec_len == klen && memcmp(c->spec_bytes, key, klen) == 0) {
            c->refc++;
            c->last_use = ++use_clock;
            pthread_mutex_unlock(&cache_lock);
            free(key);
            return c;
        }
    }
    pthread_mutex_unlock(&cache_lock);

    pcre2_code *code = compile(s, msg, erroff);
    if (!code) {
        free(key);
        return NULL;
    }
    ReCode *c = calloc(1, sizeof *c);
    if (!c) abort();
    uint32_t all = 0, nl = 0;
    c->code = code;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &c->capture_count);
    pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all);
    pcre2_pattern_info(code, PCRE2_INFO_NEWLINE, &nl);
    c->utf = (all & PCRE2_UTF) != 0;
    c->dupnames = (all & PCRE2_DUPNAMES) != 0;
    c->use_crlf = nl == PCRE2_NEWLINE_ANY || nl == PCRE2_NEWLINE_CRLF || nl == PCRE2_NEWLINE_ANYCRLF;
    c->key = h;
    c->spec_bytes = key;
    c->spec_len = klen;
    c->refc = 1;

    /* keep it, in place of an empty slot or the least recently used one */
    pthread_mutex_lock(&cache_lock);
    int victim = 0;
    for (int i = 0; i < CACHE_SIZE; i++) {
        if (!cache[i]) { victim = i; break; }
        if (cache[i]->last_use < cache[victim]->last_use) victim = i;
    }
    ReCode *old = cache[victim];
    if (old) {
        old->cached = false;
        if (old->refc == 0) code_free(old);
    }
    c->cached = true;
    c->last_use = ++use_clock;
    cache[victim] = c;
    pthread_mutex_unlock(&cache_lock);
    return c;
}

void re_code_release(ReCode *c) {
    pthread_mutex_lock(&cache_lock);
    bool drop = --c->refc == 0 && !c->cached;
    pthread_mutex_unlock(&cache_lock);
    if (drop) code_free(c);
}

/* ---------------- UTF-8 ---------------- */

bool re_valid_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) { i++; continue; }
        unsigned k;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else return false;
        if (n - i <= k) return false;
        for (unsigned j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += k + 1;
    }
    return true;
}
