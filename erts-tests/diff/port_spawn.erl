%% Spawn ports: {spawn, Cmd} (run as `sh -c "exec Cmd"`) and
%% {spawn_executable, File} with every option: exit_status, eof, {line, L},
%% {packet, N}, stream, binary, stderr_to_stdout, in, out, nouse_stdio,
%% hide, {args, ...}, {arg0, ...}, {env, ...}, {cd, ...}; exit statuses of
%% exit codes, signals and exec failures; data through `cat`.
%% Every test body runs in a fresh sandbox process; every receive has a timeout.
-module(port_spawn).
-export([main/0]).

main() ->
    lists:foreach(fun run/1,
                  [fun t_echo/0, fun t_exit_status/0, fun t_eof/0, fun t_line/0, fun t_line_split/0,
                   fun t_packet/0, fun t_binary/0, fun t_stderr/0, fun t_args/0, fun t_env/0,
                   fun t_cd/0, fun t_in_out/0, fun t_nouse_stdio/0, fun t_exec_fail/0, fun t_cat_big/0,
                   fun t_unicode/0, fun t_fds/0, fun t_name_forms/0]).

run(T) ->
    {P, M} = spawn_monitor(fun() -> process_flag(trap_exit, true), T() end),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 30000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

%% Everything the port sends until it closes ('EXIT'), or until Timeout
%% passes quietly; port ids replaced by the atom port.
msgs(P) -> msgs(P, 10000).
msgs(P, T) ->
    receive
        {P, X} -> [X | msgs(P, T)];
        {'EXIT', P, R} -> [{'EXIT', R}]
    after T -> [timeout]
    end.

%% The next N messages of the port, then whatever else comes within T ms.
take(P, N) -> take(P, N, 300).
take(P, 0, T) -> quiet(P, T);
take(P, N, T) ->
    receive
        {P, X} -> [X | take(P, N - 1, T)];
        {'EXIT', P, R} -> [{'EXIT', R} | take(P, N - 1, T)]
    after 10000 -> [timeout]
    end.
quiet(P, T) ->
    receive
        {P, X} -> [{extra, X} | quiet(P, T)];
        {'EXIT', P, R} -> [{extra_exit, R} | quiet(P, T)]
    after T -> []
    end.

%% Data joined (stream mode splits where the pipe did), other messages kept.
joined(P) -> join(msgs(P)).
join([{data, A}, {data, B} | T]) when is_list(A), is_list(B) -> join([{data, A ++ B} | T]);
join([{data, A}, {data, B} | T]) when is_binary(A), is_binary(B) -> join([{data, <<A/binary, B/binary>>} | T]);
join([H | T]) -> [H | join(T)];
join([]) -> [].

t_echo() ->
    d(joined(open_port({spawn, "echo hello world"}, []))),
    d(joined(open_port({spawn_executable, "/bin/echo"}, [{args, ["a", "b c"]}]))),
    d(joined(open_port({spawn, "printf ''"}, []))),
    P = open_port({spawn, "cat"}, []),
    true = port_command(P, "abc"),
    true = port_command(P, [$d, [<<"ef">>, $g] | <<"h">>]),
    d(collect(P, 8)),
    true = port_close(P),
    d(msgs(P, 200)).

%% Read data until N bytes came.
collect(_, 0) -> done;
collect(P, N) ->
    receive {P, {data, D}} -> [D | collect(P, N - length(D))]
    after 10000 -> timeout
    end.

t_exit_status() ->
    d(joined(open_port({spawn, "echo hi; exit 3"}, [exit_status]))),      % exec: echo's status
    d(joined(open_port({spawn, "sh -c 'echo out; exit 3'"}, [exit_status]))),
    d(joined(open_port({spawn, "sh -c 'exit 255'"}, [exit_status]))),
    d(joined(open_port({spawn, "sh -c 'exit 256'"}, [exit_status]))),
    d(joined(open_port({spawn, "kill -9 $$"}, [exit_status]))),
    d(joined(open_port({spawn, "sh -c 'kill -TERM $$'"}, [exit_status]))),
    d(joined(open_port({spawn, "no_such_command_xyz 2>/dev/null"}, [exit_status]))),
    d(joined(open_port({spawn_executable, "/bin/sh"}, [{args, ["-c", "exit 7"]}, exit_status]))),
    %% output written after the first read, and a grandchild keeping the pipe
    d(joined(open_port({spawn, "sh -c 'echo a; sleep 0.2; echo b; exit 4'"}, [exit_status]))),
    d(joined(open_port({spawn, "sh -c '(sleep 0.3; echo late) & exit 5'"}, [exit_status]))),
    d(joined(open_port({spawn, "sh -c 'exit 6'"}, [exit_status, binary, {line, 4}]))).

t_eof() ->
    P = open_port({spawn, "echo x"}, [eof]),
    d(take(P, 2)),
    d(is_list(erlang:port_info(P))),
    true = port_close(P),
    d(msgs(P, 200)),
    P2 = open_port({spawn, "sh -c 'echo y; exit 2'"}, [eof, exit_status]),
    d(take(P2, 3)),
    port_close(P2),
    d(msgs(P2, 200)),
    P3 = open_port({spawn, "printf 'ab\\ncdefgh\\nxy'"}, [{line, 4}, eof, exit_status]),
    d(take(P3, 6)),
    port_close(P3),
    d(msgs(P3, 200)).

t_line() ->
    L = fun(S, N) -> msgs(open_port({spawn_executable, "/usr/bin/printf"}, [{args, [S]}, {line, N}])) end,
    d(L("a\\nbb\\nccc", 2)),
    d(L("abcd\\n", 4)),
    d(L("abcd\\r\\n", 4)),
    d(L("abc\\r\\n", 4)),
    d(L("abcde\\n", 4)),
    d(L("abcdefgh\\nx", 4)),
    d(L("ab\\rcd\\n", 4)),
    d(L("abcd\\rx\\n", 4)),
    d(L("\\r", 4)),
    d(L("a\\r\\rb\\n", 4)),
    d(L("abcd", 4)),
    d(L("abcdefgh", 4)),
    d(L("\\n\\n\\r\\n", 1)),
    d(L("one\\ntwo\\n", 100)),
    d(msgs(open_port({spawn, "printf 'a\\nbb\\nccc'"}, [{line, 2}, exit_status]))),
    d(msgs(open_port({spawn, "printf 'ab\\r\\ncd'"}, [{line, 10}, binary, stream]))).

%% Lines split across writes: cat passes each command on as it comes.
t_line_split() ->
    P = open_port({spawn, "cat"}, [{line, 4}]),
    port_command(P, "ab"), port_command(P, "cd"),
    port_command(P, "\r"), port_command(P, "\nxy\n"),
    d([receive {P, {data, D}} -> D after 10000 -> timeout end || _ <- [1, 2]]),
    port_command(P, "12345678"), port_command(P, "9\n"),
    d([receive {P, {data, D}} -> D after 10000 -> timeout end || _ <- [1, 2, 3]]),
    port_close(P),
    d(msgs(P, 200)).

t_packet() ->
    P = open_port({spawn, "cat"}, [{packet, 2}, binary]),
    port_command(P, <<"abc">>), port_command(P, "de"), port_command(P, []),
    d(take(P, 3)),
    port_close(P),
    P1 = open_port({spawn, "cat"}, [{packet, 1}]),
    port_command(P1, lists:duplicate(255, $a)),
    d(receive {P1, {data, D1}} -> length(D1) after 10000 -> timeout end),
    port_command(P1, lists:duplicate(256, $a)),                 % too long: einval
    d(msgs(P1)),
    P4 = open_port({spawn, "cat"}, [{packet, 4}, binary]),
    Big = list_to_binary([X rem 256 || X <- lists:seq(1, 70000)]),
    port_command(P4, Big),
    port_command(P4, <<"tail">>),
    d(receive {P4, {data, B4}} -> B4 =:= Big after 10000 -> timeout end),
    d(take(P4, 1)),
    port_close(P4),
    %% packets as the child writes them: headers and bodies split anyhow
    P5 = open_port({spawn, "printf '\\0\\0\\0\\3abc\\0\\0\\0\\0\\0\\0'; sleep 0.1; printf '\\0\\2xy'"},
                   [{packet, 4}, exit_status]),
    d(msgs(P5)),
    P6 = open_port({spawn, "printf '\\3ab'"}, [{packet, 1}, exit_status]),   % short packet at eof
    d(msgs(P6)),
    P7 = open_port({spawn, "cat"}, [stream, {packet, 2}]),                  % the last one counts
    port_command(P7, "x"),
    d(take(P7, 1)),
    port_close(P7),
    P8 = open_port({spawn, "cat"}, [{packet, 2}, stream]),
    port_command(P8, "x"),
    d(take(P8, 1)),
    port_close(P8).

t_binary() ->
    d(joined(open_port({spawn, "echo bin"}, [binary]))),
    d(joined(open_port({spawn, "printf '\\0\\1\\377'"}, [binary, exit_status]))),
    d(joined(open_port({spawn, "printf '\\0\\1\\377'"}, []))),
    P = open_port({spawn, "cat"}, [binary]),
    port_command(P, lists:duplicate(100, $z)),
    d(collect_bin(P, 100)),
    port_close(P).

collect_bin(_, 0) -> done;
collect_bin(P, N) ->
    receive {P, {data, B}} when is_binary(B) -> [byte_size(B) | collect_bin(P, N - byte_size(B))]
    after 10000 -> timeout
    end.

t_stderr() ->
    d(joined(open_port({spawn, "sh -c 'echo out; echo err >&2'"}, [stderr_to_stdout, exit_status]))),
    d(joined(open_port({spawn, "sh -c 'echo out; echo err >&2' 2>/dev/null"}, [exit_status]))).

t_args() ->
    Sh = fun(Script, Opts) -> joined(open_port({spawn_executable, "/bin/sh"}, [{args, ["-c", Script | tl_args(Opts)]} | opts(Opts)])) end,
    d(Sh("echo $0 $#", [])),
    d(Sh("echo $0 $# \"$1\" \"$2\"", [{extra, ["x y", <<"bin">>]}])),
    d(Sh("echo $0", [{arg0, "zero"}])),
    d(Sh("echo $0", [{arg0, <<"binzero">>}])),
    d(Sh("echo $0", [{arg0, a}, {arg0, "last"}])),
    d(Sh("echo $1", [{extra, [atom_arg]}])),
    d(joined(open_port({spawn_executable, "/bin/echo"}, [{args, []}]))),
    d(joined(open_port({spawn_executable, <<"/bin/echo">>}, [{args, ["binary path"]}]))),
    d(joined(open_port({spawn_executable, "/bin/echo"}, [{args, ["-n", "no newline"]}, exit_status]))).

tl_args(Opts) -> proplists:get_value(extra, Opts, []).
opts(Opts) -> [O || O <- Opts, element(1, O) =/= extra].

t_env() ->
    os:putenv("TB_PORT_ENV1", "inherited"),
    Env = fun(E) -> joined(open_port({spawn, "sh -c 'echo \"[$TB_PORT_ENV1][$TB_PORT_ENV2]\"'"}, [{env, E}])) end,
    d(Env([])),
    d(Env([{"TB_PORT_ENV2", "two"}])),
    d(Env([{"TB_PORT_ENV1", false}])),
    d(Env([{"TB_PORT_ENV1", "over"}, {"TB_PORT_ENV2", "a=b"}])),
    d(Env([{"TB_PORT_ENV2", "first"}, {"TB_PORT_ENV2", "second"}])),
    d(Env([{"TB_PORT_ENV1", ""}])),
    os:unsetenv("TB_PORT_ENV1").

t_cd() ->
    d(joined(open_port({spawn, "pwd"}, [{cd, "/usr"}]))),
    d(joined(open_port({spawn, "pwd"}, [{cd, <<"/">>}]))),
    d(joined(open_port({spawn_executable, "/bin/pwd"}, [{cd, "/usr/bin"}, exit_status]))),
    %% a directory that is not there: the child says so on stderr and exits with ENOENT
    d(joined(open_port({spawn_executable, "/bin/pwd"}, [{cd, "/nonexistent_tb_dir"}, exit_status]))).

t_in_out() ->
    %% in: no writing; a command ends the port with ebadf
    P = open_port({spawn, "echo in_only"}, [in]),
    d(msgs(P)),
    P2 = open_port({spawn, "sleep 5"}, [in]),
    d(port_command(P2, "x")),
    d(msgs(P2)),
    %% out: nothing read, the port stays until closed
    P3 = open_port({spawn, "cat >/dev/null"}, [out]),
    d(port_command(P3, "ignored")),
    d(msgs(P3, 300)),
    d(is_list(erlang:port_info(P3))),
    port_close(P3),
    d(msgs(P3, 200)),
    P4 = open_port({spawn, "sh -c 'exit 9'"}, [out, exit_status]),   % no input: no status either
    d(msgs(P4, 500)),
    port_close(P4),
    P5 = open_port({spawn, "cat"}, [in, out, hide]),
    port_command(P5, "both"),
    d(collect(P5, 4)),
    port_close(P5).

t_nouse_stdio() ->
    d(joined(open_port({spawn, "sh -c 'echo via4 >&4; echo via1 >/dev/null'"}, [nouse_stdio, exit_status]))),
    P = open_port({spawn, "sh -c 'read x <&3; echo got $x >&4'"}, [nouse_stdio, exit_status]),
    port_command(P, "line\n"),
    d(joined_msgs(P)).

joined_msgs(P) -> join(msgs(P)).

t_exec_fail() ->
    d(r(fun() -> open_port({spawn_executable, "/nonexistent/prog"}, []) end)),
    d(r(fun() -> open_port({spawn_executable, "/etc/passwd"}, []) end)),
    d(r(fun() -> open_port({spawn_executable, "relative_no_such_prog"}, []) end)),
    d(r(fun() -> open_port({spawn_executable, no_such_prog_atom}, []) end)),
    %% access(X_OK) passes for a directory: exec fails in the child, errno as status
    d(joined(open_port({spawn_executable, "/"}, [exit_status]))).

t_cat_big() ->
    P = open_port({spawn, "cat"}, []),
    Data = [X rem 256 || X <- lists:seq(1, 70000)],
    true = port_command(P, Data),
    Got = collect_n(P, 70000, []),
    d(Got =:= Data),
    d(erlang:port_info(P, input)),
    d(erlang:port_info(P, output)),
    port_close(P),
    %% output bigger than one read: concatenated, all of it arrives before exit_status
    P2 = open_port({spawn, "head -c 200000 /dev/zero"}, [exit_status, binary]),
    d(size_then(P2, 0)).

collect_n(_, 0, Acc) -> lists:append(lists:reverse(Acc));
collect_n(P, N, Acc) ->
    receive {P, {data, D}} -> collect_n(P, N - length(D), [D | Acc])
    after 10000 -> timeout
    end.

size_then(P, N) ->
    receive
        {P, {data, B}} -> size_then(P, N + byte_size(B));
        {P, {exit_status, S}} -> {N, S, msgs(P)}
    after 10000 -> {timeout, N}
    end.

t_unicode() ->
    d(joined(open_port({spawn, "echo " ++ [16#e9, 16#100]}, []))),
    d(joined(open_port({spawn, <<"echo binary command">>}, []))),
    d(joined(open_port({spawn, 'echo atom command'}, []))).

%% The child gets stdio only: no other fd of the VM.
t_fds() ->
    %% ls itself: its stdio (3/4 with nouse_stdio) and the directory it reads
    d(joined(open_port({spawn, "ls /proc/self/fd"}, [exit_status]))),
    d(joined(open_port({spawn, "ls /proc/self/fd >&4"}, [nouse_stdio, exit_status]))).

t_name_forms() ->
    P = open_port({spawn, "cat"}, []),
    d(erlang:port_info(P, name)),
    port_close(P),
    P2 = open_port({spawn_executable, "/bin/cat"}, [{arg0, "kitty"}]),
    d(erlang:port_info(P2, name)),
    port_close(P2),
    d(msgs(P2, 100)).
