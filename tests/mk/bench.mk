# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Benchmarks (issue 7), root only; without root they say so and exit 0.
#   make bench          full run: BPF cost vs an empty program and execsnoop, exec storm
#                       wall time, container shell storm (alerts/s, drops, latency, CPU,
#                       RSS), startup, rules replay; table on stdout + build/bench/results.json
#   make bench-smoke    the same code with few iterations (seconds), exits 0 when all ran
#   BENCH_ARGS=...      extra arguments for tests/bench/bench.sh (see its --help)

BENCH_DIR := $(BUILD)/bench
BENCH_TOOLS := $(BENCH_DIR)/exec_storm $(BENCH_DIR)/noop $(BENCH_DIR)/line_clock \
	       $(BENCH_DIR)/floor $(BENCH_DIR)/floor.bpf.o $(BENCH_DIR)/replay

.PHONY: bench-core bench-smoke bench-tools

bench-tools: $(BENCH_TOOLS)

# Static: both also run inside the busybox container.
$(BENCH_DIR)/exec_storm $(BENCH_DIR)/noop: $(BENCH_DIR)/%: tests/bench/%.c
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 $(COMMON_CFLAGS) -static $< -o $@

$(BENCH_DIR)/line_clock: tests/bench/line_clock.c
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 $(COMMON_CFLAGS) $< -o $@

$(BENCH_DIR)/floor.bpf.o: tests/bench/floor.bpf.c
	$(Q)mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BENCH_DIR)/floor: tests/bench/floor.c
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(shell pkg-config --libs libbpf 2>/dev/null) -o $@

$(BENCH_DIR)/replay: tests/bench/replay.c $(LIB) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@

bench-core: $(BIN) $(BENCH_TOOLS)
	$(Q)./tests/bench/bench.sh $(BENCH_ARGS)

bench: bench-core

bench-smoke: $(BIN) $(BENCH_TOOLS)
	$(Q)./tests/bench/bench.sh --smoke $(BENCH_ARGS)
