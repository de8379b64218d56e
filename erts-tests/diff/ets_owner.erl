%% Ownership and access: public/protected/private from another process,
%% owner-only operations (give_away, setopts), give_away and its
%% 'ETS-TRANSFER' message, heir settings, named tables, rename, whereis,
%% all/0, safe_fixtable and its info, info/1,2 from other processes.
%% (Tables dying with their owner and heirs taking over: ets_heir.erl.)
-module(ets_owner).
-export([main/0]).

d(X) -> erlang:display(X).
c(F) -> try F() catch C:R -> {C, R} end.
cl(T) when is_reference(T) -> ref;
cl(T) when is_pid(T) -> pid;
cl(T) when is_tuple(T) -> list_to_tuple([cl(X) || X <- tuple_to_list(T)]);
cl([H | T]) -> [cl(H) | cl(T)];
cl(X) -> X.

%% Run F in a new process and wait for its result.
other(F) ->
    Self = self(),
    Pid = spawn(fun() -> Self ! {self(), c(F)} end),
    receive {Pid, R} -> R end.

main() ->
    access(),
    give_away(),
    heirs(),
    names(),
    fixing(),
    ok.

access() ->
    P = ets:new(p, [public]),
    Pr = ets:new(pr, [protected]),
    Pv = ets:new(pv, [private]),
    [ets:insert(T, {a, 1}) || T <- [P, Pr, Pv]],
    Ts = [P, Pr, Pv],
    d([other(fun() -> ets:lookup(T, a) end) || T <- Ts]),
    d([other(fun() -> ets:member(T, a) end) || T <- Ts]),
    d([other(fun() -> ets:insert(T, {b, 1}) end) || T <- Ts]),
    d([other(fun() -> ets:info(T, size) end) || T <- Ts]),
    d([other(fun() -> ets:info(T, protection) end) || T <- Ts]),
    d([other(fun() -> ets:delete(T, a) end) || T <- [Pr, Pv]]),
    d([other(fun() -> lists:sort(ets:select(T, [{'_', [], ['$_']}])) end) || T <- Ts]),
    d([other(fun() -> ets:first(T) =/= '$end_of_table' end) || T <- Ts]),
    d([other(fun() -> ets:update_counter(T, a, 1) end) || T <- Ts]),
    d([other(fun() -> ets:give_away(T, self(), x) end) || T <- Ts]),
    d([other(fun() -> ets:setopts(T, {heir, none}) end) || T <- Ts]),
    d([other(fun() -> ets:safe_fixtable(T, true) andalso ets:safe_fixtable(T, false) end) || T <- Ts]),
    d([other(fun() -> ets:delete_all_objects(T) end) || T <- [Pr, Pv]]),
    d([other(fun() -> ets:select_delete(T, [{'_', [], [true]}]) end) || T <- [Pr, Pv]]),
    d([other(fun() -> ets:info(T, owner) =:= self() end) || T <- Ts]),
    d([ets:info(T, owner) =:= self() || T <- Ts]),
    d(ets:info(P, fixed)),
    d(other(fun() -> ets:delete(Pr) end)),
    d(other(fun() -> ets:delete(P) end)),
    d(ets:info(P)),
    d(ets:setopts(Pv, {protection, public})),
    d(other(fun() -> ets:insert(Pv, {c, 3}) end)),
    d(ets:setopts(Pv, [{protection, protected}])),
    d(other(fun() -> ets:insert(Pv, {d, 4}) end)),
    d(lists:sort(ets:tab2list(Pv))),
    ets:delete(Pr), ets:delete(Pv).

give_away() ->
    Self = self(),
    G = ets:new(g, []),
    ets:insert(G, {k, v}),
    Rcv = spawn(fun() ->
                    receive M -> Self ! {got, cl(M), element(2, M) =:= G, element(3, M) =:= Self} end,
                    receive {check, T} -> Self ! {checked, ets:insert(T, {new, 1}), ets:info(T, owner) =:= self()} end,
                    receive {back, T2} -> Self ! {gave, ets:give_away(T2, Self, back_again)} end,
                    receive done -> ok end
                end),
    d(ets:give_away(G, Rcv, gift)),
    receive {got, _, _, _} = Got -> d(Got) end,
    d(ets:info(G, owner) =:= Rcv),
    d(c(fun() -> ets:insert(G, {z}) end)),
    d(c(fun() -> ets:give_away(G, Self, x) end)),
    Rcv ! {check, G},
    receive {checked, _, _} = Ch -> d(Ch) end,
    Rcv ! {back, G},
    receive {gave, R} -> d(R) end,
    receive {'ETS-TRANSFER', T, From, Data} -> d({transfer, T =:= G, From =:= Rcv, Data}) end,
    d(ets:info(G, owner) =:= Self),
    d(lists:sort(ets:tab2list(G))),
    Rcv ! done,
    G2 = ets:new(g2, []),
    d(c(fun() -> ets:give_away(G2, Self, x) end)),
    d(c(fun() -> ets:give_away(G2, notapid, x) end)),
    Dead = spawn(fun() -> ok end),
    wait_dead(Dead),
    d(c(fun() -> ets:give_away(G2, Dead, x) end)),
    N = ets:new(named_g, [named_table]),
    R2 = spawn(fun() -> receive M -> Self ! {fwd, M} end, receive done -> ok end end),
    ets:give_away(N, R2, {some, [data]}),
    receive {fwd, {'ETS-TRANSFER', NT, _, ND}} -> d({NT, ND}) end,
    R2 ! done,
    ets:delete(G), ets:delete(G2).

wait_dead(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, _, _, _} -> ok end.

heirs() ->
    Self = self(),
    Heir = spawn(fun() -> receive done -> ok end end),
    T = ets:new(h, [{heir, Heir, hdata}]),
    d(ets:info(T, heir) =:= Heir),
    d(ets:setopts(T, {heir, none})),
    d(ets:info(T, heir)),
    d(ets:setopts(T, [{heir, Heir, data2}, {protection, public}])),
    d({ets:info(T, heir) =:= Heir, ets:info(T, protection)}),
    d(ets:setopts(T, {heir, Self, me})),
    d(ets:info(T, heir) =:= Self),
    d(c(fun() -> ets:setopts(T, {heir, notpid, x}) end)),
    d(c(fun() -> ets:setopts(T, {keypos, 2}) end)),
    d(c(fun() -> ets:setopts(T, bogus) end)),
    Dead = spawn(fun() -> ok end),
    wait_dead(Dead),
    T2 = ets:new(h2, [{heir, Dead, x}]),
    d(ets:info(T2, heir)),
    ets:setopts(T, {heir, Dead, x}),
    d(ets:info(T, heir)),
    d(is_reference(ets:new(h3, [{heir, none}]))),
    Heir ! done,
    ets:delete(T), ets:delete(T2).

names() ->
    N = ets:new(named, [named_table, public]),
    d(N),
    d(c(fun() -> ets:new(named, [named_table]) end)),
    d(is_reference(ets:new(named, []))),
    d(ets:info(named, named_table)),
    d(ets:whereis(named) =:= ets:info(named, id)),
    d(ets:insert(named, {a, 1})),
    d(other(fun() -> ets:lookup(named, a) end)),
    d(ets:info(named, name)),
    d(ets:rename(named, renamed)),
    d({ets:info(renamed, size), ets:info(named)}),
    d(c(fun() -> ets:lookup(named, x) end)),
    d(ets:whereis(named)),
    d(ets:whereis(renamed) =/= undefined),
    d(other(fun() -> ets:rename(renamed, renamed2) end)),
    T2 = ets:new(unnamed, []),
    d(ets:rename(T2, newname) =:= T2),
    d({ets:info(T2, name), ets:info(T2, named_table), ets:whereis(newname)}),
    d(is_reference(ets:rename(T2, renamed2))),
    ets:new(other_named, [named_table]),
    d(c(fun() -> ets:rename(renamed2, other_named) end)),
    d(c(fun() -> ets:rename(renamed2, T2) end)),
    All = ets:all(),
    d([lists:member(X, All) || X <- [renamed2, other_named, T2, named]]),
    d(lists:all(fun(X) -> is_atom(X) orelse is_reference(X) end, All)),
    ets:delete(other_named),
    d(lists:member(other_named, ets:all())),
    ets:delete(renamed2), ets:delete(T2).

fixing() ->
    F = ets:new(f, [public]),
    d({ets:info(F, fixed), ets:info(F, safe_fixed), ets:info(F, safe_fixed_monotonic_time)}),
    d(ets:safe_fixtable(F, true)),
    d(ets:info(F, fixed)),
    {{_, _, _}, [{P1, 1}]} = ets:info(F, safe_fixed),
    d(P1 =:= self()),
    ets:safe_fixtable(F, true),
    {Mono, [{_, 2}]} = ets:info(F, safe_fixed_monotonic_time),
    d(is_integer(Mono)),
    Self = self(),
    Fixer = spawn(fun() ->
                      ets:safe_fixtable(F, true),
                      Self ! {fixed_by, self()},
                      receive go -> ets:safe_fixtable(F, false), Self ! unfixed end
                  end),
    receive {fixed_by, Fixer} -> ok end,
    {_, Fixers} = ets:info(F, safe_fixed),
    d(lists:sort([Cnt || {_, Cnt} <- Fixers])),
    d(lists:sort([P =:= Fixer || {P, _} <- Fixers])),
    Fixer ! go,
    receive unfixed -> ok end,
    ets:safe_fixtable(F, false), ets:safe_fixtable(F, false), ets:safe_fixtable(F, false),
    d(ets:info(F, fixed)),
    %% a fixed hash table keeps deleted keys walkable
    ets:insert(F, [{K} || K <- lists:seq(1, 50)]),
    ets:safe_fixtable(F, true),
    K1 = ets:first(F),
    ets:delete(F, K1),
    d(ets:info(F, size)),
    Walk = walk(F, ets:next(F, K1)),
    d({length(Walk), lists:member(K1, Walk)}),
    [ets:insert(F, {K}) || K <- lists:seq(51, 400)],
    ets:delete(F, 200),
    d(ets:info(F, size)),
    d(lists:sort([K || {K} <- ets:tab2list(F)]) =:= lists:seq(2, 199) ++ lists:seq(201, 400)),
    ets:safe_fixtable(F, false),
    d(c(fun() -> ets:next(F, K1) end)),
    d(ets:info(F, size)),
    d(length(walk(F, ets:first(F)))),
    d(c(fun() -> ets:safe_fixtable(F, maybe) end)),
    ets:delete(F).

walk(_, '$end_of_table') -> [];
walk(T, K) -> [K | walk(T, ets:next(T, K))].
