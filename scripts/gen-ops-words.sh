#!/bin/sh
# Generates W_<op> (instruction size in words) from emu/ops.def: 1 + operand letters other than '-' and '0' (not emitted).
echo "/* generated from ops.def by scripts/gen-ops-words.sh: do not edit */"
sed -n 's/^OP(\([a-z_0-9]*\), *[A-Za-z_0-9]*, *"\([^"]*\)".*/\1 \2/p' "$1" |
while read -r name spec; do
  n=$(printf '%s' "$spec" | tr -d -- '-0' | wc -c)
  echo "#define W_$name $((n + 1))"
done
