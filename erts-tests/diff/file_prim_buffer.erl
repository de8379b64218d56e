%% prim_buffer (prim_file's read-ahead buffer): writes gathered in the
%% accumulator or queued as they are, read/read_iovec shapes, skip, wipe,
%% find_byte_index, the lock, bad arguments.
-module(file_prim_buffer).
-export([main/0]).

-define(S(Tag, Expr), show(Tag, fun() -> Expr end)).

main() ->
    load_nifs(),
    basic(),
    shapes(),
    finds(),
    locks(),
    bad_args(),
    many().

load_nifs() ->
    _ = [catch M:on_load() || M <- [prim_file, prim_buffer, zlib]],
    ok.

show(Tag, F) -> erlang:display({Tag, try F() catch C:R -> {caught, C, R} end}).

sizes(IOVec) -> [byte_size(B) || B <- IOVec].

pattern(N, Seed) -> << <<((I * Seed + I div 7) band 255)>> || I <- lists:seq(1, N) >>.

basic() ->
    B = prim_buffer:new(),
    ?S(b1, prim_buffer:size(B)),
    ?S(b2, prim_buffer:write(B, [<<"abc">>, <<"def">>])),
    ?S(b3, prim_buffer:size(B)),
    ?S(b4, prim_buffer:read(B, 2)),
    ?S(b5, prim_buffer:read_iovec(B, 1)),
    ?S(b6, prim_buffer:read(B, 0)),
    ?S(b7, prim_buffer:read(B, 3)),
    ?S(b8, prim_buffer:size(B)),
    ?S(b9, prim_buffer:write(B, [])),
    ?S(b10, prim_buffer:size(B)),
    ?S(b11, prim_buffer:write(B, [<<>>, <<"x">>, <<>>])),
    ?S(b12, prim_buffer:read(B, 1)),
    ?S(b13, prim_buffer:write(B, [<<1:1>>])),
    ?S(b14, prim_buffer:size(B)),
    Big = pattern(5000, 3),
    ?S(b15, prim_buffer:write(B, [Big, <<"tail">>])),
    ?S(b16, prim_buffer:size(B)),
    R = prim_buffer:read(B, 5004),
    ?S(b17, {byte_size(R), R =:= <<Big/binary, "tail">>}),
    ?S(b18, prim_buffer:write(B, erlang:iolist_to_iovec(["hello ", <<"world">>, $!]))),
    ?S(b19, prim_buffer:skip(B, 6)),
    ?S(b20, prim_buffer:read(B, 6)),
    ?S(b21, prim_buffer:wipe(B)),
    ?S(b22, prim_buffer:size(B)),
    ?S(b23, prim_buffer:read(B, 0)).

%% Which elements read_iovec returns depends on how writes were queued.
shapes() ->
    B = prim_buffer:new(),
    Big = binary:copy(<<"0123456789">>, 300),
    ok = prim_buffer:write(B, [Big]),
    ok = prim_buffer:write(B, [<<"small">>]),
    ok = prim_buffer:write(B, [Big, <<"s">>]),
    ?S(s1, sizes(prim_buffer:read_iovec(B, 2900))),
    ?S(s2, sizes(prim_buffer:read_iovec(B, 3000))),
    ?S(s3, sizes(prim_buffer:read_iovec(B, 106))),
    ?S(s4, prim_buffer:size(B)),
    %% small writes are gathered into 2 KiB elements
    [ok = prim_buffer:write(B, [pattern(100, I)]) || I <- lists:seq(1, 50)],
    ?S(s5, prim_buffer:size(B)),
    ?S(s6, sizes(prim_buffer:read_iovec(B, 4500))),
    ?S(s7, sizes(prim_buffer:read_iovec(B, 500))),
    ?S(s8, prim_buffer:size(B)),
    [ok = prim_buffer:write(B, [pattern(900, I), pattern(200, I + 1)]) || I <- lists:seq(1, 5)],
    ?S(s9, sizes(prim_buffer:read_iovec(B, prim_buffer:size(B)))),
    ok = prim_buffer:write(B, [pattern(70, 5)]),
    ok = prim_buffer:write(B, [pattern(1500, 6)]),
    ok = prim_buffer:write(B, [pattern(10, 7)]),
    ?S(s10, sizes(prim_buffer:read_iovec(B, 1000))),
    ?S(s11, sizes(prim_buffer:read_iovec(B, 30))),
    ?S(s12, sizes(prim_buffer:read_iovec(B, 540))),
    ?S(s13, prim_buffer:size(B)),
    All = prim_buffer:read(B, 10),
    ?S(s14, All =:= binary:part(pattern(10, 7), 0, 10)),
    %% a long iovec is taken 64 binaries at a time
    L = [pattern(40, I) || I <- lists:seq(1, 150)],
    ok = prim_buffer:write(B, L),
    ?S(s15, prim_buffer:size(B)),
    ?S(s16, sizes(prim_buffer:read_iovec(B, 6000))),
    ?S(s17, prim_buffer:read(B, prim_buffer:size(B)) =:= binary:part(iolist_to_binary(L), 6000, 0)).

finds() ->
    B = prim_buffer:new(),
    ?S(f1, prim_buffer:find_byte_index(B, $\n)),
    ok = prim_buffer:write(B, [<<"first line\nsecond">>]),
    ?S(f2, prim_buffer:find_byte_index(B, $\n)),
    ?S(f3, prim_buffer:find_byte_index(B, $d)),
    ?S(f4, prim_buffer:find_byte_index(B, 0)),
    ok = prim_buffer:write(B, [binary:copy(<<"x">>, 3000), <<"\n">>]),
    ?S(f5, prim_buffer:find_byte_index(B, $\n)),
    ok = prim_buffer:skip(B, 11),
    ?S(f6, prim_buffer:find_byte_index(B, $\n)),
    ?S(f7, prim_buffer:find_byte_index(B, $x)),
    ?S(f8, prim_buffer:find_byte_index(B, 255)),
    [?S({f9, X}, prim_buffer:find_byte_index(B, X)) || X <- [256, -1, a, 1.0, 1 bsl 40]].

locks() ->
    B = prim_buffer:new(),
    ?S(l1, prim_buffer:unlock(B)),
    ?S(l2, prim_buffer:try_lock(B)),
    ?S(l3, prim_buffer:try_lock(B)),
    ?S(l4, prim_buffer:unlock(B)),
    ?S(l5, prim_buffer:unlock(B)),
    ?S(l6, prim_buffer:try_lock(B)).

bad_args() ->
    B = prim_buffer:new(),
    ok = prim_buffer:write(B, [<<"data">>]),
    [?S({w, X}, prim_buffer:write(B, X)) || X <- [<<"a">>, ["a"], [<<"a">> | <<"b">>], [<<"ab", 1:3>>], [a], x]],
    ?S(a1, prim_buffer:size(B)),
    [?S({r, X}, prim_buffer:read(B, X)) || X <- [5, -1, a, 1.0, 1 bsl 64]],
    [?S({ri, X}, prim_buffer:read_iovec(B, X)) || X <- [5, 100, -1]],
    [?S({sk, X}, prim_buffer:skip(B, X)) || X <- [5, -1, a, 1 bsl 64]],
    ?S(a2, prim_buffer:read(B, 4)),
    ?S(a3, prim_buffer:read_iovec(B, 100)),
    ?S(a4, prim_buffer:read_iovec(B, 0)),
    NotBuf = make_ref(),
    [?S({nb, N}, F()) || {N, F} <- [{size, fun() -> prim_buffer:size(NotBuf) end},
                                     {write, fun() -> prim_buffer:write(NotBuf, []) end},
                                     {read, fun() -> prim_buffer:read(NotBuf, 0) end},
                                     {skip, fun() -> prim_buffer:skip(x, 0) end},
                                     {find, fun() -> prim_buffer:find_byte_index(NotBuf, 1) end},
                                     {lock, fun() -> prim_buffer:try_lock(NotBuf) end},
                                     {unlock, fun() -> prim_buffer:unlock(NotBuf) end},
                                     {wipe, fun() -> prim_buffer:wipe(NotBuf) end}]].

%% Many buffers, data shared with the writer's binaries.
many() ->
    Bufs = [prim_buffer:new() || _ <- lists:seq(1, 100)],
    Data = pattern(10000, 11),
    [ok = prim_buffer:write(B, [Data, binary:part(Data, I, 100)]) || {I, B} <- lists:zip(lists:seq(1, 100), Bufs)],
    Sums = [erlang:crc32(prim_buffer:read(B, 10050)) || B <- Bufs],
    ?S(m1, {length(lists:usort(Sums)), lists:sum([prim_buffer:size(B) || B <- Bufs])}),
    erlang:garbage_collect(),
    ?S(m2, [prim_buffer:size(B) || B <- lists:sublist(Bufs, 3)]).
