%% Deep recursion: one million non-tail frames, a long tail loop, a long list.
%% no-gc-stress: collecting at every call with a million frames is quadratic.
-module(seq_deep).
-export([main/0]).

main() ->
    erlang:display(deep(1000000)),
    erlang:display(loop(10000000, 0)),
    erlang:display(length(build(1000000, []))),
    erlang:display(lists:sum(lists:seq(1, 1000000))),
    erlang:display(tuple_size(list_to_tuple(lists:seq(1, 100000)))),
    ok.

deep(0) -> 0;
deep(N) -> 1 + deep(N - 1).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, Acc + 1).

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).
