%% NIF resources (prim_file handles are magic references) stored in ETS:
%% the table's copy keeps the resource alive after every process-side copy
%% is gone and collected, across owner death, and delete/lookup/select copy
%% it back out.  Uses /tmp/tbeam_ets_resource.
-module(ets_resource).
-export([main/0]).

-define(F, "/tmp/tbeam_ets_resource").

main() ->
    _ = [catch M:on_load() || M <- [prim_file, prim_buffer]],
    ok = prim_file:write_file(?F, <<"hello resource">>),
    T = ets:new(t, [public]),
    store(T),
    erlang:garbage_collect(),
    churn(),
    [{fd, Fd}] = ets:lookup(T, fd),
    erlang:display(prim_file:pread(Fd, 0, 5)),
    erlang:display(ets:select(T, [{{fd, '$1'}, [], ['$1']}]) =:= [Fd]),
    %% stored by a process that then exits: the table still holds it
    Self = self(),
    {Pid, Ref} = spawn_monitor(fun() -> store2(T), Self ! stored end),
    receive stored -> ok end,
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    erlang:garbage_collect(),
    churn(),
    [{fd2, Fd2}] = ets:lookup(T, fd2),
    erlang:display(try prim_file:pread(Fd2, 6, 8) catch error:E -> E end),
    true = ets:delete(T, fd),
    erlang:garbage_collect(),
    erlang:display(prim_file:pread(Fd, 0, 5)),
    ok = prim_file:close(Fd),
    erlang:display(prim_file:pread(Fd, 0, 5)),
    ets:delete(T),
    erlang:garbage_collect(),
    erlang:display(ok = prim_file:delete(?F)).

store(T) ->
    {ok, Fd} = prim_file:open(?F, [read, binary]),
    true = ets:insert(T, {fd, Fd}),
    ok.

%% its owner is then dead: using it is refused, but the handle is intact
store2(T) ->
    {ok, Fd} = prim_file:open(?F, [read, binary]),
    true = ets:insert(T, {fd2, Fd}),
    ok.

%% open and drop other handles so freed memory gets reused
churn() ->
    Fds = [element(2, prim_file:open(?F, [read])) || _ <- lists:seq(1, 50)],
    [prim_file:close(F) || F <- Fds],
    erlang:garbage_collect().
