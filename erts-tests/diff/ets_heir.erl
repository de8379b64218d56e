%% Tables and process exit (needs tb_ets_process_exit called from process
%% termination; rename to ets_heir.erl once emu/signal.c calls it):
%% a dying owner's tables are deleted, or handed to a live heir with an
%% {'ETS-TRANSFER', Tab, OldOwner, HeirData} message that arrives before
%% anyone sees the owner's 'DOWN'; fixations of a dead process are released.
-module(ets_heir).
-export([main/0]).

d(X) -> erlang:display(X).
c(F) -> try F() catch C:R -> {C, R} end.

wait_dead(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, _, _, _} -> ok end.

%% A process that creates a table with Opts, reports it, then waits for
%% `die` (or crashes on `crash`).
owner(Name, Opts) ->
    Self = self(),
    Pid = spawn(fun() ->
                    T = ets:new(Name, Opts),
                    ets:insert(T, {k, v}),
                    Self ! {tab, self(), T},
                    receive
                        die -> ok;
                        crash -> error(crashed)
                    end
                end),
    receive {tab, Pid, T} -> {Pid, T} end.

%% A process that forwards what it receives to us.
forwarder() ->
    Self = self(),
    spawn(fun() -> fwd(Self) end).
fwd(To) ->
    receive
        stop -> ok;
        M -> To ! {fwd, self(), M}, fwd(To)
    end.

main() ->
    no_heir(),
    heir(),
    fixations(),
    given_away(),
    ok.

no_heir() ->
    {P1, T1} = owner(plain, []),
    {P2, T2} = owner(named_plain, [named_table]),
    {P3, T3} = owner(crashing, [public]),
    d(ets:info(T1, size)),
    d(ets:info(T2, size)),
    P1 ! die, wait_dead(P1),
    P2 ! die, wait_dead(P2),
    P3 ! crash, wait_dead(P3),
    d({ets:info(T1), ets:info(T2), ets:info(T3)}),
    d(c(fun() -> ets:lookup(T1, k) end)),
    d(c(fun() -> ets:lookup(named_plain, k) end)),
    d(is_reference(ets:new(named_plain, [named_table])) orelse named_plain),
    ets:delete(named_plain).

heir() ->
    Heir = forwarder(),
    {P, T} = owner(inherit, [{heir, Heir, hdata}]),
    P ! die,
    wait_dead(P),
    receive {fwd, Heir, {'ETS-TRANSFER', HT, HFrom, HD}} -> d({heir, HT =:= T, HFrom =:= P, HD})
    after 2000 -> d(no_transfer)
    end,
    d(ets:info(T, owner) =:= Heir),
    d(ets:info(T, heir) =:= Heir),
    d(ets:lookup(T, k)),
    %% killed owner, named table: the message carries the name
    {P2, named_inherit} = owner(named_inherit, [named_table, {heir, Heir, {more, [data]}}]),
    exit(P2, kill),
    wait_dead(P2),
    receive {fwd, Heir, {'ETS-TRANSFER', HT2, _, HD2}} -> d({HT2, HD2}) after 2000 -> d(no_transfer) end,
    d(ets:info(named_inherit, owner) =:= Heir),
    %% the heir dies too: its heir is itself, so the tables go
    Heir ! stop,
    wait_dead(Heir),
    d({ets:info(T), ets:info(named_inherit)}),
    %% a heir that died before the owner
    Heir2 = forwarder(),
    {P3, T3} = owner(late_heir, [{heir, Heir2, x}]),
    Heir2 ! stop, wait_dead(Heir2),
    P3 ! die, wait_dead(P3),
    d(ets:info(T3)).

fixations() ->
    F = ets:new(f, [public]),
    Self = self(),
    Fixer = spawn(fun() -> ets:safe_fixtable(F, true), Self ! fixed, receive die -> ok end end),
    receive fixed -> ok end,
    d(ets:info(F, fixed)),
    ets:insert(F, [{K} || K <- lists:seq(1, 20)]),
    K1 = ets:first(F),
    ets:delete(F, K1),
    d(is_atom(ets:next(F, K1)) orelse is_integer(ets:next(F, K1))),
    Fixer ! die, wait_dead(Fixer),
    d({ets:info(F, fixed), ets:info(F, safe_fixed)}),
    d(c(fun() -> ets:next(F, K1) end)),
    d(ets:info(F, size)),
    ets:delete(F).

given_away() ->
    Self = self(),
    T = ets:new(given, []),
    New = spawn(fun() -> receive {'ETS-TRANSFER', _, _, _} -> Self ! got end, receive die -> ok end end),
    ets:give_away(T, New, x),
    receive got -> ok end,
    d(ets:info(T, owner) =:= New),
    New ! die, wait_dead(New),
    d(ets:info(T)),
    %% give_away to a process with the table as heir back to us
    T2 = ets:new(given2, []),
    ets:setopts(T2, {heir, Self, back}),
    New2 = spawn(fun() -> receive {'ETS-TRANSFER', _, _, _} -> Self ! got end, receive die -> ok end end),
    ets:give_away(T2, New2, y),
    receive got -> ok end,
    New2 ! die, wait_dead(New2),
    receive {'ETS-TRANSFER', T2b, From, Back} -> d({T2b =:= T2, From =:= New2, Back}) after 2000 -> d(none) end,
    d(ets:info(T2, owner) =:= Self),
    ets:delete(T2).
