# SPDX-License-Identifier: GPL-2.0
#
# Builds fwctl as external modules for a distribution kernel, and runs the
# tests. `make help` lists the targets. In a kernel tree, drivers/fwctl/ is
# built by the kernel's own Makefiles and this file is not used.

# Kernel build tree: the newest installed Debian 6.12 headers, unless given
KDIR ?= $(shell ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -n 1)

# The fwctl options an external build turns on. Add new drivers here.
FWCTL_CONFIG := CONFIG_FWCTL=m CONFIG_FWCTL_MOCK=m CONFIG_FWCTL_ACCEL=m \
		CONFIG_FWCTL_ACCEL_TEST=y CONFIG_FWCTL_CXL=m CONFIG_FWCTL_CXL_SIM=m \
		CONFIG_FWCTL_MLX5=m

# The one place that knows kernel versions, with compat/fwctl_compat.h.
# Before 6.12 (Debian 12's 6.1): the CXL driver needs the private
# drivers/cxl headers of 6.12 and the mlx5 driver firmware commands and an
# auxiliary device that older mlx5_core lacks, so only the core, the mock
# and the accelerator are built, and FWCTL_OLD_KERNEL=1 has Kbuild turn on
# the older kernels' part of compat/fwctl_compat.h.
KRELEASE := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
ifneq ($(KRELEASE),)
ifneq ($(firstword $(shell printf '%s\n' 6.12 $(KRELEASE) | sort -V)),6.12)
FWCTL_CONFIG := $(filter-out CONFIG_FWCTL_CXL% CONFIG_FWCTL_MLX5%,$(FWCTL_CONFIG))
FWCTL_OLD_KERNEL := 1
endif
endif

T := tools/testing/fwctl
comma := ,
space := $(subst ,, )
KBUILD = $(MAKE) -C $(KDIR) M=$(CURDIR) $(FWCTL_CONFIG) \
	 FWCTL_CONFIG="$(FWCTL_CONFIG)" FWCTL_OLD_KERNEL=$(FWCTL_OLD_KERNEL)

.PHONY: modules modules_install clean setup check demo lint checkpatch \
	kernel-doc build-check kunit tools vm-test kdir help have-kdir \
	check-debug docs dkms dkms-source series series-refresh series-check \
	bench

modules: have-kdir
	$(KBUILD) modules

# The release the kernel reports, which names its /lib/modules directory.
# Not kernel.release: Debian's 6.1 headers hold the upstream version there.
KUTS = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	 $(KDIR)/include/generated/utsrelease.h)

# Into /lib/modules/<release>/updates/, unsigned (the distro's key is not
# ours), then depmod, which the headers cannot run for us
modules_install: have-kdir
	$(KBUILD) INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= \
		KERNELRELEASE=$(KUTS) modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KUTS)

# Not kbuild's clean: for an external module it deletes the build products
# of every directory below this one, the kernel builds in .build/ included
clean:
	find drivers \( -name '*.[aios]' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.d' \
		-o -name '.*.tmp' -o -name '*.symtypes' -o -name modules.order \) \
		-type f -delete
	rm -f Module.symvers modules.order .module-common.o .*.cmd

have-kdir:
	@test -f "$(KDIR)/Makefile" || \
		{ echo "No kernel build tree at KDIR='$(KDIR)': run 'make setup' or set KDIR=" >&2; exit 1; }

# Everything: setup, checkers, W=1 C=2 build, KUnit, VM selftests
check:
	$(T)/check.sh

# Build the x86_64 debug kernel (KASAN, UBSAN, lockdep, kmemleak, DMA-API
# debug, fault injection) and run the selftests, the fuzzer, the sweeps and
# the lockdown boots on it
check-debug:
	$(T)/setup.sh
	$(T)/check-debug.sh

# Boot the distribution kernel in QEMU with the mock, a CXL memory device
# and an accelerator, and use the fwctl command on each
demo:
	$(T)/setup.sh
	$(T)/vm.sh --demo -n demo -m demo -d "cxl_acpi cxl_pci cxl_mem cxl_pmem" \
		tools/testing/selftests/fwctl/vm_demo.sh

setup:
	$(T)/setup.sh

lint: build-check checkpatch kernel-doc

build-check checkpatch kernel-doc:
	$(T)/lint.sh $@

kunit:
	$(T)/kunit.sh

tools:
	$(T)/tools.sh

docs:
	$(T)/docs.sh

# The in-tree patch series, in .build/series/patches
series:
	$(T)/series.sh --generate

series-refresh:
	$(T)/series.sh --refresh

series-check:
	$(T)/series.sh

# DKMS source tree in .build/dkms/src; `make dkms` also builds it with dkms
# for 6.12 and 6.1 and runs the selftests on 6.1
dkms-source:
	$(T)/dkms.sh --source-only

dkms:
	$(T)/dkms.sh

vm-test:
	$(T)/vm.sh -n vm-selftests tools/testing/selftests/fwctl/vm_run.sh

# fwctl against baselines measured in the same guest (fwctl_bench.c); the
# smoke run of check.sh is the same without fwctl_bench=full
bench:
	$(T)/setup.sh
	VM_APPEND="fwctl_bench=full $(if $(BENCH),fwctl_bench_groups=$(subst $(space),$(comma),$(strip $(BENCH)))) $(VM_APPEND)" \
		$(T)/vm.sh -n bench -m cxl \
		-d "cxl_acpi cxl_pci cxl_mem cxl_pmem" \
		tools/testing/selftests/fwctl/vm_bench.sh

kdir:
	@echo $(KDIR)

help:
	@echo 'Targets:'
	@echo '  modules (default)  build the modules against KDIR=$(KDIR)'
	@echo '  check              install what is missing, run every test tier, print one'
	@echo '                     "N passed, N failed, N skipped" line'
	@echo '  check-debug        build a debug kernel, run selftests, fuzzer, fault/unplug'
	@echo '                     sweeps, permission matrix and lockdown boots on it'
	@echo '  demo               boot the distro kernel in QEMU and use the fwctl command on every driver'
	@echo '  bench              benchmarks in QEMU: fwctl against same-run baselines, one table;'
	@echo '                     BENCH="small cxl" runs only those groups (small, large,'
	@echo '                     scaling, cxl, unplug, memory)'
	@echo '  setup              install packages, unpack and patch the kernel source in .build/'
	@echo '  lint               build-check + checkpatch + kernel-doc'
	@echo '  build-check        clean build with W=1 C=2 (sparse); any warning fails'
	@echo '  checkpatch         scripts/checkpatch.pl --strict on every source file'
	@echo '  kernel-doc         scripts/kernel-doc -Wall on drivers/fwctl and include/'
	@echo '  kunit              KUnit suites under UML'
	@echo '  tools              build tools/fwctl and run its host tests'
	@echo '  vm-test            selftests in a QEMU guest running the distro kernel'
	@echo '  series             the in-tree patch series for 6.12, in .build/series/patches'
	@echo '  series-refresh     re-fit patches/series/*.strip after the sources changed'
	@echo '  series-check       the series applies, builds patch by patch, passes checkpatch'
	@echo '  docs               Sphinx build of Documentation/userspace-api/fwctl, no warnings'
	@echo '  dkms-source        the DKMS source tree, in .build/dkms/src'
	@echo '  dkms               dkms build/install for 6.12 and 6.1, selftests on 6.1 in QEMU'
	@echo '  modules_install    install into /lib/modules/<release>/updates, run depmod'
	@echo '  clean              remove build products (not .build/)'
