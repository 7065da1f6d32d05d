# Board qemu-aarch64: the architecture facts the build and qemu/run need.
# Read by the Makefile (include) and by shell scripts (.), so: NAME=VALUE
# lines only, no spaces, no quotes.

# Debian architecture of the kernel, BusyBox and musl packages.
BOARD_DEB_ARCH=arm64
# Architecture name (uname -m).
BOARD_ARCH=aarch64
# The kernel: Debian's metapackage, resolved to its versioned image.
BOARD_KERNEL_PKG=linux-image-arm64
# Cross compiler prefix (GNU triplet and '-'): Debian's gcc-aarch64-linux-gnu,
# with musl-dev:arm64 (scripts/musl-cross.sh).
BOARD_CROSS_COMPILE=aarch64-linux-gnu-
# Serial console, as the kernel names it: the virt machine's PL011 UART.
BOARD_CONSOLE=ttyAMA0
# QEMU: system emulator, machine, CPU, memory (MiB). cortex-a57 rather than
# max: a real core whose features do not change with QEMU's version (and
# under TCG as fast as max here: a provisioning boot takes 5-6 s with either).
BOARD_QEMU=qemu-system-aarch64
BOARD_QEMU_MACHINE=virt
BOARD_QEMU_CPU=cortex-a57
BOARD_QEMU_MEM=1024
