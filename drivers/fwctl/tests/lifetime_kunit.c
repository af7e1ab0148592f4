// SPDX-License-Identifier: GPL-2.0
/*
 * Device and file lifetime against a fake driver: close_uctx runs exactly
 * once per file whatever the order of close and unregister, no callback
 * runs after fwctl_unregister(), orphaned files get -ENODEV, and the memory
 * goes away with the last reference, not before.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fwctl_kunit.h"

static void expect_no_stats(struct kunit *test, struct fake_fwctl *fake)
{
	enum fwctl_stat stat;

	for (stat = 0; stat != FWCTL_STAT_NR; stat++)
		KUNIT_EXPECT_EQ_MSG(test, fwctl_stat_read(&fake->fwctl, stat),
				    0, "counter %d", stat);
}

static void fwctl_lifetime_alloc_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_alloc(test, &fake_ops_table);
	struct fake_state *st = fake->st;

	KUNIT_EXPECT_PTR_EQ(test, fake->fwctl.cmds, &fake_table);
	KUNIT_EXPECT_EQ(test, fake->fwctl.max_scope,
			(u32)FWCTL_RPC_DEBUG_WRITE_FULL);
	KUNIT_EXPECT_NOT_NULL(test, fake->fwctl.dev.parent);
	KUNIT_EXPECT_EQ(test, strncmp(dev_name(&fake->fwctl.dev), "fwctl", 5),
			0);
	expect_no_stats(test, fake);

	/* A driver whose probe fails after allocating only puts */
	fake_put(test, fake);
	KUNIT_EXPECT_TRUE(test, st->released);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 0);
}

static void fwctl_lifetime_free_test(struct kunit *test)
{
	struct fake_state *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, st);
	/* The idiom of a driver's probe: the reference goes with the scope */
	{
		struct fake_fwctl *fake =
			fwctl_alloc_device(fake_parent(test), &fake_ops,
					   struct fake_fwctl, fwctl);
		struct fwctl_device *fwctl __free(fwctl) =
			fake ? &fake->fwctl : NULL;
		int ret;

		KUNIT_ASSERT_NOT_NULL(test, fwctl);
		fake->st = st;
		ret = fwctl_register(fwctl);
		KUNIT_EXPECT_EQ(test, ret, 0);
		if (!ret)
			fwctl_unregister(fwctl);
		KUNIT_EXPECT_EQ(test, fake_watch_release(fake), 0);
		KUNIT_EXPECT_FALSE(test, st->released);
	}
	KUNIT_EXPECT_TRUE(test, st->released);
}

static void fwctl_lifetime_unregister_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_create(test, &fake_ops);
	struct fake_state *st = fake->st;

	fake_unregister(test, fake);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_uctx_open(&fake->fwctl),
			    ERR_PTR(-ENODEV));
	/* The driver's reference keeps the memory */
	KUNIT_EXPECT_FALSE(test, st->released);
	fake_put(test, fake);
	KUNIT_EXPECT_TRUE(test, st->released);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->late_calls), 0);
}

/* Files closed while the driver is there: unregister has nothing to close */
static void fwctl_lifetime_close_first_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_create(test, &fake_ops);
	struct fake_state *st = fake->st;
	struct fwctl_uctx *a, *b;

	a = fake_open(test, fake);
	b = fake_open(test, fake);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 2);

	fake_close(test, b);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 1);
	fake_close(test, a);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 2);

	fake_unregister(test, fake);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 2);
	fake_put(test, fake);
	KUNIT_EXPECT_TRUE(test, st->released);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->late_calls), 0);
}

/*
 * Unregister with files open: it closes them in the driver at once, the
 * files stay valid but dead, and the memory lives until the last of them
 * and the driver's reference are gone, whichever is last.
 */
static void fwctl_lifetime_orphan_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_create(test, &fake_ops);
	struct fake_state *st = fake->st;
	struct fwctl_uctx *a, *b, *c;

	a = fake_open(test, fake);
	b = fake_open(test, fake);
	c = fake_open(test, fake);
	fake_close(test, a);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 1);

	fake_unregister(test, fake);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 3);

	/* -ENODEV comes before the argument is even read */
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(b, FWCTL_RPC, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(c, FWCTL_INFO, 0), -ENODEV);
	KUNIT_EXPECT_PTR_EQ(test, b->fwctl, &fake->fwctl);

	fake_put(test, fake);
	KUNIT_EXPECT_FALSE(test, st->released);
	fake_close(test, b);
	KUNIT_EXPECT_FALSE(test, st->released);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(c, FWCTL_RPC, 0), -ENODEV);
	fake_close(test, c);
	KUNIT_EXPECT_TRUE(test, st->released);

	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->info_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->late_calls), 0);
}

/* Every file starts zeroed in the driver's part and is closed once */
static void fwctl_lifetime_reopen_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_create(test, &fake_ops);
	struct fake_state *st = fake->st;
	unsigned int i;

	for (i = 0; i != 4; i++)
		fake_close(test, fake_open(test, fake));
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 4);
	fake_unregister(test, fake);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
}

/* A refused open leaves nothing for close_uctx to undo, ever */
static void fwctl_lifetime_open_error_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_create(test, &fake_ops);
	struct fake_state *st = fake->st;

	st->open_err = -ENOSPC;
	KUNIT_EXPECT_PTR_EQ(test, fwctl_uctx_open(&fake->fwctl),
			    ERR_PTR(-ENOSPC));
	st->open_err = -EACCES;
	KUNIT_EXPECT_PTR_EQ(test, fwctl_uctx_open(&fake->fwctl),
			    ERR_PTR(-EACCES));
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 2);

	st->open_err = 0;
	fake_open(test, fake);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->open_calls), 3);

	fake_unregister(test, fake);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
	/* The open file still holds the memory */
	fake_put(test, fake);
	KUNIT_EXPECT_FALSE(test, st->released);
}

/* Devices are independent: unregistering one leaves the others working */
static void fwctl_lifetime_many_test(struct kunit *test)
{
	struct fake_fwctl *fake[3];
	struct fwctl_uctx *uctx[3];
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(fake); i++) {
		fake[i] = fake_create(test, &fake_ops);
		uctx[i] = fake_open(test, fake[i]);
	}
	KUNIT_EXPECT_STRNEQ(test, dev_name(&fake[0]->fwctl.dev),
			    dev_name(&fake[1]->fwctl.dev));
	KUNIT_EXPECT_STRNEQ(test, dev_name(&fake[1]->fwctl.dev),
			    dev_name(&fake[2]->fwctl.dev));
	KUNIT_EXPECT_NE(test, fake[0]->fwctl.dev.devt, fake[2]->fwctl.dev.devt);

	fake_unregister(test, fake[1]);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake[1]->st->close_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake[0]->st->close_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake[2]->st->close_calls), 0);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(uctx[1], FWCTL_RPC, 0),
			-ENODEV);
	/* A live device reads its argument: a NULL one faults */
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(uctx[0], FWCTL_RPC, 0),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(uctx[2], FWCTL_INFO, 0),
			-EFAULT);
	fake_open(test, fake[2]);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake[2]->st->open_calls), 2);
}

static struct kunit_case fwctl_lifetime_cases[] = {
	KUNIT_CASE(fwctl_lifetime_alloc_test),
	KUNIT_CASE(fwctl_lifetime_free_test),
	KUNIT_CASE(fwctl_lifetime_unregister_test),
	KUNIT_CASE(fwctl_lifetime_close_first_test),
	KUNIT_CASE(fwctl_lifetime_orphan_test),
	KUNIT_CASE(fwctl_lifetime_reopen_test),
	KUNIT_CASE(fwctl_lifetime_open_error_test),
	KUNIT_CASE(fwctl_lifetime_many_test),
	{}
};

static struct kunit_suite fwctl_lifetime_suite = {
	.name = "fwctl_lifetime",
	.init = fake_test_init,
	.test_cases = fwctl_lifetime_cases,
};

#define RACE_WORKERS		4
#define RACE_DELAY_US		2000
/* Calls each worker makes after its first -ENODEV, all must fail too */
#define RACE_ENODEV_CALLS	8
/* Bounds each worker even if unregister never takes effect */
#define RACE_MAX_CALLS		100000
#define RACE_TIMEOUT_MS		10000

#define RACE_IN_OFF		256
#define RACE_OUT_OFF		512
#define RACE_IN_LEN		16
#define RACE_OUT_LEN		64

/**
 * struct race_worker - a thread sending RPCs until the device goes away
 * @task: the thread
 * @mm: the test's address space, where @umem lives
 * @fake: the device
 * @uctx: the file to use, or NULL to open and close one around every RPC
 * @umem: a page of user memory of its own
 * @ok: RPCs that succeeded
 * @enodev: calls that returned -ENODEV
 * @ok_after_enodev: successes after an -ENODEV, which must not happen
 * @other: calls that failed otherwise
 * @other_err: the last such errno
 * @done: the worker has seen enough and idles until stopped
 */
struct race_worker {
	struct task_struct *task;
	struct mm_struct *mm;
	struct fake_fwctl *fake;
	struct fwctl_uctx *uctx;
	u8 __user *umem;
	unsigned int ok;
	unsigned int enodev;
	unsigned int ok_after_enodev;
	unsigned int other;
	int other_err;
	bool done;
};

static int race_rpc(struct race_worker *w, struct fwctl_uctx *uctx)
{
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.scope = FWCTL_RPC_CONFIGURATION,
		.in_len = RACE_IN_LEN,
		.out_len = RACE_OUT_LEN,
		.in = (uintptr_t)(w->umem + RACE_IN_OFF),
		.out = (uintptr_t)(w->umem + RACE_OUT_OFF),
	};

	/* Each call writes out_len back, so the argument is rewritten */
	if (copy_to_user(w->umem, &rpc, sizeof(rpc)))
		return -EFAULT;
	return fwctl_uctx_ioctl(uctx, FWCTL_RPC, (unsigned long)w->umem);
}

static int race_call(struct race_worker *w)
{
	struct fwctl_uctx *uctx = w->uctx;
	int ret;

	if (uctx)
		return race_rpc(w, uctx);

	uctx = fwctl_uctx_open(&w->fake->fwctl);
	if (IS_ERR(uctx))
		return PTR_ERR(uctx);
	ret = race_rpc(w, uctx);
	fwctl_uctx_release(uctx);
	return ret;
}

static int race_worker_fn(void *data)
{
	struct race_worker *w = data;
	unsigned int calls = 0;
	int ret;

	kthread_use_mm(w->mm);
	while (!kthread_should_stop()) {
		if (READ_ONCE(w->done)) {
			usleep_range(1000, 2000);
			continue;
		}

		ret = race_call(w);
		if (!ret) {
			w->ok++;
			if (w->enodev)
				w->ok_after_enodev++;
		} else if (ret == -ENODEV) {
			w->enodev++;
		} else {
			w->other++;
			w->other_err = ret;
		}
		if (w->enodev >= RACE_ENODEV_CALLS || ++calls >= RACE_MAX_CALLS)
			WRITE_ONCE(w->done, true);
		cond_resched();
	}
	kthread_unuse_mm(w->mm);
	return 0;
}

static void race_stop_action(void *data)
{
	struct race_worker *w = data;

	kthread_stop(w->task);
	mmput(w->mm);
}

static bool race_all(struct race_worker *w, bool (*cond)(struct race_worker *))
{
	unsigned int i;

	for (i = 0; i != RACE_WORKERS; i++)
		if (!cond(&w[i]))
			return false;
	return true;
}

static bool race_started(struct race_worker *w)
{
	return READ_ONCE(w->ok) >= 2;
}

static bool race_done(struct race_worker *w)
{
	return READ_ONCE(w->done);
}

/* Polls @cond on every worker for at most RACE_TIMEOUT_MS */
static bool race_wait(struct race_worker *w,
		      bool (*cond)(struct race_worker *), atomic_t *in_flight)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(RACE_TIMEOUT_MS);

	while (!race_all(w, cond) || (in_flight && !atomic_read(in_flight))) {
		if (time_after(jiffies, timeout))
			return false;
		usleep_range(RACE_DELAY_US / 4, RACE_DELAY_US / 2);
	}
	return true;
}

/*
 * Workers keep RPCs in flight, each sleeping in the driver, when the device
 * is unregistered: unregister must wait for them, later calls must fail
 * with -ENODEV and never reach the driver, and nothing may hang.
 */
static void fwctl_race_run(struct kunit *test, bool file_per_call)
{
	struct fake_fwctl *fake = fake_create(test, &fake_ops);
	struct fake_state *st = fake->st;
	u8 __user *umem = fake_umem(test, RACE_WORKERS * PAGE_SIZE);
	struct race_worker *w;
	struct fwctl_uctx *uctx[2];
	unsigned int i, rpc_calls;
	int ret;

	st->rpc_delay_us = RACE_DELAY_US;
	w = kunit_kcalloc(test, RACE_WORKERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	if (!file_per_call)
		for (i = 0; i != ARRAY_SIZE(uctx); i++)
			uctx[i] = fake_open(test, fake);

	for (i = 0; i != RACE_WORKERS; i++) {
		w[i].fake = fake;
		w[i].umem = umem + i * PAGE_SIZE;
		/* Two workers per file: a file is shared between threads */
		w[i].uctx = file_per_call ? NULL : uctx[i % ARRAY_SIZE(uctx)];
		w[i].mm = current->mm;
		mmget(w[i].mm);
		w[i].task = kthread_run(race_worker_fn, &w[i], "fwctl-race/%u",
					i);
		if (IS_ERR(w[i].task)) {
			mmput(w[i].mm);
			KUNIT_ASSERT_NOT_ERR_OR_NULL(test, w[i].task);
		}
		ret = kunit_add_action_or_reset(test, race_stop_action, &w[i]);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}

	KUNIT_ASSERT_TRUE_MSG(test, race_wait(w, race_started, &st->in_flight),
			      "workers made no progress");
	fake_unregister(test, fake);
	/* Whatever ran in the driver finished before unregister returned */
	KUNIT_EXPECT_EQ(test, atomic_read(&st->in_flight), 0);
	rpc_calls = atomic_read(&st->rpc_calls);

	KUNIT_EXPECT_TRUE_MSG(test, race_wait(w, race_done, NULL),
			      "workers still succeed after unregister");
	for (i = 0; i != RACE_WORKERS; i++)
		kunit_release_action(test, race_stop_action, &w[i]);

	for (i = 0; i != RACE_WORKERS; i++) {
		KUNIT_EXPECT_GE(test, w[i].ok, 2);
		KUNIT_EXPECT_GE(test, w[i].enodev, RACE_ENODEV_CALLS);
		KUNIT_EXPECT_EQ(test, w[i].ok_after_enodev, 0);
		KUNIT_EXPECT_EQ_MSG(test, w[i].other, 0, "last error %d",
				    w[i].other_err);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), rpc_calls);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->late_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->close_calls),
			atomic_read(&st->open_calls));
}

static void fwctl_race_rpc_test(struct kunit *test)
{
	fwctl_race_run(test, false);
}

/* Opens and closes race with unregister as well as the RPCs */
static void fwctl_race_open_test(struct kunit *test)
{
	fwctl_race_run(test, true);
}

static struct kunit_case fwctl_race_cases[] = {
	KUNIT_CASE(fwctl_race_rpc_test),
	KUNIT_CASE(fwctl_race_open_test),
	{}
};

static struct kunit_suite fwctl_race_suite = {
	.name = "fwctl_race",
	.init = fake_test_init,
	.test_cases = fwctl_race_cases,
};

kunit_test_suites(&fwctl_lifetime_suite, &fwctl_race_suite);
