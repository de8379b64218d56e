%% zlib's one-shot functions: compress/uncompress, zip/unzip, gzip/gunzip
%% (byte-identical output on the same system zlib), round trips of various
%% inputs, concatenated gzip members, checksums, errors.
-module(zlib_basic).
-export([main/0]).
-compile([nowarn_deprecated_function]).

-define(S(Tag, Expr), show(Tag, fun() -> Expr end)).

main() ->
    load_nifs(),
    exact(),
    round_trips(),
    concatenated(),
    checksums(),
    errors(),
    in_processes().

load_nifs() ->
    _ = [catch M:on_load() || M <- [prim_file, prim_buffer, zlib]],
    ok.

show(Tag, F) -> erlang:display({Tag, try F() catch C:R -> {caught, C, R} end}).

%% Deterministic pseudo-random bytes (an LCG).
noise(N, Seed) -> noise(N, Seed, []).
noise(0, _, Acc) -> list_to_binary(Acc);
noise(N, S, Acc) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    noise(N - 1, S1, [(S1 bsr 16) band 255 | Acc]).

text(N) -> iolist_to_binary([[integer_to_list(I), " bottles of beer on the wall\n"] || I <- lists:seq(1, N)]).

summary(B) when byte_size(B) =< 80 -> B;
summary(B) -> {byte_size(B), erlang:crc32(B), erlang:adler32(B)}.

exact() ->
    Inputs = [<<>>, <<"a">>, <<"hello hello hello hello">>, ["io", [$l, "ist"], <<"data">>],
              binary:copy(<<0>>, 1000)],
    [?S({c, I}, zlib:compress(I)) || I <- Inputs],
    [?S({z, I}, zlib:zip(I)) || I <- Inputs],
    [?S({g, I}, zlib:gzip(I)) || I <- Inputs],
    ?S(c_text, summary(zlib:compress(text(2000)))),
    ?S(z_text, summary(zlib:zip(text(2000)))),
    ?S(g_text, summary(zlib:gzip(text(2000)))),
    ?S(c_noise, summary(zlib:compress(noise(70000, 1)))),
    ?S(g_noise, summary(zlib:gzip(noise(70000, 2)))).

round_trips() ->
    Ins = [<<>>, <<"x">>, text(10), text(5000), noise(100, 3), noise(40000, 4),
           binary:copy(<<"abc">>, 100000), [text(100), noise(1000, 5), [[<<"deep">>]]]],
    [begin
         B = iolist_to_binary(In),
         C = zlib:compress(In), Z = zlib:zip(In), G = zlib:gzip(In),
         ?S({rt, N}, {byte_size(B), summary(C), zlib:uncompress(C) =:= B,
                      zlib:unzip(Z) =:= B, zlib:gunzip(G) =:= B,
                      zlib:uncompress([C]) =:= B, zlib:gunzip(binary_to_list(G)) =:= B})
     end || {N, In} <- lists:zip(lists:seq(1, length(Ins)), Ins)].

concatenated() ->
    A = zlib:gzip(<<"first member ">>),
    B = zlib:gzip(text(300)),
    ?S(cc1, summary(zlib:gunzip(<<A/binary, B/binary>>))),
    ?S(cc2, zlib:gunzip(<<A/binary, A/binary, A/binary>>)),
    %% trailing garbage after a zlib stream is cut away by uncompress
    C = zlib:compress(<<"payload">>),
    ?S(cc3, zlib:uncompress(<<C/binary, "trailing junk">>)),
    ?S(cc4, zlib:unzip(<<(zlib:zip(<<"raw">>))/binary, "junk">>)),
    ?S(cc5, zlib:gunzip(<<A/binary, "junk">>)).

checksums() ->
    Z = zlib:open(),
    ?S(k1, zlib:crc32(Z, <<"abc">>)),
    ?S(k2, zlib:crc32(Z, zlib:crc32(Z, <<"ab">>), <<"c">>)),
    ?S(k3, zlib:adler32(Z, <<"abc">>)),
    ?S(k4, zlib:adler32(Z, zlib:adler32(Z, <<"a">>), ["bc"])),
    ?S(k5, zlib:crc32_combine(Z, zlib:crc32(Z, <<"ab">>), zlib:crc32(Z, <<"c">>), 1)),
    ?S(k6, zlib:adler32_combine(Z, zlib:adler32(Z, <<"ab">>), zlib:adler32(Z, <<"c">>), 1)),
    ?S(k7, zlib:crc32(Z)),
    ?S(k8, zlib:crc32(x, <<"abc">>)),
    ?S(k9, zlib:adler32(Z, bad)),
    ok = zlib:close(Z).

errors() ->
    ?S(e1, zlib:uncompress(<<1, 2, 3, 4, 5, 6, 7, 8, 9>>)),
    ?S(e2, zlib:uncompress(<<1, 2>>)),
    ?S(e3, zlib:uncompress(bad)),
    ?S(e4, zlib:unzip(<<255, 255, 255, 255>>)),
    ?S(e5, zlib:gunzip(<<"not gzip at all">>)),
    ?S(e6, zlib:compress(bad)),
    ?S(e7, zlib:compress([<<"a">> | b])),
    ?S(e8, zlib:zip(1)),
    ?S(e9, zlib:gzip([256])),
    C = zlib:compress(text(100)),
    ?S(e10, zlib:uncompress(binary:part(C, 0, byte_size(C) - 5))),
    ?S(e11, zlib:uncompress(binary:part(C, 0, 10))),
    G = zlib:gzip(text(100)),
    ?S(e12, zlib:gunzip(binary:part(G, 0, byte_size(G) - 1))),
    <<H:10/binary, _, Rest/binary>> = G,
    ?S(e13, zlib:gunzip(<<H/binary, 0, Rest/binary>>)),
    ?S(e14, zlib:unzip(<<>>)),
    ?S(e15, zlib:gunzip(<<>>)),
    ?S(e16, zlib:unzip(zlib:compress(<<"wrong format">>))).

%% Streams belong to their opener; independent streams in many processes.
in_processes() ->
    Self = self(),
    Pids = [spawn(fun() ->
                          In = noise(5000 + I * 100, I),
                          Self ! {I, erlang:crc32(zlib:gzip(In)), zlib:gunzip(zlib:gzip(In)) =:= In}
                  end) || I <- lists:seq(1, 20)],
    ?S(p1, [receive {I, Crc, Ok} -> {Crc, Ok} end || I <- lists:seq(1, length(Pids))]).
