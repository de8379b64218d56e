/* bif_convert.c — pids, ports, references and funs to and from text.
 *
 * X_to_list prints with tb_print_term (erlang:display format, which is what
 * ERTS's %T gives) and returns the bytes as a list, as ERTS does: a
 * non-Latin-1 module name comes back as UTF-8 bytes.
 *
 * list_to_X parse exactly like ERTS 25: a proper list of bytes no longer than
 * ERTS's buffer (pid 64, port 38, ref 71 bytes), decimal numbers that wrap
 * like ERTS's C integers, node number 0 only (no distribution), then the
 * local limits: pid number < 2^15 and serial < 2^13, port number < 2^28,
 * reference: three numbers, the last < 2^18, and the scheduler id in the
 * low 17 bits of the middle one no higher than the scheduler count. */
#include "bif.h"
#include "../emu/print.h"
#include <stdlib.h>

#define TB_SCHEDULERS 1        /* keep in step with bif_system.c */

/* ---------------- to text ---------------- */

static Term bytes_to_list(TbProcess *p, const char *s, size_t n) {
    Term *hp = tb_halloc(p, 2 * n), l = NIL;
    for (size_t i = n; i-- > 0;) {
        hp[2 * i] = make_small((uint8_t)s[i]);
        hp[2 * i + 1] = l;
        l = make_list(hp + 2 * i);
    }
    return l;
}

static Term print_to_list(TbProcess *p, Term t) {
    char local[256];
    size_t n = tb_print_term(local, sizeof local, t);
    if (n < sizeof local) return bytes_to_list(p, local, n);
    char *buf = malloc(n + 1);
    if (!buf) abort();
    tb_print_term(buf, n + 1, t);
    Term r = bytes_to_list(p, buf, n);
    free(buf);
    return r;
}

BIF_DECL(bif_pid_to_list_1) {
    if (!is_pid(args[0])) BADARG(p);
    return print_to_list(p, args[0]);
}

BIF_DECL(bif_port_to_list_1) {
    if (!is_port(args[0])) BADARG(p);
    return print_to_list(p, args[0]);
}

BIF_DECL(bif_ref_to_list_1) {
    if (!is_reference(args[0])) BADARG(p);
    return print_to_list(p, args[0]);
}

BIF_DECL(bif_fun_to_list_1) {
    if (!is_fun(args[0])) BADARG(p);
    return print_to_list(p, args[0]);
}

/* {Module, Name, Arity}; a closure's arity excludes its free variables. */
BIF_DECL(bif_fun_info_mfa_1) {
    Term m, f;
    unsigned a;
    if (is_export_fun(args[0])) {
        const TbExport *e = export_fun_val(args[0]);
        m = e->module; f = e->function; a = e->arity;
    } else if (is_local_fun(args[0])) {
        const TbFunEntry *fe = ((const TbFunThing *)boxed_val(args[0]))->fe;
        m = fe->module_name; f = fe->name; a = fe->arity - fe->num_free;
    } else BADARG(p);
    Term *hp = tb_halloc(p, 4);
    hp[0] = make_arityval(3); hp[1] = m; hp[2] = f; hp[3] = make_small(a);
    return make_boxed(hp);
}

/* ---------------- from text ---------------- */

/* ERTS's intlist_to_buf: a proper list of at most cap bytes, copied into buf
 * and NUL-terminated (an embedded 0 byte therefore ends the text early, as
 * in ERTS).  False if not such a list. */
static bool list_to_cstr(Term l, char *buf, size_t cap) {
    size_t n = 0;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (n == cap || !is_small(c) || (UWord)small_val(c) > 255) return false;
        buf[n++] = (char)small_val(c);
    }
    buf[n] = 0;
    return l == NIL;
}

/* One or more decimal digits, accumulated with 64-bit wrap-around. */
static bool parse_u64(const char **cp, uint64_t *out) {
    const char *s = *cp;
    if (*s < '0' || *s > '9') return false;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) v = v * 10 + (uint64_t)(*s - '0');
    *cp = s;
    *out = v;
    return true;
}

BIF_DECL(bif_list_to_pid_1) {
    char buf[65];
    const char *cp = buf;
    uint64_t node, num, ser;
    if (!list_to_cstr(args[0], buf, 64) || *cp++ != '<' || !parse_u64(&cp, &node) || *cp++ != '.' ||
        !parse_u64(&cp, &num) || *cp++ != '.' || !parse_u64(&cp, &ser) || *cp++ != '>' || *cp != 0)
        BADARG(p);
    if (node != 0 || num > 0x7fff || ser > 0x1fff) BADARG(p);
    return make_pid(ser << 15 | num);             /* print.h: number bits 0..14, serial 15..27 */
}

BIF_DECL(bif_list_to_port_1) {
    char buf[39];
    const char *cp = buf + 6;
    uint64_t node, num;
    if (!list_to_cstr(args[0], buf, 38) || strncmp(buf, "#Port<", 6) != 0 || !parse_u64(&cp, &node) ||
        *cp++ != '.' || !parse_u64(&cp, &num) || *cp++ != '>' || *cp != 0)
        BADARG(p);
    if ((uint32_t)node != 0 || num > 0xfffffff) BADARG(p);   /* ERTS keeps the node in 32 bits */
    return make_port(num);
}

BIF_DECL(bif_list_to_ref_1) {
    enum { MAX_NUMS = 6 };                        /* node + ERTS_MAX_REF_NUMBERS (5) */
    char buf[72];
    const char *cp = buf + 5;
    uint64_t ints[MAX_NUMS];
    int n = 0;
    if (!list_to_cstr(args[0], buf, 71) || strncmp(buf, "#Ref<", 5) != 0) BADARG(p);
    while (n < MAX_NUMS) {
        if (!parse_u64(&cp, &ints[n]) || ints[n] > 0xffffffff) BADARG(p);
        n++;
        if (*cp == '>') break;
        if (*cp++ != '.') BADARG(p);
    }
    if (*cp++ != '>' || *cp != 0 || n < 2) BADARG(p);
    if (ints[0] != 0 || n != 4) BADARG(p);        /* local node; three numbers */
    uint32_t num[3] = { (uint32_t)ints[3], (uint32_t)ints[2], (uint32_t)ints[1] };
    if (num[0] >= (1u << 18) || (num[1] & 0x1ffff) > TB_SCHEDULERS) BADARG(p);
    TbRefThing *r = (TbRefThing *)tb_halloc(p, REF_THING_WORDS);
    r->header = make_header(REF_THING_WORDS - 1, HDR_SUB_REF);
    r->num[0] = num[0]; r->num[1] = num[1]; r->num[2] = num[2]; r->num[3] = 0;
    return make_boxed((Term *)r);
}
