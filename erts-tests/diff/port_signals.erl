%% Ports and process signals: the owner's death closes a linked port
%% (kill -> killed, normal, other reasons), an unlinked port survives its
%% owner; exit/2 to ports from the owner and from others; links from other
%% processes; monitors ('DOWN' with port, by id and by name); Port ! {Pid,
%% close | {command, D} | {connect, New}} with their replies, and badsig for
%% messages from others or of a bad form; port_connect; a port closing with
%% an error reason kills a non-trapping owner.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(port_signals).
-export([main/0]).

main() ->
    lists:foreach(fun run/1,
                  [fun t_owner_dies/0, fun t_owner_unlinked/0, fun t_exit2/0, fun t_links/0,
                   fun t_monitors/0, fun t_bang/0, fun t_badsig/0, fun t_connect/0,
                   fun t_error_kills/0, fun t_close_reasons/0]).

run(T) ->
    {P, M} = spawn_monitor(fun() -> process_flag(trap_exit, true), T() end),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 30000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

%% Messages in the queue within T ms, with the port's and the pids' ids
%% replaced by names from Names ([{Id, Atom}]).
msgs(Names) -> msgs(Names, 300).
msgs(Names, T) ->
    receive M -> [clean(M, Names) | msgs(Names, T)]
    after T -> []
    end.

clean(T, Names) when is_tuple(T) -> list_to_tuple([clean(E, Names) || E <- tuple_to_list(T)]);
clean(L, Names) when is_list(L) -> [clean(E, Names) || E <- L];
clean(R, _) when is_reference(R) -> ref;
clean(X, Names) when is_port(X); is_pid(X) ->
    case lists:keyfind(X, 1, Names) of {_, N} -> N; false -> other end;
clean(X, _) -> X.

alive(P) -> erlang:port_info(P) =/= undefined.

%% A process owning a `cat` port; Fun(Port) runs in it after the port is
%% reported to us.
owner(Opts, Fun) ->
    Self = self(),
    O = spawn(fun() ->
                      P = open_port({spawn, "cat"}, Opts),
                      Self ! {port, P},
                      Fun(P)
              end),
    receive {port, P} -> {O, P} after 5000 -> exit(no_port) end.

wait_stop() -> receive stop -> ok after 10000 -> ok end.

t_owner_dies() ->
    {O1, P1} = owner([], fun(_) -> wait_stop() end),
    link(P1),
    erlang:monitor(port, P1),
    exit(O1, kill),
    d(msgs([{P1, port}, {O1, owner}])),
    d(alive(P1)),
    {O2, P2} = owner([], fun(_) -> wait_stop() end),
    erlang:monitor(port, P2),
    link(P2),
    O2 ! stop,                                   % normal exit of the owner closes it too
    d(msgs([{P2, port}, {O2, owner}])),
    {O3, P3} = owner([], fun(_) -> wait_stop(), exit(foo) end),
    erlang:monitor(port, P3),
    O3 ! stop,
    d(msgs([{P3, port}, {O3, owner}])),
    d(alive(P3)),
    %% the owner trapping exits: still closes with the owner
    {O4, P4} = owner([], fun(_) -> process_flag(trap_exit, true), wait_stop(), exit({shutdown, x}) end),
    erlang:monitor(port, P4),
    O4 ! stop,
    d(msgs([{P4, port}, {O4, owner}])).

t_owner_unlinked() ->
    {O, P} = owner([], fun(Port) -> unlink(Port), wait_stop(), exit(foo) end),
    erlang:monitor(port, P),
    O ! stop,
    d(msgs([{P, port}, {O, owner}])),
    d(alive(P)),
    d(erlang:port_info(P, connected) =:= {connected, O}),
    d(erlang:port_info(P, links)),
    d(port_command(P, "to nobody")),             % anyone may command; data goes to the dead owner
    d(msgs([{P, port}], 200)),
    d(port_close(P)),
    d(msgs([{P, port}])).

t_exit2() ->
    Self = self(),
    P1 = open_port({spawn, "cat"}, []),
    d(exit(P1, normal)),                         % from the owner: closes
    d(msgs([{P1, port}])),
    P2 = open_port({spawn, "cat"}, []),
    spawn(fun() -> exit(P2, normal), Self ! done end),   % from another: closes too
    d(msgs([{P2, port}])),
    P3 = open_port({spawn, "cat"}, []),
    spawn(fun() -> exit(P3, kill), Self ! done end),
    d(msgs([{P3, port}])),
    P4 = open_port({spawn, "cat"}, []),
    exit(P4, {some, reason}),
    d(msgs([{P4, port}])),
    d(alive(P4)),
    d(exit(P4, foo)),                            % closed: nothing happens
    d(msgs([{P4, port}], 100)),
    %% not trapping: the owner dies with the port's reason
    {_, M} = spawn_monitor(fun() -> P = open_port({spawn, "cat"}, []), exit(P, bye), wait_stop() end),
    d(msgs([], 500)),
    d(M =/= x).

t_links() ->
    Self = self(),
    P = open_port({spawn, "cat"}, []),
    L1 = spawn(fun() -> link(P), Self ! linked, wait_stop() end),    % exits normal: ignored
    receive linked -> ok end,
    d(length(element(2, erlang:port_info(P, links)))),
    L1 ! stop,
    d(msgs([{P, port}, {L1, l1}])),
    d(alive(P)),
    d(erlang:port_info(P, links) =:= {links, [self()]}),
    L2 = spawn(fun() -> link(P), Self ! linked, wait_stop(), exit(crash) end),
    receive linked -> ok end,
    L3 = spawn(fun() -> process_flag(trap_exit, true), link(P), Self ! linked,
                        receive X -> Self ! {l3, X} after 5000 -> Self ! {l3, timeout} end end),
    receive linked -> ok end,
    L2 ! stop,                                   % exits crash: the port closes with crash
    d(msgs([{P, port}, {L2, l2}, {L3, l3}])),
    d(alive(P)),
    %% unlink: no signal either way
    P2 = open_port({spawn, "cat"}, []),
    d(unlink(P2)),
    d(erlang:port_info(P2, links)),
    port_close(P2),
    d(msgs([{P2, port}])),
    %% link to a closed port: true and a noproc 'EXIT', even when not trapping
    d(link(P2)),
    d(msgs([{P2, port}])),
    spawn(fun() -> process_flag(trap_exit, false), Self ! {r, link(P2), msgs([{P2, port}], 100)} end),
    d(msgs([{P2, port}])),
    d(unlink(P2)),
    d(link(P2) =:= unlink(P2)).

t_monitors() ->
    P = open_port({spawn, "cat"}, []),
    unlink(P),
    M1 = erlang:monitor(port, P),
    d(is_reference(M1)),
    d(erlang:port_info(P, monitored_by) =:= {monitored_by, [self()]}),
    d(erlang:port_info(P, monitors)),
    _M2 = erlang:monitor(port, P),
    d(length(element(2, erlang:port_info(P, monitored_by)))),
    d(erlang:demonitor(M1, [info])),
    d(erlang:demonitor(M1, [info])),
    d(length(element(2, erlang:port_info(P, monitored_by)))),
    port_close(P),
    d(msgs([{P, port}])),                        % one 'DOWN', no 'EXIT' (unlinked)
    d(erlang:monitor(port, P) =/= x),            % closed: 'DOWN' noproc at once
    d(msgs([{P, port}])),
    d(r(fun() -> erlang:monitor(port, self()) end)),
    d(r(fun() -> erlang:monitor(port, {a, b}) end)),
    d(r(fun() -> erlang:monitor(port, "p") end)),
    d(r(fun() -> erlang:monitor(process, P) end)),
    d(erlang:monitor(port, no_such_registered_port) =/= x),
    d(msgs([])),
    %% a monitoring process dying leaves the port alone
    Self = self(),
    P3 = open_port({spawn, "cat"}, []),
    W = spawn(fun() -> erlang:monitor(port, P3), Self ! ok end),
    receive ok -> ok end,
    d(msgs([{W, w}], 100)),
    d(erlang:port_info(P3, monitored_by)),
    port_close(P3),
    d(msgs([{P3, port}])),
    %% demonitor with flush after the 'DOWN'
    P4 = open_port({spawn, "cat"}, []),
    M4 = erlang:monitor(port, P4),
    port_close(P4),
    receive {'EXIT', P4, _} -> ok after 1000 -> ok end,
    d(erlang:demonitor(M4, [flush, info])),
    d(msgs([{P4, port}])).

t_bang() ->
    P = open_port({spawn, "cat"}, []),
    P ! {self(), {command, "hello"}},
    P ! {self(), {command, [<<"io">>, $l | <<"ist">>]}},
    d(data(P, 11)),
    P ! {self(), close},
    d(msgs([{P, port}])),
    d(alive(P)),
    P ! {self(), close},                         % closed: dropped
    d(msgs([{P, port}], 100)),
    d(r(fun() -> P ! anything end)),
    P2 = open_port({spawn, "echo hi"}, [eof]),
    receive {P2, eof} -> ok after 5000 -> ok end,
    P2 ! {self(), close},
    d(msgs([{P2, port}])).

data(_, 0) -> [];
data(P, N) ->
    receive {P, {data, D}} -> D ++ data(P, N - length(D))
    after 5000 -> timeout
    end.

t_badsig() ->
    Self = self(),
    P = open_port({spawn, "cat"}, []),
    O = spawn(fun() -> P ! {self(), {command, "x"}}, P ! {self(), close}, Self ! done end),
    d(msgs([{P, port}, {O, other}])),
    d(alive(P)),
    P ! garbage,
    P ! {self(), bad},
    P ! {self(), {command, bad_data}},
    P ! {self(), {connect, not_a_pid}},
    P ! {not_a_pid, close},
    P ! {self(), {command, "x"}, extra},
    d(msgs([{P, port}])),
    d(alive(P)),
    d(erlang:port_info(P, output)),
    %% a non-trapping owner dies with badsig (and takes the port with it)
    {OP, M} = spawn_monitor(fun() -> Q = open_port({spawn, "cat"}, []), Self ! {q, Q}, Q ! garbage, wait_stop() end),
    Q = receive {q, Q0} -> Q0 after 5000 -> none end,
    d(msgs([{OP, owner}, {Q, port}, {M, mon}])),
    d(alive(Q)).

t_connect() ->
    Self = self(),
    Fwd = fun(Tag) -> fun Loop() -> receive stop -> ok; X -> Self ! {Tag, X}, Loop() end end end,
    P = open_port({spawn, "cat"}, []),
    N1 = spawn(Fwd(n1)),
    P ! {self(), {connect, N1}},                 % no link to the new owner
    d(msgs([{P, port}, {N1, n1}])),
    d(erlang:port_info(P, connected) =:= {connected, N1}),
    d(erlang:port_info(P, links) =:= {links, [self()]}),
    P ! {self(), {command, "from old owner"}},   % badsig to N1 (not trapping: it dies)
    d(msgs([{P, port}, {N1, n1}])),
    d(is_process_alive(N1)),
    N2 = spawn(Fwd(n2)),
    d(port_connect(P, N2)),                      % links N2
    d(lists:sort(element(2, erlang:port_info(P, links))) =:= lists:sort([self(), N2])),
    d(port_command(P, "to n2")),
    d(msgs([{P, port}, {N2, n2}])),
    unlink(P),
    N2 ! stop,                                   % N2 linked and connected: normal exit closes
    d(msgs([{P, port}, {N2, n2}])),
    d(alive(P)),
    P3 = open_port({spawn, "cat"}, []),
    d(r(fun() -> port_connect(P3, list_to_pid("<0.9999.0>")) end)),
    d(r(fun() -> port_connect(P3, not_a_pid) end)),
    port_close(P3),
    d(r(fun() -> port_connect(P3, self()) end)),
    d(msgs([{P3, port}])).

t_error_kills() ->
    Self = self(),
    {O, M} = spawn_monitor(fun() ->
                                   P = open_port({spawn, "cat"}, [{packet, 1}]),
                                   Self ! {p, P},
                                   port_command(P, lists:duplicate(300, 0)),
                                   wait_stop()
                           end),
    P = receive {p, P0} -> P0 after 5000 -> none end,
    d(msgs([{O, owner}, {P, port}, {M, mon}])),
    d(alive(P)),
    P2 = open_port({spawn, "sleep 10"}, [in]),
    port_command(P2, "x"),
    d(msgs([{P2, port}])).

t_close_reasons() ->
    %% exit_status ports close normal after the status
    P = open_port({spawn, "sh -c 'exit 1'"}, [exit_status]),
    erlang:monitor(port, P),
    d(msgs([{P, port}], 2000)),
    %% port_close: normal, to the links and monitors
    Self = self(),
    P2 = open_port({spawn, "cat"}, []),
    W = spawn(fun() -> process_flag(trap_exit, true), link(P2), erlang:monitor(port, P2), Self ! ready,
                       Self ! {w, msgs([{P2, port}], 1000)} end),
    receive ready -> ok end,
    port_close(P2),
    d(msgs([{P2, port}, {W, w}], 1500)).
