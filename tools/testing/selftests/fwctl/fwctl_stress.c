// SPDX-License-Identifier: GPL-2.0
/*
 * Unplug stress of fwctl, for the debug kernels.
 *
 *   fwctl_stress -t TYPE [-c CYCLES] [-j THREADS] [-s SEED]
 *
 * Unbinds and binds again, CYCLES times (default 1000), the parent of the
 * first fwctl device of TYPE (mock, cxl or accel), while THREADS threads
 * (default 4) open and close its node and send FWCTL_INFO and FWCTL_RPC
 * on the files they hold. Each cycle checks that a file opened before the
 * unbind gets ENODEV for both ioctls afterwards, and that the device
 * answers again after the bind. The threads may see a call succeed, or
 * fail with ENODEV (a file of a removed device), ENOENT or ENXIO (opening
 * a node that is gone), nothing else. Hung tasks, oopses and leaks are
 * for the kernel log and kmemleak.
 *
 * Prints the errno histogram, the cycle time, and TAP. Needs root.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>

#include "debug_utils.h"

#define NR_ERRNO	140
#define FDS		8

static struct dbg_dev dev;
static pthread_mutex_t name_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool stop;
static atomic_ulong hist[NR_ERRNO + 1];
static atomic_ulong bad, ops;

static void count(int ret, const char *what)
{
	int e = ret < 0 ? -ret : 0;

	atomic_fetch_add(&ops, 1);
	atomic_fetch_add(&hist[e < NR_ERRNO ? e : NR_ERRNO], 1);
	if (!e || e == ENODEV || e == ENOENT || e == ENXIO)
		return;
	if (atomic_fetch_add(&bad, 1) < 10)
		printf("# %s: unexpected %s\n", what, strerror(e));
}

static void *worker(void *arg)
{
	int fds[FDS], i, ret;
	__u64 seed = (uintptr_t)arg;

	for (i = 0; i < FDS; i++)
		fds[i] = -1;
	while (!atomic_load(&stop)) {
		struct dbg_dev d;
		int k;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		k = (seed >> 33) % FDS;
		switch ((seed >> 40) % 8) {
		case 0:
		case 1:
			if (fds[k] >= 0)
				close(fds[k]);
			pthread_mutex_lock(&name_lock);
			d = dev;
			pthread_mutex_unlock(&name_lock);
			ret = dbg_open(&d);
			count(ret < 0 ? ret : 0, "open");
			fds[k] = ret < 0 ? -1 : ret;
			/* The device is away: leave the CPU to the binding */
			if (ret < 0)
				usleep(500);
			break;
		case 2:
			if (fds[k] >= 0) {
				close(fds[k]);
				fds[k] = -1;
			}
			break;
		case 3:
		case 4:
			if (fds[k] >= 0)
				count(dbg_info(fds[k]), "INFO");
			break;
		default:
			if (fds[k] >= 0)
				count(dbg_simple_rpc(fds[k], dev.type,
						     (seed >> 50) % 3), "RPC");
			break;
		}
	}
	for (i = 0; i < FDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned int cycles = 1000, threads = 4, c, i;
	__u64 t0, slowest = 0, seed = 1;
	pthread_t tid[64];
	const char *type = NULL;
	int opt, fd, e, tap = 0, failures = 0;
	char why[160] = "";

	while ((opt = getopt(argc, argv, "t:c:j:s:")) != -1) {
		switch (opt) {
		case 't':
			type = optarg;
			break;
		case 'c':
			cycles = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			threads = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s -t mock|cxl|accel [-c CYCLES] [-j THREADS] [-s SEED]\n",
				argv[0]);
			return 2;
		}
	}
	if (!type || threads > ARRAY_LEN(tid) || !threads) {
		fprintf(stderr, "%s: -t TYPE needed, 1-64 threads\n", argv[0]);
		return 2;
	}
	printf("TAP version 13\n");
	if (dbg_find(type_of(type), &dev, 1) != 1) {
		printf("1..0 # SKIP no %s fwctl device\n", type);
		return 4;
	}
	printf("1..3\n# %s: %s, parent %s, %u cycles, %u threads\n", type,
	       dev.name, dev.bus_id, cycles, threads);

	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker,
			       (void *)(uintptr_t)(seed + i));
	t0 = now_ns();
	for (c = 0; c < cycles && !why[0]; c++) {
		struct dbg_dev d;
		__u64 t1 = now_ns();
		int ret;

		fd = dbg_open(&dev);
		if (fd < 0) {
			snprintf(why, sizeof(why), "cycle %u: open: %s", c,
				 strerror(-fd));
			break;
		}
		ret = dbg_unbind(&dev);
		if (ret) {
			snprintf(why, sizeof(why), "cycle %u: unbind: %s", c,
				 strerror(-ret));
			close(fd);
			break;
		}
		ret = dbg_info(fd);
		e = dbg_simple_rpc(fd, dev.type, FWCTL_RPC_CONFIGURATION);
		close(fd);
		if (ret != -ENODEV || e != -ENODEV) {
			snprintf(why, sizeof(why),
				 "cycle %u: stale file: INFO %d, RPC %d, not ENODEV",
				 c, ret, e);
			failures++;
			break;
		}
		d = dev;
		ret = dbg_bind(&d, true);
		if (ret) {
			snprintf(why, sizeof(why), "cycle %u: bind: %s", c,
				 strerror(-ret));
			break;
		}
		pthread_mutex_lock(&name_lock);
		dev = d;
		pthread_mutex_unlock(&name_lock);
		fd = dbg_open(&d);
		ret = fd < 0 ? fd : dbg_simple_rpc(fd, d.type,
						   FWCTL_RPC_CONFIGURATION);
		if (fd >= 0)
			close(fd);
		if (ret) {
			snprintf(why, sizeof(why), "cycle %u: after bind: %s",
				 c, strerror(-ret));
			break;
		}
		if (now_ns() - t1 > slowest)
			slowest = now_ns() - t1;
	}
	atomic_store(&stop, true);
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	/* Whatever happened, leave the device bound */
	if (!dbg_bound(&dev))
		dbg_bind(&dev, true);

	printf("# %u cycles in %llu ms, slowest %llu ms; %lu calls by the threads:",
	       c, (unsigned long long)((now_ns() - t0) / 1000000),
	       (unsigned long long)(slowest / 1000000),
	       (unsigned long)atomic_load(&ops));
	for (e = 0; e <= NR_ERRNO; e++)
		if (atomic_load(&hist[e]))
			printf(" %s=%lu", !e ? "ok" : e == NR_ERRNO ? "other" :
			       strerrorname_np(e) ?: "?",
			       (unsigned long)atomic_load(&hist[e]));
	printf("\n");
	printf("%sok %d %s: %u unbind/bind cycles%s%s\n", why[0] ? "not " : "",
	       ++tap, type, c, why[0] ? ": " : "", why);
	printf("%sok %d %s: stale files get ENODEV\n", failures ? "not " : "",
	       ++tap, type);
	printf("%sok %d %s: threads saw only ENODEV, ENOENT, ENXIO (%lu others)\n",
	       atomic_load(&bad) ? "not " : "", ++tap, type,
	       (unsigned long)atomic_load(&bad));
	return why[0] || atomic_load(&bad) ? 1 : 0;
}
