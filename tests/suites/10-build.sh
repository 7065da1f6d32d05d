#!/bin/sh
# The device binary: static, small, answers --help and --version.
B=${BUILD:-build}/sztpboot
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

if file "$B" | grep -q 'statically linked'; then ok "binary is static"; else fail "binary is static" "$(file "$B")"; fi
size=$(stat -c %s "$B")
if [ "$size" -lt 340000 ]; then ok "binary under 332 KiB ($size bytes)"; else fail "binary under 332 KiB" "$size bytes"; fi
if "$B" --version | grep -q '^sztpboot [0-9]'; then ok "--version"; else fail "--version" "bad output"; fi
if "$B" --help | grep -q 'verify'; then ok "--help lists verify"; else fail "--help" "no verify"; fi
"$B" nosuchcommand 2>/dev/null; rc=$?
if [ $rc -eq 2 ]; then ok "unknown command exits 2"; else fail "unknown command exits 2" "exit $rc"; fi
