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

T := tools/testing/fwctl
KBUILD = $(MAKE) -C $(KDIR) M=$(CURDIR) $(FWCTL_CONFIG) \
	 FWCTL_CONFIG="$(FWCTL_CONFIG)"

.PHONY: modules modules_install clean setup check demo lint checkpatch \
	kernel-doc build-check kunit tools vm-test kdir help have-kdir

modules: have-kdir
	$(KBUILD) modules

# Into /lib/modules/<release of KDIR>/updates/, unsigned (the distro's key
# is not ours), then depmod, which the headers cannot run for us
modules_install: have-kdir
	$(KBUILD) INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) \
		$(shell cat $(KDIR)/include/config/kernel.release)

clean:
	$(if $(wildcard $(KDIR)/Makefile),$(KBUILD) clean)

have-kdir:
	@test -f "$(KDIR)/Makefile" || \
		{ echo "No kernel build tree at KDIR='$(KDIR)': run 'make setup' or set KDIR=" >&2; exit 1; }

# Everything: setup, checkers, W=1 C=2 build, KUnit, VM selftests
check:
	$(T)/check.sh

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

vm-test:
	$(T)/vm.sh -n vm-selftests tools/testing/selftests/fwctl/vm_run.sh

kdir:
	@echo $(KDIR)

help:
	@echo 'Targets:'
	@echo '  modules (default)  build the modules against KDIR=$(KDIR)'
	@echo '  check              install what is missing, run every test tier, print one'
	@echo '                     "N passed, N failed, N skipped" line'
	@echo '  demo               boot the distro kernel in QEMU and use the fwctl command on every driver'
	@echo '  setup              install packages, unpack and patch the kernel source in .build/'
	@echo '  lint               build-check + checkpatch + kernel-doc'
	@echo '  build-check        clean build with W=1 C=2 (sparse); any warning fails'
	@echo '  checkpatch         scripts/checkpatch.pl --strict on every source file'
	@echo '  kernel-doc         scripts/kernel-doc -Wall on drivers/fwctl and include/'
	@echo '  kunit              KUnit suites under UML'
	@echo '  tools              build tools/fwctl and run its host tests'
	@echo '  vm-test            selftests in a QEMU guest running the distro kernel'
	@echo '  modules_install    install into /lib/modules/<release>/updates, run depmod'
	@echo '  clean              remove build products (not .build/)'
