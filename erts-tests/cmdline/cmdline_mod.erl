-module(cmdline_mod).
-export([hello/0, hello/1]).
hello() -> io:format("hello from -s~n").
hello(Args) -> io:format("hello from -run ~p~n", [Args]).
