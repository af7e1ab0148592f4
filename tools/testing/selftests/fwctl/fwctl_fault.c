// SPDX-License-Identifier: GPL-2.0
/*
 * Fault-injection sweep of fwctl, for the debug kernels (FAULT_INJECTION,
 * FAILSLAB, FAIL_PAGE_ALLOC, debugfs).
 *
 *   fwctl_fault [-t TYPE,...] [-p PATH,...] [-m MAX_POINTS]
 *
 * For the first fwctl device of each type (mock, cxl, accel; default all
 * there are), fails each allocation of a path in turn with the task's
 * /proc/thread-self/fail-nth: the nth, for n = 1, 2, ... until the call
 * succeeds without the fault firing. The paths (-p, default all): open,
 * info (FWCTL_INFO), rpc (FWCTL_RPC), unregister (unbind the device that
 * registered it from its driver) and register (bind it again). A call
 * that fails must fail with ENOMEM, or for a bind with an error its probe
 * reports; afterwards the device must be in one piece: bound or not as the
 * call said, and working. Leaks are for kmemleak, scanned after the run.
 *
 * Binding a PCI device also runs the PCI and ACPI cores' code, whose own
 * failure paths are not ours to test (a fault there has hit ACPICA: a
 * use-after-free in acpi_ns_get_attached_object() on the next bind). For
 * the PCI drivers (accel, cxl), register and unregister are swept twice,
 * each time failing only allocations whose call stack has a frame in one
 * module's code: the fwctl core (fwctl), then the device's driver
 * (accel_fwctl, cxl_fwctl). This is the stack-trace filter of failslab
 * and fail_page_alloc (FAULT_INJECTION_STACKTRACE_FILTER), which applies
 * to fail-nth too: only allocations that pass it count. The range of a
 * module's code comes from /proc/kallsyms: it starts at the module's
 * lowest text symbol and ends at the first symbol above its highest text
 * symbol, its own data or another module. Module code is mapped on its
 * own (MOD_TEXT), so the range holds all of its functions and no other
 * code; the sysfs section starts and the sizes in /proc/modules would not
 * give its end. The stack is looked at 32 frames deep, the most the
 * filter takes. The filter is reset (require-start=0,
 * require-end=ULONG_MAX) after each sweep.
 *
 * The accelerator's hardware layer (accel_edu.c, functions accel_edu_*)
 * is a PCI driver's probe: it enables the device, maps its BAR and
 * requests its IRQ, and the PCI, ACPI and IRQ cores' allocations below
 * those calls are not fwctl's. pcim_enable_device() evaluates the ACPI
 * _PRT method, and ACPICA's failure paths there corrupt its namespace
 * (the use-after-free above); request_irq() goes on without the IRQ's
 * /proc/irq entries, whose removal then warns. So the accel_fwctl filter
 * is its code below the first accel_edu_ function (the transaction layer,
 * which allocates and registers the fwctl device for the probe), and
 * allocations below pcim_enable_device() (reject-start/reject-end, its
 * range from /proc/kallsyms) never fail.
 *
 * A frame is a return address: a function that ends in a tail call, such
 * as fwctl_register() into cdev_device_add(), leaves no frame below it,
 * and the allocations of device_add() count under the driver's filter,
 * not the core's.
 *
 * In-tree, cxl_pci's probe creates the CXL fwctl device and goes on
 * without it when that fails: a CXL bind under such a fault must succeed,
 * with the memory device bound and no fwctl device, and binding again
 * without a fault brings the fwctl device back.
 *
 * Prints TAP, one result per device, path and filter, with the number of
 * points swept and what the failing calls returned. Needs root.
 */
#include <getopt.h>

#include "debug_utils.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define FAIL_PAGE	"/sys/kernel/debug/fail_page_alloc"
#define NR_ERRNO	140
/* The PCI core's enabling of a device, which runs ACPI methods */
#define FILTER_REJECT	"pcim_enable_device"

static int nth_fd = -1;
static unsigned int max_points = 5000;
static int tap;

/* Allocation faults for every GFP mask, order 0 too, without a trace */
static int fault_setup(void)
{
	static const char *const attrs[][2] = {
		{ FAILSLAB "/ignore-gfp-wait", "N" },
		{ FAILSLAB "/verbose", "0" },
		{ FAIL_PAGE "/ignore-gfp-wait", "N" },
		{ FAIL_PAGE "/ignore-gfp-highmem", "N" },
		{ FAIL_PAGE "/min-order", "0" },
		{ FAIL_PAGE "/verbose", "0" },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_LEN(attrs); i++) {
		ret = write_file(attrs[i][0], attrs[i][1]);
		if (ret)
			return ret;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return nth_fd < 0 ? -errno : 0;
}

static void nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		abort();
}

/* Whether the fault armed by nth_set() fired; disarms it */
static bool nth_fired(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		abort();
	nth_set(0);
	return strtoul(buf, NULL, 10) == 0;
}

/*
 * Code from /proc/kallsyms, into [*start, *end): with @mod, all of loaded
 * module @mod, or with @below its code below its lowest function named
 * @below...; else the built-in function @func. Returns 0, or -ENOENT
 * when there is no such module or function or addresses are hidden.
 */
static int code_range(const char *mod, const char *below, const char *func,
		      unsigned long *start, unsigned long *end)
{
	unsigned long addr, lo = ULONG_MAX, hi = 0, next = ULONG_MAX;
	char line[512], name[128], owner[80], tag[96], type;
	bool ours;
	FILE *f;
	int pass;

	snprintf(tag, sizeof(tag), "[%s]", mod ?: "");
	for (pass = 0; pass < 2; pass++) {
		f = fopen("/proc/kallsyms", "re");
		if (!f)
			return -errno;
		while (fgets(line, sizeof(line), f)) {
			owner[0] = 0;
			if (sscanf(line, "%lx %c %127s %79s", &addr, &type, name,
				   owner) < 3 || !addr)
				continue;
			if (mod)
				ours = !strcmp(owner, tag) &&
				       (type == 't' || type == 'T');
			else
				ours = !owner[0] && !strcmp(name, func);
			if (!pass && ours && below &&
			    !strncmp(name, below, strlen(below))) {
				next = addr < next ? addr : next;
			} else if (!pass && ours) {
				lo = addr < lo ? addr : lo;
				hi = addr > hi ? addr : hi;
			} else if (pass && !below && addr > hi && addr < next) {
				next = addr;
			} else if (pass && !ours && addr >= lo && addr <= hi) {
				/* Someone else's symbol among ours */
				fclose(f);
				return -EINVAL;
			}
		}
		fclose(f);
		if (!pass && lo > hi)
			return -ENOENT;
		if (!pass && below) {
			/* Our code up to the first @below... function */
			if (next == ULONG_MAX || next < lo)
				return -ENOENT;
			hi = next - 1;
		}
	}
	*start = lo;
	*end = next;
	return 0;
}

/*
 * Fail only allocations called from [req[0], req[1]) and not from
 * [rej[0], rej[1]); NULL resets
 */
static int filter_set(const unsigned long *req, const unsigned long *rej)
{
	static const char *const dirs[] = { FAILSLAB, FAIL_PAGE };
	const unsigned long all[2] = { 0, ULONG_MAX }, none[2] = { 0, 0 };
	static const char *const names[] = {
		"require-start", "require-end", "reject-start", "reject-end",
	};
	unsigned long v[4];
	char path[128], val[24];
	unsigned int i, j;
	int ret;

	req = req ?: all;
	rej = rej ?: none;
	v[0] = req[0];
	v[1] = req[1];
	v[2] = rej[0];
	v[3] = rej[1];
	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof(path), "%s/stacktrace-depth", dirs[i]);
		ret = write_file(path, "32");
		for (j = 0; j < ARRAY_LEN(names) && !ret; j++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i], names[j]);
			snprintf(val, sizeof(val), "%lu", v[j]);
			ret = write_file(path, val);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Allocations that fail: those of @mod's code, below @below... if set */
struct filter {
	const char *mod;
	const char *below;
};

struct sweep {
	const char *path;
	const struct filter *filter;	/* or NULL: every allocation */
	struct dbg_dev *dev;
	int fd;			/* an open file for INFO and RPC */
	unsigned long hist[NR_ERRNO + 1];
	unsigned long fired, failed, bad;
	unsigned long absent;	/* CXL binds that went on without fwctl */
	char why[160];
};

/* The device is bound and answers a fresh file's RPC */
static int dev_works(struct dbg_dev *d)
{
	int fd, ret;

	if (!dbg_bound(d) || dbg_node(d))
		return -ENODEV;
	fd = dbg_open(d);
	/*
	 * A fault in devtmpfs leaves the device without its node, which
	 * device_add() does not treat as an error: make it, as udev would
	 */
	if (fd == -ENOENT && !dbg_mknod(d))
		fd = dbg_open(d);
	if (fd < 0)
		return fd;
	ret = dbg_simple_rpc(fd, d->type, FWCTL_RPC_CONFIGURATION);
	close(fd);
	return ret;
}

static bool errno_expected(struct sweep *s, int err)
{
	/* cxl_pci's probe goes on without its fwctl device */
	if (s->filter && s->dev->type == FWCTL_DEVICE_TYPE_CXL &&
	    !strcmp(s->path, "register"))
		return false;
	if (err == ENOMEM)
		return true;
	/* A probe that failed may say so in its own words */
	return !strcmp(s->path, "register") &&
	       (err == ENODEV || err == EIO || err == ENXIO || err == EBUSY);
}

/* One call of the path under test; returns 0 or -errno */
static int call(struct sweep *s)
{
	int ret, fd;

	if (!strcmp(s->path, "open")) {
		fd = dbg_open(s->dev);
		if (fd < 0)
			return fd;
		close(fd);
		return 0;
	}
	if (!strcmp(s->path, "info"))
		return dbg_info(s->fd);
	if (!strcmp(s->path, "rpc"))
		return dbg_simple_rpc(s->fd, s->dev->type,
				      FWCTL_RPC_CONFIGURATION);
	if (!strcmp(s->path, "unregister"))
		return dbg_unbind(s->dev);
	ret = dbg_driver_op(s->dev, "bind");
	return ret;
}

/* Before each call: the state the path starts from */
static int prepare(struct sweep *s)
{
	if (!strcmp(s->path, "register")) {
		if (dbg_bound(s->dev) && dbg_unbind(s->dev))
			return -EBUSY;
		return 0;
	}
	if (!dbg_bound(s->dev))
		return dbg_bind(s->dev, true);
	return 0;
}

/* After each call: the device is whole again */
static int settle(struct sweep *s, int ret)
{
	if (!strcmp(s->path, "register") || !strcmp(s->path, "unregister")) {
		bool bound = dbg_bound(s->dev);

		if (!strcmp(s->path, "register") && ret && bound) {
			snprintf(s->why, sizeof(s->why),
				 "bind failed with %d but the device is bound",
				 ret);
			return -EINVAL;
		}
		/*
		 * cxl_pci goes on without its fwctl device: bound, no fwctl
		 * node, and whole again after an unbind and a bind
		 */
		if (!strcmp(s->path, "register") && !ret && bound &&
		    s->dev->type == FWCTL_DEVICE_TYPE_CXL && dbg_node(s->dev)) {
			s->absent++;
			if (dbg_unbind(s->dev)) {
				snprintf(s->why, sizeof(s->why),
					 "cannot unbind a device without fwctl");
				return -EINVAL;
			}
			bound = false;
		}
		if (!bound && dbg_bind(s->dev, true)) {
			snprintf(s->why, sizeof(s->why), "cannot bind again");
			return -EINVAL;
		}
	}
	ret = dev_works(s->dev);
	if (ret) {
		snprintf(s->why, sizeof(s->why),
			 "device broken afterwards: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

static void sweep(struct dbg_dev *d, const char *path,
		  const struct filter *filter)
{
	struct sweep s = { .path = path, .filter = filter, .dev = d, .fd = -1 };
	unsigned long req[2] = { 0 }, rej[2] = { 0 };
	char label[48];
	unsigned int n;
	bool done = false;
	int ret, e;

	snprintf(label, sizeof(label), "%s %s%s%s%s%s%s", type_name(d->type),
		 path, filter ? " (" : "", filter ? filter->mod : "",
		 filter && filter->below ? " below " : "",
		 filter && filter->below ? filter->below : "",
		 filter ? ")" : "");
	if (filter) {
		ret = code_range(filter->mod, filter->below, NULL, &req[0],
				 &req[1]);
		if (ret == -ENOENT) {
			printf("ok %d %s # SKIP %s is not a loaded module\n",
			       ++tap, label, filter->mod);
			return;
		}
		ret = ret ?: code_range(NULL, NULL, FILTER_REJECT, &rej[0],
					&rej[1]);
		ret = ret ?: filter_set(req, rej);
		if (ret) {
			printf("not ok %d %s: cannot filter, not %s: %s\n",
			       ++tap, label, FILTER_REJECT, strerror(-ret));
			filter_set(NULL, NULL);
			return;
		}
		printf("# %s: code at 0x%lx-0x%lx, not below 0x%lx-0x%lx\n",
		       label, req[0], req[1], rej[0], rej[1]);
	}

	for (n = 1; n <= max_points && !done && !s.why[0]; n++) {
		if (prepare(&s)) {
			snprintf(s.why, sizeof(s.why), "cannot prepare point %u", n);
			break;
		}
		if (!strcmp(path, "info") || !strcmp(path, "rpc")) {
			if (s.fd < 0)
				s.fd = dbg_open(d);
			if (s.fd < 0) {
				snprintf(s.why, sizeof(s.why), "cannot open");
				break;
			}
		}
		nth_set(n);
		ret = call(&s);
		if (!nth_fired()) {
			/* Past the last allocation: the call is whole */
			done = true;
			if (ret)
				snprintf(s.why, sizeof(s.why),
					 "fails without a fault: %s",
					 strerror(-ret));
		} else {
			s.fired++;
			if (ret) {
				s.failed++;
				e = -ret;
				s.hist[e > 0 && e < NR_ERRNO ? e : NR_ERRNO]++;
				if (!errno_expected(&s, e) && s.bad++ < 5)
					printf("# %s %s point %u: %s\n", d->name,
					       path, n, strerror(e));
			}
		}
		if (!s.why[0])
			settle(&s, ret);
	}
	if (s.fd >= 0)
		close(s.fd);
	if (filter && filter_set(NULL, NULL) && !s.why[0])
		snprintf(s.why, sizeof(s.why), "cannot reset the filter");
	if (!done && !s.why[0])
		snprintf(s.why, sizeof(s.why), "more than %u points", max_points);
	/* Registering reaches the filtered code: no point is a broken filter */
	if (filter && !strcmp(path, "register") && !s.fired && !s.why[0])
		snprintf(s.why, sizeof(s.why), "no allocation of %s failed",
			 filter->mod);

	printf("# %s: %lu points, %lu calls failed:", label, s.fired, s.failed);
	for (e = 1; e <= NR_ERRNO; e++)
		if (s.hist[e])
			printf(" %s=%lu", e < NR_ERRNO ?
			       strerrorname_np(e) ?: "?" : "other", s.hist[e]);
	if (s.dev->type == FWCTL_DEVICE_TYPE_CXL && !strcmp(path, "register"))
		printf("; %lu binds without a fwctl device", s.absent);
	printf("\n");
	if (s.bad && !s.why[0])
		snprintf(s.why, sizeof(s.why), "%lu unexpected errnos", s.bad);
	printf("%sok %d %s: %lu fault points%s%s\n", s.why[0] ? "not " : "",
	       ++tap, label, s.fired, s.why[0] ? ": " : "", s.why);
}

/* Register and unregister of a PCI driver: swept under each filter */
static bool filtered(const struct dbg_dev *d, const char *path)
{
	return d->type != FWCTL_DEVICE_TYPE_TEST_MOCK &&
	       (!strcmp(path, "register") || !strcmp(path, "unregister"));
}

static const struct filter core_filter = { "fwctl" };

static const struct filter *driver_filter(const struct dbg_dev *d)
{
	static const struct filter cxl = { "cxl_fwctl" };
	static const struct filter accel = { "accel_fwctl", "accel_edu_" };

	return d->type == FWCTL_DEVICE_TYPE_CXL ? &cxl : &accel;
}

int main(int argc, char **argv)
{
	static const char *const paths[] = {
		"open", "info", "rpc", "unregister", "register",
	};
	static const __u32 types[] = {
		FWCTL_DEVICE_TYPE_TEST_MOCK, FWCTL_DEVICE_TYPE_CXL,
		FWCTL_DEVICE_TYPE_ACCEL,
	};
	const char *want = NULL, *want_paths = NULL;
	struct dbg_dev devs[ARRAY_LEN(types)];
	unsigned int i, j, n = 0, nt = 0;
	int opt, ret;

	while ((opt = getopt(argc, argv, "t:p:m:")) != -1) {
		switch (opt) {
		case 't':
			want = optarg;
			break;
		case 'p':
			want_paths = optarg;
			break;
		case 'm':
			max_points = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-t mock,cxl,accel] [-p open,info,rpc,unregister,register] [-m MAX]\n",
				argv[0]);
			return 2;
		}
	}
	printf("TAP version 13\n");
	ret = fault_setup();
	if (ret) {
		printf("1..0 # SKIP no fault injection: %s\n", strerror(-ret));
		return 4;
	}
	for (i = 0; i < ARRAY_LEN(types); i++) {
		if (want && !strstr(want, type_name(types[i])))
			continue;
		if (dbg_find(types[i], &devs[n], 1) == 1)
			n++;
	}
	if (!n) {
		printf("1..0 # SKIP no fwctl device\n");
		return 4;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < ARRAY_LEN(paths); j++)
			if (!want_paths || strstr(want_paths, paths[j]))
				nt += filtered(&devs[i], paths[j]) ? 2 : 1;
	printf("1..%u\n", nt);
	for (i = 0; i < n; i++) {
		printf("# %s: %s, registered by %s\n", type_name(devs[i].type),
		       devs[i].name, devs[i].bus_id);
		for (j = 0; j < ARRAY_LEN(paths); j++) {
			if (want_paths && !strstr(want_paths, paths[j]))
				continue;
			if (!filtered(&devs[i], paths[j])) {
				sweep(&devs[i], paths[j], NULL);
				continue;
			}
			sweep(&devs[i], paths[j], &core_filter);
			sweep(&devs[i], paths[j], driver_filter(&devs[i]));
		}
	}
	return 0;
}
