%% Pure stdlib code running on tbeam: formatting, sorting, sets, dicts,
%% queues, strings.  (Printing atoms with ~p/~w and erl_scan ask the `init`
%% process for feature flags, so they wait for the boot milestone.)
-module(stdlib_pure).
-export([main/0]).

main() ->
    p(io_lib:format("~p ~w ~s ~b ~.2f ~e~n", [{1, "str", [1, 2]}, {2.5, <<"b">>}, "text", 42, 3.14159, 1.5])),
    p(io_lib:format("~10.3f|~-8s|~8s|~c~n", [2.5, "left", "right", $x])),
    p(io_lib:format("~p~n", [lists:seq(1, 30)])),
    p(io_lib:format("~tp~n", [#{1 => [2, {3, <<"bin">>}], "k" => 1.5}])),
    p(io_lib:format("~8.16.0B ~.8b~n", [255, 8])),
    erlang:display(lists:usort([5, 3, 5, 1, 3])),
    erlang:display(lists:keysort(2, [{a, 3}, {b, 1}, {c, 2}])),
    erlang:display(sets:to_list(sets:from_list([c, a, b, a]))),
    erlang:display(orddict:to_list(orddict:from_list([{b, 2}, {a, 1}]))),
    erlang:display(gb_trees:to_list(gb_trees:from_orddict([{1, a}, {2, b}]))),
    Q = queue:in(3, queue:in(2, queue:in(1, queue:new()))),
    erlang:display(queue:to_list(Q)),
    erlang:display(string:split("a,b,c", ",", all)),
    erlang:display(string:trim("  padded  ")),
    erlang:display(lists:flatten(io_lib:format("~s", [["nested", [" io", "list"]]]))),
    erlang:display(proplists:get_value(b, [{a, 1}, {b, 2}])),
    erlang:display(lists:zip([1, 2, 3], [a, b, c])),
    erlang:display(lists:partition(fun(X) -> X rem 2 =:= 0 end, lists:seq(1, 10))),
    ok.

%% display (stdout), not display_string (stderr), so the harness compares it
p(IoList) -> erlang:display(lists:flatten(IoList)).
