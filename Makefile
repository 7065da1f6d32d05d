# sztpboot — Secure Zero Touch Provisioning (RFC 8572) device client.
#
#   make            build/sztpboot: static, stripped, musl + BearSSL
#   make deps       install what the build and tests need (Debian packages)
#   make demo       deps + build everything + the QEMU demo (provision from USB)
#   make test       deps + build + every test; last line "N passed, N failed"
#   make fuzz       run each libFuzzer harness (FUZZ_SECONDS=60 per harness)
#   V=1             show full command lines
#   BOARD=NAME      the board to build for (board/NAME/): qemu-x86_64 (default)
#                   in build/, or qemu-aarch64 in build/qemu-aarch64/ (BUILD=DIR
#                   chooses another directory): e.g. make BOARD=qemu-aarch64 all
#                   keys kernel initramfs newsystem disk

VERSION     := 0.1.0
BOARD       ?= qemu-x86_64
ifeq ($(wildcard board/$(BOARD)/board.mk),)
$(error BOARD=$(BOARD): no board/$(BOARD)/board.mk)
endif
# Architecture, kernel package, console, QEMU machine: BOARD_* variables.
include board/$(BOARD)/board.mk
BUILD       ?= $(if $(filter qemu-x86_64,$(BOARD)),build,build/$(BOARD))
# One board per build directory: a board other than qemu-x86_64 leaves its
# name in $(BUILD)/board; a directory built for another board is refused.
BUILD_BOARD := $(or $(shell cat $(BUILD)/board 2>/dev/null),$(if $(wildcard $(BUILD)/musl $(BUILD)/kernel),qemu-x86_64))
ifneq ($(BUILD_BOARD),)
ifneq ($(BUILD_BOARD),$(BOARD))
$(error BUILD=$(BUILD) holds a build for BOARD=$(BUILD_BOARD), not $(BOARD): choose another BUILD)
endif
endif
ifneq ($(BOARD),qemu-x86_64)
$(shell mkdir -p $(BUILD) && echo $(BOARD) >$(BUILD)/board)
endif
SRC         := src
BEARSSL     := $(BUILD)/bearssl-src
# The binary's build time is its notion of "not earlier than" (see README,
# "Clock policy"). Reproducible: SOURCE_DATE_EPOCH, else the last commit.
BUILD_EPOCH ?= $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell date +%s))

Q := @
ifeq ($(V),1)
Q :=
endif

# Message and path buffers are bounded on purpose; where a cut path would
# matter the code checks snprintf's result, so gcc's guesses are noise.
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
WARN_GCC := -Wno-format-truncation
DEFS     := -D_DEFAULT_SOURCE -DSZTP_VERSION='"$(VERSION)"' -DSZTP_BUILD_EPOCH=$(BUILD_EPOCH)LL
CPPFLAGS := -I$(SRC) -I$(BEARSSL)/inc $(DEFS)
CSTD     := -std=c11

# Every .c in src/ except main.c is a library object shared by the device
# binary, the unit tests and the fuzzers.
LIB_SRCS := $(filter-out $(SRC)/main.c,$(wildcard $(SRC)/*.c))
ALL_SRCS := $(LIB_SRCS) $(SRC)/main.c

# --- device binary (musl, static) -----------------------------------------
# A board of the build machine's architecture uses musl-tools' musl-gcc; one
# of another (BOARD_CROSS_COMPILE) the cross gcc with Debian's musl-dev for
# its architecture (scripts/musl-cross.sh), and a BearSSL built with it.
ifeq ($(BOARD_CROSS_COMPILE),)
MUSL_CC     := musl-gcc
BEARSSL_MUSL:= $(BEARSSL)/musl/libbearssl.a
else
MUSL_CC     := $(BUILD)/musl-cross/musl-gcc
BEARSSL_MUSL:= $(BEARSSL)/musl-$(BOARD_ARCH)/libbearssl.a
# The arm64 linker pads segments to 64 KiB pages by default; 4 KiB pages
# are what the Debian arm64 kernel uses.
MUSL_LDFLAGS_BOARD := -Wl,-z,max-page-size=4096
endif
MUSL_CFLAGS := $(CSTD) $(WARN) $(WARN_GCC) -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -MMD -MP
MUSL_LDFLAGS:= -static -s -Wl,--gc-sections $(MUSL_LDFLAGS_BOARD)
MUSL_OBJS   := $(patsubst $(SRC)/%.c,$(BUILD)/musl/%.o,$(ALL_SRCS))

# --- native sanitizer build (unit tests, host runs of the binary) ---------
HOST_CC      ?= gcc
SAN          := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS  := $(CSTD) $(WARN) $(if $(findstring clang,$(HOST_CC)),,$(WARN_GCC)) -O1 -g $(SAN) -MMD -MP
HOST_OBJS    := $(patsubst $(SRC)/%.c,$(BUILD)/host-$(HOST_CC)/%.o,$(ALL_SRCS))
HOST_LIBOBJS := $(patsubst $(SRC)/%.c,$(BUILD)/host-$(HOST_CC)/%.o,$(LIB_SRCS))

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/host-$(HOST_CC)/unit/%,$(UNIT_SRCS))

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))

.PHONY: all deps test test-unit fuzz fuzzers host unit clean demo
all: $(BUILD)/sztpboot

deps:
	$(Q)sh scripts/deps.sh

$(BEARSSL)/musl/libbearssl.a $(BEARSSL)/native/libbearssl.a:
	$(Q)sh scripts/bearssl.sh $(BUILD)

ifneq ($(BOARD_CROSS_COMPILE),)
$(MUSL_CC):
	$(Q)sh scripts/musl-cross.sh $(BUILD) $(BOARD_DEB_ARCH) $(BOARD_CROSS_COMPILE)

$(BEARSSL_MUSL): | $(MUSL_CC)
	$(Q)sh scripts/bearssl.sh $(BUILD) musl-$(BOARD_ARCH) $(abspath $(MUSL_CC)) $(BOARD_CROSS_COMPILE)ar
endif

$(BUILD)/musl/%.o: $(SRC)/%.c | $(BEARSSL_MUSL)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(MUSL_CC) $(MUSL_CFLAGS) $(CPPFLAGS) -c -o $@ $<

$(BUILD)/sztpboot: $(MUSL_OBJS) $(BEARSSL_MUSL)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(MUSL_OBJS) $(BEARSSL_MUSL)
	@echo "  SIZE    $@: $$(stat -c %s $@) bytes"

# Host build: the same sources under ASan+UBSan, with gcc or clang.
host: $(BUILD)/host-$(HOST_CC)/sztpboot $(UNIT_BINS)

$(BUILD)/host-$(HOST_CC)/%.o: $(SRC)/%.c | $(BEARSSL)/native/libbearssl.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< ($(HOST_CC))")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(CPPFLAGS) -c -o $@ $<

$(BUILD)/host-$(HOST_CC)/sztpboot: $(HOST_OBJS)
	$(Q)$(HOST_CC) $(SAN) -o $@ $^ $(BEARSSL)/native/libbearssl.a

$(BUILD)/host-$(HOST_CC)/unit/%: tests/unit/%.c $(HOST_LIBOBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< ($(HOST_CC))")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(CPPFLAGS) -Itests/unit -o $@ $< $(HOST_LIBOBJS) $(BEARSSL)/native/libbearssl.a

# libFuzzer harnesses: clang only, each links the library objects.
FUZZ_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzzers: $(FUZZ_BINS)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) | $(BEARSSL)/native/libbearssl.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (libFuzzer)")
	$(Q)clang $(FUZZ_CFLAGS) $(CPPFLAGS) -o $@ $< $(LIB_SRCS) $(BEARSSL)/native/libbearssl.a

FUZZ_SECONDS ?= 60
fuzz: fuzzers
	$(Q)for f in $(FUZZ_BINS); do n=$$(basename $$f); \
		mkdir -p $(BUILD)/corpus/$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/crashes/$$n- \
			$(BUILD)/corpus/$$n tests/fuzz/seeds/$$n || exit 1; done

# The QEMU demo: build everything, provision a device from a USB stick.
demo: deps
	$(Q)$(MAKE) --no-print-directory all keys kernel initramfs newsystem disk uboot-disk
	$(Q)BUILD=$(BUILD) BOARD=$(BOARD) UBOOT_FW=$(UBOOT_FW) sh qemu/demo

test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory HOST_CC=gcc host
	$(Q)$(MAKE) --no-print-directory HOST_CC=clang host
	$(Q)$(MAKE) --no-print-directory fuzzers
	$(Q)sh tests/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)/musl $(BUILD)/host-* $(BUILD)/fuzz $(BUILD)/sztpboot $(BUILD)/t

-include $(MUSL_OBJS:.o=.d) $(wildcard $(BUILD)/host-*/*.d $(BUILD)/host-*/unit/*.d)

# === keys: development PKI (keys/mkdevpki.sh; keys/README.md) ================
# `make keys` makes the DEVELOPMENT ONLY PKI of the demo and the QEMU tests in
# $(KEYS_DIR), once: it is skipped while $(KEYS_DIR)/.done exists (remove the
# directory to make a new PKI). With KEYS_DIR pointing elsewhere (an OEM's
# own keys, laid out as keys/README.md says) nothing is generated: `make keys`
# only checks that the files an image needs are there.
KEYS_DIR ?= $(BUILD)/keys
.PHONY: keys
keys:
ifeq ($(KEYS_DIR),$(BUILD)/keys)
	$(Q)[ -f $(KEYS_DIR)/.done ] || sh keys/mkdevpki.sh $(KEYS_DIR)
else
	$(Q)[ -f "$(KEYS_DIR)/voucher-ta.pem" ] || \
		{ echo "keys: $(KEYS_DIR)/voucher-ta.pem missing (see keys/README.md)" >&2; exit 1; }
endif
# === end keys ================================================================

# === rig: boot rig (kernel, initramfs, new-system image, disk; qemu/) =========
# make kernel      the board's Debian kernel (BOARD_KERNEL_PKG: generic amd64 or
#                  arm64) + modules -> $(BUILD)/kernel/
# make initramfs   provisioning initramfs -> $(BUILD)/initramfs-provision.cpio.gz
# make newsystem   demo boot image -> $(BUILD)/images/exampleos-$(OS_VERSION).img
#                  (OS_NAME=ExampleOS OS_VERSION=2.0 by default)
# make disk        factory-fresh system disk -> $(BUILD)/images/factory-disk.img
# Boot by hand: qemu/run --disk DISK --usb STICK (see qemu/run --help).
OS_NAME       ?= ExampleOS
OS_VERSION    ?= 2.0
RIG_BOARD     := board/$(BOARD)
RIG_KERNEL    := $(BUILD)/kernel/vmlinuz
RIG_BUSYBOX   := $(BUILD)/busybox/busybox
INITRAMFS     := $(BUILD)/initramfs-provision.cpio.gz
NEWSYSTEM_IMG := $(BUILD)/images/exampleos-$(OS_VERSION).img
FACTORY_DISK  := $(BUILD)/images/factory-disk.img
# Manufacturer trust anchors for vouchers: an OEM's keys/voucher-ta.pem, else
# the development PKI's (make keys).
VOUCHER_TA    ?= $(or $(wildcard keys/voucher-ta.pem),$(or $(KEYS_DIR),$(BUILD)/keys)/voucher-ta.pem)
# Anchors of the well-known bootstrap servers (board bootstrap-server-ta).
SERVER_TA     ?= $(or $(wildcard keys/server-ta.pem),$(or $(KEYS_DIR),$(BUILD)/keys)/server-ta.pem)
RIG_EPOCH     := SOURCE_DATE_EPOCH=$(BUILD_EPOCH)

.PHONY: kernel initramfs newsystem disk FORCE
kernel: $(RIG_KERNEL)
initramfs: $(INITRAMFS)
newsystem: $(NEWSYSTEM_IMG)
disk: $(FACTORY_DISK)

$(RIG_KERNEL): FORCE
	$(Q)sh scripts/kernel.sh $(BUILD) $(BOARD_DEB_ARCH) $(BOARD_KERNEL_PKG)

$(RIG_BUSYBOX): FORCE
	$(Q)sh scripts/busybox.sh $(BUILD) $(BOARD_DEB_ARCH)

$(INITRAMFS): initramfs/init initramfs/mkinitramfs.sh $(RIG_BOARD)/modules \
		$(RIG_BOARD)/board.conf $(RIG_BOARD)/fw_env.config \
		$(RIG_KERNEL) $(RIG_BUSYBOX) $(BUILD)/sztpboot $(wildcard $(VOUCHER_TA)) $(wildcard $(SERVER_TA))
	$(Q)[ -f "$(VOUCHER_TA)" ] || { echo "initramfs: no voucher trust anchor" \
		"(keys/voucher-ta.pem or $(VOUCHER_TA)): run \`make keys\`" >&2; exit 1; }
	$(Q)$(RIG_EPOCH) sh initramfs/mkinitramfs.sh -o $@ -w $(BUILD)/initramfs-provision.d \
		-k $(BUILD)/kernel -b $(RIG_BUSYBOX) -i initramfs/init -m $(RIG_BOARD)/modules \
		-f $(BUILD)/sztpboot=/bin/sztpboot \
		-f $(RIG_BOARD)/board.conf=/etc/sztpboot/board.conf \
		-f $(RIG_BOARD)/fw_env.config=/etc/fw_env.config \
		-f $(VOUCHER_TA)=/etc/sztpboot/voucher-ta.pem \
		$$([ -f "$(SERVER_TA)" ] && echo "-f $(SERVER_TA)=/etc/sztpboot/server-ta.pem")

# OS_NAME is part of the image: rebuild when it changes.
$(BUILD)/newsystem/$(OS_VERSION).vars: FORCE
	@mkdir -p $(@D)
	@echo "$(OS_NAME) $(OS_VERSION)" | cmp -s - $@ || echo "$(OS_NAME) $(OS_VERSION)" >$@

$(NEWSYSTEM_IMG): newsystem/init newsystem/modules newsystem/mkimage.sh initramfs/mkinitramfs.sh \
		$(RIG_BOARD)/board.conf $(RIG_BOARD)/fw_env.config $(RIG_BOARD)/board.mk \
		$(RIG_KERNEL) $(RIG_BUSYBOX) $(BUILD)/sztpboot $(BUILD)/newsystem/$(OS_VERSION).vars \
		$(wildcard $(KEYS_DIR)/exampleos/ssh_host_ed25519_key.pub $(KEYS_DIR)/server-ta.pem)
	$(Q)$(RIG_EPOCH) KEYS_DIR=$(KEYS_DIR) sh newsystem/mkimage.sh -o $@ -n "$(OS_NAME)" -v "$(OS_VERSION)" -b $(BUILD) \
		-B $(RIG_BOARD)

$(FACTORY_DISK): qemu/mkdisk $(RIG_BOARD)/layout $(wildcard uboot-env/default.env)
	$(Q)qemu/mkdisk --board $(BOARD) $@
	@echo "  DISK    $@"
# === end rig =================================================================

# === bench: install pipeline benchmark (bench/README.md) =====================
# make bench       build/bench/install (boot_image_stream() in a static musl
#                  driver, linked like build/sztpboot) and bench/run.sh: MB/s
#                  and peak RSS beside openssl dgst and dd. Not part of `make test`.
#                  Then bench-https.
# make bench-https build/bench/https_install (boot_image_download(), same
#                  linking) and bench/https.sh: a 1 GiB image over HTTPS on
#                  loopback beside curl, from two servers.
BENCH_BIN  := $(BUILD)/bench/install
BENCH_HTTPS:= $(BUILD)/bench/https_install
BENCH_OBJS := $(patsubst $(SRC)/%.c,$(BUILD)/musl/%.o,$(LIB_SRCS))
.PHONY: bench bench-https
bench: $(BENCH_BIN) $(BENCH_HTTPS)
	$(Q)sh bench/run.sh $(BUILD)
	$(Q)sh bench/https.sh $(BUILD)
bench-https: $(BENCH_HTTPS)
	$(Q)sh bench/https.sh $(BUILD)

$(BENCH_BIN) $(BENCH_HTTPS): $(BUILD)/bench/%: bench/%.c $(BENCH_OBJS) $(BEARSSL_MUSL)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(MUSL_CC) $(filter-out -MMD -MP,$(MUSL_CFLAGS)) $(CPPFLAGS) $(MUSL_LDFLAGS) -o $@ \
		$< $(BENCH_OBJS) $(BEARSSL_MUSL)
# === end bench ===============================================================

# === u-boot: U-Boot boot chain (uboot-env/README.md, "U-Boot") =============
# make u-boot      the board's U-Boot, built from Debian's u-boot source
#                  package with board/$(BOARD)/u-boot.config (scripts/u-boot.sh)
#                  -> $(BUILD)/u-boot/u-boot.rom (x86) or u-boot.bin (arm64)
# make bootscript  uboot-env/boot.cmd with the board's addresses
#                  (uboot-env/mkscript.sh) -> $(BUILD)/u-boot/boot.scr
# make uboot-disk  U-Boot and a factory disk for booting through it ->
#                  $(BUILD)/images/uboot-disk.img: the factory disk plus, on
#                  the data partition, /boot/boot.scr and the provisioning
#                  system in /boot/provision/{vmlinuz,initrd.img,cmdline}
# Boot: qemu/run --board $(BOARD) --bios $(UBOOT_FW) --disk COPY-OF-uboot-disk.img
UBOOT_BINARY  := $(shell sed -n 's/^\# binary: *//p' board/$(BOARD)/u-boot.config 2>/dev/null)
UBOOT_FW      ?= $(BUILD)/u-boot/$(UBOOT_BINARY)
BOOTSCR       := $(BUILD)/u-boot/boot.scr
UBOOT_DISK    := $(BUILD)/images/uboot-disk.img
.PHONY: u-boot bootscript uboot-disk
u-boot: $(UBOOT_FW)
bootscript: $(BOOTSCR)
uboot-disk: $(UBOOT_DISK) $(UBOOT_FW)

$(BUILD)/u-boot/$(UBOOT_BINARY): scripts/u-boot.sh board/$(BOARD)/u-boot.config
	$(Q)sh scripts/u-boot.sh $(BUILD) $(BOARD)

$(BOOTSCR): uboot-env/boot.cmd uboot-env/mkscript.sh board/$(BOARD)/u-boot.vars $(RIG_BOARD)/layout
	@mkdir -p $(@D)
	$(Q)sh uboot-env/mkscript.sh $(BOARD) $@
	@echo "  SCRIPT  $@"

$(UBOOT_DISK): $(FACTORY_DISK) $(BOOTSCR) $(RIG_KERNEL) $(INITRAMFS) $(RIG_BOARD)/layout
	$(Q)set -e; . ./$(RIG_BOARD)/layout; t=$@.tmp; p="$$t@@$${DATA_START_MIB}M"; \
		cp $(FACTORY_DISK) $$t; \
		echo "console=$(BOARD_CONSOLE) loglevel=4" >$(BUILD)/u-boot/provision-cmdline; \
		MTOOLS_SKIP_CHECK=1 mmd -i "$$p" ::/boot ::/boot/provision; \
		MTOOLS_SKIP_CHECK=1 mcopy -i "$$p" $(BOOTSCR) ::/boot/boot.scr; \
		MTOOLS_SKIP_CHECK=1 mcopy -i "$$p" $(RIG_KERNEL) ::/boot/provision/vmlinuz; \
		MTOOLS_SKIP_CHECK=1 mcopy -i "$$p" $(INITRAMFS) ::/boot/provision/initrd.img; \
		MTOOLS_SKIP_CHECK=1 mcopy -i "$$p" $(BUILD)/u-boot/provision-cmdline ::/boot/provision/cmdline; \
		mv $$t $@
	@echo "  DISK    $@"
# === end u-boot ==============================================================

# === drivers: host test drivers (tests/<area>/<name>.c) ====================
# ASan+UBSan host builds, linked like the unit tests, run by the suites:
#   tls_get      src/tls_client.c: connect, GET, print (tests/suites/90-tls.sh)
#   dhcp_probe   one DHCPINFORM or DHCPv6 Information-request, or
#                source_dhcp_collect() (tests/suites/74-dhcp.sh)
#   dns_lookup   one TXT or SRV lookup with src/source_dns.c (72-dns.sh)
#   http_fetch   src/http_client.c and the boot image download: slot-file
#                downloads, keep-alive GETs, POSTs (92-http.sh)
# make drivers   builds them all ($(BUILD)/host-$(HOST_CC)/NAME); `host` too.
DRIVER_SRCS := tests/tls/tls_get.c tests/dhcp/dhcp_probe.c tests/dns/dns_lookup.c tests/http/http_fetch.c
DRIVERS     := $(foreach s,$(DRIVER_SRCS),$(BUILD)/host-$(HOST_CC)/$(basename $(notdir $(s))))
.PHONY: drivers
drivers: $(DRIVERS)
host: $(DRIVERS)

define driver_rule
$(BUILD)/host-$(HOST_CC)/$(basename $(notdir $(1))): $(1) $(HOST_LIBOBJS)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  CC      $$< ($$(HOST_CC))")
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) $$(CPPFLAGS) -o $$@ $$< $$(HOST_LIBOBJS) $$(BEARSSL)/native/libbearssl.a
endef
$(foreach s,$(DRIVER_SRCS),$(eval $(call driver_rule,$(s))))
-include $(DRIVERS:=.d)

# Both images carry initramfs/udhcpc.script (mkinitramfs.sh adds it).
$(INITRAMFS) $(NEWSYSTEM_IMG): initramfs/udhcpc.script
# The images carry trust anchors from the development PKI: make it first
# (`make -j`), without rebuilding them each time.
$(INITRAMFS) $(NEWSYSTEM_IMG): | keys
# === end drivers =============================================================

# === powercut: power cuts on qemu-x86_64 (tests/powercut/README.md) ========
# make test-powercut [N=30] [SEED=S] [PHASES=slot,env-trial,...]
#                  N random power cuts while a device provisions through
#                  U-Boot, each followed by a power-up without the stick and
#                  one with it (tests/powercut/run; ~1 min per cut). `make
#                  test` runs a fixed set (tests/suites/87-powercut.sh).
.PHONY: test-powercut
test-powercut:
	@[ "$(BOARD)" = qemu-x86_64 ] || { echo "test-powercut: board qemu-x86_64 only" >&2; exit 2; }
	$(Q)BUILD=$(BUILD) sh tests/powercut/run -n $(or $(N),30) $(if $(SEED),-s $(SEED)) \
		$(if $(PHASES),--phases $(PHASES))
# === end powercut ============================================================
