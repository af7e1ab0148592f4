// SPDX-License-Identifier: GPL-2.0
/*
 * The fwctl permission matrix: what each scope of each driver gives to
 *
 *   root         uid 0 with every capability
 *   no-rawio     uid 0 without CAP_SYS_RAWIO
 *   user         uid 65534 with no capability, owner of the node
 *   lockdown     uid 0 with every capability, kernel locked down
 *
 *   fwctl_matrix [-l]
 *
 * Each cell opens the first fwctl device of the driver with those
 * credentials and sends the driver's simplest request (it needs the lowest
 * scope) labelled with the scope; the cell is the ioctl's result. The
 * documented policy (Documentation/userspace-api/fwctl/fwctl.rst): every
 * scope up to DEBUG_WRITE for everyone who can open the node;
 * DEBUG_WRITE_FULL only with CAP_SYS_RAWIO on a kernel that is not locked
 * down (EPERM otherwise); a scope beyond it is EOPNOTSUPP.
 *
 * When the kernel is already locked down, every column runs locked down.
 * Otherwise the lockdown column needs -l, which locks the kernel down
 * (integrity) after the other columns: that lasts until reboot.
 * Prints the table and TAP, one result per driver and scope. Needs root.
 */
#include <getopt.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "debug_utils.h"

#define NOBODY		65534
#define NR_SCOPES	5	/* the four, and one beyond */
#define NR_COLS		4

enum { ROOT, NORAWIO, USER, LOCKDOWN };

static const char *const col_names[NR_COLS] = {
	"root", "no-rawio", "user", "lockdown",
};

static const char *const row_scopes[NR_SCOPES] = {
	"configuration", "debug_read_only", "debug_write",
	"debug_write_full", "(4: unknown)",
};

/* The cell's documented result: 0 or an errno, positive as exit codes are */
static int expected(unsigned int scope, unsigned int col, bool locked)
{
	int err = 0;

	if (scope > FWCTL_RPC_DEBUG_WRITE_FULL)
		err = -EOPNOTSUPP;
	else if (scope == FWCTL_RPC_DEBUG_WRITE_FULL && (col != ROOT || locked))
		err = -EPERM;
	return -err;
}

/* In a child with the column's credentials: 0 or the errno */
static int cell(const struct dbg_dev *d, unsigned int scope, unsigned int col)
{
	int status, fd, ret;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (col == NORAWIO &&
		    (prctl(PR_CAPBSET_DROP, CAP_SYS_RAWIO_NR, 0, 0, 0) ||
		     drop_cap(CAP_SYS_RAWIO_NR)))
			_exit(255);
		if (col == USER &&
		    (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
			_exit(255);
		fd = dbg_open(d);
		if (fd < 0)
			_exit(-fd);
		ret = dbg_simple_rpc(fd, d->type, scope);
		_exit(ret < 0 ? -ret : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 255 ? -1 : WEXITSTATUS(status);
}

static void show(int v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "?");
	else if (!v)
		snprintf(buf, len, "ok");
	else
		snprintf(buf, len, "%s", strerrorname_np(v) ?: "?");
}

int main(int argc, char **argv)
{
	static const __u32 types[] = {
		FWCTL_DEVICE_TYPE_TEST_MOCK, FWCTL_DEVICE_TYPE_CXL,
		FWCTL_DEVICE_TYPE_ACCEL,
	};
	int got[ARRAY_LEN(types)][NR_SCOPES][NR_COLS];
	int rows_bad[ARRAY_LEN(types)][NR_SCOPES];
	struct dbg_dev devs[ARRAY_LEN(types)];
	bool lock = false, locked = locked_down(), have_lock_col;
	unsigned int i, s, c, n = 0, tap = 0;
	char path[96];
	int opt, bad = 0;

	while ((opt = getopt(argc, argv, "l")) != -1) {
		if (opt != 'l') {
			fprintf(stderr, "usage: %s [-l]\n", argv[0]);
			return 2;
		}
		lock = true;
	}
	printf("TAP version 13\n");
	for (i = 0; i < ARRAY_LEN(types); i++)
		if (dbg_find(types[i], &devs[n], 1) == 1)
			n++;
	if (!n || geteuid()) {
		printf("1..0 # SKIP %s\n", n ? "needs root" : "no fwctl device");
		return 4;
	}
	have_lock_col = locked || lock;
	memset(got, 0xff, sizeof(got));
	for (i = 0; i < n; i++) {
		/* The ceiling at its default; the node open to the user */
		max_scope_set(devs[i].name, FWCTL_RPC_DEBUG_WRITE_FULL);
		snprintf(path, sizeof(path), "/dev/fwctl/%.31s", devs[i].name);
		if (chown(path, NOBODY, NOBODY))
			printf("# chown %s: %s\n", path, strerror(errno));
		for (s = 0; s < NR_SCOPES; s++)
			for (c = ROOT; c <= USER; c++)
				got[i][s][c] = cell(&devs[i], s, c);
	}
	if (have_lock_col && !locked) {
		if (write_file("/sys/kernel/security/lockdown", "integrity") ||
		    !locked_down()) {
			printf("# cannot lock the kernel down\n");
			have_lock_col = false;
		}
	}
	for (i = 0; i < n && have_lock_col; i++)
		for (s = 0; s < NR_SCOPES; s++)
			got[i][s][LOCKDOWN] = cell(&devs[i], s, ROOT);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/fwctl/%.31s", devs[i].name);
		if (chown(path, 0, 0))
			bad++;
	}

	printf("1..%u\n", n * NR_SCOPES);
	printf("# kernel %s at the start; cells: the RPC's result, (want X) where it differs\n",
	       locked ? "locked down" : "not locked down");
	printf("# %-6s %-17s", "driver", "scope");
	for (c = 0; c < NR_COLS; c++)
		printf(" %-18s", col_names[c]);
	printf("\n");
	for (i = 0; i < n; i++) {
		for (s = 0; s < NR_SCOPES; s++) {
			int row_bad = 0;

			printf("# %-6s %-17s", type_name(devs[i].type),
			       row_scopes[s]);
			for (c = 0; c < NR_COLS; c++) {
				/* Locked from the start: every column is */
				int want = expected(s, c, locked || c == LOCKDOWN);
				char g[32], w[32], txt[96];

				if (c == LOCKDOWN && !have_lock_col) {
					printf(" %-18s", "-");
					continue;
				}
				show(got[i][s][c], g, sizeof(g));
				show(want, w, sizeof(w));
				if (got[i][s][c] == want)
					snprintf(txt, sizeof(txt), "%s", g);
				else
					snprintf(txt, sizeof(txt), "%s(want %s)",
						 g, w);
				row_bad += got[i][s][c] != want;
				printf(" %-18s", txt);
			}
			printf("\n");
			bad += row_bad;
			rows_bad[i][s] = row_bad;
		}
	}
	for (i = 0; i < n; i++)
		for (s = 0; s < NR_SCOPES; s++)
			printf("%sok %u %s %s%s\n", rows_bad[i][s] ? "not " : "",
			       ++tap, type_name(devs[i].type), row_scopes[s],
			       have_lock_col ? "" : " (lockdown column not run)");
	return bad ? 1 : 0;
}
