%% port_info/1,2 items with deterministic values (name, links, connected,
%% input/output byte counts, os_pid, monitors, monitored_by, queue_size,
%% locking, parallelism, registered_name), erlang:ports/0, port_set_data/2
%% and port_get_data/1, fd ports ({fd, 0, 1} with out: name, no os_pid,
%% window size control on a non-terminal) and a file opened as a port.
-module(port_info).
-export([main/0]).

main() ->
    lists:foreach(fun run/1, [fun t_items/0, fun t_counts/0, fun t_ports/0, fun t_data/0,
                              fun t_fd/0, fun t_file/0]).

run(T) ->
    {P, M} = spawn_monitor(fun() -> process_flag(trap_exit, true), T() end),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 30000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

t_items() ->
    P = open_port({spawn, "cat"}, []),
    I = erlang:port_info(P),
    d([K || {K, _} <- I]),
    d(proplists:get_value(name, I)),
    d(proplists:get_value(links, I) =:= [self()]),
    d(proplists:get_value(connected, I) =:= self()),
    d(proplists:get_value(id, I) =:= element(2, erlang:port_info(P, id))),
    d(is_integer(proplists:get_value(id, I))),
    d({proplists:get_value(input, I), proplists:get_value(output, I)}),
    d(is_integer(proplists:get_value(os_pid, I))),
    [d(erlang:port_info(P, K)) || K <- [name, input, output, registered_name, monitors, monitored_by,
                                        queue_size, locking, parallelism]],
    d(element(1, erlang:port_info(P, memory))),
    d(is_integer(element(2, erlang:port_info(P, memory)))),
    d(erlang:port_info(P, connected) =:= {connected, self()}),
    port_close(P).

t_counts() ->
    P = open_port({spawn, "cat"}, [binary]),
    port_command(P, "hello"),
    port_command(P, [<<" ">>, "world", [$!]]),
    d(data(P, 12)),
    d(erlang:port_info(P, input)),
    d(erlang:port_info(P, output)),
    P ! {self(), {command, <<"abc">>}},
    d(data(P, 3)),
    d(erlang:port_info(P, output)),
    d(erlang:port_info(P, input)),
    port_close(P),
    %% packet headers are not counted
    P2 = open_port({spawn, "cat"}, [{packet, 2}]),
    port_command(P2, "abcd"),
    d(receive {P2, {data, D}} -> D after 5000 -> timeout end),
    d({erlang:port_info(P2, input), erlang:port_info(P2, output)}),
    port_close(P2),
    %% line mode: the bytes read, newlines included
    P3 = open_port({spawn, "printf 'ab\\ncd\\n'"}, [{line, 10}, eof]),
    d([receive {P3, X} -> X after 5000 -> timeout end || _ <- [1, 2, 3]]),
    d(erlang:port_info(P3, input)),
    port_close(P3).

data(_, 0) -> <<>>;
data(P, N) ->
    receive {P, {data, D}} -> R = data(P, N - byte_size(D)), <<D/binary, R/binary>>
    after 5000 -> timeout
    end.

t_ports() ->
    P1 = open_port({spawn, "cat"}, []),
    P2 = open_port({spawn, "cat"}, []),
    Ps = erlang:ports(),
    d({lists:member(P1, Ps), lists:member(P2, Ps)}),
    d(lists:all(fun erlang:is_port/1, Ps)),
    port_close(P1),
    Ps2 = erlang:ports(),
    d({lists:member(P1, Ps2), lists:member(P2, Ps2)}),
    d(length(Ps) - length(Ps2)),
    port_close(P2),
    d(lists:member(P2, erlang:ports())).

t_data() ->
    P = open_port({spawn, "cat"}, []),
    d(erlang:port_get_data(P)),
    d(erlang:port_set_data(P, {some, "data", <<"bin">>, 1.5})),
    d(erlang:port_get_data(P)),
    Big = list_to_binary(lists:duplicate(1000, $b)),
    erlang:port_set_data(P, [Big, self()]),
    [B, Me] = erlang:port_get_data(P),
    d({B =:= Big, Me =:= self()}),
    erlang:garbage_collect(),
    d(erlang:port_get_data(P) =:= [Big, self()]),
    erlang:port_set_data(P, 42),
    d(erlang:port_get_data(P)),
    %% another process sees the same data
    Self = self(),
    spawn(fun() -> Self ! {seen, erlang:port_get_data(P)} end),
    d(receive {seen, X} -> X after 5000 -> timeout end),
    port_close(P),
    d(r(fun() -> erlang:port_get_data(P) end)).

t_fd() ->
    P = open_port({fd, 0, 1}, [out]),
    d(erlang:port_info(P, name)),
    d(erlang:port_info(P, os_pid)),
    d(erlang:port_info(P, locking)),
    d([K || {K, _} <- erlang:port_info(P)]),
    %% stdout is a file here: no window size
    d(r(fun() -> port_control(P, 16#018b0900 + 100, []) end)),
    d(r(fun() -> port_control(P, 5, []) end)),
    d(r(fun() -> erlang:port_call(P, 1, []) end)),
    d(port_close(P)),
    d(receive {'EXIT', P, R} -> R after 1000 -> timeout end),
    P2 = open_port({fd, 2, 2}, [out, binary]),
    d(erlang:port_info(P2, name)),
    port_close(P2).

t_file() ->
    F = "/tmp/tb_port_info_" ++ os:getpid(),
    P = open_port({spawn, "printf 'line one\\nline two\\n' > " ++ F}, [exit_status]),
    d(receive {P, {exit_status, S}} -> S after 5000 -> timeout end),
    P2 = open_port(F, [in, {line, 20}]),
    d(erlang:port_info(P2, name) =:= {name, F}),
    d(msgs(P2)),
    P3 = open_port(list_to_atom(F), [in, binary, eof]),
    d(msgs(P3)),
    port_close(P3),
    P4 = open_port({spawn, "rm -f " ++ F}, [exit_status]),
    d(receive {P4, {exit_status, S4}} -> S4 after 5000 -> timeout end).

msgs(P) ->
    receive
        {P, eof} -> [eof];
        {P, X} -> [X | msgs(P)];
        {'EXIT', P, R} -> [{'EXIT', R}]
    after 5000 -> [timeout]
    end.
