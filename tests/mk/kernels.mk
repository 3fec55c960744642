# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Kernel matrix (issue 10): the one BPF object under Debian's 5.10, 6.1 and
# 6.12 cloud kernels in qemu (x86-64 and arm64, TCG), and on the host kernel.
#
# make test-kernels                 deps, drivers, kernels (cached), boot, tables
# make test-kernels KERNELS="6.1"   a subset (tags from tests/kernels/kernels.list)
# make test-kernels KERNELS_ARM64=0 x86-64 and host only
# make test-kernels-x86 / test-kernels-arm64
# KERNELS_REFRESH=1                 look for newer kernel packages
# KERNELS_JOBS=N, KERNELS_TIMEOUT=S parallel VMs (default 3), per-VM timeout (150 s)

KERNELS_DIR := $(BUILD)/kernels
KERNELS_LIBS := -lbpf -lelf -lz -lzstd -lpthread
KERNELS_ARM64 ?= 1

# Native (x86-64): the real loader from the library, libbpf and its
# dependencies linked statically.
KERNELS_X86_DRIVER := $(KERNELS_DIR)/driver-x86

$(KERNELS_X86_DRIVER): tests/kernels/driver.c $(OBJ)/kernel/loader.o $(LIB) $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static tests/kernels/driver.c $(OBJ)/kernel/loader.o $(LIB) \
		$(KERNELS_LIBS) -o $@

# arm64: the same driver and loader cross-built against arm64 static libraries
# that sysroot.sh extracts from Debian's packages; the same BPF object (CO-RE,
# nothing arch-specific in it).
KERNELS_A64_DRIVER := $(KERNELS_DIR)/driver-arm64
KERNELS_A64_ROOT := $(KERNELS_DIR)/sysroot-arm64
KERNELS_A64_SRCS := tests/kernels/driver.c user/kernel/loader.c user/kernel/loader_maps.c \
		    user/kernel/loader_rings.c user/kernel/ring_reader.c \
		    user/kernel/cgroup.c user/kernel/bpf_diag.c \
		    user/context/container_id.c user/lib/error.c user/lib/file.c
KERNELS_A64_CC ?= aarch64-linux-gnu-gcc

$(KERNELS_A64_DRIVER): $(KERNELS_A64_SRCS) $(SKEL) $(USER_HDRS)
	$(Q)./tests/kernels/sysroot.sh $(KERNELS_DIR) arm64
	$(call msg,LINK,$@)
	$(Q)$(KERNELS_A64_CC) -O2 -g $(COMMON_CFLAGS) \
		-I$(KERNELS_A64_ROOT)/usr/include -static $(KERNELS_A64_SRCS) \
		-L$(KERNELS_A64_ROOT)/usr/lib/aarch64-linux-gnu $(KERNELS_LIBS) -o $@

.PHONY: test-kernels test-kernels-x86 test-kernels-arm64 kernels-drivers

kernels-drivers: $(KERNELS_X86_DRIVER) $(if $(filter 1,$(KERNELS_ARM64)),$(KERNELS_A64_DRIVER))

# Both matrices run even when the first fails; the target fails if either did.
test-kernels:
	$(Q)./tests/deps.sh
	$(Q)$(MAKE) --no-print-directory -j2 kernels-drivers
	$(Q)rc=0; \
	$(MAKE) --no-print-directory test-kernels-x86 || rc=1; \
	if [ "$(KERNELS_ARM64)" = 1 ]; then \
		$(MAKE) --no-print-directory test-kernels-arm64 || rc=1; \
	fi; \
	exit $$rc

test-kernels-x86: $(KERNELS_X86_DRIVER)
	$(Q)./tests/kernels/fetch.sh $(KERNELS_DIR) amd64 $(KERNELS)
	$(Q)echo "kernels: x86-64 under qemu-system-x86_64 (TCG), and the host kernel"
	$(Q)./tests/kernels/run.sh --driver $(KERNELS_X86_DRIVER) --out $(KERNELS_DIR) \
		--arch amd64 --host $(KERNELS)

test-kernels-arm64: $(KERNELS_A64_DRIVER)
	$(Q)./tests/kernels/fetch.sh $(KERNELS_DIR) arm64 $(KERNELS)
	$(Q)echo "kernels: arm64 under qemu-system-aarch64 (TCG)"
	$(Q)./tests/kernels/run.sh --driver $(KERNELS_A64_DRIVER) --out $(KERNELS_DIR) \
		--arch arm64 --busybox $(KERNELS_A64_ROOT)/bin/busybox $(KERNELS)
