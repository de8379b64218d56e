%% The process dictionary (emu/pdict.c): put/get/erase across bucket
%% splits and merges, every key type, get_keys/0,1, erase/0, process_info.
%% Orders are sorted: ERTS hashes atoms by their index in its atom table.
-module(seq_pdict).
-export([main/0]).
main() ->
    [put(K, v) || K <- [a, b, c, foo, bar, '$ancestors', 1, 2, 3, -5, 100000000000000000000, {x, 1}, "str", <<"bin">>, 1.5, []]],
    S = fun(L) -> lists:sort(L) end,
    erlang:display(S(get())), erlang:display(S(get_keys())), erlang:display(S(get_keys(v))),
    [put(I, I * I) || I <- lists:seq(1, 100)],
    erlang:display(S(get())),
    [erase(I) || I <- lists:seq(1, 90)],
    erlang:display(S(get())),
    erlang:display([put(a, new), put(zz, 1), erase(b), erase(nope), get(a), get(zz), get(100)]),
    {dictionary, D} = process_info(self(), dictionary), erlang:display(S(D)),
    Atoms = [list_to_atom("k" ++ integer_to_list(I)) || I <- lists:seq(1, 300)],
    [put(A, I) || {A, I} <- lists:zip(Atoms, lists:seq(1, 300))],
    erlang:display(length(get_keys())),
    [erase(A) || A <- lists:sublist(Atoms, 250)],
    erlang:display(S(get())), erlang:display(S(erase())), erlang:display(get()),
    [put(I, I) || I <- lists:seq(1, 5000)],
    Sum = lists:sum([get(I) || I <- lists:seq(1, 5000)]),
    [erase(I) || I <- lists:seq(1, 5000)],
    erlang:display({Sum, get()}).
