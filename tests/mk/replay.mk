# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Replay test (issue 15): recorded ring-buffer records of real containers
# (tests/replay/records.jsonl) go through decode, the container id, the
# rules and the alert renderer; the alerts must equal tests/replay/expected.txt
# byte for byte. See tests/replay/README.md.
#
# make replay          replay and compare (part of make test)
# make replay-update   write the expected output from this tree's code
# make replay-record   record records.jsonl again (root, podman)

REPLAY_DIR := $(BUILD)/replay
REPLAY_BIN := $(REPLAY_DIR)/replay_alerts
REPLAY_CAPTURE := $(REPLAY_DIR)/capture
REPLAY_RECORDS := tests/replay/records.jsonl
REPLAY_EXPECTED := tests/replay/expected.txt
REPLAY_RULES := rules/shellsentry_rules.yaml rules/shellsentry_evasion_rules.yaml \
		tests/replay/rules_fields.yaml

.PHONY: replay replay-update replay-record

$(REPLAY_BIN): tests/replay/replay_alerts.c tests/replay/event_json.c tests/replay/event_json.h \
	       $(LIB) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/replay tests/replay/replay_alerts.c tests/replay/event_json.c \
		$(LIB) $(LDLIBS) -o $@

$(REPLAY_CAPTURE): tests/replay/capture.c tests/replay/event_json.c tests/replay/event_json.h \
		   $(LIB) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/replay tests/replay/capture.c tests/replay/event_json.c \
		$(LIB) $(LDLIBS) -o $@

replay: $(REPLAY_BIN)
	$(Q)./$(REPLAY_BIN) $(REPLAY_RECORDS) $(REPLAY_RULES) >$(REPLAY_DIR)/alerts.txt
	$(Q)if cmp -s $(REPLAY_EXPECTED) $(REPLAY_DIR)/alerts.txt; then \
		echo "replay: $$(grep -c '^# record' $(REPLAY_DIR)/alerts.txt) records, alerts identical"; \
	else \
		diff -u $(REPLAY_EXPECTED) $(REPLAY_DIR)/alerts.txt | cut -c1-600 | head -n 80; \
		echo "replay: alerts differ from $(REPLAY_EXPECTED) (diff above, lines cut at 600 bytes;" \
		     "full output in $(REPLAY_DIR)/alerts.txt)"; exit 1; \
	fi

replay-update: $(REPLAY_BIN)
	$(Q)./$(REPLAY_BIN) $(REPLAY_RECORDS) $(REPLAY_RULES) >$(REPLAY_DIR)/alerts.txt
	$(Q)cp $(REPLAY_DIR)/alerts.txt $(REPLAY_EXPECTED)
	$(Q)echo "replay: wrote $(REPLAY_EXPECTED)"

replay-record: $(BIN) $(REPLAY_CAPTURE)
	$(Q)./tests/replay/record.sh $(REPLAY_CAPTURE) $(REPLAY_RECORDS)

# The record codec's unit test builds the codec in.
$(BUILD)/tests/test_replay_json $(BUILD)/asan/test_replay_json: tests/replay/event_json.c \
	tests/replay/event_json.h
