/* bif_os.c — os:getenv/putenv/unsetenv/getpid/env.  Strings are lists of
 * code points; the environment holds UTF-8. */
#include "bif.h"
#include "../emu/utf8.h"
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>

extern char **environ;

/* A flat string (list of code points) as UTF-8 into buf; false if not one. */
static bool to_utf8(Term l, char *buf, size_t cap) {
    size_t n = 0;
    for (; is_list(l); l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (!is_small(c) || small_val(c) < 1 || small_val(c) > 0x10FFFF) return false;
        SWord v = small_val(c);
        if (n + 5 >= cap) return false;
        n += tb_utf8_encode((uint32_t)v, (uint8_t *)buf + n);
    }
    buf[n] = 0;
    return l == NIL;
}

/* UTF-8 to a list of code points (invalid bytes taken as Latin-1). */
static Term from_utf8(TbProcess *p, const char *s) {
    size_t n = strlen(s);
    Term *hp = tb_halloc(p, 2 * n);
    Term *cells = hp;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        if (len > 1 && i + len <= n) {
            cp = c & (0x7F >> len);
            for (size_t j = 1; j < len; j++) cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3F);
        } else len = 1;
        cells[2 * k] = make_small(cp);
        cells[2 * k + 1] = make_list(&cells[2 * k + 2]);
        k++;
        i += len;
    }
    if (k == 0) return NIL;
    cells[2 * k - 1] = NIL;
    return make_list(cells);
}

BIF_DECL(bif_os_getenv_1) {
    char name[4096];
    if (!to_utf8(args[0], name, sizeof name)) BADARG(p);
    const char *v = getenv(name);
    return v ? from_utf8(p, v) : AM_false;
}

BIF_DECL(bif_os_getenv_0) {
    (void)args;
    Term l = NIL;
    size_t n = 0;
    while (environ[n]) n++;
    for (size_t i = n; i-- > 0;) {
        Term s = from_utf8(p, environ[i]);
        Term *hp = tb_halloc(p, 2);
        hp[0] = s; hp[1] = l;
        l = make_list(hp);
    }
    return l;
}

BIF_DECL(bif_os_putenv_2) {
    char name[4096], value[65536];
    if (!to_utf8(args[0], name, sizeof name) || !to_utf8(args[1], value, sizeof value) ||
        !name[0] || strchr(name, '=') || setenv(name, value, 1) != 0)
        BADARG(p);
    return AM_true;
}

BIF_DECL(bif_os_unsetenv_1) {
    char name[4096];
    if (!to_utf8(args[0], name, sizeof name) || unsetenv(name) != 0) BADARG(p);
    return AM_true;
}

BIF_DECL(bif_os_getpid_0) {
    (void)args;
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", (long)getpid());
    return from_utf8(p, buf);
}
