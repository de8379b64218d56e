#!/bin/sh
# pipe.sh — the shell without a terminal: `printf ... | tbeam` against
# `printf ... | erl`.  tty_sl cannot start (stdin is not a terminal), so
# user_drv falls back to the old shell (user.erl) as on ERTS; stdout,
# stderr and the exit status must be erl's.
# Usage: pipe.sh [TBEAM] (default ./tbeam); OUT: where outputs go
# (default erts-tests/out/shell).  Exit 0: pass; 1: fail (with a message).
set -u
tbeam=${1:-./tbeam}
out=${OUT:-erts-tests/out/shell}
mkdir -p "$out"

fail=0
n=0
check() {   # check NAME INPUT (printf format)
  n=$((n + 1))
  printf "$2" | erl >"$out/$1.erl.out" 2>"$out/$1.erl.err"; echo $? >"$out/$1.erl.rc"
  printf "$2" | timeout 60 "$tbeam" >"$out/$1.tbeam.out" 2>"$out/$1.tbeam.err"; echo $? >"$out/$1.tbeam.rc"
  for f in out err rc; do
    if ! cmp -s "$out/$1.erl.$f" "$out/$1.tbeam.$f"; then
      echo "FAIL: shell/pipe $1: std$f differs from erl's"
      diff "$out/$1.erl.$f" "$out/$1.tbeam.$f" | head -10
      fail=1
      return
    fi
  done
}

check basic   '1+1.\nX = 5.\nX * 2.\nlists:seq(1,3).\nq().\n'
check eof     ''
check eval    'io:format("~s~n", ["hi"]).\n{a,\nb}.\n1/0.\nfoo(.\n"abc" ++ [$d].\n'
check halt    'halt(3).\n'
check history 'X = 1.\nb().\nf(X).\nb().\nY = lists:sum([1,2,3]).\nh().\nv(5).\nq().\n'
[ $fail -eq 0 ]
