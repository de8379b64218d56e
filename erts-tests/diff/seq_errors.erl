%% Exceptions: the error terms of ERTS, catch, try, throw, exit, rethrow.
-module(seq_errors).
-export([main/0]).

main() ->
    erlang:display(reason(catch 1 = 2)),
    erlang:display(top(fun() -> fc(x) end)),
    erlang:display(top(fun() -> atom_to_list(1) end)),
    erlang:display(top(fun() -> local_badarith(a) end)),
    erlang:display(top(fun() -> element(9, {}) end)),
    erlang:display(top(fun() -> error(mine) end)),
    erlang:display(catch throw(ball)),
    erlang:display(catch exit(bye)),
    erlang:display(try error(boom) catch error:R -> {caught, R} end),
    erlang:display(try throw(x) catch C:R2 -> {C, R2} end),
    erlang:display(try exit(e) catch exit:E -> {exit, E} end),
    erlang:display(try case_end(3) catch error:CE -> CE end),
    erlang:display(try if_end(3) catch error:IE -> IE end),
    erlang:display(try fc(x) catch error:FC -> FC end),
    erlang:display(try element(5, {a}) catch error:B -> B end),
    erlang:display(try atom_to_list(1) catch error:B2 -> B2 end),
    erlang:display(try 1 + a catch error:BA -> BA end),
    erlang:display(try undefined_mod:f() catch error:U -> U end),
    erlang:display(try (fun(X) -> X end)(1, 2) catch error:{badarity, _} -> badarity end),
    erlang:display(try 1 / 0 catch error:Z -> Z end),
    erlang:display(try nested() catch throw:N -> {outer, N} end),
    erlang:display(try ok after erlang:display(after_ran) end),
    erlang:display(try erlang:raise(throw, raised, []) catch throw:RR -> RR end),
    erlang:display(try
                       try error(inner) catch error:I -> erlang:raise(error, {re, I}, []) end
                   catch error:Re -> Re end),
    ok.

reason({'EXIT', {R, _Stack}}) -> R.

%% The innermost frame only: outer frames differ (erl runs main from -eval).
top(F) ->
    try F() catch C:R:St -> {C, R, hd(St)} end.

local_badarith(X) -> X + 1.

case_end(X) -> case X of 1 -> one end.
if_end(X) -> if X > 5 -> big end.
fc(1) -> one.
nested() -> try throw(inner) catch throw:I -> throw({nested, I}) end.
