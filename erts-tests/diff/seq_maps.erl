%% Maps: construction, update, matching, iteration order, big maps.
-module(seq_maps).
-export([main/0]).

main() ->
    M = #{a => 1, "b" => 2, 3 => c, {t} => [l]},
    d(M), d(maps:to_list(M)), d(map_size(M)),
    d(M#{a := 10, z => 26}),
    d(c(fun() -> M#{nokey := 1} end)),
    d(c(fun() -> (not_a_map)#{a => 1} end)),
    #{"b" := B, 3 := C} = M, d({B, C}),
    d(maps:get(nope, M, default)),
    d(c(fun() -> maps:get(nope, M) end)),
    d(maps:find(a, M)), d(maps:is_key({t}, M)),
    d(maps:remove(a, M)),
    d(maps:merge(#{a => 1, b => 2}, #{b => 3, c => 4})),
    Big = maps:from_list([{I, I * I} || I <- lists:seq(1, 100)]),
    d(map_size(Big)), d(maps:get(77, Big)),
    d(lists:sum(maps:values(Big))),
    d(maps:keys(maps:from_list([{I, x} || I <- lists:seq(1, 50)]))),
    d(maps:fold(fun(K, V, Acc) -> K + V + Acc end, 0, Big)),
    d(maps:filter(fun(K, _) -> K > 95 end, Big)),
    d(maps:map(fun(_, V) -> V + 1 end, #{x => 1, y => 2})),
    d(lists:sort(maps:to_list(maps:with([1, 2, 3], Big)))),
    d(#{1 => a, 1.0 => b}),
    d(maps:from_keys([c, b, a], 0)),
    d(erlang:phash2(Big)),
    d(term_to_binary(#{b => 2, a => 1})),
    d(binary_to_term(term_to_binary(Big)) =:= Big),
    d(M == #{{t} => [l], 3 => c, "b" => 2, a => 1}),
    d(lists:sort([#{a => 1}, #{b => 1}, #{a => 0, b => 0}, #{}])),
    ok.

d(T) -> erlang:display(T).

%% class and reason only: outer stack frames differ (erl runs main from -eval)
c(F) -> try F() catch C:R -> {C, R} end.
