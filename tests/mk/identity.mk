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
