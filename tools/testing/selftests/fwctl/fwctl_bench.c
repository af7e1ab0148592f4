// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl benchmarks: what an RPC through fwctl costs over the least any
 * pass-through must do, measured in the same run.
 *
 *   fwctl_bench [-q] [GROUP...]
 *
 * -q runs few, short rounds: it proves every figure is produced, the
 * figures themselves mean little. GROUPs (small, large, scaling, cxl,
 * unplug, memory) limit the run to their figures.
 *
 * Needs fwctl_mock loaded with at least two devices (device 1 is unplugged
 * and bound again), root, and for the CXL figure a CXL memory device with
 * its fwctl node. Prints TAP: a table of figures as "# " lines, then one
 * test per figure that passes when the figure could be measured. No speed
 * is asserted: the PASS/MISS column of the table says whether a target
 * holds, which only means something on an otherwise idle machine.
 *
 * Baselines:
 * - floor: /dev/fwctl_mock_floor, whose ioctl copies its argument in,
 *   allocates one buffer, copies the request in and the reply out, frees
 *   the buffer and copies the argument back: an RPC without fwctl and
 *   without a device. fwctl sends the mock's ECHO command of the same
 *   total length, answered in place.
 * - 1 thread: the same RPCs from one thread, for the 2-thread figures.
 * - native: CXL_MEM_SEND_COMMAND on the same CXL device's /dev/cxl/memN.
 * - longest RPC: for unplug, the longest RPC in flight while the device
 *   was unregistered (unbinding mock device 1 while 8 threads send it
 *   RPCs that each take a few ms in the firmware). The mock reports how
 *   long fwctl_unregister() took (its unregister_ns parameter); the whole
 *   unbind, with the driver core's own work, is shown beside it. The
 *   figure includes the RCU grace period the write side of the per-CPU
 *   registration lock waits for, which elapses while the RPCs in flight
 *   end.
 * - formula, for memory (bytes), from the allocator's size classes:
 *     per open file  <= filp + kmalloc(uctx_size) + driver's per-file state
 *                       + fd table (8, 16 while it doubles) + slack
 *       the mock: uctx_size 32 and one 32-byte firmware context, so
 *       filp + 32 + 32 + 16 + slack; filp is the object size in
 *       /proc/slabinfo; measured with 1000 files open
 *     per RPC in flight <= kmalloc(buffer) + slack
 *       buffer = max(in_len, min(out_len, longest reply of the table)) when
 *       that is at most a page, else max(in_len, min(out_len, out_max))
 *       of the command; measured with 64 threads each blocked in a 4 KiB
 *       ECHO held by the mock's rpc_delay_ms: 4096 + slack
 *     where slack is 64 + 16 KiB / count: what the rest of the system
 *       allocates meanwhile (the LSMs' file blobs among it), spread over
 *       the count
 *   Both are the growth of the bytes in slab objects in use (/proc/slabinfo
 *   after shrinking every cache) while the files are open or the RPCs
 *   blocked.
 *
 * Every time figure comes from batches of calls timed with CLOCK_MONOTONIC;
 * a fwctl batch and a baseline batch alternate (ABAB, the order swapped
 * each pair) so that noise from the host hits both. Medians and the 99th
 * percentile are over the batches; a ratio is fwctl's median over the
 * baseline's (for throughput, fwctl's over the baseline's as well).
 */
#include <linux/cxl_mem.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "fwctl_utils.h"
#include <fwctl/cxl.h>

#define FLOOR_DEV		"/dev/" FWCTL_MOCK_FLOOR_NAME
#define CXL_BUS_DEVS		"/sys/bus/cxl/devices"
#define CXL_OP_IDENTIFY		0x4000
#define CXL_IDENTIFY_LEN	0x43
#define MAX_SAMPLES		256
#define UNPLUG_THREADS		8
#define UNPLUG_MOCK		1
#define MEM_FDS			1000
#define MEM_RPCS		64
#define MEM_RPC_LEN		4096
/* What the rest of the system may allocate meanwhile, spread over @n */
#define MEM_SLACK(n)		(64 + 16384.0 / (n))
#define MIB			(1024.0 * 1024.0)

static bool quick;
static char **groups;
static int ngroups;

/* Whether the figures of @group were asked for (all by default) */
static bool wanted(const char *group)
{
	int i;

	for (i = 0; i < ngroups; i++)
		if (!strcmp(groups[i], group))
			return true;
	return !ngroups;
}

static int ntests;
static int nfailed;

/* One figure: fwctl beside its baseline */
struct figure {
	char name[40];
	const char *unit;
	const char *base_name;
	double a_med, a_p99, b_med, b_p99;
	double ratio;
	const char *target;
	bool pass;
	bool have_target;
	char skip[64];
	char error[96];
	bool done;
};

static struct figure figs[24];
static int nfigs;

static struct figure *fig_new(const char *name, const char *unit,
			      const char *base_name, const char *target)
{
	struct figure *f = &figs[nfigs++];

	snprintf(f->name, sizeof(f->name), "%s", name);
	f->unit = unit;
	f->base_name = base_name;
	f->target = target ? target : "-";
	f->have_target = target;
	return f;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and 99th percentile (nearest rank) of @n samples, sorted here */
static void summarize(double *v, int n, double *med, double *p99)
{
	int rank;

	qsort(v, n, sizeof(*v), cmp_double);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	rank = (99 * n + 99) / 100;
	*p99 = v[rank > 0 ? rank - 1 : 0];
}

/* For throughput the bad tail is the low end */
static void summarize_rate(double *v, int n, double *med, double *p99)
{
	int rank;

	qsort(v, n, sizeof(*v), cmp_double);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	rank = n - (99 * n + 99) / 100;
	*p99 = v[rank];
}

/* An operation timed in batches: returns 0 or -errno */
struct op {
	int (*fn)(struct op *op);
	int fd;
	void *in, *out;
	__u32 in_len, out_len;
};

/*
 * The timed calls issue their ioctl directly, as the floor's do, so that
 * both sides cost user space the same. Returns the reply length or -errno.
 */
static long op_ioctl_rpc(struct op *op)
{
	struct fwctl_rpc cmd = {
		.size = sizeof(cmd),
		.scope = FWCTL_RPC_CONFIGURATION,
		.in_len = op->in_len,
		.out_len = op->out_len,
		.in = (uintptr_t)op->in,
		.out = (uintptr_t)op->out,
	};

	if (ioctl(op->fd, FWCTL_RPC, &cmd))
		return -errno;
	return cmd.out_len;
}

static int op_rpc(struct op *op)
{
	long ret = op_ioctl_rpc(op);

	if (ret < 0)
		return ret;
	return ret == op->out_len ? 0 : -EIO;
}

static int op_floor(struct op *op)
{
	struct fwctl_mock_floor arg = {
		.size = sizeof(arg),
		.in_len = op->in_len,
		.out_len = op->out_len,
		.in = (uintptr_t)op->in,
		.out = (uintptr_t)op->out,
	};

	return ioctl(op->fd, FWCTL_MOCK_FLOOR_COPY, &arg) ? -errno : 0;
}

static int op_native_identify(struct op *op)
{
	struct cxl_send_command cmd = {
		.id = CXL_MEM_COMMAND_ID_IDENTIFY,
		.out.size = CXL_IDENTIFY_LEN,
		.out.payload = (uintptr_t)op->out,
	};

	if (ioctl(op->fd, CXL_MEM_SEND_COMMAND, &cmd))
		return -errno;
	return cmd.retval || cmd.out.size != CXL_IDENTIFY_LEN ? -EIO : 0;
}

static int op_fwctl_identify(struct op *op)
{
	const struct fwctl_rpc_cxl_out *rsp = op->out;
	long ret = op_ioctl_rpc(op);

	if (ret < 0)
		return ret;
	return rsp->retval || rsp->size != CXL_IDENTIFY_LEN ? -EIO : 0;
}

/* Nanoseconds per call of a batch of @calls, or a negative errno */
static double time_batch(struct op *op, int calls)
{
	__u64 t0 = now_ns();
	int i, ret;

	for (i = 0; i < calls; i++) {
		ret = op->fn(op);
		if (ret)
			return ret;
	}
	return (double)(now_ns() - t0) / calls;
}

/*
 * Times @a against @b in @pairs pairs of batches of @calls calls, the
 * order swapped each pair. Fills the medians and p99 in ns per call.
 */
static int time_ab(struct figure *f, struct op *a, struct op *b, int pairs,
		   int calls)
{
	static double sa[MAX_SAMPLES], sb[MAX_SAMPLES];
	double t1, t2;
	int i;

	/* Warm up the caches, the allocator and the device */
	t1 = time_batch(a, 2);
	t2 = time_batch(b, 2);
	if (t1 < 0 || t2 < 0)
		goto err;
	for (i = 0; i < pairs; i++) {
		struct op *first = i % 2 ? b : a, *second = i % 2 ? a : b;

		t1 = time_batch(first, calls);
		t2 = time_batch(second, calls);
		if (t1 < 0 || t2 < 0)
			goto err;
		sa[i] = i % 2 ? t2 : t1;
		sb[i] = i % 2 ? t1 : t2;
	}
	summarize(sa, pairs, &f->a_med, &f->a_p99);
	summarize(sb, pairs, &f->b_med, &f->b_p99);
	return 0;
err:
	snprintf(f->error, sizeof(f->error), "call failed: %s",
		 strerror(-(int)(t1 < 0 ? t1 : t2)));
	return -1;
}

static void fig_latency(struct figure *f, double limit)
{
	f->a_med /= 1000;
	f->a_p99 /= 1000;
	f->b_med /= 1000;
	f->b_p99 /= 1000;
	f->ratio = f->a_med / f->b_med;
	f->pass = f->ratio <= limit;
	f->done = true;
}

/* Converts ns per call of @len bytes to MiB/s */
static void fig_throughput(struct figure *f, size_t len, double limit)
{
	double a_med = f->a_med, a_p99 = f->a_p99;
	double b_med = f->b_med, b_p99 = f->b_p99;

	f->a_med = len / MIB / (a_med / 1e9);
	f->a_p99 = len / MIB / (a_p99 / 1e9);
	f->b_med = len / MIB / (b_med / 1e9);
	f->b_p99 = len / MIB / (b_p99 / 1e9);
	f->ratio = f->a_med / f->b_med;
	f->pass = f->ratio >= limit;
	f->done = true;
}

/* An ECHO request and a floor request of @len bytes each way */
static int echo_ops(int fd, int floor_fd, size_t len, struct op *rpc,
		    struct op *floor)
{
	__u8 *in = calloc(1, len), *out = calloc(1, len);

	if (!in || !out) {
		free(in);
		free(out);
		return -ENOMEM;
	}
	mock_req_init(in, FWCTL_MOCK_OP_ECHO, len - sizeof(struct fwctl_mock_req));
	memset(in + sizeof(struct fwctl_mock_req), 0x5a,
	       len - sizeof(struct fwctl_mock_req));
	*rpc = (struct op){ op_rpc, fd, in, out, len, len };
	*floor = (struct op){ op_floor, floor_fd, in, out, len, len };
	return 0;
}

static void bench_small(int fd, int floor_fd)
{
	static const size_t lens[] = { 16, 32, 64 };
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(lens); i++) {
		struct op rpc, floor;
		struct figure *f;
		char name[40];

		snprintf(name, sizeof(name), "small RPC %zu B latency", lens[i]);
		f = fig_new(name, "us/call", "floor", "<= 1.10x");
		if (echo_ops(fd, floor_fd, lens[i], &rpc, &floor)) {
			snprintf(f->error, sizeof(f->error), "out of memory");
			continue;
		}
		if (!time_ab(f, &rpc, &floor, quick ? 15 : 101,
			     quick ? 20 : 200))
			fig_latency(f, 1.10);
		free(rpc.in);
		free(rpc.out);
	}
}

static void bench_large(int fd, int floor_fd)
{
	static const struct {
		const char *name;
		size_t len;
		int calls;
	} sizes[] = {
		{ "64 KiB", 64 * 1024, 20 },
		{ "1 MiB", 1024 * 1024, 3 },
		/* The longest request the mock echoes: 2 MiB - 16 */
		{ "2 MiB", sizeof(struct fwctl_mock_req) + FWCTL_MOCK_ECHO_MAX, 2 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(sizes); i++) {
		bool last = i == ARRAY_LEN(sizes) - 1;
		struct op rpc, floor;
		struct figure *f;
		char name[40];

		snprintf(name, sizeof(name), "large RPC %s throughput",
			 sizes[i].name);
		f = fig_new(name, "MiB/s", "floor", last ? ">= 0.90x" : NULL);
		if (echo_ops(fd, floor_fd, sizes[i].len, &rpc, &floor)) {
			snprintf(f->error, sizeof(f->error), "out of memory");
			continue;
		}
		if (!time_ab(f, &rpc, &floor, quick ? 5 : 31,
			     quick ? 1 : sizes[i].calls))
			fig_throughput(f, sizes[i].len, last ? 0.90 : 0);
		free(rpc.in);
		free(rpc.out);
	}
}

/* Threads sending ECHO RPCs, started together */
struct worker {
	pthread_t thread;
	pthread_barrier_t *barrier;
	struct op op;
	int calls;
	__u64 start, end;
	int ret;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	double t;

	pthread_barrier_wait(w->barrier);
	w->start = now_ns();
	t = time_batch(&w->op, w->calls);
	w->end = now_ns();
	w->ret = t < 0 ? (int)t : 0;
	return NULL;
}

/* Calls per second of @n threads running @ops, or a negative errno */
static double run_threads(struct op *ops, int n, int calls)
{
	pthread_barrier_t barrier;
	struct worker w[2] = {};
	__u64 start = ~0ULL, end = 0;
	int i, ret = 0;

	pthread_barrier_init(&barrier, NULL, n);
	for (i = 0; i < n; i++) {
		w[i].barrier = &barrier;
		w[i].op = ops[i];
		w[i].calls = calls;
		if (pthread_create(&w[i].thread, NULL, worker_fn, &w[i]))
			return -EAGAIN;
	}
	for (i = 0; i < n; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].ret)
			ret = w[i].ret;
		if (w[i].start < start)
			start = w[i].start;
		if (w[i].end > end)
			end = w[i].end;
	}
	pthread_barrier_destroy(&barrier);
	return ret ? ret : (double)n * calls * 1e9 / (end - start);
}

/*
 * 1 thread against 2 on separate files and 2 on one file, and for
 * reference the same on the floor device: rounds of each in turn. On one
 * file the kernel itself shares a cache line between the threads: every
 * ioctl of a multi-threaded process takes and drops a reference on the
 * struct file, whatever the driver.
 */
static void bench_scaling(int fd, int fd2, int floor_fd)
{
	static double r1[MAX_SAMPLES], r2[MAX_SAMPLES], rs[MAX_SAMPLES];
	static double f1[MAX_SAMPLES], f2[MAX_SAMPLES], fs[MAX_SAMPLES];
	int rounds = quick ? 5 : 31, calls = quick ? 200 : 2000, i;
	struct op one[2], shared[2], floor[2], fshared[2];
	struct figure *sep, *same, *flr, *flrs;
	int floor_fd2;

	sep = fig_new("2 threads, 2 files, 64 B RPCs", "kcalls/s", "1 thread",
		      ">= 1.80x");
	same = fig_new("2 threads, 1 file, 64 B RPCs", "kcalls/s", "1 thread",
		       ">= 1.80x");
	flr = fig_new("floor 2 threads, 2 files (ref.)", "kcalls/s",
		      "1 thread", NULL);
	flrs = fig_new("floor 2 threads, 1 file (ref.)", "kcalls/s",
		       "1 thread", NULL);
	floor_fd2 = open(FLOOR_DEV, O_RDWR | O_CLOEXEC);
	if (floor_fd2 < 0) {
		snprintf(sep->error, sizeof(sep->error), "open %s: %s",
			 FLOOR_DEV, strerror(errno));
		return;
	}
	if (echo_ops(fd, floor_fd, 64, &one[0], &floor[0]) ||
	    echo_ops(fd2, floor_fd2, 64, &one[1], &floor[1]) ||
	    echo_ops(fd, floor_fd, 64, &shared[1], &fshared[1])) {
		snprintf(sep->error, sizeof(sep->error), "out of memory");
		close(floor_fd2);
		return;
	}
	/* shared[i] and fshared[i] share buffers with one[i] and floor[i] */
	shared[0] = one[0];
	fshared[0] = floor[0];

	for (i = 0; i < rounds; i++) {
		r1[i] = run_threads(one, 1, calls) / 1000;
		r2[i] = run_threads(one, 2, calls) / 1000;
		rs[i] = run_threads(shared, 2, calls) / 1000;
		f1[i] = run_threads(floor, 1, calls) / 1000;
		f2[i] = run_threads(floor, 2, calls) / 1000;
		fs[i] = run_threads(fshared, 2, calls) / 1000;
		if (r1[i] < 0 || r2[i] < 0 || rs[i] < 0 || f1[i] < 0 ||
		    f2[i] < 0 || fs[i] < 0) {
			snprintf(sep->error, sizeof(sep->error),
				 "a thread's call failed: %.0f %.0f %.0f %.0f %.0f %.0f",
				 r1[i], r2[i], rs[i], f1[i], f2[i], fs[i]);
			goto out;
		}
	}
	summarize_rate(r2, rounds, &sep->a_med, &sep->a_p99);
	summarize_rate(rs, rounds, &same->a_med, &same->a_p99);
	summarize_rate(f2, rounds, &flr->a_med, &flr->a_p99);
	summarize_rate(fs, rounds, &flrs->a_med, &flrs->a_p99);
	summarize_rate(f1, rounds, &flr->b_med, &flr->b_p99);
	summarize_rate(r1, rounds, &sep->b_med, &sep->b_p99);
	same->b_med = sep->b_med;
	same->b_p99 = sep->b_p99;
	flrs->b_med = flr->b_med;
	flrs->b_p99 = flr->b_p99;
	sep->ratio = sep->a_med / sep->b_med;
	same->ratio = same->a_med / same->b_med;
	flr->ratio = flr->a_med / flr->b_med;
	flrs->ratio = flrs->a_med / flrs->b_med;
	sep->pass = sep->ratio >= 1.8;
	same->pass = same->ratio >= 1.8;
	sep->done = true;
	same->done = true;
	flr->done = true;
	flrs->done = true;
out:
	free(one[0].in);
	free(one[0].out);
	free(one[1].in);
	free(one[1].out);
	free(shared[1].in);
	free(shared[1].out);
	close(floor_fd2);
}

/* The first CXL memdev's sysfs name ("memN") whose fwctl node exists */
static int find_cxl(char *mem, size_t len, char *node, size_t nlen)
{
	struct dirent *e, *g;
	char path[PATH_MAX];
	DIR *d, *fd;
	int ret = -ENOENT;

	d = opendir(CXL_BUS_DEVS);
	while (d && ret && (e = readdir(d))) {
		if (strncmp(e->d_name, "mem", 3))
			continue;
		snprintf(path, sizeof(path), CXL_BUS_DEVS "/%s/fwctl",
			 e->d_name);
		fd = opendir(path);
		while (fd && (g = readdir(fd))) {
			if (strncmp(g->d_name, "fwctl", 5))
				continue;
			snprintf(mem, len, "%.31s", e->d_name);
			snprintf(node, nlen, "%.31s", g->d_name);
			ret = 0;
			break;
		}
		if (fd)
			closedir(fd);
	}
	if (d)
		closedir(d);
	return ret;
}

static void bench_cxl(void)
{
	struct fwctl_rpc_cxl req = { .opcode = CXL_OP_IDENTIFY };
	__u8 out[sizeof(struct fwctl_rpc_cxl_out_hdr) + CXL_IDENTIFY_LEN];
	char mem[32], node[32], path[64];
	struct op fw, native;
	struct figure *f;
	int fd, nfd;

	f = fig_new("CXL Identify latency", "us/call", "native", "<= 1.10x");
	if (find_cxl(mem, sizeof(mem), node, sizeof(node))) {
		snprintf(f->skip, sizeof(f->skip), "no CXL memdev with fwctl");
		return;
	}
	snprintf(path, sizeof(path), "/dev/fwctl/%s", node);
	fd = open(path, O_RDWR | O_CLOEXEC);
	snprintf(path, sizeof(path), "/dev/cxl/%s", mem);
	nfd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || nfd < 0) {
		snprintf(f->error, sizeof(f->error), "cannot open %s or its fwctl node",
			 path);
		goto out;
	}
	fw = (struct op){ op_fwctl_identify, fd, &req,
			  out, sizeof(struct fwctl_rpc_cxl_hdr), sizeof(out) };
	native = (struct op){ op_native_identify, nfd, NULL, out, 0, 0 };
	if (!time_ab(f, &fw, &native, quick ? 9 : 51, quick ? 5 : 30))
		fig_latency(f, 1.10);
out:
	if (fd >= 0)
		close(fd);
	if (nfd >= 0)
		close(nfd);
}

/* RPCs that each sleep in the firmware, until the device is gone */
struct unplug_worker {
	pthread_t thread;
	int fd;
	unsigned int msecs;
	__u64 longest;			/* longest RPC in flight at unbind */
	int rpcs;
	int ret;
};

static __u64 unbind_start, unbind_end;

static void *unplug_fn(void *arg)
{
	struct unplug_worker *w = arg;
	struct fwctl_mock_sleep *sl;
	__u8 in[MOCK_REQ_LEN(sizeof(*sl))], out[MOCK_RSP_LEN(sizeof(*sl))];

	mock_req_init(in, FWCTL_MOCK_OP_SLEEP, sizeof(*sl));
	sl = (void *)(in + sizeof(struct fwctl_mock_req));
	sl->msecs = htole32(w->msecs);
	for (;;) {
		__u32 out_len = sizeof(out);
		__u64 t0 = now_ns(), t1;
		int ret;

		ret = rpc_call(w->fd, FWCTL_RPC_CONFIGURATION, in, sizeof(in),
			       out, &out_len);
		t1 = now_ns();
		if (ret) {
			w->ret = ret == -ENODEV ? 0 : ret;
			return NULL;
		}
		w->rpcs++;
		/* In flight at some point of the unbind */
		if (__atomic_load_n(&unbind_start, __ATOMIC_ACQUIRE) &&
		    t1 > unbind_start && t1 - t0 > w->longest)
			w->longest = t1 - t0;
	}
}

static void bench_unplug(void)
{
	static double su[MAX_SAMPLES], sl[MAX_SAMPLES], sb[MAX_SAMPLES];
	unsigned int msecs = quick ? 10 : 20;
	int rounds = quick ? 2 : 7, r, i;
	struct figure *f, *fb;

	f = fig_new("unregister under 8 threads of RPCs", "ms", "longest RPC",
		    "<= base+5ms");
	fb = fig_new("whole unbind (driver core too)", "ms", "longest RPC",
		     NULL);
	if (mock_count() <= UNPLUG_MOCK) {
		snprintf(f->skip, sizeof(f->skip), "needs 2 mock devices");
		return;
	}
	for (r = 0; r < rounds; r++) {
		struct unplug_worker w[UNPLUG_THREADS] = {};
		__u64 longest = 0, unreg_ns = 0;
		int ret = 0;

		__atomic_store_n(&unbind_start, 0, __ATOMIC_RELEASE);
		for (i = 0; i < UNPLUG_THREADS; i++) {
			w[i].fd = mock_open(UNPLUG_MOCK);
			w[i].msecs = msecs;
			if (w[i].fd < 0 ||
			    pthread_create(&w[i].thread, NULL, unplug_fn, &w[i])) {
				snprintf(f->error, sizeof(f->error),
					 "cannot start RPCs on mock %d",
					 UNPLUG_MOCK);
				snprintf(fb->error, sizeof(fb->error),
					 "see above");
				return;
			}
		}
		/* Every thread in its stride, at a random point of its RPC */
		sleep_ms(3 * msecs + r * 3);
		__atomic_store_n(&unbind_start, now_ns(), __ATOMIC_RELEASE);
		ret = mock_unbind(UNPLUG_MOCK);
		unbind_end = now_ns();
		for (i = 0; i < UNPLUG_THREADS; i++) {
			pthread_join(w[i].thread, NULL);
			close(w[i].fd);
			if (w[i].ret)
				ret = w[i].ret;
			if (w[i].longest > longest)
				longest = w[i].longest;
		}
		if (!ret && read_u64(MOCK_PARAMS "/unregister_ns", &unreg_ns))
			ret = -ENOENT;
		if (ret || mock_bind(UNPLUG_MOCK)) {
			snprintf(f->error, sizeof(f->error),
				 "unbind, an RPC or the rebind failed: %s",
				 strerror(ret < 0 ? -ret : EIO));
			snprintf(fb->error, sizeof(fb->error), "see above");
			mock_bind(UNPLUG_MOCK);
			return;
		}
		su[r] = unreg_ns / 1e6;
		sb[r] = (unbind_end - unbind_start) / 1e6;
		sl[r] = longest / 1e6;
	}
	/* Judged on the worst round: unregister must never wait for more */
	f->pass = true;
	for (r = 0; r < rounds; r++)
		if (su[r] > sl[r] + 5)
			f->pass = false;
	summarize(su, rounds, &f->a_med, &f->a_p99);
	summarize(sb, rounds, &fb->a_med, &fb->a_p99);
	summarize(sl, rounds, &f->b_med, &f->b_p99);
	fb->b_med = f->b_med;
	fb->b_p99 = f->b_p99;
	f->ratio = f->a_med / f->b_med;
	fb->ratio = fb->a_med / fb->b_med;
	f->done = true;
	fb->done = true;
}

/*
 * /proc/slabinfo and every cache's shrink file, opened once: opening them
 * allocates (a seq_file buffer of 4 KiB from the same cache as a small
 * RPC's, among others), and an allocation made between the shrink and the
 * count takes a fresh slab whose free objects the count then sees as in
 * use. Kept open, a read or a write allocates nothing that stays.
 */
static int slabinfo_fd = -1;
static int *shrink_fds;
static int nshrink;

static int slab_open(void)
{
	struct dirent *e;
	DIR *d;

	if (slabinfo_fd >= 0)
		return 0;
	slabinfo_fd = open("/proc/slabinfo", O_RDONLY | O_CLOEXEC);
	if (slabinfo_fd < 0)
		return -1;
	d = opendir("/sys/kernel/slab");
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		int *fds, fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 e->d_name);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		fds = realloc(shrink_fds, (nshrink + 1) * sizeof(*fds));
		if (!fds) {
			close(fd);
			break;
		}
		shrink_fds = fds;
		shrink_fds[nshrink++] = fd;
	}
	if (d)
		closedir(d);
	return 0;
}

/*
 * Bytes in slab objects in use, from /proc/slabinfo, once every cache has
 * been shrunk: that moves the objects the per-CPU caches hold back to
 * the lists /proc/slabinfo counts, so that what remains is what is
 * allocated, object by object, whatever slab pages were already there.
 */
static long slab_bytes(void)
{
	static char buf[1 << 20];
	long active, total, size, sum = 0;
	char name[64], *line, *save;
	ssize_t n, len = 0;
	int i;

	if (slab_open())
		return -1;
	for (i = 0; i < nshrink; i++)
		if (pwrite(shrink_fds[i], "1", 1, 0) != 1)
			return -1;
	if (lseek(slabinfo_fd, 0, SEEK_SET) < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(slabinfo_fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &total,
			   &size) == 4)
			sum += active * size;
	return sum;
}

/* Object size of a slab cache, from /proc/slabinfo, or -1 */
static long slab_objsize(const char *cache)
{
	char line[256], name[64];
	long active, total, size = -1;
	FILE *fp;

	fp = fopen("/proc/slabinfo", "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &total,
			   &size) == 4 && !strcmp(name, cache))
			break;
		size = -1;
	}
	fclose(fp);
	return size;
}

static void settle(void)
{
	sync();
	sleep_ms(50);
}

static void bench_mem_fd(void)
{
	static double sm[MAX_SAMPLES], sb[MAX_SAMPLES];
	int rounds = quick ? 1 : 5, n = quick ? 200 : MEM_FDS, r, i;
	struct rlimit rl;
	static int fds[MEM_FDS];
	long filp, before, after;
	char name[64], path[128];
	struct figure *f;

	f = fig_new("kernel memory per open file", "B", "formula",
		    "<= formula");
	filp = slab_objsize("filp");
	if (filp < 0) {
		snprintf(f->skip, sizeof(f->skip), "no filp in /proc/slabinfo");
		return;
	}
	if (mock_node(0, name, sizeof(name))) {
		snprintf(f->error, sizeof(f->error), "no mock device 0");
		return;
	}
	snprintf(path, sizeof(path), "/dev/fwctl/%s", name);
	slab_open();
	rl.rlim_cur = MEM_FDS + 64 + nshrink;
	rl.rlim_max = rl.rlim_cur;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (r = 0; r < rounds; r++) {
		settle();
		before = slab_bytes();
		for (i = 0; i < n; i++) {
			fds[i] = open(path, O_RDWR | O_CLOEXEC);
			if (fds[i] < 0) {
				fds[i] = -errno;
				break;
			}
		}
		settle();
		after = slab_bytes();
		if (i < n) {
			snprintf(f->error, sizeof(f->error),
				 "open %d failed: %s", i, strerror(-fds[i]));
			n = i;
		}
		while (i--)
			close(fds[i]);
		if (f->error[0])
			return;
		if (before < 0 || after < 0) {
			snprintf(f->error, sizeof(f->error), "no /proc/slabinfo");
			return;
		}
		sm[r] = (double)(after - before) / n;
		sb[r] = filp + 32 + 32 + 16 + MEM_SLACK(n);
	}
	summarize(sm, rounds, &f->a_med, &f->a_p99);
	summarize(sb, rounds, &f->b_med, &f->b_p99);
	f->ratio = f->a_med / f->b_med;
	f->pass = f->a_med <= f->b_med;
	f->done = true;
}

struct mem_worker {
	pthread_t thread;
	size_t len;
	pthread_barrier_t *barrier;
	int fd;
	int ret;
};

static void *mem_fn(void *arg)
{
	struct mem_worker *w = arg;
	struct op rpc, floor;

	w->ret = echo_ops(w->fd, -1, w->len, &rpc, &floor);
	if (!w->ret)
		memset(rpc.out, 0, w->len);
	/* Ready, with every page of ours touched; then go */
	pthread_barrier_wait(w->barrier);
	pthread_barrier_wait(w->barrier);
	if (!w->ret)
		w->ret = rpc.fn(&rpc);
	free(rpc.in);
	free(rpc.out);
	return NULL;
}

/* The kmalloc size class of @len, for lengths up to 8 KiB */
static size_t kmalloc_size(size_t len)
{
	size_t size = 8;

	if (len > 64 && len <= 96)
		return 96;
	if (len > 128 && len <= 192)
		return 192;
	while (size < len)
		size *= 2;
	return size;
}

static void bench_mem_rpc(size_t len)
{
	static double sm[MAX_SAMPLES], sb[MAX_SAMPLES];
	int rounds = quick ? 1 : 5, n = quick ? 16 : MEM_RPCS, r, i;
	unsigned int delay = quick ? 500 : 1000;
	static struct mem_worker w[MEM_RPCS];
	pthread_barrier_t barrier;
	__u64 rpcs0, rpcs;
	long before, after;
	struct figure *f;
	char name[64];

	f = fig_new("kernel memory per RPC in flight", "B", "formula",
		    "<= formula");
	if (mock_node(0, name, sizeof(name))) {
		snprintf(f->error, sizeof(f->error), "no mock device 0");
		return;
	}
	if (mock_param_set("rpc_delay_ms", delay)) {
		snprintf(f->skip, sizeof(f->skip), "no rpc_delay_ms parameter");
		return;
	}
	for (r = 0; r < rounds && !f->error[0]; r++) {
		pthread_barrier_init(&barrier, NULL, n + 1);
		for (i = 0; i < n; i++) {
			w[i].barrier = &barrier;
			w[i].len = len;
			w[i].fd = mock_open(0);
			w[i].ret = 0;
			if (w[i].fd < 0 ||
			    pthread_create(&w[i].thread, NULL, mem_fn, &w[i])) {
				/* Cannot recover a barrier short of threads */
				printf("Bail out! cannot start %d threads\n", n);
				exit(1);
			}
		}
		/* Threads, stacks and files exist: only the RPCs differ */
		pthread_barrier_wait(&barrier);
		settle();
		before = slab_bytes();
		if (dev_stat(name, "configuration", &rpcs0))
			rpcs0 = 0;
		pthread_barrier_wait(&barrier);
		/* Until every RPC has entered the core, then a little more */
		for (i = 0; i < (int)delay / 20; i++) {
			if (!dev_stat(name, "configuration", &rpcs) &&
			    rpcs - rpcs0 >= (__u64)n)
				break;
			sleep_ms(10);
		}
		sleep_ms(20);
		after = slab_bytes();
		for (i = 0; i < n; i++) {
			pthread_join(w[i].thread, NULL);
			close(w[i].fd);
			if (w[i].ret)
				snprintf(f->error, sizeof(f->error),
					 "an RPC failed: %s",
					 strerror(-w[i].ret));
		}
		pthread_barrier_destroy(&barrier);
		sm[r] = (double)(after - before) / n;
		sb[r] = kmalloc_size(len) + MEM_SLACK(n);
	}
	mock_param_set("rpc_delay_ms", 0);
	if (f->error[0])
		return;
	summarize(sm, rounds, &f->a_med, &f->a_p99);
	summarize(sb, rounds, &f->b_med, &f->b_p99);
	f->ratio = f->a_med / f->b_med;
	f->pass = f->a_med <= f->b_med;
	f->done = true;
}

static void report(void)
{
	int i;

	printf("# %-34s %-8s %10s %10s  %-11s %10s %10s %7s  %-11s %s\n",
	       "figure", "unit", "fwctl", "fwctl", "baseline", "base",
	       "base", "ratio", "target", "result");
	printf("# %-34s %-8s %10s %10s  %-11s %10s %10s %7s  %-11s %s\n",
	       "", "", "median", "p99", "", "median", "p99", "", "", "");
	for (i = 0; i < nfigs; i++) {
		struct figure *f = &figs[i];

		if (!f->done) {
			printf("# %-34s %s\n", f->name,
			       f->skip[0] ? "skipped" : "failed");
			continue;
		}
		printf("# %-34s %-8s %10.2f %10.2f  %-11s %10.2f %10.2f %7.3f  %-11s %s\n",
		       f->name, f->unit, f->a_med, f->a_p99, f->base_name,
		       f->b_med, f->b_p99, f->ratio, f->target,
		       !f->have_target ? "-" : f->pass ? "PASS" : "MISS");
	}
	printf("#\n# floor: %s, the copies and allocation of an RPC and nothing else\n",
	       FLOOR_DEV);
	printf("# p99 of a throughput: the rate 99%% of the samples beat\n");
	printf("# memory per file <= filp (%ld) + kmalloc(uctx_size 32)",
	       slab_objsize("filp"));
	printf(" + mock context (32) + fd table (16) + slack\n");
	printf("# memory per RPC <= kmalloc(max(in_len, min(out_len,");
	printf(" longest reply))) (%d) + slack\n", MEM_RPC_LEN);
	printf("# slack: 64 + 16 KiB / count, what the rest of the system");
	printf(" allocates meanwhile\n");

	for (i = 0; i < nfigs; i++) {
		struct figure *f = &figs[i];

		ntests++;
		if (f->done) {
			printf("ok %d %s\n", ntests, f->name);
		} else if (f->skip[0]) {
			printf("ok %d %s # SKIP %s\n", ntests, f->name, f->skip);
		} else {
			printf("not ok %d %s # %s\n", ntests, f->name,
			       f->error[0] ? f->error : "not measured");
			nfailed++;
		}
	}
}

int main(int argc, char **argv)
{
	int fd, fd2, floor_fd;

	if (argc > 1 && !strcmp(argv[1], "-q")) {
		quick = true;
		argc--;
		argv++;
	}
	groups = argv + 1;
	ngroups = argc - 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");

	fd = mock_open(0);
	fd2 = mock_open(0);
	floor_fd = open(FLOOR_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fd2 < 0 || floor_fd < 0) {
		printf("1..0 # SKIP needs fwctl_mock and %s\n", FLOOR_DEV);
		return 4;
	}
	printf("# fwctl benchmarks (%s run)\n", quick ? "quick" : "full");

	if (wanted("small"))
		bench_small(fd, floor_fd);
	if (wanted("large"))
		bench_large(fd, floor_fd);
	if (wanted("scaling"))
		bench_scaling(fd, fd2, floor_fd);
	if (wanted("cxl"))
		bench_cxl();
	if (wanted("unplug"))
		bench_unplug();
	if (wanted("memory")) {
		bench_mem_fd();
		bench_mem_rpc(MEM_RPC_LEN);
	}

	printf("1..%d\n", nfigs);
	report();
	close(fd);
	close(fd2);
	close(floor_fd);
	return nfailed ? 1 : 0;
}
