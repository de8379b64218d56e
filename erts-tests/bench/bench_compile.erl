%% A realistic workload: the stock OTP compiler (booted OTP, `-noshell`)
%% compiling the differential test modules to binaries in memory.  Prints
%% {compile, microseconds} (best of three, after a warm-up) as bench.erl does.
-module(bench_compile).
-export([main/0]).

main() ->
    Files = filelib:wildcard("erts-tests/diff/*.erl"),
    Run = fun() -> [{ok, _, _} = compile:file(F, [binary, return_errors]) || F <- Files], ok end,
    Run(),
    erlang:display({compile, lists:min([time(Run) || _ <- [1, 2, 3]])}).

time(F) ->
    T0 = erlang:monotonic_time(microsecond),
    F(),
    erlang:monotonic_time(microsecond) - T0.
