%% Full mode: the code server on the VM's loader BIFs — load_binary, old
%% and current code, purge/soft_purge/delete, on_load, and a bad .beam.
-module(full_code).
-export([main/0]).

src(Vsn, OnLoad) ->
    ["-module(fc_mod).\n-export([vsn/0, loop/0]).\n",
     case OnLoad of
         none -> "";
         ok -> "-on_load(init/0).\ninit() -> ok.\n";
         fail -> "-on_load(init/0).\ninit() -> nope.\n"
     end,
     "vsn() -> ", integer_to_list(Vsn), ".\n",
     "loop() -> receive stop -> ok end.\n"].

compile(Vsn, OnLoad) ->
    Dir = "/tmp/tbeam_full_code",
    ok = filelib:ensure_dir(Dir ++ "/x"),
    File = Dir ++ "/fc_mod.erl",
    ok = file:write_file(File, src(Vsn, OnLoad)),
    {ok, fc_mod, Bin} = compile:file(File, [binary]),
    Bin.

main() ->
    logger:set_primary_config(level, none),
    p(code:is_loaded(fc_mod)),
    p(code:load_binary(fc_mod, "fc_mod.beam", compile(1, none))),
    p(fc_mod:vsn()),
    P = spawn(fc_mod, loop, []),
    p(code:load_binary(fc_mod, "fc_mod.beam", compile(2, none))),
    p({fc_mod:vsn(), erlang:check_old_code(fc_mod), erlang:check_process_code(P, fc_mod)}),
    p(code:soft_purge(fc_mod)),
    p(code:load_binary(fc_mod, "fc_mod.beam", compile(3, none))),
    Ref = monitor(process, P),
    p(code:purge(fc_mod)),
    p(receive {'DOWN', Ref, process, P, R} -> R after 2000 -> timeout end),
    p({fc_mod:vsn(), erlang:check_old_code(fc_mod)}),
    p(code:delete(fc_mod)),
    p({code:is_loaded(fc_mod), erlang:module_loaded(fc_mod), catch fc_mod:vsn()}),
    p(code:purge(fc_mod)),
    p(code:load_binary(fc_mod, "fc_mod.beam", compile(4, ok))),
    p(fc_mod:vsn()),
    code:purge(fc_mod), code:delete(fc_mod), code:purge(fc_mod),
    p(code:load_binary(fc_mod, "fc_mod.beam", compile(5, fail))),
    p(code:is_loaded(fc_mod)),
    p(code:load_binary(fc_mod, "fc_mod.beam", <<"not a beam file">>)),
    p(erlang:load_module(fc_mod, <<"FOR1junk">>)),
    p(lists:keymember(lists, 1, code:all_loaded())),
    p([code:ensure_loaded(lists), code:ensure_loaded(no_such_module_xyz)]),
    p(catch erlang:delete_module(lists_not_loaded_xyz)),
    ok.

p(X) -> io:format("~p~n", [X]).
