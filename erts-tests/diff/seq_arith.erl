%% Arithmetic, bignums and number<->text conversions (emu/big.c, emu/arith.c,
%% bifs/bif_arith.c, bifs/bif_math.c).  Every operand goes through id/1 so
%% that nothing is constant-folded by the compiler.
-module(seq_arith).
-export([main/0]).

id(X) -> X.
t(F) -> try F() catch C:R -> {C, R} end.
d(X) -> erlang:display(X).

vals() ->
    P59 = id(1 bsl 59),
    [0, 1, -1, 7, -3, P59 - 1, P59, -P59, -P59 - 1, 1 bsl 63, -(1 bsl 64), (1 bsl 64) - 1,
     (1 bsl 128) + 12345, -123456789012345678901234567890123456789, 0.5, -2.5, 1.0e300, -0.0, a].

ops() ->
    [fun erlang:'+'/2, fun erlang:'-'/2, fun erlang:'*'/2, fun erlang:'/'/2, fun erlang:'div'/2,
     fun erlang:'rem'/2, fun erlang:'band'/2, fun erlang:'bor'/2, fun erlang:'bxor'/2].

main() ->
    Vs = [id(V) || V <- vals()],
    [d({A, B, [t(fun() -> Op(A, B) end) || Op <- ops()]}) || A <- Vs, B <- Vs],
    %% inline operators (the interpreter's fast paths and their fallbacks)
    [d({A, B, t(fun() -> A + B end), t(fun() -> A - B end), t(fun() -> A * B end),
        t(fun() -> A div B end), t(fun() -> A rem B end), t(fun() -> A band B end),
        t(fun() -> A bor B end), t(fun() -> A bxor B end)}) || A <- Vs, B <- Vs],
    Shifts = [0, 1, -1, 3, -3, 59, 60, 63, 64, 65, -64, -65, 200, -200, 1 bsl 40, -(1 bsl 40), 1 bsl 80, -(1 bsl 80), 1.0, a],
    [d({A, S, t(fun() -> A bsl S end), t(fun() -> A bsr S end)}) || A <- Vs, S <- [id(X) || X <- Shifts]],
    [d({A, t(fun() -> -A end), t(fun() -> +A end), t(fun() -> bnot A end), t(fun() -> abs(A) end),
        t(fun() -> float(A) end), t(fun() -> trunc(A) end), t(fun() -> round(A) end),
        t(fun() -> floor(A) end), t(fun() -> ceil(A) end)}) || A <- Vs],
    Big = id(1 bsl 1024),
    d([t(fun() -> float(Big) end), t(fun() -> Big + 0.5 end), t(fun() -> Big / Big end),
       t(fun() -> float(Big - (1 bsl 970)) end), t(fun() -> float(Big - (1 bsl 970) - 1) end),
       t(fun() -> float((1 bsl 128) + (1 bsl 75) + 1) end)]),
    Max = id(33554367),
    X = 1 bsl Max,
    d([t(fun() -> _ = X + X, ok end), t(fun() -> _ = (X - 1) + (X - 1), ok end),
       t(fun() -> _ = X * 2, ok end), t(fun() -> _ = -1 bsl Max, ok end),
       t(fun() -> _ = 1 bsl (Max + 1), ok end), t(fun() -> X bsr Max end)]),
    text(),
    math(),
    ok.

text() ->
    Ints = [id(I) || I <- [0, -1, 255, -(1 bsl 59), (1 bsl 130) + 987654321, -1234567890123456789012345678901234567890]],
    [d({I, B, integer_to_list(I, B), integer_to_binary(I, B)}) || I <- Ints, B <- [2, 3, 8, 10, 16, 36]],
    d([integer_to_list(I) || I <- Ints]),
    Bad = [id(X) || X <- [1.0, a, "1"]],
    d([t(fun() -> integer_to_list(X) end) || X <- Bad]),
    d([t(fun() -> integer_to_list(1, B) end) || B <- [id(X) || X <- [1, 37, 16.0, a, 1 bsl 64]]]),
    Strs = ["0", "-0", "+12", "", "-", "+", "--1", " 1", "1 ", "1.0", "1_0", "ff", "FF", "zZ",
            "576460752303423488", "-576460752303423489", "-00000000000000000000000000012345678901234567890",
            [$1, 306], [$-, 256 + $2], [256 + $-, $2], [$1 | $2], [$1, -1], [$1, 1.0], a, <<"1">>],
    [d({S, t(fun() -> list_to_integer(id(S)) end), t(fun() -> list_to_integer(id(S), 16) end),
        t(fun() -> list_to_integer(id(S), 36) end)}) || S <- Strs],
    Bins = [<<"12">>, <<"-ff">>, <<"1", 0>>, <<>>, <<"12", 1:1>>, "12", <<"+000000000000000000000000000000000000000009">>],
    [d({B, t(fun() -> binary_to_integer(id(B)) end), t(fun() -> binary_to_integer(id(B), 16) end)}) || B <- Bins],
    d([t(fun() -> binary_to_integer(<<"12">>, B) end) || B <- [id(X) || X <- [1, 37, 2, 16.0, 1 bsl 70]]]),
    Fs = [id(F) || F <- [1.0, 0.1, -0.0, 1.0e300, 123456.789, 5.0e-324]],
    Opts = [[], [short], [{decimals, 3}], [{decimals, 3}, compact], [compact, {decimals, 10}],
            [{scientific, 3}], [{scientific, 0}], [{decimals, 0}], [{decimals, 256}], [{decimals, -1}],
            [{scientific, 1 bsl 60}], [bad], [short | bad], bad, [{decimals, 3}, {decimals, a}],
            [{scientific, 2}, short, {decimals, 2}]],
    [d({F, O, t(fun() -> float_to_list(F, id(O)) end), t(fun() -> float_to_binary(F, id(O)) end)}) || F <- Fs, O <- Opts],
    d([{float_to_list(F), float_to_binary(F)} || F <- Fs]),
    d([t(fun() -> float_to_list(X) end) || X <- [id(1), id(a)]]),
    FStrs = ["1.5", "1", "1.", ".5", "1e5", "1.5e400", "-1.5E-3", "1,5", [$1, $., 256 + $5], [$1, $., $5 | a], a,
             [$1, $., $5, 0, $x]],
    d([t(fun() -> list_to_float(id(S)) end) || S <- FStrs]),
    d([t(fun() -> binary_to_float(id(B)) end) || B <- [<<"1.5">>, <<"1.5", 1:1>>, <<"1.5", 0, "junk">>, a, <<"2.0e2">>]]).

math() ->
    Args = [id(X) || X <- [0, 1, -1, 0.5, -0.0, 2, 1000, -1000, 709.8, 1 bsl 2000, 1.0e300, a]],
    F1 = [sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, exp, log, log2, log10,
          sqrt, erf, erfc, ceil, floor],
    [d({F, [t(fun() -> math:F(X) end) || X <- Args]}) || F <- F1],
    [d({F, X, [t(fun() -> math:F(X, Y) end) || Y <- Args]}) || F <- [atan2, pow, fmod], X <- Args],
    d(math:pi()).
