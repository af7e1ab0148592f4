// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl selftests that unload and reload the modules: a driver module may
 * go while its files are open, those files then fail with ENODEV and pin
 * only the core, and module removal waits for the RPCs in flight.
 *
 * Needs MODDIR, the directory holding fwctl.ko and fwctl_mock.ko; tests
 * skip when it is unset or the modules are built in. Every test leaves
 * both modules loaded and every mock device bound.
 */
#include <pthread.h>

#include "fwctl_utils.h"
#include "kselftest_harness.h"

#define MOCK_MODULE	"fwctl_mock"
#define CORE_MODULE	"fwctl"

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* Loads MODDIR/@name.ko with @params; returns 0 or -errno */
static int load_module(const char *name, const char *params)
{
	const char *moddir = getenv("MODDIR");
	char path[512];
	int fd, ret;

	if (!moddir)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s.ko", moddir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* @name is loaded as a module, and MODDIR has its file */
static bool module_reloadable(const char *name)
{
	const char *moddir = getenv("MODDIR");
	char path[512];

	if (!moddir)
		return false;
	snprintf(path, sizeof(path), "%s/%s.ko", moddir, name);
	if (access(path, R_OK))
		return false;
	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return !access(path, F_OK);
}

static bool module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return !access(path, F_OK);
}

/* Number of fwctl class devices of the mock's type */
static int mock_class_devices(void)
{
	struct dirent *de;
	char buf[64];
	int n = 0;
	DIR *dir;

	dir = opendir(FWCTL_CLASS);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (!dev_attr_read(de->d_name, "device_type", buf, sizeof(buf)) &&
		    strtoul(buf, NULL, 10) == MOCK_TYPE)
			n++;
	}
	closedir(dir);
	return n;
}

/* Brings the mock back as a test found it, if a test failed half-way */
static void mock_restore(const char *params)
{
	if (!module_loaded(CORE_MODULE))
		load_module(CORE_MODULE, "");
	if (!module_loaded(MOCK_MODULE))
		load_module(MOCK_MODULE, params);
	mock_bind_all();
}

/* Reads the mock's ndevs so that a reload creates as many devices */
static void mock_load_params(char *buf, size_t len)
{
	char val[32];

	if (read_file(MOCK_PARAMS "/ndevs", val, sizeof(val)))
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "ndevs=%s", val);
}

static int wait_for_mock_devices(int n)
{
	int i, j, fd;

	for (i = 0; i < 200; i++) {
		for (j = 0; j < n; j++) {
			fd = mock_open(j);
			if (fd < 0)
				break;
			close(fd);
		}
		if (j == n)
			return 0;
		sleep_ms(10);
	}
	return -ETIMEDOUT;
}

TEST(rmmod_driver_with_open_fds)
{
	struct fwctl_mock_info minfo;
	char params[64];
	__u32 len;
	int fds[17], n, i, nfds = 0, ret;

	if (geteuid())
		SKIP(return, "needs root");
	if (!module_reloadable(MOCK_MODULE))
		SKIP(return, "MODDIR unset or %s not a loaded module",
		     MOCK_MODULE);
	ASSERT_EQ(0, mock_bind_all());
	n = mock_count();
	ASSERT_LT(0, n);
	mock_load_params(params, sizeof(params));

	for (i = 0; i < n; i++) {
		fds[nfds] = mock_open(i);
		ASSERT_LE(0, fds[nfds]);
		EXPECT_EQ(0, mock_echo(fds[nfds], 0, 8));
		nfds++;
	}
	fds[nfds] = mock_open(0);
	ASSERT_LE(0, fds[nfds]);
	nfds++;

	/* Open files do not pin the driver module */
	ret = delete_module(MOCK_MODULE);
	ASSERT_EQ(0, ret)
		TH_LOG("rmmod %s with open files: %s", MOCK_MODULE,
		       strerror(-ret));
	EXPECT_FALSE(module_loaded(MOCK_MODULE));
	EXPECT_EQ(0, mock_class_devices());

	/* Its files are orphans: ENODEV, and no driver code runs */
	for (i = 0; i < nfds; i++) {
		len = 0;
		EXPECT_EQ(-ENODEV, info_call(fds[i], NULL, &len, NULL));
		EXPECT_EQ(-ENODEV, mock_echo(fds[i], 0, 8));
		EXPECT_EQ(-ENODEV, mock_info(fds[i], &minfo));
	}

	/* They pin the core, whose code their close still runs */
	if (module_reloadable(CORE_MODULE)) {
		ret = delete_module(CORE_MODULE);
		EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
			TH_LOG("rmmod %s with orphaned files: %d", CORE_MODULE,
			       ret);
		if (!ret)
			load_module(CORE_MODULE, "");
	}

	for (i = 0; i < nfds; i++)
		EXPECT_EQ(0, close(fds[i]));

	ret = load_module(MOCK_MODULE, params);
	ASSERT_EQ(0, ret)
		TH_LOG("insmod %s: %s", MOCK_MODULE, strerror(-ret));
	ASSERT_EQ(0, wait_for_mock_devices(n));
	EXPECT_EQ(n, mock_class_devices());
	for (i = 0; i < n; i++) {
		int fd = mock_open(i);

		ASSERT_LE(0, fd);
		EXPECT_EQ(0, mock_echo(fd, 0, 8));
		EXPECT_EQ(0, mock_info(fd, &minfo));
		EXPECT_EQ(i, minfo.dev_index);
		close(fd);
	}
	mock_restore(params);
}

#define SLEEP_MS	1200

struct sleeper {
	int fd;
	int started;
	__u64 start;
	int ret;
	__u32 status;
};

static void *sleeper(void *arg)
{
	struct sleeper *s = arg;
	struct fwctl_mock_sleep req = { .msecs = htole32(SLEEP_MS) };
	struct mock_reply rsp;

	s->start = now_ns();
	__atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
	s->ret = mock_cmd(s->fd, FWCTL_RPC_CONFIGURATION, FWCTL_MOCK_OP_SLEEP,
			  &req, sizeof(req), &rsp);
	s->status = le32toh(rsp.hdr.status);
	return NULL;
}

/* Unloading the driver waits for its RPC in flight to finish */
TEST(rmmod_driver_waits_for_rpc)
{
	struct sleeper s = {};
	char params[64];
	pthread_t thread;
	__u64 t0, t1;
	int ret, n;

	if (geteuid())
		SKIP(return, "needs root");
	if (!module_reloadable(MOCK_MODULE))
		SKIP(return, "MODDIR unset or %s not a loaded module",
		     MOCK_MODULE);
	ASSERT_EQ(0, mock_bind_all());
	n = mock_count();
	mock_load_params(params, sizeof(params));

	s.fd = mock_open(0);
	ASSERT_LE(0, s.fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, sleeper, &s));
	while (!__atomic_load_n(&s.started, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	ASSERT_EQ(0, mock_wait_in_flight(s.fd, 1));
	t0 = now_ns();
	ret = delete_module(MOCK_MODULE);
	t1 = now_ns();
	pthread_join(thread, NULL);
	EXPECT_EQ(0, ret);

	EXPECT_EQ(0, s.ret);
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK, s.status);
	/* The module went only once the RPC could have finished */
	EXPECT_LE(s.start + slept_ns(SLEEP_MS), t1);
	EXPECT_LT(0, t1 - t0);
	EXPECT_EQ(-ENODEV, mock_echo(s.fd, 0, 8));
	close(s.fd);

	ASSERT_EQ(0, load_module(MOCK_MODULE, params));
	ASSERT_EQ(0, wait_for_mock_devices(n));
	mock_restore(params);
}

/* Both modules out and back in: the class and its numbers come back */
TEST(reload_core)
{
	unsigned long taint = read_taint();
	char params[64];
	int ret, n, fd;

	if (geteuid())
		SKIP(return, "needs root");
	if (!module_reloadable(MOCK_MODULE) || !module_reloadable(CORE_MODULE))
		SKIP(return, "MODDIR unset or modules built in");
	ASSERT_EQ(0, mock_bind_all());
	n = mock_count();
	mock_load_params(params, sizeof(params));

	ASSERT_EQ(0, delete_module(MOCK_MODULE));
	ret = delete_module(CORE_MODULE);
	ASSERT_EQ(0, ret)
		TH_LOG("rmmod %s: %s", CORE_MODULE, strerror(-ret));
	EXPECT_NE(0, access(FWCTL_CLASS, F_OK));

	ASSERT_EQ(0, load_module(CORE_MODULE, ""));
	ASSERT_EQ(0, load_module(MOCK_MODULE, params));
	ASSERT_EQ(0, wait_for_mock_devices(n));
	EXPECT_EQ(n, mock_class_devices());
	fd = mock_open(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mock_echo(fd, 0, 8));
	close(fd);
	/* The taint belongs to the boot, not to the module */
	EXPECT_EQ(taint & FWCTL_TAINT_MASK, read_taint() & FWCTL_TAINT_MASK);
	mock_restore(params);
}

TEST_HARNESS_MAIN
