%% Sequential basics: recursion, lists, tuples, guards, case/if, funs.
-module(seq_basic).
-export([main/0]).

main() ->
    erlang:display(fib(20)),
    erlang:display(len([a, b, c, d])),
    erlang:display(lists:reverse(lists:seq(1, 20))),
    erlang:display(lists:sum(lists:seq(1, 1000))),
    erlang:display([X * 2 || X <- lists:seq(1, 10), X rem 2 =:= 0]),
    erlang:display(classify(3)), erlang:display(classify(-3)), erlang:display(classify(0)),
    erlang:display(classify(a)), erlang:display(classify({1, 2})), erlang:display(classify([1])),
    T = {a, b, c},
    erlang:display(element(2, T)), erlang:display(setelement(2, T, x)),
    erlang:display(tuple_size(T)), erlang:display(tuple_to_list(T)),
    erlang:display(list_to_tuple([1, 2, 3])),
    F = fun(X, Y) -> X + Y end,
    erlang:display(F(1, 2)),
    G = adder(10),
    erlang:display(G(5)),
    erlang:display(lists:foldl(fun(X, Acc) -> X + Acc end, 0, [1, 2, 3])),
    erlang:display(lists:keyfind(b, 1, [{a, 1}, {b, 2}])),
    erlang:display(lists:member(c, [a, b, c])),
    erlang:display(apply(lists, reverse, [[1, 2, 3]])),
    erlang:display(apply(F, [3, 4])),
    erlang:display([1, 2] ++ [3]), erlang:display([1, 2, 3, 2] -- [2]),
    erlang:display([1, 2, 3, 2, 1, 4] -- [2, 1, 5, 1, 1]),
    erlang:display([a, 1, 1.0, {x}, "s", <<"b">>] -- [1.0, {x}, <<"b">>]),
    Big = lists:seq(1, 100000),
    erlang:display(length(Big -- lists:seq(1, 100000, 3))),
    erlang:display(atom_to_list(hello)), erlang:display(list_to_atom("world")),
    erlang:display(length(lists:duplicate(100, x))),
    erlang:display(loop(1000000, 0)),
    erlang:display(deep(10000)),
    erlang:display(lists:sort([3, 1, 2, c, a, b, 2.5, "str", {t}])),
    erlang:display(string_ops()),
    erlang:display(max(1, 2)), erlang:display(min(a, 1)),
    ok.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

len([]) -> 0;
len([_ | T]) -> 1 + len(T).

classify(X) when is_integer(X), X > 0 -> positive;
classify(X) when is_integer(X), X < 0 -> negative;
classify(0) -> zero;
classify(X) when is_atom(X) -> atom;
classify(X) when is_tuple(X) -> tuple;
classify(_) -> other.

adder(N) -> fun(X) -> X + N end.

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, Acc + 1).

deep(0) -> 0;
deep(N) -> 1 + deep(N - 1).

string_ops() ->
    S = "hello world",
    {string:length(S), lists:nth(1, string:tokens(S, " ")), string:uppercase(S)}.
