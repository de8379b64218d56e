%% Which failing arithmetic reports an {erlang,Op,Args} frame, as ERTS decides.
-module(seq_frames).
-export([main/0]).
t(F) -> try F() catch _:R:St -> {R, hd(St)} end.
id(X) -> X.
a1(X) -> X + 1.
a2(X) -> 1 + X.
a3(X) -> X - 1.
a4(X) -> X + 1.5.
a5(X, Y) -> X + Y.
a6(X) -> X * 2.
a7(X) -> X / 2.
a8(X) -> +X.
a9(X) -> 2 - X.
a10(X, Y) -> X - Y.
a11(X) -> X div 2.
a12(X) -> a + X.
main() ->
    [erlang:display(t(F)) || F <- [fun() -> a1(id(a)) end, fun() -> a2(id(a)) end, fun() -> a3(id(a)) end,
      fun() -> a4(id(a)) end, fun() -> a5(id(a), 1) end, fun() -> a6(id(a)) end, fun() -> a7(id(a)) end,
      fun() -> a8(id(a)) end, fun() -> a9(id(a)) end, fun() -> a10(id(a), 1) end, fun() -> a11(id(a)) end,
      fun() -> a12(id(1)) end]],
    erlang:display(a8(id(-0.0))).
