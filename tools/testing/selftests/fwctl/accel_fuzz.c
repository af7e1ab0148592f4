// SPDX-License-Identifier: GPL-2.0
/*
 * Structure-aware fuzzer of the fwctl accelerator management channel.
 *
 *   accel_fuzz [-s SEED] [-n LISTS_PER_SCOPE]
 *
 * Sends random transaction lists at every scope, built from the format
 * with values chosen near every boundary (handles of this file, of another
 * file, released or made up; offsets and lengths around the region, the
 * device memory and the transfer limit; reserved fields; lengths of the
 * transactions and of the whole list), then mutated at random. Checks that
 * every RPC either fails with an errno of the documented contract or
 * returns a reply whose layout follows from the request, and that the
 * kernel logs no IOMMU fault. The same seed gives the same lists.
 *
 * Prints TAP: one result per scope and one for the kernel log, then the
 * seed, the number of lists, an errno histogram and a status histogram.
 * Needs root and a device bound to accel_fwctl; full debug lists are
 * skipped without CAP_SYS_RAWIO.
 */
#include "accel_utils.h"
#include "debug_utils.h"

#define DMAR_FAULT	"DMAR: [DMA"
#define NR_ERRNO	140
#define NR_STATUS	8
#define POOL_MAX	16

struct region {
	__u32 handle;
	__u32 size;
};

/* Regions of a file, as the fuzzer last saw them */
struct pool {
	int fd;
	struct region r[POOL_MAX];
	unsigned int n;
};

static struct pool own, other;
static __u32 released[64];
static unsigned int nr_released;
static struct fwctl_accel_info info;
static struct accel_msg msg;
static __u8 out[FWCTL_ACCEL_MAX_RSP_LEN];
static unsigned long errno_hist[NR_ERRNO];
static unsigned long status_hist[NR_STATUS];
static unsigned long failures;
static __u64 seed;

static void pool_add(struct pool *p, __u32 handle, __u32 size)
{
	if (p->n < POOL_MAX)
		p->r[p->n++] = (struct region){ handle, size };
}

static void pool_del(struct pool *p, __u32 handle)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		if (p->r[i].handle != handle)
			continue;
		p->r[i] = p->r[--p->n];
		released[nr_released++ % 64] = handle;
		return;
	}
}

/* A grant outside the fuzzing, to keep regions to aim at */
static int setup_grant(struct pool *p, __u32 size)
{
	__u32 out_len = sizeof(out);
	struct fwctl_accel_trans_rsp *rec;
	struct fwctl_accel_region *r;

	msg_init(&msg);
	msg_grant(&msg, size);
	if (accel_rpc(p->fd, FWCTL_RPC_CONFIGURATION, &msg, out, &out_len))
		return -1;
	rec = rsp_rec(out, out_len, 0);
	if (!rec || le32toh(rec->status))
		return -1;
	r = rec_payload(rec);
	pool_add(p, le32toh(r->handle), le32toh(r->size));
	return 0;
}

static __u32 gen_handle(struct region **region)
{
	unsigned int c = rnd_below(100);

	*region = NULL;
	if (c < 55 && own.n) {
		*region = &own.r[rnd_below(own.n)];
		return (*region)->handle;
	}
	if (c < 70 && other.n) {
		*region = &other.r[rnd_below(other.n)];
		return (*region)->handle;
	}
	if (c < 80 && nr_released)
		return released[rnd_below(nr_released < 64 ? nr_released : 64)];
	if (c < 90)
		return 0;
	return rnd();
}

/* An offset and a length: valid for @size half of the time */
static void gen_range(__u32 size, __u32 *off, __u32 *len)
{
	if (size && chance(50)) {
		*len = 1 + rnd_below(size);
		*off = rnd_below(size - *len + 1);
		return;
	}
	*off = PICK(0, 1, 7, 63, 64, size - 1, size, 4032, 4094, 4095, 4096,
		    0x7fffffff, 0x80000000, 0xffffffff, rnd_below(5000));
	*len = PICK(0, 1, 8, 63, 64, 65, 255, 256, 4031, 4032, 4095, 4096,
		    4097, 0xffffffff, rnd_below(4200));
}

static void gen_mem(__u32 type)
{
	bool raw = type == FWCTL_ACCEL_TRANS_MEM_READ_RAW ||
		   type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
	bool write = type == FWCTL_ACCEL_TRANS_MEM_WRITE ||
		     type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
	struct fwctl_accel_trans_mem *t;
	struct region *region;
	__u32 handle, off, len, size, dlen, i;

	handle = raw && chance(85) ? 0 : gen_handle(&region);
	size = raw ? info.mem_size : region ? region->size : 64;
	gen_range(size, &off, &len);
	/* The data of a write follows the length it claims, mostly */
	dlen = len <= 4096 ? ALIGN8(len) : 8;
	if (write && chance(5))
		dlen = ALIGN8(rnd_below(4200));
	t = msg_add(&msg, type, MEM_LEN + (write ? dlen : 0));
	t->handle = htole32(handle);
	t->offset = htole32(off);
	t->length = htole32(len);
	if (chance(5))
		t->reserved = htole32(rnd());
	if (write)
		for (i = 0; i < dlen; i++)
			t->data[i] = i < len || chance(2) ? rnd() : 0;
}

static void gen_reg(__u32 type)
{
	struct fwctl_accel_trans_reg *t;
	__u32 reg, val;

	reg = PICK(0, 4, 8, 0x20, 0x24, 0x60, 0x64, 0x80, 0x88, 0x90, 0x98,
		   2, 0x0c, 0x1000, rnd());
	val = type == FWCTL_ACCEL_TRANS_REG_READ && chance(90) ? 0 : rnd();
	/* A large n! keeps the unit busy for seconds: bounded run time */
	if (reg == 8)
		val &= 0xffff;
	t = msg_add(&msg, type, sizeof(*t));
	t->reg = htole32(reg);
	t->value = htole32(val);
}

static void gen_trans(void)
{
	static const __u32 weights[][2] = {
		{ FWCTL_ACCEL_TRANS_IDENTIFY, 10 },
		{ FWCTL_ACCEL_TRANS_STATUS, 10 },
		{ FWCTL_ACCEL_TRANS_COMPUTE, 10 },
		{ FWCTL_ACCEL_TRANS_REGION_GRANT, 4 },
		{ FWCTL_ACCEL_TRANS_REGION_RELEASE, 5 },
		{ FWCTL_ACCEL_TRANS_MEM_READ, 12 },
		{ FWCTL_ACCEL_TRANS_MEM_WRITE, 12 },
		{ FWCTL_ACCEL_TRANS_MEM_READ_RAW, 6 },
		{ FWCTL_ACCEL_TRANS_MEM_WRITE_RAW, 6 },
		{ FWCTL_ACCEL_TRANS_REG_READ, 8 },
		{ FWCTL_ACCEL_TRANS_REG_WRITE, 8 },
		{ 0, 4 },
	};
	struct fwctl_accel_trans_compute *c;
	struct fwctl_accel_trans_release *rel;
	struct fwctl_accel_trans_grant *g;
	struct region *region;
	unsigned int i, w = 0, total = 0;
	__u32 type = 0;

	for (i = 0; i < ARRAY_SIZE(weights); i++)
		total += weights[i][1];
	w = rnd_below(total);
	for (i = 0; i < ARRAY_SIZE(weights); i++) {
		if (w < weights[i][1]) {
			type = weights[i][0];
			break;
		}
		w -= weights[i][1];
	}

	switch (type) {
	case FWCTL_ACCEL_TRANS_IDENTIFY:
	case FWCTL_ACCEL_TRANS_STATUS:
		msg_add(&msg, type, chance(95) ? TRANS_HDR : 8 * rnd_below(4));
		break;
	case FWCTL_ACCEL_TRANS_COMPUTE:
		c = msg_add(&msg, type, sizeof(*c));
		c->op = htole32(chance(90) ? FWCTL_ACCEL_COMPUTE_FACTORIAL :
				rnd_below(4));
		c->operand = htole32(chance(90) ? rnd_below(20) :
				     PICK(info.compute_max,
					  info.compute_max + 1, rnd()));
		break;
	case FWCTL_ACCEL_TRANS_REGION_GRANT:
		g = msg_add(&msg, type, sizeof(*g));
		g->size = htole32(PICK(0, 1, 64, 100, 700, 4032, 4033,
				       rnd_below(5000), rnd()));
		if (chance(5))
			g->flags = htole32(rnd());
		break;
	case FWCTL_ACCEL_TRANS_REGION_RELEASE:
		rel = msg_add(&msg, type, sizeof(*rel));
		rel->handle = htole32(gen_handle(&region));
		if (chance(5))
			rel->reserved = htole32(rnd());
		break;
	case FWCTL_ACCEL_TRANS_MEM_READ:
	case FWCTL_ACCEL_TRANS_MEM_WRITE:
	case FWCTL_ACCEL_TRANS_MEM_READ_RAW:
	case FWCTL_ACCEL_TRANS_MEM_WRITE_RAW:
		gen_mem(type);
		break;
	case FWCTL_ACCEL_TRANS_REG_READ:
	case FWCTL_ACCEL_TRANS_REG_WRITE:
		gen_reg(type);
		break;
	default:
		msg_add(&msg, PICK(0, 12, 13, 0x100, 0x80000001, rnd()),
			8 * (1 + rnd_below(4)));
		break;
	}
}

/* Builds a list; returns the length to send */
static size_t gen_list(void)
{
	unsigned int n, i;
	size_t len;

	n = chance(90) ? 1 + rnd_below(4) :
	    PICK(0, 5, 16, FWCTL_ACCEL_MAX_TRANS, FWCTL_ACCEL_MAX_TRANS + 1);
	msg_init(&msg);
	for (i = 0; i < n && msg.len < FWCTL_ACCEL_MAX_REQ_LEN - 8192; i++)
		gen_trans();
	msg_finish(&msg);
	len = msg.len;

	/* Mutations of the finished list */
	if (chance(4))
		msg.hdr.count = htole32(le32toh(msg.hdr.count) +
					PICK(1, -1, 100, rnd()));
	if (chance(3))
		msg.hdr.len = htole32(rnd_below(len + 16));
	if (chance(3))
		msg.hdr.flags = htole32(1U << rnd_below(32));
	if (chance(2))
		msg.hdr.opcode = htole32(rnd_below(3));
	if (chance(5) && len > REQ_HDR)
		msg.buf[REQ_HDR + rnd_below(len - REQ_HDR)] ^=
			1 << rnd_below(8);
	if (chance(3))
		len = rnd_below(len + 64);
	return len;
}

static bool errno_ok(int err)
{
	return err == EINVAL || err == EPERM || err == ENOENT ||
	       err == EOPNOTSUPP;
}

/* Checks a reply against the request that produced it; updates the pools */
static bool check_reply(struct pool *p, size_t len, __u32 out_len)
{
	struct fwctl_accel_rsp *rsp = (void *)out;
	__u32 count = le32toh(msg.hdr.count), done, status, i;
	size_t pos = REQ_HDR, expect = RSP_HDR;

	for (i = 0; i < count; i++) {
		const struct fwctl_accel_trans *t = (void *)(msg.buf + pos);

		expect += rec_len(t);
		pos += le32toh(t->len);
	}
	if (pos != len || out_len != expect || le32toh(rsp->len) != expect ||
	    le32toh(rsp->count) != count)
		return false;

	done = le32toh(rsp->done);
	status = le32toh(rsp->status);
	if (!done || done > count || status >= NR_STATUS ||
	    status == FWCTL_ACCEL_STATUS_NOT_RUN ||
	    (status == FWCTL_ACCEL_STATUS_OK && done != count))
		return false;

	pos = REQ_HDR;
	for (i = 0; i < count; i++) {
		const struct fwctl_accel_trans *t = (void *)(msg.buf + pos);
		struct fwctl_accel_trans_rsp *rec = rsp_rec(out, out_len, i);
		__u32 st;

		if (!rec || rec->type != t->type || le32toh(rec->len) !=
		    rec_len(t) || rec->reserved)
			return false;
		st = le32toh(rec->status);
		if (i + 1 < done && st != FWCTL_ACCEL_STATUS_OK)
			return false;
		if (i + 1 == done && st != status)
			return false;
		if (i >= done && st != FWCTL_ACCEL_STATUS_NOT_RUN)
			return false;
		status_hist[st < NR_STATUS ? st : NR_STATUS - 1]++;
		if (st == FWCTL_ACCEL_STATUS_OK) {
			const struct fwctl_accel_trans_release *rel = (void *)t;
			struct fwctl_accel_region *r = rec_payload(rec);

			if (le32toh(t->type) == FWCTL_ACCEL_TRANS_REGION_GRANT)
				pool_add(p, le32toh(r->handle),
					 le32toh(r->size));
			if (le32toh(t->type) ==
			    FWCTL_ACCEL_TRANS_REGION_RELEASE)
				pool_del(p, le32toh(rel->handle));
		}
		pos += le32toh(t->len);
	}
	return true;
}

static void dump_list(size_t len)
{
	size_t i;

	printf("# list of %zu bytes:", len);
	for (i = 0; i < len && i < 256; i++)
		printf("%s%02x", i % 32 ? " " : "\n#  ", msg.buf[i]);
	printf("\n");
}

/* Runs @n lists at @scope; returns the failures seen */
static unsigned long fuzz_scope(__u32 scope, unsigned long n,
				unsigned long *iters)
{
	unsigned long i, failed = 0;

	for (i = 0; i < n; i++) {
		__u32 out_len = chance(90) ? sizeof(out) : rnd_below(2048);
		size_t len;
		int ret;

		/* Keep something to aim at */
		while (own.n < 2 && !setup_grant(&own, 64 * (1 + rnd_below(8))))
			;
		len = gen_list();
		ret = rpc_call(own.fd, scope, msg.buf, len, out, &out_len);
		(*iters)++;
		if (ret) {
			errno_hist[-ret < NR_ERRNO ? -ret : NR_ERRNO - 1]++;
			if (errno_ok(-ret))
				continue;
			printf("# scope %u list %lu: errno %d outside the contract\n",
			       scope, i, -ret);
		} else {
			errno_hist[0]++;
			if (check_reply(&own, len, out_len))
				continue;
			printf("# scope %u list %lu: malformed reply\n", scope, i);
		}
		dump_list(len);
		if (++failed > 10)
			break;
	}
	return failed;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"configuration", "debug_read_only", "debug_write",
		"debug_write_full",
	};
	unsigned long n = 1500, iters = 0, failed;
	int dmar0, dmar1, opt, test = 0, i;
	struct fwctl_accel_state st0, st1;
	__u32 type = 0, scope, out_len;
	long long bufs;

	seed = 1;
	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-s seed] [-n lists per scope]\n",
				argv[0]);
			return 2;
		}
	}
	dbg_seed(seed ? seed : 1);

	printf("TAP version 13\n1..5\n");
	printf("# seed %llu, %lu lists per scope\n", (unsigned long long)seed,
	       n);
	own.fd = accel_open();
	other.fd = accel_open();
	if (geteuid() || own.fd < 0 || other.fd < 0) {
		printf("1..0 # SKIP needs root and a device bound to accel_fwctl\n");
		return 4;
	}
	if (accel_get_info(own.fd, &info, &type) || type != FWCTL_DEVICE_TYPE_ACCEL) {
		printf("Bail out! FWCTL_INFO failed\n");
		return 1;
	}
	if (setup_grant(&other, 256) || setup_grant(&other, 64)) {
		printf("Bail out! cannot grant regions to the other file\n");
		return 1;
	}
	out_len = sizeof(out);
	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_STATUS);
	if (accel_rpc(own.fd, 0, &msg, out, &out_len))
		return 1;
	memcpy(&st0, rec_payload(rsp_rec(out, out_len, 0)), sizeof(st0));
	dmar0 = kmsg_count(DMAR_FAULT);

	for (scope = 0; scope < 4; scope++) {
		if (scope == FWCTL_RPC_DEBUG_WRITE_FULL && !full_ok()) {
			printf("ok %d scope %s # SKIP no CAP_SYS_RAWIO or locked down\n",
			       ++test, names[scope]);
			continue;
		}
		failed = fuzz_scope(scope, n, &iters);
		failures += failed;
		printf("%sok %d scope %s: %lu lists, replies and errnos within the contract\n",
		       failed ? "not " : "", ++test, names[scope], n);
		fflush(stdout);
	}

	out_len = sizeof(out);
	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_STATUS);
	if (accel_rpc(own.fd, 0, &msg, out, &out_len))
		return 1;
	memcpy(&st1, rec_payload(rsp_rec(out, out_len, 0)), sizeof(st1));
	close(own.fd);
	close(other.fd);

	dmar1 = kmsg_count(DMAR_FAULT);
	bufs = accel_debugfs_read(NULL, "dma_bufs");
	printf("# %lu lists in all; device transfers %llu, timeouts %llu\n",
	       iters, (unsigned long long)(le64toh(st1.transfers) -
					   le64toh(st0.transfers)),
	       (unsigned long long)(le64toh(st1.timeouts) -
				    le64toh(st0.timeouts)));
	printf("# DMAR faults logged during the run: %d\n", dmar1 - dmar0);
	printf("%sok %d no IOMMU fault, no staging buffer left (dma_bufs %lld)\n",
	       dmar1 != dmar0 || bufs > 0 ? "not " : "", ++test, bufs);
	if (dmar1 != dmar0 || bufs > 0)
		failures++;

	printf("# errno histogram:\n");
	for (i = 0; i < NR_ERRNO; i++)
		if (errno_hist[i])
			printf("#   %-28s %lu\n",
			       !i ? "0 (delivered)" : i == NR_ERRNO - 1 ?
			       "other" : strerror(i), errno_hist[i]);
	printf("# transaction status histogram:\n");
	for (i = 0; i < NR_STATUS; i++)
		if (status_hist[i])
			printf("#   status %d: %lu\n", i, status_hist[i]);
	printf("# accel_fuzz: seed %llu, %lu lists, %lu failures\n",
	       (unsigned long long)seed, iters, failures);
	return failures ? 1 : 0;
}
