#!/bin/sh
# Unit tests of single modules, built twice (gcc and clang) under ASan+UBSan.
B=${BUILD:-build}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
for cc in gcc clang; do
	for t in "$B"/host-$cc/unit/*; do
		[ -x "$t" ] || continue
		n="unit/$cc/$(basename "$t")"
		if log=$("$t" 2>&1); then echo "ok $n"; else echo "$log" | tail -15; echo "FAIL $n: $(echo "$log" | tail -1)"; fi
	done
done
