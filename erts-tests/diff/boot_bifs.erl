%% BIFs the OTP boot needs, part 1: atomics and counters (all operations,
%% signed/unsigned wrap-around, badargs, info/1), os:env/0, os:perf_counter/0,
%% os:system_time/1, the file name BIFs of prim_file (ASCII, UTF-8, invalid
%% names; the native encoding follows the locale in both VMs) and
%% erts_internal:erase_persistent_terms/0 (last: it erases the system's too).
-module(boot_bifs).
-export([main/0]).

d(X) -> erlang:display(X).
r(F) -> try F() catch C:E -> {C, E} end.

main() ->
    atomics_ops(),
    atomics_unsigned(),
    atomics_bad(),
    counters_ops(),
    counters_bad(),
    os_bifs(),
    file_names(),
    persistent(),
    ok.

-define(M63, (1 bsl 63)).
-define(M64, (1 bsl 64)).

atomics_ops() ->
    A = atomics:new(3, []),
    d(atomics:info(A)),
    d([atomics:get(A, I) || I <- [1, 2, 3]]),
    d(atomics:put(A, 1, ?M63 - 1)),
    d(atomics:add_get(A, 1, 1)),                     % wraps to -2^63
    d(atomics:add_get(A, 1, -1)),                    % and back
    d(atomics:add_get(A, 1, ?M64 - 1)),              % an unsigned increment is its bit pattern
    d(atomics:add_get(A, 1, ?M63)),
    d(atomics:add(A, 2, 5)),
    d(atomics:sub(A, 2, 7)),
    d(atomics:get(A, 2)),
    d(atomics:sub_get(A, 2, -10)),
    d(atomics:sub_get(A, 2, ?M63 - 1)),
    d(atomics:exchange(A, 3, -42)),
    d(atomics:exchange(A, 3, 42)),
    d(atomics:compare_exchange(A, 3, 42, 7)),
    d(atomics:compare_exchange(A, 3, 42, 8)),
    d(atomics:get(A, 3)),
    d(atomics:compare_exchange(A, 3, 7, -(?M63))),
    d(atomics:get(A, 3)),
    d(atomics:put(A, 3, -(?M63))),
    d(atomics:sub_get(A, 3, 1)),
    B = atomics:new(1000, [{signed, true}]),
    d(atomics:info(B)),
    [atomics:add(B, I, I) || I <- lists:seq(1, 1000)],
    d(lists:sum([atomics:get(B, I) || I <- lists:seq(1, 1000)])),
    C = atomics:new(2, [{signed, false}, {signed, true}]),
    d(atomics:info(C)),
    d(atomics:sub_get(C, 1, 1)).

atomics_unsigned() ->
    U = atomics:new(2, [{signed, false}]),
    d(atomics:info(U)),
    d(atomics:put(U, 1, ?M64 - 1)),
    d(atomics:get(U, 1)),
    d(atomics:add_get(U, 1, 1)),                     % wraps to 0
    d(atomics:add_get(U, 1, -1)),                    % and back to 2^64-1
    d(r(fun() -> atomics:sub_get(U, 1, ?M64 - 1) end)),
    d(atomics:sub_get(U, 1, ?M63)),
    d(atomics:add_get(U, 2, ?M63)),
    d(atomics:add_get(U, 2, -(?M63))),
    d(atomics:exchange(U, 2, ?M64 - 2)),
    d(atomics:compare_exchange(U, 2, 0, 1)),
    d(atomics:compare_exchange(U, 2, ?M64 - 2, 3)),
    d(atomics:get(U, 2)),
    d(r(fun() -> atomics:put(U, 1, -1) end)),
    d(r(fun() -> atomics:put(U, 1, ?M64) end)),
    d(r(fun() -> atomics:exchange(U, 1, -5) end)),
    d(r(fun() -> atomics:compare_exchange(U, 1, -1, 7) end)),
    d(r(fun() -> atomics:compare_exchange(U, 1, 0, ?M64) end)),
    d(r(fun() -> atomics:sub(U, 1, ?M64) end)).

atomics_bad() ->
    A = atomics:new(3, []),
    Bad = [fun() -> atomics:put(A, 1, ?M63) end,
           fun() -> atomics:put(A, 1, -(?M63) - 1) end,
           fun() -> atomics:put(A, 1, 1.0) end,
           fun() -> atomics:put(A, 1, a) end,
           fun() -> atomics:add(A, 1, ?M64) end,
           fun() -> atomics:add(A, 1, -(?M63) - 1) end,
           fun() -> atomics:add(A, 0, 1) end,
           fun() -> atomics:add(A, 4, 1) end,
           fun() -> atomics:add(A, -1, 1) end,
           fun() -> atomics:get(A, 4) end,
           fun() -> atomics:get(A, 1.0) end,
           fun() -> atomics:get(A, ?M64 + 1) end,
           fun() -> atomics:get(make_ref(), 1) end,
           fun() -> atomics:get(self(), 1) end,
           fun() -> atomics:info(make_ref()) end,
           fun() -> atomics:info({atomics, A}) end,
           fun() -> atomics:info(element(2, counters:new(1, [write_concurrency]))) end,
           fun() -> atomics:sub(A, 1, a) end,
           fun() -> atomics:sub_get(A, 9, 1) end,
           fun() -> atomics:new(0, []) end,
           fun() -> atomics:new(-1, []) end,
           fun() -> atomics:new(a, []) end,
           fun() -> atomics:new(1 bsl 61, []) end,
           fun() -> atomics:new(1 bsl 64, []) end,
           fun() -> atomics:new(1, [{signed, maybe}]) end,
           fun() -> atomics:new(1, [x]) end,
           fun() -> atomics:new(1, x) end,
           fun() -> erts_internal:atomics_new(0, 1) end,
           fun() -> erts_internal:atomics_new(1, -1) end,
           fun() -> erts_internal:atomics_new(1, a) end,
           fun() -> erts_internal:atomics_new(1, 1 bsl 70) end,
           fun() -> erts_internal:atomics_new(1 bsl 70, 1) end],
    [d(r(F)) || F <- Bad],
    %% any option word: bit 0 is signedness
    d(atomics:info(erts_internal:atomics_new(1, 2))),
    d(atomics:info(erts_internal:atomics_new(1, 3))).

counters_ops() ->
    [counters_ops(Opts) || Opts <- [[], [atomics], [write_concurrency]]],
    d(counters:info(counters:new(10, []))),
    d(maps:get(size, counters:info(counters:new(10, [write_concurrency])))).

counters_ops(Opts) ->
    C = counters:new(4, Opts),
    d(counters:get(C, 1)),
    d(counters:add(C, 1, 10)),
    d(counters:sub(C, 1, 3)),
    d(counters:get(C, 1)),
    d(counters:put(C, 1, -100)),
    d(counters:get(C, 1)),
    d(counters:add(C, 1, 50)),
    d(counters:get(C, 1)),
    d(counters:put(C, 2, ?M63 - 1)),
    d(counters:add(C, 2, 1)),
    d(counters:get(C, 2)),                           % wrapped
    d(counters:add(C, 3, ?M64 - 1)),                 % -1 as a bit pattern
    d(counters:get(C, 3)),
    [counters:add(C, 4, I) || I <- lists:seq(1, 100)],
    d(counters:get(C, 4)),
    d([r(fun() -> counters:put(C, 1, V) end) || V <- [?M63, ?M64 - 1, -(?M63) - 1, 1.5]]),
    d([r(fun() -> counters:add(C, 1, V) end) || V <- [?M64, -(?M63) - 1, a]]),
    d([r(fun() -> counters:get(C, I) end) || I <- [0, 5, -1, a, ?M64]]).

counters_bad() ->
    W = counters:new(2, [write_concurrency]),
    {write_concurrency, Ref} = W,
    Bad = [fun() -> counters:new(0, []) end,
           fun() -> counters:new(0, [write_concurrency]) end,
           fun() -> counters:new(a, []) end,
           fun() -> counters:new(1, [x]) end,
           fun() -> counters:new(1, [atomics, write_concurrency]) end,
           fun() -> counters:new(1 bsl 60, [write_concurrency]) end,
           fun() -> counters:get(x, 1) end,
           fun() -> counters:info({write_concurrency, make_ref()}) end,
           fun() -> erts_internal:counters_new(0) end,
           fun() -> erts_internal:counters_new(-1) end,
           fun() -> erts_internal:counters_new(a) end,
           fun() -> erts_internal:counters_new(1 bsl 70) end,
           fun() -> erts_internal:counters_get(Ref, 3) end,
           fun() -> erts_internal:counters_get(make_ref(), 1) end,
           fun() -> erts_internal:counters_add(Ref, 0, 1) end,
           fun() -> erts_internal:counters_put(Ref, 1, ?M63) end,
           fun() -> erts_internal:counters_info(atomics:new(1, [])) end,
           fun() -> erts_internal:counters_info(Ref) =:= counters:info(W) end],
    [d(r(F)) || F <- Bad].

os_bifs() ->
    Env = os:env(),
    d(is_list(Env)),
    d(lists:all(fun({K, V}) -> is_list(K) andalso is_list(V) andalso K =/= [];
                   (_) -> false end, Env)),
    d(length(Env) =:= length(os:getenv())),
    true = os:putenv("TBEAM_BOOT_BIFS", "a=b=c"),
    d(lists:keyfind("TBEAM_BOOT_BIFS", 1, os:env())),
    true = os:putenv("TBEAM_BOOT_BIFS", ""),
    d(lists:keyfind("TBEAM_BOOT_BIFS", 1, os:env())),
    true = os:putenv("TBEAM_BOOT_BIFS", [16#e4, 16#20ac]),
    d(lists:keyfind("TBEAM_BOOT_BIFS", 1, os:env())),
    true = os:unsetenv("TBEAM_BOOT_BIFS"),
    d(lists:keyfind("TBEAM_BOOT_BIFS", 1, os:env())),
    P1 = os:perf_counter(),
    P2 = os:perf_counter(),
    d({is_integer(P1), P2 >= P1}),
    d(erts_internal:perf_counter_unit()),
    d(abs(os:system_time(second) - erlang:system_time(second)) =< 2),
    d(abs(os:system_time(millisecond) div 1000 - erlang:system_time(second)) =< 2),
    d(abs(os:system_time(1000) div 1000 - erlang:system_time(second)) =< 2),
    d(abs(os:system_time(seconds) - erlang:system_time(second)) =< 2),
    d(abs(os:system_time(1 bsl 70) div (1 bsl 70) - erlang:system_time(second)) =< 2),
    d([is_integer(os:system_time(U)) || U <- [native, perf_counter, nanosecond, microsecond,
                                               milli_seconds, micro_seconds, nano_seconds, 7]]),
    d([r(fun() -> os:system_time(U) end) || U <- [foo, 0, -1, 1.0, -(1 bsl 70), "second"]]).

file_names() ->
    Enc = file:native_name_encoding(),
    d(lists:member(Enc, [utf8, latin1])),
    N2N = fun(N) -> r(fun() -> prim_file:internal_name2native(N) end) end,
    Common = ["abc", <<"abc">>, "", <<>>, ["a", "b"], [["a"], [], "bc"], [$a, [$b, [$c]]],
              <<255>>, <<"a/b">>, binary:part(<<"xabcx">>, 1, 3), <<1:1>>,
              [97 | <<"bc">>], ["a", ["b" | <<"c">>]], [$a, <<"b">>], [$a | $b], ["a" | b],
              <<"a", 0>>, <<"a", 0, "b">>, [$a, 0], abc, [abc], 1, [-1], [1.0], [<<1:1>>]],
    d([N2N(N) || N <- Common]),
    Uni = [[1024, 255, $a], [16#10FFFF], [16#E000], [16#D800], [16#DFFF, 16#E000], [16#110000], [255]],
    case Enc of
        utf8 -> d([N2N(N) || N <- Uni]);
        latin1 -> d([N2N(N) || N <- Uni])
    end,
    N2L = fun(B) -> r(fun() -> prim_file:internal_native2name(B) end) end,
    Raw = [<<"abc">>, <<>>, <<"h", 195, 164, "j">>, <<240, 159, 152, 128>>, <<244, 143, 191, 191>>,
           <<"a", 0, "b">>, binary:part(<<"xabcx">>, 1, 3),
           <<255, "x">>, <<195>>, <<192, 128>>, <<237, 160, 128>>, <<244, 144, 128, 128>>],
    d([N2L(B) || B <- Raw]),
    d([N2L(B) || B <- ["abc", abc, <<1:1>>, <<"ab", 1:3>>, 1]]),
    IT = fun(B) -> r(fun() -> prim_file:is_translatable(B) end) end,
    d([IT(B) || B <- Raw]),
    d([IT(B) || B <- ["abc", abc, <<1:1>>, <<"ab", 1:3>>]]),
    %% a UTF-8 name survives the round trip
    Name = [$h, 16#e4, $j, 16#20ac, 16#1F600],
    case Enc of
        utf8 ->
            Native = prim_file:internal_name2native(Name),
            d(Native),
            d(prim_file:internal_native2name(binary:part(Native, 0, byte_size(Native) - 1)) =:= Name);
        latin1 ->
            d(N2N(Name))
    end.

persistent() ->
    persistent_term:put({?MODULE, a}, 1),
    persistent_term:put({?MODULE, b}, <<"two">>),
    d(persistent_term:get({?MODULE, a})),
    d(erts_internal:erase_persistent_terms()),
    d(persistent_term:get()),
    d(persistent_term:get({?MODULE, a}, gone)),
    d(maps:get(count, persistent_term:info())),
    d(erts_internal:erase_persistent_terms()),
    persistent_term:put({?MODULE, c}, 3),
    d(persistent_term:get()).
