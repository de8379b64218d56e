%% BIFs the OTP boot needs, part 4: tracing while nothing is traced
%% (erlang:trace_info/2, erts_internal:trace/3 and trace_pattern/3 with
%% their counts of matched processes and functions, badargs) and the
%% dynamic trace tags (dt_*: an ERTS built without VM probes keeps none).
%% Only modules loaded in both VMs are counted (lists, erlang, this one);
%% trace/3 is never asked to turn tracing on.
-module(boot_trace).
-export([main/0, exported/1]).

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

exported(X) -> local(X).
local(X) -> lists:map(fun(Y) -> Y end, X).

main() ->
    [] = lists:reverse([]),                          % lists is loaded
    trace_info(),
    trace(),
    trace_pattern(),
    dt_tags(),
    ok.

trace_info() ->
    P = spawn(fun() -> receive stop -> ok end end),
    {D, M} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', M, process, D, _} -> ok end,
    d([r(fun() -> erlang:trace_info(Pid, I) end) ||
          Pid <- [self(), P, D], I <- [flags, tracer, traced, match_spec, all, x]]),
    d([r(fun() -> erlang:trace_info(S, I) end) ||
          S <- [new, new_processes, new_ports, existing, all, existing_ports, x, "new"],
          I <- [flags, tracer, all]]),
    d([r(fun() -> erlang:trace_info(on_load, I) end) || I <- [traced, all, flags, match_spec, tracer, x]]),
    d([r(fun() -> erlang:trace_info(S, I) end) ||
          S <- [send, 'receive'], I <- [match_spec, traced, all, tracer]]),
    d([r(fun() -> erlang:trace_info(MFA, I) end) ||
          MFA <- [{lists, map, 2}, {erlang, self, 0}, {?MODULE, local, 1}, {?MODULE, exported, 1},
                  {lists, nosuch, 2}, {nosuch_module_xyz, f, 0}, {a, b, -1}],
          I <- [traced, match_spec, meta, meta_match_spec, call_count, call_time, all, x]]),
    d([r(fun() -> erlang:trace_info(MFA, traced) end) ||
          MFA <- [{a, b, c}, {'_', '_', '_'}, {lists, '_', '_'}, {lists, map, '_'}, {lists, map}, x]]),
    P ! stop.

trace() ->
    P = spawn(fun() -> receive stop -> ok end end),
    {D, M} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', M, process, D, _} -> ok end,
    d([r(fun() -> erts_internal:trace(self(), false, F) end) ||
          F <- [[], [all], [send, 'receive'],
                [call, return_to, procs, ports, running, exiting, garbage_collection, timestamp,
                 cpu_timestamp, monotonic_timestamp, strict_monotonic_timestamp, arity,
                 set_on_spawn, set_on_first_spawn, set_on_link, set_on_first_link, silent,
                 running_procs, running_ports, scheduler_id],
                [cpu_timestamp], [{tracer, self()}], [{tracer, P}], [{tracer, make_ref()}], [{tracer, erl_tracer, []}], [{tracer, x}],
                [x | y], x, [call | x], [{meta, self()}], [x]]]),
    d([r(fun() -> erts_internal:trace(S, false, [all]) end) ||
          S <- [self(), P, D, new, new_processes, new_ports, x, "all", make_ref()]]),
    d([is_integer(erts_internal:trace(S, false, [all])) ||
          S <- [all, existing, processes, existing_processes, ports, existing_ports]]),
    d(erts_internal:trace(all, false, []) >= erts_internal:trace(processes, false, [])),
    d([r(fun() -> erts_internal:trace(self(), H, []) end) || H <- [true, false, x, 1]]),
    d([r(fun() -> erlang:trace(S, false, F) end) || {S, F} <- [{self(), [call]}, {x, []}, {self(), [x]}]]),
    P ! stop.

trace_pattern() ->
    TP = fun(MFA, MS, F) -> r(fun() -> erts_internal:trace_pattern(MFA, MS, F) end) end,
    d([TP(MFA, false, F) ||
          MFA <- [{lists, map, 2}, {lists, map, '_'}, {lists, '_', '_'}, {lists, map, 7},
                  {lists, nosuch, '_'}, {lists, map, -1}, {lists, map, 256},
                  {erlang, self, 0}, {erlang, '_', '_'}, {?MODULE, '_', '_'},
                  {?MODULE, local, '_'}, {?MODULE, exported, 1}, {nosuch_module_xyz, '_', '_'}],
          F <- [[], [global], [local], [meta], [call_count], [call_time]]]),
    d(is_integer(TP({'_', '_', '_'}, false, []))),
    d([TP(MFA, false, []) ||
          MFA <- [{lists, map, x}, {lists, "map", 2}, {"lists", map, 2}, {lists, map},
                  {lists, '_', 2}, {'_', map, '_'}, {'_', '_', 1}, x, [], {1, 2, 3}]]),
    d([TP({lists, map, 2}, MS, []) ||
          MS <- [true, false, restart, pause, [], [{'_', [], []}], [{[a], [], [true]}],
                 [x], x, <<>>, [{a, b}], [{'_', [], []} | x]]]),
    d([TP({lists, map, 2}, false, F) ||
          F <- [[], [global], [local], [meta], [{meta, self()}], [call_count], [call_time],
                [global, local], [global, meta], [x], x, [local | x]]]),
    d([TP(S, MS, F) ||
          S <- [send, 'receive'],
          {MS, F} <- [{true, []}, {false, []}, {[], []}, {[{'_', [], []}], []},
                      {[{[a, b], [], []}], []}, {restart, []}, {pause, []}, {x, []},
                      {true, [local]}, {true, [global]}, {true, [x]}]]),
    d([TP(on_load, MS, F) || MS <- [true, false, []], F <- [[], [global], [local], [meta]]]),
    d([r(fun() -> erlang:trace_pattern(MFA, MS) end) ||
          {MFA, MS} <- [{{lists, map, 2}, false}, {{lists, '_', '_'}, false}, {x, false}]]).

dt_tags() ->
    d([r(fun() -> erlang:dt_restore_tag(X) end) || X <- [true, false, undefined, 0, <<>>, "a", []]]),
    d([r(fun() -> erlang:dt_spread_tag(X) end) || X <- [true, false, undefined, 0]]),
    d([r(fun() -> erlang:dt_put_tag(X) end) || X <- [<<"tag">>, foo, "ab", 1, [a]]]),
    d([erlang:dt_get_tag(), erlang:dt_get_tag_data()]),
    d([r(fun() -> erlang:dt_prepend_vm_tag_data(X) end) || X <- [<<"a">>, foo, 1]]),
    d([r(fun() -> erlang:dt_append_vm_tag_data(X) end) || X <- [<<"b">>, [], 2.0]]).
