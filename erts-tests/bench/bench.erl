%% Compute benchmarks: each case runs a fixed workload and prints
%% {name, microseconds} measured inside the VM (so erl's boot time is excluded).
-module(bench).
-export([main/0, main/1]).

main() -> main([all]).

main([Which]) ->
    Cases = [{fib, fun() -> fib(27) end},
             {lists, fun() -> lists_work(300) end},
             {tuples, fun() -> tuples(2000000) end},
             {floats, fun() -> floats(2000000, 0.0) end},
             {bignums, fun() -> bignums(3000) end},
             {binaries, fun() -> binaries(200000) end},
             {maps, fun() -> maps_work(200000) end}],
    [run(N, F) || {N, F} <- Cases, Which =:= all orelse Which =:= N],
    ok.

%% Best of five after a warm-up (which also loads the code): the minimum is
%% the least disturbed by the rest of the machine.
run(Name, F) ->
    F(),
    erlang:display({Name, lists:min([time(F) || _ <- [1, 2, 3, 4, 5]])}).

time(F) ->
    T0 = erlang:monotonic_time(microsecond),
    F(),
    erlang:monotonic_time(microsecond) - T0.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

lists_work(0) -> ok;
lists_work(N) ->
    L = lists:seq(1, 1000),
    L2 = lists:map(fun(X) -> X * 2 end, L),
    _ = lists:foldl(fun(X, A) -> X + A end, 0, lists:reverse(L2)),
    lists_work(N - 1).

tuples(0) -> ok;
tuples(N) ->
    T = {N, N + 1, N + 2},
    {A, B, C} = setelement(2, T, element(3, T)),
    _ = A + B + C,
    tuples(N - 1).

floats(0, Acc) -> Acc;
floats(N, Acc) -> floats(N - 1, Acc + math:sqrt(N * 1.5) / (N + 0.5)).

bignums(N) -> bignums(N, 1).
bignums(0, Acc) -> Acc rem 1000007;
bignums(N, Acc) -> bignums(N - 1, Acc * (N + 1000000007)).

binaries(N) ->
    Bin = << <<(I band 255)>> || I <- lists:seq(1, N) >>,
    sum_bytes(Bin, 0).
sum_bytes(<<B, Rest/binary>>, Acc) -> sum_bytes(Rest, Acc + B);
sum_bytes(<<>>, Acc) -> Acc.

maps_work(N) ->
    M = lists:foldl(fun(I, Acc) -> Acc#{I rem 1000 => I} end, #{}, lists:seq(1, N)),
    maps:size(M).
