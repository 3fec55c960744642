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

# The install-location scheme (user/lib/paths.h): the binary and make install share it.
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
SS_DATA_SUBDIR := share/shellsentry/rules
SS_CONFDIR := $(SYSCONFDIR)/shellsentry
PATH_DEFS := -DSS_DATA_SUBDIR='"$(SS_DATA_SUBDIR)"' -DSS_CONFDIR='"$(SS_CONFDIR)"'

# Every userspace compile shares these (product, unit and sanitizer tests, fuzzing,
# benchmarks, the kernel-matrix drivers); each build adds only its own options.
COMMON_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Iuser -I$(BUILD) \
		 $(PATH_DEFS)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS ?= -O2 -g
CFLAGS += $(COMMON_CFLAGS) $(PKG_CFLAGS)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Iinclude -Ivmlinux/$(ARCH) -I$(OBJ)

BPF_SRC := bpf/shellsentry.bpf.c
BPF_HDRS := $(wildcard bpf/*.bpf.h) include/shellsentry.h
SKEL := $(BUILD)/shellsentry.skel.h
# user/<stage>/*.c: one folder per pipeline stage (user/README.md); main.c alone on top.
USER_SRCS := $(wildcard user/*/*.c)
USER_OBJS := $(patsubst user/%.c,$(OBJ)/%.o,$(USER_SRCS))
USER_HDRS := $(wildcard user/*/*.h) include/shellsentry.h
LIB := $(BUILD)/libshellsentry.a
BIN := $(BUILD)/shellsentry
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.PHONY: all deps run test unit integration bench clean format format-check
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

# Only the loader includes the skeleton: a BPF change rebuilds it alone.
$(OBJ)/kernel/loader.o: $(SKEL)
$(OBJ)/%.o: user/%.c $(USER_HDRS) | $(OBJ)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The project version (VERSION) and commit: only lib/version.o carries them,
# rebuilt when either changes (the image build passes both on the command line).
VERSION := $(shell cat VERSION 2>/dev/null || echo unknown)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
VERSION_STAMP := $(BUILD)/version.stamp
$(VERSION_STAMP): FORCE | $(OBJ)
	$(Q)echo '$(VERSION) $(COMMIT)' | cmp -s - $@ || echo '$(VERSION) $(COMMIT)' >$@
$(OBJ)/lib/version.o: $(VERSION_STAMP)
$(OBJ)/lib/version.o: CFLAGS += -DSS_VERSION='"$(VERSION)"' -DSS_COMMIT='"$(COMMIT)"'
.PHONY: FORCE
FORCE:

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
TEST_STEPS := format-check replay install-check unit-asan fuzz-smoke integration bench-smoke

test: deps
	$(Q)$(MAKE) --no-print-directory -j2 all $(UNIT_BINS)
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)set -e; for s in $(TEST_STEPS); do $(MAKE) --no-print-directory $$s; done

# Every C file but the generated vmlinux.h, with the repository's .clang-format.
format:
	git ls-files '*.c' '*.h' | grep -v '^vmlinux/' | xargs clang-format -i

format-check:
	$(Q)./tests/format-check.sh

clean:
	rm -rf $(BUILD)

# ---- install -----------------------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc] [SYSTEMDUNITDIR=...]
#   binary, shipped rules and knowledge base, man page, systemd unit, example config (kept
#   if present). The rules go to $(PREFIX)/$(SS_DATA_SUBDIR), where the binary looks for
#   them (user/lib/paths.h), the config to $(SS_CONFDIR).
# make uninstall     the same files, not the config
# make check-deploy  systemd-analyze verify of the unit, as installed
SBINDIR := $(PREFIX)/sbin
DATADIR := $(PREFIX)/$(SS_DATA_SUBDIR)
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

.PHONY: install uninstall check-deploy install-check

install: $(BIN)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SS_CONFDIR)
	$(Q)$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/shellsentry
	$(Q)$(INSTALL) -m 0644 rules/*.yaml $(DESTDIR)$(DATADIR)/
	$(Q)$(INSTALL) -m 0644 deploy/man/shellsentry.8 $(DESTDIR)$(MANDIR)/man8/shellsentry.8
	$(Q)sed 's|^ExecStart=/usr/local/sbin/shellsentry|ExecStart=$(SBINDIR)/shellsentry|' \
		deploy/systemd/shellsentry.service > $(DESTDIR)$(SYSTEMDUNITDIR)/shellsentry.service
	$(Q)chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/shellsentry.service
	$(Q)test -e $(DESTDIR)$(SS_CONFDIR)/shellsentry.yaml || \
		$(INSTALL) -m 0640 deploy/shellsentry.yaml $(DESTDIR)$(SS_CONFDIR)/shellsentry.yaml

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/shellsentry $(DESTDIR)$(MANDIR)/man8/shellsentry.8 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/shellsentry.service
	rm -rf $(DESTDIR)$(DATADIR)
	-rmdir $(DESTDIR)$(patsubst %/,%,$(dir $(DATADIR))) 2>/dev/null

# Verifies the unit with ExecStart pointing at the built binary (verify needs it to exist).
check-deploy: $(BIN)
	$(Q)./deploy/check-deploy.sh $(BIN)

# An installed tree finds its rules and knowledge base from any folder (no root needed).
install-check: $(BIN)
	$(Q)./tests/install-check.sh

# Feature fragments (benchmarks, fuzzing, kernel matrix) in tests/mk add their own targets.
-include tests/mk/*.mk
