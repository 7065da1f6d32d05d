#!/bin/sh
# Every libFuzzer harness runs at least FUZZ_RUNS executions (default
# 100000) from its seed corpus; any finding fails. Findings are written to
# tests/fuzz/crashes/ so they can be kept as regression seeds.
B=${BUILD:-build}
RUNS=${FUZZ_RUNS:-100000}
mkdir -p tests/fuzz/crashes
for f in "$B"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f")
	corpus="$B/corpus/$n"
	mkdir -p "$corpus" "tests/fuzz/seeds/$n"
	log="$B/corpus/$n.log"
	if "$f" -runs="$RUNS" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
		-artifact_prefix="tests/fuzz/crashes/$n-" "$corpus" "tests/fuzz/seeds/$n" >"$log" 2>&1; then
		execs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*')
		echo "ok fuzz/$n (${execs:-?} executions)"
	else
		tail -30 "$log"
		echo "FAIL fuzz/$n: finding, see $log and tests/fuzz/crashes/"
	fi
done
