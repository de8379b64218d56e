%% undef: calls, remote funs and apply of missing modules and functions.
-module(seq_undef).
-export([main/0]).
main() ->
    erlang:display(try nosuchmod:f(1) catch error:R:St -> {R, hd(St)} end),
    erlang:display(try seq_undef:nofun(1, 2) catch error:R2:St2 -> {R2, hd(St2)} end),
    erlang:display(try (fun nosuchmod:g/0)() catch error:R3:St3 -> {R3, hd(St3)} end),
    erlang:display(try apply(nosuchmod, h, [x]) catch error:R4:St4 -> {R4, hd(St4)} end).
