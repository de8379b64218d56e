#!/bin/sh
# pty.sh — runs pty.py (the shell on a pseudo-terminal, against erl) for
# make check.  Usage: pty.sh [TBEAM].  Exit 0: pass; else fail.
# (python3 is installed by scripts/bootstrap: without it the test fails.)
command -v python3 >/dev/null 2>&1 || { echo "FAIL: shell/pty: no python3 (scripts/bootstrap installs it)"; exit 1; }
exec timeout 300 python3 "$(dirname "$0")/pty.py" "${1:-./tbeam}"
