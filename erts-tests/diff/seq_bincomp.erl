%% Binary comprehensions and accumulator appends that use the combined
%% append instruction (bs_create_bin_append_bytes): 1-8 byte integers,
%% negative and too-large values, bignums and non-integers (the general
%% path and its errors), an accumulator shared mid-way (no in-place write),
%% and appends to a binary that is not a private accumulator; byte-parsing
%% loops.
-module(seq_bincomp).
-export([main/0]).

main() ->
    L = lists:seq(-300, 300, 7),
    erlang:display(<< <<X:8>> || X <- L >>),
    erlang:display(<< <<X:16>> || X <- L >>),
    erlang:display(<< <<X:24>> || X <- L >>),
    erlang:display(<< <<X:64>> || X <- [1 bsl 59, -(1 bsl 59), 1 bsl 70, -1] >>),
    erlang:display(<< <<X:2/unit:8>> || X <- L >>),
    erlang:display(byte_size(<< <<(X band 255)>> || X <- lists:seq(1, 100000) >>)),
    erlang:display(try << <<X:8>> || X <- [1, 2, a] >> catch error:E1 -> E1 end),
    erlang:display(try << <<X:8>> || X <- [1, 2.0] >> catch error:E2 -> E2 end),
    erlang:display(acc(lists:seq(1, 20), <<>>, [])),
    Shared = acc2(lists:seq(1, 10), <<"pre">>),
    erlang:display(Shared),
    %% <<B, Rest/binary>> parsing loops (bs_start_match3_pos_x,
    %% bs_get_byte_unit8_x): aligned, a bitstring whose rest is not whole
    %% bytes, and a context that starts off a byte boundary
    erlang:display(sum(list_to_binary(lists:seq(0, 255)), 0)),
    erlang:display(sum(<<1, 2, 3, 1:3>>, 0)),
    <<_:5, Odd/bitstring>> = <<255, 1, 2, 3, 4>>,
    erlang:display({bit_size(Odd), sum(Odd, 0)}),
    <<_:3, Odd2:24/bitstring, _/bitstring>> = <<7, 8, 9, 10>>,
    erlang:display(sum(Odd2, 0)),
    erlang:display(sum(<<>>, 0)),
    ok.

sum(<<B, Rest/binary>>, Acc) -> sum(Rest, Acc + B);
sum(<<>>, Acc) -> Acc;
sum(Other, Acc) -> {rest, Other, Acc}.

%% keeps every intermediate accumulator: each append after the first copy
acc([], B, Seen) -> {B, lists:reverse(Seen)};
acc([X | T], B0, Seen) ->
    B = <<B0/binary, X:8>>,
    acc(T, B, [B | Seen]).

acc2([], B) -> B;
acc2([X | T], B) -> acc2(T, <<B/binary, (X * 1000):32>>).
