// SPDX-License-Identifier: GPL-2.0
/*
 * Structure-aware fuzzer of the fwctl uAPI, for the debug kernels.
 *
 *   fwctl_fuzz [-s SEED] [-n CALLS] [-t TYPE,...] [-v]
 *
 * Sends CALLS ioctls (default 100000) to every fwctl device of the listed
 * types (mock, cxl, accel; default all there are), spread over two files
 * per device that are now and then closed and opened again. Each call is
 * built from the uAPI and from the device's request format, then mutated:
 * structure sizes around every boundary, non-zero tails and flags, every
 * scope and beyond, lengths around the request's and the 2 MiB limit,
 * pointers that are NULL, unmapped, read-only where the kernel writes,
 * kernel addresses, or buffers that run off the end of a page into an
 * unmapped one. Requests are well formed often enough to reach the
 * drivers: mock operations, the CXL opcodes the device's INFO lists,
 * accelerator transaction lists.
 *
 * Every call must succeed or fail with an errno of the documented contract;
 * it prints an errno histogram per device type and TAP: one result per
 * type. The same seed gives the same calls. Needs root.
 */
#include <getopt.h>

#include "debug_utils.h"

#define PG		4096UL
#define AREA		(2 * 1024 * 1024 + 2 * PG)	/* > FWCTL_RPC_MAX_LEN */
#define NR_ERRNO	140
#define NR_TYPES	3
#define FDS_PER_DEV	2
#define KERNEL_PTR	0xffff888000000000ULL

struct target {
	struct dbg_dev dev;
	int fd[FDS_PER_DEV];
	unsigned int t;			/* index into the histograms */
	__u16 opcodes[64];		/* CXL: the opcodes INFO lists */
	unsigned int nr_opcodes;
};

static struct target targets[DBG_MAX_DEVS];
static unsigned int nr_targets;
static __u8 *area;			/* AREA bytes: RW, then PG none, PG read-only */
static __u8 *none_page, *ro_page;
static __u8 *st_area;			/* a RW page, then a PG none */
static unsigned long hist[NR_TYPES][NR_ERRNO + 1];
static unsigned long calls[NR_TYPES], bad[NR_TYPES];
static bool verbose;

static const char *const hist_names[NR_TYPES] = { "mock", "cxl", "accel" };

static int type_index(__u32 type)
{
	switch (type) {
	case FWCTL_DEVICE_TYPE_TEST_MOCK: return 0;
	case FWCTL_DEVICE_TYPE_CXL: return 1;
	case FWCTL_DEVICE_TYPE_ACCEL: return 2;
	}
	return -1;
}

/* A length: usually small, sometimes at or beyond a limit */
static __u32 gen_len(__u32 natural)
{
	switch (rnd_below(10)) {
	case 0:
		return PICK(0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33);
	case 1:
		return PICK(FWCTL_RPC_MAX_LEN, FWCTL_RPC_MAX_LEN + 1, 0xffffffff,
			    0x80000000, 65536, 65537, 4095, 4096, 4097);
	case 2:
		return rnd_below(8192);
	default:
		return natural;
	}
}

/*
 * Where a buffer of @len bytes for the kernel goes: in the RW area at
 * @off (the caller has put data there), or somewhere the kernel must
 * refuse. @write: the kernel writes it.
 */
static __u64 gen_ptr(size_t off, __u32 len, bool write)
{
	switch (rnd_below(40)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)none_page;
	case 2:
		return write ? (uintptr_t)ro_page : (uintptr_t)ro_page + 8;
	case 3:
		return KERNEL_PTR + rnd_below(1 << 20);
	case 4:
		/* Runs off the end of the RW area into the unmapped page */
		return (uintptr_t)none_page - (len > 1 ? rnd_below(len) : 0);
	case 5:
		return rnd();
	default:
		return (uintptr_t)area + off;
	}
}

/* Request generators; each writes into @in and returns the length */
static __u32 gen_mock(__u8 *in, __u32 max)
{
	struct fwctl_mock_req *req = (void *)in;
	__u32 op, plen;

	op = PICK(FWCTL_MOCK_OP_ECHO, FWCTL_MOCK_OP_ECHO, FWCTL_MOCK_OP_COUNTERS,
		  FWCTL_MOCK_OP_REG_READ, FWCTL_MOCK_OP_REG_WRITE,
		  FWCTL_MOCK_OP_REG_WRITE_RAW, FWCTL_MOCK_OP_FW_ERROR,
		  FWCTL_MOCK_OP_SLEEP, 0, 8, rnd());
	switch (op) {
	case FWCTL_MOCK_OP_REG_READ:
	case FWCTL_MOCK_OP_REG_WRITE:
	case FWCTL_MOCK_OP_REG_WRITE_RAW: {
		struct fwctl_mock_reg *r = (void *)req->payload;

		plen = sizeof(*r);
		r->reg = htole32(chance(80) ? rnd_below(FWCTL_MOCK_NUM_REGS) :
				 rnd());
		r->val = htole32(rnd());
		break;
	}
	case FWCTL_MOCK_OP_FW_ERROR:
		plen = sizeof(struct fwctl_mock_fw_error);
		memset(req->payload, 0, plen);
		req->payload[0] = rnd();
		break;
	case FWCTL_MOCK_OP_SLEEP: {
		struct fwctl_mock_sleep *s = (void *)req->payload;

		/* Keep the run time bounded: 0 or 1 ms, or out of range */
		plen = sizeof(*s);
		s->msecs = htole32(chance(90) ? rnd_below(2) :
				   FWCTL_MOCK_SLEEP_MAX_MS + 1 + rnd_below(9));
		s->reserved = chance(10) ? rnd() : 0;
		break;
	}
	case FWCTL_MOCK_OP_COUNTERS:
		plen = 0;
		break;
	default:
		plen = chance(90) ? rnd_below(256) : rnd_below(max - 16);
		memset(req->payload, rnd(), plen);
		break;
	}
	req->opcode = htole32(op);
	req->flags = chance(5) ? htole32(rnd()) : 0;
	req->reserved = chance(5) ? htole32(rnd()) : 0;
	req->len = htole32(chance(90) ? plen : gen_len(plen));
	return sizeof(*req) + plen;
}

static __u32 gen_cxl(struct target *tg, __u8 *in, __u32 max)
{
	struct fwctl_rpc_cxl *req = (void *)in;
	__u32 plen, i;

	memset(req, 0, sizeof(req->hdr));
	if (tg->nr_opcodes && chance(80))
		req->opcode = tg->opcodes[rnd_below(tg->nr_opcodes)];
	else
		req->opcode = PICK(0x4000, 0x0100, 0x0401, 0x4102, 0x4103,
				   0x0500, 0x0501, 0x0502, 0x4400, 0x4301,
				   rnd() & 0xffff, rnd());
	plen = PICK(0, 0, 0, 8, 16, 24, 32, 64, 128, 2048, 4096,
		    rnd_below(max - 16));
	for (i = 0; i < plen; i++)
		req->payload[i] = chance(60) ? 0 : rnd();
	/* Get Log and Get LSA: lengths near what the device holds */
	if (plen >= 24 && chance(50)) {
		__u32 len = PICK(0, 1, 64, 2048, 2049, 4096, 0xffffffff);

		memcpy(req->payload + 16 + 4, &len, 4);
		memcpy(req->payload + 4, &len, 4);
	}
	req->op_size = chance(85) ? plen : gen_len(plen);
	req->flags = chance(5) ? rnd() : 0;
	req->reserved1 = chance(5) ? rnd() : 0;
	return sizeof(req->hdr) + plen;
}

static __u32 gen_accel(__u8 *in, __u32 max)
{
	struct fwctl_accel_req *req = (void *)in;
	__u32 n = 1 + rnd_below(chance(90) ? 4 : FWCTL_ACCEL_MAX_TRANS + 2);
	__u32 len = sizeof(*req), i;

	for (i = 0; i < n && len + 64 + 4096 < max; i++) {
		struct fwctl_accel_trans *t = (void *)(in + len);
		struct fwctl_accel_trans_mem *m = (void *)t;
		__u32 type = chance(95) ? 1 + rnd_below(11) : rnd();
		__u32 tlen = sizeof(*t) + 8;

		memset(t, 0, 24);
		switch (type) {
		case FWCTL_ACCEL_TRANS_MEM_READ:
		case FWCTL_ACCEL_TRANS_MEM_WRITE:
		case FWCTL_ACCEL_TRANS_MEM_READ_RAW:
		case FWCTL_ACCEL_TRANS_MEM_WRITE_RAW:
			m->handle = htole32(PICK(0, 1, 2, rnd()));
			m->offset = htole32(PICK(0, 8, 4088, 4095, rnd()));
			m->length = htole32(PICK(0, 1, 8, 64, 4095, 4096,
						 rnd()));
			tlen = sizeof(*m);
			if (type == FWCTL_ACCEL_TRANS_MEM_WRITE ||
			    type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW) {
				__u32 d = PICK(8, 64, 0, 4096);

				memset(m->data, rnd(), d);
				tlen += d;
			}
			break;
		case FWCTL_ACCEL_TRANS_COMPUTE:
			/* A small factorial: large ones keep the unit busy */
			((__le32 *)(t + 1))[0] = htole32(PICK(1, 2, rnd()));
			((__le32 *)(t + 1))[1] = htole32(rnd_below(13));
			break;
		case FWCTL_ACCEL_TRANS_REG_READ:
		case FWCTL_ACCEL_TRANS_REG_WRITE:
			((__le32 *)(t + 1))[0] = htole32(PICK(0, 4, 0x20, 0x24,
							      0x80, rnd()));
			((__le32 *)(t + 1))[1] = htole32(rnd() & 0xff);
			break;
		default:
			((__le32 *)(t + 1))[0] = htole32(PICK(0, 64, 4096,
							      rnd()));
			break;
		}
		t->type = htole32(type);
		t->len = htole32(chance(95) ? tlen : gen_len(tlen));
		len += (tlen + 7) & ~7U;
	}
	req->opcode = htole32(chance(95) ? FWCTL_ACCEL_OP_TRANSACT : rnd());
	req->flags = chance(5) ? htole32(rnd()) : 0;
	req->count = htole32(chance(95) ? i : rnd_below(40));
	req->len = htole32(chance(95) ? len : gen_len(len));
	return len;
}

static void record(struct target *tg, int ret, const char *what)
{
	int e = ret ? errno : 0;

	calls[tg->t]++;
	hist[tg->t][e >= 0 && e < NR_ERRNO ? e : NR_ERRNO]++;
	if (!ret || errno_documented(e, tg->dev.type))
		return;
	if (bad[tg->t]++ < 10)
		printf("# %s %s: undocumented errno %d (%s)\n", tg->dev.name,
		       what, e, strerror(e));
}

static void fuzz_info(struct target *tg, int fd)
{
	__u8 *st = st_area + PG - 64;	/* the structure, up to a hole */
	struct fwctl_info *cmd = (void *)st;
	__u32 natural = sizeof(*cmd), dlen;
	unsigned long arg = (uintptr_t)st;

	memset(st, 0, 64);
	cmd->size = chance(85) ? natural :
		    PICK(0, 4, 8, 12, 16, 20, 23, 32, 64, rnd());
	if (cmd->size > natural && cmd->size <= 64 && chance(50))
		st[natural + rnd_below(cmd->size - natural)] = 1;
	cmd->flags = chance(5) ? rnd() : 0;
	dlen = PICK(0, 4, 16, 64, 256, 4096, rnd_below(8192));
	cmd->device_data_len = chance(90) ? dlen : gen_len(dlen);
	cmd->out_device_data = gen_ptr(0, cmd->device_data_len, true);
	if (chance(2))
		arg = PICK(0, 1) ? (uintptr_t)none_page : (uintptr_t)ro_page;
	else if (chance(2))
		arg = (uintptr_t)st_area + PG - 4;	/* size, then a hole */
	record(tg, ioctl(fd, FWCTL_INFO, arg), "INFO");
}

static void fuzz_rpc(struct target *tg, int fd)
{
	__u8 *st = st_area + PG - 64;
	struct fwctl_rpc *cmd = (void *)st;
	__u32 natural = sizeof(*cmd), in_len = 0, out_len;
	const size_t out_off = 1024 * 1024;
	unsigned long arg = (uintptr_t)st;
	size_t in_off;

	switch (tg->dev.type) {
	case FWCTL_DEVICE_TYPE_TEST_MOCK:
		in_len = gen_mock(area, 8192);
		break;
	case FWCTL_DEVICE_TYPE_CXL:
		in_len = gen_cxl(tg, area, 8192);
		break;
	case FWCTL_DEVICE_TYPE_ACCEL:
		in_len = gen_accel(area, 16384);
		break;
	}
	/* Now and then, the request ends exactly where the hole starts */
	in_off = 0;
	if (chance(10)) {
		in_off = AREA - 2 * PG - in_len;
		memmove(area + in_off, area, in_len);
	}
	memset(st, 0, 64);
	cmd->size = chance(90) ? natural :
		    PICK(0, 4, 16, 20, 24, 28, 36, 40, 64, rnd());
	if (cmd->size > natural && cmd->size <= 64 && chance(50))
		st[natural + rnd_below(cmd->size - natural)] = 1;
	cmd->scope = chance(95) ? rnd_below(4) : PICK(4, 5, 0x80000000, rnd());
	cmd->in_len = chance(90) ? in_len : gen_len(in_len);
	out_len = PICK(0, 8, 16, 64, 256, 4096, 65536, rnd_below(70000));
	cmd->out_len = chance(90) ? out_len : gen_len(out_len);
	if (cmd->out_len > AREA - 2 * PG - out_off)
		cmd->out_len = chance(50) ? (__u32)(AREA - 2 * PG - out_off) :
			       cmd->out_len;
	cmd->in = gen_ptr(in_off, cmd->in_len, false);
	cmd->out = gen_ptr(out_off, cmd->out_len, true);
	/* A reply that must stop at the unmapped page */
	if (chance(3))
		cmd->out = (uintptr_t)none_page - rnd_below(64);
	if (chance(1))
		arg = (uintptr_t)st_area + PG - 8;
	record(tg, ioctl(fd, FWCTL_RPC, arg), "RPC");
}

static void fuzz_other(struct target *tg, int fd)
{
	unsigned long nr = PICK(FWCTL_INFO, FWCTL_RPC, _IO(FWCTL_TYPE, 2),
				_IO(FWCTL_TYPE, 0x80), _IOWR(FWCTL_TYPE, 0, int),
				_IO(FWCTL_TYPE + 1, 0), rnd());

	/* Unknown numbers: ENOTTY; real ones with junk arguments */
	record(tg, ioctl(fd, nr, (unsigned long)(PICK(0, 1) ? 0 : rnd())),
	       "ioctl");
}

static int reopen(struct target *tg, unsigned int i)
{
	if (tg->fd[i] >= 0)
		close(tg->fd[i]);
	tg->fd[i] = dbg_open(&tg->dev);
	return tg->fd[i];
}

/* The opcodes a CXL device's INFO lists */
static void cxl_opcodes(struct target *tg)
{
	static union {
		struct fwctl_info_cxl info;
		__u8 bytes[8192];
	} b;
	__u32 len = sizeof(b), i;

	if (info_call(tg->fd[0], &b, &len, NULL) || len < sizeof(b.info))
		return;
	for (i = 0; i < b.info.nr_commands && i < ARRAY_LEN(tg->opcodes) &&
	     sizeof(b.info) + (i + 1) * sizeof(b.info.commands[0]) <= len; i++)
		tg->opcodes[tg->nr_opcodes++] = b.info.commands[i].opcode;
}

static int setup(const char *types)
{
	struct dbg_dev devs[DBG_MAX_DEVS];
	int n, i, t;

	area = mmap(NULL, AREA, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (area == MAP_FAILED)
		return -errno;
	none_page = area + AREA - 2 * PG;
	ro_page = area + AREA - PG;
	if (mprotect(none_page, PG, PROT_NONE) || mprotect(ro_page, PG, PROT_READ))
		return -errno;
	st_area = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (st_area == MAP_FAILED || mprotect(st_area + PG, PG, PROT_NONE))
		return -errno;

	n = dbg_find(FWCTL_DEVICE_TYPE_ERROR, devs, DBG_MAX_DEVS);
	for (i = 0; i < n; i++) {
		struct target *tg = &targets[nr_targets];

		t = type_index(devs[i].type);
		if (t < 0 || (types && !strstr(types, hist_names[t])))
			continue;
		tg->dev = devs[i];
		tg->t = t;
		tg->fd[0] = dbg_open(&tg->dev);
		tg->fd[1] = dbg_open(&tg->dev);
		if (tg->fd[0] < 0 || tg->fd[1] < 0) {
			printf("# cannot open %s: %s\n", tg->dev.name,
			       strerror(-tg->fd[0]));
			continue;
		}
		if (tg->dev.type == FWCTL_DEVICE_TYPE_CXL)
			cxl_opcodes(tg);
		printf("# %s: %s (%s), %u opcodes\n", tg->dev.name,
		       hist_names[t], tg->dev.bus_id, tg->nr_opcodes);
		nr_targets++;
	}
	return 0;
}

static void print_hist(unsigned int t)
{
	int e;

	printf("# %s: %lu calls, errno histogram:", hist_names[t], calls[t]);
	for (e = 0; e <= NR_ERRNO; e++) {
		if (!hist[t][e])
			continue;
		if (!e)
			printf(" ok=%lu", hist[t][e]);
		else if (e == NR_ERRNO)
			printf(" other=%lu", hist[t][e]);
		else
			printf(" %s=%lu", strerrorname_np(e) ?: "?", hist[t][e]);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	unsigned long n = 100000, i;
	const char *types = NULL;
	__u64 seed = 1, t0;
	unsigned int t, tested = 0;
	int opt, ret;

	while ((opt = getopt(argc, argv, "s:n:t:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 't':
			types = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n CALLS] [-t mock,cxl,accel] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	dbg_seed(seed);
	printf("TAP version 13\n");
	ret = setup(types);
	if (ret || !nr_targets) {
		printf("1..0 # SKIP no fwctl device to fuzz (%s)\n",
		       ret ? strerror(-ret) : "none found");
		return 4;
	}
	printf("# seed %llu, %lu calls over %u devices\n",
	       (unsigned long long)seed, n, nr_targets);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		struct target *tg = &targets[rnd_below(nr_targets)];
		unsigned int f = rnd_below(FDS_PER_DEV);
		int fd = tg->fd[f];

		if ((chance(1) && rnd_below(10) == 0) || fd < 0) {
			fd = reopen(tg, f);
			if (fd < 0) {
				errno = -fd;
				record(tg, -1, "open");
				continue;
			}
		}
		switch (rnd_below(100)) {
		case 0 ... 11:
			fuzz_info(tg, fd);
			break;
		case 12 ... 14:
			fuzz_other(tg, fd);
			break;
		default:
			fuzz_rpc(tg, fd);
			break;
		}
		if (verbose && !(i % 100000))
			printf("# %lu calls, %llu s\n", i,
			       (unsigned long long)((now_ns() - t0) / 1000000000));
	}
	printf("# %lu calls in %llu ms\n", n,
	       (unsigned long long)((now_ns() - t0) / 1000000));
	for (t = 0; t < NR_TYPES; t++)
		if (calls[t])
			tested++;
	printf("1..%u\n", tested);
	tested = 0;
	for (t = 0; t < NR_TYPES; t++) {
		if (!calls[t])
			continue;
		print_hist(t);
		printf("%sok %u %s: %lu calls, %lu undocumented errnos\n",
		       bad[t] ? "not " : "", ++tested, hist_names[t], calls[t],
		       bad[t]);
	}
	for (t = 0; t < NR_TYPES; t++)
		if (bad[t])
			return 1;
	return 0;
}
