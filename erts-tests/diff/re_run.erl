%% Differential test for the re BIFs (stdlib-c/re.c): re:run/2,3,
%% re:compile/1,2, re:inspect/2, re:version/0 — options, capture specs
%% and types, newline conventions, Unicode, ERTS's Latin-1 tables,
%% badarg cases, tampered patterns.  The compiled binary itself differs
%% from ERTS's (tbeam's own format), so compile results print without it.
-module(re_run).
-export([main/0]).

r(F) -> try F() catch C:E -> {C, E} end.

short({ok, {re_pattern, N, U, C, B}}) when is_binary(B) -> {ok, N, U, C};
short(X) -> X.

main() ->
    erlang:display(re:version()),
    basics(),
    options(),
    captures(),
    newlines(),
    unicode(),
    latin1(),
    errors(),
    patterns(),
    limits(),
    ok.

basics() ->
    Cases = [{"abc", "b"}, {"abc", "x"}, {"abc", ""}, {"", ""}, {"", "a*"}, {<<"abc">>, <<"c$">>},
             {["a", [<<"b">>, $c]], "bc"}, {"aaa", "a*?"}, {"abcabc", "(a)(b)(c)"}, {"a", "(a)|(b)"},
             {"b", "(a)|(b)"}, {"ab", "(a)(x)?(b)"}, {"xyz", <<"(?<first>x)(?<second>y)">>},
             {"a.b", "a\\.b"}, {"a+b", "\\Qa+b\\E"}, {"line1\nline2", "^line2$"}, {"foo bar", "\\bbar"},
             {"tab\there", "\\s"}, {"x1y22z333", "\\d+"}, {"ABC", "[a-z]+"}, {"a\0b", "a\0c"},
             {"a\0b", <<"\\0b">>}, {"8", "\\8"}, {"y", "\\y"}, {"R", "[\\R]"}, {"d-", "[\\d-z]+"}],
    [erlang:display({S, P, r(fun() -> re:run(S, P) end)}) || {S, P} <- Cases],
    {ok, MP} = re:compile("(\\d+)-(\\d+)"),
    erlang:display([re:run(S, MP) || S <- ["10-20", "x", <<"a 1-2 b">>, ["3", "-", <<"4">>]]]),
    erlang:display(short(re:compile("(a)(?<n>b)"))),
    erlang:display(short(re:compile(<<"x">>, []))),
    erlang:display(short(re:compile(["a", [<<"b">>]], [caseless]))),
    %% a pattern survives the external term format
    MP2 = binary_to_term(term_to_binary(MP)),
    erlang:display(re:run("7-8", MP2, [{capture, all_but_first, list}])),
    {ok, Names} = re:compile("(?<zed>a)(?<alpha>b)(c)(?<mid>d)"),
    erlang:display(re:inspect(Names, namelist)),
    erlang:display(re:run("abcd", Names, [{capture, all_names, list}])),
    erlang:display(re:inspect(MP, namelist)),
    {ok, Dup} = re:compile("(?<n>a)|(?<n>b)|(?<m>c)", [dupnames]),
    erlang:display(re:inspect(Dup, namelist)),
    erlang:display([re:run(S, Dup, [{capture, [n, m], list}]) || S <- ["a", "b", "c"]]),
    erlang:display([re:run(S, Dup, [{capture, all_names, index}]) || S <- ["a", "b", "c"]]).

options() ->
    S = "Line one\nline Two\r\nLINE three",
    Opts = [[], [caseless], [multiline], [caseless, multiline], [dotall], [extended], [ungreedy],
            [anchored], [firstline], [dollar_endonly], [no_auto_capture], [no_start_optimize],
            [notbol], [noteol], [notempty], [notempty_atstart], [{offset, 5}], [{offset, 0}],
            [multiline, {newline, crlf}], [multiline, {newline, cr}], [multiline, {newline, any}],
            [multiline, {newline, anycrlf}], [multiline, {newline, lf}], [bsr_anycrlf], [bsr_unicode],
            [ucp], [never_utf], [report_errors], [dupnames]],
    Pats = ["^line", "line$", "(?i)two", "e.l", "^.*$", "l i n e", "(L)(i)", "t.*?e", "\\R", "e\\z", "three$", ""],
    [erlang:display({P, O, r(fun() -> re:run(S, P, O) end)}) || P <- Pats, O <- Opts],
    %% compile options given to a precompiled pattern are badarg; run options work
    {ok, MP} = re:compile("^l", [multiline, caseless]),
    erlang:display([r(fun() -> re:run(S, MP, O) end) || O <- Opts]).

captures() ->
    S = <<"key=value; other=thing">>,
    P = "(?<k>\\w+)=(?<v>\\w+)(x)?",
    Specs = [all, first, all_but_first, none, all_names, [], [0], [1, 2], [3], [2, 1, 0, 5], [k, v],
             ["v"], [<<"k">>], [["k"]], [[$v | <<>>]], [k, 99], [(1 bsl 31) - 1], [nosuch], [<<"v", 0, "x">>],
             %% badarg
             [-1], [1 bsl 31], [1 bsl 70], [1.0], [{}], [[]], <<"k">>, x, [k | x], [[300]]],
    Types = [index, list, binary, foo],
    [erlang:display({V, T, r(fun() -> re:run(S, P, [{capture, V, T}]) end)}) || V <- Specs, T <- Types],
    [erlang:display({V, r(fun() -> re:run(S, P, [{capture, V}]) end)}) || V <- Specs],
    %% the last capture option wins
    erlang:display(re:run("abc", "b", [{capture, all, list}, {capture, all, binary}])),
    erlang:display(re:run("abc", "(b)", [{capture, [1], list}, {capture, all}])),
    %% list subjects give fresh binaries, binary subjects sub binaries: same values
    erlang:display(re:run(["ab", <<"cd">>], "(b)(c)", [{capture, all, binary}])),
    erlang:display(re:run("a", "(a)(b)?", [{capture, all, list}])),
    erlang:display(re:run("a", "(a)(b)?(c)?", [{capture, [3, 2, 1], binary}])).

newlines() ->
    S = "a\rb\nc\r\nd\x{85}e",
    NL = [cr, lf, crlf, anycrlf, any],
    [erlang:display({N, [r(fun() -> re:run(S, P, [multiline, {newline, N}, global]) end) || P <- ["^.", ".$", "\\N"]]})
     || N <- NL],
    erlang:display([r(fun() -> re:run(S, "\\R", [global, B]) end) || B <- [bsr_anycrlf, bsr_unicode]]),
    %% UseCRLF in the pattern tuple
    erlang:display([short(re:compile("a", [{newline, N}])) || N <- NL]),
    erlang:display([short(re:compile(P)) || P <- ["(*CRLF)a", "(*ANY)a", "(*CR)a", "(*ANYCRLF)a", "(*LF)a"]]),
    erlang:display(short(re:compile("(*CR)a", [{newline, crlf}]))),
    %% newline given to run changes a precompiled pattern's convention (as PCRE 8 did)
    {ok, MP} = re:compile("^b$", [multiline]),
    erlang:display([re:run("a\r\nb", MP), re:run("a\rb", MP), re:run("a\rb", MP, [{newline, cr}]),
                    re:run("a\r\nb", MP, [{newline, crlf}])]),
    erlang:display(r(fun() -> re:run("a", "a", [{newline, nul}]) end)).

unicode() ->
    Subjects = ["åäö", <<"åäö"/utf8>>, [16#3b1, 16#3b2, $x], <<"a€b"/utf8>>, ["é", <<"é"/utf8>>]],
    Pats = [".", "\\w", "\\w+", "\\W+", "[^a]+", "\\x{3b2}", "ä", "(?i)Ä", "\\p{Lu}", "\\X", "\\C"],
    Types = [index, list, binary],
    [erlang:display({S, P, T, r(fun() -> re:run(S, P, [unicode, {capture, all, T}]) end)})
     || S <- Subjects, P <- Pats, T <- Types],
    [erlang:display({S, P, r(fun() -> re:run(S, P, [unicode, ucp, caseless, {capture, all, list}]) end)})
     || S <- Subjects, P <- ["\\w+", "[[:alpha:]]+", "\\d", "Å"]],
    erlang:display(short(re:compile("ä", [unicode]))),
    erlang:display(short(re:compile(<<"ä"/utf8>>, [unicode]))),
    erlang:display(short(re:compile([256], [unicode]))),
    erlang:display(r(fun() -> re:compile([256]) end)),
    erlang:display(r(fun() -> re:compile([16#d800], [unicode]) end)),
    erlang:display(re:compile(<<255>>, [unicode])),
    erlang:display(short(re:compile("(*UTF8)a"))),
    erlang:display(re:run(<<"åa"/utf8>>, "(*UTF8).a", [{capture, all, list}])),
    erlang:display(re:run(<<"åa"/utf8>>, "(*UTF).a", [{capture, all, binary}])),
    erlang:display(r(fun() -> re:run("åa", "(*UTF8).a") end)),
    erlang:display(r(fun() -> re:run(<<255, $b>>, "b", [unicode]) end)),
    erlang:display(r(fun() -> re:run([256, $b], "b") end)),
    erlang:display(re:run([256, $b], "b", [unicode])),
    erlang:display(r(fun() -> re:run(<<"åb"/utf8>>, "b", [unicode, {offset, 1}]) end)),
    erlang:display(re:run(<<"åb"/utf8>>, "b", [unicode, {offset, 2}])),
    {ok, MP} = re:compile("(.)", [unicode]),
    erlang:display([re:run(S, MP, [{capture, all, list}]) || S <- Subjects]),
    erlang:display([re:run(S, MP, [global, {capture, all_but_first, binary}]) || S <- Subjects]),
    %% a Unicode group name is PCRE 8's syntax error; Latin-1 names are fine without unicode
    erlang:display(r(fun() -> re:run("abÄc", "(?<Ä>Ä)", [unicode, {capture, ['Ä'], binary}]) end)),
    erlang:display(re:compile("(?<aÄ>Ä)", [unicode])),
    erlang:display(re:run("abÄc", "(?<Ä>Ä)", [{capture, ["Ä"], binary}])).

%% ERTS's PCRE uses Latin-1 character tables; with unicode, \w+ checks the
%% first character byte by byte (PCRE 8's quirk) while \w decodes it.
latin1() ->
    Classes = ["\\w", "\\d", "\\s", "[[:alpha:]]", "[[:upper:]]", "[[:lower:]]", "[[:alnum:]]", "[[:punct:]]",
               "[[:graph:]]", "[[:print:]]", "[[:space:]]", "[[:cntrl:]]", "[[:xdigit:]]", "\\b"],
    [erlang:display({C, [X || X <- lists:seq(0, 255), re:run([X], C) =/= nomatch]}) || C <- Classes],
    erlang:display([{X, [Y || Y <- lists:seq(128, 255), Y =/= X, re:run([Y], [X], [caseless]) =/= nomatch]}
                    || X <- lists:seq(128, 255)]),
    [erlang:display({P, S, re:run(S, P, [unicode, global, {capture, all, index}])})
     || P <- ["\\w", "\\w+", "\\w*", "\\w?", "\\w{2}", "\\w{1,3}", "\\w{2,}", "\\w+?", "\\W+", "\\W{2,3}", "[\\w]+"],
        S <- ["-åx", "xåy", "été", "ŝŝ"]].

errors() ->
    {ok, MP} = re:compile("(a)"),
    {re_pattern, N, U, C, B} = MP,
    Bad = [{"abc", foo, []}, {foo, "b", []}, {"abc", "b", foo}, {"abc", "b", [foo]}, {"abc", "b", [{capture, foo}]},
           {"abc", "b", [{offset, -1}]}, {"abc", "b", [{offset, 1 bsl 40}]}, {"abc", "b", [{match_limit, -1}]},
           {"abc", "b", [{newline, foo}]}, {"abc", "b", [{capture, all, list} | foo]}, {"abc", "b", [{foo, bar}]},
           {"abc", "b", [{1, 2}]}, {"abc", "b", [{capture, all, list, x}]}, {[256], "b", []},
           {<<"a", 1:1>>, "a", []}, {"a", <<"a", 1:1>>, []}, {"a", {re_pattern, 1, 0, 0}, []},
           {"a", {re_pattern, 1, 0, 0, <<1, 2, 3>>}, []}, {"a", {re_pattern, N, U, foo, B}, []},
           {"a", {re_pattern, -1, U, C, B}, []}, {"a", {other, N, U, C, B}, []},
           {"a", MP, [caseless]}, {"a", MP, [unicode]}, {"a", MP, [dupnames]}, {"abc", "(b", []}, {"abc", "(b", [global]}],
    [erlang:display({I, r(fun() -> re:run(S, P, O) end)}) || {I, {S, P, O}} <- lists:zip(lists:seq(1, length(Bad)), Bad)],
    %% NumGroups sizes the result vector, as in ERTS
    erlang:display([re:run("a", {re_pattern, N + 3, U, C, B}), re:run("a", {re_pattern, N - 1, U, C, B}),
                    re:run("a", {re_pattern, N, 1, C, B})]),
    erlang:display([r(fun() -> re:run("abc", "(b", O) end) || O <- [[report_errors], [report_errors, unicode], [report_errors, global]]]),
    erlang:display([r(fun() -> re:compile("a", O) end) || O <- [[report_errors], [notbol], [global], [{capture, all}], [{offset, 1}], foo, [foo]]]),
    erlang:display([r(fun() -> re:compile(X) end) || X <- [foo, 1, [a], <<"a", 1:1>>, {re_pattern}]]),
    erlang:display([r(fun() -> re:inspect(X, Y) end) || {X, Y} <- [{MP, foo}, {foo, namelist}, {{re_pattern, 1, 0, 0, <<1, 2, 3>>}, namelist}]]),
    erlang:display([r(fun() -> re:internal_run("a", MP, [], X) end) || X <- [true, false, foo]]).

%% Compile errors: PCRE 8's messages and offsets.
patterns() ->
    Pats = ["\\", "a\\", "\\c", "(", "a(b", "((a)", ")", "a)", "a)b", "[a", "[", "[a-", "[\\", "[]", "[^]", "[z-a]",
            "*", "a**", "+", "?", "{1}", "a{2,1}", "a{99999}", "(?", "(?Q)", "(?<", "(?<a", "(?<1a>x)",
            "(?<a>x)(?<a>y)", "(?P", "(?P<", "(?P=a)", "(?#abc", "(?C256)", "(?C1", "(?(1)a|b|c)", "(?(?", "(?(x",
            "(?(1)", "(?(0)a)", "(?R", "(?R)", "(?1)", "(?+1", "(?+a)", "\\1", "(a)\\2", "\\g", "\\g0", "\\g{",
            "\\g{0}", "\\k", "\\k<a>", "[[:foo:]]", "[[.a.]]", "[:alpha:]", "\\p", "\\p{Foo}", "\\pX", "\\x{110000}",
            "\\x{zz}", "\\x{", "\\o{8}", "\\400", "\\L", "\\u", "\\N{name}", "[\\N]", "(*FOO)", "(*MARK)",
            "(*ACCEPT:x)", "(*F:x)", "(*ACCEPT)?", "(?<=a+)b", "(?<=a|bc)b", "(?(DEFINE)a|b)", "((?1))", "(a|(?R))",
            "(?:a|(?R))", "x*(?R)", "a(?R)?", "\\((?:[^()]|(?R))*\\)", "a{,3}", "(?i", "(?^)", "[a-\\d]",
            "[\\0-\\K]", "(?=a\\K)", "\\k<n>(", "\\1\\k<n>", "(?R)\\k<n>", "(?2)(?R)", "\\2)\\B", ")\\C\\k<n>",
            "(?<!\\g1)", "[^\\E", "\\g1(?R)", "(?(1)})\\1{2}x(?|", "(?m)(?i:\\*?(?(1)(*(?<!",
            lists:duplicate(798, $() ++ lists:duplicate(798, $)), lists:duplicate(799, $() ++ lists:duplicate(799, $))],
    [erlang:display({length(P), short(re:compile(P)), short(re:compile(P, [unicode]))}) || P <- Pats],
    [erlang:display({P, [r(fun() -> re:run("abc", P, O) end) || O <- [[report_errors], []]]}) || P <- lists:sublist(Pats, 12)].

limits() ->
    S = lists:duplicate(28, $a) ++ "b",
    [erlang:display({P, O, re:run(S, P, O)})
     || {P, O} <- [{"(a+)+$", [report_errors]}, {"(a|aa)+$", [report_errors]}, {"(a*)*$", [report_errors]},
                   {"(a+)+$", []}, {"(a+)+$", [report_errors, {match_limit, 1000}]},
                   {"(a+)+$", [report_errors, {match_limit_recursion, 10}]},
                   {"a+b", [report_errors, {match_limit, 1}]}, {"a+b", [report_errors, {match_limit, 2}]},
                   {"(a)(b)?", [report_errors, {match_limit_recursion, 1}]},
                   {"a", [report_errors, {match_limit_recursion, 0}]}, {"a", [{match_limit_recursion, 0}]}]],
    L = lists:duplicate(100000, $a),
    erlang:display([re:run(L, P, [report_errors, {capture, none}]) || P <- ["(a|b)*c?$", "(?:a|b)*$", "^(a)*$"]]).
