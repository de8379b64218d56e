#!/bin/sh
# hash_gen.sh — regenerate erts-tests/unit/test_hash_data.h from real erl
# (OTP 25): for a few hundred terms, their external format (so the C tests
# build the very same terms), erlang:phash2/2 and erlang:phash/2 with range
# 2^32 (the full 32-bit hashes), and erlang:display/1's output; plus a
# comparison matrix (==/</>, =:=, map-key order) over a smaller term list,
# and hashes of a few huge terms the tests build directly in C.
# Usage: sh erts-tests/diff/hash_gen.sh   (from the repository root)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/erts-tests/unit/test_hash_data.h"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/hash_gen.erl" <<'EOF'
-module(hash_gen).
-export([write_terms/1, display/1, emit/3]).
-compile(nowarn_deprecated_function).

%% funs with 0, 1, 2 and 3 free variables, and with arguments
f0() -> fun() -> ok end.
f1(X) -> fun() -> X end.
f2(X, Y) -> fun(Z) -> {X, Y, Z} end.
f3(X, Y, Z) -> fun(A, B) -> [A, B, X, Y, Z] end.

ints() ->
    P = [0, 1, 2, 3, 7, 100, 255, 256, 1000, 65535, 65536, 1 bsl 24,
         (1 bsl 27) - 1, 1 bsl 27, (1 bsl 27) + 1, (1 bsl 31) - 1, 1 bsl 31,
         (1 bsl 32) - 1, 1 bsl 32, (1 bsl 32) + 1, 1 bsl 40, (1 bsl 59) - 1,
         1 bsl 59, (1 bsl 59) + 1, 1 bsl 60, (1 bsl 63) - 1, 1 bsl 63,
         (1 bsl 64) - 1, 1 bsl 64, (1 bsl 64) + 1, 1 bsl 96, 1 bsl 100,
         (1 bsl 128) - 1, 1 bsl 128, 1 bsl 200, 12345678901234567890123456789,
         pow10(40), pow10(100), 1 bsl 1000],
    P ++ [-X || X <- P, X =/= 0].

pow10(0) -> 1;
pow10(N) -> 10 * pow10(N - 1).

floats() ->
    [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.141592653589793, 1.0e15, 1.0e16,
     9007199254740992.0, 9007199254740993.0e3, 1.0e300, -1.0e300, 5.0e-324,
     2.2250738585072014e-308, 1.7976931348623157e308, 123456.789, 0.1, 1.0e-5,
     5.764607523034235e17, 1.152921504606847e18, 1.8446744073709552e19,
     -1.8446744073709552e19, 1.2676506002282294e30].

atoms() ->
    ['', a, b, ok, error, abc, 'Hello W', '[]', 'a b', 'and', 'fun', 'a@b',
     'a.b', a_B9, '_x', '9a', 'A', 'ñu', 'Ñu', 'ß', '÷', 'ÿ', 'a\nb', 'a\'b',
     'a\\b', 'a"b', 'a\tb\fc\rd\be\vf', 'a\eb', 'x\x{1}y', 'z\x{7f}',
     'é\x{80}', 'a\x{9f}b', 'a\x{a0}b', nonode@nohost, 'Q m',
     list_to_atom([16#65e5, 16#672c]), list_to_atom([$a, 16#100]),
     list_to_atom([16#10FFFF]), list_to_atom([$a, 16#2028, $b]),
     list_to_atom(lists:duplicate(255, $z)),
     list_to_atom(lists:duplicate(255, 16#e9)),
     list_to_atom(lists:duplicate(100, 16#1F600))].

bins() ->
    [list_to_binary(lists:seq(1, N)) || N <- lists:seq(0, 40)] ++
    [<<"abc">>, <<"a\nb">>, <<"a\"b">>, <<"a\\b">>, <<"~">>, <<127>>,
     <<"ab", 0>>, <<"é"/utf8>>, <<" ">>, list_to_binary(lists:seq(0, 255)),
     binary:copy(<<"xyz">>, 400), binary:copy(<<1,2,3,4,5,6,7>>, 1000)] ++
    [<<1:1>>, <<0:1>>, <<1:2>>, <<5:3>>, <<9:4>>, <<17:5>>, <<33:6>>,
     <<127:7>>, <<"abc", 1:1>>, <<1, 2, 3:4>>, <<255, 127:7>>,
     <<"abcdefghijkl", 3:2>>, <<"abcdefghijklm", 99:7>>,
     <<(binary:copy(<<"q">>, 100))/binary, 5:3>>].

strs() ->
    ["", "a", "ab", "abc", "abcd", "abcde", "abcdefgh", "hello world",
     [10], [13], [9], [7], [8], [11], [12], [27], [127], [128], [159], [160],
     [200], [255], [256], [1000], [0], [31], [32], "a\"b", "a\\b", "a'b",
     "a\nb", "a\rb\tc", [$a | b], [1, 2 | x], "ab" ++ [300], [$a, $b | c],
     ["abc" | "def"], ["abc" | de], [[]], [[], []], [a | []], [[a]],
     lists:seq(0, 300), lists:seq(32, 126), lists:seq(160, 255),
     [-1], [1 bsl 70], [1.0], [a, "ab", [$a, 1.0]], [[[[]]]],
     lists:duplicate(1000, $x), [{}], [<<>>]].

tuples() ->
    [{}, {a}, {1, 2}, {1, {2, 3}}, {[], <<>>, #{}}, {a, b, c, d, e, f, g},
     list_to_tuple(lists:seq(1, 100)), {{{{{}}}}}, {1.0, -1, "s", <<1:1>>}].

maps() ->
    Big = fun(N, V) -> maps:from_list([{I, V(I)} || I <- lists:seq(1, N)]) end,
    [#{}, #{a => 1}, #{a => 1, b => 2}, #{1 => a, 1.0 => b},
     #{[1] => {}, "s" => #{}}, #{0.0 => z}, #{-0.0 => z}, #{a => #{b => #{c => d}}},
     #{<<"k">> => <<"v">>, {t} => [l]},
     Big(32, fun(I) -> I end), Big(33, fun(_) -> x end), Big(40, fun(I) -> I end),
     Big(100, fun(I) -> {I} end), Big(1000, fun(I) -> -I end),
     maps:from_list([{integer_to_list(I), I} || I <- lists:seq(1, 64)])].

others() ->
    [list_to_pid("<0.0.0>"), list_to_pid("<0.1.0>"), list_to_pid("<0.5.0>"),
     list_to_pid("<0.5.1>"), list_to_pid("<0.80.3>"), list_to_pid("<0.32767.0>"),
     list_to_pid("<0.32767.8191>"), list_to_pid("<0.12345.17>"),
     list_to_port("#Port<0.0>"), list_to_port("#Port<0.5>"),
     list_to_port("#Port<0.40000>"), list_to_port("#Port<0.268435455>"),
     list_to_ref("#Ref<0.1.2.3>"), list_to_ref("#Ref<0.0.0.0>"),
     list_to_ref("#Ref<0.3055088631.848822274.123678>"),
     list_to_ref("#Ref<0.2683607215.43778049.165816>"),
     f0(), f1(42), f1(f1(a)), f2(a, "b"), f3(1, 2.0, [x]), f1(1 bsl 80),
     fun lists:map/2, fun erlang:'+'/2, fun 'a b':'c d'/0, fun hash_gen:emit/3,
     fun erlang:abs/1, fun ets:new/2,
     {f1(1), list_to_pid("<0.7.0>")}, [list_to_port("#Port<0.9>") | list_to_ref("#Ref<0.4294967295.1.262143>")]].

%% deterministic random terms
rnd_term(0) -> rnd_leaf();
rnd_term(D) ->
    case rand:uniform(10) of
        1 -> list_to_tuple([rnd_term(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)]);
        2 -> [rnd_term(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)];
        3 -> maps:from_list([{rnd_term(D - 1), rnd_term(D - 1)} || _ <- lists:seq(1, rand:uniform(4) - 1)]);
        4 -> [rnd_term(D - 1) | rnd_leaf()];
        _ -> rnd_leaf()
    end.

rnd_leaf() ->
    case rand:uniform(9) of
        1 -> rand:uniform(1000) - 500;
        2 -> (rand:uniform(1 bsl 62) - (1 bsl 61)) * (rand:uniform(1 bsl 40));
        3 -> (rand:uniform() - 0.5) * math:pow(10, rand:uniform(40) - 20);
        4 -> lists:nth(rand:uniform(6), [a, b, foo, 'B', 'é', []]);
        5 -> [rand:uniform(300) - 1 || _ <- lists:seq(1, rand:uniform(6) - 1)];
        6 -> list_to_binary([rand:uniform(256) - 1 || _ <- lists:seq(1, rand:uniform(30) - 1)]);
        7 -> N = rand:uniform(60), <<(rand:uniform(1 bsl N) - 1):N>>;
        8 -> [rand:uniform(95) + 31 || _ <- lists:seq(1, rand:uniform(8))];
        9 -> rand:uniform(1 bsl 59)
    end.

hash_terms() ->
    rand:seed(exsss, {17, 42, 99}),
    ints() ++ floats() ++ atoms() ++ bins() ++ strs() ++ tuples() ++ maps() ++
        others() ++ [rnd_term(3) || _ <- lists:seq(1, 300)].

cmp_terms() ->
    rand:seed(exsss, {5, 6, 7}),
    [0, 1, -1, 2, 1.0, -1.0, 0.0, -0.0, 0.5, 2.0, 1 bsl 59, -(1 bsl 59),
     (1 bsl 59) - 1, 5.764607523034235e17, 1 bsl 64, 1.8446744073709552e19,
     -(1 bsl 64), -1.8446744073709552e19, (1 bsl 53) + 1, 9007199254740992.0,
     1 bsl 1100, -(1 bsl 1100), 1.0e308, -1.0e308, 1.0e-300,
     '', a, aa, ab, b, 'B', 'é', 'ÿ', list_to_atom([16#100]),
     list_to_ref("#Ref<0.1.2.3>"), list_to_ref("#Ref<0.1.2.4>"),
     list_to_ref("#Ref<0.1.1.9>"), list_to_ref("#Ref<0.2.0.0>"),
     f0(), f1(1), f1(1.0), f1(2), f2(1, 2), f3(a, b, c),
     fun lists:map/2, fun lists:map/3, fun lists:foldl/3, fun a:b/0,
     list_to_port("#Port<0.1>"), list_to_port("#Port<0.2>"),
     list_to_pid("<0.6.0>"), list_to_pid("<0.5.1>"), list_to_pid("<0.4.2>"),
     {}, {a}, {1}, {1.0}, {0.5}, {1, 2}, {1, 1.0}, {b, a}, {{}},
     #{}, #{a => 1}, #{a => 1.0}, #{a => 0}, #{b => 0}, #{1 => a}, #{1.0 => a},
     #{a => 1, b => 2}, #{a => #{1 => 2}}, #{a => #{1 => 2.0}},
     #{#{a => 1} => x}, #{#{a => 1.0} => x},
     [], [1], [1.0], [1, 2], [1 | 2], [1 | 2.0], [a], "abc", "abd", "ab",
     [[]], [[1]], [[1.0]], [1, 2, 3 | x], [1, 2, 3 | 1.0], [{1}], [{1.0}],
     <<>>, <<0:1>>, <<1:1>>, <<1>>, <<1, 2>>, <<1:7>>, <<1:3>>, <<32:6>>,
     <<255>>, <<1, 2, 3:4>>, <<"abc">>, <<"abd">>, <<"ab">>,
     maps:from_list([{I, I} || I <- lists:seq(1, 33)]),
     maps:from_list([{I, I} || I <- lists:seq(1, 34)])] ++
    [rnd_term(2) || _ <- lists:seq(1, 40)].

write_terms(File) ->
    ok = file:write_file(File, term_to_binary({hash_terms(), cmp_terms()})).

display(File) ->
    {ok, B} = file:read_file(File),
    {Hs, _} = binary_to_term(B),
    [erlang:display(T) || T <- Hs],
    ok.

emit(TermsFile, DispFile, Out) ->
    {ok, B} = file:read_file(TermsFile),
    {Hs, Cs} = binary_to_term(B),
    {ok, D} = file:read_file(DispFile),
    Lines = binary:split(D, <<"\r\n">>, [global]),
    {Disp, [<<>>]} = lists:split(length(Hs), Lines),
    H = [io_lib:format("    {\"~s\", ~10bu, ~10bu, \"~s\"},~n",
                       [hex(term_to_binary(T)), erlang:phash2(T, 1 bsl 32),
                        erlang:phash(T, 1 bsl 32) - 1, cstr(L)])
         || {T, L} <- lists:zip(Hs, Disp)],
    CT = [io_lib:format("    \"~s\",~n", [hex(term_to_binary(T))]) || T <- Cs],
    Row = fun(F) -> [io_lib:format("    \"~s\",~n", [[F(A, X) || X <- Cs]]) || A <- Cs] end,
    Ord = fun(A, X) when A < X -> $<; (A, X) when A > X -> $>; (_, _) -> $= end,
    XOrd = fun(A, X) ->
                   case A =:= X of
                       true -> $=;
                       false -> case hd(maps:keys(#{A => 0, X => 0})) =:= A of
                                    true -> $<; false -> $> end
                   end
           end,
    XEq = fun(A, X) when A =:= X -> $1; (_, _) -> $0 end,
    Deep = lists:foldl(fun(_, Acc) -> [Acc] end, [], lists:seq(1, 100000)),
    DeepT = lists:foldl(fun(_, Acc) -> {Acc, x} end, x, lists:seq(1, 100000)),
    Long = lists:seq(1, 1000000),
    LongT = [{I} || I <- lists:seq(1, 100000)],
    Big = [{"DEEP_LIST_100K", Deep}, {"DEEP_TUPLE_100K", DeepT},
           {"LONG_LIST_1M", Long}, {"LONG_TUPLE_LIST_100K", LongT}],
    BigL = [io_lib:format("#define HG_~s_PHASH2 ~bu~n#define HG_~s_PHASH ~bu~n",
                          [N, erlang:phash2(T, 1 bsl 32), N, erlang:phash(T, 1 bsl 32) - 1])
            || {N, T} <- Big],
    ok = file:write_file(Out, [
        "/* test_hash_data.h - GENERATED by erts-tests/diff/hash_gen.sh from real erl ",
        erlang:system_info(otp_release), ". Do not edit.\n",
        " * hg_cases: {term_to_binary hex, phash2(T, 2^32), phash(T, 2^32) - 1, erlang:display text}\n",
        " * hg_cmp_*: row i, column j = order / =:= / map-key order of cmp term i vs j. */\n",
        "struct hg_case { const char *etf; uint32_t phash2, phash; const char *display; };\n",
        "static const struct hg_case hg_cases[] = {\n", H, "};\n",
        "static const char *const hg_cmp_terms[] = {\n", CT, "};\n",
        "static const char *const hg_cmp_order[] = {\n", Row(Ord), "};\n",
        "static const char *const hg_cmp_exact_eq[] = {\n", Row(XEq), "};\n",
        "static const char *const hg_cmp_key_order[] = {\n", Row(XOrd), "};\n",
        BigL]).

hex(B) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= B].

%% C string literal: printable ASCII as is, everything else as 3-digit octal
cstr(B) -> [c(X) || <<X>> <= B].
c($") -> "\\\"";
c($\\) -> "\\\\";
c($?) -> "\\?";
c(X) when X >= 32, X < 127 -> X;
c(X) -> io_lib:format("\\~3.8.0b", [X]).
EOF

cd "$TMP"
erlc hash_gen.erl
erl -noshell -pa "$TMP" -eval 'hash_gen:write_terms("terms.bin")' -s init stop
erl -noshell -pa "$TMP" -eval 'hash_gen:display("terms.bin")' -s init stop > display.txt
erl -noshell -pa "$TMP" -eval "hash_gen:emit(\"terms.bin\", \"display.txt\", \"$OUT\")" -s init stop
echo "wrote $OUT"
