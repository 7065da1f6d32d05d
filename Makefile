# sztpboot — Secure Zero Touch Provisioning (RFC 8572) device client.
#
#   make            build/sztpboot: static, stripped, musl + BearSSL
#   make deps       install what the build and tests need (Debian packages)
#   make test       deps + build + every test; last line "N passed, N failed"
#   make fuzz       run each libFuzzer harness (FUZZ_SECONDS=60 per harness)
#   V=1             show full command lines

VERSION     := 0.1.0
BUILD       ?= build
SRC         := src
BEARSSL     := $(BUILD)/bearssl-src
# The binary's build time is its notion of "not earlier than" (see README,
# "Clock policy"). Reproducible: SOURCE_DATE_EPOCH, else the last commit.
BUILD_EPOCH ?= $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell date +%s))

Q := @
ifeq ($(V),1)
Q :=
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
DEFS     := -D_DEFAULT_SOURCE -DSZTP_VERSION='"$(VERSION)"' -DSZTP_BUILD_EPOCH=$(BUILD_EPOCH)LL
CPPFLAGS := -I$(SRC) -I$(BEARSSL)/inc $(DEFS)
CSTD     := -std=c11

# Every .c in src/ except main.c is a library object shared by the device
# binary, the unit tests and the fuzzers.
LIB_SRCS := $(filter-out $(SRC)/main.c,$(wildcard $(SRC)/*.c))
ALL_SRCS := $(LIB_SRCS) $(SRC)/main.c

# --- device binary (musl, static) -----------------------------------------
MUSL_CC     := musl-gcc
MUSL_CFLAGS := $(CSTD) $(WARN) -Os -ffunction-sections -fdata-sections -MMD -MP
MUSL_LDFLAGS:= -static -s -Wl,--gc-sections
MUSL_OBJS   := $(patsubst $(SRC)/%.c,$(BUILD)/musl/%.o,$(ALL_SRCS))

# --- native sanitizer build (unit tests, host runs of the binary) ---------
HOST_CC      ?= gcc
SAN          := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS  := $(CSTD) $(WARN) -O1 -g $(SAN) -MMD -MP
HOST_OBJS    := $(patsubst $(SRC)/%.c,$(BUILD)/host-$(HOST_CC)/%.o,$(ALL_SRCS))
HOST_LIBOBJS := $(patsubst $(SRC)/%.c,$(BUILD)/host-$(HOST_CC)/%.o,$(LIB_SRCS))

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/host-$(HOST_CC)/unit/%,$(UNIT_SRCS))

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))

.PHONY: all deps test test-unit fuzz fuzzers host unit clean
all: $(BUILD)/sztpboot

deps:
	$(Q)sh scripts/deps.sh

$(BEARSSL)/musl/libbearssl.a $(BEARSSL)/native/libbearssl.a:
	$(Q)sh scripts/bearssl.sh $(BUILD)

$(BUILD)/musl/%.o: $(SRC)/%.c | $(BEARSSL)/musl/libbearssl.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(MUSL_CC) $(MUSL_CFLAGS) $(CPPFLAGS) -c -o $@ $<

$(BUILD)/sztpboot: $(MUSL_OBJS) $(BEARSSL)/musl/libbearssl.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(MUSL_CC) $(MUSL_LDFLAGS) -o $@ $(MUSL_OBJS) $(BEARSSL)/musl/libbearssl.a
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

test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory HOST_CC=gcc host
	$(Q)$(MAKE) --no-print-directory HOST_CC=clang host
	$(Q)$(MAKE) --no-print-directory fuzzers
	$(Q)sh tests/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)/musl $(BUILD)/host-* $(BUILD)/fuzz $(BUILD)/sztpboot $(BUILD)/t

-include $(MUSL_OBJS:.o=.d) $(wildcard $(BUILD)/host-*/*.d)
