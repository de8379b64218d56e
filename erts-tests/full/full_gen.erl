%% Full mode: aliases (monitor/3 {alias, Mode}, alias/1, unalias/1)
%% and the stock gen_server / gen_statem / supervisor / proc_lib on top of them.
-module(full_gen).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).
-export([start_worker/1]).

main() ->
    logger:set_primary_config(level, none),
    aliases(),
    servers(),
    supervisors().

aliases() ->
    Self = self(),
    S = spawn(fun() -> receive {call, {From, Tag}, X} -> Tag ! {Tag, X * 2}, From ! also end end),
    M = monitor(process, S, [{alias, demonitor}]),
    S ! {call, {Self, M}, 21},
    erlang:display(receive {M, V} -> V after 1000 -> timeout end),
    erlang:display(receive also -> also after 1000 -> none end),
    erlang:demonitor(M, [flush]),
    M ! late,
    erlang:display(receive late -> got_late after 50 -> dropped end),
    A = alias(),
    A ! hi,
    erlang:display(receive hi -> got_hi after 50 -> no end),
    erlang:display(unalias(A)),
    A ! hi2,
    erlang:display(receive hi2 -> got_hi2 after 50 -> no2 end),
    erlang:display(unalias(A)),
    B = alias([reply]),
    B ! r1, B ! r2,
    erlang:display([receive X -> X after 50 -> none end || _ <- [1, 2]]),
    erlang:display(err(fun() -> alias([bad]) end)),
    erlang:display(err(fun() -> monitor(process, self(), [{alias, bad}]) end)),
    Dead = spawn(fun() -> ok end),
    M2 = monitor(process, Dead, [{alias, demonitor}]),
    erlang:display(receive {'DOWN', M2, process, _, R2} -> R2 after 1000 -> timeout end),
    M2 ! after_down,
    erlang:display(receive after_down -> got after 50 -> dropped end).

err(F) -> try F() catch C:E -> {C, E} end.

%% gen_server callbacks: a counter (and the supervisor's init)
init(sup) -> sup_init(sup);
init(N) -> {ok, N}.
handle_call(get, _From, N) -> {reply, N, N};
handle_call({add, K}, _From, N) -> {reply, ok, N + K};
handle_call(crash, _From, _N) -> erlang:error(boom);
handle_call(stop, _From, N) -> {stop, normal, stopped, N}.
handle_cast({add, K}, N) -> {noreply, N + K}.
handle_info({add, K}, N) -> {noreply, N + K};
handle_info(_, N) -> {noreply, N}.
terminate(_, _) -> ok.

servers() ->
    {ok, P} = gen_server:start(?MODULE, 10, []),
    erlang:display(gen_server:call(P, get)),
    erlang:display(gen_server:call(P, {add, 5})),
    gen_server:cast(P, {add, 1}),
    P ! {add, 100},
    erlang:display(gen_server:call(P, get)),
    erlang:display(gen_server:call(P, stop)),
    erlang:display(element(1, element(2, catch gen_server:call(P, get)))),
    {ok, Q} = gen_server:start({local, counter}, ?MODULE, 0, []),
    erlang:display(gen_server:call(counter, {add, 7})),
    erlang:display(gen_server:call(counter, get)),

    gen_server:stop(counter),
    erlang:display(is_process_alive(Q)),
    erlang:display(whereis(counter)).

%% a one_for_one supervisor restarting a crashed worker
sup_init(_) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
          [#{id => w, start => {?MODULE, start_worker, [42]}}]}}.
start_worker(N) -> gen_server:start_link({local, worker}, ?MODULE, N, []).

supervisors() ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link({local, sup}, ?MODULE, sup),
    erlang:display(gen_server:call(worker, get)),
    W1 = whereis(worker),
    gen_server:call(worker, {add, 1}),
    erlang:display(element(1, element(2, element(2, catch gen_server:call(worker, crash))))),
    wait_restart(W1, 100),
    erlang:display(whereis(worker) =/= W1),
    erlang:display(gen_server:call(worker, get)),
    erlang:display([Id || {Id, _, _, _} <- supervisor:which_children(sup)]),
    erlang:display(supervisor:count_children(sup)),
    exit(Sup, shutdown),
    erlang:display(receive {'EXIT', Sup, R} -> R after 2000 -> timeout end).

wait_restart(_, 0) -> timeout;
wait_restart(Old, N) ->
    case whereis(worker) of
        P when is_pid(P), P =/= Old -> ok;
        _ -> receive after 10 -> wait_restart(Old, N - 1) end
    end.
