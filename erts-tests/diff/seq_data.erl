%% Numbers, binaries, maps and term order.
-module(seq_data).
-export([main/0]).

main() ->
    erlang:display(1 bsl 100),
    erlang:display((1 bsl 100) div 7), erlang:display(-(1 bsl 70) rem 13),
    erlang:display(fact(25)),
    erlang:display(12345678901234567890 * 98765432109876543210),
    erlang:display(-17 div 5), erlang:display(-17 rem 5), erlang:display(17 band -4),
    erlang:display(1.5 + 2), erlang:display(10 / 4), erlang:display(math:sqrt(2.0)),
    erlang:display(integer_to_list(255, 16)), erlang:display(list_to_integer("-123")),
    erlang:display(float_to_list(3.14159, [{decimals, 3}])),
    B = <<1, 2, 3, "abc">>,
    erlang:display(B), erlang:display(byte_size(B)), erlang:display(binary_to_list(B)),
    <<X:8, Y:16, Rest/binary>> = B,
    erlang:display({X, Y, Rest}),
    erlang:display(<<1:3, 5:5>>), erlang:display(<<16#12345678:32/little>>),
    erlang:display(<< <<C>> || <<C>> <= <<"hello">>, C =/= $l >>),
    erlang:display(iolist_to_binary([<<"a">>, "bc", [$d, [<<"e">>]]])),
    erlang:display(term_to_binary({a, 1, "x", [1.5]})),
    erlang:display(binary_to_term(term_to_binary({a, 1, "x", [1.5], #{k => v}}))),
    M = #{a => 1, b => 2},
    erlang:display(M#{c => 3}), erlang:display(maps:get(a, M)),
    erlang:display(maps:to_list(M#{a := 10})),
    #{b := Bv} = M, erlang:display(Bv),
    erlang:display(maps:keys(maps:from_list([{I, I} || I <- lists:seq(1, 40)]))),
    erlang:display(erlang:phash2({a, [1, 2], <<"x">>})),
    erlang:display(erlang:phash2(lists:seq(1, 100), 1000)),
    erlang:display(lists:sort([{1, a}, 1.0, 1, a, "s", <<"b">>, [], {}, #{}])),
    erlang:display(1 == 1.0), erlang:display(1 =:= 1.0),
    erlang:display(utf8_roundtrip()),
    ok.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

utf8_roundtrip() ->
    Bin = unicode:characters_to_binary("héllo"),
    {Bin, [C || <<C/utf8>> <= Bin]}.
