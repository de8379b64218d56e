%% =:= and == across shapes (emu/compare.c): lists and tuples compared word
%% by word, nesting deeper than the fast path's stack, improper lists,
%% mixed types in equal positions, numbers (1 vs 1.0, 0.0 vs -0.0),
%% binaries of different representations, maps and funs inside tuples, and
%% map lookups with compound keys (which use =:=).
-module(seq_equal).
-export([main/0]).

main() ->
    Vals = values(),
    erlang:display([[bool(X =:= Y) || Y <- Vals] || X <- Vals]),
    erlang:display([[bool(X == Y) || Y <- Vals] || X <- Vals]),
    Deep = fun Deep(0, Leaf) -> Leaf; Deep(N, Leaf) -> Deep(N - 1, [{N, Leaf}]) end,
    erlang:display([Deep(100, a) =:= Deep(100, a), Deep(100, a) =:= Deep(100, b),
                    Deep(40, 1) =:= Deep(40, 1.0), Deep(40, 1) == Deep(40, 1.0),
                    Deep(33, {x, y}) =:= Deep(33, {x, y})]),
    Wide = list_to_tuple(lists:seq(1, 1000)),
    erlang:display([Wide =:= list_to_tuple(lists:seq(1, 1000)),
                    Wide =:= setelement(1000, Wide, 1000.0), Wide == setelement(1000, Wide, 1000.0)]),
    Keys = [{b_var, N} || N <- lists:seq(1, 20)] ++ [[x | N] || N <- lists:seq(1, 10)] ++ [{1, <<"k">>}],
    M = maps:from_list([{K, I} || {K, I} <- lists:zip(Keys, lists:seq(1, length(Keys)))]),
    erlang:display([maps:get(K, M) || K <- Keys]),
    erlang:display([maps:find({b_var, 1.0}, M), maps:find([x | 3.0], M), maps:find({1, <<"k">>}, M),
                    maps:find({1, binary:copy(<<"k">>)}, M), maps:is_key({b_var, 21}, M)]),
    ok.

bool(true) -> 1;
bool(false) -> 0.

values() ->
    Big = 1 bsl 70,
    Bin = binary:copy(<<"hello world, a binary long enough to be off heap: ", (binary:copy(<<"x">>, 80))/binary>>),
    <<_:8, Sub/binary>> = <<0, "hello">>,
    [1, 1.0, 0.0, -0.0, Big, Big + 0.0, a, "ab", [a | b], [a | b2], [1 | 1.0], [1.0 | 1],
     {}, {a}, {a, b}, {a, {b, c}}, {a, {b, c, d}}, {1, 2.0}, {1.0, 2},
     <<"hello">>, Sub, Bin, binary:copy(Bin), #{a => 1}, #{a => 1.0}, #{{k, 1} => [v]},
     {#{a => 1}, [<<"hello">>]}, {#{a => 1}, [Sub]}, fun lists:map/2, {fun lists:map/2},
     [[[[[[]]]]]], [[[[[1]]]]], [[[[[1.0]]]]]].
