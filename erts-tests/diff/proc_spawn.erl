%% Processes: spawn/1,2,3,4, spawn_link, spawn_monitor, spawn_opt and its
%% options (bad ones -> badarg), exit reasons of crashing processes as seen
%% by monitors (undef, error, exit, throw, badarity), is_process_alive,
%% self/0, processes/0, yield, group_leader, process_flag (old values and
%% badarg), garbage_collect/0,1,2, hibernate/3 and waking up.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(proc_spawn).
-export([main/0, child/2, woke/1, wait/0]).

main() ->
    quiet(),
    lists:foreach(fun run/1,
                  [fun t_spawn/0, fun t_spawn_link_monitor/0, fun t_spawn_opt/0,
                   fun t_spawn_opt_bad/0, fun t_crashes/0, fun t_alive/0,
                   fun t_misc/0, fun t_flags/0, fun t_gc/0, fun t_hibernate/0]).

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
        {'DOWN', M, process, P, R} -> d({sandbox_died, short(R)})
    after 10000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.
id(X) -> X.

%% An exit reason with the stacktrace reduced to its top frame {M,F,A}.
short({R, [{M, F, A, _} | _]}) -> {R, {M, F, A}};
short(R) -> R.

down(P, M) ->
    receive {'DOWN', M, process, P, R} -> short(R) after 5000 -> timeout end.

child(Parent, Tag) -> Parent ! {Tag, self()}.

wait() -> receive stop -> ok after 5000 -> timeout end.

reply(Tag) ->
    receive {Tag, P} -> P after 5000 -> timeout end.

t_spawn() ->
    Self = self(),
    P1 = spawn(fun() -> Self ! {s1, self()} end),
    P1b = reply(s1),
    d({spawn1, is_pid(P1), P1 =:= P1b, P1 =/= Self}),
    P2 = spawn(node(), fun() -> Self ! {s2, self()} end),
    d({spawn2, P2 =:= reply(s2)}),
    P3 = spawn(?MODULE, child, [Self, s3]),
    d({spawn3, P3 =:= reply(s3)}),
    P4 = spawn(node(), ?MODULE, child, [Self, s4]),
    d({spawn4, P4 =:= reply(s4)}),
    P5 = spawn(erlang, send, [Self, {s5, msg}]),
    d({spawn_bif, is_pid(P5), reply(s5)}),
    d({bad, r(fun() -> spawn(notafun) end), r(fun() -> spawn(m, f, notalist) end),
       r(fun() -> spawn(1, f, []) end), r(fun() -> spawn(m, "f", []) end),
       r(fun() -> spawn(m, f, [a | b]) end)}).

t_spawn_link_monitor() ->
    process_flag(trap_exit, true),
    P = spawn_link(fun() -> ok end),
    d({spawn_link, receive {'EXIT', P, R} -> R after 5000 -> timeout end}),
    P2 = spawn_link(fun() -> exit(bye) end),
    d({spawn_link2, receive {'EXIT', P2, R2} -> R2 after 5000 -> timeout end}),
    P3 = spawn_link(?MODULE, wait, []),
    d({links, process_info(self(), links) =:= {links, [P3]}}),
    P3 ! stop,
    d({spawn_link3, receive {'EXIT', P3, R3} -> R3 after 5000 -> timeout end}),
    {P4, M4} = spawn_monitor(fun() -> exit(mon) end),
    d({spawn_monitor, is_pid(P4), is_reference(M4), down(P4, M4)}),
    {P5, M5} = spawn_monitor(?MODULE, child, [self(), s5]),
    d({spawn_monitor3, P5 =:= reply(s5), down(P5, M5)}),
    d({bad, r(fun() -> spawn_link(notafun) end), r(fun() -> spawn_monitor(1, 2, 3) end)}).

gc_opts(P) ->
    {garbage_collection, L} = process_info(P, garbage_collection),
    {proplists:get_value(min_heap_size, L), proplists:get_value(fullsweep_after, L)}.

t_spawn_opt() ->
    process_flag(trap_exit, true),
    P = spawn_opt(fun() -> exit(x) end, [link]),
    d({link, is_pid(P), receive {'EXIT', P, R} -> R after 5000 -> timeout end}),
    {P2, M2} = spawn_opt(fun() -> exit(y) end, [monitor]),
    d({monitor, down(P2, M2)}),
    {P3, M3} = spawn_opt(fun() -> exit(z) end, [link, monitor]),
    d({link_monitor, down(P3, M3), receive {'EXIT', P3, R3} -> R3 after 5000 -> timeout end}),
    {P3b, M3b} = spawn_opt(?MODULE, child, [self(), s3b], [monitor]),
    d({monitor4, P3b =:= reply(s3b), down(P3b, M3b)}),
    lists:foreach(
      fun(Pr) ->
              P4 = spawn_opt(?MODULE, wait, [], [{priority, Pr}]),
              d({priority, Pr, process_info(P4, priority)}),
              P4 ! stop
      end, [low, normal, high]),
    lists:foreach(
      fun(N) ->
              P5 = spawn_opt(?MODULE, wait, [], [{min_heap_size, N}, {fullsweep_after, 10}]),
              d({min_heap_size, N, gc_opts(P5)}),
              P5 ! stop
      end, [0, 100, 233, 234, 1000]),
    P6 = spawn_opt(node(), fun wait/0, [{fullsweep_after, 0}]),
    d({fullsweep_after, gc_opts(P6)}),
    P6 ! stop,
    P7 = spawn_opt(node(), ?MODULE, wait, [], []),
    d({spawn_opt5, is_pid(P7)}),
    P7 ! stop,
    d({gc_default, gc_opts(self())}).

t_spawn_opt_bad() ->
    F = fun() -> ok end,
    lists:foreach(
      fun(O) -> d({O, r(fun() -> spawn_opt(F, O) end)}) end,
      [[bogus], [{priority, bogus}], [{priority, 1}], [{min_heap_size, -1}],
       [{min_heap_size, a}], [{fullsweep_after, -1}], [{fullsweep_after, x}],
       notalist, [link | x], [{monitor, bad}]]),
    d({bad_mfa, r(fun() -> spawn_opt(m, f, x, []) end)}).

t_crashes() ->
    {P1, M1} = spawn_monitor(nomod, nofun, [1, 2]),
    d({undef_mod, down(P1, M1)}),
    {P2, M2} = spawn_monitor(lists, nofun, []),
    d({undef_fun, down(P2, M2)}),
    {P3, M3} = spawn_monitor(?MODULE, not_exported, [x]),
    d({undef_local, down(P3, M3)}),
    {P4, M4} = spawn_monitor(fun() -> 1 + id(a) end),
    d({badarith, down(P4, M4)}),
    {P4b, M4b} = spawn_monitor(fun() -> apply(erlang, id('+'), [1, a]) end),
    d({badarith_remote, down(P4b, M4b)}),
    {P5, M5} = spawn_monitor(fun() -> throw(ball) end),
    d({throw, element(1, down(P5, M5))}),
    {P6, M6} = spawn_monitor(fun() -> exit(bye) end),
    d({exit, down(P6, M6)}),
    {P7, M7} = spawn_monitor(fun() -> exit({a, [b]}) end),
    d({exit_tuple, down(P7, M7)}),
    {P8, M8} = spawn_monitor(fun() -> error(bye) end),
    d({error, element(1, down(P8, M8))}),
    {P9, M9} = spawn_monitor(fun() -> hd(id(x)) end),
    d({badarg, down(P9, M9)}),
    %% spawn_monitor/1 checks the arity itself; spawn_opt/2 does not.
    d({spawn_monitor_arity, r(fun() -> spawn_monitor(fun(_) -> ok end) end)}),
    {P10, M10} = spawn_opt(fun(_) -> ok end, [monitor]),
    {{badarity, {Fun, Args}}, _} = receive {'DOWN', M10, process, P10, R10} -> R10
                                   after 5000 -> {{badarity, {x, timeout}}, []} end,
    d({badarity, is_function(Fun, 1), Args}),
    {P11, M11} = spawn_monitor(erlang, error, [direct]),
    d({error_bif, down(P11, M11)}),
    {P12, M12} = spawn_monitor(erlang, exit, [direct]),
    d({exit_bif, down(P12, M12)}),
    {P13, M13} = spawn_monitor(erlang, throw, [direct]),
    d({throw_bif, down(P13, M13)}).

t_alive() ->
    P = spawn(?MODULE, wait, []),
    d({alive, is_process_alive(P)}),
    M = monitor(process, P),
    P ! stop,
    d({down, down(P, M), is_process_alive(P)}),
    P2 = spawn(?MODULE, wait, []),
    exit(P2, kill),
    %% Signals from the caller are delivered before the check (documented).
    d({killed_alive, is_process_alive(P2)}),
    d({self_alive, is_process_alive(self())}),
    d({bad, r(fun() -> is_process_alive(notapid) end)}).

t_misc() ->
    Self = self(),
    P = spawn(fun() -> Self ! {me, self(), self() =:= Self, group_leader() =:= element(2, process_info(Self, group_leader))} end),
    d(receive {me, P, Same, GL} -> {self_differs, not Same, gl_inherited, GL} after 5000 -> timeout end),
    d({processes, lists:member(self(), processes()), is_list(processes())}),
    d({yield, erlang:yield()}),
    d({group_leader, is_pid(group_leader())}),
    d({self_is_pid, is_pid(self()), self() =:= self()}).

t_flags() ->
    d({trap_exit, process_flag(trap_exit, true), process_flag(trap_exit, false),
       process_flag(trap_exit, false)}),
    d({priority, process_flag(priority, high), process_flag(priority, low),
       process_flag(priority, normal)}),
    d({min_heap_size, process_flag(min_heap_size, 100), process_flag(min_heap_size, 1000),
       process_flag(min_heap_size, 0), process_flag(min_heap_size, 233)}),
    d({bad, r(fun() -> process_flag(trap_exit, 1) end), r(fun() -> process_flag(bogus, 1) end),
       r(fun() -> process_flag(priority, bogus) end), r(fun() -> process_flag(priority, max) end),
       r(fun() -> process_flag(min_heap_size, -1) end), r(fun() -> process_flag("x", true) end)}),
    d({after_bad, process_flag(trap_exit, false), process_flag(priority, normal)}).

t_gc() ->
    d({gc0, garbage_collect()}),
    d({gc_self, garbage_collect(self())}),
    P = spawn(?MODULE, wait, []),
    d({gc_other, garbage_collect(P)}),
    M = monitor(process, P),
    P ! stop,
    down(P, M),
    d({gc_dead, garbage_collect(P)}),
    d({gc2, garbage_collect(self(), [{type, major}]), garbage_collect(self(), [{type, minor}])}),
    d({gc_async, garbage_collect(self(), [{async, tag}]),
       receive {garbage_collect, tag, R} -> R after 5000 -> timeout end}),
    d({gc_async_dead, garbage_collect(P, [{async, tag2}]),
       receive {garbage_collect, tag2, R2} -> R2 after 5000 -> timeout end}),
    d({bad, r(fun() -> garbage_collect(notapid) end), r(fun() -> garbage_collect(self(), [bad]) end),
       r(fun() -> garbage_collect(self(), bad) end)}).

woke(Parent) ->
    receive Msg -> Parent ! {woke, Msg} after 5000 -> Parent ! {woke, timeout} end.

wait_status(_P, 0) -> gave_up;
wait_status(P, N) ->
    case process_info(P, status) of
        {status, waiting} -> waiting;
        _ -> erlang:yield(), wait_status(P, N - 1)
    end.

t_hibernate() ->
    Self = self(),
    P = spawn(fun() -> erlang:hibernate(?MODULE, woke, [Self]) end),
    d({hibernating, wait_status(P, 1000000)}),
    d({hib_cf, process_info(P, current_function)}),
    P ! hello,
    d(receive {woke, W} -> W after 5000 -> timeout end),
    d({bad, r(fun() -> erlang:hibernate(a, b, c) end), r(fun() -> erlang:hibernate(1, b, []) end)}),
    {P2, M2} = spawn_monitor(fun() -> erlang:hibernate(nomod, nofun, []) end),
    d({hib_undef_waiting, wait_status(P2, 1000000)}),
    P2 ! wake,
    d({hib_undef, down(P2, M2)}).
