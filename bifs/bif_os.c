/* bif_os.c — os:getenv/putenv/unsetenv/getpid/env, os:perf_counter/0,
 * os:system_time/1.  Strings are lists of code points; the environment
 * holds UTF-8. */
#define _GNU_SOURCE                             /* strndup */
#include "bif.h"
#include "../emu/utf8.h"
#include "../emu/arith.h"
#include "../emu/big.h"
#include <time.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>

extern char **environ;
bool tb_native_names_utf8(void);        /* bif_misc_boot.c: utf8 or latin1, as file names */

/* A flat string (list of code points) in the native encoding (UTF-8, or
 * Latin-1 under a non-UTF-8 locale, as ERTS) into buf; false if not one. */
static bool to_utf8(Term l, char *buf, size_t cap) {
    size_t n = 0;
    bool utf8 = tb_native_names_utf8();
    for (; is_list(l); l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (!is_small(c) || small_val(c) < 1 || small_val(c) > (utf8 ? 0x10FFFF : 0xFF)) return false;
        SWord v = small_val(c);
        if (n + 5 >= cap) return false;
        if (utf8) n += tb_utf8_encode((uint32_t)v, (uint8_t *)buf + n);
        else buf[n++] = (char)v;
    }
    buf[n] = 0;
    return l == NIL;
}

/* Native text to a list of code points: UTF-8 (invalid bytes taken as
 * Latin-1), or Latin-1 under a non-UTF-8 locale. */
static Term from_utf8(TbProcess *p, const char *s) {
    size_t n = strlen(s);
    bool utf8 = tb_native_names_utf8();
    Term *hp = tb_halloc(p, 2 * n);
    Term *cells = hp;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        size_t len = c < 0x80 || !utf8 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
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

/* os:env/0: [{Name, Value}] for every NAME=VALUE entry, in os:getenv/0's
 * order (ERTS lists its own table's hash order: only the set is the same). */
BIF_DECL(bif_os_env_0) {
    (void)args;
    size_t n = 0;
    while (environ[n]) n++;
    Term l = NIL;
    for (size_t i = n; i-- > 0;) {
        const char *e = environ[i];
        const char *eq = strchr(e, '=');
        if (!eq) continue;
        char *name = strndup(e, (size_t)(eq - e));
        if (!name) abort();
        Term k = from_utf8(p, name);
        free(name);
        Term v = from_utf8(p, eq + 1);
        Term *hp = tb_halloc(p, 5);
        hp[0] = make_arityval(2); hp[1] = k; hp[2] = v;
        hp[3] = make_boxed(hp); hp[4] = l;
        l = make_list(hp + 3);
    }
    return l;
}

static int64_t clock_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* os:perf_counter/0: the monotonic clock in perf_counter units (ns, as
 * erts_internal:perf_counter_unit/0 says). */
BIF_DECL(bif_os_perf_counter_0) { (void)args; return tb_make_integer(p, clock_ns(CLOCK_MONOTONIC)); }

/* os:system_time/1: the OS clock in any time unit (a name or a positive
 * integer of any size), rounded down. */
BIF_DECL(bif_os_system_time_1) {
    Term unit = args[0];
    int64_t ns = clock_ns(CLOCK_REALTIME);
    UWord hz = tb_time_unit_hz(unit);
    if (hz) unit = make_small((SWord)hz);
    else if (!(is_small(unit) && small_val(unit) > 0) && !(is_big(unit) && !big_sign(unit))) BADARG(p);
    Term prod = tb_arith_mul(p, tb_make_integer(p, ns), unit);
    if (prod == TB_NONE) return TB_NONE;
    return tb_arith_idiv(p, prod, make_small(1000000000));   /* ns > 0: truncation is the floor */
}
