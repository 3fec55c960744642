# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Unit tests under AddressSanitizer and UndefinedBehaviorSanitizer (issue 8):
# the userspace sources (not main.c) and every tests/unit/test_*.c are built
# with clang into build/asan/, then run. Any report fails the run.
#
# make unit-asan          build and run them all
# make unit-asan-build    only build
# make build/asan/test_foo && ./build/asan/test_foo   one test

ASAN_DIR := $(BUILD)/asan
ASAN_OBJS := $(patsubst user/%.c,$(ASAN_DIR)/obj/%.o,$(USER_SRCS))
ASAN_LIB := $(ASAN_DIR)/libshellsentry.a
ASAN_BINS := $(patsubst tests/unit/%.c,$(ASAN_DIR)/%,$(UNIT_SRCS))
ASAN_CFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	       -fno-sanitize-recover=all -Wno-unused-command-line-argument \
	       $(COMMON_CFLAGS) $(PKG_CFLAGS)
# detect_leaks: a leak in a test is a leak in the code it drives.
ASAN_RUN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: unit-asan unit-asan-build
.SECONDARY: $(ASAN_OBJS)

$(ASAN_DIR)/obj/kernel/loader.o: $(SKEL)
$(ASAN_DIR)/obj/%.o: user/%.c $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,ASAN-CC,$@)
	$(Q)$(CLANG) $(ASAN_CFLAGS) -c $< -o $@

$(ASAN_LIB): $(ASAN_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(ASAN_DIR)/test_%: tests/unit/test_%.c $(ASAN_LIB) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,ASAN-LD,$@)
	$(Q)$(CLANG) $(ASAN_CFLAGS) $< $(ASAN_LIB) $(LDLIBS) -lcmocka -o $@

unit-asan-build: $(ASAN_BINS)

unit-asan: $(ASAN_BINS)
	$(Q)$(ASAN_RUN_ENV) ./tests/run-unit.sh $(ASAN_BINS)
