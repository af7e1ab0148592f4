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
 * Prints TAP, one result per device and path, with the number of points
 * swept and what the failing calls returned. Needs root.
 */
#include <getopt.h>

#include "debug_utils.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define FAIL_PAGE	"/sys/kernel/debug/fail_page_alloc"
#define NR_ERRNO	140

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

struct sweep {
	const char *path;
	struct dbg_dev *dev;
	int fd;			/* an open file for INFO and RPC */
	unsigned long hist[NR_ERRNO + 1];
	unsigned long fired, failed, bad;
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

static void sweep(struct dbg_dev *d, const char *path)
{
	struct sweep s = { .path = path, .dev = d, .fd = -1 };
	unsigned int n;
	bool done = false;
	int ret, e;

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
	if (!done && !s.why[0])
		snprintf(s.why, sizeof(s.why), "more than %u points", max_points);

	printf("# %s %s: %lu points, %lu calls failed:", type_name(d->type),
	       path, s.fired, s.failed);
	for (e = 1; e <= NR_ERRNO; e++)
		if (s.hist[e])
			printf(" %s=%lu", e < NR_ERRNO ?
			       strerrorname_np(e) ?: "?" : "other", s.hist[e]);
	printf("\n");
	if (s.bad && !s.why[0])
		snprintf(s.why, sizeof(s.why), "%lu unexpected errnos", s.bad);
	printf("%sok %d %s %s: %lu fault points%s%s\n", s.why[0] ? "not " : "",
	       ++tap, type_name(d->type), path, s.fired,
	       s.why[0] ? ": " : "", s.why);
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
	unsigned int i, j, n = 0, np = 0;
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
	for (j = 0; j < ARRAY_LEN(paths); j++)
		if (!want_paths || strstr(want_paths, paths[j]))
			np++;
	printf("1..%u\n", n * np);
	for (i = 0; i < n; i++) {
		printf("# %s: %s, registered by %s\n", type_name(devs[i].type),
		       devs[i].name, devs[i].bus_id);
		for (j = 0; j < ARRAY_LEN(paths); j++)
			if (!want_paths || strstr(want_paths, paths[j]))
				sweep(&devs[i], paths[j]);
	}
	return 0;
}
