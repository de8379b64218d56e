%% Receive: selective receive and queue order, after 0 / N / infinity,
%% per-sender message ordering, big terms (refc binaries, tuples, lists,
%% maps, funs, floats, bignums) copied intact, the make_ref()/receive
%% {Ref, _} pattern behind a long queue, flush, guards, nested receives,
%% bad timeout values (error timeout_value) and the 2^32-1 timeout limit.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(proc_receive).
-export([main/0, echo/0]).

main() ->
    quiet(),
    lists:foreach(fun run/1,
                  [fun t_selective/0, fun t_after/0, fun t_order/0, fun t_big/0,
                   fun t_huge_list/0, fun t_ref_pattern/0, fun t_flush/0,
                   fun t_guards/0, fun t_nested/0, fun t_timeout_values/0]).

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
    after 30000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
id(X) -> X.

drain() -> receive M -> [M | drain()] after 0 -> [] end.

send_all(P, L) -> [P ! X || X <- L], ok.

%% Sends back every message it gets, until stop.
echo() ->
    receive
        stop -> ok;
        {From, Msg} -> From ! {self(), Msg}, echo()
    after 10000 -> timeout
    end.

roundtrip(E, Msg) ->
    E ! {self(), Msg},
    receive {E, Back} -> Back after 5000 -> timeout end.

t_selective() ->
    send_all(self(), lists:seq(1, 10)),
    Evens = [receive X when X rem 2 =:= 0 -> X after 5000 -> timeout end || _ <- [1, 2, 3, 4, 5]],
    Odds = [receive X -> X after 5000 -> timeout end || _ <- [1, 2, 3, 4, 5]],
    d({evens_then_odds, Evens, Odds}),
    send_all(self(), [a, b, c, target, d]),
    T = receive target -> got_target after 5000 -> timeout end,
    d({skip, T, drain()}),
    send_all(self(), [{x, 1}, {y, 1}, {x, 2}, {y, 2}, {z, 0}]),
    Ys = [receive {y, N} -> N after 5000 -> timeout end || _ <- [1, 2]],
    Z = receive {z, N} -> N after 5000 -> timeout end,
    d({ys, Ys, Z, drain()}),
    %% First matching clause by message, not by clause order.
    send_all(self(), [second, first]),
    d({clause_order, receive first -> first; second -> second after 5000 -> timeout end, drain()}).

t_after() ->
    d({after0_empty, receive _ -> got after 0 -> timeout end}),
    self() ! m,
    d({after0_msg, receive m -> got after 0 -> timeout end}),
    self() ! other,
    d({afterN, receive m -> got after 10 -> timeout end, drain()}),
    self() ! m,
    d({infinity_queued, receive m -> got after infinity -> timeout end}),
    Me = self(),
    S = spawn(fun() -> Me ! late end),
    d({infinity_late, receive late -> got after infinity -> timeout end, is_pid(S)}),
    d({after_var, receive m -> got after id(0) -> timeout end}),
    d({after_only, receive after 1 -> done end}).

collect(0) -> [];
collect(N) -> receive X -> [X | collect(N - 1)] after 5000 -> [timeout] end.

t_order() ->
    Me = self(),
    spawn(fun() -> send_all(Me, lists:seq(1, 1000)) end),
    L = collect(1000),
    d({in_order, L =:= lists:seq(1, 1000)}),
    spawn(fun() -> send_all(Me, [{a, I} || I <- lists:seq(1, 1000)]) end),
    spawn(fun() -> send_all(Me, [{b, I} || I <- lists:seq(1, 1000)]) end),
    L2 = collect(2000),
    d({two_senders, length(L2), [I || {a, I} <- L2] =:= lists:seq(1, 1000),
       [I || {b, I} <- L2] =:= lists:seq(1, 1000)}),
    %% Messages and a following exit signal from the same sender stay ordered.
    process_flag(trap_exit, true),
    P = spawn_link(fun() -> send_all(Me, [m1, m2, m3]), exit(done) end),
    d({msgs_then_exit, collect(4) =:= [m1, m2, m3, {'EXIT', P, done}]}),
    process_flag(trap_exit, false).

t_big() ->
    E = spawn(?MODULE, echo, []),
    Bin100 = list_to_binary(lists:seq(1, 100)),
    Big = binary:copy(<<"0123456789abcdef">>, 65536),
    <<_:7/binary, Sub:1000/binary, _/binary>> = Big,
    <<_:3, Bits:101/bitstring, _/bitstring>> = Bin100,
    Fun = fun(X) -> {X, Bin100, 42} end,
    Terms = [{bin63, binary:copy(<<7>>, 63)}, {bin64, binary:copy(<<7>>, 64)},
             {bin65, binary:copy(<<7>>, 65)}, {bin100, Bin100}, {big, Big}, {sub, Sub},
             {bits, Bits}, {tuple, list_to_tuple(lists:seq(1, 10000))},
             {list, lists:seq(1, 100000)}, {improper, [1, 2 | 3]},
             {small_map, #{a => 1, b => [2], c => <<"3">>}},
             {big_map, maps:from_list([{K, {K}} || K <- lists:seq(1, 1000)])},
             {fun_, Fun}, {ext_fun, fun lists:reverse/1},
             {floats, [0.0, -0.0, 1.5, -2.25e300, 1.0e-300, 3.141592653589793]},
             {bignums, [1 bsl 64, -(1 bsl 64), 1 bsl 1000 - 1, -(1 bsl 200) + 7]},
             {atoms, [a, 'B c', '', 'ünï']}, {string, "héllo wörld"},
             {nested, {[#{k => {Bin100, [Sub]}}], {{{}}}, [[[]]]}},
             {pids, {self(), E, make_ref()}}],
    lists:foreach(fun({Tag, T}) -> d({Tag, roundtrip(E, T) =:= T}) end, Terms),
    d({fun_call, (roundtrip(E, Fun))(x) =:= {x, Bin100, 42}}),
    d({ext_fun_call, (roundtrip(E, fun lists:reverse/1))([1, 2, 3])}),
    %% The same refc binary sent twice, in one message and in two.
    {B1, B2} = roundtrip(E, {Big, Big}),
    B3 = roundtrip(E, Big),
    d({shared, B1 =:= Big, B2 =:= Big, B3 =:= Big, byte_size(B3), binary:last(B3)}),
    d({float_bits, [<<F/float>> || F <- element(2, lists:keyfind(floats, 1, Terms))]
                    =:= [<<F/float>> || F <- roundtrip(E, element(2, lists:keyfind(floats, 1, Terms)))]}),
    E ! stop.

t_huge_list() ->
    L = lists:seq(1, 1000000),
    self() ! {huge, L},
    receive {huge, L2} -> d({huge_self, L2 =:= L, length(L2)}) after 5000 -> d(timeout) end,
    T = list_to_tuple(L),
    self() ! T,
    receive T2 when is_tuple(T2) -> d({huge_tuple, T2 =:= T}) after 5000 -> d(timeout) end.

t_ref_pattern() ->
    E = spawn(?MODULE, echo, []),
    send_all(self(), [{other, I} || I <- lists:seq(1, 10000)]),
    Ref = make_ref(),
    E ! {self(), {Ref, reply}},
    R = receive {E, {Ref, X}} -> X after 5000 -> timeout end,
    d({ref_reply, R, process_info(self(), message_queue_len)}),
    %% Again, with a monitor reference (the gen_server call pattern).
    M = monitor(process, E),
    E ! {self(), {M, reply2}},
    R2 = receive {E, {M, Y}} -> Y; {'DOWN', M, _, _, Why} -> {down, Why} after 5000 -> timeout end,
    demonitor(M, [flush]),
    d({mref_reply, R2}),
    Q = drain(),
    d({queue_intact, length(Q), Q =:= [{other, I} || I <- lists:seq(1, 10000)]}),
    E ! stop.

flush(N) -> receive _ -> flush(N + 1) after 0 -> N end.

t_flush() ->
    send_all(self(), lists:seq(1, 500)),
    d({flushed, flush(0), process_info(self(), message_queue_len)}),
    d({flushed_empty, flush(0)}).

t_guards() ->
    send_all(self(), [1, a, 7.5, {t, 3}, 10, "s", <<"b">>, 6]),
    G1 = receive X when is_integer(X), X > 5 -> X after 5000 -> timeout end,
    G2 = receive X2 when is_float(X2); is_binary(X2) -> X2 after 5000 -> timeout end,
    G3 = receive {t, N} when N > 5 -> N; {t, N} when N > 2 -> {mid, N} after 5000 -> timeout end,
    G4 = receive X4 when is_list(X4), length(X4) =:= 1 -> X4 after 5000 -> timeout end,
    G5 = receive X5 when element(1, X5) =:= z -> X5 after 0 -> no_match_guard_fail end,
    d({guards, G1, G2, G3, G4, G5, drain()}).

t_nested() ->
    send_all(self(), [b, c, a]),
    R = receive
            a -> {a, receive b -> {b, receive c -> c after 5000 -> timeout end}
                         after 5000 -> timeout end}
        after 5000 -> timeout
        end,
    d({nested, R}),
    send_all(self(), [{1, x}, {2, y}]),
    R2 = receive
             {2, V} -> receive {1, W} -> {V, W} after 5000 -> timeout end
         after 5000 -> timeout
         end,
    d({nested2, R2, drain()}).

%% Run a receive in a separate process; kill it if it is still waiting.
try_wait(T, Pre, Late) ->
    Me = self(),
    {P, M} = spawn_monitor(
               fun() ->
                       send_all(self(), Pre),
                       Me ! {started, self()},
                       Me ! {res, self(), try receive m -> got after T -> timeout end
                                          catch C:E -> {C, E} end}
               end),
    receive {started, P} -> ok after 5000 -> timeout end,
    send_all(P, Late),
    R = receive {res, P, X} -> X after 500 -> exit(P, kill), still_waiting end,
    receive {'DOWN', M, process, P, _} -> ok after 5000 -> timeout end,
    R.

t_timeout_values() ->
    Bad = [-1, 1.0, 0.0, a, "x", {1}, -(1 bsl 40), 1 bsl 32, 1 bsl 40, 1 bsl 100],
    d({no_msg, [try_wait(T, [], []) || T <- Bad]}),
    %% With a matching message already queued the timeout is never looked at.
    d({queued_msg, [try_wait(T, [m], []) || T <- Bad]}),
    %% A non-matching message in the queue does not help.
    d({other_msg, [try_wait(T, [x], []) || T <- [-1, a, 1 bsl 40]]}),
    %% The largest accepted timeout is 2^32-1 ms.
    d({limit, try_wait((1 bsl 32) - 1, [], [m]), try_wait((1 bsl 32) - 1, [], [])}),
    d({infinity, try_wait(infinity, [], [m])}),
    d({direct, try receive after id(-5) -> ok end catch C:E:St -> {C, E, element(1, hd(St))} end}).
