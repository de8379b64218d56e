%% prim_file on paths: file info, write_file_info, directories, links,
%% rename/delete, the working directory, file name encoding (the
%% prim_file name BIFs), errno atoms.  Uses /tmp/tbeam_file_prim_fs.
-module(file_prim_fs).
-export([main/0]).

-define(DIR, "/tmp/tbeam_file_prim_fs").
-define(S(Tag, Expr), show(Tag, fun() -> Expr end)).

main() ->
    load_nifs(),
    rm_rf(?DIR),
    ?S(setup, prim_file:make_dir(?DIR)),
    names(),
    dirs(),
    infos(),
    write_infos(),
    links(),
    renames(),
    deletes(),
    cwd(),
    unicode(),
    rm_rf(?DIR),
    ?S(gone, prim_file:read_file_info(?DIR)).

load_nifs() ->
    _ = [catch M:on_load() || M <- [prim_file, prim_buffer, zlib]],
    ok.

show(Tag, F) -> erlang:display({Tag, try F() catch C:R -> {caught, C, R} end}).

f(Name) -> ?DIR ++ "/" ++ Name.

rm_rf(Path) ->
    case prim_file:read_link_info(Path) of
        {ok, Info} when element(3, Info) =:= directory ->
            {ok, Names} = prim_file:list_dir_all(Path),
            [rm_rf(filename_join(Path, N)) || N <- Names],
            ok = prim_file:del_dir(Path);
        {ok, _} -> ok = prim_file:delete(Path);
        {error, enoent} -> ok
    end.

filename_join(Dir, N) when is_binary(N) -> <<(list_to_binary(Dir))/binary, "/", N/binary>>;
filename_join(Dir, N) -> Dir ++ "/" ++ N.

%% The deterministic fields of a #file_info{}: size, type, access, mode, links.
info({ok, I}) -> {ok, element(2, I), element(3, I), element(4, I), element(8, I), element(9, I)};
info(E) -> E.

names() ->
    N2N = fun prim_file:internal_name2native/1,
    ?S(n1, [N2N(X) || X <- ["abc", <<"abc">>, [], <<>>, [[$a, [$b]], [], $c], [16#3b1, $/, 16#10FFFF],
                           <<255, 254>>, [16#FFFF], [16#D7FF, 16#E000]]]),
    [?S({n2, X}, N2N(X)) || X <- ["a\0b", <<"a", 0>>, [16#D800], [16#110000], [-1], [$a | $b], [$a, <<"b">>],
                                  [<<>>], abc, 'a', 1.0, <<1:1>>, [[$a] | <<>>], {}]],
    ?S(n3, [prim_file:internal_native2name(X) || X <- [<<>>, <<"abc">>, <<0>>, <<206, 177>>, <<255>>,
                                                       <<192, 128>>, <<237, 160, 128>>, <<244, 143, 191, 191>>,
                                                       <<244, 144, 128, 128>>, <<"a", 226, 130>>]]),
    [?S({n4, X}, prim_file:internal_native2name(X)) || X <- ["abc", abc, <<1:1>>]],
    ?S(n5, [prim_file:is_translatable(X) || X <- [<<>>, <<"abc">>, <<206, 177>>, <<255>>, <<192, 128>>]]),
    [?S({n6, X}, prim_file:is_translatable(X)) || X <- ["abc", abc, <<1:1>>]],
    ?S(n7, [prim_file:internal_normalize_utf8(X) || X <- [<<>>, <<"plain">>, <<206, 177, 206, 178>>]]),
    [?S({n8, X}, prim_file:internal_normalize_utf8(X)) || X <- [<<255>>, "abc"]].

dirs() ->
    ?S(d1, prim_file:make_dir(f("d"))),
    ?S(d2, prim_file:make_dir(f("d"))),
    ?S(d3, prim_file:make_dir(f("missing/d"))),
    ?S(d4, prim_file:make_dir("")),
    [ok = prim_file:write_file(f("d/" ++ N), N) || N <- ["z", "a", "m", ".hidden"]],
    ok = prim_file:make_dir(f("d/sub")),
    {ok, L} = prim_file:list_dir(f("d")),
    ?S(d5, lists:sort(L)),
    {ok, La} = prim_file:list_dir_all(f("d")),
    ?S(d6, lists:sort(La)),
    ?S(d7, prim_file:list_dir(f("d/sub"))),
    ?S(d8, prim_file:list_dir(f("d/a"))),
    ?S(d9, prim_file:list_dir(f("nothing"))),
    ?S(d10, prim_file:list_dir(bad)),
    ?S(d11, element(1, prim_file:list_dir(<<(list_to_binary(f("d")))/binary>>))),
    ?S(d12, prim_file:del_dir(f("d"))),
    ?S(d13, prim_file:del_dir(f("d/a"))),
    ?S(d14, prim_file:del_dir(f("d/nothing"))),
    ?S(d15, prim_file:del_dir(f("d/sub"))),
    ?S(d16, prim_file:del_dir(f("d/sub"))),
    ?S(d17, prim_file:del_dir(x)),
    ?S(d18, prim_file:make_dir([bad])),
    Long = f(lists:duplicate(300, $n)),
    ?S(d19, prim_file:make_dir(Long)),
    ?S(d20, prim_file:read_file_info(Long)),
    ?S(d21, prim_file:list_dir(f("d/a/b"))).

infos() ->
    ok = prim_file:write_file(f("i"), <<"twelve bytes">>),
    ok = prim_file:make_dir(f("idir")),
    ?S(i1, info(prim_file:read_file_info(f("i")))),
    ?S(i2, info(prim_file:read_file_info(f("idir")))),
    ?S(i3, info(prim_file:read_file_info("/dev/null"))),
    ?S(i4, info(prim_file:read_file_info(f("none")))),
    ?S(i5, info(prim_file:read_file_info(f("i/x")))),
    ?S(i6, info(prim_file:read_file_info(foo))),
    ?S(i7, info(prim_file:read_link_info(f("i")))),
    ?S(i8, info(prim_file:read_file_info(f("i"), [{time, posix}]))),
    ?S(i9, info(prim_file:read_file_info(f("i"), [{time, universal}]))),
    ?S(i10, info(prim_file:read_file_info(f("i"), [{time, local}]))),
    ?S(i11, info(prim_file:read_file_info(f("i"), [{time, bad}]))),
    ?S(i12, info(prim_file:read_file_info(f("i"), [raw]))),
    {ok, P} = prim_file:read_file_info(f("i"), [{time, posix}]),
    ?S(i13, [is_integer(element(N, P)) || N <- [5, 6, 7, 10, 11, 12, 13, 14]]),
    {ok, U} = prim_file:read_file_info(f("i"), [{time, universal}]),
    ?S(i14, [tuple_size(element(N, U)) || N <- [5, 6, 7]]),
    ?S(i15, element(1, U)),
    ?S(i16, info(prim_file:read_file_info(<<"/">>))),
    ?S(i17, element(3, element(2, prim_file:read_file_info("/proc/self")))),
    ?S(i18, element(3, element(2, prim_file:read_link_info("/proc/self")))),
    ?S(i19, element(3, element(2, prim_file:read_file_info("/dev/null")))),
    ?S(i20, prim_file:altname(f("i"))),
    ?S(i21, prim_file:altname(bad)).

write_infos() ->
    ok = prim_file:write_file(f("w"), <<"w">>),
    I = fun(M) -> element(8, element(2, prim_file:read_file_info(f("w")))) band M end,
    ?S(w1, prim_file:write_file_info(f("w"), {file_info, undefined, undefined, undefined,
                                              1000000000, 1100000000, undefined,
                                              8#600, undefined, undefined, undefined,
                                              undefined, undefined, undefined}, [{time, posix}])),
    ?S(w2, I(8#7777)),
    {ok, T} = prim_file:read_file_info(f("w"), [{time, posix}]),
    ?S(w3, {element(5, T), element(6, T)}),
    ?S(w4, prim_file:write_file_info(f("w"), {file_info, undefined, undefined, undefined,
                                              {{2001, 9, 9}, {1, 46, 40}}, undefined, undefined,
                                              8#644, undefined, undefined, undefined,
                                              undefined, undefined, undefined}, [{time, universal}])),
    {ok, T2} = prim_file:read_file_info(f("w"), [{time, universal}]),
    ?S(w5, {element(5, T2), element(6, T2), I(8#777)}),
    {ok, T3} = prim_file:read_file_info(f("w"), [{time, posix}]),
    ?S(w6, {element(5, T3), element(6, T3)}),
    ?S(w7, prim_file:write_file_info(f("w"), {file_info, undefined, undefined, undefined,
                                              -5000000000, 300000000000, undefined,
                                              undefined, undefined, undefined, undefined,
                                              undefined, undefined, undefined}, [{time, posix}])),
    {ok, T4} = prim_file:read_file_info(f("w"), [{time, posix}]),
    ?S(w8, {element(5, T4), element(6, T4)}),
    {ok, T5} = prim_file:read_file_info(f("w"), [{time, universal}]),
    ?S(w9, {element(5, T5), element(6, T5)}),
    ?S(w10, prim_file:write_file_info(f("none"), {file_info, undefined, undefined, undefined,
                                                  1, 1, 1, 8#600, undefined, undefined, undefined,
                                                  undefined, undefined, undefined}, [{time, posix}])),
    ?S(w11, prim_file:write_file_info(f("w"), {file_info, undefined, undefined, undefined,
                                               bad, 1, 1, undefined, undefined, undefined, undefined,
                                               undefined, undefined, undefined}, [{time, posix}])),
    ?S(w12, prim_file:write_file_info(f("w"), {file_info, undefined, undefined, undefined,
                                               1, 1, 1, bad, undefined, undefined, undefined,
                                               undefined, undefined, undefined}, [{time, posix}])),
    ?S(w13, prim_file:write_file_info(f("w"), not_a_record)),
    ?S(w14, prim_file:write_file_info(f("w"), {file_info, undefined, undefined, undefined,
                                               1, 1, 1, 8#4755, undefined, undefined, undefined,
                                               undefined, undefined, undefined}, [{time, posix}])),
    ?S(w15, I(8#7777)).

links() ->
    ok = prim_file:write_file(f("target"), <<"target data">>),
    ?S(k1, prim_file:make_symlink("target", f("sym"))),
    ?S(k2, prim_file:make_symlink("target", f("sym"))),
    ?S(k3, prim_file:read_link(f("sym"))),
    ?S(k4, prim_file:read_link_all(f("sym"))),
    ?S(k5, prim_file:read_link(f("target"))),
    ?S(k6, prim_file:read_link(f("none"))),
    ?S(k7, info(prim_file:read_link_info(f("sym")))),
    ?S(k8, info(prim_file:read_file_info(f("sym")))),
    ?S(k9, prim_file:read_file(f("sym"))),
    ?S(k10, prim_file:make_symlink("nowhere", f("dangling"))),
    ?S(k11, info(prim_file:read_file_info(f("dangling")))),
    ?S(k12, element(3, element(2, prim_file:read_link_info(f("dangling"))))),
    ?S(k13, prim_file:make_link(f("target"), f("hard"))),
    ?S(k14, prim_file:make_link(f("target"), f("hard"))),
    ?S(k15, prim_file:make_link(f("none"), f("hard2"))),
    ?S(k16, element(9, element(2, prim_file:read_file_info(f("target"))))),
    ?S(k17, prim_file:read_file(f("hard"))),
    ?S(k18, prim_file:make_symlink(<<"t", 255>>, f("rawsym"))),
    ?S(k19, prim_file:read_link(f("rawsym"))),
    ?S(k20, prim_file:read_link_all(f("rawsym"))),
    ?S(k21, prim_file:make_symlink([16#3b1], f("unisym"))),
    ?S(k22, prim_file:read_link(f("unisym"))),
    ?S(k23, prim_file:make_link(bad, f("x"))),
    ?S(k24, prim_file:make_symlink(f("x"), bad)),
    ?S(k25, prim_file:make_link(?DIR, f("dirlink"))).

renames() ->
    ok = prim_file:write_file(f("r1"), <<"one">>),
    ok = prim_file:write_file(f("r2"), <<"two">>),
    ok = prim_file:make_dir(f("rd")),
    ok = prim_file:make_dir(f("rd2")),
    ok = prim_file:write_file(f("rd2/x"), <<"x">>),
    ?S(m1, prim_file:rename(f("r1"), f("r1b"))),
    ?S(m2, prim_file:read_file(f("r1b"))),
    ?S(m3, prim_file:rename(f("r1b"), f("r2"))),
    ?S(m4, prim_file:read_file(f("r2"))),
    ?S(m5, prim_file:rename(f("none"), f("x"))),
    ?S(m6, prim_file:rename(f("r2"), f("rd"))),
    ?S(m7, prim_file:rename(f("rd"), f("r2"))),
    ?S(m8, prim_file:rename(f("rd"), f("rd2"))),
    ?S(m9, prim_file:rename(f("rd2"), f("rd"))),
    ?S(m10, prim_file:list_dir(f("rd"))),
    ?S(m11, prim_file:rename(f("rd"), f("rd/sub"))),
    ?S(m12, prim_file:rename(f("r2"), f("nodir/r2"))),
    ?S(m13, prim_file:rename(bad, f("x"))),
    ?S(m14, prim_file:rename(f("r2"), 123)),
    ?S(m15, prim_file:rename(f("r2"), f("r2"))).

deletes() ->
    ok = prim_file:write_file(f("del"), <<"x">>),
    ok = prim_file:make_dir(f("deldir")),
    ?S(x1, prim_file:delete(f("del"))),
    ?S(x2, prim_file:delete(f("del"))),
    ?S(x3, prim_file:delete(f("deldir"))),
    ?S(x4, prim_file:delete(f("del/x"))),
    ?S(x5, prim_file:delete(x)),
    ?S(x6, prim_file:delete("")),
    ?S(x7, prim_file:del_dir(f("deldir"))),
    ?S(x8, prim_file:del_dir("")).

cwd() ->
    {ok, Orig} = prim_file:get_cwd(),
    ?S(c1, prim_file:set_cwd(?DIR)),
    ?S(c2, prim_file:get_cwd()),
    ok = prim_file:write_file("relative", <<"rel">>),
    ?S(c3, prim_file:read_file(f("relative"))),
    ?S(c4, prim_file:make_dir("cwdsub")),
    ?S(c5, prim_file:set_cwd("cwdsub")),
    ?S(c6, prim_file:get_cwd()),
    ?S(c7, prim_file:set_cwd("..")),
    ?S(c8, prim_file:del_dir(".")),
    ?S(c9, prim_file:set_cwd("nonexistent")),
    ?S(c10, prim_file:set_cwd("relative")),
    ?S(c11, prim_file:set_cwd(<<"bad", 255>>)),
    ?S(c12, prim_file:set_cwd(bad)),
    ?S(c13, prim_file:set_cwd(list_to_binary(?DIR))),
    ?S(c14, prim_file:get_cwd()),
    ?S(c15, [prim_file:get_cwd(X) || X <- ["c:", "C:", "a", "abc", [], x, "1:"]]),
    ?S(c16, prim_file:set_cwd(Orig)),
    ?S(c17, prim_file:get_cwd() =:= {ok, Orig}).

unicode() ->
    Names = ["\x{3b1}\x{3b2}\x{3b3}.txt", "caf\x{e9}", "\x{1F600}", "plain"],
    ?S(u0, prim_file:make_dir(f("u"))),
    ?S(u1, [prim_file:write_file(f("u/" ++ N), unicode_bin(N)) || N <- Names]),
    {ok, L} = prim_file:list_dir(f("u")),
    ?S(u2, lists:sort(L)),
    ?S(u3, [prim_file:read_file(f("u/" ++ N)) || N <- lists:sort(Names)]),
    ?S(u4, prim_file:write_file(<<(list_to_binary(f("u/raw")))/binary, 255>>, <<"raw">>)),
    {ok, La} = prim_file:list_dir_all(f("u")),
    ?S(u5, lists:sort(La)),
    ?S(u6, prim_file:read_file(<<(list_to_binary(f("u/raw")))/binary, 255>>)),
    ?S(u7, prim_file:read_file(list_to_binary(f("u/caf" ++ [195, 169])))),
    ?S(u8, prim_file:read_file(f("u/caf" ++ [195, 169]))),
    ?S(u9, info(prim_file:read_file_info(f("u/\x{1F600}")))).

unicode_bin(N) -> <<<<(C):32>> || C <- N>>.
