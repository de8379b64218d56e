%% Generates test_binary_vectors.h (run under real OTP 25; output to stdout).
-module(test_binary_vectors).
-export([main/0]).

hex(B) when is_bitstring(B) ->
    N = bit_size(B), Pad = (8 - N rem 8) rem 8,
    lists:flatten([io_lib:format("~2.16.0b", [X]) || <<X>> <= <<B/bits, 0:Pad>>]).
mag(V) when V < 0 -> {1, ihex(-V)};
mag(V) -> {0, ihex(V)}.
ihex(0) -> "0";
ihex(V) -> integer_to_list(V, 16).

rnd_int() ->
    case rand:uniform(8) of
        1 -> rand:uniform(256) - 128;
        2 -> rand:uniform(1 bsl 16) - (1 bsl 15);
        3 -> rand:uniform(1 bsl 40) - (1 bsl 39);
        4 -> rand:uniform(1 bsl 62) - (1 bsl 61);
        5 -> rand:uniform(1 bsl 64) - (1 bsl 63);
        6 -> rand:uniform(1 bsl 130) - (1 bsl 129);
        7 -> (1 bsl 59) - rand:uniform(3) + 1;
        8 -> -(1 bsl 59) - rand:uniform(3) + 2
    end.
rnd_size() ->
    case rand:uniform(6) of
        1 -> rand:uniform(8);
        2 -> 8 * rand:uniform(8);
        3 -> rand:uniform(70);
        4 -> lists:nth(rand:uniform(6), [59, 60, 63, 64, 65, 128]);
        5 -> 64 + rand:uniform(80);
        6 -> 100 + rand:uniform(150)
    end.

put(little, Pre, V, S) -> <<0:Pre, V:S/little>>;
put(big, Pre, V, S) -> <<0:Pre, V:S/big>>.

get(B, Pre, S, little, signed) -> <<_:Pre, X:S/little-signed, _/bits>> = B, X;
get(B, Pre, S, little, unsigned) -> <<_:Pre, X:S/little-unsigned, _/bits>> = B, X;
get(B, Pre, S, big, signed) -> <<_:Pre, X:S/big-signed, _/bits>> = B, X;
get(B, Pre, S, big, unsigned) -> <<_:Pre, X:S/big-unsigned, _/bits>> = B, X.

rnd_bits(N) -> << <<(rand:uniform(2) - 1):1>> || _ <- lists:seq(1, N) >>.

main() ->
    rand:seed(exsss, {1, 2, 3}),
    io:format("static const IntPut int_put[] = {~n"),
    [begin
         Pre = rand:uniform(16) - 1, V = rnd_int(), S = rnd_size(),
         E = lists:nth(rand:uniform(2), [big, little]),
         B = put(E, Pre, V, S), {Neg, H} = mag(V),
         io:format("    {~p, ~p, ~p, ~p, \"~s\", \"~s\", ~p},~n",
                   [Pre, S, if E == little -> 1; true -> 0 end, Neg, H, hex(B), bit_size(B)])
     end || _ <- lists:seq(1, 300)],
    io:format("};~n~n"),
    io:format("static const IntGet int_get[] = {~n"),
    [begin
         Pre = rand:uniform(16) - 1, S = rnd_size(), Extra = rand:uniform(9) - 1,
         B = rnd_bits(Pre + S + Extra),
         E = lists:nth(rand:uniform(2), [big, little]),
         Sg = lists:nth(rand:uniform(2), [signed, unsigned]),
         X = get(B, Pre, S, E, Sg), {Neg, H} = mag(X),
         io:format("    {\"~s\", ~p, ~p, ~p, ~p, ~p, ~p, \"~s\"},~n",
                   [hex(B), bit_size(B), Pre, S, if E == little -> 1; true -> 0 end,
                    if Sg == signed -> 1; true -> 0 end, Neg, H])
     end || _ <- lists:seq(1, 300)],
    io:format("};~n~n"),
    io:format("static const FloatPut float_put[] = {~n"),
    [begin
         Pre = rand:uniform(16) - 1,
         F = case rand:uniform(4) of
                 1 -> (rand:uniform() - 0.5) * math:pow(10, rand:uniform(20) - 10);
                 2 -> (rand:uniform() - 0.5) * math:pow(2, rand:uniform(80) - 40);
                 3 -> (rand:uniform() - 0.5) * 1.0e300;
                 4 -> float(rand:uniform(100000) - 50000)
             end,
         S = lists:nth(rand:uniform(3), [16, 32, 64]),
         E = lists:nth(rand:uniform(2), [big, little]),
         B = case E of big -> <<0:Pre, F:S/float>>; little -> <<0:Pre, F:S/float-little>> end,
         <<FB:64>> = <<F/float>>,
         io:format("    {~p, ~p, ~p, 0x~.16bull, \"~s\", ~p},~n",
                   [Pre, S, if E == little -> 1; true -> 0 end, FB, hex(B), bit_size(B)])
     end || _ <- lists:seq(1, 150)],
    io:format("};~n~n"),
    io:format("static const FloatGet float_get[] = {~n"),
    [begin
         Pre = rand:uniform(16) - 1,
         S = lists:nth(rand:uniform(3), [16, 32, 64]),
         E = lists:nth(rand:uniform(2), [big, little]),
         Raw = case rand:uniform(5) of
                   1 -> <<2#11111:5, (rand:uniform(1 bsl 58)):(S-5)>>;  % often inf/nan exponent
                   _ -> rnd_bits(S)
               end,
         Raw2 = case {S, rand:uniform(6)} of
                    {16, 1} -> <<0:1, 16#1F:5, 0:10>>;
                    {32, 1} -> <<1:1, 16#FF:8, 0:23>>;
                    {64, 1} -> <<0:1, 16#7FF:11, 1:52>>;
                    _ -> Raw
                end,
         B = <<0:Pre, Raw2/bits, 5:3>>,
         R = case E of
                 big -> case B of <<_:Pre, X:S/float, _/bits>> -> {ok, X}; _ -> nomatch end;
                 little -> case B of <<_:Pre, X:S/float-little, _/bits>> -> {ok, X}; _ -> nomatch end
             end,
         {Ok, FB} = case R of {ok, X2} -> <<FB2:64>> = <<X2/float>>, {1, FB2}; nomatch -> {0, 0} end,
         io:format("    {\"~s\", ~p, ~p, ~p, ~p, ~p, 0x~.16bull},~n",
                   [hex(B), bit_size(B), Pre, S, if E == little -> 1; true -> 0 end, Ok, FB])
     end || _ <- lists:seq(1, 150)],
    io:format("};~n~n"),
    io:format("static const UtfCase utf_cases[] = {~n"),
    [begin
         Pre = rand:uniform(16) - 1,
         Cp = case rand:uniform(5) of
                  1 -> rand:uniform(128) - 1;
                  2 -> rand:uniform(16#800);
                  3 -> rand:uniform(16#10000);
                  4 -> rand:uniform(16#110000) - 1;
                  5 -> lists:nth(rand:uniform(6), [16#D800, 16#DFFF, 16#110000, -1, 16#FFFF, 16#10FFFF])
              end,
         T = rand:uniform(3), E = lists:nth(rand:uniform(2), [big, little]),
         B = try case {T, E} of
                 {1, _} -> <<0:Pre, Cp/utf8>>;
                 {2, big} -> <<0:Pre, Cp/utf16>>;
                 {2, little} -> <<0:Pre, Cp/utf16-little>>;
                 {3, big} -> <<0:Pre, Cp/utf32>>;
                 {3, little} -> <<0:Pre, Cp/utf32-little>>
             end catch error:badarg -> bad end,
         case B of
             bad -> io:format("    {~p, ~p, ~p, ~p, 0, \"\", 0},~n", [Pre, T, if E == little -> 1; true -> 0 end, Cp]);
             _ -> io:format("    {~p, ~p, ~p, ~p, 1, \"~s\", ~p},~n", [Pre, T, if E == little -> 1; true -> 0 end, Cp, hex(B), bit_size(B)])
         end
     end || _ <- lists:seq(1, 150)],
    io:format("};~n~n"),
    io:format("static const UtfGet utf_get[] = {~n"),
    [begin
         Pre0 = rand:uniform(16) - 1,
         T = rand:uniform(3), E = lists:nth(rand:uniform(2), [big, little]),
         Pre = case T of 3 -> 8 * (Pre0 div 8); _ -> Pre0 end,
         Body = case rand:uniform(4) of
                    1 -> rnd_bits(rand:uniform(40));
                    2 -> <<(lists:nth(rand:uniform(8), [16#C0, 16#C1, 16#E0, 16#ED, 16#F0, 16#F4, 16#F5, 16#80])), (rnd_bits(rand:uniform(30)))/bits>>;
                    3 -> <<(16#D800 + rand:uniform(16#800) - 1):16, (rnd_bits(rand:uniform(24)))/bits>>;
                    4 -> <<(16#DC00 + rand:uniform(1024) - 1):16/little, (rnd_bits(rand:uniform(24)))/bits>>
                end,
         Body2 = case {T, E, Body} of   % ERTS 25 crashes on some large utf32 values
                     {3, big, <<_:16, RestB/bits>>} -> <<0:8, (rand:uniform(17) - 1):8, RestB/bits>>;
                     {3, little, <<F:16, _:16, RestB/bits>>} -> <<F:16, (rand:uniform(17) - 1):8, 0:8, RestB/bits>>;
                     _ -> Body
                 end,
         B = <<0:Pre, Body2/bits>>,
                  R = case {T, E} of
                 {1, _} -> case B of <<_:Pre, X/utf8, _/bits>> -> X; _ -> -1 end;
                 {2, big} -> case B of <<_:Pre, X/utf16, _/bits>> -> X; _ -> -1 end;
                 {2, little} -> case B of <<_:Pre, X/utf16-little, _/bits>> -> X; _ -> -1 end;
                 {3, big} -> case B of <<_:Pre, X/utf32, _/bits>> -> X; _ -> -1 end;
                 {3, little} -> case B of <<_:Pre, X/utf32-little, _/bits>> -> X; _ -> -1 end
             end,
         Used = case R of
                    -1 -> 0;
                    _ -> case {T, E} of
                             {1, _} -> bit_size(<<R/utf8>>);
                             {2, _} -> bit_size(<<R/utf16>>);
                             {3, _} -> 32
                         end
                end,
         io:format("    {\"~s\", ~p, ~p, ~p, ~p, ~p, ~p},~n",
                   [hex(B), bit_size(B), Pre, T, if E == little -> 1; true -> 0 end, R, Used])
     end || _ <- lists:seq(1, 200)],
    io:format("};~n"),
    ok.
