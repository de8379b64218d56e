/* bif_time.c — monotonic and system time (the timer wheel comes with processes). */
#include "bif.h"
#include "../emu/big.h"
#include <time.h>

static int64_t now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Units per second for a time unit term, 0 if invalid. */
static int64_t unit_hz(Term u) {
    UWord hz = tb_time_unit_hz(u);
    if (hz) return (int64_t)hz;
    return is_small(u) && small_val(u) > 0 ? small_val(u) : 0;
}

static Term convert(TbProcess *p, int64_t ns, Term unit) {
    int64_t hz = unit_hz(unit);
    if (!hz) BADARG(p);
    /* floor division, like ERTS */
    __int128 v = (__int128)ns * hz;
    int64_t r = (int64_t)(v / 1000000000);
    if (v % 1000000000 < 0) r--;
    return tb_make_integer(p, r);
}

BIF_DECL(bif_monotonic_time_0) { (void)args; return tb_make_integer(p, now_ns(CLOCK_MONOTONIC)); }
BIF_DECL(bif_monotonic_time_1) { return convert(p, now_ns(CLOCK_MONOTONIC), args[0]); }
BIF_DECL(bif_system_time_0) { (void)args; return tb_make_integer(p, now_ns(CLOCK_REALTIME)); }
BIF_DECL(bif_system_time_1) { return convert(p, now_ns(CLOCK_REALTIME), args[0]); }

/* os:system_time/0 and os:timestamp/0: the OS clock, no time correction. */
BIF_DECL(bif_os_system_time_0) { (void)args; return tb_make_integer(p, now_ns(CLOCK_REALTIME)); }
BIF_DECL(bif_os_timestamp_0) {
    (void)args;
    int64_t us = now_ns(CLOCK_REALTIME) / 1000;
    Term *hp = tb_halloc(p, 4);
    hp[0] = make_arityval(3);
    hp[1] = make_small(us / 1000000000000);
    hp[2] = make_small(us / 1000000 % 1000000);
    hp[3] = make_small(us % 1000000);
    return make_boxed(hp);
}
