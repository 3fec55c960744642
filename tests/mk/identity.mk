# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Executable identity (issue 14): the content classifier's unit test judges
# real executables from Debian packages, downloaded and unpacked at test
# time (never committed). The download runs before the unit tests; when it
# fails, make stops with the reason.
#
# make exe-samples        download and unpack (again only when the list changes)

EXE_SAMPLES := $(BUILD)/exe-samples/.stamp

$(EXE_SAMPLES): tests/deps.d/exe_samples.pkgs tests/exe_samples/fetch.sh \
		tests/exe_samples/sources.list
	$(call msg,FETCH,$(BUILD)/exe-samples)
	$(Q)./tests/exe_samples/fetch.sh $(BUILD)/exe-samples

.PHONY: exe-samples
exe-samples: $(EXE_SAMPLES)

unit unit-asan: $(EXE_SAMPLES)

# Benchmarks (root): BPF cost of the identity step against the empty program,
# exec -> alert latency of renamed shells, first sightings per second.
#   make bench-identity        full run (part of make bench)
#   make bench-identity-smoke  few iterations (part of make test's bench-smoke)
.PHONY: bench-identity bench-identity-smoke
bench-identity: $(BIN) $(BENCH_TOOLS)
	$(Q)./tests/bench/identity.sh $(BENCH_ID_ARGS)

bench-identity-smoke: $(BIN) $(BENCH_TOOLS)
	$(Q)./tests/bench/identity.sh --smoke

bench: bench-identity
bench-smoke: bench-identity-smoke
