%% ETS benchmarks: each case runs a fixed workload on a fresh table and
%% prints {name, microseconds} measured inside the VM (best of five after a
%% warm-up, like bench.erl).  200k objects {K, K * 2, <<"value">>} with
%% integer keys in a scattered order, on set and ordered_set.
-module(bench_ets).
-export([main/0, main/1]).

-define(N, 200000).

main() -> main([all]).

main([Which]) ->
    Keys = keys(),
    Cases = [{Name, F} || Type <- [set, ordered_set],
                          {Op, Mk} <- [{insert, fun insert_case/2},
                                       {lookup, fun lookup_case/2},
                                       {select, fun select_case/2}],
                          Name <- [list_to_atom(atom_to_list(Type) ++ "_" ++ atom_to_list(Op))],
                          F <- [Mk(Type, Keys)]],
    [run(N, F) || {N, F} <- Cases, Which =:= all orelse Which =:= N],
    ok.

run(Name, F) ->
    F(),
    erlang:display({Name, lists:min([time(F) || _ <- [1, 2, 3, 4, 5]])}).

time(F) ->
    T0 = erlang:monotonic_time(microsecond),
    F(),
    erlang:monotonic_time(microsecond) - T0.

%% A fixed permutation of 1..N (multiplicative, so no random module needed).
keys() -> [(I * 7919) rem ?N + 1 || I <- lists:seq(0, ?N - 1)].

filled(Type, Keys) ->
    T = ets:new(bench, [Type, public]),
    fill(T, Keys),
    T.

fill(_, []) -> ok;
fill(T, [K | Ks]) -> ets:insert(T, {K, K * 2, <<"value">>}), fill(T, Ks).

insert_case(Type, Keys) ->
    fun() -> T = ets:new(bench, [Type, public]), fill(T, Keys), ets:delete(T) end.

lookup_case(Type, Keys) ->
    T = filled(Type, Keys),
    fun() -> lookups(T, Keys, 0) end.

lookups(_, [], Acc) -> Acc;
lookups(T, [K | Ks], Acc) ->
    [{_, V, _}] = ets:lookup(T, K),
    lookups(T, Ks, Acc + V).

%% Four selections over the whole table: guards, '$$', select_count and a
%% '$_' body.
select_case(Type, Keys) ->
    T = filled(Type, Keys),
    fun() ->
        _ = ets:select(T, [{{'$1', '$2', '_'}, [{'<', '$1', 1000}], ['$2']}]),
        _ = ets:select(T, [{{'$1', '$2', '_'}, [{'==', {'rem', '$1', 100}, 0}], ['$$']}]),
        _ = ets:select_count(T, [{{'_', '$2', '_'}, [{'>', '$2', ?N}], [true]}]),
        _ = ets:select(T, [{{'$1', '_', '_'}, [{'>', '$1', ?N - 5000}], ['$_']}]),
        ok
    end.
