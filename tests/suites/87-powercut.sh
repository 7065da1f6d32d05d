#!/bin/sh
# Power cuts on qemu-x86_64 booting through U-Boot (tests/powercut/README.md):
# a fixed set of cuts, one or more in every phase of provisioning — slot
# write, environment write (trial, confirm, fall-back), just before and
# during the kexec, the trial boot before confirm, U-Boot's own environment
# write —
# each followed by a power-up without the stick and one with it. Every
# power-up must reach the old system, the new one, or provisioning again;
# the environment must stay readable (never both copies bad) and never
# point at a slot or configuration that is not wholly there. A cut is
# placed in its phase by the console log alone; one that misses is tried
# again earlier. `make test-powercut N=30` runs random cuts.
set -u
. tests/lib/device.sh
out=$BUILD/t/powercut-suite.out
mkdir -p "$BUILD/t"
# PHASE:DELAY_MS:VARIANT:PATH (tests/powercut/run --help). Delays sit in the
# middle of each phase as slowed down; factory env-trial tears its copy.
CUTS='slot:2500:factory env-trial:900:factory prekexec:1200:factory kexec:2500:update
trial:2000:factory env-confirm:800:update env-fallback:700:factory:fallback uboot-env:300:factory:retry
trial:1500:update:retry'
sh tests/powercut/run --format suite --retry-miss 2 --workdir "$BUILD/t/powercut-suite" \
	--cuts "$CUTS" 2>&1 | tee "$out" | grep -E '^(ok|FAIL|skip) '
# A cut into the factory environment's 0xff padding must tear the copy it
# writes: else the disk was not slowed down and the cut proved little.
if grep -q '^ok powercut/[0-9]* phase=env-trial .*variant=factory' "$out"; then
	check "powercut/env-trial: the cut tore the environment copy being written, the other one was used" \
		grep -q '^ok powercut/[0-9]* phase=env-trial .*variant=factory .* torn=copy[01]$' "$out"
fi
