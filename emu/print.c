/* print.c — erlang:display/1 text (see print.h).  Follows the shape of
 * ERTS's print_term: an explicit stack of "what to print next" items, so
 * neither long nor deep terms touch the C stack. */
#include "print.h"
#include "atom.h"
#include "module.h"
#include "float_fmt.h"
#include <stdlib.h>

#if __has_include("big.h")
#include "big.h"
#else
size_t tb_integer_to_chars(Term i, unsigned base, char *buf, size_t cap);
#endif

/* ---- output: a bounded buffer or a FILE ---- */

typedef struct { char *buf; size_t cap, len; FILE *f; } Out;

static void put(Out *o, const char *s, size_t n) {
    if (o->f) fwrite(s, 1, n, o->f);
    else if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}
static inline void put_c(Out *o, char c) {
    if (o->f) putc(c, o->f);
    else if (o->len < o->cap) o->buf[o->len] = c;
    o->len++;
}
static inline void put_s(Out *o, const char *s) { put(o, s, strlen(s)); }

static void put_u(Out *o, uint64_t v) {
    char b[24];
    int i = 24;
    do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put(o, b + i, 24 - (size_t)i);
}
static void put_d(Out *o, int64_t v) {
    if (v < 0) { put_c(o, '-'); put_u(o, -(uint64_t)v); }
    else put_u(o, (uint64_t)v);
}
static void put_x(Out *o, uint64_t v) {
    char b[20];
    int i = 20;
    do { b[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    put(o, b + i, 20 - (size_t)i);
}

/* ---- atoms ---- */

/* ERTS's Latin-1 ctype (erl_printf_term.c) */
static inline bool is_lower(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 223 && c <= 255 && c != 247); }
static inline bool is_upper(uint32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 192 && c <= 222 && c != 215); }
static inline bool is_alnum(uint32_t c) { return (c >= '0' && c <= '9') || is_lower(c) || is_upper(c); }

/* Atom names are valid UTF-8 (atom.c checks). */
static uint32_t utf8_next(const uint8_t *s, size_t *i) {
    uint32_t c = s[*i];
    int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (k) c &= 0x3F >> k;
    (*i)++;
    while (k--) c = (c << 6) | (s[(*i)++] & 0x3F);
    return c;
}

static void print_atom(Out *o, Term a) {
    const TbAtom *e = atom_entry(a);
    const uint8_t *s = e->name;
    size_t n = e->len, i = 0;
    if (n == 0) { put_s(o, "''"); return; }
    bool quote = !is_lower(utf8_next(s, &i));
    while (!quote && i < n) {
        uint32_t c = utf8_next(s, &i);
        quote = !is_alnum(c) && c != '_';
    }
    if (quote) put_c(o, '\'');
    for (i = 0; i < n;) {
        size_t start = i;
        uint32_t c = utf8_next(s, &i);
        switch (c) {
        case '\'': put_s(o, "\\'"); break;
        case '\\': put_s(o, "\\\\"); break;
        case '\n': put_s(o, "\\n"); break;
        case '\f': put_s(o, "\\f"); break;
        case '\t': put_s(o, "\\t"); break;
        case '\r': put_s(o, "\\r"); break;
        case '\b': put_s(o, "\\b"); break;
        case '\v': put_s(o, "\\v"); break;
        default:
            if (c < 32 || (c >= 128 && c <= 159)) {
                char b[5] = { '\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)), (char)('0' + (c & 7)), 0 };
                put(o, b, 4);
            } else {
                put(o, (const char *)s + start, i - start);
            }
        }
    }
    if (quote) put_c(o, '\'');
}

/* ---- strings, numbers, bitstrings ---- */

static inline bool is_byte_term(Term t) { return (t & ~((UWord)0xFF << 4)) == TAG_IMMED1_SMALL; }

/* A non-empty proper list of Latin-1 printable chars or \n \r \t. */
static bool printable_string(Term l) {
    while (is_list(l)) {
        Term h = CAR(list_val(l));
        if (!is_byte_term(h)) return false;
        SWord c = small_val(h);
        bool cntrl = c < ' ' || c == 127 || (c >= 128 && c < 160);
        if (cntrl && c != '\n' && c != '\t' && c != '\r') return false;
        l = CDR(list_val(l));
    }
    return is_nil(l);
}

static void print_string(Out *o, Term l) {
    put_c(o, '"');
    for (; is_list(l); l = CDR(list_val(l))) {
        char c = (char)small_val(CAR(list_val(l)));
        if (c == '\n') put_s(o, "\\n");
        else {
            if (c == '"') put_c(o, '\\');
            put_c(o, c);
        }
    }
    put_c(o, '"');
}

static void print_big(Out *o, Term t) {
    char local[128];
    size_t n = tb_integer_to_chars(t, 10, NULL, 0);
    char *b = n < sizeof local ? local : malloc(n + 1);
    if (!b) abort();
    n = tb_integer_to_chars(t, 10, b, n + 1);
    put(o, b, n);
    if (b != local) free(b);
}

static void print_float(Out *o, double d) {
    char b[TB_FLOAT_BUF];
    int n = tb_float_fmt_display(d, b, sizeof b);
    if (n > 0) put(o, b, (size_t)n);
}

/* k (1..8) bits at absolute bit position pos, right-aligned. */
static inline unsigned get_bits(const uint8_t *p, UWord pos, unsigned k) {
    const uint8_t *q = p + (pos >> 3);
    unsigned o = pos & 7, v = (unsigned)q[0] << 8;
    if (o + k > 8) v |= q[1];
    return (v >> (16 - o - k)) & ((1u << k) - 1);
}

static void print_bits(Out *o, Term t) {
    const uint8_t *p;
    UWord off, size;
    bitstring_view(t, &p, &off, &size);
    UWord nbytes = size >> 3;
    unsigned tail = size & 7;
    bool text = tail == 0 && nbytes > 0;
    for (UWord i = 0; text && i < nbytes; i++) {
        unsigned c = get_bits(p, off + 8 * i, 8);
        text = c >= ' ' && c < 127;
    }
    if (text) {
        put_s(o, "<<\"");
        for (UWord i = 0; i < nbytes; i++) {
            char c = (char)get_bits(p, off + 8 * i, 8);
            if (c == '"') put_c(o, '\\');
            put_c(o, c);
        }
        put_s(o, "\">>");
        return;
    }
    put_s(o, "<<");
    for (UWord i = 0; i < nbytes; i++) {
        if (i) put_c(o, ',');
        put_u(o, get_bits(p, off + 8 * i, 8));
    }
    if (tail) {
        if (nbytes) put_c(o, ',');
        put_u(o, get_bits(p, off + 8 * nbytes, tail));
        put_c(o, ':');
        put_u(o, tail);
    }
    put_s(o, ">>");
}

/* ---- the term walker ---- */

/* Stack items: an op word, with its operand words below it. */
enum { P_COMMA, P_BAR, P_CLOSE_LIST, P_CLOSE_TUPLE, P_ASSOC, P_TERM, P_ONE_CONS, P_ARRAY };

typedef struct { UWord *w; size_t sp, cap; UWord local[96]; } PStack;

static void ps_grow(PStack *s) {
    size_t nc = s->cap * 2;
    UWord *n = s->w == s->local ? malloc(nc * sizeof *n) : realloc(s->w, nc * sizeof *n);
    if (!n) abort();
    if (s->w == s->local) memcpy(n, s->local, sizeof s->local);
    s->w = n;
    s->cap = nc;
}
static inline void ps_push(PStack *s, UWord v) {
    if (s->sp == s->cap) ps_grow(s);
    s->w[s->sp++] = v;
}

/* Print a cons cell's head; schedule its tail. */
static Term one_cons(PStack *s, Term l) {
    const Term *c = list_val(l);
    Term tl = CDR(c);
    if (!is_nil(tl)) {
        ps_push(s, tl);
        ps_push(s, is_list(tl) ? P_ONE_CONS : P_TERM);
        ps_push(s, is_list(tl) ? P_COMMA : P_BAR);
    }
    return CAR(c);
}

static void print_term(Out *o, Term t) {
    PStack s;
    s.w = s.local;
    s.sp = 0;
    s.cap = sizeof s.local / sizeof s.local[0];

    for (;;) {
        switch (primary_tag(t)) {
        case TAG_PRIMARY_LIST:
            if (printable_string(t)) {
                print_string(o, t);
                break;
            }
            put_c(o, '[');
            ps_push(&s, P_CLOSE_LIST);
            t = one_cons(&s, t);
            continue;
        case TAG_PRIMARY_IMMED1:
            switch (t & TAG_IMMED1_MASK) {
            case TAG_IMMED1_SMALL: put_d(o, small_val(t)); break;
            case TAG_IMMED1_PID:
                put_s(o, "<0.");
                put_u(o, pid_val(t) & 0x7fff);
                put_c(o, '.');
                put_u(o, pid_val(t) >> 15);
                put_c(o, '>');
                break;
            case TAG_IMMED1_PORT:
                put_s(o, "#Port<0.");
                put_u(o, port_val(t));
                put_c(o, '>');
                break;
            default:
                if (is_atom(t)) print_atom(o, t);
                else if (is_nil(t)) put_s(o, "[]");
                else put_s(o, "<unknown>");
                break;
            }
            break;
        case TAG_PRIMARY_BOXED: {
            const Term *bp = boxed_val(t);
            switch (header_sub(*bp)) {
            case HDR_SUB_TUPLE: {
                UWord n = header_arity(*bp);
                put_c(o, '{');
                ps_push(&s, P_CLOSE_TUPLE);
                if (n) {
                    ps_push(&s, (UWord)(bp + 1));
                    ps_push(&s, n);
                    ps_push(&s, P_ARRAY);
                }
                break;
            }
            case HDR_SUB_FLATMAP: {
                const TbFlatMap *m = (const TbFlatMap *)bp;
                const Term *ks = tuple_val(m->keys) + 1;
                put_s(o, "#{");
                ps_push(&s, P_CLOSE_TUPLE);
                for (UWord i = m->size; i-- > 0;) {
                    ps_push(&s, m->values[i]);
                    ps_push(&s, P_TERM);
                    ps_push(&s, P_ASSOC);
                    ps_push(&s, ks[i]);
                    ps_push(&s, P_TERM);
                    if (i) ps_push(&s, P_COMMA);
                }
                break;
            }
            case HDR_SUB_HASHMAP: {
                /* ERTS 25 shows the HAMT itself: #<bitmap>{<bitmap>{[K|V],...},...} */
                TbHamtView v;
                tb_hashmap_view(t, &v);
                put_s(o, v.is_head ? "#<" : "<");
                put_x(o, v.bitmap);
                put_s(o, ">{");
                ps_push(&s, P_CLOSE_TUPLE);
                if (v.n) {
                    ps_push(&s, (UWord)v.slots);
                    ps_push(&s, v.n);
                    ps_push(&s, P_ARRAY);
                }
                break;
            }
            case HDR_SUB_POS_BIG:
            case HDR_SUB_NEG_BIG:
                print_big(o, t);
                break;
            case HDR_SUB_FLOAT:
                print_float(o, float_val(t));
                break;
            case HDR_SUB_REFC_BIN:
            case HDR_SUB_HEAP_BIN:
            case HDR_SUB_SUB_BIN:
                print_bits(o, t);
                break;
            case HDR_SUB_REF: {
                const uint32_t *num = tb_ref_numbers(make_boxed(bp));
                put_s(o, "#Ref<0");
                for (int i = 2; i >= 0; i--) {
                    put_c(o, '.');
                    put_u(o, num[i]);
                }
                put_c(o, '>');
                break;
            }
            case HDR_SUB_FUN: {
                const TbFunEntry *fe = ((const TbFunThing *)bp)->fe;
                const TbAtom *m = atom_entry(fe->module_name);
                put_s(o, "#Fun<");
                put(o, (const char *)m->name, m->len);      /* raw, unquoted */
                put_c(o, '.');
                put_d(o, (int32_t)fe->index);
                put_c(o, '.');
                put_d(o, (int32_t)fe->old_uniq);
                put_c(o, '>');
                break;
            }
            case HDR_SUB_EXPORT: {
                const TbExport *e = export_fun_val(t);
                put_s(o, "fun ");
                print_atom(o, e->module);
                put_c(o, ':');
                print_atom(o, e->function);
                put_c(o, '/');
                put_u(o, e->arity);
                break;
            }
            default:
                put_s(o, "<unknown>");
                break;
            }
            break;
        }
        default:
            put_s(o, "<unknown>");
            break;
        }

        /* what next */
        for (;;) {
            if (s.sp == 0) {
                if (s.w != s.local) free(s.w);
                return;
            }
            UWord op = s.w[--s.sp];
            switch (op) {
            case P_COMMA: put_c(o, ','); continue;
            case P_BAR: put_c(o, '|'); continue;
            case P_CLOSE_LIST: put_c(o, ']'); continue;
            case P_CLOSE_TUPLE: put_c(o, '}'); continue;
            case P_ASSOC: put_s(o, "=>"); continue;
            case P_TERM: t = s.w[--s.sp]; break;
            case P_ONE_CONS: t = one_cons(&s, s.w[--s.sp]); break;
            default: {                                   /* P_ARRAY: [ptr n op] */
                UWord n = s.w[s.sp - 1];
                const Term *p = (const Term *)s.w[s.sp - 2];
                t = *p;
                if (n > 1) {
                    s.w[s.sp - 2] = (UWord)(p + 1);
                    s.w[s.sp - 1] = n - 1;
                    s.sp++;                              /* keep P_ARRAY */
                    ps_push(&s, P_COMMA);
                } else {
                    s.sp -= 2;
                }
                break;
            }
            }
            break;
        }
    }
}

size_t tb_print_term(char *buf, size_t cap, Term t) {
    Out o = { buf, cap, 0, NULL };
    print_term(&o, t);
    if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}

void tb_display(FILE *f, Term t) {
    Out o = { NULL, 0, 0, f };
    flockfile(f);
    print_term(&o, t);
    put_s(&o, TB_DISPLAY_EOL);
    funlockfile(f);
    fflush(f);
}
