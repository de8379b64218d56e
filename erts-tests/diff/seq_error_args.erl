%% error/2,3: the caller's frame shows the given arguments, and error/3's
%% error_info option joins its location.
-module(seq_error_args).
-export([main/0]).

f(X) -> erlang:error(badarg, [X], [{error_info, #{module => foo, cause => bar}}]).
g(A, B) -> erlang:error({bad, A}, [A, B]).
h() -> erlang:error(x, none).
k(A) -> erlang:error(y, [A, A], [other_option]).

%% BIFs reached by tail calls through apply and export funs
t1(M) -> apply(M, error, [tail_apply]).
t2(F) -> F(tail_fun).
t3(M, A) -> M:binary_to_atom(A, utf8).
t4(F) -> apply(F, [tail_apply_fun]).

top(F) -> try F() catch error:R:S -> {R, hd(S)} end.

main() ->
    erlang:display(top(fun() -> f(1) end)),
    erlang:display(top(fun() -> g(1, 2) end)),
    erlang:display(top(fun() -> h() end)),
    erlang:display(top(fun() -> k(z) end)),
    erlang:display(top(fun() -> lists:map(foo, [1]) end)),
    erlang:display(top(fun() -> erlang:error(direct, [a]) end)),
    erlang:display(top(fun() -> t1(erlang) end)),
    erlang:display(top(fun() -> t2(fun erlang:error/1) end)),
    erlang:display(top(fun() -> t3(erlang, 42) end)),
    erlang:display(top(fun() -> t4(fun erlang:error/1) end)).
