# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# libFuzzer targets: every tests/fuzz/fuzz_<name>.c is built with clang,
# ASan and UBSan against the userspace sources (not main.c) into
# build/fuzz/fuzz_<name>, and runs on its seed corpus tests/fuzz/corpus/<name>/.
# New inputs go to build/fuzz/corpus-<name>/, never into the repository.
#
# make fuzz FUZZ_SECONDS=60    run each target for FUZZ_SECONDS (default 60)
# make fuzz-smoke              run each target for 5 s (a quick regression pass)
# make fuzz-build              only build the targets
# make bench-rules             rules replay benchmark (events/s on one core)

FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRCS))
FUZZ_OBJS := $(patsubst user/%.c,$(FUZZ_DIR)/obj/%.o,$(USER_SRCS))
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	       $(COMMON_CFLAGS) $(PKG_CFLAGS)
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined

.PHONY: fuzz fuzz-smoke fuzz-build bench-rules
# keep the instrumented objects between builds (they are intermediates of a chain)
.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/kernel/loader.o: $(SKEL)
$(FUZZ_DIR)/obj/%.o: user/%.c $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) $< $(FUZZ_OBJS) $(LDLIBS) -o $@

# $(1): seconds per target
define fuzz_run
	$(Q)set -e; for b in $(FUZZ_BINS); do \
		n=$${b##*/fuzz_}; \
		mkdir -p $(FUZZ_DIR)/corpus-$$n $(FUZZ_DIR)/artifacts-$$n tests/fuzz/corpus/$$n; \
		echo "  FUZZ     $$n ($(1) s)"; \
		$$b -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
			-artifact_prefix=$(FUZZ_DIR)/artifacts-$$n/ \
			$(FUZZ_DIR)/corpus-$$n tests/fuzz/corpus/$$n 2>$(FUZZ_DIR)/$$n.log || \
			{ tail -n 40 $(FUZZ_DIR)/$$n.log; echo "fuzz: $$n failed, see $(FUZZ_DIR)/$$n.log"; exit 1; }; \
	done
endef

fuzz: $(FUZZ_BINS)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: $(FUZZ_BINS)
	$(call fuzz_run,5)

# Rules replay benchmark: default rules + output rendering on synthetic events.
$(BUILD)/bench/rules_replay: tests/bench/rules_replay.c $(LIB) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@

bench-rules: $(BUILD)/bench/rules_replay
	$(Q)./$(BUILD)/bench/rules_replay rules/shellsentry_rules.yaml 2000000
