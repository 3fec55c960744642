# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Kernel matrix (issue 10): the BPF object under Debian's 5.10, 6.1 and 6.12
# cloud kernels in qemu, and on the host kernel.
#
# make test-kernels                 fetch (cached), build the driver, boot, table
# make test-kernels KERNELS="6.1"   a subset (tags from tests/kernels/kernels.list)
# make kernels-driver               only the static test driver
# KERNELS_REFRESH=1                 look for newer kernel packages
# KERNELS_JOBS=N, KERNELS_TIMEOUT=S parallel VMs (default: cores), per-VM timeout

KERNELS_DIR := $(BUILD)/kernels
KERNELS_DRIVER := $(KERNELS_DIR)/driver-$(ARCH)
KERNELS_DEB_ARCH := $(if $(filter arm64,$(ARCH)),arm64,amd64)
# The driver links the real loader; libbpf and its dependencies statically.
KERNELS_OBJS := $(OBJ)/loader.o
KERNELS_LIBS := -lbpf -lelf -lz -lzstd -lpthread

.PHONY: test-kernels kernels-driver kernels-fetch

kernels-driver: $(KERNELS_DRIVER)

$(KERNELS_DRIVER): tests/kernels/driver.c $(KERNELS_OBJS) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static tests/kernels/driver.c $(KERNELS_OBJS) $(KERNELS_LIBS) -o $@

kernels-fetch:
	$(Q)./tests/kernels/fetch.sh $(KERNELS_DIR) $(KERNELS_DEB_ARCH) $(KERNELS)

test-kernels:
	$(Q)./tests/deps.sh
	$(Q)$(MAKE) --no-print-directory -j2 $(KERNELS_DRIVER)
	$(Q)./tests/kernels/fetch.sh $(KERNELS_DIR) $(KERNELS_DEB_ARCH) $(KERNELS)
	$(Q)./tests/kernels/run.sh --driver $(KERNELS_DRIVER) --out $(KERNELS_DIR) \
		--arch $(KERNELS_DEB_ARCH) --host $(KERNELS)
