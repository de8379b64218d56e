%% Full mode (OTP booted): io:format's control sequences and io_lib,
%% printed through the group leader (user, the fd driver on stdout).
-module(full_io).
-export([main/0]).

main() ->
    io:format("plain text~n"),
    io:format("~p ~w ~s ~c ~e ~f ~g~n", [{a, "str", <<"bin">>, 1.5}, [1, 2], "hello", $x, 3.14, 2.5, 1.0e10]),
    io:format("~10.3f|~-10s|~10s|~.2e~n", [3.14159, "left", "right", 12345.678]),
    io:format("~B ~.16B ~.2B ~b ~X ~#x~n", [255, 255, 5, -7, 255, "0x", 255]),
    io:format("~p~n", [lists:seq(1, 30)]),
    io:format("~P~n", [lists:seq(1, 30), 5]),
    io:format("~W~n", [{deep, [nested, {tuple, "list"}]}, 3]),
    io:format("~ts ~tp~n", [<<"ünïcödé"/utf8>>, [<<"日本"/utf8>>]]),
    io:format("~i~s~n", [ignored, "after ignore"]),
    io:format("~*.*f|~-*s|~n", [10, 2, 1.23456, 6, "ab"]),
    io:format("~~ tilde and ~n newline~n", []),
    io:format("~p~n", [#{a => 1, b => [x, y], "k" => {1, 2}}]),
    io:format("~p~n", [[{K, V} || K <- [a, b, c], V <- [1, 2]]]),
    io:put_chars(["iolist ", <<"chars">>, $\n]),
    io:write({write, term}), io:nl(),
    io:fwrite("~s~n", [io_lib:format("~5..0w", [42])]),
    io:format("~s~n", [lists:flatten(io_lib:format("~p", [{1.0, -0.0, 1.0e-300, 123456789012345678901234567890}]))]),
    io:format("~p~n", [element(1, element(2, catch io:format(id("~d~n"), [not_an_int])))]),
    ok.

id(X) -> X.
