%% Exit signals, links and monitors: the matrix trap_exit x reason
%% (normal, kill, custom) x {spawn_link, link/1, exit/2, monitor} as seen by
%% the receiver (message, or death observed by a third process), exit/2 to
%% self, unlink, link to a dead pid, demonitor/1,2 options, monitor on dead
%% pids and registered names, link chains, kill vs killed.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(proc_signals).
-export([main/0]).

main() ->
    quiet(),
    lists:foreach(fun run/1,
                  [fun t_matrix/0, fun t_exit_self/0, fun t_bad/0, fun t_unlink/0,
                   fun t_link_dead/0, fun t_demonitor/0, fun t_monitor_dead/0,
                   fun t_monitor_name/0, fun t_chain/0, fun t_killed/0]).

%% Crash reports of erl go to stdout through logger: silence them.
quiet() ->
    case whereis(logger) of
        undefined -> ok;
        _ -> logger:set_primary_config(level, none)
    end.

run(T) ->
    {P, M} = spawn_monitor(T),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 20000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

down(P, M) ->
    receive {'DOWN', M, process, P, R} -> R after 5000 -> timeout end.

%% Collect the messages in the queue right now.
drain() -> receive M -> [M | drain()] after 0 -> [] end.

%% Wait (bounded) until Pid is no longer among our links.
unlinked(Pid, 0) -> {still_linked, Pid};
unlinked(Pid, N) ->
    {links, L} = process_info(self(), links),
    case lists:member(Pid, L) of
        true -> erlang:yield(), unlinked(Pid, N - 1);
        false -> ok
    end.

%% Wait (bounded) until our queue holds N messages.
queued(_, 0) -> gave_up;
queued(N, K) ->
    case process_info(self(), message_queue_len) of
        {message_queue_len, L} when L >= N -> ok;
        _ -> erlang:yield(), queued(N, K - 1)
    end.

until_ping() ->
    receive ping -> []; M -> [M | until_ping()] after 5000 -> [timeout] end.

%% Replace the peer pid and refs by atoms so that the output is printable.
norm(S, {'EXIT', S, R}) -> {'EXIT', s, R};
norm(S, {'DOWN', Ref, process, S, R}) when is_reference(Ref) -> {'DOWN', ref, process, s, R};
norm(_, M) -> M.

%% The receiver: sets trap_exit, gets a signal of kind Kind, reports what it saw.
receiver(Obs, Trap, Kind, Reason) ->
    process_flag(trap_exit, Trap),
    Me = self(),
    {S, Msgs} =
        case Kind of
            spawn_link ->
                S1 = spawn_link(fun() -> exit(Reason) end),
                {S1, [unlinked(S1, 1000000) | drain()]};
            link ->
                S1 = spawn(fun() -> receive go -> exit(Reason) after 5000 -> timeout end end),
                true = link(S1),
                S1 ! go,
                {S1, [unlinked(S1, 1000000) | drain()]};
            exit2 ->
                S1 = spawn(fun() -> exit(Me, Reason), Me ! ping end),
                {S1, until_ping()};
            monitor ->
                S1 = spawn(fun() -> receive go -> exit(Reason) after 5000 -> timeout end end),
                _ = monitor(process, S1),
                S1 ! go,
                {S1, [receive M -> M after 5000 -> timeout end]}
        end,
    Obs ! {result, self(), [norm(S, M) || M <- Msgs]}.

t_matrix() ->
    Obs = self(),
    [begin
         {P, M} = spawn_monitor(fun() -> receiver(Obs, Trap, Kind, Reason) end),
         Out = receive
                   {result, P, Msgs} -> down(P, M), {survived, Msgs};
                   {'DOWN', M, process, P, Why} -> {died, Why}
               after 5000 -> timeout
               end,
         d({Trap, Reason, Kind, Out})
     end || Trap <- [false, true], Reason <- [normal, kill, {custom, [1]}],
            Kind <- [spawn_link, link, exit2, monitor]].

t_exit_self() ->
    Obs = self(),
    [begin
         {P, M} = spawn_monitor(
                    fun() ->
                            process_flag(trap_exit, Trap),
                            Me = self(),
                            exit(self(), Reason),
                            self() ! ping,
                            Obs ! {result, self(), [norm(Me, X) || X <- until_ping()]}
                    end),
         Out = receive
                   {result, P, Msgs} -> down(P, M), {survived, Msgs};
                   {'DOWN', M, process, P, Why} -> {died, Why}
               after 5000 -> timeout
               end,
         d({exit_self, Trap, Reason, Out})
     end || Trap <- [false, true], Reason <- [normal, kill, foo]].

t_bad() ->
    d({exit2, r(fun() -> exit(notapid, x) end), r(fun() -> exit(name, x) end),
       r(fun() -> exit({name, node()}, x) end), r(fun() -> exit(1, normal) end)}),
    d({link, r(fun() -> link(notapid) end), r(fun() -> link(self()) end)}),
    d({unlink, r(fun() -> unlink(notapid) end), r(fun() -> unlink(self()) end)}),
    d({monitor, r(fun() -> monitor(process, 1) end), r(fun() -> monitor(bad, self()) end),
       r(fun() -> monitor(process, {a, b, c}) end), r(fun() -> monitor(process, "x") end),
       is_reference(monitor(process, self()))}),
    %% A monitor on oneself is accepted but is not active.
    d({self_monitor, demonitor(monitor(process, self()), [info]), process_info(self(), monitors)}),
    d({demonitor, r(fun() -> demonitor(x) end), r(fun() -> demonitor(make_ref(), [bad]) end),
       r(fun() -> demonitor(make_ref(), bad) end), r(fun() -> demonitor(make_ref()) end),
       r(fun() -> demonitor(make_ref(), [info]) end)}),
    d({links_self, process_info(self(), links)}),
    d({exit_dead, exit(spawn(fun() -> ok end), kill)}),
    d({queue_empty, drain()}).

t_unlink() ->
    process_flag(trap_exit, true),
    S = spawn(fun() -> receive go -> exit(bye) after 5000 -> timeout end end),
    true = link(S),
    d({unlink, unlink(S), unlink(S), process_info(self(), links)}),
    M = monitor(process, S),
    S ! go,
    d({down, down(S, M)}),
    d({no_exit, drain()}),
    %% Unlink from the other side.
    Me = self(),
    S2 = spawn(fun() -> link(Me), Me ! linked, receive go -> unlink(Me), exit(bye2) after 5000 -> timeout end end),
    receive linked -> ok after 5000 -> timeout end,
    M2 = monitor(process, S2),
    S2 ! go,
    d({down2, down(S2, M2)}),
    d({no_exit2, drain(), process_info(self(), links)}).

t_link_dead() ->
    Dead = spawn(fun() -> ok end),
    M = monitor(process, Dead),
    down(Dead, M),
    d({untrapped, r(fun() -> link(Dead) end), drain(), process_info(self(), links)}),
    process_flag(trap_exit, true),
    d({trapped, link(Dead)}),
    d({trapped_msg, receive {'EXIT', Dead, R} -> R after 5000 -> timeout end}),
    d({links, process_info(self(), links), drain()}).

t_demonitor() ->
    S = spawn(fun() -> receive go -> ok after 5000 -> timeout end end),
    M1 = monitor(process, S),
    d({demonitor1, demonitor(M1), demonitor(M1)}),
    M2 = monitor(process, S),
    d({info_alive, demonitor(M2, [info]), demonitor(M2, [info])}),
    M3 = monitor(process, S),
    d({flush_alive, demonitor(M3, [flush])}),
    M4 = monitor(process, S),
    d({flush_info_alive, demonitor(M4, [flush, info]), demonitor(M4, [flush, info])}),
    d({empty_list, demonitor(monitor(process, S), [])}),
    Ms = [monitor(process, S) || _ <- [1, 2, 3, 4]],
    d({monitors, length(element(2, process_info(self(), monitors)))}),
    S ! go,
    d({queued, queued(4, 1000000)}),
    [A, B, C, D] = Ms,
    d({after_down, demonitor(A), demonitor(B, [info]), demonitor(C, [flush]),
       demonitor(D, [flush, info])}),
    %% demonitor/1 and [info] leave the 'DOWN' messages in the queue; flush removes.
    Left = drain(),
    d({left, length(Left), [lists:member(R, [element(2, X) || X <- Left]) || R <- Ms]}),
    d({monitors_after, process_info(self(), monitors)}).

t_monitor_dead() ->
    Dead = spawn(fun() -> ok end),
    M = monitor(process, Dead),
    d({first, down(Dead, M)}),
    M2 = monitor(process, Dead),
    d({dead_monitor, receive {'DOWN', M2, process, Dead, R} -> R after 5000 -> timeout end}),
    d({demonitor_after, demonitor(M2, [info])}),
    M3 = monitor(process, Dead),
    d({flush_dead, queued(1, 1000000), demonitor(M3, [flush, info]), drain()}).

t_monitor_name() ->
    Me = self(),
    S = spawn(fun() -> register(sig_victim, self()), Me ! registered,
                       receive go -> exit(gone) after 5000 -> timeout end end),
    receive registered -> ok after 5000 -> timeout end,
    M = monitor(process, sig_victim),
    sig_victim ! go,
    d({by_name, receive {'DOWN', M, process, Who, R} -> {Who =:= {sig_victim, node()}, Who, R}
                after 5000 -> timeout end}),
    _ = S,
    M2 = monitor(process, sig_nobody),
    d({no_name, receive {'DOWN', M2, process, Who2, R2} -> {Who2, R2} after 5000 -> timeout end}),
    M3 = monitor(process, {sig_nobody, node()}),
    d({no_name_tuple, receive {'DOWN', M3, process, Who3, R3} -> {Who3, R3} after 5000 -> timeout end}),
    register(sig_me, self()),
    M4 = monitor(process, {sig_me, node()}),
    d({self_name, is_reference(M4), demonitor(M4, [info]), drain()}),
    unregister(sig_me).

%% A linked to B linked to C; the signal Sig is sent to C; who dies with what.
chain(TrapB, Sig) ->
    Self = self(),
    Wait = fun() -> receive {'EXIT', _, _} = E -> Self ! {b_got, E}, receive stop -> ok after 5000 -> ok end
                    after 5000 -> timeout end end,
    C = spawn(fun() -> receive after 5000 -> timeout end end),
    B = spawn(fun() -> process_flag(trap_exit, TrapB), link(C), Self ! {ready, self()}, Wait() end),
    receive {ready, B} -> ok after 5000 -> timeout end,
    A = spawn(fun() -> link(B), Self ! {ready, self()}, receive after 5000 -> timeout end end),
    receive {ready, A} -> ok after 5000 -> timeout end,
    [MA, MB, MC] = [monitor(process, X) || X <- [A, B, C]],
    exit(C, Sig),
    RC = down(C, MC),
    case TrapB of
        false ->
            RB = down(B, MB),
            RA = down(A, MA),
            d({chain, TrapB, Sig, {a, RA}, {b, RB}, {c, RC}});
        true ->
            Got = receive {b_got, {'EXIT', C, Why}} -> {b_got_exit_from_c, Why} after 5000 -> timeout end,
            d({chain, TrapB, Sig, Got, {a_alive, is_process_alive(A)}, {c, RC}}),
            B ! stop,
            d({b_stopped, down(B, MB)}),
            exit(A, kill),
            d({a, down(A, MA)})
    end.

t_chain() ->
    chain(false, kill),
    chain(false, {custom, 1}),
    chain(true, kill),
    chain(true, {custom, 2}).

t_killed() ->
    process_flag(trap_exit, true),
    P = spawn_link(fun() -> receive after 5000 -> timeout end end),
    M = monitor(process, P),
    exit(P, kill),
    d({killed, down(P, M), receive {'EXIT', P, R} -> R after 5000 -> timeout end}),
    %% A process exiting with reason kill itself: linked processes see kill.
    P2 = spawn_link(fun() -> exit(kill) end),
    d({own_kill, receive {'EXIT', P2, R2} -> R2 after 5000 -> timeout end}),
    %% A trapping process is still killed by exit(P, kill).
    Me = self(),
    P3 = spawn(fun() -> process_flag(trap_exit, true), Me ! ready, receive after 5000 -> timeout end end),
    receive ready -> ok after 5000 -> timeout end,
    M3 = monitor(process, P3),
    exit(P3, kill),
    d({trapper_killed, down(P3, M3)}),
    %% exit(P, killed) is an ordinary reason.
    P4 = spawn(fun() -> process_flag(trap_exit, true), Me ! ready,
                        receive X -> Me ! {p4, X} after 5000 -> timeout end end),
    receive ready -> ok after 5000 -> timeout end,
    exit(P4, killed),
    d({killed_reason_trapped, receive {p4, {'EXIT', Me, K}} -> K after 5000 -> timeout end}).
