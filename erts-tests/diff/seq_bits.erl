%% Bit syntax: construction and matching of every segment type.
-module(seq_bits).
-export([main/0]).

main() ->
    d(<<1:1, 0:1, 1:1, 5:5, 300:16/little, -2:8/signed>>),
    d(<<3.5/float, 1.25:32/float, 0.5:16/float>>),
    d(<<"héllo"/utf8, 16#1F600/utf8, 16#41/utf16, 16#42/utf32-little>>),
    X = 12345678901234567890123,
    d(<<X:80, (-X):80/little-signed>>),
    <<A:80, B:80/little-signed>> = <<X:80, (-X):80/little-signed>>,
    d({A, B}),
    d(parse(<<0, 3, "abc", 1, 2, "xy">>)),
    d(<< <<(C + 1)>> || <<C>> <= <<"HAL">> >>),
    d([C || <<C:4>> <= <<16#AB, 16#CD>>]),
    Bin = build(1000, <<>>),
    d({byte_size(Bin), binary:part(Bin, 995, 5)}),
    <<_:3, Rest/bits>> = <<255, 1>>,
    d({bit_size(Rest), Rest}),
    d(c(fun() -> <<(a):8>> end)),
    d(c(fun() -> <<1:(-1)>> end)),
    d(utf8_chars(<<"añ€😀"/utf8>>)),
    d(split(<<"key=value;a=b">>)),
    d(<<0:0>>),
    d(case <<1, 2, 3>> of <<1, T/binary>> -> T; _ -> nomatch end),
    d(case <<1.0/float>> of <<F/float>> -> F end),
    d(binary_to_list(<<1, 2, 3>>, 2, 3)),
    d(list_to_bitstring([<<1:3>>, 2, <<3:5>>])),
    ok.

d(T) -> erlang:display(T).

%% class and reason only: outer stack frames differ (erl runs main from -eval)
c(F) -> try F() catch C:R -> {C, R} end.

parse(<<Len:16, Str:Len/binary, N, Rest/binary>>) -> {Str, N, Rest}.

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, <<Acc/binary, (N rem 256)>>).

utf8_chars(<<C/utf8, Rest/binary>>) -> [C | utf8_chars(Rest)];
utf8_chars(<<>>) -> [].

split(Bin) ->
    [list_to_tuple(binary:split(P, <<"=">>)) || P <- binary:split(Bin, <<";">>, [global])].
