%% unicode chardata with binary tails (improper lists ending in a binary),
%% and re:replace's unicode returns built on it.
-module(stdlib_chardata).
-export([main/0]).

main() ->
    erlang:display(unicode:characters_to_binary([<<"a">>|<<"b">>], unicode)),
    erlang:display(unicode:characters_to_list([$x, <<"y">>|<<"z">>], unicode)),
    erlang:display(unicode:characters_to_binary([[<<"a">>|<<"b">>]|<<"c">>])),
    erlang:display(unicode:characters_to_binary([$é|<<"ü"/utf8>>], unicode, latin1)),
    erlang:display(element(1, catch unicode:characters_to_binary([<<"a">>|c]))),
    erlang:display(re:replace("abcb", "b", "X", [unicode, global, {return, binary}])),
    erlang:display(re:replace("abcb", "b", "X", [unicode, {return, list}])),
    erlang:display(re:replace(<<"añb"/utf8>>, "ñ", "n", [unicode, {return, binary}])).
