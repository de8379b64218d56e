/* test_print.c — tb_print_term / tb_display against erlang:display/1 output
 * captured from real erl 25 (test_hash_data.h, see erts-tests/diff/hash_gen.sh). */
#include <criterion/criterion.h>
#include "test_terms.h"
#include "test_hash_data.h"

#define NCASES (sizeof hg_cases / sizeof hg_cases[0])

TestSuite(print, .init = tt_setup);

static char *print_alloc(Term t) {
    size_t n = tb_print_term(NULL, 0, t);
    char *b = malloc(n + 1);
    cr_assert_eq(tb_print_term(b, n + 1, t), n);
    cr_assert_eq(strlen(b), n);
    return b;
}

Test(print, erl_display_text) {
    for (size_t i = 0; i < NCASES; i++) {
        Term t = tt_etf(hg_cases[i].etf);
        if (is_hashmap(t)) continue;             /* needs the real HAMT: see hashmap_structure */
        char *s = print_alloc(t);
        cr_expect_str_eq(s, hg_cases[i].display, "case %zu", i);
        if (is_bitstring(t)) {                   /* unaligned copies print alike */
            for (unsigned sh = 1; sh < 8; sh += 3) {
                char *u = print_alloc(tt_unaligned(t, sh));
                cr_expect_str_eq(u, hg_cases[i].display, "unaligned case %zu", i);
                free(u);
            }
        }
        free(s);
    }
}

Test(print, truncation_like_snprintf) {
    Term l = tt_list((Term[]){ make_small(1), tb_atom_cstr("Hello W"), NIL }, 3, make_small(7));
    char full[64], small[8];
    size_t n = tb_print_term(full, sizeof full, l);
    cr_expect_str_eq(full, "[1,'Hello W',[]|7]");
    cr_expect_eq(n, strlen("[1,'Hello W',[]|7]"));
    cr_expect_eq(tb_print_term(small, sizeof small, l), n);
    cr_expect_str_eq(small, "[1,'Hel");
    cr_expect_eq(tb_print_term(small, 1, l), n);
    cr_expect_str_eq(small, "");
}

Test(print, display_adds_crlf) {
    FILE *f = tmpfile();
    tb_display(f, tt_tuple((Term[]){ make_small(-5), NIL }, 2));
    rewind(f);
    char buf[64] = { 0 };
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    cr_expect_eq(n, strlen("{-5,[]}\r\n"));
    cr_expect_str_eq(buf, "{-5,[]}\r\n");
}

/* Deep and long terms: no recursion, exact text. */
Test(print, deep_terms) {
    size_t n = 200000;
    Term t = NIL;
    for (size_t i = 0; i < n; i++) t = tt_list(&t, 1, NIL);
    char *s = print_alloc(t);
    cr_expect_eq(strlen(s), 2 * n + 2);
    cr_expect_eq(s[0], '[');
    cr_expect_eq(s[n], '[');
    cr_expect_eq(s[n + 1], ']');
    free(s);

    Term u = tb_atom_cstr("x");
    for (size_t i = 0; i < n; i++) u = tt_tuple(&u, 1);
    s = print_alloc(u);
    cr_expect_eq(strlen(s), 2 * n + 1);
    cr_expect_eq(s[n], 'x');
    free(s);

    Term *el = malloc(n * sizeof(Term));
    for (size_t i = 0; i < n; i++) el[i] = make_small(300);
    s = print_alloc(tt_list(el, n, NIL));
    cr_expect_eq(strlen(s), 4 * n + 1);
    free(s);
    free(el);
}

/* ---- hash maps: ERTS 25 prints the HAMT structure.  The text below is
 * erlang:display(maps:from_list([{I, x} || I <- lists:seq(1, 33)])) from
 * erl 25; we rebuild the same node structure (fake layout, see
 * test_terms.h) from it and print it back. ---- */

static const char *hamt_text =
    "#<fffb>{<1201>{[16|x],[18|x],[5|x]},<4400>{[19|x],[27|x]},<80>{<4080>{[10|x],[24|x]}},"
    "<14>{[4|x],[21|x]},<240>{[22|x],[17|x]},<2a>{[3|x],[8|x],[1|x]},"
    "<8512>{[7|x],[2|x],[14|x],[15|x],[20|x]},[13|x],[6|x],<1400>{[28|x],[25|x]},"
    "<212>{[32|x],[9|x],[11|x]},[31|x],[26|x],<2040>{[30|x],<8020>{[29|x],[23|x]}},"
    "<8200>{[12|x],[33|x]}}";

static Term parse_node(const char **s, bool head, UWord *count) {
    if (head) (*s)++;                            /* '#' */
    (*s)++;                                      /* '<' */
    UWord bitmap = strtoul(*s, (char **)s, 16);
    *s += 2;                                     /* ">{" */
    Term slots[16];
    unsigned n = 0;
    for (;;) {
        if (**s == '[') {
            (*s)++;
            long k = strtol(*s, (char **)s, 10);
            *s += 1;                             /* '|' */
            const char *e = strchr(*s, ']');
            Term c[2] = { make_small(k), tb_atom_put((const uint8_t *)*s, (size_t)(e - *s)) };
            Term *hp = tt_alloc(2);
            hp[0] = c[0];
            hp[1] = c[1];
            slots[n++] = make_list(hp);
            (*count)++;
            *s = e + 1;
        } else {
            slots[n++] = parse_node(s, false, count);
        }
        if (**s == '}') { (*s)++; break; }
        (*s)++;                                  /* ',' */
    }
    Term *hp = tt_alloc(5 + n);
    hp[0] = make_header(4 + n, HDR_SUB_HASHMAP);
    hp[1] = head;
    hp[2] = bitmap;
    hp[3] = 0;
    hp[4] = n;
    memcpy(hp + 5, slots, n * sizeof(Term));
    return make_boxed(hp);
}

Test(print, hashmap_structure) {
    const char *s = hamt_text;
    UWord count = 0;
    Term m = parse_node(&s, true, &count);
    boxed_val(m)[3] = count;
    cr_expect_eq(count, 33);
    char *out = print_alloc(m);
    cr_expect_str_eq(out, hamt_text);
    free(out);
}

Test(print, pids_ports_refs) {
    char b[64];
    tb_print_term(b, sizeof b, make_pid(5));
    cr_expect_str_eq(b, "<0.5.0>");
    tb_print_term(b, sizeof b, make_pid(8191UL << 15 | 32767));
    cr_expect_str_eq(b, "<0.32767.8191>");
    tb_print_term(b, sizeof b, make_port(268435455));
    cr_expect_str_eq(b, "#Port<0.268435455>");
}
