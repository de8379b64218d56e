/* float_fmt.c — see float_fmt.h for the ERTS rules implemented here. */
#include "float_fmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWO53 9007199254740992.0

/* Copy the n-char string src (n < TB_FLOAT_BUF, or -1 = badarg) out. */
static int emit(const char *src, int n, char *buf, size_t cap)
{
    if (n < 0 || n >= TB_FLOAT_BUF || (size_t)n >= cap)
        return -1;
    memcpy(buf, src, (size_t)n);
    buf[n] = '\0';
    return n;
}

/* printf into ERTS's 256-byte buffer; 256+ chars would be truncated there,
 * which ERTS reports as badarg. */
static int fmt_printf(const char *fmt, int prec, double d, char *buf, size_t cap)
{
    char tmp[TB_FLOAT_BUF];
    if (!isfinite(d))
        return -1;
    return emit(tmp, snprintf(tmp, sizeof tmp, fmt, prec, d), buf, cap);
}

int tb_float_fmt_scientific(double d, int digits, char *buf, size_t cap)
{
    /* "d." + digits + "e+dd" is 256+ chars: fail before asking printf for a
     * possibly gigantic expansion. */
    if (digits > TB_FLOAT_BUF - 6)
        return -1;
    return fmt_printf("%.*e", digits, d, buf, cap);  /* digits < 0: printf uses 6 */
}

int tb_float_fmt_default(double d, char *buf, size_t cap)
{
    return fmt_printf("%.*e", 20, d, buf, cap);
}

int tb_float_fmt_display(double d, char *buf, size_t cap)
{
    return fmt_printf("%.*e", 6, d, buf, cap);
}

/* ---- {decimals,N} ---------------------------------------------------- */

/* Drop trailing '0's but keep one right after a '.'; returns the new end.
 * Like ERTS it does not look for the '.', so "1000" becomes "1". */
static char *strip_zeros(char *p)
{
    while (p[-1] == '0')
        p--;
    if (p[-1] == '.')
        p++;
    return p;
}

int tb_float_fmt_decimals(double d, int decimals, bool compact, char *buf, size_t cap)
{
    static const double pow10[19] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
        1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18
    };
    char tmp[TB_FLOAT_BUF], *p;
    double af = fabs(d);

    /* "0." + 254 digits is already 256 chars. */
    if (decimals < 0 || decimals > TB_FLOAT_BUF - 3 || !isfinite(d))
        return -1;

    if (af > TWO53 || decimals > 18) {
        int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, d);
        if (n < 0 || n >= TB_FLOAT_BUF)
            return -1;
        p = compact ? strip_zeros(tmp + n) : tmp + n;
        return emit(tmp, (int)(p - tmp), buf, cap);
    }

    /* ERTS's fast path: exactly these double operations, so that its
     * rounding (halves away from zero after the inexact scaling) is kept. */
    uint64_t ip, fp = 0;
    if (decimals) {
        double fi = floor(af);
        double ff = round((af - fi) * pow10[decimals]);
        ip = (uint64_t)fi;
        fp = (uint64_t)ff;
        if (ff >= pow10[decimals]) {   /* 0.999 -> "1.00" */
            ip++;
            fp = 0;
        }
    } else {
        ip = (uint64_t)llround(af);
    }

    /* Build backwards from the end of tmp. */
    char *end = tmp + sizeof tmp, *q = end;
    for (int i = 0; i < decimals; i++) {
        *--q = (char)('0' + fp % 10);
        fp /= 10;
    }
    if (decimals)
        *--q = '.';
    do {
        *--q = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (signbit(d))
        *--q = '-';
    p = (compact && decimals) ? strip_zeros(end) : end;
    return emit(q, (int)(p - q), buf, cap);
}

/* ---- [short] --------------------------------------------------------- */

static const uint64_t p10[18] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
    10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
    100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull,
    100000000000000000ull
};

/* Does q * 10^e read back (strtod, round-half-even) as x? */
static bool round_trips(uint64_t q, int e, double x)
{
    char s[48];
    snprintf(s, sizeof s, "%llue%d", (unsigned long long)q, e);
    return strtod(s, NULL) == x;
}

/* Parse the significand digits of "d.ddd…e±x" (printf %e) into an integer. */
static uint64_t sig_digits(const char *s, int *exp10)
{
    uint64_t m = 0;
    for (; *s != 'e'; s++)
        if (*s != '.')
            m = m * 10 + (uint64_t)(*s - '0');
    *exp10 = atoi(s + 1);
    return m;
}

/* v * 10^*e with v's trailing zeros moved into the exponent (v > 0). */
static uint64_t strip_tz(uint64_t v, int *e)
{
    while (v % 10 == 0) {
        v /= 10;
        ++*e;
    }
    return v;
}

/* Shortest decimal q * 10^e that reads back as the normal or subnormal
 * x > 0; among equally short ones the closest to x, ties to even (what Ryu,
 * used by ERTS, gives).  Returns q without trailing zeros. */
static uint64_t shortest(double x, int *e)
{
    bool normal = x >= 2.2250738585072014e-308;

    /* Fast path for "short" values (0.1, 123.25, 1.0e-9): the fewest
     * fraction digits k such that Y = round(x * 10^k) gives Y / 10^k == x.
     * While x * 10^k < 2^50 the product is off by < 1/8 and half an ulp of
     * x is < 1/8 of a unit, so the round-tripping Y (if any) is the integer
     * nearest the product, and unique; 10^k and Y are exact doubles and the
     * division is correctly rounded like strtod. */
    static const double f10[23] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    for (int k = 0; normal && k < 23; k++) {
        double y = x * f10[k];
        if (y >= 0x1p50)
            break;
        double Y = nearbyint(y);
        if (Y / f10[k] == x) {
            *e = -k;
            return strip_tz((uint64_t)Y, e);
        }
    }

    /* General case.  At each length p the only candidates are x correctly
     * rounded to p digits and its neighbour on the other side of x; both
     * come from the 17-digit correctly rounded M * 10^(E-16), which always
     * reads back. */
    char s[40];
    int E;
    snprintf(s, sizeof s, "%.16e", x);
    uint64_t M = sig_digits(s, &E);

    for (int p = 1; p < 17; p++) {
        uint64_t mod = p10[17 - p], q = M / mod, t = M % mod;
        /* For normal x half an ulp is < 11.2 units of M's last digit, so a
         * p-digit candidate can only work if M is within ~12 of it. */
        if (normal && mod >= 100 && t > 12 && t < mod - 12)
            continue;
        bool up;
        if (2 * t != mod) {
            up = 2 * t > mod;
        } else {  /* M ends in 50…0: M itself may be rounded, ask printf. */
            char r[40];
            int Ep;
            snprintf(r, sizeof r, "%.*e", p - 1, x);
            up = sig_digits(r, &Ep) != q || Ep != E;
        }
        uint64_t c[2] = { q + up, q + !up };   /* may be 10^p after a carry */
        for (int i = 0; i < (t ? 2 : 1); i++) {
            if (round_trips(c[i], E - p + 1, x)) {
                *e = E - p + 1;
                return strip_tz(c[i], e);
            }
        }
    }
    *e = E - 16;
    return strip_tz(M, e);
}

int tb_float_fmt_short(double d, char *buf, size_t cap)
{
    char tmp[64], ds[24], *p = tmp;
    if (!isfinite(d))
        return -1;
    if (signbit(d))
        *p++ = '-';
    if (d == 0) {
        memcpy(p, "0.0", 3);
        return emit(tmp, (int)(p + 3 - tmp), buf, cap);
    }

    int e;
    uint64_t q = shortest(fabs(d), &e);
    int n = snprintf(ds, sizeof ds, "%llu", (unsigned long long)q);
    int X = e + n - 1;                       /* value = d.ddd * 10^X */

    int xlen = X < 0 ? 2 + (X <= -10) + (X <= -100) : 1 + (X >= 10) + (X >= 100);
    int sci_len = n + (n == 1) + 2 + xlen;   /* "d." rest "e" X */
    int fix_len = X >= n - 1 ? X + 3         /* digits, zeros, ".0" */
                : X >= 0     ? n + 1         /* point inside the digits */
                             : n + 1 - X;    /* "0." zeros digits */

    if (fabs(d) < TWO53 && fix_len <= sci_len) {
        if (X >= n - 1) {
            memcpy(p, ds, (size_t)n);
            p += n;
            memset(p, '0', (size_t)(X - n + 1));
            p += X - n + 1;
            memcpy(p, ".0", 2);
            p += 2;
        } else if (X >= 0) {
            memcpy(p, ds, (size_t)X + 1);
            p += X + 1;
            *p++ = '.';
            memcpy(p, ds + X + 1, (size_t)(n - X - 1));
            p += n - X - 1;
        } else {
            *p++ = '0';
            *p++ = '.';
            memset(p, '0', (size_t)(-X - 1));
            p += -X - 1;
            memcpy(p, ds, (size_t)n);
            p += n;
        }
    } else {
        *p++ = ds[0];
        *p++ = '.';
        if (n == 1) {
            *p++ = '0';
        } else {
            memcpy(p, ds + 1, (size_t)n - 1);
            p += n - 1;
        }
        p += sprintf(p, "e%d", X);
    }
    return emit(tmp, (int)(p - tmp), buf, cap);
}

/* ---- list_to_float / binary_to_float --------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

int tb_float_parse(const char *s, size_t len, double *out)
{
    if (len == 0)
        return -1;
    const char *nul = memchr(s, '\0', len);
    size_t n = nul ? (size_t)(nul - s) : len;
    size_t i = 0;

    /* Syntax check first: strtod alone would accept far more. */
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == n || !is_digit(s[i]))
        return -1;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == n || (s[i] != '.' && s[i] != ','))
        return -1;
    size_t dot = i++;
    if (i == n || !is_digit(s[i]))
        return -1;
    while (i < n && is_digit(s[i]))
        i++;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i == n || !is_digit(s[i]))
            return -1;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i != n)
        return -1;

    /* strtod needs a NUL-terminated copy; ERTS also takes ',' as the point. */
    char small[128], *c = n < sizeof small ? small : malloc(n + 1);
    if (!c)
        return -1;
    memcpy(c, s, n);
    c[n] = '\0';
    c[dot] = '.';
    double v = strtod(c, NULL);
    if (c != small)
        free(c);
    if (isinf(v))
        return -1;
    *out = v;
    return 0;
}
