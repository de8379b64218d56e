#!/bin/sh
# Reference values for emu/float_fmt.c, produced by the real ERTS (erl).
#
#   float_fmt_gen.sh [COUNT [SEED]]        TSV on stdout, one check per line:
#       KIND <TAB> BITS(hex) <TAB> ARG <TAB> RESULT     (RESULT "badarg" on error)
#     KIND: short | default | display | sci (ARG=N) | dec (ARG=N) | decc (ARG=N,
#     with compact) | parse (BITS unused, ARG = input string, RESULT = bits
#     of list_to_float(ARG) as hex or "badarg")
#   float_fmt_gen.sh --c [COUNT [SEED]]    the same as C initialisers
#     { "KIND", 0xBITSull, "ARG", "RESULT" }, for the Criterion test table.
set -eu
C=0
if [ "${1:-}" = "--c" ]; then C=1; shift; fi
COUNT=${1:-200}
SEED=${2:-42}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/ffgen.erl" <<'EOF'
-module(ffgen).
-export([main/1, display/1, bitlist/1]).

%% Deterministic list of interesting doubles: fixed edge cases, then random
%% bit patterns, "decimal looking" values, integers and rounding ties.
values(Count, Seed) ->
    rand:seed(exsss, {Seed, Seed * 7 + 1, Seed * 13 + 5}),
    Fixed = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1/3, 2/3, 0.5, 1.5, 2.5,
             5.0e-324, 1.0e-323, 2.2250738585072009e-308, 2.2250738585072014e-308,
             1.7976931348623157e308, -1.7976931348623157e308,
             9007199254740991.0, 9007199254740992.0, 9007199254740994.0,
             -9007199254740991.0, -9007199254740992.0, 4503599627370496.5,
             1.0e15, 1.0e16, 1.0e17, 1.0e20, 1.0e21, 1.0e22, 1.0e23,
             123456789012345678.0, 123456.0, 1234567.0, 0.001, 0.0001, 1.0e-5,
             1.0e-7, 100.0, 1000.0, 0.125, 0.375, 2.675, 1.005, 0.145, 0.045,
             0.999, 9.5, 0.05, 1.0e-10, 1.0e-100, 1.0e100, 1.0e200, 1.0e250,
             1.0e300, 2.0e53, 5.0e-5, 1.5e-5, 0.000123, 2.5e-4, 9.9999995,
             299792458.0, 6.02214076e23, 6.62607015e-34, 3.141592653589793,
             2.718281828459045, 1.2345678901234567e-300, 4.35, 0.7, 1.1, 2.3,
             1.0e-6, 1.0e-3, 12.5, 0.015, 0.025, 0.035, 1.45, 8.125, 0.0625],
    Pow2 = [math:pow(2.0, E) || E <- lists:seq(-1074, 1023, 97)],
    Pow10 = [list_to_float("1.0e" ++ integer_to_list(E)) || E <- lists:seq(-20, 25)],
    Rand = [rnd(I rem 5) || I <- lists:seq(1, Count)],
    Fixed ++ Pow2 ++ Pow10 ++ Rand.

rnd(0) -> rnd_bits();
rnd(1) -> rnd_bits();
rnd(2) -> sgn() * rand:uniform(10000000) / math:pow(10.0, rand:uniform(12) - 1);
rnd(3) -> sgn() * float(rand:uniform(1 bsl (rand:uniform(62))));
rnd(4) -> sgn() * ((rand:uniform(2000) - 1) + 0.5) / math:pow(10.0, rand:uniform(4) - 1).

sgn() -> case rand:uniform(2) of 1 -> 1.0; 2 -> -1.0 end.

rnd_bits() ->
    B = rand:uniform(1 bsl 64) - 1,
    case (B bsr 52) band 2047 of
        2047 -> rnd_bits();
        _ -> <<F/float>> = <<B:64>>, F
    end.

bits(F) -> <<B:64>> = <<F/float>>, lists:flatten(io_lib:format("~16.16.0b", [B])).

r(Fun) -> try Fun() catch error:badarg -> "badarg" end.
line(K, F, A, R) -> io:format("~s\t~s\t~s\t~s~n", [K, bits(F), A, R]).

main([CountS, SeedS]) ->
    Vs = values(list_to_integer(CountS), list_to_integer(SeedS)),
    lists:foreach(fun check/1, Vs),
    lists:foreach(fun parse_checks/1, Vs).

check(F) ->
    line("short", F, "", float_to_list(F, [short])),
    line("default", F, "", float_to_list(F)),
    %% small N exercise the rounding; N near the limits exercise badarg
    SciN = case rand:uniform(8) of 1 -> 240 + rand:uniform(12); _ -> rand:uniform(26) - 1 end,
    line("sci", F, integer_to_list(SciN), r(fun() -> float_to_list(F, [{scientific, SciN}]) end)),
    DecN = case rand:uniform(8) of 1 -> 240 + rand:uniform(16); _ -> rand:uniform(24) - 1 end,
    line("dec", F, integer_to_list(DecN), r(fun() -> float_to_list(F, [{decimals, DecN}]) end)),
    line("decc", F, integer_to_list(DecN), r(fun() -> float_to_list(F, [{decimals, DecN}, compact]) end)),
    DecS = rand:uniform(19) - 1,  %% the fast path
    line("dec", F, integer_to_list(DecS), r(fun() -> float_to_list(F, [{decimals, DecS}]) end)),
    line("decc", F, integer_to_list(DecS), r(fun() -> float_to_list(F, [{decimals, DecS}, compact]) end)).

%% Parse what ERTS printed, plus a few mangled variants.
parse_checks(F) ->
    S = float_to_list(F, [short]),
    Ins = [S, float_to_list(F), lists:flatten(string:replace(S, ".", ",")),
           lists:filter(fun(C) -> C =/= $. end, S)],
    [io:format("parse\t0\t~s\t~s~n", [In, r(fun() -> bits(list_to_float(In)) end)])
     || In <- Ins].

%% erlang:display/1 writes straight to stdout (so it gets its own run);
%% bitlist/1 prints the matching floats, one per line.
display([CountS, SeedS]) ->
    [erlang:display(F) || F <- values(list_to_integer(CountS), list_to_integer(SeedS))].

bitlist([CountS, SeedS]) ->
    [io:format("~s~n", [bits(F)]) || F <- values(list_to_integer(CountS), list_to_integer(SeedS))].
EOF
(cd "$TMP" && erlc ffgen.erl)

erl -noshell -pa "$TMP" -run ffgen main "$COUNT" "$SEED" -s init stop > "$TMP/main.tsv"
erl -noshell -pa "$TMP" -run ffgen display "$COUNT" "$SEED" -s init stop | tr -d '\r' > "$TMP/disp.txt"
erl -noshell -pa "$TMP" -run ffgen bitlist "$COUNT" "$SEED" -s init stop > "$TMP/bits.txt"
paste "$TMP/bits.txt" "$TMP/disp.txt" | awk -F'\t' '{ printf "display\t%s\t\t%s\n", $1, $2 }' >> "$TMP/main.tsv"

if [ $C = 1 ]; then
    awk -F'\t' '{ printf "    { \"%s\", 0x%sull, \"%s\", \"%s\" },\n", $1, $2, $3, $4 }' "$TMP/main.tsv"
else
    cat "$TMP/main.tsv"
fi
