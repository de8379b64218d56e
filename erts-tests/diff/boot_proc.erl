%% BIFs the OTP boot needs, part 2: the erts_internal process BIFs
%% (process_flag/3, is_process_alive/2, suspend_process/2 + resume_process/1,
%% process_display/2, is_system_process/1, dirty-process BIFs), system
%% checks, error_logger:warning_map/0, erts_debug:get/set_internal_state
%% and the literal area collector BIFs called from an ordinary process.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(boot_proc).
-export([main/0]).

main() ->
    lists:foreach(fun run/1,
                  [fun t_process_flag/0, fun t_is_process_alive/0, fun t_suspend/0,
                   fun t_suspend_waiting/0, fun t_suspend_opts/0, fun t_suspend_kill/0,
                   fun t_process_display/0, fun t_system/0, fun t_dirty/0,
                   fun t_internal_state/0, fun t_literal_collector/0]).

run(T) ->
    {P, M} = spawn_monitor(T),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 20000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

%% Collect the messages in the queue now (after a short wait for async replies).
drain() -> receive M -> [M | drain()] after 50 -> [] end.

sleeper() -> spawn(fun() -> receive stop -> ok after 30000 -> ok end end).
dead() ->
    {P, M} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', M, process, P, _} -> P end.

%% A reply {Ref, X} to a request that returned Ref: X.
reply(Ref) when is_reference(Ref) ->
    receive {Ref, X} -> X after 5000 -> no_reply end;
reply(Other) -> {direct, Other}.

t_process_flag() ->
    P = sleeper(),
    D = dead(),
    d(erts_internal:process_flag(self(), save_calls, 5)),
    d(erts_internal:process_flag(self(), save_calls, 0)),
    d([erts_internal:process_flag(self(), F, V) ||
          {F, V} <- [{save_calls, 10001}, {save_calls, -1}, {save_calls, a}, {trap_exit, true},
                     {priority, high}, {x, 1}]]),
    d(reply(erts_internal:process_flag(P, save_calls, 5))),
    d(reply(erts_internal:process_flag(P, save_calls, 7))),
    d(reply(erts_internal:process_flag(P, save_calls, 10000))),
    d(reply(erts_internal:process_flag(P, save_calls, 0))),
    d([reply(erts_internal:process_flag(P, F, V)) ||
          {F, V} <- [{save_calls, a}, {save_calls, -1}, {save_calls, 100000}, {trap_exit, true}]]),
    d(erts_internal:process_flag(D, save_calls, 5)),
    d(erts_internal:process_flag(a, save_calls, 5)),
    d(erts_internal:process_flag(make_ref(), save_calls, 5)),
    d(erlang:process_flag(P, save_calls, 3)),
    d(erlang:process_flag(self(), save_calls, 3)),
    d(erlang:process_flag(self(), save_calls, 0)),
    d(r(fun() -> erlang:process_flag(P, save_calls, a) end)),
    d(r(fun() -> erlang:process_flag(P, trap_exit, true) end)),
    d(r(fun() -> erlang:process_flag(D, save_calls, 1) end)),
    d(drain()),
    P ! stop.

t_is_process_alive() ->
    P = sleeper(),
    D = dead(),
    [begin
         R = make_ref(),
         d(erts_internal:is_process_alive(Pid, R)),
         d(receive {R, X} -> X after 5000 -> no_reply end)
     end || Pid <- [self(), P, D]],
    d([r(fun() -> erts_internal:is_process_alive(A, B) end) ||
          {A, B} <- [{self(), foo}, {a, make_ref()}, {P, 1}]]),
    d([is_process_alive(X) || X <- [self(), P, D]]),
    d(drain()),
    P ! stop.

%% A process that answers pings: suspended, it answers nothing.
ponger() ->
    spawn(fun Loop() ->
                  receive
                      {ping, From} -> From ! pong, Loop();
                      stop -> ok
                  end
          end).

pong(T) -> receive pong -> pong after T -> no_pong end.

t_suspend() ->
    P = ponger(),
    P ! {ping, self()},
    d(pong(5000)),
    d(erlang:suspend_process(P)),
    P ! {ping, self()},
    d(pong(200)),
    d(erlang:resume_process(P)),
    d(pong(5000)),
    %% counted: two suspends need two resumes
    d(erlang:suspend_process(P)),
    d(erlang:suspend_process(P, [])),
    P ! {ping, self()},
    d(erlang:resume_process(P)),
    d(pong(200)),
    d(erlang:resume_process(P)),
    d(pong(5000)),
    d(r(fun() -> erlang:resume_process(P) end)),
    %% a runnable process: many messages queued, then suspended
    d(erlang:suspend_process(P)),
    [P ! {ping, self()} || _ <- lists:seq(1, 5)],
    d(pong(200)),
    d(erlang:resume_process(P)),
    d([pong(5000) || _ <- lists:seq(1, 5)]),
    D = dead(),
    d([r(fun() -> F() end) ||
          F <- [fun() -> erlang:suspend_process(self()) end,
                fun() -> erlang:suspend_process(D) end,
                fun() -> erlang:suspend_process(a) end,
                fun() -> erlang:suspend_process(P, [x]) end,
                fun() -> erlang:suspend_process(P, x) end,
                fun() -> erlang:resume_process(self()) end,
                fun() -> erlang:resume_process(D) end,
                fun() -> erlang:resume_process(a) end]]),
    d(drain()),
    P ! stop.

%% Suspended in a receive with a timeout: the timeout acts after resume.
t_suspend_waiting() ->
    Self = self(),
    P = spawn(fun() -> receive never -> ok after 100 -> Self ! timed_out end end),
    d(erlang:suspend_process(P)),
    d(receive timed_out -> timed_out after 400 -> nothing end),
    d(erlang:resume_process(P)),
    d(receive timed_out -> timed_out after 5000 -> nothing end),
    %% a hibernating process stays asleep after resume until a message comes
    H = spawn(fun() -> erlang:hibernate(erlang, send, [Self, woke]) end),
    receive after 50 -> ok end,
    d(erlang:suspend_process(H)),
    d(erlang:resume_process(H)),
    d(receive woke -> woke after 200 -> asleep end),
    H ! wake_up,
    d(receive woke -> woke after 5000 -> asleep end).

t_suspend_opts() ->
    P = ponger(),
    D = dead(),
    d(erts_internal:suspend_process(P, [asynchronous])),
    d(drain()),
    d(erts_internal:suspend_process(P, [{asynchronous, tag1}])),
    d(drain()),
    d(erts_internal:suspend_process(P, [unless_suspending])),
    d(erts_internal:suspend_process(P, [unless_suspending, asynchronous])),
    d(erts_internal:suspend_process(P, [unless_suspending, {asynchronous, tag2}])),
    d(drain()),
    d(erts_internal:suspend_process(P, [])),
    d(erts_internal:suspend_process(P, [{asynchronous, tag3} | x])),
    d([erts_internal:suspend_process(X, O) ||
          {X, O} <- [{D, []}, {D, [asynchronous]}, {D, [x]}, {a, [x]}, {self(), [x]},
                     {self(), []}, {a, []}]]),
    d(erts_internal:suspend_process(D, [{asynchronous, tag4}])),
    d(drain()),
    d([erlang:resume_process(P) || _ <- lists:seq(1, 3)]),
    d(r(fun() -> erlang:resume_process(P) end)),
    P ! {ping, self()},
    d(pong(5000)),
    d(erlang:suspend_process(P, [unless_suspending])),
    d(erlang:suspend_process(P, [unless_suspending])),
    d(erlang:resume_process(P)),
    d(r(fun() -> erlang:resume_process(P) end)),
    P ! stop.

%% A suspended process still dies from exit signals.
t_suspend_kill() ->
    P = ponger(),
    M = monitor(process, P),
    d(erlang:suspend_process(P)),
    exit(P, kill),
    d(receive {'DOWN', M, process, P, R} -> R after 5000 -> no_down end),
    d(r(fun() -> erlang:resume_process(P) end)),
    d(is_process_alive(P)).

t_process_display() ->
    P = sleeper(),
    D = dead(),
    d([erts_internal:process_display(X, T) ||
          {X, T} <- [{self(), x}, {a, backtrace}, {a, x}, {D, backtrace}, {P, x}]]),
    d([r(fun() -> erlang:process_display(X, T) end) ||
          {X, T} <- [{self(), x}, {a, backtrace}, {D, backtrace}]]),
    d(drain()),
    P ! stop.

t_system() ->
    d(erts_internal:is_system_process(self())),
    d(erts_internal:is_system_process(dead())),
    d(r(fun() -> erts_internal:is_system_process(a) end)),
    d(r(fun() -> erts_internal:is_system_process(undefined) end)),
    N = erts_internal:no_aux_work_threads(),
    d(is_integer(N) andalso N >= 2),
    d([r(fun() -> erts_internal:scheduler_wall_time(B) end) || B <- [true, true, false, false, true, a, false]]),
    d(erts_internal:system_check(schedulers)),
    d(r(fun() -> erts_internal:system_check(a) end)),
    d(error_logger:warning_map()).

t_dirty() ->
    P = sleeper(),
    d([r(fun() -> erts_internal:check_dirty_process_code(X, M) end) ||
          {X, M} <- [{P, lists}, {a, lists}, {self(), 1}]]),
    d([r(fun() -> erts_internal:dirty_process_handle_signals(X) end) || X <- [P, self(), a]]),
    P ! stop.

t_internal_state() ->
    d(r(fun() -> erts_debug:get_internal_state(available_internal_state) end)),
    d(r(fun() -> erts_debug:get_internal_state(processes) end)),
    d(r(fun() -> erts_debug:set_internal_state(reds_left, 1) end)),
    d(erts_debug:set_internal_state(available_internal_state, true)),
    d(erts_debug:set_internal_state(available_internal_state, true)),
    d(erts_debug:get_internal_state(available_internal_state)),
    Ps = erts_debug:get_internal_state(processes),
    d(is_list(Ps) andalso lists:member(self(), Ps)),
    d(is_integer(erts_debug:get_internal_state(reds_left))),
    d([r(fun() -> erts_debug:get_internal_state(X) end) || X <- [foo, 1, sleep, erl_init]]),
    d(r(fun() -> erts_debug:set_internal_state(available_internal_state, maybe) end)),
    d(erts_debug:set_internal_state(available_internal_state, false)),
    d(r(fun() -> erts_debug:get_internal_state(available_internal_state) end)).

t_literal_collector() ->
    d(r(fun() -> erts_literal_area_collector:release_area_switch() end)),
    d(r(fun() -> erts_literal_area_collector:send_copy_request(self(), make_ref(), init) end)),
    d(r(fun() -> erts_literal_area_collector:send_copy_request(a, b, c) end)).
