#!/bin/sh
# Run every test suite. Each suite script prints lines "ok NAME" or
# "FAIL NAME: reason" (and "skip NAME: reason"); this runner counts them.
# Last line: "N passed, N failed[, N skipped]"; exit non-zero on any failure.
# Usage: tests/run.sh BUILD_DIR [SUITE...]
set -u
BUILD=${1:-build}
shift 2>/dev/null || true
export BUILD
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

suites=${*:-$(ls tests/suites/*.sh | sort)}
for s in $suites; do
	name=$(basename "$s" .sh)
	echo "== $name"
	sh "$s" 2>&1 | tee "$out/$name.log" | grep -E '^(ok|FAIL|skip) ' || true
	# A suite that died without reporting is a failure of its own.
	if ! grep -qE '^(ok|FAIL|skip) ' "$out/$name.log"; then
		echo "FAIL $name: produced no results" | tee -a "$out/$name.log"
		tail -20 "$out/$name.log"
	fi
done
pass=$(cat "$out"/*.log | grep -c '^ok ')
fail=$(cat "$out"/*.log | grep -c '^FAIL ')
skip=$(cat "$out"/*.log | grep -c '^skip ')
if [ "$fail" -gt 0 ]; then
	echo
	echo "Failures:"
	cat "$out"/*.log | grep '^FAIL '
fi
echo
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
