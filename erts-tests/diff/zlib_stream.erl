%% zlib streams: deflate/inflate in chunks with levels, strategies,
%% window sizes and flush modes; deflateParams; dictionaries; resets;
%% inflateChunk and safeInflate; end-of-stream behaviours; the stream
%% state machine and its errors; controlling processes.
-module(zlib_stream).
-export([main/0]).
-compile([nowarn_deprecated_function]).

-define(S(Tag, Expr), show(Tag, fun() -> Expr end)).

main() ->
    load_nifs(),
    deflate_params(),
    flushes(),
    chunked_inflate(),
    params_midstream(),
    dictionaries(),
    resets(),
    chunk_apis(),
    eos(),
    states(),
    crcs(),
    owners().

load_nifs() ->
    _ = [catch M:on_load() || M <- [prim_file, prim_buffer, zlib]],
    ok.

show(Tag, F) -> erlang:display({Tag, try F() catch C:R -> {caught, C, R} end}).

noise(N, Seed) -> noise(N, Seed, []).
noise(0, _, Acc) -> list_to_binary(Acc);
noise(N, S, Acc) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    noise(N - 1, S1, [(S1 bsr 16) band 255 | Acc]).

text(N) -> iolist_to_binary([[integer_to_list(I * I), " is a square; "] || I <- lists:seq(1, N)]).

summary(B) when byte_size(B) =< 64 -> B;
summary(B) -> {byte_size(B), erlang:crc32(B)}.

deflate_all(Level, Method, WBits, Mem, Strategy, Data) ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, Level, Method, WBits, Mem, Strategy),
    Out = iolist_to_binary(zlib:deflate(Z, Data, finish)),
    ok = zlib:deflateEnd(Z),
    ok = zlib:close(Z),
    Out.

inflate_all(WBits, Data) ->
    Z = zlib:open(),
    ok = zlib:inflateInit(Z, WBits),
    Out = iolist_to_binary(zlib:inflate(Z, Data)),
    ok = zlib:inflateEnd(Z),
    ok = zlib:close(Z),
    Out.

deflate_params() ->
    Data = <<(text(3000))/binary, (noise(3000, 9))/binary, (text(500))/binary>>,
    [?S({level, L}, summary(deflate_all(L, deflated, 15, 8, default, Data)))
     || L <- [none, best_speed, default, best_compression, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    [?S({strategy, St}, summary(deflate_all(default, deflated, 15, 8, St, Data)))
     || St <- [default, filtered, huffman_only, rle]],
    [?S({wbits, W}, begin
                         C = deflate_all(default, deflated, W, 8, default, Data),
                         {summary(C), try inflate_all(W, C) =:= Data catch error:R -> R end}
                     end) || W <- [8, 9, 12, 15, -8, -9, -15, 24, 31, 25]],
    [?S({mem, M}, summary(deflate_all(default, deflated, 15, M, default, Data))) || M <- [1, 5, 9]],
    [?S({bad, A}, deflate_all(L, Me, W, M, St, Data))
     || {A, L, Me, W, M, St} <- [{level, 10, deflated, 15, 8, default}, {level2, x, deflated, 15, 8, default},
                                 {method, 1, stored, 15, 8, default}, {wbits, 1, deflated, 7, 8, default},
                                 {wbits2, 1, deflated, 48, 8, default}, {wbits3, 1, deflated, -16, 8, default},
                                 {mem, 1, deflated, 15, 0, default}, {mem2, 1, deflated, 15, 10, default},
                                 {strategy, 1, deflated, 15, 8, fast}]],
    ?S(auto, inflate_all(47, deflate_all(default, deflated, 31, 8, default, <<"gzip or zlib">>))),
    ?S(auto2, inflate_all(47, deflate_all(default, deflated, 15, 8, default, <<"gzip or zlib">>))).

flushes() ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, default),
    Parts = [zlib:deflate(Z, <<"part one ">>, none),
             zlib:deflate(Z, <<"part two ">>, sync),
             zlib:deflate(Z, text(100), full),
             zlib:deflate(Z, [], sync),
             zlib:deflate(Z, noise(20000, 3), none),
             zlib:deflate(Z, <<"end">>, finish)],
    Bins = [iolist_to_binary(P) || P <- Parts],
    ?S(f1, [summary(B) || B <- Bins]),
    ?S(f2, zlib:deflate(Z, <<"after finish">>, finish)),
    ?S(f3, zlib:deflateEnd(Z)),
    ?S(f4, summary(inflate_all(15, Bins))),
    ?S(f5, zlib:deflate(Z, <<"x">>)),
    ok = zlib:deflateInit(Z, 1),
    ?S(f6, zlib:deflate(Z, <<"x">>, bad_flush)),
    ?S(f7, zlib:deflate(Z, bad_data)),
    ?S(f8, iolist_to_binary([zlib:deflate(Z, <<"abc">>), zlib:deflate(Z, [], finish)])),
    ?S(f9, zlib:deflateEnd(Z)),
    ok = zlib:deflateInit(Z),
    _ = zlib:deflate(Z, <<"unfinished">>),
    ?S(f10, zlib:deflateEnd(Z)),
    ok = zlib:close(Z).

chunked_inflate() ->
    Data = <<(noise(30000, 7))/binary, (text(4000))/binary>>,
    C = zlib:compress(Data),
    [begin
         Z = zlib:open(),
         ok = zlib:inflateInit(Z),
         Out = [zlib:inflate(Z, Piece) || Piece <- split(C, N)],
         ok = zlib:inflateEnd(Z),
         ok = zlib:close(Z),
         ?S({pieces, N}, iolist_to_binary(Out) =:= Data)
     end || N <- [1, 7, 100, 4096, byte_size(C)]],
    Z = zlib:open(),
    ok = zlib:inflateInit(Z),
    ?S(ci1, zlib:inflate(Z, <<>>)),
    ?S(ci2, summary(iolist_to_binary(zlib:inflate(Z, binary:part(C, 0, 1000))))),
    ?S(ci3, zlib:inflateEnd(Z)),
    ok = zlib:close(Z).

split(B, N) when byte_size(B) =< N -> [B];
split(B, N) -> <<H:N/binary, T/binary>> = B, [H | split(T, N)].

params_midstream() ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, best_speed),
    A = zlib:deflate(Z, text(500)),
    ?S(pm1, zlib:deflateParams(Z, best_compression, filtered)),
    B = zlib:deflate(Z, text(500)),
    ?S(pm2, zlib:deflateParams(Z, none, default)),
    C = zlib:deflate(Z, noise(1000, 1), finish),
    Out = iolist_to_binary([A, B, C]),
    ?S(pm3, summary(Out)),
    ?S(pm4, inflate_all(15, Out) =:= iolist_to_binary([text(500), text(500), noise(1000, 1)])),
    ?S(pm5, zlib:deflateParams(Z, 11, default)),
    ?S(pm6, zlib:deflateParams(Z, 1, bad)),
    ok = zlib:deflateEnd(Z),
    ?S(pm7, zlib:deflateParams(Z, 1, default)),
    ok = zlib:close(Z).

dictionaries() ->
    Dict = <<"a square; is 1234567890">>,
    Data = text(200),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, default),
    ?S(d1, zlib:deflateSetDictionary(Z, Dict)),
    C = iolist_to_binary(zlib:deflate(Z, Data, finish)),
    ok = zlib:deflateEnd(Z),
    ?S(d2, summary(C)),
    ok = zlib:inflateInit(Z),
    ?S(d3, zlib:inflate(Z, C)),
    ?S(d4, zlib:inflateSetDictionary(Z, Dict)),
    ?S(d5, iolist_to_binary(zlib:inflate(Z, [])) =:= Data),
    ?S(d6, begin
               D = zlib:inflateGetDictionary(Z),
               {byte_size(D), D =:= binary:part(<<Dict/binary, Data/binary>>, byte_size(Dict) + byte_size(Data), -byte_size(D))}
           end),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    ?S(d7, zlib:inflate(Z, C, [{exception_on_need_dict, false}])),
    ?S(d8, zlib:inflateSetDictionary(Z, [<<"a square; ">>, "is 1234567890"])),
    ?S(d9, iolist_to_binary(zlib:inflate(Z, [], [{exception_on_need_dict, false}])) =:= Data),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    ?S(d10, zlib:inflate(Z, C, [{exception_on_need_dict, false}])),
    ?S(d11, zlib:inflateSetDictionary(Z, <<"wrong dictionary">>)),
    ?S(d12, zlib:inflateSetDictionary(Z, bad)),
    ok = zlib:inflateReset(Z),
    ?S(d13, zlib:inflateGetDictionary(Z)),
    ?S(d14, zlib:inflate(Z, zlib:compress(<<"plain">>))),
    ?S(d15, zlib:inflateGetDictionary(Z)),
    ok = zlib:inflateEnd(Z),
    %% raw deflate: the Adler-32 of the dictionary is computed by hand
    ok = zlib:deflateInit(Z, default, deflated, -15, 8, default),
    ?S(d16, zlib:deflateSetDictionary(Z, Dict)),
    R = iolist_to_binary(zlib:deflate(Z, Data, finish)),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z, -15),
    ?S(d17, zlib:inflateSetDictionary(Z, Dict)),
    ?S(d18, iolist_to_binary(zlib:inflate(Z, R)) =:= Data),
    ok = zlib:inflateEnd(Z),
    ?S(d19, zlib:deflateSetDictionary(Z, Dict)),
    ?S(d20, zlib:inflateSetDictionary(Z, Dict)),
    ?S(d21, zlib:inflateGetDictionary(Z)),
    ok = zlib:close(Z).

resets() ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    _ = zlib:deflate(Z, <<"discarded">>),
    ?S(r1, zlib:deflateReset(Z)),
    C = iolist_to_binary(zlib:deflate(Z, <<"kept">>, finish)),
    ?S(r2, C =:= zlib:compress(<<"kept">>)),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z),
    _ = zlib:inflate(Z, binary:part(C, 0, 4)),
    ?S(r3, zlib:inflateReset(Z)),
    ?S(r4, zlib:inflate(Z, C)),
    ?S(r5, zlib:inflateReset(Z)),
    ?S(r6, zlib:inflate(Z, C)),
    ok = zlib:inflateEnd(Z),
    ?S(r7, zlib:inflateReset(Z)),
    ?S(r8, zlib:deflateReset(Z)),
    ok = zlib:close(Z).

chunk_apis() ->
    Data = <<(text(2000))/binary, (noise(5000, 2))/binary>>,
    C = zlib:compress(Data),
    Z = zlib:open(),
    ?S(ch1, zlib:getBufSize(Z)),
    ?S(ch2, zlib:setBufSize(Z, 3000)),
    ?S(ch3, zlib:getBufSize(Z)),
    ?S(ch4, zlib:setBufSize(Z, 16)),
    ?S(ch5, zlib:setBufSize(Z, 1 bsl 24)),
    ok = zlib:inflateInit(Z),
    Chunks = inflate_chunks(Z, zlib:inflateChunk(Z, C), []),
    ?S(ch6, [byte_size(B) || B <- Chunks]),
    ?S(ch7, iolist_to_binary(Chunks) =:= Data),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    Safe = safe_chunks(Z, zlib:safeInflate(Z, C), []),
    ?S(ch8, length(Safe)),
    ?S(ch9, iolist_to_binary(Safe) =:= Data),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    ?S(ch10, zlib:safeInflate(Z, <<"bad data">>)),
    ?S(ch11, zlib:inflateEnd(Z)),
    ok = zlib:close(Z).

inflate_chunks(Z, {more, Out}, Acc) -> inflate_chunks(Z, zlib:inflateChunk(Z), [iolist_to_binary(Out) | Acc]);
inflate_chunks(_, Out, Acc) -> lists:reverse([iolist_to_binary(Out) | Acc]).

safe_chunks(Z, {continue, Out}, Acc) -> safe_chunks(Z, zlib:safeInflate(Z, []), [iolist_to_binary(Out) | Acc]);
safe_chunks(_, {finished, Out}, Acc) -> lists:reverse([iolist_to_binary(Out) | Acc]).

eos() ->
    A = zlib:compress(<<"first">>),
    B = zlib:compress(<<"second">>),
    [begin
         Z = zlib:open(),
         ok = zlib:inflateInit(Z, 15, Behaviour),
         R1 = (catch iolist_to_binary(zlib:inflate(Z, <<A/binary, B/binary>>))),
         R2 = (catch iolist_to_binary(zlib:inflate(Z, B))),
         R3 = (catch zlib:inflateEnd(Z)),
         ?S({eos, Behaviour}, [strip(R1), strip(R2), strip(R3)]),
         zlib:close(Z)
     end || Behaviour <- [cut, reset, error]],
    ?S(eos_bad, zlib:inflateInit(zlib:open(), 15, bad)).

strip({'EXIT', {R, _}}) -> {'EXIT', R};
strip(X) -> X.

states() ->
    Z = zlib:open(),
    ?S(s1, zlib:inflate(Z, <<>>)),
    ?S(s2, zlib:deflate(Z, <<>>)),
    ?S(s3, zlib:inflateEnd(Z)),
    ?S(s4, zlib:deflateEnd(Z)),
    ?S(s5, zlib:deflateInit(Z)),
    ?S(s6, zlib:deflateInit(Z)),
    ?S(s7, zlib:inflateInit(Z)),
    ?S(s8, zlib:inflate(Z, <<>>)),
    ?S(s9, zlib:deflateEnd(Z)),
    ?S(s10, zlib:inflateInit(Z)),
    ?S(s11, zlib:deflate(Z, <<"x">>)),
    ?S(s12, zlib:close(Z)),
    ?S(s13, zlib:close(Z)),
    ?S(s14, zlib:deflateInit(Z)),
    ?S(s15, zlib:inflateInit(Z)),
    ?S(s16, zlib:getBufSize(Z)),
    ?S(s17, zlib:inflate(Z, <<>>)),
    [?S({notz, N}, F()) || {N, F} <- [{close, fun() -> zlib:close(make_ref()) end},
                                       {deflateInit, fun() -> zlib:deflateInit(x) end},
                                       {inflate, fun() -> zlib:inflate(self(), <<>>) end},
                                       {getBufSize, fun() -> zlib:getBufSize(make_ref()) end},
                                       {crc32, fun() -> zlib:crc32(make_ref()) end}]],
    Z2 = zlib:open(),
    ok = zlib:inflateInit(Z2),
    ?S(s18, zlib:inflate(Z2, [<<"x">> | y])),
    ?S(s19, zlib:inflate(Z2, [<<1:1>>])),
    ok = zlib:close(Z2).

crcs() ->
    Z = zlib:open(),
    ?S(k1, zlib:crc32(Z)),
    ok = zlib:deflateInit(Z, default, deflated, -15, 8, default),
    C = iolist_to_binary(zlib:deflate(Z, <<"crc me">>, finish)),
    ?S(k2, {zlib:crc32(Z), erlang:crc32(<<"crc me">>)}),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z, -15),
    _ = zlib:inflate(Z, C),
    ?S(k3, zlib:crc32(Z)),
    ok = zlib:inflateEnd(Z),
    ok = zlib:deflateInit(Z),
    _ = zlib:deflate(Z, <<"zlib format">>, finish),
    ?S(k4, zlib:crc32(Z)),
    ok = zlib:deflateEnd(Z),
    ok = zlib:close(Z).

owners() ->
    Self = self(),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    Other = fun() ->
                    R = [strip(catch zlib:deflate(Z, <<"x">>)), strip(catch zlib:getBufSize(Z)),
                         strip(catch zlib:close(Z)), strip(catch zlib:set_controlling_process(Z, self()))],
                    Self ! {other, R},
                    receive go -> ok end,
                    R2 = [iolist_to_binary(zlib:deflate(Z, <<"from the new owner">>, finish)),
                          zlib:deflateEnd(Z)],
                    Self ! {other2, R2}
            end,
    Pid = spawn(Other),
    receive {other, R} -> ?S(o1, R) end,
    ?S(o2, zlib:set_controlling_process(Z, Pid)),
    ?S(o3, zlib:deflate(Z, <<"x">>)),
    ?S(o4, zlib:set_controlling_process(Z, Self)),
    ?S(o5, zlib:set_controlling_process(Z, not_a_pid)),
    Pid ! go,
    receive {other2, R2} -> ?S(o6, R2) end,
    ?S(o7, zlib:close(Z)).
