/* float_fmt.h — float <-> text exactly as ERTS 25 does it (float_to_list/1,2,
 * float_to_binary/1,2, erlang:display/1, list_to_float/1, binary_to_float/1).
 * Pure C, no VM dependencies.  Uses the C library's printf/strtod, so
 * LC_NUMERIC must stay "C" (never call setlocale(LC_ALL/LC_NUMERIC, "")).
 *
 * Every formatter writes a NUL-terminated ASCII string into buf (capacity
 * cap) and returns its length, or -1 when ERTS raises badarg or cap is too
 * small.  Non-finite input (impossible in Erlang) also gives -1.
 * TB_FLOAT_BUF always suffices.
 *
 * Mapping float_to_list(F, Opts) / float_to_binary(F, Opts) onto this API
 * (ERTS walks Opts left to right, any element error -> badarg):
 *   - Opts must be a proper list; elements: compact | short |
 *     {decimals, N} | {scientific, N} with N a *small* integer
 *     (|N| < 2^59 on 64-bit); any other element (bignum N, float N,
 *     unknown atom/tuple) or an improper tail is badarg.
 *   - short, {decimals,N}, {scientific,N} each set the format (and N); the
 *     LAST one wins: [{decimals,2},{scientific,3}] -> scientific 3,
 *     [{scientific,3},short] -> short, [short,{decimals,2}] -> decimals 2.
 *   - compact anywhere (before or after) sets a flag that only matters for
 *     the decimals format; it is ignored for short/scientific/default.
 *   - No format option ([] or [compact]) = default = {scientific,20}.
 *   - ERTS passes N down as a C int: use (int)(int32_t)N, i.e. keep the low
 *     32 bits.  So {decimals,4294967297} behaves like {decimals,1},
 *     {decimals,4294967295} like {decimals,-1} (badarg) and
 *     {scientific,4294967295} like {scientific,-1} ("1.500000e+00").
 *     (ERTS 25 segfaults for N near INT_MAX; here that is simply badarg.)
 *   So: fmt=default; n=20; compact=false; for each opt: update; then
 *     default    -> tb_float_fmt_default(F)
 *     short      -> tb_float_fmt_short(F)
 *     scientific -> tb_float_fmt_scientific(F, (int32_t)n)
 *     decimals   -> tb_float_fmt_decimals(F, (int32_t)n, compact)
 */
#ifndef TB_FLOAT_FMT_H
#define TB_FLOAT_FMT_H
#include <stddef.h>
#include <stdbool.h>

/* ERTS formats into a 256-byte buffer: any result of 256+ chars is badarg. */
#define TB_FLOAT_BUF 256

/* float_to_list(F): "%.20e", e.g. 0.1 -> "1.00000000000000005551e-01". */
int tb_float_fmt_default(double d, char *buf, size_t cap);

/* [short]: shortest digits that read back as d (the closest such digits when
 * several exist, ties to even, as Ryu).  Layout: if |d| < 2^53 and the plain
 * decimal form is not longer than the scientific form (ties -> plain), plain:
 * "123456.0", "0.001", "100.0", "0.0001"; otherwise scientific with one digit
 * before the point, at least one after, exponent without '+' or leading
 * zeros: "1.0e3", "1.0e-5", "1.2345e20", "9.007199254740992e15". */
int tb_float_fmt_short(double d, char *buf, size_t cap);

/* {scientific,N}: "%.*e".  badarg iff the text is 256+ chars (so N <= 249
 * at best, N = 248 already fails for "-1.0e100").  A negative N is NOT
 * badarg in ERTS: the C printf treats it as 6 digits. */
int tb_float_fmt_scientific(double d, int digits, char *buf, size_t cap);

/* {decimals,N} [+ compact].  N < 0 -> badarg.
 *   |d| <= 2^53 and N <= 18: ERTS's own rounding, NOT printf's: integer
 *     part floor(|d|), fraction round((|d|-floor|d|) * 10^N) computed in
 *     doubles, halves away from zero (0.125 -> "0.13", 2.5/0 -> "3",
 *     but 2.675 -> "2.67" since 2.675 is really 2.67499..).
 *   otherwise: printf "%.*f" (exact, ties to even); badarg iff that text is
 *     256+ chars: e.g. 1.0e300/0, N >= 254 always, -1.0 with N = 253.
 *   Sign: "-" whenever the sign bit is set: -0.0 -> "-0.00", -0.001/2 ->
 *   "-0.00", -0.4/0 -> "-0".
 *   compact: strip trailing zeros but keep one after the point ("1.0").
 *     Quirk kept: with N = 0 on the printf path (|d| > 2^53) zeros are
 *     stripped from the integer itself: 1.0e20 -> "1"; 100.0 -> "100". */
int tb_float_fmt_decimals(double d, int decimals, bool compact, char *buf, size_t cap);

/* erlang:display/1 and erts_printf %T: "%.6e", 1.0 -> "1.000000e+00". */
int tb_float_fmt_display(double d, char *buf, size_t cap);

/* list_to_float/1, binary_to_float/1 on bytes s[0..len).  Returns 0 and sets
 * *out, or -1 for badarg.  Accepted syntax (ERTS sys_chars_to_double):
 *   [+-]? DIGIT+ ('.'|',') DIGIT+ ([eE] [+-]? DIGIT+)?
 * with no surrounding blanks; "1", "1.", ".5", "1e5", "1.0e", "inf" fail;
 * ',' works as the point ("1,5" -> 1.5).  Parsing stops at the first NUL
 * byte, as ERTS hands a C string to the scanner: "1.0\0junk" -> 1.0.
 * Overflow to +-inf is badarg; underflow gives 0.0 / -0.0 / a subnormal.
 * No length limit.  (List->bytes conversion, including badarg for chars
 * > 255, is the caller's job.) */
int tb_float_parse(const char *s, size_t len, double *out);

#endif
