%% Differential test for bif_misc / bif_calendar / bif_convert / bif_system.
-module(seq_misc).
-export([main/0]).

r(F) -> try F() catch C:E -> {C, E} end.

main() ->
    D = [X rem 256 || X <- lists:seq(0, 999)],
    <<_:3, Sub:7/binary, _:5>> = <<"abcdefgh">>,
    erlang:display([erlang:crc32(D), erlang:crc32(Sub), erlang:crc32(<<"hello">>), erlang:crc32(123, [<<"he">>, $l, [$l | <<"o">>]]),
                    r(fun() -> erlang:crc32([256]) end), r(fun() -> erlang:crc32(1 bsl 32, []) end),
                    erlang:crc32_combine(erlang:crc32(<<"he">>), erlang:crc32(<<"llo">>), 3),
                    erlang:adler32(D), erlang:adler32(16#FFFFFFFF, [<<>>]), erlang:adler32(16#FFFFFFFF, []),
                    erlang:adler32_combine(1, 2, 0), erlang:adler32_combine(16#FFFFFFFF, 16#FFFFFFFF, 1 bsl 31)]),
    erlang:display([erlang:md5(D), erlang:md5(Sub), erlang:md5_final(erlang:md5_update(erlang:md5_init(), D)),
                    binary:part(erlang:md5_update(erlang:md5_init(), <<"hello">>), 0, 29),
                    erlang:md5_final(<<0:88/unit:8>>), r(fun() -> erlang:md5_final(<<0:87/unit:8>>) end)]),
    erlang:display([erlang:delete_element(2, {a, b, c}), erlang:insert_element(3, {a, b}, x), r(fun() -> erlang:insert_element(4, {a, b}, x) end),
                    r(fun() -> erlang:delete_element(0, {a}) end)]),
    erlang:display([erlang:unique_integer([monotonic]) < erlang:unique_integer([monotonic]), erlang:unique_integer([positive]) > 0,
                    r(fun() -> erlang:unique_integer([foo]) end), erlang:bump_reductions(10), erlang:yield(),
                    erlang:subtract([1, 2, 3, 1], [1])]),
    put(k1, 1), put(k2, 1.0), put(k3, 1),
    erlang:display([lists:sort(get_keys(1)), get_keys(1.0), get_keys(x)]),
    erlang:display([erlang:posixtime_to_universaltime(X) || X <- [0, -1, 1 bsl 35, -62167219200, 1 bsl 59, 1 bsl 60, 253402300800]]),
    erlang:display([erlang:universaltime_to_posixtime({{2020, 1, 1}, {0, 0, 0}}), r(fun() -> erlang:universaltime_to_posixtime({{1, 1, 1}, {0, 0, 0}}) end),
                    r(fun() -> erlang:localtime_to_universaltime({{2020, 2, 30}, {0, 0, 0}}, false) end),
                    r(fun() -> erlang:universaltime_to_localtime({{1901, 1, 1}, {0, 0, 0}}) end),
                    r(fun() -> erlang:posixtime_to_universaltime(1 bsl 64) end)]),
    {Mega, Sec, Micro} = erlang:timestamp(),
    erlang:display([is_integer(Mega), Sec < 1000000, Micro < 1000000, now_increases(),
                    is_integer(erlang:time_offset()), is_integer(erlang:time_offset(1 bsl 70)), r(fun() -> erlang:time_offset(0) end),
                    tuple_size(erlang:date()), tuple_size(erlang:time()), tuple_size(erlang:localtime())]),
    erlang:display([pid_to_list(list_to_pid("<0.77.3>")), r(fun() -> list_to_pid("<0.32768.0>") end), list_to_pid("<00.01.02>"),
                    port_to_list(list_to_port("#Port<0.05>")), r(fun() -> list_to_port("#Port<1.5>") end),
                    ref_to_list(list_to_ref("#Ref<0.1.0.3>")), r(fun() -> list_to_ref("#Ref<0.1.2>") end),
                    erlang:fun_to_list(fun lists:map/2), erlang:fun_info_mfa(fun lists:map/2), erlang:fun_to_list(fun erlang:'+'/2)]),
    F = fun(X) -> X end,
    {module, M} = erlang:fun_info(F, module), {name, N} = erlang:fun_info(F, name),
    erlang:display([erlang:fun_info_mfa(F) =:= {M, N, 1}, lists:prefix("#Fun<seq_misc.", erlang:fun_to_list(F))]),
    erlang:display([erlang:system_info(I) || I <- [otp_release, version, wordsize, {wordsize, internal}, machine, process_limit, atom_limit,
                                                  endian, creation, heap_type, min_heap_size, fullsweep_after, garbage_collection, max_heap_size,
                                                  compat_rel, driver_version, nif_version, time_warp_mode, thread_pool_size, smp_support, build_type, emu_type]]),
    erlang:display([length(erlang:system_info(heap_sizes)), lists:last(erlang:system_info(heap_sizes)), erlang:system_info(os_type),
                    r(fun() -> erlang:system_info(foo) end), r(fun() -> erlang:system_info({wordsize, foo}) end)]),
    erlang:display(erlang:pre_loaded()),
    erlang:display([lists:member(seq_misc, erlang:loaded()), lists:member(lists, erlang:loaded())]),
    erlang:display([erlang:system_flag(backtrace_depth, 10), erlang:system_flag(backtrace_depth, 8), r(fun() -> erlang:system_flag(foo, 1) end),
                    erlang:system_flag(fullsweep_after, 65535), r(fun() -> erlang:statistics(foo) end), tuple_size(erlang:statistics(runtime)),
                    tuple_size(erlang:statistics(wall_clock)), tuple_size(erlang:statistics(reductions))]),
    _ = process_flag(trap_exit, false),   % erl's -eval process starts trapping exits; bare mode's does not
    erlang:display([process_flag(trap_exit, true), process_flag(trap_exit, false), process_flag(priority, high), process_flag(priority, normal),
                    process_flag(error_handler, foo), process_flag(error_handler, error_handler), process_flag(save_calls, 5), process_flag(save_calls, 0),
                    process_flag(sensitive, true), process_flag(sensitive, false), r(fun() -> process_flag(foo, 1) end)]),
    erlang:display([is_process_alive(self()), r(fun() -> is_process_alive(foo) end), is_pid(group_leader())]),
    ok.

-compile({nowarn_deprecated_function, [{erlang, now, 0}]}).
now_increases() -> erlang:now() < erlang:now().
