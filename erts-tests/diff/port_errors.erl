%% Bad arguments to the port BIFs and the errors ERTS gives: open_port names
%% and options (badarg, badarg with cause badopt, enoent, eacces, einval),
%% port_command/2,3 data and options (badarg, notsup, nosuspend), port_close,
%% port_control, port_call, port_connect, port_info, port_get/set_data on
%% closed ports and on non-ports.  Only class and reason are printed.
-module(port_errors).
-export([main/0]).

main() ->
    lists:foreach(fun run/1, [fun t_open_names/0, fun t_open_opts/0, fun t_command/0,
                              fun t_closed/0, fun t_others/0]).

run(T) ->
    {P, M} = spawn_monitor(fun() -> process_flag(trap_exit, true), T() end),
    receive
        {'DOWN', M, process, P, normal} -> ok;
        {'DOWN', M, process, P, R} -> d({sandbox_died, R})
    after 30000 -> d(sandbox_timeout), exit(P, kill)
    end.

d(X) -> erlang:display(X).
r(F) ->
    try F() of
        P when is_port(P) -> catch port_close(P), receive {'EXIT', P, _} -> ok after 1000 -> ok end, port;
        V -> V
    catch C:E -> {C, E}
    end.

open(Name, Opts) -> d(r(fun() -> open_port(Name, Opts) end)).

t_open_names() ->
    open("/nonexistent_tb_dir/file", []),          % a file name: the obsolete vanilla driver
    open('/nonexistent_tb_dir/file', [in]),
    open("/dev/null", [in, exit_status]),
    open({spawn_bogus, "cat"}, []),
    open({spawn}, []),
    open({spawn, "cat", x}, []),
    open({spawn, foo_atom_cmd}, []),
    open({spawn, ""}, []),
    open({spawn, <<>>}, []),
    open({spawn, [$c, $a | t]}, []),
    open({spawn, [$c, -1]}, []),
    open({spawn, 17}, []),
    open({spawn, <<"cat">>}, []),
    open({spawn_executable, ""}, []),
    open({spawn_executable, "/nonexistent/x"}, []),
    open({spawn_executable, "/etc/passwd"}, []),
    open({spawn_executable, 'no_such_exe'}, []),
    open({spawn_executable, {x}}, []),
    open({spawn_driver, "no_such_driver"}, []),
    open({spawn_driver, "cat"}, []),
    open({fd, a, 1}, []),
    open({fd, 0, b}, []),
    open({fd, -1, 1}, []),
    open({fd, 0, -5}, []),
    open({fd, 0, 1}, [exit_status]),
    open({fd, 0, 1}, [{args, ["x"]}]),
    open(<<"cat">>, []),
    open(foo, bad),
    open({spawn, "cat"}, bad).

t_open_opts() ->
    Bad = [[bogus], [{packet, 3}], [{packet, 0}], [{packet, -1}], [{packet, a}], [{line, 0}],
           [{line, -2}], [{line, a}], [{packet, 2}, {line, 3}], [{line, 3}, {packet, 1}],
           [{env, x}], [{env, [x]}], [{env, [{"A=", "b"}]}], [{env, [{<<"A">>, "b"}]}],
           [{env, [{a, "b"}]}], [{env, [{"A", <<"b">>}]}], [{env, [{"A", b}]}], [{env, [{"A", "b"} | x]}],
           [{args, "x"}], [{args, [1]}], [{args, [[$a | b]]}], [{args, x}],
           [{arg0, 1}], [{arg0, [x]}], [{exit_status, true}], [binary | foo], [{parallelism, 1}],
           [{busy_limits_port, 1}], [{busy_limits_msgq, {1}}], [{cd, "/"} | bad], [stderr_to_stdout, nouse_stdio],
           [{x, y, z}], ["binary"], [{cd, 1}, bogus]],
    [open({spawn, "cat"}, O) || O <- Bad],
    Good = [[], [binary, stream, in, out, hide, eof, exit_status, use_stdio, overlapped_io],
            [{packet, 1}], [{packet, 2}], [{packet, 4}], [{line, 1}], [{line, 1 bsl 40}],
            [{packet, 2}, stream, {line, 4}], [nouse_stdio, use_stdio, stderr_to_stdout],
            [{env, []}], [{env, [{"", "x"}, {"A", "x=y"}, {"B", false}, {"C", ""}]}],
            [{cd, "/"}], [{cd, <<"/">>}], [{cd, tmp_no_such_dir}], [{parallelism, true}],
            [{busy_limits_port, {1024, 2048}}], [{busy_limits_port, disabled}],
            [{busy_limits_msgq, disabled}]],
    [open({spawn, "cat"}, O) || O <- Good],
    %% only for spawn_executable: args; {cd, Bad} is badarg (not badopt)
    open({spawn, "cat"}, [{args, ["x"]}]),
    open({spawn, "cat"}, [{cd, 1}]),
    open({spawn, "cat"}, [{cd, [1 | x]}]),
    open({spawn_executable, "/bin/cat"}, [{args, [a, <<"b">>, "c"]}, {arg0, x}]),
    open({spawn_executable, "/bin/cat"}, [{args, []}, {arg0, <<"y">>}, {arg0, "z"}]).

t_command() ->
    P = open_port({spawn, "cat"}, []),
    C = fun(F) -> d(r(F)) end,
    C(fun() -> port_command(P, foo) end),
    C(fun() -> port_command(P, [1 | 2]) end),
    C(fun() -> port_command(P, [256]) end),
    C(fun() -> port_command(P, [-1]) end),
    C(fun() -> port_command(P, <<1, 2:4>>) end),
    C(fun() -> port_command(P, "x", [bad]) end),
    C(fun() -> port_command(P, "x", bad) end),
    C(fun() -> port_command(P, "x", [force | bad]) end),
    C(fun() -> port_command(P, "x", [force]) end),          % spawn driver: no soft busy
    C(fun() -> port_command(P, "x", [nosuspend]) end),
    C(fun() -> port_command(P, "x", []) end),
    C(fun() -> port_command(P, <<>>) end),
    C(fun() -> port_command(P, [[], <<>>, [[]]]) end),
    C(fun() -> port_command(foo, "x") end),
    C(fun() -> port_command(self(), "x") end),
    C(fun() -> port_command(foo, "x", [bad]) end),           % options first
    C(fun() -> port_command(P, foo, [bad]) end),
    C(fun() -> erlang:port_command(P, "y") end),
    d(data(P, 3)),
    d(erlang:port_info(P, output)),
    port_close(P).

data(_, 0) -> [];
data(P, N) ->
    receive {P, {data, D}} -> D ++ data(P, N - length(D))
    after 5000 -> timeout
    end.

t_closed() ->
    P = open_port({spawn, "cat"}, []),
    d(port_close(P)),
    C = fun(F) -> d(r(F)) end,
    C(fun() -> port_close(P) end),
    C(fun() -> port_command(P, "x") end),
    C(fun() -> port_command(P, "x", [nosuspend]) end),
    C(fun() -> port_control(P, 1, []) end),
    C(fun() -> erlang:port_call(P, 1, x) end),
    C(fun() -> port_connect(P, self()) end),
    C(fun() -> erlang:port_info(P) end),
    C(fun() -> erlang:port_info(P, name) end),
    C(fun() -> erlang:port_info(P, bogus) end),
    C(fun() -> erlang:port_get_data(P) end),
    C(fun() -> erlang:port_set_data(P, 1) end),
    C(fun() -> P ! {x, {command, "x"}} end),
    C(fun() -> exit(P, kill) end),
    C(fun() -> unlink(P) end),
    d(lists:member(P, erlang:ports())).

t_others() ->
    P = open_port({spawn, "cat"}, []),
    C = fun(F) -> d(r(F)) end,
    C(fun() -> port_control(P, 1, "x") end),                 % spawn: no control
    C(fun() -> port_control(P, -1, "x") end),
    C(fun() -> port_control(P, a, "x") end),
    C(fun() -> port_control(P, 1 bsl 32, "x") end),
    C(fun() -> port_control(P, 1, foo) end),
    C(fun() -> port_control(foo, 1, []) end),
    C(fun() -> erlang:port_call(P, 1, x) end),
    C(fun() -> erlang:port_call(P, x) end),
    C(fun() -> erlang:port_call(P, -1, x) end),
    C(fun() -> port_close(self()) end),
    C(fun() -> port_close(foo) end),
    C(fun() -> port_close("p") end),
    C(fun() -> port_connect(P, foo) end),
    C(fun() -> port_connect(foo, self()) end),
    C(fun() -> port_connect(self(), self()) end),
    C(fun() -> erlang:port_info(self()) end),
    C(fun() -> erlang:port_info(1) end),
    C(fun() -> erlang:port_info(foo) end),
    C(fun() -> erlang:port_info(1, name) end),
    C(fun() -> erlang:port_info(self(), name) end),
    C(fun() -> erlang:port_info(foo, name) end),
    C(fun() -> erlang:port_info(P, bogus) end),
    C(fun() -> erlang:port_info(P, 1) end),
    C(fun() -> erlang:port_info(P, [name]) end),
    C(fun() -> erlang:port_set_data(foo, 1) end),
    C(fun() -> erlang:port_get_data(self()) end),
    C(fun() -> link(foo) end),
    C(fun() -> exit(foo, x) end),
    C(fun() -> unlink(1) end),
    C(fun() -> is_port(P) end),
    port_close(P).
