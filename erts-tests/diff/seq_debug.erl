%% Differential test for bif_debug / bif_packet: erts_internal:cmp_term,
%% term_type, time units, erts_debug sizes, and erlang:decode_packet/3.
-module(seq_debug).
-export([main/0]).

r(F) -> try F() catch C:E -> {C, E} end.
id(X) -> X.

dp(T, B) -> dp(T, B, []).
dp(T, B, O) -> r(fun() -> erlang:decode_packet(T, B, O) end).

main() ->
    debug(),
    packets(),
    http(),
    ok.

debug() ->
    Ns = [1, 1.0, -1, 0.5, 1 bsl 70, a, b, "a", [], {}, {1}, #{}, #{1 => a}, #{1.0 => a}, <<>>, <<1:3>>, self(), make_ref()],
    erlang:display([erts_internal:cmp_term(A, B) || A <- Ns, B <- Ns]),
    erlang:display([erts_internal:cmp_term(1, 1.0), erts_internal:cmp_term(1.0, 1), erts_internal:cmp_term(2, 1.0),
                    erts_internal:cmp_term({1, 2.0}, {1, 2}), erts_internal:cmp_term([1 | 2], [1 | 2])]),
    H = list_to_binary([1, 2, 3]),
    B = list_to_binary(lists:seq(1, 100)),
    <<_:1, S5:13/bitstring, _/bitstring>> = id(B),
    X = id(7), Y = id(8),
    Ts = [1, 1 bsl 64, -(1 bsl 200), 1.5, id(2.5), a, [1], [], {a, b}, #{}, #{a => 1}, id(#{k => X}),
          maps:from_list([{I, I} || I <- lists:seq(1, 40)]), B, H, S5, self(), make_ref(),
          fun() -> X end, fun() -> {X, Y} end, fun lists:map/2],
    erlang:display([erts_internal:term_type(T) || T <- Ts]),
    erlang:display([erts_internal:time_unit(), erts_internal:perf_counter_unit()]),
    erlang:display([erts_debug:flat_size(T) || T <- Ts]),
    erlang:display([erts_debug:flat_size(T) || T <- [{1, 2, [3]}, "abc", [1.0, 2.0 | 3.0], {id(1.0)}, id({[a], <<"xy">>})]]),
    L = id([1, 2, 3]), Tu = {L, L, L},
    erlang:display([erts_debug:flat_size(Tu), erts_debug:size_shared(Tu), erts_debug:flat_size({[1, 2, 3], [1, 2, 3]}),
                    erts_debug:size_shared([Tu, Tu]), erts_debug:size_shared({id(1.5), B, S5, fun() -> Tu end})]),
    erlang:display([erts_debug:size_shared(T) || T <- [1, a, [], {a}, "abc"]]),
    erlang:display([erts_debug:same(L, L), erts_debug:same(L, Tu), erts_debug:same(1, 1), erts_debug:same(a, b),
                    erts_debug:same(Tu, element(1, {Tu}))]),
    erlang:display([r(fun() -> erts_debug:copy_shared(Tu, x) end), erts_debug:copy_shared(Tu, true), erts_debug:copy_shared(L, false)]),
    erlang:display(erts_debug:display({a, L, <<"b">>})),
    ok.

packets() ->
    erlang:display([dp(raw, <<>>), dp(raw, <<"abc">>), dp(0, <<"abc">>), dp(raw, <<"abc">>, [{packet_size, 2}]),
                    dp(1, <<>>), dp(1, <<3, "ab">>), dp(1, <<3, "abcd">>), dp(1, <<0>>), dp(1, <<200, 1>>, [{packet_size, 100}]),
                    dp(2, <<0>>), dp(2, <<0, 2, "abc">>), dp(2, <<1, 0, "x">>), dp(4, <<0, 0, 0, 1, "xy">>), dp(4, <<0, 0, 1>>),
                    dp(4, <<255, 255, 255, 255>>), dp(4, <<0, 0, 0, 5, "abc">>, [{packet_size, 4}]),
                    dp(sunrm, <<128, 0, 0, 2, "abc">>), dp(sunrm, <<0, 0, 0, 2>>)]),
    erlang:display([dp(line, <<"abc\ndef">>), dp(line, <<"abc">>), dp(line, <<"\n">>), dp(line, <<"abcdef">>, [{line_length, 3}]),
                    dp(line, <<"abcdef\n">>, [{line_length, 3}]), dp(line, <<"ab\ncdef">>, [{line_length, 3}]),
                    dp(line, <<"abcdef">>, [{packet_size, 3}]), dp(line, <<"abcdef">>, [{packet_size, 6}]),
                    dp(line, <<"abc\n">>, [{packet_size, 3}]), dp(line, <<"a,b,c">>, [{line_delimiter, $,}]),
                    dp(line, <<"abc">>, [{line_delimiter, $b}]), dp(2, <<"abc">>, [{line_delimiter, $b}]),
                    dp(line, <<"abc">>, [{line_delimiter, 256}]), dp(line, <<"a\nb">>, [{line_length, 0}, {packet_size, 0}])]),
    erlang:display([dp(asn1, <<>>), dp(asn1, <<48>>), dp(asn1, <<48, 2, 1, 2, 3>>), dp(asn1, <<48, 3, 1, 2>>),
                    dp(asn1, <<48, 16#81, 2, 1, 2, 9>>), dp(asn1, <<48, 16#82, 0, 2, 1, 2>>), dp(asn1, <<48, 16#82, 0>>),
                    dp(asn1, <<48, 16#85, 0, 0, 0, 0, 0>>), dp(asn1, <<48, 16#80, 1>>), dp(asn1, <<16#1f, 16#81, 16#01, 1, 7, 8>>),
                    dp(asn1, <<16#1f, 16#81>>), dp(asn1, <<16#1f, 16#81, 16#81>>), dp(asn1, <<48, 16#84, 0, 0, 0, 1, 5>>),
                    dp(asn1, <<48, 16#83, 0, 0, 1, 5>>), dp(asn1, <<48, 16#81, 200>>, [{packet_size, 100}])]),
    Giop = <<"GIOP", 1, 2, 0, 0, 0, 0, 0, 3, "abcd">>,
    GiopL = <<"GIOP", 1, 2, 1, 0, 3, 0, 0, 0, "abc">>,
    erlang:display([dp(cdr, Giop), dp(cdr, GiopL), dp(cdr, <<"GIOP", 1>>), dp(cdr, <<"GIOX", 1, 2, 0, 0, 0, 0, 0, 3, "abc">>),
                    dp(cdr, <<"GIOP", 1, 2, 0, 0, 0, 0, 0, 9, "abc">>)]),
    erlang:display([dp(fcgi, <<1, 1, 0, 1, 0, 3, 2, 0, "abcxyz">>), dp(fcgi, <<1, 1, 0, 1, 0, 3, 2, 0, "ab">>),
                    dp(fcgi, <<2, 1, 0, 1, 0, 3, 2, 0, "abcxyz">>), dp(fcgi, <<1, 1, 0>>), dp(fcgi, <<1, 1, 0, 1, 0, 0, 0, 0>>)]),
    erlang:display([dp(tpkt, <<3, 0, 0, 7, "abc!">>), dp(tpkt, <<3, 0, 0, 9, "abc">>), dp(tpkt, <<4, 0, 0, 7, "abc">>),
                    dp(tpkt, <<3, 0>>), dp(tpkt, <<3, 0, 0, 2>>), dp(tpkt, <<3, 0, 0, 4>>)]),
    erlang:display([dp(ssl_tls, <<22, 3, 1, 0, 1, 9, 8>>), dp(ssl_tls, <<22, 3, 1, 0, 4, 9>>), dp(ssl_tls, <<128, 5, 1, 3, 1, 7, 8>>)]),
    <<_:4, Odd:4/binary, _:4>> = id(<<1, 2, 3, 4, 5>>),
    erlang:display([dp(raw, Odd), dp(1, Odd), dp(raw, <<1, 2, 3, 1:1>>), dp(raw, <<1:1>>), dp(raw, Odd, [])]),
    erlang:display([dp(foo, <<>>), dp(3, <<>>), dp(raw, abc), dp(raw, <<>>, [foo]), dp(raw, <<>>, x), dp(raw, <<>>, [{packet_size, -1}]),
                    dp(raw, <<>>, [{packet_size, 1 bsl 32}]), dp(raw, <<>>, [{packet_size, 1 bsl 32 - 1}]), dp(raw, <<>>, [{line_length, a}]),
                    dp(raw, <<>>, [{other, 1}]), dp(raw, <<>>, [{packet_size, 1, 2}])]),
    ok.

http() ->
    Reqs = [<<"GET /foo HTTP/1.1\r\nrest">>, <<"POST * HTTP/1.0\r\n">>, <<"OPTIONS http://host:8080/p?q HTTP/1.1\r\n">>,
            <<"PUT https://Host.x HTTP/1.1\n">>, <<"DELETE http://host: HTTP/1.1\r\n">>, <<"TRACE http://host:12x/a HTTP/1.1\r\n">>,
            <<"HEAD ftp:stuff HTTP/1.1\r\n">>, <<"FOO relative HTTP/1.1\r\n">>, <<"get /x HTTP/1.1\r\n">>, <<"GET /x\r\n">>,
            <<"GET /x HTTP/1\r\n">>, <<"GET /x HTTP/a.1\r\n">>, <<"GET /x HTTX/1.1\r\n">>, <<"GET  /x   HTTP/12.34   \r\n">>,
            <<"GET /x HTTP/1.1junk\r\n">>, <<"GET http://[::1]:80/x HTTP/1.1\r\n">>, <<"GET http://h:0/ HTTP/1.1\r\n">>,
            <<"HTTP/1.0 200 OK\r\n">>, <<"HTTP/1.1 404\r\n">>, <<"HTTP/1.1 404 \r\n">>, <<"HTTP/1.1  301 Moved  Perm\r\n">>,
            <<"HTTP/1.1 20x Bad\r\n">>, <<"HTTP/1.x 200 OK\r\n">>, <<"HTTP/11 200 OK\r\n">>, <<"HTTP/1.1\r\n">>,
            <<"garbage\r\n">>, <<"\r\n">>, <<"\n">>, <<"GET /x HTTP/1.1">>, <<"GET /x HTTP/1.1\r">>, <<"GE">>, <<>>,
            <<"GET\t/\tHTTP/1.0\n">>, <<"G(T / HTTP/1.0\n">>, <<" GET / HTTP/1.0\n">>, <<"GET / HTTP/1.0\r\n foo\r\n">>],
    erlang:display([dp(T, R) || T <- [http, http_bin], R <- Reqs]),
    Hdrs = [<<"content-type: text/html\r\n\r\n">>, <<"X-my-hdr:  v\r\n\r\n">>, <<"\r\nxx">>, <<"\nxx">>, <<"Host:x\r\n">>,
            <<"HOST: a.b\r\n">>, <<"www-authenticate: x\r\n">>, <<"set-cookie2: x\r\n">>, <<"content-md5: x\r\n">>,
            <<"etag: \"x\"\r\n">>, <<"x-forwarded-for: 1\r\n">>, <<"Keep-Alive: 1\r\n">>, <<"Proxy-Connection: 1\r\n">>,
            <<"Folded: a\r\n b\r\n\tc\r\nNext: 1\r\n">>, <<"Folded: a\r\n b\r\n">>, <<"Folded: a\r\n b">>, <<"NoColon\r\n">>,
            <<"Bad Name: x\r\n">>, <<": x\r\n">>, <<"Name:\r\n">>, <<"Name:   \r\n">>,
            <<"A-very-long-header-name-that-goes-on-and-on-and-on-for-ever-and-ever: v\r\n">>,
            <<"Exactly-fifty-chars-long-header-name-abcdefghijklm: v\r\n">>, <<"x--y-Z: v\r\n">>, <<"1abc: v\r\n">>,
            <<"HTTP/1.1 200 OK\r\n">>, <<"cache-control: no\r\n">>, <<"accept-charset: x\r\n">>, <<"if-modified-since: x\r\n">>,
            <<"user-agent: x\r\n">>, <<"content-length: 5\r\n">>, <<"abc">>, <<"Name: x\r">>],
    erlang:display([dp(T, R) || T <- [httph, httph_bin], R <- Hdrs]),
    %% a following byte ends each line (else ERTS waits for a possible folded continuation)
    erlang:display([dp(T, <<R/binary, "Z">>) || T <- [httph, httph_bin], R <- Hdrs]),
    erlang:display([dp(T, <<R/binary, " Z\r\nW">>) || T <- [httph_bin], R <- Hdrs]),
    erlang:display([dp(http, <<"GET /abcdef HTTP/1.1\r\n">>, [{packet_size, 10}]), dp(http, <<"GET /abcdef HTTP/1.1\r\n">>, [{line_length, 10}]),
                    dp(http, <<"GET /abcdef">>, [{packet_size, 10}]), dp(http, <<"GET /abc">>, [{packet_size, 10}]),
                    dp(httph, <<"A: b\r\n c\r\n">>, [{packet_size, 8}]), dp(httph, <<"A: b\r\n c">>, [{packet_size, 8}]),
                    dp(httph, <<"A: b\r\n c\r\nD">>, [{packet_size, 20}]), dp(http, <<"GET / HTTP/1.1\r\n">>, [{packet_size, 16}]),
                    dp(http, <<"GET / HTTP/1.1\r\n">>, [{packet_size, 15}])]),
    ok.
