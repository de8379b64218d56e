%% Timers and time: erlang:send_after/3,4, start_timer/3,4, cancel_timer/1,2
%% (async/info options), read_timer/1,2, timers to names and dead pids,
%% expiry order, {abs,true}, badarg cases, monotonic_time, convert_time_unit
%% (all units, negative values, flooring), time_offset, statistics/1 shapes,
%% os:timestamp/0 shape.  No absolute times or durations are printed.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(proc_timers).
-export([main/0]).

main() ->
    quiet(),
    lists:foreach(fun run/1,
                  [fun t_send_after/0, fun t_start_timer/0, fun t_cancel/0,
                   fun t_cancel_opts/0, fun t_read/0, fun t_dest/0, fun t_order/0,
                   fun t_abs/0, fun t_bad/0, fun t_monotonic/0, fun t_convert/0,
                   fun t_offset/0, fun t_statistics/0]).

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

drain() -> receive M -> [M | drain()] after 0 -> [] end.

%% What a cancel/read result looks like: integer (remaining ms) or false.
rem_ms(N) when is_integer(N), N >= 0 -> int;
rem_ms(X) -> X.

t_send_after() ->
    T = erlang:send_after(10, self(), hello),
    d({ref, is_reference(T)}),
    d({got, receive hello -> hello after 5000 -> timeout end}),
    Big = {lists:seq(1, 1000), binary:copy(<<1>>, 1000), 1 bsl 100, 2.5},
    erlang:send_after(1, self(), Big),
    d({big_msg, receive B -> B =:= Big after 5000 -> timeout end}),
    erlang:send_after(0, self(), zero),
    d({zero, receive zero -> zero after 5000 -> timeout end}),
    T4 = erlang:send_after(5, self(), opts, []),
    d({send_after4, receive opts -> opts after 5000 -> timeout end, erlang:cancel_timer(T4)}),
    d({empty, drain()}).

t_start_timer() ->
    T = erlang:start_timer(10, self(), tick),
    d({timeout_msg, receive {timeout, T, tick} -> ok; X -> {other, X} after 5000 -> timeout end}),
    T2 = erlang:start_timer(0, self(), {a, [b]}),
    d({timeout_msg0, receive {timeout, T2, M} -> M after 5000 -> timeout end}),
    T3 = erlang:start_timer(5, self(), four, []),
    d({start_timer4, receive {timeout, T3, M3} -> M3 after 5000 -> timeout end}),
    d({cancel_fired, erlang:cancel_timer(T), erlang:read_timer(T)}),
    d({empty, drain()}).

t_cancel() ->
    T = erlang:send_after(100000, self(), never),
    d({cancel, rem_ms(erlang:cancel_timer(T)), erlang:cancel_timer(T)}),
    T2 = erlang:start_timer(100000, self(), never),
    d({cancel2, rem_ms(erlang:cancel_timer(T2, [])), erlang:cancel_timer(T2, [])}),
    %% The remaining time is never more than the timeout.
    T3 = erlang:send_after(100000, self(), never),
    C3 = erlang:cancel_timer(T3),
    d({bounded, C3 =< 100000}),
    d({unknown_ref, erlang:cancel_timer(make_ref())}),
    T4 = erlang:send_after(1, self(), fired),
    receive fired -> ok after 5000 -> timeout end,
    d({after_fire, erlang:cancel_timer(T4)}),
    d({empty, drain()}).

t_cancel_opts() ->
    T = erlang:send_after(100000, self(), never),
    d({async, erlang:cancel_timer(T, [{async, true}])}),
    d({async_msg, receive {cancel_timer, T, R} -> rem_ms(R) after 5000 -> timeout end}),
    d({async_again, erlang:cancel_timer(T, [{async, true}])}),
    d({async_again_msg, receive {cancel_timer, T, R2} -> R2 after 5000 -> timeout end}),
    T2 = erlang:send_after(100000, self(), never),
    d({async_noinfo, erlang:cancel_timer(T2, [{async, true}, {info, false}])}),
    T3 = erlang:send_after(100000, self(), never),
    d({noinfo, erlang:cancel_timer(T3, [{info, false}]), erlang:cancel_timer(T3, [{info, false}])}),
    T4 = erlang:send_after(100000, self(), never),
    d({sync_info, rem_ms(erlang:cancel_timer(T4, [{async, false}, {info, true}]))}),
    d({unknown_async, erlang:cancel_timer(make_ref(), [{async, true}]),
       receive {cancel_timer, _, R3} -> R3 after 5000 -> timeout end}),
    %% The last instance of an option wins.
    T5 = erlang:send_after(100000, self(), never),
    d({last_wins, rem_ms(erlang:cancel_timer(T5, [{info, false}, {info, true}]))}),
    %% Sync cancel with no info; a fence message shows nothing else arrives.
    self() ! fence,
    d({after_noinfo, receive fence -> drain() after 5000 -> timeout end}).

t_read() ->
    T = erlang:send_after(100000, self(), never),
    R = erlang:read_timer(T),
    d({read, rem_ms(R), R =< 100000, rem_ms(erlang:read_timer(T, []))}),
    d({read_async, erlang:read_timer(T, [{async, true}]),
       receive {read_timer, T, R2} -> rem_ms(R2) after 5000 -> timeout end}),
    erlang:cancel_timer(T),
    d({read_cancelled, erlang:read_timer(T), erlang:read_timer(T, [{async, false}])}),
    d({read_cancelled_async, erlang:read_timer(T, [{async, true}]),
       receive {read_timer, T, R3} -> R3 after 5000 -> timeout end}),
    d({read_unknown, erlang:read_timer(make_ref())}),
    d({bad, r(fun() -> erlang:read_timer(x) end), r(fun() -> erlang:read_timer(T, [bad]) end),
       r(fun() -> erlang:read_timer(T, x) end)}).

t_dest() ->
    register(timer_dest, self()),
    erlang:send_after(5, timer_dest, by_name),
    d({by_name, receive by_name -> ok after 5000 -> timeout end}),
    T = erlang:start_timer(5, timer_dest, tn),
    d({start_by_name, receive {timeout, T, tn} -> ok after 5000 -> timeout end}),
    unregister(timer_dest),
    %% A name that is not registered at expiry: the message is dropped.
    T2 = erlang:send_after(1, timer_nobody, lost),
    d({unregistered_name, is_reference(T2)}),
    Dead = spawn(fun() -> ok end),
    M = monitor(process, Dead),
    receive {'DOWN', M, process, Dead, _} -> ok after 5000 -> timeout end,
    T3 = erlang:send_after(1, Dead, lost),
    d({dead_pid, is_reference(T3), erlang:cancel_timer(T3)}),
    T3b = erlang:start_timer(100000, Dead, lost),
    d({dead_pid_read, erlang:read_timer(T3b)}),
    %% A timer to a process is cancelled when that process exits.
    P = spawn(fun() -> receive after 5000 -> ok end end),
    T4 = erlang:send_after(100000, P, lost),
    M4 = monitor(process, P),
    d({alive_read, rem_ms(erlang:read_timer(T4))}),
    exit(P, kill),
    receive {'DOWN', M4, process, P, _} -> ok after 5000 -> timeout end,
    d({dest_exited, erlang:read_timer(T4), erlang:cancel_timer(T4)}),
    receive after 20 -> ok end,
    d({empty, drain()}).

t_order() ->
    [erlang:send_after(T, self(), {t, T}) || T <- [60, 20, 100, 0, 40]],
    d({order, [receive {t, X} -> X after 5000 -> timeout end || _ <- [1, 2, 3, 4, 5]]}),
    T1 = erlang:start_timer(40, self(), b),
    T2 = erlang:start_timer(10, self(), a),
    d({order2, [receive {timeout, R, X} -> {R =:= T2, R =:= T1, X} after 5000 -> timeout end
                || _ <- [1, 2]]}),
    %% A selective receive can take a later timer first.
    erlang:send_after(10, self(), early),
    erlang:send_after(30, self(), late),
    d({selective, receive late -> late after 5000 -> timeout end, drain()}).

t_abs() ->
    Now = erlang:monotonic_time(millisecond),
    T = erlang:send_after(Now + 20, self(), abs_future, [{abs, true}]),
    d({abs_future, is_reference(T), receive abs_future -> ok after 5000 -> timeout end}),
    erlang:send_after(Now - 1, self(), abs_past, [{abs, true}]),
    d({abs_past, receive abs_past -> ok after 5000 -> timeout end}),
    T2 = erlang:start_timer(Now + 10, self(), st, [{abs, true}]),
    d({abs_start, receive {timeout, T2, st} -> ok after 5000 -> timeout end}),
    erlang:send_after(30, self(), rel, [{abs, false}]),
    d({abs_false, receive rel -> ok after 5000 -> timeout end}),
    T3 = erlang:send_after(Now + 100000, self(), never, [{abs, true}]),
    d({abs_read, rem_ms(erlang:read_timer(T3)), erlang:read_timer(T3) =< 100000}),
    erlang:cancel_timer(T3),
    Start = erlang:convert_time_unit(erlang:system_info(start_time), native, millisecond),
    d({before_start, r(fun() -> erlang:send_after(Start - 1, self(), x, [{abs, true}]) end)}),
    d({empty, drain()}).

t_bad() ->
    S = self(),
    Cases = [{-1, S, []}, {a, S, []}, {1.0, S, []}, {1 bsl 50, S, []}, {1 bsl 64, S, []},
             {10, 1, []}, {10, "x", []}, {10, {timer_dest, node()}, []}, {10, make_ref(), []},
             {10, S, [bad]}, {10, S, [{abs, x}]}, {10, S, bad}, {10, S, [{abs, true} | x]}],
    d({send_after, [r(fun() -> erlang:send_after(T, D, m, O) end) || {T, D, O} <- Cases]}),
    d({start_timer, [r(fun() -> erlang:start_timer(T, D, m, O) end) || {T, D, O} <- Cases]}),
    d({three, r(fun() -> erlang:send_after(-5, S, m) end), r(fun() -> erlang:start_timer(x, S, m) end)}),
    T = erlang:send_after(1 bsl 40, S, far),
    d({far, rem_ms(erlang:cancel_timer(T))}),
    T2 = erlang:send_after((1 bsl 32) - 1, S, max32),
    d({max32, rem_ms(erlang:cancel_timer(T2))}),
    d({cancel_bad, r(fun() -> erlang:cancel_timer(x) end), r(fun() -> erlang:cancel_timer(make_ref(), [bad]) end),
       r(fun() -> erlang:cancel_timer(make_ref(), [{async, x}]) end),
       r(fun() -> erlang:cancel_timer(make_ref(), bad) end)}).

t_monotonic() ->
    L = [erlang:monotonic_time() || _ <- lists:seq(1, 1000)],
    d({monotonic, lists:sort(L) =:= L, lists:all(fun is_integer/1, L)}),
    Units = [second, millisecond, microsecond, nanosecond, native, perf_counter, 1000, 7],
    d({units, [begin A = erlang:monotonic_time(U), B = erlang:monotonic_time(U),
                     is_integer(A) andalso B >= A end || U <- Units]}),
    d({bad_unit, r(fun() -> erlang:monotonic_time(bad) end), r(fun() -> erlang:monotonic_time(0) end),
       r(fun() -> erlang:system_time(bad) end), r(fun() -> erlang:time_offset(bad) end)}),
    T0 = erlang:monotonic_time(millisecond),
    receive after 50 -> ok end,
    d({slept, erlang:monotonic_time(millisecond) - T0 >= 50}).

t_convert() ->
    Units = [second, millisecond, microsecond, nanosecond, native, perf_counter,
             1, 3, 7, 1000, 1000000000, seconds, milli_seconds, micro_seconds, nano_seconds],
    d({from_second, [erlang:convert_time_unit(1, second, U) || U <- Units]}),
    d({to_second, [erlang:convert_time_unit(1999, U, second) || U <- Units]}),
    d({neg_to_second, [erlang:convert_time_unit(-1999, U, second) || U <- Units]}),
    d({neg_ns, [erlang:convert_time_unit(-1, nanosecond, U) || U <- Units]}),
    d({floor, [erlang:convert_time_unit(V, millisecond, second) || V <- [999, 1000, 1001, -1, -999, -1000, -1001]]}),
    d({odd_units, [erlang:convert_time_unit(V, 3, 7) || V <- [5, -5, 3, -3, 0]],
       [erlang:convert_time_unit(V, 7, 3) || V <- [5, -5, 7, -7, 0]]}),
    d({big, erlang:convert_time_unit(1 bsl 70, nanosecond, second),
       erlang:convert_time_unit(-(1 bsl 70), second, nanosecond),
       erlang:convert_time_unit(1 bsl 62, second, nanosecond)}),
    d({bad, r(fun() -> erlang:convert_time_unit(1, bad, second) end),
       r(fun() -> erlang:convert_time_unit(1.0, second, second) end),
       r(fun() -> erlang:convert_time_unit(1, 0, second) end),
       r(fun() -> erlang:convert_time_unit(1, second, -1) end)}).

t_offset() ->
    Units = [second, millisecond, microsecond, nanosecond, native],
    d({offset, [begin
                    S = erlang:system_time(U), M = erlang:monotonic_time(U), O = erlang:time_offset(U),
                    Tol = erlang:convert_time_unit(1, second, U),
                    abs((S - M) - O) =< Tol
                end || U <- Units]}),
    d({offset0, is_integer(erlang:time_offset()), is_integer(erlang:system_time())}),
    d({os_system_time, is_integer(os:system_time()), is_integer(os:system_time(millisecond)),
       abs(os:system_time(second) - erlang:system_time(second)) =< 2}).

shape(T) when is_tuple(T) -> list_to_tuple([shape(X) || X <- tuple_to_list(T)]);
shape(I) when is_integer(I), I >= 0 -> int;
shape(X) -> X.

t_statistics() ->
    d({stats, [{K, shape(statistics(K))} || K <- [runtime, wall_clock, reductions, exact_reductions,
                                                  context_switches, garbage_collection, run_queue]]}),
    d({bad, r(fun() -> statistics(bad) end)}),
    d({timestamp, shape(os:timestamp()), shape(erlang:timestamp())}),
    {Ms, S, Us} = os:timestamp(),
    d({ranges, S < 1000000, Us < 1000000, Ms > 1000}).
