-module(rnd_arith).
-export([main/0]).
t(F) -> try F() catch C:R -> {C, R} end.
rint() ->
    case rand:uniform(6) of
        1 -> rand:uniform(2001) - 1001;
        2 -> (1 bsl 59) + rand:uniform(5) - 3;
        3 -> -(1 bsl 59) + rand:uniform(5) - 3;
        4 -> (1 bsl (64 * rand:uniform(4))) + rand:uniform(5) - 3;
        _ -> N = rand:uniform(400), S = case rand:uniform(2) of 1 -> 1; 2 -> -1 end,
             S * (rand:uniform(1 bsl N) - 1)
    end.
main() ->
    rand:seed(exsss, {1, 2, 3}),
    [begin
         A = rint(), B = rint(), Sh = rand:uniform(300) - 150,
         erlang:display({A, B, A + B, A - B, A * B, t(fun() -> A div B end), t(fun() -> A rem B end),
                         A band B, A bor B, A bxor B, bnot A, A bsl Sh, A bsr Sh, A < B, A == B,
                         t(fun() -> float(A) end), t(fun() -> A / B end), t(fun() -> A + 0.5 end),
                         integer_to_list(A, 2 + rand:uniform(34)),
                         list_to_integer(integer_to_list(B, 36), 36) =:= B})
     end || _ <- lists:seq(1, 3000)],
    ok.
