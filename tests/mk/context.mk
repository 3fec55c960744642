# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Container context: enrichment cost per event, cold and cached.
#   make bench-enrich                 fake node in a temp folder
#   make bench-enrich ENRICH_PID=123  a live container process (root)

BENCH_ENRICH := $(BUILD)/bench/enrich_cost

$(BENCH_ENRICH): tests/bench/enrich_cost.c $(LIB) $(USER_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@

.PHONY: bench-enrich
bench-enrich: $(BENCH_ENRICH)
	$(Q)./$(BENCH_ENRICH) -n 5000 $(if $(ENRICH_PID),-p $(ENRICH_PID))

bench: bench-enrich
