%% The quick-start demo: runs in bare mode (no OTP boot yet).
-module(demo).
-export([main/0]).

main() ->
    erlang:display(hello_from_tbeam),
    erlang:display(lists:reverse([1, 2, 3])),
    erlang:display(fib(25)),
    erlang:display(fact(30)),
    erlang:display(lists:map(fun(X) -> X * X end, lists:seq(1, 10))).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
