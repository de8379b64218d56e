%% process_info/1,2: message_queue_len, messages, links, monitors,
%% monitored_by, dictionary, status, trap_exit, priority, registered_name,
%% initial_call, current_function/current_location of a process blocked in a
%% known receive, group_leader, parent, heap sizes of a fresh idle process,
%% catchlevel, fixed-value items, list form, dead pid -> undefined, badarg,
%% the keys of process_info/1.  Pids are compared with =:=, never printed.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(proc_info).
-export([main/0, idle/0, idle_try/0, idle_args/2]).

main() ->
    quiet(),
    lists:foreach(fun run/1,
                  [fun t_queue/0, fun t_links/0, fun t_monitors/0, fun t_dict/0,
                   fun t_status/0, fun t_flags/0, fun t_calls/0, fun t_sizes/0,
                   fun t_fixed/0, fun t_forms/0, fun t_keys/0]).

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

%% Blocked in a receive that only a stop message ends.
idle() -> receive stop -> ok after 5000 -> timeout end.

idle_try() ->
    try receive stop -> ok after 5000 -> timeout end
    catch _:_ -> caught
    end.

idle_args(_, _) -> idle().

stop(P) ->
    M = monitor(process, P),
    P ! stop,
    receive {'DOWN', M, process, P, R} -> R after 5000 -> timeout end.

%% Wait (bounded) until P is blocked in its receive.
waiting(_P, 0) -> gave_up;
waiting(P, N) ->
    case process_info(P, status) of
        {status, waiting} -> waiting;
        _ -> erlang:yield(), waiting(P, N - 1)
    end.

t_queue() ->
    P = spawn(?MODULE, idle, []),
    d({empty, process_info(P, message_queue_len), process_info(P, messages)}),
    [P ! X || X <- [a, {b, [1]}, <<"c">>]],
    %% Signals from us are handled before our process_info request.
    d({queued, process_info(P, message_queue_len), process_info(P, messages)}),
    d({stop, stop(P)}),
    self() ! x,
    self() ! y,
    d({self, process_info(self(), message_queue_len), process_info(self(), messages)}),
    receive x -> ok after 5000 -> timeout end,
    d({self_after, process_info(self(), messages)}),
    receive y -> ok after 5000 -> timeout end.

t_links() ->
    Me = self(),
    P = spawn(?MODULE, idle, []),
    d({none, process_info(P, links)}),
    Q = spawn(fun() -> link(P), Me ! linked, idle() end),
    receive linked -> ok after 5000 -> timeout end,
    link(P),
    {links, L} = process_info(P, links),
    d({two, length(L), lists:sort(L) =:= lists:sort([Me, Q])}),
    d({mine, process_info(self(), links) =:= {links, [P]}}),
    unlink(P),
    d({unlinked, process_info(P, links) =:= {links, [Q]}, process_info(self(), links)}),
    d({stop, stop(Q), stop(P)}).

t_monitors() ->
    P = spawn(?MODULE, idle, []),
    d({none, process_info(P, monitors), process_info(P, monitored_by)}),
    M1 = monitor(process, P),
    d({one, process_info(self(), monitors) =:= {monitors, [{process, P}]},
       process_info(P, monitored_by) =:= {monitored_by, [self()]}}),
    register(info_target, P),
    M2 = monitor(process, info_target),
    {monitors, Ms} = process_info(self(), monitors),
    d({by_name, length(Ms), lists:member({process, P}, Ms),
       lists:member({process, {info_target, node()}}, Ms)}),
    d({monitored_by_twice, process_info(P, monitored_by) =:= {monitored_by, [self(), self()]}}),
    demonitor(M1),
    demonitor(M2),
    d({demonitored, process_info(self(), monitors), process_info(P, monitored_by)}),
    d({stop, stop(P)}),
    d({after_down, process_info(self(), monitors)}).

t_dict() ->
    d({empty, process_info(self(), dictionary)}),
    put(k, v),
    d({one, process_info(self(), dictionary)}),
    put(k2, [1, 2]),
    put({t}, <<"b">>),
    {dictionary, D} = process_info(self(), dictionary),
    d({three, lists:sort(D)}),
    erase(k),
    erase(k2),
    erase({t}),
    d({erased, process_info(self(), dictionary)}),
    Me = self(),
    P = spawn(fun() -> put(child, 1), Me ! ready, idle() end),
    receive ready -> ok after 5000 -> timeout end,
    d({other, process_info(P, dictionary)}),
    d({stop, stop(P)}).

t_status() ->
    d({self, process_info(self(), status)}),
    P = spawn(?MODULE, idle, []),
    d({blocked, waiting(P, 1000000)}),
    P ! not_stop,
    %% A message that does not match leaves it waiting again.
    d({still_blocked, waiting(P, 1000000), process_info(P, message_queue_len)}),
    d({stop, stop(P)}).

t_flags() ->
    Me = self(),
    P = spawn(fun() ->
                      process_flag(trap_exit, true),
                      process_flag(priority, low),
                      register(info_flags, self()),
                      Me ! ready,
                      idle()
              end),
    receive ready -> ok after 5000 -> timeout end,
    d({set, process_info(P, [trap_exit, priority, registered_name])}),
    P2 = spawn(?MODULE, idle, []),
    d({default, process_info(P2, [trap_exit, priority, registered_name])}),
    P3 = spawn_opt(?MODULE, idle, [], [{priority, high}]),
    d({spawn_opt, process_info(P3, priority)}),
    d({stop, stop(P), stop(P2), stop(P3)}).

t_calls() ->
    P1 = spawn(fun() -> idle() end),
    P2 = spawn(?MODULE, idle, []),
    P3 = spawn(?MODULE, idle_args, [a, b]),
    P4 = spawn(?MODULE, idle_try, []),
    P5 = spawn(fun() -> receive stop -> ok after 5000 -> timeout end end),
    Ps = [P1, P2, P3, P4, P5],
    [waiting(P, 1000000) || P <- Ps],
    [d({call, N, process_info(P, [initial_call, current_function, current_location, catchlevel])})
     || {N, P} <- lists:zip([fun_calling_idle, mfa, mfa_args, mfa_try, fun_receive], Ps)],
    d({group_leader, [begin {group_leader, G} = process_info(P, group_leader), is_pid(G) end || P <- Ps]}),
    d({parent, [process_info(P, parent) =:= {parent, self()} || P <- Ps]}),
    d({stop, [stop(P) || P <- Ps]}).

t_sizes() ->
    P = spawn(?MODULE, idle, []),
    waiting(P, 1000000),
    d({fresh, process_info(P, [heap_size, total_heap_size, min_heap_size, min_bin_vheap_size])}),
    P2 = spawn_opt(?MODULE, idle, [], [{min_heap_size, 1000}]),
    waiting(P2, 1000000),
    d({min_heap_1000, process_info(P2, [heap_size, total_heap_size, min_heap_size])}),
    P3 = spawn(fun() -> idle() end),
    waiting(P3, 1000000),
    d({fresh_fun, process_info(P3, [heap_size, total_heap_size])}),
    {reductions, R} = process_info(P, reductions),
    {memory, Mem} = process_info(P, memory),
    d({ints, is_integer(R), R > 0, is_integer(Mem), Mem > 0}),
    d({stop, stop(P), stop(P2), stop(P3)}).

t_fixed() ->
    P = spawn(?MODULE, idle, []),
    d({fixed, process_info(P, [error_handler, last_calls, suspending, sequential_trace_token,
                               trace, message_queue_data, binary])}),
    d({stop, stop(P)}).

t_forms() ->
    P = spawn(?MODULE, idle, []),
    P ! hello,
    d({list, process_info(P, [message_queue_len, trap_exit, messages])}),
    d({dup, process_info(P, [message_queue_len, message_queue_len])}),
    d({empty_list, process_info(P, [])}),
    d({reg_list, process_info(P, [registered_name]), process_info(P, registered_name)}),
    d({bad, r(fun() -> process_info(P, bad) end), r(fun() -> process_info(P, [bad]) end),
       r(fun() -> process_info(P, [status | x]) end), r(fun() -> process_info(P, "x") end),
       r(fun() -> process_info(notapid, status) end), r(fun() -> process_info(notapid) end),
       r(fun() -> process_info(P, 1) end)}),
    d({stop, stop(P)}),
    d({dead, process_info(P, status), process_info(P, [status, messages]), process_info(P),
       process_info(P, registered_name)}),
    d({dead_bad_item, r(fun() -> process_info(P, bad) end)}).

t_keys() ->
    P = spawn(?MODULE, idle, []),
    waiting(P, 1000000),
    d({keys, [K || {K, _} <- process_info(P)]}),
    register(info_keys, P),
    d({keys_registered, [K || {K, _} <- process_info(P)]}),
    {registered_name, N} = lists:keyfind(registered_name, 1, process_info(P)),
    d({name, N}),
    d({stop, stop(P)}).
