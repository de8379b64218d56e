/* re_compat.c — PCRE 8 syntax on PCRE2.  Where the two differ on what
 * users write, a scan of the pattern rewrites it before PCRE2 sees it
 * (keeping a map back to the original offsets), finds the errors that only
 * PCRE 8 reports, and re_compat_adjust() turns PCRE2's errors into PCRE
 * 8's numbers and offsets.  Rewritten:
 *  - escapes of letters PCRE 8 does not know are literals (\y is y; in a
 *    class also \R, \B, \X, \g, \k ...), as are \8 and \9 past the groups
 *    opened so far; a '-' after a class escape or [:name:] is literal;
 *    \E in a class is nothing; (*UTF8) is PCRE 8's spelling of (*UTF);
 *  - in UTF mode (without ucp), \w and \W as PCRE 8 matches them: see
 *    utf_word();
 *  - the pattern ends at a ')' that closes nothing (PCRE 8 stops there).
 * Found: arguments of (*ACCEPT), (*COMMIT), (*FAIL); (?^); string callouts;
 * non-ASCII group names in UTF mode; a repeated (*VERB); a range ending in
 * an escape like \K; back references in lookbehinds; nesting past 798
 * capturing or 1332 groups; and, as PCRE 8 does after the whole pattern,
 * references to groups that do not exist and recursions that could loop
 * (a recursion reached without consuming anything since the group it
 * calls began). */
#include "re_int.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef struct Out { uint8_t *b; size_t *map; size_t n, cap; } Out;

static void emit(Out *o, uint8_t c, size_t orig) {
    if (o->n + 1 >= o->cap) {
        o->cap = o->cap ? 2 * o->cap : 64;
        o->b = realloc(o->b, o->cap);
        o->map = realloc(o->map, o->cap * sizeof *o->map);
        if (!o->b || !o->map) abort();
    }
    o->b[o->n] = c;
    o->map[o->n++] = orig;
}

/* ERTS's tables: Latin-1 letters, digits and '_' (bytes, as PCRE 8 reads names). */
static bool word_byte(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
}
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool starts(const uint8_t *p, size_t n, size_t i, const char *s) {
    size_t k = strlen(s);
    return i + k <= n && memcmp(p + i, s, k) == 0;
}

typedef struct Scan {
    const uint8_t *p;
    size_t n;
    bool utf, no_auto;
    Out out;
    int err1;                  /* PCRE 8 error found by the scan, 0 if none */
    size_t err1_off;
    int err_rec;               /* the same, found by PCRE 8 only after the whole pattern */
    size_t err_rec_off;
    struct Ref { size_t at, name, len; unsigned number; } *refs;   /* (?N) and named references */
    size_t nrefs, caprefs;
    size_t unmatched;          /* index of a ')' closing nothing, or SIZE_MAX */
    Out fill;                  /* groups that, appended, make every reference exist */
    size_t fill_groups;
    bool ucp;
} Scan;

static void scan_error(Scan *s, int code, size_t off) {
    if (!s->err1 || off < s->err1_off) { s->err1 = code; s->err1_off = off; }
}

/* A group name at i (UTF mode): PCRE 8 reads it byte by byte, so the
 * continuation byte of a UTF-8 character ends it, with an error. */
static void check_name(Scan *s, size_t i) {
    if (!s->utf) return;
    while (i < s->n && word_byte(s->p[i])) i++;
    if (i < s->n && s->p[i] >= 0x80) scan_error(s, 42, i);
}

/* Letters that PCRE 8 knows after a backslash, outside and inside classes;
 * other letters stand for themselves. */
static bool known_escape(uint8_t c, bool in_class) {
    const char *k = in_class ? "abcdDeEfhHlLnNopPQrsStuUvVwWx" : "ABCDEGHKLNPQRSUVWXZabcdefghklnoprstuvwxz";
    return strchr(k, c) != NULL;
}
static bool class_escape(uint8_t c) { return strchr("dDsSwWhHvVpP", c) != NULL; }

/* Copy an escape's argument in braces (\x{..}, \p{..}, ...) if there is one. */
static size_t copy_braced(Scan *s, size_t i) {
    if (i < s->n && s->p[i] == '{') {
        while (i < s->n && s->p[i] != '}') { emit(&s->out, s->p[i], i); i++; }
        if (i < s->n) { emit(&s->out, s->p[i], i); i++; }
    }
    return i;
}

/* A character class starting at i ('['); returns the index after it. */
static size_t scan_class(Scan *s, size_t i) {
    const uint8_t *p = s->p;
    size_t n = s->n;
    emit(&s->out, p[i], i); i++;
    if (i < n && p[i] == '^') { emit(&s->out, p[i], i); i++; }
    if (i < n && p[i] == ']') { emit(&s->out, p[i], i); i++; }
    bool after_set = false;    /* the last item was \d, [:alpha:] ...: a '-' next is literal */
    bool single = false;       /* the last item was one character: a '-' next makes a range */
    bool range_end = false;    /* the item now read ends a range */
    while (i < n && p[i] != ']') {
        if (p[i] == '-' && after_set && i + 1 < n && p[i + 1] != ']') {
            emit(&s->out, '\\', i);
            emit(&s->out, '-', i);
            i++;
            after_set = single = false;
            continue;
        }
        if (p[i] == '-' && single && i + 2 < n && p[i + 1] == '\\' && strchr("ABCGKNRXZkz", p[i + 2]))
            scan_error(s, 83, i + 2);      /* an escape that is not a character ends the range */
        if (p[i] == '-' && single && i + 1 < n && p[i + 1] != ']') {   /* a range */
            emit(&s->out, p[i], i);
            i++;
            range_end = true;
            single = false;
            continue;
        }
        bool was_dash = range_end;     /* this item ends a range: it cannot start one */
        range_end = false;
        after_set = false;
        single = false;
        if (p[i] == '[' && i + 1 < n && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
            uint8_t t = p[i + 1];
            size_t j = i + 2;
            while (j + 1 < n && !(p[j] == t && p[j + 1] == ']')) j++;
            if (j + 1 < n) {
                for (; i < j + 2; i++) emit(&s->out, p[i], i);
                after_set = t == ':';
                continue;
            }
        }
        if (p[i] == '\\' && i + 1 < n) {
            uint8_t c = p[i + 1];
            if (c == 'Q') {                /* \Q...\E in a class: its characters, escaped */
                i += 2;
                while (i < n && !starts(p, n, i, "\\E")) {
                    bool alnum = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') || p[i] >= 0x80;
                    if (!alnum) emit(&s->out, '\\', i);
                    emit(&s->out, p[i], i);
                    i++;
                    single = true;
                }
                if (i < n) i += 2;
                continue;
            }
            if (c == 'E') { i += 2; continue; }    /* \E alone is nothing */
            if (c == 'N') scan_error(s, 71, i + 1);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                if (!known_escape(c, true)) { emit(&s->out, c, i + 1); i += 2; single = !was_dash; continue; }
                emit(&s->out, p[i], i); emit(&s->out, c, i + 1);
                i += 2;
                if (c == 'c' && i < n) { emit(&s->out, p[i], i); i++; }
                if (c == 'p' || c == 'P') {
                    if (i < n && p[i] != '{') { emit(&s->out, p[i], i); i++; }
                    else i = copy_braced(s, i);
                }
                if (c == 'x' || c == 'o') i = copy_braced(s, i);
                after_set = class_escape(c);
                single = !after_set && !was_dash;
                continue;
            }
            emit(&s->out, p[i], i); emit(&s->out, c, i + 1);
            i += 2;
            single = !was_dash;
            continue;
        }
        emit(&s->out, p[i], i);
        single = !was_dash;
        i++;
    }
    if (i < n) { emit(&s->out, p[i], i); i++; }
    return i;
}

/* (*ACCEPT), (*COMMIT) and (*FAIL) take no argument in PCRE 8. */
static void check_verb(Scan *s, size_t i) {
    const uint8_t *p = s->p;
    size_t n = s->n;
    const uint8_t *e = memchr(p + i, ')', n - i);
    if (starts(p, n, i, "(*ACCEPT:") || starts(p, n, i, "(*COMMIT:") || starts(p, n, i, "(*F:") ||
        starts(p, n, i, "(*FAIL:"))
        scan_error(s, 59, e ? (size_t)(e - p) : n);
}

/* An open group.  fresh: nothing consumed yet in its current branch;
 * entered_fresh: the enclosing branch was fresh when it opened; may_be_empty:
 * a finished branch consumed nothing.  With these, a recursion into a group
 * reached without consuming anything is found, which PCRE 8 refuses
 * ("recursive call could loop indefinitely"). */
typedef struct Paren {
    size_t at;
    unsigned number;           /* capture number, 0 if none */
    bool capture, fresh, entered_fresh, may_be_empty, lookaround, lookbehind, has_backref;
} Paren;

typedef struct Name { const uint8_t *name; size_t len; unsigned number; } Name;

static size_t name_end(const uint8_t *p, size_t n, size_t i) {
    while (i < n && word_byte(p[i])) i++;
    return i;
}

/* (?R), (?N), (?&name) or (?P>name) at i: a recursion into an enclosing
 * group that nothing was consumed in on the way. */
static void late_error(Scan *s, int code, size_t off);
static void check_recursion(Scan *s, size_t i, const Paren *stack, size_t sp, const Name *names, size_t nn) {
    const uint8_t *p = s->p;
    size_t n = s->n, j, target = 0;
    if (starts(p, n, i, "(?R")) j = i + 3;
    else if (starts(p, n, i, "(?&") || starts(p, n, i, "(?P>")) {
        size_t b = i + (p[i + 2] == '&' ? 3 : 4);
        j = name_end(p, n, b);
        size_t k = 0;
        while (k < nn && !(names[k].len == j - b && memcmp(names[k].name, p + b, j - b) == 0)) k++;
        if (k == nn) return;
        target = names[k].number;
    } else {
        j = i + 2;
        if (j >= n || !is_digit(p[j])) return;
        while (j < n && is_digit(p[j]) && target < 100000) target = target * 10 + (p[j++] - '0');
    }
    if (j >= n || p[j] != ')') return;
    size_t k = 0;
    if (target) {
        while (k < sp && stack[k].number != target) k++;
        if (k == sp) return;
    }
    if (!stack[sp - 1].fresh) return;
    for (size_t m = k + 1; m < sp; m++) if (!stack[m].entered_fresh) return;
    late_error(s, 40, j);
}

static void late_error(Scan *s, int code, size_t off) {
    if (!s->err_rec || off < s->err_rec_off) { s->err_rec = code; s->err_rec_off = off; }
}

/* A reference to a group by number (len 0) or name, checked at the end;
 * `at` is where PCRE 8 reports it missing. */
static void add_ref(Scan *s, size_t at, unsigned number, size_t name, size_t len) {
    if (s->nrefs == s->caprefs) {
        s->caprefs = s->caprefs ? 2 * s->caprefs : 8;
        s->refs = realloc(s->refs, s->caprefs * sizeof *s->refs);
        if (!s->refs) abort();
    }
    s->refs[s->nrefs++] = (struct Ref){at, name, len, number};
}

/* A quantifier at i: its length (0 if none) and whether its minimum is 0. */
static size_t quantifier(const uint8_t *p, size_t n, size_t i, bool *zero) {
    if (p[i] == '*' || p[i] == '?') { *zero = true; return 1; }
    if (p[i] == '+') { *zero = false; return 1; }
    if (p[i] != '{' || i + 1 >= n || !is_digit(p[i + 1])) return 0;
    size_t j = i + 1, min = 0;
    while (j < n && is_digit(p[j])) min = min * 10 + (p[j++] - '0') * (min < 100000);
    if (j < n && p[j] == ',') { j++; while (j < n && is_digit(p[j])) j++; }
    if (j >= n || p[j] != '}') return 0;
    *zero = min == 0;
    return j + 1 - i;
}

static void emit_str(Out *o, const char *str, size_t orig) {
    while (*str) emit(o, (uint8_t)*str++, orig);
}

/* \w or \W at i in UTF mode (without ucp), as PCRE 8 matches them.  A
 * single one decodes the character and looks it up in ERTS's Latin-1
 * tables; but the minimum count of a repeat is checked byte by byte, so
 * there a non-ASCII character is never \w and always \W (\w+ on "-åx"
 * matches "x"; \W+ matches "å").  Also PCRE2's start-of-match bits for a
 * bare \w assume ASCII tables, where a class reads the tables. */
static size_t utf_word(Scan *s, size_t i) {
    const uint8_t *p = s->p;
    size_t n = s->n, q = i + 2;
    bool word = p[i + 1] == 'w', zero;
    size_t ql = q < n ? quantifier(p, n, q, &zero) : 0;
    size_t min = 0, max = SIZE_MAX;
    if (ql && p[q] == '{') {
        size_t j = q + 1;
        min = 0;
        while (is_digit(p[j])) min = min * 10 + (p[j++] - '0') * (min < 100000);
        if (p[j] == ',') {
            j++;
            if (is_digit(p[j])) { max = 0; while (is_digit(p[j])) max = max * 10 + (p[j++] - '0') * (max < 100000); }
        } else max = min;
        if (min > 65535 || (max != SIZE_MAX && (max > 65535 || max < min))) ql = 0;   /* PCRE2 says what is wrong */
    } else if (ql) {
        min = p[q] == '+';
        max = p[q] == '?' ? 1 : SIZE_MAX;
    }
    Out *o = &s->out;
    if (!ql) {
        if (word) emit_str(o, "[\\w]", i);
        else { emit(o, '\\', i); emit(o, 'W', i + 1); }
        return q;
    }
    /* PCRE 8 compiles {1} and {1,n} as one item (decoded) plus the rest */
    size_t bytewise = min >= 2 || (min == 1 && max == SIZE_MAX) ? min : 0;
    char buf[48];
    if (bytewise) {
        emit_str(o, word ? "[0-9A-Za-z_]" : "[^0-9A-Za-z_]", i);
        if (bytewise > 1) { snprintf(buf, sizeof buf, "{%zu}", bytewise); emit_str(o, buf, q); }
    }
    size_t lo = min - bytewise, hi = max == SIZE_MAX ? SIZE_MAX : max - bytewise;
    bool suffix = q + ql < n && (p[q + ql] == '?' || p[q + ql] == '+');
    if (hi > 0) {
        emit_str(o, word ? "[\\w]" : "[\\W]", i);
        if (hi == SIZE_MAX) emit_str(o, lo == 0 ? "*" : "+", q);
        else if (lo == hi) { if (lo > 1) { snprintf(buf, sizeof buf, "{%zu}", lo); emit_str(o, buf, q); } }
        else { snprintf(buf, sizeof buf, "{%zu,%zu}", lo, hi); emit_str(o, buf, q); }
        if (suffix && lo != hi) emit(o, p[q + ql], q + ql);
    }
    if (suffix) ql++;
    return q + ql;
}

static void scan(Scan *s, uint32_t copt) {
    const uint8_t *p = s->p;
    size_t n = s->n, i = 0;
    bool extended = (copt & RE_CO_EXTENDED) != 0;
    size_t sp = 1, cap = 16, captures_open = 0, groups = 0, nn = 0, ncap = 0;
    Paren *stack = malloc(cap * sizeof *stack);
    Name *names = NULL;
    if (!stack) abort();
    stack[0] = (Paren){0, 0, false, true, true, false, false, false, false};   /* the whole pattern */
    bool prev_fresh = true;    /* the branch's freshness before the last item */
    bool after_quant = false;  /* the last item was a quantifier (a ? or + now is a modifier) */
    bool after_verb = false;   /* the last item was (*VERB): PCRE 8 cannot repeat it */
    /* leading settings: (*UTF8) is (*UTF) */
    while (i + 2 < n && p[i] == '(' && p[i + 1] == '*') {
        const uint8_t *e = memchr(p + i, ')', n - i);
        if (!e) break;
        size_t k = (size_t)(e - (p + i)) + 1;
        static const char *const verbs[] = {"(*ACCEPT", "(*FAIL", "(*F)", "(*F:", "(*COMMIT", "(*PRUNE", "(*SKIP",
                                            "(*THEN", "(*MARK", "(*:"};
        bool verb = false;
        for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++) verb |= starts(p, n, i, verbs[v]);
        if (verb) break;       /* not a setting: the main loop sees it */
        if (k == 7 && memcmp(p + i, "(*UTF8)", 7) == 0) {
            for (int j = 0; j < 5; j++) emit(&s->out, p[i + j], i + j);
            emit(&s->out, ')', i + 6);
            s->utf = true;
        } else {
            if (k == 6 && memcmp(p + i, "(*UTF)", 6) == 0) s->utf = true;
            if (k == 6 && memcmp(p + i, "(*UCP)", 6) == 0) s->ucp = true;
            check_verb(s, i);
            for (size_t j = 0; j < k; j++) emit(&s->out, p[i + j], i + j);
        }
        i += k;
    }
    while (i < n) {
        uint8_t c = p[i];
        Paren *top = &stack[sp - 1];
        bool zero;
        size_t ql = quantifier(p, n, i, &zero);
        if (ql) {
            if (after_verb) scan_error(s, 9, i + ql - 1);
            if (!after_quant && zero) top->fresh = prev_fresh;
            after_quant = !after_quant;
            for (size_t j = 0; j < ql; j++) emit(&s->out, p[i + j], i + j);
            i += ql;
            continue;
        }
        after_quant = false;
        if (!starts(p, n, i, "\\E")) after_verb = false;
        if (extended && strchr(" \t\n\r\f\v", c)) { emit(&s->out, c, i); i++; continue; }
        if (extended && c == '#') {
            while (i < n && p[i] != '\n') { emit(&s->out, p[i], i); i++; }
            continue;
        }
        prev_fresh = top->fresh;
        if (c == '\\') {
            if (i + 1 >= n) { emit(&s->out, c, i); i++; continue; }
            uint8_t d = p[i + 1];
            if (d == 'Q') {
                emit(&s->out, c, i); emit(&s->out, d, i + 1);
                i += 2;
                while (i < n && !starts(p, n, i, "\\E")) { top->fresh = false; emit(&s->out, p[i], i); i++; }
                continue;
            }
            if (!strchr("bBAzZGKEgk123456789", d)) top->fresh = false;   /* a back reference may be empty */
            if (strchr("gk123456789", d)) {    /* no back reference in a lookbehind in PCRE 8 */
                for (size_t m = sp; m-- > 1;) if (stack[m].lookbehind) { stack[m].has_backref = true; break; }
            }
            if ((d == '8' || d == '9')) {
                size_t v = 0, j = i + 1;
                while (j < n && is_digit(p[j]) && v < 100000) v = v * 10 + (p[j++] - '0');
                if (v > groups) {                        /* a literal digit */
                    top->fresh = false;
                    emit_str(&s->out, d == '8' ? "\\x38" : "\\x39", i);
                    i += 2;
                    continue;
                }
            }
            if (d >= '1' && d <= '9' && !(i + 2 < n && is_digit(p[i + 2])))
                add_ref(s, n, (unsigned)(d - '0'), 0, 0);          /* \N: checked at the end */
            if (d == 'k' && !(i + 2 < n && strchr("<'{", p[i + 2]))) scan_error(s, 69, i + 1);
            if (d == 'g') {                     /* \g without a number or name is \g0 to PCRE 8 */
                uint8_t e = i + 2 < n ? p[i + 2] : 0;
                if (e == '0') scan_error(s, 58, i + 2);
                if (starts(p, n, i + 2, "{0}")) scan_error(s, 58, i + 4);
                if (e == '+' || !(e == '-' || e == '{' || e == '<' || e == '\'' || is_digit(e))) scan_error(s, 58, i + 1);
                else if (e == '-' && !(i + 3 < n && is_digit(p[i + 3]))) scan_error(s, 58, i + 2);
            }
            if (d == 'g' && i + 2 < n) {
                size_t j = i + 2 + (p[i + 2] == '{');
                bool rel = j < n && p[j] == '-', plus = j < n && p[j] == '+';
                size_t k = j + (rel || plus), v = 0;
                while (k < n && is_digit(p[k]) && v < 100000) v = v * 10 + (p[k++] - '0');
                if (k > j + (rel || plus)) {
                    if (rel && v > groups) scan_error(s, 15, p[i + 2] == '{' ? k : k - 1);
                    else if (!rel && !plus && v > 0) add_ref(s, n, (unsigned)v, 0, 0);
                }
            }
            if (((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z')) && !known_escape(d, false)) {
                emit(&s->out, d, i + 1);                /* a literal letter */
                i += 2;
                continue;
            }
            if ((d == 'w' || d == 'W') && s->utf && !s->ucp) { i = utf_word(s, i); continue; }
            if (d == 'N' && i + 2 < n && p[i + 2] == '{' && !(i + 3 < n && is_digit(p[i + 3])))
                scan_error(s, 37, i + 1);                /* \N{name}, \N{U+..} */
            emit(&s->out, c, i); emit(&s->out, d, i + 1);
            i += 2;
            if (d == 'c' && i < n) { emit(&s->out, p[i], i); i++; }
            if ((d == 'k' || d == 'g') && i < n && (p[i] == '<' || p[i] == '\'' || p[i] == '{')) {
                check_name(s, i + 1);
                size_t e = name_end(p, n, i + 1);
                if (e > i + 1 && !is_digit(p[i + 1])) add_ref(s, e, 0, i + 1, e - (i + 1));
            }
            if (strchr("xopPgkN", d)) i = copy_braced(s, i);
            if (d == 'g' && i < n && (p[i] == '-' || p[i] == '+')) { emit(&s->out, p[i], i); i++; }
            if (d == 'g' || (d >= '1' && d <= '9'))
                while (i < n && is_digit(p[i])) { emit(&s->out, p[i], i); i++; }
            continue;
        }
        if (c == '[') { top->fresh = false; i = scan_class(s, i); continue; }
        if (c == '(') {
            if (starts(p, n, i, "(?#")) {
                while (i < n && p[i] != ')') { emit(&s->out, p[i], i); i++; }
                if (i < n) { emit(&s->out, p[i], i); i++; }
                continue;
            }
            /* items in parentheses that are not groups: copied whole */
            size_t close = i;
            while (close < n && p[close] != ')') close++;
            bool whole = false, consumes = false;
            bool verb = false;
            if (starts(p, n, i, "(*")) { check_verb(s, i); whole = verb = true; }
            else if (starts(p, n, i, "(?C")) {
                if (i + 3 < n && strchr("`'\"^%#${", p[i + 3])) scan_error(s, 39, i + 3);
                whole = true;
            } else if (starts(p, n, i, "(?&") || starts(p, n, i, "(?P>") || starts(p, n, i, "(?P=") ||
                       starts(p, n, i, "(?R") || (i + 2 < n && p[i + 1] == '?' && (is_digit(p[i + 2]) ||
                       ((p[i + 2] == '+' || p[i + 2] == '-') && i + 3 < n && is_digit(p[i + 3]))))) {
                if (starts(p, n, i, "(?P="))
                    for (size_t m = sp; m-- > 1;) if (stack[m].lookbehind) { stack[m].has_backref = true; break; }
                if (p[i + 2] == '&' || p[i + 2] == 'P') {
                    size_t b = i + (p[i + 2] == '&' ? 3 : 4);
                    check_name(s, b);
                    size_t e = name_end(p, n, b);
                    if (e > b) add_ref(s, e, 0, b, e - b);
                } else if (is_digit(p[i + 2])) {
                    size_t v = 0, j = i + 2;
                    while (j < n && is_digit(p[j]) && v < 100000) v = v * 10 + (p[j++] - '0');
                    if (v > 0) add_ref(s, j, (unsigned)v, 0, 0);
                }
                check_recursion(s, i, stack, sp, names, nn);
                whole = consumes = true;
            } else if (starts(p, n, i, "(?^")) {
                scan_error(s, 12, i + 2);
            } else if (i + 2 < n && p[i + 1] == '?' && strchr("imsxJUX-", p[i + 2])) {
                size_t j = i + 2;
                while (j < n && strchr("imsxJUX-", p[j])) j++;
                if (j < n && p[j] == ')') whole = true;      /* (?i): a setting */
            }
            if (whole) {
                if (consumes) top->fresh = false;
                size_t e = close < n ? close + 1 : n;
                for (; i < e; i++) emit(&s->out, p[i], i);
                after_verb = verb;
                continue;
            }
            bool capture = false, look = false, behind = false;
            size_t name_at = 0, open_len = 1;
            if (i + 1 < n && p[i + 1] != '?') capture = !s->no_auto;
            else if (starts(p, n, i, "(?<=") || starts(p, n, i, "(?<!")) { look = behind = true; open_len = 4; }
            else if (starts(p, n, i, "(?=") || starts(p, n, i, "(?!")) { look = true; open_len = 3; }
            else if (starts(p, n, i, "(?<")) name_at = i + 3;
            else if (starts(p, n, i, "(?'")) name_at = i + 3;
            else if (starts(p, n, i, "(?P<")) name_at = i + 4;
            else if (starts(p, n, i, "(?(")) {
                open_len = 2;
                if (i + 3 < n && p[i + 3] != '?') {      /* (?(1) (?(<n>) (?(R) (?(DEFINE): not a group */
                    const uint8_t *e = memchr(p + i + 3, ')', n - i - 3);
                    if (e) open_len = (size_t)(e - (p + i)) + 1;
                }
                size_t b = i + 3, e;
                if (b < n && is_digit(p[b])) {
                    size_t v = 0;
                    for (e = b; e < n && is_digit(p[e]) && v < 100000; e++) v = v * 10 + (p[e] - '0');
                    if (e < n && p[e] == ')' && v > 0) {
                        add_ref(s, e + 1, (unsigned)v, 0, 0);
                    }
                } else if (b < n && (p[b] == '<' || p[b] == '\'')) {
                    e = name_end(p, n, b + 1);
                    if (e + 1 < n && p[e] == (p[b] == '<' ? '>' : '\'') && p[e + 1] == ')' && e > b + 1)
                        add_ref(s, e + 2, 0, b + 1, e - b - 1);
                }
            }
            else if (i + 2 < n && p[i + 1] == '?') {           /* (?: (?| (?> (?i: */
                size_t j = i + 2;
                while (j < n && strchr("imsxJUX-", p[j])) j++;
                open_len = j < n ? j + 1 - i : n - i;
            } else open_len = n - i;
            if (name_at) {
                capture = true;
                check_name(s, name_at);
                if (nn == ncap) {
                    ncap = ncap ? 2 * ncap : 8;
                    names = realloc(names, ncap * sizeof *names);
                    if (!names) abort();
                }
                size_t e = name_end(p, n, name_at);
                names[nn++] = (Name){p + name_at, e - name_at, (unsigned)groups + 1};
                open_len = (e < n ? e + 1 : n) - i;
            }
            if (capture) { groups++; captures_open++; }
            if (sp == cap) {
                cap *= 2;
                stack = realloc(stack, cap * sizeof *stack);
                if (!stack) abort();
                top = &stack[sp - 1];
            }
            stack[sp++] = (Paren){i, capture ? (unsigned)groups : 0, capture, true, top->fresh, false, look, behind, false};
            if (capture && captures_open == 799) scan_error(s, 87, i + 1);
            if (sp == 1334) scan_error(s, 87, i);
            size_t e = i + open_len;
            for (; i < e; i++) emit(&s->out, p[i], i);
            continue;
        }
        if (c == ')' && sp == 1) {   /* PCRE 8 stops here: "unmatched parentheses" */
            s->unmatched = i;
            break;
        }
        if (c == ')' && sp > 1) {
            Paren g = stack[--sp];
            if (g.capture) captures_open--;
            if (g.has_backref) late_error(s, 25, i);
            bool empty = g.lookaround || g.may_be_empty || g.fresh;
            stack[sp - 1].fresh = empty ? g.entered_fresh : false;
            prev_fresh = g.entered_fresh;
        } else if (c == '|') {
            if (top->fresh) top->may_be_empty = true;
            top->fresh = true;
        } else if (c != '^' && c != '$') {
            top->fresh = false;
        }
        emit(&s->out, c, i);
        i++;
    }
    for (size_t r = 0; r < s->nrefs; r++) {
        const struct Ref *f = &s->refs[r];
        bool found = false;
        if (f->len == 0) found = f->number <= groups;
        else for (size_t k = 0; k < nn && !found; k++) found = names[k].len == f->len && memcmp(names[k].name, p + f->name, f->len) == 0;
        if (!found) {
            late_error(s, 15, f->at);
            if (f->len == 0 && f->number > s->fill_groups) s->fill_groups = f->number;
            bool seen = false;
            for (size_t q = 0; q < r && f->len && !seen; q++)
                seen = s->refs[q].len == f->len && memcmp(p + s->refs[q].name, p + f->name, f->len) == 0;
            if (f->len && !seen) {             /* (?<name>) appended resolves it */
                emit_str(&s->fill, "(?<", 0);
                for (size_t k = 0; k < f->len; k++) emit(&s->fill, p[f->name + k], 0);
                emit_str(&s->fill, ">)", 0);
            }
        }
    }
    for (size_t k = groups; k < s->fill_groups; k++) emit_str(&s->fill, "()", 0);
    emit(&s->out, 0, s->unmatched != SIZE_MAX ? s->unmatched : n);   /* the end: map[n'] */
    s->out.n--;
    free(stack);
    free(names);
    free(s->refs);
}

void re_compat_prepare(const uint8_t *p, size_t n, uint32_t copt, ReCompat *c) {
    Scan s = {p, n, (copt & RE_CO_UNICODE) != 0, (copt & RE_CO_NO_AUTO_CAPTURE) != 0, {NULL, NULL, 0, 0}, 0, 0, 0, 0,
              NULL, 0, 0, SIZE_MAX, {NULL, NULL, 0, 0}, 0, (copt & RE_CO_UCP) != 0};
    scan(&s, copt);
    c->unmatched = s.unmatched;
    c->fill = s.fill.b;
    c->fill_len = s.fill.n;
    free(s.fill.map);
    c->err_late = s.err_rec;
    c->err_late_off = s.err_rec_off;
    c->pat = s.out.b;
    c->len = s.out.n;
    c->map = s.out.map;
    c->err1 = s.err1;
    c->err1_off = s.err1_off;
}

void re_compat_free(ReCompat *c) {
    free(c->fill);
    free(c->pat);
    free(c->map);
}

/* ---------------- error offsets ---------------- */

/* The index of the ')' closing the innermost group that contains (or
 * starts at) `at`, or n. */
static size_t group_close(const uint8_t *p, size_t n, size_t at) {
    size_t start = at + 1, depth = 0;
    /* find the '(' of the innermost enclosing group by scanning back */
    for (size_t i = at + 1; i-- > 0;) {
        if (p[i] == ')' && i != at) depth++;
        else if (p[i] == '(' && (i == 0 || p[i - 1] != '\\')) {
            if (depth == 0) { start = i; break; }
            depth--;
        }
    }
    if (start > at) return n;
    depth = 0;
    for (size_t i = start; i < n; i++) {
        if (p[i] == '\\') { i++; continue; }
        if (p[i] == '(') depth++;
        else if (p[i] == ')' && --depth == 0) return i;
    }
    return n;
}

static bool ends_with(const uint8_t *p, size_t at, const char *s) {
    size_t k = strlen(s);
    return at >= k && memcmp(p + at - k, s, k) == 0;
}

/* PCRE2 error `code` at original offset `off` as PCRE 8 reports it: the
 * PCRE 8 error number (0: keep PCRE2's own) and *o1 its offset. */
int re_compat_adjust(const uint8_t *p, size_t n, int code, size_t off, size_t *o1) {
    *o1 = off;
    switch (code) {
    case 114: {                /* missing ): an unfinished (? at the end */
        if (off != n) return 14;
        size_t i = n;
        while (i > 0 && !(p[i - 1] == '(' && i < n && p[i] == '?')) i--;
        if (i == 0) return 14;
        size_t q = i + 1;      /* after "(?" */
        if (q == n) return 12;
        if (p[q] == 'P' && q + 1 == n) return 41;
        if (p[q] == 'R' || p[q] == '+' || p[q] == '-' || is_digit(p[q])) {
            size_t j = q + (p[q] == 'R' || p[q] == '+' || p[q] == '-');
            while (j < n && is_digit(p[j])) j++;
            if (j == n && (p[q] == 'R' || j > q + 1 || is_digit(p[q]))) return 29;
        }
        size_t j = q;
        while (j < n && strchr("imsxJUX-", p[j])) j++;
        return j == n ? 12 : 14;
    }
    case 162:                  /* subpattern name expected */
        if (ends_with(p, off, "(?P<")) return 42;
        if (ends_with(p, off, "(?<")) return 24;
        if (ends_with(p, off, "\\g{")) return 57;
        return 62;
    case 115: {                /* reference to a group that does not exist */
        if (off < n && p[off] == '(' && ends_with(p, off, "(?")) {          /* (?(1)... */
            size_t e = off + 1;
            while (e < n && p[e] != ')') e++;
            *o1 = e < n ? e + 1 : n;
            return 15;
        }
        if (ends_with(p, off, "(?(0") || ends_with(p, off + 1 <= n ? off + 1 : n, "(?(0")) {
            size_t e = off;
            while (e < n && p[e] != ')') e++;
            *o1 = e < n ? e + 1 : n;
            return 35;
        }
        if (ends_with(p, off, "(?(") || ends_with(p, off, "(?(<") || ends_with(p, off, "(?('") ||
            ends_with(p, off, "(?(R&")) {                                 /* named conditions */
            size_t e = off;
            while (e < n && p[e] != ')') e++;
            *o1 = e < n ? e + 1 : n;
            return 15;
        }
        size_t g = off;        /* \g forms: find the \g */
        if (g > 0 && g <= n && p[g - 1] == '}') g--;
        while (g > 0 && (is_digit(p[g - 1]) || p[g - 1] == '+' || p[g - 1] == '-' || p[g - 1] == '{')) g--;
        if (ends_with(p, g, "\\g")) {
            size_t q = g, e;
            if (q < n && p[q] == '{') {
                e = q + 1;
                while (e < n && p[e] != '}') e++;
                *o1 = e;
                size_t d = q + 1 + (q + 1 < n && (p[q + 1] == '+' || p[q + 1] == '-'));
                return e == d + 1 && p[d] == '0' ? 58 : 15;
            }
            if (q < n && p[q] == '+') { *o1 = g - 1; return 58; }
            e = q + (q < n && p[q] == '-');
            while (e < n && is_digit(p[e])) e++;
            if (e == q + 1 && p[q] == '0') { *o1 = q; return 58; }
            *o1 = p[q] == '-' ? (e > 0 ? e - 1 : 0) : n;     /* absolute: checked at the end */
            return 15;
        }
        if (off < n && is_digit(p[off]) && ends_with(p, off, "\\")) { *o1 = n; return 15; }   /* \N: checked at the end */
        if (off < n && word_byte(p[off])) {       /* a name: the offset after it */
            size_t e = off;
            while (e < n && word_byte(p[e])) e++;
            *o1 = e;
        }
        return 15;
    }
    case 125: case 136: case 154: case 127: {   /* at the ')' of the lookbehind, DEFINE or condition group */
        size_t at = off;
        if (code == 154) { while (at > 0 && p[at] != '(') at--; if (at > 0) at--; while (at > 0 && p[at] != '(') at--; }
        *o1 = group_close(p, n, at);
        return pcre2_to_pcre1(code);
    }
    case 143: case 165:
        *o1 = off ? off - 1 : 0;
        return pcre2_to_pcre1(code);
    case 164: case 167: {      /* at the first character that is not a digit */
        size_t b = off < n ? off : n;
        while (b > 0 && p[b] != '{') b--;
        size_t e = b + 1;
        while (e < n && (code == 167 ? strchr("0123456789abcdefABCDEF", p[e]) != NULL : p[e] >= '0' && p[e] <= '7'))
            e++;
        *o1 = e;
        return pcre2_to_pcre1(code);
    }
    case 128: case 129:
        *o1 = off < n ? off + 1 : n;
        return pcre2_to_pcre1(code);
    case 137: case 151: case 147: case 171: case 169: case 150:
        *o1 = off ? off - 1 : 0;
        return pcre2_to_pcre1(code);
    case 178:                  /* \x{} or \o{} without digits */
        return off >= 2 && p[off - 2] == 'o' ? 80 : 79;
    case 142: {                /* a name that does not end well: in (?( it is a condition */
        size_t b = off;
        while (b > 0 && word_byte(p[b - 1])) b--;
        return ends_with(p, b, "(?(") ? 26 : 42;
    }
    case 119:
        return 87;
    case 160:                  /* "(*" before no name: PCRE 8 took * as a quantifier */
        if (off >= 2 && p[off - 1] == '*' && p[off - 2] == '(' && !(off < n && ((p[off] >= 'A' && p[off] <= 'Z') || p[off] == ':'))) {
            *o1 = off - 1;
            return 9;
        }
        return 60;
    default:
        return pcre2_to_pcre1(code);
    }
}
