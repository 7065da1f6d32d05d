# Board qemu-x86_64: the architecture facts the build and qemu/run need.
# Read by the Makefile (include) and by shell scripts (.), so: NAME=VALUE
# lines only, no spaces, no quotes.

# Debian architecture of the kernel, BusyBox and musl packages.
BOARD_DEB_ARCH=amd64
# Architecture name (uname -m).
BOARD_ARCH=x86_64
# The kernel: Debian's metapackage, resolved to its versioned image.
BOARD_KERNEL_PKG=linux-image-amd64
# Cross compiler prefix (GNU triplet and '-'); empty: the build machine's
# own architecture, musl-tools' musl-gcc.
BOARD_CROSS_COMPILE=
# Serial console, as the kernel names it.
BOARD_CONSOLE=ttyS0
# QEMU: system emulator, machine, CPU (empty: QEMU's default), memory (MiB).
BOARD_QEMU=qemu-system-x86_64
BOARD_QEMU_MACHINE=q35
BOARD_QEMU_CPU=
BOARD_QEMU_MEM=512
