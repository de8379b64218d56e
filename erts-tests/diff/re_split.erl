%% Differential test for re's global matching, re:split/2,3 and
%% re:replace/3,4 (Erlang code in re.erl over the BIFs of stdlib-c/re.c:
%% the BIFs hand global runs to re:grun/3 and Unicode lists to re:urun/3,
%% which loop over re:internal_run/4).
-module(re_split).
-export([main/0]).

r(F) -> try F() catch C:E -> {C, E} end.

main() ->
    global(),
    split(),
    replace(),
    unicode(),
    precompiled(),
    ok.

global() ->
    Subjects = ["abab", <<"a1b22c333">>, "", "xxx", ["ab", <<"ab">>], "a\r\nb\nc", "aaa"],
    Pats = ["a", "x*", "\\d+", "(a)(b)?", "(?<n>\\d)(\\d)?", "", "^", "$", "(?m)^", "\\b", "b|", "a*?"],
    Caps = [[], [{capture, all, list}], [{capture, all, binary}], [{capture, first}], [{capture, none}],
            [{capture, all_but_first, list}], [{capture, [n, 1], binary}], [{capture, all_names, index}],
            [notempty], [notempty_atstart], [{offset, 1}], [anchored], [notbol], [noteol]],
    [erlang:display({S, P, C, r(fun() -> re:run(S, P, [global | C]) end)}) || S <- Subjects, P <- Pats, C <- Caps],
    %% empty matches and newlines: CRLF patterns step over \r\n as one
    [erlang:display({N, r(fun() -> re:run("a\r\nb\r\n", "", [global, {newline, N}]) end)}) || N <- [lf, crlf, any, anycrlf, cr]],
    erlang:display(re:run("a\r\nb", "x*", [global, {newline, crlf}])),
    {ok, MP} = re:compile("", [{newline, crlf}]),
    erlang:display(re:run("a\r\nb", MP, [global])),
    %% errors through the global path
    erlang:display([r(fun() -> re:run("abc", "b", [global | O]) end)
                    || O <- [[{capture, all, foo}], [{capture, foo}], [{capture, [foo], list}], [report_errors, {match_limit, 10}],
                             [{offset, 3}], [{offset, 4}], [report_errors]]]),
    erlang:display([r(fun() -> re:run("abc", "(b", [global | O]) end) || O <- [[], [report_errors]]]).

split() ->
    Subjects = ["a,b,,c,", <<"one  two three">>, "", ",", "abc", "1a22b333", ["x", <<"-y">>, $-, "z"]],
    Pats = [",", "\\s+", "", "(,)", "(x)?,", "-", "\\d", "(\\d)(\\d)?", "a|b", "$"],
    Opts = [[], [trim], [{parts, 2}], [{parts, 0}], [{parts, infinity}], [group], [{return, list}],
            [{return, binary}], [group, trim, {return, list}], [{parts, 3}, group], [notempty], [{offset, 2}]],
    [erlang:display({S, P, O, r(fun() -> re:split(S, P, O) end)}) || S <- Subjects, P <- Pats, O <- Opts],
    erlang:display([r(fun() -> re:split("a,b", ",", O) end)
                    || O <- [[global], [{capture, all}], [{return, foo}], [{parts, -1}], [foo], [caseless, {return, list}]]]),
    erlang:display(r(fun() -> re:split("a,b", "(", []) end)),
    erlang:display(re:split("a,b", ",")).

replace() ->
    Subjects = ["abcabc", <<"hello world">>, "", "aaa", ["x", <<"yz">>]],
    Pats = ["b", "(a)(b)", "o", "", "a*", "(?<w>\\w+)", "x|(z)"],
    Repls = ["X", "[&]", "\\1", "<\\2\\1>", "\\0\\0", "\\\\", "\\9", "", <<"b">>, ["a", <<"b">>]],
    Opts = [[], [global], [{return, list}], [{return, binary}, global], [caseless, global, {return, list}],
            [notempty, global, {return, binary}], [{offset, 2}, global, {return, list}]],
    [erlang:display({S, P, R, O, r(fun() -> re:replace(S, P, R, O) end)}) || S <- Subjects, P <- Pats, R <- Repls, O <- Opts],
    erlang:display([r(fun() -> re:replace("abc", "b", "x", O) end)
                    || O <- [[{capture, all}], [{return, foo}], [foo], [{capture, all, list}]]]),
    erlang:display(re:replace("abc", "b", "x")).

unicode() ->
    Subjects = ["åäö åäö", <<"åäö åäö"/utf8>>, [16#3b1, $\s, 16#3b2, 16#3b3], ["é", <<"té"/utf8>>, 16#20ac]],
    Pats = [".", "\\s", "(\\w)(\\w)?", "", "ä|β", [16#3b2]],
    [erlang:display({S, P, T, r(fun() -> re:run(S, P, [unicode, global, {capture, all, T}]) end)})
     || S <- Subjects, P <- Pats, T <- [index, list, binary]],
    [erlang:display({S, P, O, r(fun() -> re:split(S, P, [unicode | O]) end)})
     || S <- Subjects, P <- Pats, O <- [[], [{return, list}], [{return, binary}, trim], [group, {return, list}]]],
    [erlang:display({S, P, O, r(fun() -> re:replace(S, P, "<&>", [unicode | O]) end)})
     || S <- Subjects, P <- Pats, O <- [[global], []]],
    erlang:display(r(fun() -> re:run(<<255>>, ".", [unicode, global]) end)),
    erlang:display(r(fun() -> re:split(<<255>>, ",", [unicode]) end)),
    erlang:display(r(fun() -> re:run([16#d800], ".", [unicode, global]) end)),
    %% list captures of Unicode data that is not valid UTF-8 in the result
    erlang:display(re:run(<<"aé"/utf8>>, "(*UTF).", [global, {capture, all, list}])).

precompiled() ->
    {ok, MP} = re:compile(",(\\s*)"),
    {ok, MPU} = re:compile("(.)", [unicode]),
    erlang:display(re:split("a, b,c,  d", MP)),
    erlang:display(re:split("a, b,c,  d", MP, [{return, list}, group])),
    erlang:display(re:replace("a, b,c", MP, "|\\1|", [global, {return, list}])),
    erlang:display(re:run("a, b,c", MP, [global, {capture, all_but_first, list}])),
    erlang:display(re:run("åβ", MPU, [global, {capture, all_but_first, list}])),
    erlang:display(re:split("åβ", MPU, [{return, list}])),
    erlang:display(re:replace("åβ", MPU, "[\\1]", [global, {return, list}])),
    erlang:display([r(fun() -> re:split("a,b", MP, O) end) || O <- [[unicode], [caseless], [{newline, crlf}], [anchored]]]),
    erlang:display([r(fun() -> re:replace("a,b", MP, "x", O) end) || O <- [[unicode], [dotall], [{newline, any}], [notempty]]]).
