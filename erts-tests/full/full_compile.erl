%% Full mode: the stock compiler runs on the VM.  Compiling the same sources
%% must give byte-identical .beam binaries on tbeam and on erl.
-module(full_compile).
-export([main/0]).

main() ->
    Dir = "erts-tests/diff",
    Files = ["seq_basic.erl", "seq_maps.erl", "seq_bits.erl", "seq_errors.erl", "proc_receive.erl", "ets_match.erl"],
    [compile_one(filename:join(Dir, F)) || F <- Files],
    %% a syntax error reports as erl does
    Bad = "/tmp/tbeam_full_compile_bad.erl",
    ok = file:write_file(Bad, "-module(bad).\nf( -> ok.\n"),
    io:format("~p~n", [compile:file(Bad, [binary, return_errors])]),
    ok = file:delete(Bad),
    ok.

compile_one(Path) ->
    case compile:file(Path, [binary, return_errors, return_warnings]) of
        {ok, Mod, Bin, Warnings} ->
            io:format("~s ~p ~s ~p~n", [filename:basename(Path), Mod, hex(erlang:md5(Bin)), length(Warnings)]);
        Other ->
            io:format("~s ~p~n", [filename:basename(Path), Other])
    end.

hex(B) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= B].
