/* re_int.h — shared between stdlib-c/re.c (the re BIFs) and
 * stdlib-c/re_pcre.c (PCRE2 glue: ERTS's Latin-1 character tables, the
 * compiled-pattern binary, the code cache, PCRE 8.4x error texts). */
#ifndef TB_RE_INT_H
#define TB_RE_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Compile options as Erlang names them (stored in the pattern binary, so
 * that it does not depend on PCRE2's bit values). */
enum {
    RE_CO_UNICODE = 1 << 0, RE_CO_ANCHORED = 1 << 1, RE_CO_CASELESS = 1 << 2,
    RE_CO_DOLLAR_ENDONLY = 1 << 3, RE_CO_DOTALL = 1 << 4, RE_CO_EXTENDED = 1 << 5,
    RE_CO_FIRSTLINE = 1 << 6, RE_CO_MULTILINE = 1 << 7, RE_CO_NO_AUTO_CAPTURE = 1 << 8,
    RE_CO_DUPNAMES = 1 << 9, RE_CO_UNGREEDY = 1 << 10, RE_CO_NO_START_OPTIMIZE = 1 << 11,
    RE_CO_UCP = 1 << 12, RE_CO_NEVER_UTF = 1 << 13,
    RE_CO_ALL = (1 << 14) - 1
};
/* {newline, _} and bsr_* settings: 0 = not given. */
enum { RE_NL_NONE, RE_NL_CR, RE_NL_LF, RE_NL_CRLF, RE_NL_ANYCRLF, RE_NL_ANY };
enum { RE_BSR_NONE, RE_BSR_ANYCRLF, RE_BSR_UNICODE };

/* What a pattern is compiled from. */
typedef struct ReSpec {
    uint32_t copt;             /* RE_CO_* */
    uint8_t newline, bsr;      /* RE_NL_*, RE_BSR_* */
    const uint8_t *pat;        /* pattern bytes, up to the first NUL (PCRE 8 takes C strings) */
    size_t len;
} ReSpec;

/* A compiled pattern shared through the cache; hold it between
 * re_code_get and re_code_release. */
typedef struct ReCode {
    pcre2_code *code;
    uint32_t capture_count;
    bool utf;                  /* compiled in UTF mode (option or (*UTF)) */
    bool use_crlf;             /* newline is CRLF, ANYCRLF or ANY */
    bool dupnames;
    /* cache bookkeeping (re_pcre.c) */
    uint64_t key, last_use;
    uint8_t *spec_bytes;       /* copt, newline, bsr, pattern: the exact key */
    size_t spec_len;
    unsigned refc;
    bool cached;
} ReCode;

/* Compile (or find in the cache).  NULL on a compile error: *msg is
 * PCRE 8's message text and *erroff its offset in the pattern. */
ReCode *re_code_get(const ReSpec *s, const char **msg, size_t *erroff);
void re_code_release(ReCode *c);

/* The pattern binary of {re_pattern, N, Unicode, UseCRLF, Binary}. */
size_t re_blob_size(const ReSpec *s);
void re_blob_write(const ReSpec *s, uint32_t capture_count, uint8_t *out);
/* Checks a binary made by re_blob_write (tampering, truncation): on
 * success fills *s (pat points into blob) and *capture_count. */
bool re_blob_read(const uint8_t *blob, size_t len, ReSpec *s, uint32_t *capture_count);

/* PCRE 8 syntax on PCRE2 (re_compat.c): the pattern to give PCRE2, with
 * map[i] the original offset of pat[i] (map[len] = the original length),
 * and an error that PCRE 8 would give and PCRE2 does not (err1 != 0). */
typedef struct ReCompat {
    uint8_t *pat;
    size_t len, *map;
    int err1;
    size_t err1_off;
    int err_late;              /* one that PCRE 8 finds after the whole pattern (if nothing else) */
    size_t err_late_off;
    size_t unmatched;          /* a ')' that closes nothing (pat ends before it), or SIZE_MAX */
    uint8_t *fill;             /* groups to append so that every reference exists */
    size_t fill_len;
} ReCompat;
void re_compat_prepare(const uint8_t *p, size_t n, uint32_t copt, ReCompat *c);
void re_compat_free(ReCompat *c);
/* A PCRE2 compile error (code, original offset) as PCRE 8 reports it:
 * returns the PCRE 8 error number (0: none matches) and sets *o1. */
int re_compat_adjust(const uint8_t *p, size_t n, int code, size_t off, size_t *o1);
/* The PCRE 8 error number of a PCRE2 compile error (0: none). */
int pcre2_to_pcre1(int code);

/* A general context for match data whose allocations are counted. */
pcre2_general_context *re_general_context(void);

/* Valid UTF-8 as PCRE checks it (no surrogates, overlongs or > 0x10FFFF). */
bool re_valid_utf8(const uint8_t *s, size_t n);
#endif
