%% The process registry: register/unregister/whereis/registered, the badarg
%% cases (taken name, undefined, dead pid, second name, non-atom), send to a
%% name, to {Name, node()}, to an unregistered name (exact errors of !, send/2,3),
%% automatic unregistration on exit, process_info(P, registered_name).
%% No pids are printed.  Every test body runs in a fresh sandbox process;
%% every receive has a timeout.
-module(proc_registry).
-export([main/0]).

main() ->
    quiet(),
    lists:foreach(fun run/1,
                  [fun t_basic/0, fun t_bad/0, fun t_send/0, fun t_send_errors/0,
                   fun t_exit/0, fun t_info/0]).

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
    after 10000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

%% The error and the top frame without its location/error_info list.
rt(F) -> try F() catch C:E:St -> {C, E, top(St)} end.
top([{M, F, A, _} | _]) -> {M, F, A};
top(St) -> St.

drain() -> receive M -> [M | drain()] after 0 -> [] end.

waiter() -> spawn(fun() -> receive stop -> ok after 5000 -> timeout end end).

stop(P) ->
    M = monitor(process, P),
    P ! stop,
    receive {'DOWN', M, process, P, R} -> R after 5000 -> timeout end.

t_basic() ->
    d({whereis_none, whereis(reg_a)}),
    d({register, register(reg_a, self())}),
    d({whereis, whereis(reg_a) =:= self()}),
    d({registered, lists:member(reg_a, registered()), is_list(registered())}),
    d({unregister, unregister(reg_a)}),
    d({after_unregister, whereis(reg_a), lists:member(reg_a, registered())}),
    P = waiter(),
    d({register_other, register(reg_b, P), whereis(reg_b) =:= P}),
    d({rename, unregister(reg_b), register(reg_c, P), whereis(reg_b), whereis(reg_c) =:= P}),
    d({reuse, unregister(reg_c), register(reg_c, self()), whereis(reg_c) =:= self()}),
    unregister(reg_c),
    d({stopped, stop(P)}),
    %% Names are atoms of any kind.
    d({odd_names, [begin true = register(N, self()), W = whereis(N) =:= self(), unregister(N), W end
                   || N <- ['', 'with space', 'ünïcode', true, nil]]}).

t_bad() ->
    register(reg_taken, self()),
    P = waiter(),
    d({taken, r(fun() -> register(reg_taken, P) end), whereis(reg_taken) =:= self()}),
    d({second_name, r(fun() -> register(reg_other, self()) end), whereis(reg_other)}),
    d({same_again, r(fun() -> register(reg_taken, self()) end)}),
    unregister(reg_taken),
    d({undefined, r(fun() -> register(undefined, P) end)}),
    d({non_atom, r(fun() -> register("name", P) end), r(fun() -> register(1, P) end),
       r(fun() -> register({a}, P) end)}),
    d({non_pid, r(fun() -> register(reg_x, x) end), r(fun() -> register(reg_x, make_ref()) end)}),
    d({stopped, stop(P)}),
    d({dead, r(fun() -> register(reg_dead, P) end), whereis(reg_dead)}),
    d({unregister_bad, r(fun() -> unregister(reg_never) end), r(fun() -> unregister("x") end),
       r(fun() -> unregister(1) end)}),
    d({unregister_twice, register(reg_t, self()), unregister(reg_t), r(fun() -> unregister(reg_t) end)}),
    d({whereis_bad, r(fun() -> whereis("x") end), r(fun() -> whereis(1) end)}).

t_send() ->
    register(reg_me, self()),
    reg_me ! one,
    d({bang, receive one -> ok after 5000 -> timeout end}),
    d({bang_value, reg_me ! two, erlang:send(reg_me, three), erlang:send(reg_me, four, [])}),
    d({got, [receive X -> X after 5000 -> timeout end || _ <- [1, 2, 3]]}),
    d({tuple_dest, {reg_me, node()} ! five, erlang:send({reg_me, node()}, six)}),
    d({got2, [receive X -> X after 5000 -> timeout end || _ <- [1, 2]]}),
    %% From another process, by name.
    Me = self(),
    spawn(fun() -> reg_me ! {from_child, self() =/= Me} end),
    d({child, receive {from_child, B} -> B after 5000 -> timeout end}),
    %% {Name, node()} with an unregistered name: silently dropped.
    d({tuple_unregistered, r(fun() -> {reg_nobody, node()} ! lost end),
       r(fun() -> erlang:send({reg_nobody, node()}, lost) end)}),
    unregister(reg_me),
    self() ! fence,
    d({nothing_else, receive fence -> drain() after 5000 -> timeout end}).

t_send_errors() ->
    d({bang, rt(fun() -> reg_nobody ! x end)}),
    d({send2, rt(fun() -> erlang:send(reg_nobody, x) end)}),
    d({send3, rt(fun() -> erlang:send(reg_nobody, x, []) end)}),
    d({bad_dest, rt(fun() -> erlang:send(1, x) end), rt(fun() -> erlang:send("n", x) end),
       rt(fun() -> erlang:send({1, node()}, x) end), rt(fun() -> erlang:send({a, b, c}, x) end)}),
    register(reg_opt, self()),
    d({bad_opt, rt(fun() -> erlang:send(reg_opt, x, [bad]) end), r(fun() -> erlang:send(self(), x, bad) end)}),
    d({good_opts, erlang:send(reg_opt, y, [noconnect, nosuspend]), receive y -> ok after 5000 -> timeout end}),
    unregister(reg_opt),
    d({catch_value, case catch reg_nobody ! x of {'EXIT', {R, St}} -> {'EXIT', R, top(St)}; O -> O end}),
    d({after_unregister, begin register(reg_gone, self()), unregister(reg_gone),
                               r(fun() -> reg_gone ! x end) end}).

t_exit() ->
    Me = self(),
    P = spawn(fun() -> register(reg_dies, self()), Me ! {registered, self()},
                       receive stop -> exit(bye) after 5000 -> timeout end end),
    receive {registered, P} -> ok after 5000 -> timeout end,
    d({before, whereis(reg_dies) =:= P, lists:member(reg_dies, registered())}),
    d({died, stop(P)}),
    d({after_exit, whereis(reg_dies), lists:member(reg_dies, registered()),
       r(fun() -> reg_dies ! x end)}),
    %% The name is free again.
    d({reuse, register(reg_dies, self()), unregister(reg_dies)}),
    %% Killed and normal exits unregister too.
    P2 = spawn(fun() -> register(reg_k, self()), Me ! {registered, self()},
                        receive after 5000 -> timeout end end),
    receive {registered, P2} -> ok after 5000 -> timeout end,
    M2 = monitor(process, P2),
    exit(P2, kill),
    d({killed, receive {'DOWN', M2, process, P2, R} -> R after 5000 -> timeout end, whereis(reg_k)}),
    P3 = spawn(fun() -> register(reg_n, self()), Me ! {registered, self()} end),
    M3 = monitor(process, P3),
    receive {registered, P3} -> ok after 5000 -> timeout end,
    d({normal, receive {'DOWN', M3, process, P3, R3} -> R3 after 5000 -> timeout end, whereis(reg_n)}).

t_info() ->
    P = waiter(),
    d({unnamed, process_info(P, registered_name), process_info(P, [registered_name])}),
    register(reg_i, P),
    d({named, process_info(P, registered_name), process_info(P, [registered_name])}),
    unregister(reg_i),
    d({unregistered, process_info(P, registered_name)}),
    d({self_unnamed, process_info(self(), registered_name)}),
    register(reg_self, self()),
    d({self_named, process_info(self(), registered_name)}),
    unregister(reg_self),
    d({stopped, stop(P)}),
    d({dead, process_info(P, registered_name)}).
