#!/bin/sh
# pty.sh — runs pty.py (the shell on a pseudo-terminal, against erl) for
# make check.  Usage: pty.sh [TBEAM].  Exit 0: pass; 77: skip; else fail.
command -v python3 >/dev/null 2>&1 || { echo "SKIP: shell/pty: no python3"; exit 77; }
exec timeout 300 python3 "$(dirname "$0")/pty.py" "${1:-./tbeam}"
