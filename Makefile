# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# make            build build/shellsentry
# make run        install build deps, build, run the detector (root; stdout: alerts only)
# make test       install deps, build, run unit and integration tests
# make bench      benchmarks (root)
# make deps       install the Debian packages build, tests and benchmarks need
#                 (tests/deps.d/*.list; make run installs only build.list)
# V=1             show commands

.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

ARCH := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
BUILD := build
OBJ := $(BUILD)/obj
CLANG ?= clang
CC ?= cc
BPFTOOL ?= bpftool
PKGS := libbpf libelf zlib yaml-0.1 json-c libcurl libcap

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Iinclude -Iuser -I$(BUILD) \
	  -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Iinclude -Ivmlinux/$(ARCH) -I$(OBJ)

BPF_SRC := bpf/shellsentry.bpf.c
BPF_HDRS := $(wildcard bpf/*.bpf.h) include/shellsentry.h
SKEL := $(BUILD)/shellsentry.skel.h
USER_SRCS := $(filter-out user/main.c,$(wildcard user/*.c))
USER_OBJS := $(patsubst user/%.c,$(OBJ)/%.o,$(USER_SRCS))
USER_HDRS := $(wildcard user/*.h) include/shellsentry.h
LIB := $(BUILD)/libshellsentry.a
BIN := $(BUILD)/shellsentry
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.PHONY: all deps run test unit integration bench clean format
all: $(BIN)

$(OBJ) $(BUILD)/tests:
	$(Q)mkdir -p $@

$(OBJ)/shellsentry.bpf.o: $(BPF_SRC) $(BPF_HDRS) | $(OBJ)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

$(SKEL): $(OBJ)/shellsentry.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name shellsentry_bpf > $@

# Every userspace object may include the skeleton: a BPF change rebuilds them.
$(OBJ)/%.o: user/%.c $(USER_HDRS) $(SKEL) | $(OBJ)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(USER_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(OBJ)/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(USER_HDRS) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -lcmocka -o $@

deps:
	$(Q)./tests/deps.sh

# Only build and run dependencies; stdout carries nothing but alerts (the build
# and the command line go to stderr), so `make run | ...` reads clean JSON.
run:
	@./tests/deps.sh run
	@$(MAKE) --no-print-directory -j2 all >&2
	@echo ./$(BIN) $(ARGS) >&2
	@./$(BIN) $(ARGS)

unit: $(UNIT_BINS)
	$(Q)./tests/run-unit.sh $(UNIT_BINS)

integration: $(BIN)
	$(Q)./tests/run-integration.sh

# Steps after the unit tests; fragments in tests/mk define them.
TEST_STEPS := unit-asan fuzz-smoke integration bench-smoke

test: deps
	$(Q)$(MAKE) --no-print-directory -j2 all $(UNIT_BINS)
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)set -e; for s in $(TEST_STEPS); do $(MAKE) --no-print-directory $$s; done

format:
	clang-format -i bpf/*.c bpf/*.h user/*.c user/*.h include/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD)

# Feature fragments (benchmarks, fuzzing, kernel matrix) in tests/mk add their own targets.
-include tests/mk/*.mk
