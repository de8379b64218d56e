%% os:cmd/1,2 (stock kernel code on spawn ports: /bin/sh -s with the command
%% on stdin, stderr_to_stdout, an EOT marker, a port monitor, port_close):
%% output, stderr, exit codes, NUL bytes, deep and atom commands, max_size,
%% bad arguments, large output, several at once, and the busy port of a
%% child that reads slowly (port_command with nosuspend, then suspending).
-module(port_os_cmd).
-export([main/0]).

main() ->
    lists:foreach(fun run/1, [fun t_cmd/0, fun t_opts/0, fun t_errors/0, fun t_big/0,
                              fun t_parallel/0, fun t_busy/0]).

run(T) ->
    {P, M} = spawn_monitor(T),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 60000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

t_cmd() ->
    d(os:cmd("echo hello")),
    d(os:cmd("echo out; echo err >&2")),
    d(os:cmd("printf 'a\\0b'")),
    d(os:cmd("exit 3")),
    d(os:cmd("false; echo after")),
    d(os:cmd(["ech", "o", [" deep", [" list"]]])),
    d(os:cmd('echo atom')),
    d(os:cmd("echo x # a comment")),
    d(os:cmd("cat")),                              % stdin is /dev/null
    d(os:cmd("printf 'no newline'")),
    d(os:cmd("echo $((6 * 7))")),
    d(os:cmd("no_such_command_tb 2>/dev/null; echo $?")),
    d(os:cmd("printf '\\4'; echo after_eot")),      % EOT in the output ends it
    d(os:cmd("cd /usr && pwd")),
    d(os:cmd("echo " ++ [16#e9])),
    d(os:cmd(<<"echo bin">> =:= x)),
    d(r(fun() -> os:cmd(<<"echo bin">>) end)).

t_opts() ->
    d(os:cmd("seq 1 5", #{max_size => 3})),
    d(os:cmd("seq 1 5", #{max_size => 0})),
    d(os:cmd("seq 1 5", #{max_size => 100})),
    d(os:cmd("seq 1 5", #{max_size => infinity})),
    d(os:cmd("seq 1 5", #{})),
    d(os:cmd("seq 1 5", #{other => 1})).

t_errors() ->
    d(r(fun() -> os:cmd({bad}) end)),
    d(r(fun() -> os:cmd([bad]) end)),
    d(r(fun() -> os:cmd(17) end)),
    d(r(fun() -> os:cmd([$a, 0]) end)),
    d(r(fun() -> os:cmd("echo", #{max_size => bad}) end)),
    d(r(fun() -> os:cmd("echo", bad) end)).

t_big() ->
    S = os:cmd("head -c 300000 /dev/zero | tr '\\0' a"),
    d({length(S), lists:usort(S)}),
    L = os:cmd("seq 1 20000"),
    d({length(L), lists:sublist(L, 10), lists:nthtail(length(L) - 6, L)}).

t_parallel() ->
    Self = self(),
    Ps = [spawn(fun() -> Self ! {self(), os:cmd("sleep 0.1; echo " ++ integer_to_list(N))} end)
          || N <- lists:seq(1, 8)],
    d([receive {P, R} -> R after 10000 -> timeout end || P <- Ps]),
    d([os:cmd("echo " ++ integer_to_list(N)) || N <- lists:seq(1, 5)]).

%% A child that starts reading after a while: the first command fills the
%% pipe and queues the rest; the next makes the port busy; nosuspend then
%% fails; a plain command waits until the child has drained the queue.
t_busy() ->
    process_flag(trap_exit, true),
    P = open_port({spawn, "sh -c 'sleep 1; exec cat >/dev/null'"}, [out, binary]),
    Big = binary:copy(<<"x">>, 100000),
    d(port_command(P, Big, [nosuspend])),
    d(port_command(P, <<"a">>, [nosuspend])),
    d(port_command(P, <<"b">>, [nosuspend])),
    d(erlang:port_info(P, queue_size) =/= {queue_size, 0}),
    d(port_command(P, <<"c">>)),
    d(port_command(P, <<"d">>, [nosuspend])),
    port_close(P),
    d(receive {'EXIT', P, R} -> R after 1000 -> timeout end).
