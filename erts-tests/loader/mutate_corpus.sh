#!/bin/sh
# Regenerate erts-tests/loader/corpus/: a small regression corpus of broken
# .beam files (plus their valid seeds) for the tbeam reader and its fuzzer.
#
#   erts-tests/loader/mutate_corpus.sh [OUTDIR]
#
# Needs erlc (to compile the seed module below), gcc and the installed OTP 25
# beams used as extra seeds.  Output is deterministic for a given toolchain.
# Crash inputs found by the fuzzer are kept in the corpus under names starting
# with "crash-"/"fuzz-"; this script leaves those alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/corpus}
otp=/usr/lib/erlang/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/tbseed.erl" <<'ERL'
-module(tbseed).
-export([big/1, flt/2, funs/2, maps/1, bin/1, recv/1, tryit/1, sel/1, rec/1, str/0, utf/1]).
-record(r, {a, b = 2}).
big(X) when X > 100000000000000000000000000000 -> X * -340282366920938463463374607431768211457;
big(X) -> X band 16#FFFFFFFFFFFFFFFFFFFF.
flt(A, B) when is_float(A) -> A * B + 1.5 / B;
flt(A, _) -> float(A).
funs(L, N) -> lists:map(fun(E) -> E + N end, L) ++ [fun erlang:abs/1].
maps(#{k := V} = M) -> M#{k => V + 1, z => 0};
maps(M) -> maps:get(x, M, none).
bin(<<S:8, Rest:S/binary, "ok", F/float, U/utf8, _/bits>>) -> {Rest, F, U, <<S:16/little, Rest/binary, U/utf16>>};
bin(B) -> byte_size(B).
recv(T) -> receive {msg, X} -> X after T -> timeout end.
tryit(F) -> try F() of V -> {ok, V} catch C:R:S -> {C, R, length(S)} after ok end.
sel(X) -> case X of 1 -> a; 2 -> b; 3 -> c; 7 -> d; {_,_} -> e; foo -> f; _ -> g end.
rec(#r{a = A} = R) -> R#r{b = A}.
str() -> "string literal".
utf(S) -> unicode:characters_to_binary(S).
ERL
erlc +deterministic -o "$tmp" "$tmp/tbseed.erl"
gcc -std=gnu11 -O2 -Wall -o "$tmp/mutate" "$here/mutate_corpus.c"

mkdir -p "$out"
find "$out" -maxdepth 1 -name '*.beam' ! -name 'crash-*' ! -name 'fuzz-*' -delete
"$tmp/mutate" "$out" "$tmp/tbseed.beam" \
    "$otp/kernel-8.5.3/ebin/pg2.beam" \
    "$otp/erts-13.1.5/ebin/prim_eval.beam"
echo "$(ls "$out" | wc -l) files, $(du -sh "$out" | cut -f1) in $out"
