/* bif_calendar.c — wall-clock BIFs: date/time, local <-> universal time,
 * POSIX seconds, now/0, timestamp/0 and time_offset/0,1.
 *
 * Ranges, conversions and quirks are ERTS 25's: local-time conversions go
 * through the C library (mktime/localtime_r, so TZ applies) and only take
 * years 1902..INT_MAX-1; universaltime_to_posixtime takes 1600..INT_MAX-1;
 * posixtime_to_universaltime takes any 64-bit integer and uses ERTS's
 * day-number formula with C truncating division (so year 0 comes out as
 * {-1,12,31}, exactly as erl prints it).
 *
 * Time base: native time unit = nanosecond.  time_offset/0 is
 * CLOCK_REALTIME - CLOCK_MONOTONIC, matching monotonic_time/0 and
 * system_time/0 in bif_time.c. */
#include "bif.h"
#include "../emu/big.h"
#include <time.h>
#include <limits.h>
#include <stdlib.h>

static int64_t clock_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static Term tuple3(TbProcess *p, Term a, Term b, Term c) {
    Term *hp = tb_halloc(p, 4);
    hp[0] = make_arityval(3); hp[1] = a; hp[2] = b; hp[3] = c;
    return make_boxed(hp);
}

/* {{Y,Mo,D},{H,Mi,S}} */
static Term datetime(TbProcess *p, const SWord f[6]) {
    Term *hp = tb_halloc(p, 11);
    hp[0] = make_arityval(3);
    hp[1] = make_small(f[0]); hp[2] = make_small(f[1]); hp[3] = make_small(f[2]);
    hp[4] = make_arityval(3);
    hp[5] = make_small(f[3]); hp[6] = make_small(f[4]); hp[7] = make_small(f[5]);
    hp[8] = make_arityval(2);
    hp[9] = make_boxed(hp); hp[10] = make_boxed(hp + 4);
    return make_boxed(hp + 8);
}

static void tm_fields(const struct tm *tm, SWord f[6]) {
    f[0] = (SWord)tm->tm_year + 1900; f[1] = tm->tm_mon + 1; f[2] = tm->tm_mday;
    f[3] = tm->tm_hour; f[4] = tm->tm_min; f[5] = tm->tm_sec;
}

/* {{Y,Mo,D},{H,Mi,S}} of six small integers (no range check yet). */
static bool get_datetime(Term t, SWord f[6]) {
    if (!is_tuple_arity(t, 2)) return false;
    const Term *dt = tuple_val(t);
    if (!is_tuple_arity(dt[1], 3) || !is_tuple_arity(dt[2], 3)) return false;
    for (int i = 0; i < 6; i++) {
        Term x = tuple_val(dt[1 + i / 3])[1 + i % 3];
        if (!is_small(x)) return false;
        f[i] = small_val(x);
    }
    return true;
}

static bool leap(SWord y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(SWord y, SWord m) {
    static const int days[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[m] + (m == 2 && leap(y));
}

/* Valid date and time with min_year <= Y <= INT_MAX-1 (ERTS's checks). */
static bool valid_datetime(const SWord f[6], SWord min_year) {
    return f[0] >= min_year && f[0] <= INT_MAX - 1 && f[1] >= 1 && f[1] <= 12 &&
           f[2] >= 1 && f[2] <= month_days(f[0], f[1]) && f[3] >= 0 && f[3] <= 23 &&
           f[4] >= 0 && f[4] <= 59 && f[5] >= 0 && f[5] <= 59;
}

/* Days from 1970-01-01 to a valid date with year >= 1600. */
static int64_t days_since_epoch(SWord y, SWord m, SWord d) {
    static const int before[13] = { 0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    int64_t py = y - 1;                           /* whole years before y, from year 1 */
    int64_t days = py * 365 + py / 4 - py / 100 + py / 400;
    days += before[m] + (m > 2 && leap(y)) + d - 1;
    return days - 719162;                         /* days from 0001-01-01 to 1970-01-01 */
}

static int64_t datetime_seconds(const SWord f[6]) {
    return days_since_epoch(f[0], f[1], f[2]) * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
}

/* ERTS's seconds_to_univ: its day-number arithmetic uses C division, which
 * truncates for negative years; kept as is so results match erl exactly. */
static void seconds_datetime(int64_t t, SWord f[6]) {
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) { days--; secs += 86400; }
    f[3] = secs / 3600;
    f[4] = secs % 3600 / 60;
    f[5] = secs % 60;
    days += 719468;                               /* now counted from 0000-03-01 */
    int64_t y = (10000 * days + 14780) / 3652425;
    int64_t doy = days - (365 * y + y / 4 - y / 100 + y / 400);
    if (doy < 0) {
        y--;
        doy = days - (365 * y + y / 4 - y / 100 + y / 400);
    }
    int64_t mi = (100 * doy + 52) / 3060;         /* month index from March */
    f[1] = (mi + 2) % 12 + 1;
    f[0] = y + (mi + 2) / 12;
    f[2] = doy - (mi * 306 + 5) / 10 + 1;
}

/* mktime, except that a real result of -1 (1969-12-31 23:59:59 UTC) is not
 * taken for an error: probe one second earlier, as ERTS does. */
static bool checked_mktime(struct tm *tm, time_t *out) {
    time_t c = mktime(tm);
    if (c != (time_t)-1) { *out = c; return true; }
    tm->tm_sec -= 1;
    c = mktime(tm);
    tm->tm_sec += 1;
    *out = -1;
    return c == (time_t)-2;
}

static bool local_to_univ(SWord f[6], int isdst) {
    if (!valid_datetime(f, 1902)) return false;
    struct tm tm = { 0 };
    tm.tm_year = (int)(f[0] - 1900); tm.tm_mon = (int)f[1] - 1; tm.tm_mday = (int)f[2];
    tm.tm_hour = (int)f[3]; tm.tm_min = (int)f[4]; tm.tm_sec = (int)f[5];
    tm.tm_isdst = isdst;
    time_t c;
    if (!checked_mktime(&tm, &c)) {
        /* A zone without DST may refuse isdst=1: take the time as standard. */
        if (!isdst) return false;
        tm.tm_isdst = 0;
        if (!checked_mktime(&tm, &c)) return false;
    }
    struct tm out;
    if (!gmtime_r(&c, &out)) return false;
    tm_fields(&out, f);
    return true;
}

static bool univ_to_local(SWord f[6]) {
    if (!valid_datetime(f, 1902)) return false;
    time_t c = (time_t)datetime_seconds(f);
    struct tm out;
    if (!localtime_r(&c, &out)) return false;
    tm_fields(&out, f);
    return true;
}

/* ---------------- BIFs ---------------- */

static void now_tm(struct tm *tm, bool local) {
    time_t now = time(NULL);
    if (local) localtime_r(&now, tm);
    else gmtime_r(&now, tm);
}

BIF_DECL(bif_date_0) {
    (void)args;
    struct tm tm;
    now_tm(&tm, true);
    return tuple3(p, make_small(tm.tm_year + 1900), make_small(tm.tm_mon + 1), make_small(tm.tm_mday));
}

BIF_DECL(bif_time_0) {
    (void)args;
    struct tm tm;
    now_tm(&tm, true);
    return tuple3(p, make_small(tm.tm_hour), make_small(tm.tm_min), make_small(tm.tm_sec));
}

BIF_DECL(bif_localtime_0) {
    (void)args;
    struct tm tm;
    SWord f[6];
    now_tm(&tm, true);
    tm_fields(&tm, f);
    return datetime(p, f);
}

BIF_DECL(bif_universaltime_0) {
    (void)args;
    struct tm tm;
    SWord f[6];
    now_tm(&tm, false);
    tm_fields(&tm, f);
    return datetime(p, f);
}

BIF_DECL(bif_localtime_to_universaltime_2) {
    SWord f[6];
    int isdst;
    if (args[1] == AM_true) isdst = 1;
    else if (args[1] == AM_false) isdst = 0;
    else if (args[1] == AM_undefined) isdst = -1;
    else BADARG(p);
    if (!get_datetime(args[0], f) || !local_to_univ(f, isdst)) BADARG(p);
    return datetime(p, f);
}

BIF_DECL(bif_universaltime_to_localtime_1) {
    SWord f[6];
    if (!get_datetime(args[0], f) || !univ_to_local(f)) BADARG(p);
    return datetime(p, f);
}

BIF_DECL(bif_universaltime_to_posixtime_1) {
    SWord f[6];
    if (!get_datetime(args[0], f) || !valid_datetime(f, 1600)) BADARG(p);
    return tb_make_integer(p, datetime_seconds(f));
}

BIF_DECL(bif_posixtime_to_universaltime_1) {
    int64_t t;
    SWord f[6];
    if (!is_integer(args[0]) || !tb_integer_to_int64(args[0], &t)) BADARG(p);   /* term_to_Sint64 */
    seconds_datetime(t, f);
    return datetime(p, f);
}

/* ---------------- now/0, timestamp/0 ---------------- */

static Term mega_sec_micro(TbProcess *p, uint64_t us) {
    uint64_t s = us / 1000000;
    return tuple3(p, make_small((SWord)(s / 1000000)), make_small((SWord)(s % 1000000)),
                  make_small((SWord)(us % 1000000)));
}

/* Strictly increasing across all callers, as erlang:now/0 promises. */
static uint64_t now_prev_us;

BIF_DECL(bif_now_0) {
    (void)args;
    uint64_t us = (uint64_t)clock_ns(CLOCK_REALTIME) / 1000, prev = __atomic_load_n(&now_prev_us, __ATOMIC_RELAXED), want;
    do {
        want = us > prev ? us : prev + 1;
    } while (!__atomic_compare_exchange_n(&now_prev_us, &prev, want, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    return mega_sec_micro(p, want);
}

BIF_DECL(bif_timestamp_0) {
    (void)args;
    return mega_sec_micro(p, (uint64_t)clock_ns(CLOCK_REALTIME) / 1000);
}

/* ---------------- time_offset/0,1 ---------------- */

static int64_t time_offset_ns(void) { return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC); }

BIF_DECL(bif_time_offset_0) { (void)args; return tb_make_integer(p, time_offset_ns()); }

/* floor(v * unit / 10^9) where unit is a positive magnitude of n limbs;
 * exact for any size (ERTS does integer units in Erlang code, same result). */
static Term scale_floor(TbProcess *p, int64_t v, const UWord *unit, size_t n) {
    UWord mag = v < 0 ? -(UWord)v : (UWord)v;
    UWord local[8], *q = n + 1 <= 8 ? local : malloc((n + 1) * sizeof(UWord));
    if (!q) abort();
    UWord carry = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned __int128 x = (unsigned __int128)unit[i] * mag + carry;
        q[i] = (UWord)x;
        carry = (UWord)(x >> 64);
    }
    q[n] = carry;
    unsigned __int128 rem = 0;
    for (size_t i = n + 1; i-- > 0;) {
        unsigned __int128 cur = rem << 64 | q[i];
        q[i] = (UWord)(cur / 1000000000u);
        rem = cur % 1000000000u;
    }
    if (v < 0 && rem) {                           /* floor of a negative: one more in magnitude */
        for (size_t i = 0; i <= n && ++q[i] == 0; i++) {}
    }
    Term r = tb_big_from_limbs(p, q, n + 1, v < 0);   /* small when it fits; may raise system_limit */
    if (q != local) free(q);
    return r;
}

/* Units per second of a time unit name; 0 if not one (also bif_time.c). */
UWord tb_time_unit_hz(Term u) {
    static const struct { const char *name; UWord hz; } units[] = {
        { "second", 1 }, { "millisecond", 1000 }, { "microsecond", 1000000 },
        { "nanosecond", 1000000000 }, { "native", 1000000000 }, { "perf_counter", 1000000000 },
        { "seconds", 1 }, { "milli_seconds", 1000 }, { "micro_seconds", 1000000 },
        { "nano_seconds", 1000000000 },
    };
    if (!is_atom(u)) return 0;
    const TbAtom *a = atom_entry(u);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (a->len == strlen(units[i].name) && memcmp(a->name, units[i].name, a->len) == 0) return units[i].hz;
    return 0;
}

BIF_DECL(bif_time_offset_1) {
    Term u = args[0];
    int64_t off = time_offset_ns();
    UWord hz = tb_time_unit_hz(u);
    if (hz) return scale_floor(p, off, &hz, 1);
    if (is_small(u) && small_val(u) > 0) {
        hz = (UWord)small_val(u);
        return scale_floor(p, off, &hz, 1);
    }
    if (is_big(u) && !big_sign(u)) return scale_floor(p, off, big_limbs(u), big_size(u));
    BADARG(p);
}
