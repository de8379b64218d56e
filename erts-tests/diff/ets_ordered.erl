%% ordered_set: term order of keys of every type, 1 and 1.0 as one key,
%% first/next/last/prev (also from keys not in the table), select/match
%% order, key-bound and partly bound (prefix) selects, select_reverse,
%% chunks with their continuations, slot/2, and a large tree under inserts
%% and deletes (checked against lists:usort).
-module(ets_ordered).
-export([main/0]).

d(X) -> erlang:display(X).
clean(T) when is_reference(T) -> ref;
clean(T) when is_tuple(T) -> list_to_tuple([clean(X) || X <- tuple_to_list(T)]);
clean([H | T]) -> [clean(H) | clean(T)];
clean(X) -> X.
c(F) -> try F() catch C:R -> {C, R} end.

main() ->
    order(),
    numbers(),
    traversal(),
    prefix(),
    chunks(),
    big_tree(),
    keypos(),
    ok.

keys() ->
    [zeta, 3, 2.5, -1, 1 bsl 70, -(1 bsl 70), alpha, 'Alpha', {}, {a}, {a, b}, {b}, {1, 2, 3},
     #{}, #{a => 1}, #{a => 1, b => 2}, [], [a], [a | b], [a, b], "abc", <<>>, <<1>>, <<1, 2>>,
     <<1:1>>, <<0:7>>, {[x], 1}, {[x], 0.5}, 0.0, 7].

order() ->
    T = ets:new(o, [ordered_set]),
    [ets:insert(T, {K, n}) || K <- keys()],
    d(ets:info(T, size)),
    d([K || {K, _} <- ets:tab2list(T)]),
    d([K || {K, _} <- ets:tab2list(T)] =:= lists:usort(keys())),
    d(walk(T, ets:first(T))),
    d(rwalk(T, ets:last(T))),
    d(ets:select(T, [{{'$1', '_'}, [{is_atom, '$1'}], ['$1']}])),
    d(ets:select_reverse(T, [{{'$1', '_'}, [{is_tuple, '$1'}], ['$1']}])),
    d(ets:match(T, {'$1', n})),
    d(ets:select_count(T, [{'_', [], [true]}])),
    ets:delete(T).

walk(_, '$end_of_table') -> [];
walk(T, K) -> [K | walk(T, ets:next(T, K))].
rwalk(_, '$end_of_table') -> [];
rwalk(T, K) -> [K | rwalk(T, ets:prev(T, K))].

numbers() ->
    T = ets:new(n, [ordered_set]),
    ets:insert(T, [{1, int}, {2.0, float}, {3, int3}]),
    ets:insert(T, {1.0, float_one}),
    ets:insert(T, {2, int_two}),
    d(ets:tab2list(T)),
    d({ets:lookup(T, 1), ets:lookup(T, 1.0), ets:lookup(T, 2), ets:member(T, 3.0)}),
    d({ets:next(T, 1), ets:next(T, 1.5), ets:prev(T, 3.0), ets:prev(T, 2.5)}),
    d(ets:select(T, [{{1, '$1'}, [], ['$1']}])),
    d(ets:select(T, [{{1.0, '$1'}, [], ['$1']}])),
    d(ets:select(T, [{{'$1', '$2'}, [{'==', '$1', 2}], ['$2']}])),
    d(ets:select(T, [{{'$1', '$2'}, [{'=:=', '$1', 2}], ['$2']}])),
    d(ets:match_object(T, {3, '_'})),
    d(ets:match_object(T, {3.0, '_'})),
    d(ets:take(T, 3.0)),
    d(ets:tab2list(T)),
    d(ets:insert_new(T, {2, x})),
    d(ets:delete(T, 1)),
    d(ets:tab2list(T)),
    ets:delete(T).

traversal() ->
    T = ets:new(t, [ordered_set]),
    d({ets:first(T), ets:last(T), ets:next(T, a), ets:prev(T, a)}),
    ets:insert(T, [{K} || K <- [10, 20, 30, 40]]),
    d([ets:next(T, K) || K <- [0, 10, 15, 40, 50, a, {}]]),
    d([ets:prev(T, K) || K <- [0, 10, 15, 40, 50, a, {}]]),
    ets:safe_fixtable(T, true),
    ets:delete(T, 20),
    d(ets:next(T, 20)),
    ets:safe_fixtable(T, false),
    d(ets:next(T, 20)),
    ets:delete(T).

prefix() ->
    T = ets:new(p, [ordered_set]),
    ets:insert(T, [{{a, 1}, x}, {{a, 2}, y}, {{b, 1}, z}, {a, w}, {1, v}, {1.5, u}, {[1], t},
                   {[1, 2], s}, {[2], r}, {{a, 1, c}, q}, {{a}, p}]),
    d(ets:select(T, [{{{a, '_'}, '$1'}, [], ['$1']}])),
    d(ets:select_reverse(T, [{{{a, '_'}, '$1'}, [], ['$1']}])),
    d(ets:match(T, {{'_', 1}, '$1'})),
    d(ets:select(T, [{{{a, '_'}, '$1'}, [], ['$1']}, {{1, '$1'}, [], ['$1']}])),
    d(ets:select(T, [{{[1 | '_'], '$1'}, [], ['$1']}])),
    d(ets:select(T, [{{['$2' | '_'], '$1'}, [], [{{'$2', '$1'}}]}])),
    d(ets:select(T, [{{{a, '$2'}, '$1'}, [{'>', '$2', 1}], ['$1']}])),
    d(ets:select(T, [{{{'$2', 1}, '$1'}, [], ['$1']}])),
    d(ets:select(T, [{{{a, 1, '_'}, '$1'}, [], ['$1']}])),
    d(ets:select_count(T, [{{{a, '_'}, '_'}, [], [true]}])),
    {R1, C1} = ets:select(T, [{{{a, '_'}, '$1'}, [], ['$1']}], 1),
    d({R1, clean(C1)}),
    {R2, C2} = ets:select(T, [{{[1 | '$2'], '$1'}, [], ['$1']}], 1),
    d({R2, clean(C2)}),
    {R3, C3} = ets:select_reverse(T, [{{{'$2', 1}, '$1'}, [], ['$1']}], 1),
    d({R3, clean(C3)}),
    ets:delete(T).

ckeys({R, '$end_of_table'}) -> [R, eot];
ckeys({R, C}) -> [R, element(2, C), element(7, C) | ckeys(ets:select(C))];
ckeys('$end_of_table') -> [eot].

chunks() ->
    T = ets:new(c, [ordered_set]),
    ets:insert(T, [{{g, K rem 3}, K} || K <- lists:seq(1, 12)] ++ [{K, K} || K <- lists:seq(1, 9)]),
    d(ckeys(ets:select(T, [{'_', [], ['$_']}], 5))),
    d(ckeys(ets:select_reverse(T, [{'_', [], ['$_']}], 5))),
    d(ckeys(ets:select(T, [{{{g, '_'}, '$1'}, [], ['$1']}], 1))),
    d(ckeys(ets:select_reverse(T, [{{{g, '_'}, '$1'}, [], ['$1']}], 2))),
    d(ckeys(ets:match(T, {'$1', '$1'}, 4))),
    d(ckeys(ets:match_object(T, {{g, 1}, '_'}, 4))),
    d(ckeys(ets:select(T, [{{'$1', '_'}, [{is_integer, '$1'}, {'rem', '$1', 2}], ['$1']}], 3))),
    d(ckeys(ets:select(T, [{{'$1', '_'}, [{is_integer, '$1'}, {'==', {'rem', '$1', 2}, 1}], ['$1']}], 3))),
    ets:delete(T).

big_tree() ->
    T = ets:new(big, [ordered_set]),
    N = 20000,
    Keys = [(I * 7919) rem N || I <- lists:seq(1, N)],
    [ets:insert(T, {K, K * 2}) || K <- Keys],
    d(ets:info(T, size)),
    L = [K || {K, _} <- ets:tab2list(T)],
    d(L =:= lists:usort(Keys)),
    [ets:delete(T, K) || K <- Keys, K rem 3 =/= 0],
    L2 = [K || {K, _} <- ets:tab2list(T)],
    d(L2 =:= lists:usort([K || K <- Keys, K rem 3 =:= 0])),
    d(ets:info(T, size)),
    d({ets:first(T), ets:last(T), ets:next(T, 100), ets:prev(T, 100)}),
    d([ets:slot(T, I) || I <- [0, 1, 100, 6666]]),
    d(ets:slot(T, 6667)),
    d(c(fun() -> ets:slot(T, 6668) end)),
    d(length(ets:select(T, [{{'$1', '_'}, [{'<', '$1', 1000}], ['$1']}]))),
    d(ets:select(T, [{{'$1', '_'}, [{'<', '$1', 30}], ['$1']}])),
    d(lists:sum(ets:select_reverse(T, [{{'_', '$1'}, [], ['$1']}]))),
    d(ets:select_delete(T, [{{'$1', '_'}, [{'>', '$1', 100}], [true]}])),
    d(ets:tab2list(T)),
    [ets:insert(T, {K, r}) || K <- lists:seq(N, 1, -1)],
    d({ets:info(T, size), ets:first(T), ets:last(T)}),
    d(lists:seq(0, N) =:= [K || {K, _} <- ets:tab2list(T)]),
    ets:delete_all_objects(T),
    d({ets:info(T, size), ets:first(T)}),
    ets:delete(T).

keypos() ->
    T = ets:new(kp, [ordered_set, {keypos, 3}]),
    ets:insert(T, [{x, 1, c}, {y, 2, a}, {z, 3, b}]),
    d(ets:tab2list(T)),
    d(ets:lookup(T, b)),
    d(ets:select(T, [{{'$1', '_', b}, [], ['$1']}])),
    d(ets:select(T, [{{'$1', '_', '$2'}, [], [{{'$2', '$1'}}]}])),
    d(ets:select_replace(T, [{{'$1', '$2', '$3'}, [], [{{'$2', '$1', '$3'}}]}])),
    d(ets:tab2list(T)),
    d(c(fun() -> ets:select_replace(T, [{{'$1', '$2', '$3'}, [], [{{'$3', '$1', '$2'}}]}]) end)),
    ets:delete(T).
