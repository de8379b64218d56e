%% string:list_to_integer/1 and string:list_to_float/1 (bifs/bif_string.c):
%% prefixes, signs, ERTS's float scanner giving back an unfinished
%% exponent, improper tails, characters read modulo 256, errors.
-module(seq_string_num).
-export([main/0]).
main() ->
    Ints = ["123abc", "-12", "+7x", "-", "+", "", "abc", "0012", [$1, $2 | foo], [$-, $1 | bar],
            "99999999999999999999999 rest", [$1, 256 + $2], [$1, a], "1.5", [256+$-, $1], [$1, -206], [$1, 512+$3], "-0", [$+], [$- | x]],
    [erlang:display({I, string:list_to_integer(I)}) || I <- Ints],
    erlang:display(string:list_to_integer(atom)),
    erlang:display(string:list_to_integer(<<"12">>)),
    Floats = ["1.5e3x", "1.5", "-1.5", "+1.5", "1.", "1", "1,5", "1.5e", "1.5e+", "1.5e-x", "1.5e--", "1.5e++",
              "1.5ee", "1.5e.", "1.5e+.", "2e2", ".5", "-.5", "1.0e400", "1.0e-400", "0.1e1 and more",
              "1.5E10", "1..5", "12.34.56", "1.5e3e4", "+", "-", "", "x", [$1, $., $5 | tail],
              [$1, $., $5, $e | tail], [$1, $., $5, $e, $- | t], "1.5e+07", "123456789012345678901234567890.5",
              [$1, $., 256 + $5], [$1, $., a], "-1.5e-3x"],
    [erlang:display({F, string:list_to_float(F)}) || F <- Floats],
    erlang:display(string:list_to_float(atom)),
    erlang:display([string:to_integer("42 apples"), string:to_float("3.14 pi"), string:to_integer(<<"7b">>)]),
    ok.
