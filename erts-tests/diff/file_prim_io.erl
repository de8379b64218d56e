%% prim_file handles: open modes, read/write/position/pread/pwrite/truncate,
%% read-ahead and read_line, sync/advise/allocate, handle info, close and
%% use after close, the owner check, errors.  Uses /tmp/tbeam_file_prim_io.
-module(file_prim_io).
-export([main/0]).

-define(DIR, "/tmp/tbeam_file_prim_io").
-define(S(Tag, Expr), show(Tag, fun() -> Expr end)).

main() ->
    load_nifs(),
    rm_rf(?DIR),
    ok = prim_file:make_dir(?DIR),
    whole_files(),
    modes(),
    reads(),
    positions(),
    preads_pwrites(),
    lines(),
    misc_ops(),
    closed(),
    owner(),
    ipread(),
    bad_args(),
    rm_rf(?DIR),
    erlang:display(prim_file:read_file_info(?DIR)).

%% Bare tbeam does not run on_load functions: load the NIFs explicitly
%% (on erl they are loaded already and this fails harmlessly).
load_nifs() ->
    _ = [catch M:on_load() || M <- [prim_file, prim_buffer, zlib]],
    ok.

f(Name) -> ?DIR ++ "/" ++ Name.

rm_rf(Path) ->
    case prim_file:read_link_info(Path) of
        {ok, Info} when element(3, Info) =:= directory ->
            {ok, Names} = prim_file:list_dir_all(Path),
            [rm_rf(Path ++ "/" ++ N) || N <- Names],
            ok = prim_file:del_dir(Path);
        {ok, _} -> ok = prim_file:delete(Path);
        {error, enoent} -> ok
    end.

show(Tag, F) -> erlang:display({Tag, try F() catch C:R -> {caught, C, R} end}).

%% Deterministic fields of a #file_info{}.
info({ok, I}) -> {ok, element(2, I), element(3, I), element(4, I), element(8, I) band 8#170777, element(9, I)};
info(E) -> E.

big(N) -> << <<((I * 7 + I div 13) band 255)>> || I <- lists:seq(1, N) >>.

whole_files() ->
    ?S(wf1, prim_file:write_file(f("a"), <<"hello world">>)),
    ?S(rf1, prim_file:read_file(f("a"))),
    ?S(wf2, prim_file:write_file(f("b"), ["abc", [$d, <<"ef">>], <<>>, 103])),
    ?S(rf2, prim_file:read_file(f("b"))),
    Big = big(200000),
    ?S(wf3, prim_file:write_file(f("big"), [Big, Big])),
    {ok, Bin} = prim_file:read_file(f("big")),
    ?S(rf3, {byte_size(Bin), erlang:crc32(Bin), Bin =:= <<Big/binary, Big/binary>>}),
    ?S(wf4, prim_file:write_file(f("empty"), <<>>)),
    ?S(rf4, prim_file:read_file(f("empty"))),
    ?S(rf5, prim_file:read_file(f("nonexistent"))),
    ?S(rf6, prim_file:read_file(?DIR)),
    ?S(rf7, prim_file:read_file(f("a/b"))),
    ?S(rf8, prim_file:read_file(abc)),
    ?S(rf9, prim_file:read_file(<<"/tmp/", 0, "x">>)),
    ?S(rf10, prim_file:read_file([f("a"), <<"x">>])),
    ?S(wf5, prim_file:write_file(f("nodir/x"), <<"x">>)),
    ?S(wf6, prim_file:write_file(f("c"), [bad])),
    ?S(wf7, prim_file:write_file(?DIR, <<"x">>)),
    ?S(rf11, prim_file:read_file(f("c"))),
    ?S(wf8, prim_file:write_file(f("uni_\x{3b1}\x{3b2}"), <<"greek">>)),
    ?S(rf12, prim_file:read_file(f("uni_\x{3b1}\x{3b2}"))),
    ?S(rf13, prim_file:read_file(list_to_binary(f("uni_" ++ [206, 177, 206, 178])))),
    ?S(rf14, prim_file:read_file("/proc/self/status") =/= error).

modes() ->
    ok = prim_file:write_file(f("m"), <<"0123456789">>),
    {ok, R} = prim_file:open(f("m"), [read, binary]),
    ?S(m1, prim_file:write(R, <<"x">>)),
    ?S(m2, prim_file:read(R, 4)),
    ok = prim_file:close(R),
    {ok, W} = prim_file:open(f("m"), [write]),
    ?S(m3, prim_file:read(W, 4)),
    ?S(m4, prim_file:write(W, <<"new">>)),
    ok = prim_file:close(W),
    ?S(m5, prim_file:read_file(f("m"))),
    {ok, A} = prim_file:open(f("m"), [append]),
    ?S(m6, prim_file:write(A, "+app")),
    ?S(m7, prim_file:position(A, bof)),
    ?S(m8, prim_file:write(A, "+end")),
    ok = prim_file:close(A),
    ?S(m9, prim_file:read_file(f("m"))),
    ?S(m10, prim_file:open(f("m"), [write, exclusive])),
    {ok, X} = prim_file:open(f("excl"), [exclusive]),
    ?S(m11, prim_file:write(X, "ex")),
    ok = prim_file:close(X),
    ?S(m12, prim_file:read_file(f("excl"))),
    {ok, RW} = prim_file:open(f("m"), [read, write, binary]),
    ?S(m13, prim_file:read(RW, 3)),
    ?S(m14, prim_file:write(RW, <<"XY">>)),
    ?S(m15, prim_file:position(RW, bof)),
    ?S(m16, prim_file:read(RW, 100)),
    ?S(m17, prim_file:read(RW, 1)),
    ok = prim_file:close(RW),
    {ok, D} = prim_file:open(f("m"), []),
    ?S(m18, prim_file:read(D, 2)),
    ok = prim_file:close(D),
    ?S(m19, prim_file:open(f("nonexistent"), [read])),
    ?S(m20, prim_file:open(?DIR, [read])),
    ?S(m21, prim_file:open(?DIR, [write])),
    ?S(m22, element(1, prim_file:open(?DIR, [directory]))),
    ?S(m23, prim_file:open(f("m"), [directory])),
    ?S(m24, prim_file:open(f("m"), read)),
    ?S(m26, prim_file:open(read, [read])),
    ?S(m27, prim_file:open(f("nodir/m"), [write])),
    {ok, S} = prim_file:open(f("sync"), [write, sync, raw, delayed_write, {read_ahead, 10}]),
    ?S(m28, prim_file:write(S, "synced")),
    ok = prim_file:close(S),
    ?S(m29, prim_file:read_file(f("sync"))).

reads() ->
    ok = prim_file:write_file(f("r"), big(1000)),
    {ok, F} = prim_file:open(f("r"), [read, binary]),
    {ok, B1} = prim_file:read(F, 10),
    ?S(r1, B1),
    {ok, B2} = prim_file:read(F, 200),
    ?S(r2, {byte_size(B2), erlang:crc32(B2)}),
    ?S(r3, prim_file:read(F, 0)),
    {ok, B3} = prim_file:read(F, 5000),
    ?S(r4, byte_size(B3)),
    ?S(r5, prim_file:read(F, 10)),
    ?S(r6, prim_file:read(F, 0)),
    ?S(r7, prim_file:read(F, -1)),
    ?S(r8, prim_file:read(F, foo)),
    ?S(r9, prim_file:read(F, 1 bsl 64)),
    ok = prim_file:close(F),
    %% read-ahead
    {ok, G} = prim_file:open(f("r"), [read, binary, {read_ahead, 100}]),
    R = [prim_file:read(G, N) || N <- [1, 2, 50, 47, 3, 200, 65, 700]],
    ?S(r10, [case X of {ok, Bin} -> {byte_size(Bin), erlang:crc32(Bin)}; _ -> X end || X <- R]),
    ?S(r11, prim_file:read(G, 1)),
    ?S(r12, prim_file:position(G, 10)),
    ?S(r13, prim_file:read(G, 3)),
    ?S(r14, prim_file:position(G, cur)),
    ?S(r15, prim_file:read(G, 3)),
    ?S(r16, prim_file:position(G, {cur, -2})),
    ?S(r17, prim_file:read(G, 4)),
    ok = prim_file:close(G),
    {ok, H} = prim_file:open(f("r"), [read, read_ahead]),
    {ok, Hb} = prim_file:read(H, 600),
    ?S(r18, {byte_size(Hb), erlang:crc32(Hb)}),
    ?S(r19, prim_file:position(H, cur)),
    ?S(r20, prim_file:write(H, "x")),
    ok = prim_file:close(H).

positions() ->
    ok = prim_file:write_file(f("p"), <<"abcdefghijklmnopqrstuvwxyz">>),
    {ok, F} = prim_file:open(f("p"), [read, write]),
    Ps = [bof, eof, cur, 5, {bof, 3}, {cur, 4}, {cur, -2}, {eof, -1}, {eof, 10}, -1, {bof, -5},
          {cur, -1000}, 1.5, {bof, 1.0}, {foo, 1}, foo, {eof, 1 bsl 62}, 1 bsl 63, {bof, 1 bsl 70}, 0],
    ?S(p1, [prim_file:position(F, P) || P <- Ps]),
    ?S(p2, prim_file:read(F, 3)),
    {ok, 20} = prim_file:position(F, 20),
    ?S(p3, prim_file:truncate(F)),
    ?S(p4, prim_file:position(F, eof)),
    ?S(p5, prim_file:write(F, "!")),
    ok = prim_file:close(F),
    ?S(p6, prim_file:read_file(f("p"))),
    {ok, G} = prim_file:open(f("p"), [write, read]),
    {ok, 40} = prim_file:position(G, 40),
    ?S(p7, prim_file:write(G, "end")),
    ok = prim_file:close(G),
    ?S(p8, prim_file:read_file(f("p"))).

preads_pwrites() ->
    ok = prim_file:write_file(f("pr"), <<"0123456789abcdef">>),
    {ok, F} = prim_file:open(f("pr"), [read, write, binary, {read_ahead, 8}]),
    ?S(pr1, prim_file:read(F, 2)),
    ?S(pr2, prim_file:pread(F, 4, 3)),
    ?S(pr3, prim_file:pread(F, 14, 10)),
    ?S(pr4, prim_file:pread(F, 16, 1)),
    ?S(pr5, prim_file:pread(F, 100, 1)),
    ?S(pr6, prim_file:pread(F, 0, 0)),
    ?S(pr7, prim_file:pread(F, -1, 3)),
    ?S(pr8, prim_file:pread(F, 1, -3)),
    ?S(pr9, prim_file:pread(F, a, 3)),
    ?S(pr10, prim_file:pread(F, [{0, 2}, {10, 3}, {50, 1}, {15, 9}])),
    ?S(pr11, prim_file:pread(F, [{0, 2}, {-1, 3}])),
    ?S(pr12, prim_file:pread(F, [{0, 2} | x])),
    ?S(pr13, prim_file:pread(F, [])),
    ?S(pr14, prim_file:read(F, 2)),
    ?S(pr15, prim_file:pwrite(F, 2, <<"AB">>)),
    ?S(pr16, prim_file:pwrite(F, 20, ["x", <<"yz">>])),
    ?S(pr17, prim_file:pwrite(F, [{0, "Q"}, {5, <<"RS">>}])),
    ?S(pr18, prim_file:pwrite(F, [{1, "q"}, {-1, "bad"}, {3, "never"}])),
    ?S(pr19, prim_file:pwrite(F, -3, "x")),
    ?S(pr20, prim_file:pwrite(F, 3, [bad])),
    ?S(pr21, prim_file:pwrite(F, 3.0, "x")),
    ?S(pr22, prim_file:read(F, 3)),
    ?S(pr23, prim_file:position(F, cur)),
    ok = prim_file:close(F),
    {ok, C} = prim_file:read_file(f("pr")),
    ?S(pr24, C).

lines() ->
    ok = prim_file:write_file(f("l"), ["line one\n", "crlf line\r\n", "\n", "no newline at end"]),
    {ok, F} = prim_file:open(f("l"), [read, binary]),
    ?S(l1, [prim_file:read_line(F) || _ <- lists:seq(1, 6)]),
    ok = prim_file:close(F),
    Long = [[integer_to_list(I), lists:duplicate(I rem 300, $x), "\n"] || I <- lists:seq(1, 200)],
    ok = prim_file:write_file(f("l2"), Long),
    {ok, G} = prim_file:open(f("l2"), [read, binary, {read_ahead, 1000}]),
    Ls = read_lines(G, []),
    ?S(l2, {length(Ls), erlang:crc32(Ls), iolist_to_binary(Ls) =:= iolist_to_binary(Long)}),
    ok = prim_file:close(G),
    ok = prim_file:write_file(f("l3"), <<>>),
    {ok, H} = prim_file:open(f("l3"), [read]),
    ?S(l3, prim_file:read_line(H)),
    ok = prim_file:close(H).

read_lines(F, Acc) ->
    case prim_file:read_line(F) of
        {ok, L} -> read_lines(F, [L | Acc]);
        eof -> lists:reverse(Acc)
    end.

misc_ops() ->
    {ok, F} = prim_file:open(f("misc"), [read, write, binary]),
    ok = prim_file:write(F, <<"some data">>),
    ?S(x1, prim_file:sync(F)),
    ?S(x2, prim_file:datasync(F)),
    ?S(x3, [prim_file:advise(F, 0, 0, A) || A <- [normal, random, sequential, will_need, dont_need, no_reuse, bad]]),
    ?S(x4, [prim_file:advise(F, O, L, normal) || {O, L} <- [{-1, 0}, {0, -1}, {a, 0}, {1.0, 0}]]),
    ?S(x5, prim_file:allocate(F, 0, 100)),
    ?S(x6, info(prim_file:read_handle_info(F))),
    ?S(x7, [prim_file:allocate(F, O, L) || {O, L} <- [{-1, 0}, {0, -1}, {a, 0}]]),
    ?S(x8, byte_size(prim_file:get_handle(F))),
    {ok, I} = prim_file:read_handle_info(F, [{time, posix}]),
    ?S(x9, is_integer(element(6, I))),
    ok = prim_file:close(F),
    ?S(x10, info(prim_file:read_file_info(f("misc")))),
    ?S(x11, prim_file:copy(1, 2, 3) =/= x).

closed() ->
    {ok, F} = prim_file:open(f("closed"), [write, read]),
    ?S(c1, prim_file:close(F)),
    ?S(c2, prim_file:close(F)),
    ?S(c3, [prim_file:read(F, 1), prim_file:write(F, "x"), prim_file:position(F, 0),
              prim_file:pread(F, 0, 1), prim_file:pwrite(F, 0, "x"), prim_file:sync(F),
              prim_file:datasync(F), prim_file:truncate(F), prim_file:advise(F, 0, 0, normal),
              prim_file:allocate(F, 0, 1), prim_file:read_line(F), prim_file:get_handle(F),
              prim_file:read_handle_info(F), prim_file:ipread_s32bu_p32bu(F, 0, 10)]),
    ?S(c4, [prim_file:close(x), prim_file:read(x, 1), prim_file:write(x, "x"),
              prim_file:position(x, 0), prim_file:read_line(x)]).

owner() ->
    {ok, F} = prim_file:open(f("owner"), [write, read]),
    Self = self(),
    spawn(fun() ->
                  R = [catch prim_file:read(F, 1), catch prim_file:write(F, "x"),
                       catch prim_file:close(F)],
                  Self ! {done, [case X of {'EXIT', {Reason, _}} -> Reason; _ -> X end || X <- R]}
          end),
    receive {done, R} -> ?S(o1, R) end,
    ?S(o2, prim_file:write(F, "mine")),
    ok = prim_file:close(F),
    ?S(o3, prim_file:read_file(f("owner"))).

ipread() ->
    %% <<Size:32, Pointer:32>> at the offset, then Size bytes at Pointer
    ok = prim_file:write_file(f("ip"), [<<5:32, 16:32>>, <<100:32, 16:32>>, <<"hello world!">>,
                                          <<3:32, 1000:32>>]),
    {ok, F} = prim_file:open(f("ip"), [read, binary]),
    ?S(i1, [prim_file:ipread_s32bu_p32bu(F, O, M) ||
                 {O, M} <- [{0, 10}, {0, 4}, {8, 200}, {8, infinity}, {28, 10}, {30, 10},
                            {-1, 10}, {0, 1 bsl 31}, {0, -1}, {a, 1}, {0, 1.0}]]),
    ok = prim_file:close(F).

bad_args() ->
    {ok, F} = prim_file:open(f("bad"), [write, read]),
    ?S(b1, [prim_file:write(F, X) || X <- [atom, [1 | 2], [256], <<1:1>>, [<<1:1>>], self()]]),
    ?S(b2a, prim_file:read(F, -1)),
    ?S(b2b, prim_file:read(F, 1.0)),
    ?S(b2c, prim_file:read(F, [])),
    ?S(b2d, prim_file:read(F, 1 bsl 63)),
    ?S(b2e, prim_file:read(F, 1 bsl 62)),
    ?S(b3, prim_file:read_handle_info(F, [{time, bad}])),
    ok = prim_file:close(F),
    ?S(b4, prim_file:file_desc_to_ref(99999, [read])),
    ?S(b5, [prim_file:open(X, [read]) || X <- [[1 | 2], "", <<>>, <<0>>, [0], 'a.txt', 12]]).
