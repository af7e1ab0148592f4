// SPDX-License-Identifier: GPL-2.0
/*
 * Accelerator management channel: transaction lists.
 *
 * An RPC is handled in passes, so that nothing reaches the device unless
 * the whole list is acceptable:
 *
 * 1. parse, without locks: the structure of every transaction, its scope
 *    (through a command table), reserved fields, lengths and the device
 *    ranges of raw transfers. The reply's layout follows from the request
 *    alone and is computed here.
 * 2. stage: the buffer of every transfer is allocated and mapped, with the
 *    data of the writes copied in.
 * 3. under the device lock: the regions the list names are looked up and
 *    checked against the file and the scope, then the transactions run in
 *    order until one does not complete.
 *
 * Errors of the first passes fail the RPC with an errno and leave the
 * device untouched. Once transactions run, the outcome of each is in its
 * reply record.
 */
#include <linux/bitmap.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "accel.h"

#define ACCEL_REQ_HDR	sizeof(struct fwctl_accel_req)
#define ACCEL_RSP_HDR	sizeof(struct fwctl_accel_rsp)
#define ACCEL_TRANS_HDR	sizeof(struct fwctl_accel_trans)
#define ACCEL_REC_HDR	sizeof(struct fwctl_accel_trans_rsp)
#define ACCEL_MEM_LEN	sizeof(struct fwctl_accel_trans_mem)
#define ACCEL_REG_LEN	sizeof(struct fwctl_accel_trans_reg)

static const struct fwctl_cmd accel_msg_cmds[] = {
	{
		.id = FWCTL_ACCEL_OP_TRANSACT,
		.scope = FWCTL_RPC_CONFIGURATION,
		.in_min = ACCEL_REQ_HDR + ACCEL_TRANS_HDR,
		.in_max = FWCTL_ACCEL_MAX_REQ_LEN,
		.out_min = ACCEL_RSP_HDR + ACCEL_REC_HDR,
		.out_max = FWCTL_ACCEL_MAX_RSP_LEN,
		.name = "TRANSACT",
	},
};

/*
 * The message: the core checks the opcode and the total lengths. Each
 * transaction's own scope is checked against accel_trans_table.
 */
const struct fwctl_cmd_table accel_msg_table = {
	.id = { .offset = offsetof(struct fwctl_accel_req, opcode), .width = 4 },
	.cmds = accel_msg_cmds,
	.num_cmds = ARRAY_SIZE(accel_msg_cmds),
};

/*
 * One entry per transaction type: its lowest scope, the bounds of its
 * length and the longest reply record it produces.
 */
#define ACCEL_TRANS(_type, _scope, _in_min, _in_max, _rsp)		\
	{								\
		.id = FWCTL_ACCEL_TRANS_##_type,			\
		.scope = FWCTL_RPC_##_scope,				\
		.in_min = (_in_min),					\
		.in_max = (_in_max),					\
		.out_max = ACCEL_REC_HDR + (_rsp),			\
		.name = #_type,						\
	}

#define ACCEL_FIXED(_type, _scope, _struct, _rsp)			\
	ACCEL_TRANS(_type, _scope, sizeof(_struct), sizeof(_struct), _rsp)

#define ACCEL_WRITE_MIN	(ACCEL_MEM_LEN + FWCTL_ACCEL_ALIGN)
#define ACCEL_WRITE_MAX	(ACCEL_MEM_LEN + FWCTL_ACCEL_MAX_XFER)

static const struct fwctl_cmd accel_trans_cmds[] = {
	ACCEL_FIXED(IDENTIFY, CONFIGURATION, struct fwctl_accel_trans,
		    sizeof(struct fwctl_accel_identify)),
	ACCEL_FIXED(STATUS, CONFIGURATION, struct fwctl_accel_trans,
		    sizeof(struct fwctl_accel_state)),
	ACCEL_FIXED(COMPUTE, CONFIGURATION, struct fwctl_accel_trans_compute,
		    sizeof(struct fwctl_accel_compute_rsp)),
	ACCEL_FIXED(REGION_GRANT, CONFIGURATION, struct fwctl_accel_trans_grant,
		    sizeof(struct fwctl_accel_region)),
	ACCEL_FIXED(REGION_RELEASE, CONFIGURATION,
		    struct fwctl_accel_trans_release, 0),
	ACCEL_FIXED(MEM_READ, DEBUG_READ_ONLY, struct fwctl_accel_trans_mem,
		    FWCTL_ACCEL_MAX_XFER),
	ACCEL_TRANS(MEM_WRITE, DEBUG_WRITE, ACCEL_WRITE_MIN, ACCEL_WRITE_MAX, 0),
	ACCEL_FIXED(MEM_READ_RAW, DEBUG_WRITE_FULL,
		    struct fwctl_accel_trans_mem, FWCTL_ACCEL_MAX_XFER),
	ACCEL_TRANS(MEM_WRITE_RAW, DEBUG_WRITE_FULL, ACCEL_WRITE_MIN,
		    ACCEL_WRITE_MAX, 0),
	ACCEL_FIXED(REG_READ, DEBUG_READ_ONLY, struct fwctl_accel_trans_reg,
		    sizeof(struct fwctl_accel_reg_rsp)),
	ACCEL_FIXED(REG_WRITE, DEBUG_WRITE_FULL, struct fwctl_accel_trans_reg,
		    0),
};

static const struct fwctl_cmd_table accel_trans_table = {
	.id = { .offset = offsetof(struct fwctl_accel_trans, type), .width = 4 },
	.cmds = accel_trans_cmds,
	.num_cmds = ARRAY_SIZE(accel_trans_cmds),
};

/**
 * struct accel_item - one parsed transaction
 * @type: its &enum fwctl_accel_trans_type
 * @req: the transaction in the request buffer
 * @rsp_off: offset of its record in the reply
 * @rsp_len: length of its record
 * @handle: region handle of a transfer or release
 * @offset: offset of a transfer, in the region or in device memory
 * @length: bytes of a transfer or of a grant, rounded to the granule
 * @op: compute operation
 * @operand: compute operand
 * @reg: register offset
 * @value: register value to write
 * @dev_off: where a transfer lands in device memory, once resolved
 * @region: the region a transfer or release names, once resolved
 * @buf: the staging buffer of a transfer or grant
 */
struct accel_item {
	u32 type;
	const void *req;
	size_t rsp_off;
	u32 rsp_len;
	u32 handle;
	u32 offset;
	u32 length;
	u32 op;
	u32 operand;
	u32 reg;
	u32 value;
	u32 dev_off;
	struct accel_region *region;
	struct accel_dma_buf *buf;
};

static bool accel_is_mem(u32 type)
{
	return type >= FWCTL_ACCEL_TRANS_MEM_READ &&
	       type <= FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
}

static bool accel_is_raw(u32 type)
{
	return type == FWCTL_ACCEL_TRANS_MEM_READ_RAW ||
	       type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
}

static bool accel_is_write(u32 type)
{
	return type == FWCTL_ACCEL_TRANS_MEM_WRITE ||
	       type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
}

static const struct accel_hw_reg *accel_hw_reg_find(struct accel_dev *adev,
						    u32 offset)
{
	unsigned int i;

	for (i = 0; i < adev->info.num_regs; i++)
		if (adev->info.regs[i].offset == offset)
			return &adev->info.regs[i];
	return NULL;
}

static int accel_parse_mem(struct accel_dev *adev,
			   const struct fwctl_accel_trans_mem *m, u32 len,
			   struct accel_item *item)
{
	bool raw = accel_is_raw(item->type);
	u32 end, limit, padded, i;

	item->handle = le32_to_cpu(m->handle);
	item->offset = le32_to_cpu(m->offset);
	item->length = le32_to_cpu(m->length);
	if (m->reserved || !item->length || item->length > adev->info.max_xfer)
		return -EINVAL;
	if (raw != !item->handle)
		return -EINVAL;

	/* Regions are bounded again by their own size once looked up */
	limit = raw ? adev->info.mem_size : accel_max_region(adev);
	if (check_add_overflow(item->offset, item->length, &end) || end > limit)
		return -EINVAL;

	padded = ALIGN(item->length, FWCTL_ACCEL_ALIGN);
	if (!accel_is_write(item->type)) {
		item->rsp_len = ACCEL_REC_HDR + padded;
		return 0;
	}
	if (len != ACCEL_MEM_LEN + padded)
		return -EINVAL;
	for (i = item->length; i < padded; i++)
		if (m->data[i])
			return -EINVAL;
	item->rsp_len = ACCEL_REC_HDR;
	return 0;
}

static int accel_parse_reg(struct accel_dev *adev,
			   const struct fwctl_accel_trans_reg *r,
			   struct accel_item *item)
{
	bool write = item->type == FWCTL_ACCEL_TRANS_REG_WRITE;
	const struct accel_hw_reg *reg;

	item->reg = le32_to_cpu(r->reg);
	item->value = le32_to_cpu(r->value);
	if (!write && item->value)
		return -EINVAL;
	reg = accel_hw_reg_find(adev, item->reg);
	if (!reg)
		return -EINVAL;
	/* Registers that would let the caller aim the DMA engine */
	if (!(reg->flags & (write ? ACCEL_REG_WRITE : ACCEL_REG_READ)))
		return -EPERM;
	item->rsp_len = ACCEL_REC_HDR +
			(write ? 0 : sizeof(struct fwctl_accel_reg_rsp));
	return 0;
}

/* Type-specific checks that need no state; sets the record length */
static int accel_parse_one(struct accel_dev *adev,
			   const struct fwctl_accel_trans *t, u32 len,
			   struct accel_item *item)
{
	const struct fwctl_accel_trans_compute *c;
	const struct fwctl_accel_trans_release *rel;
	const struct fwctl_accel_trans_grant *g;
	u32 payload = 0;

	switch (item->type) {
	case FWCTL_ACCEL_TRANS_IDENTIFY:
		payload = sizeof(struct fwctl_accel_identify);
		break;
	case FWCTL_ACCEL_TRANS_STATUS:
		payload = sizeof(struct fwctl_accel_state);
		break;
	case FWCTL_ACCEL_TRANS_COMPUTE:
		c = container_of(t, struct fwctl_accel_trans_compute, hdr);
		item->op = le32_to_cpu(c->op);
		item->operand = le32_to_cpu(c->operand);
		if (item->op != FWCTL_ACCEL_COMPUTE_FACTORIAL ||
		    item->operand > adev->info.compute_max)
			return -EINVAL;
		payload = sizeof(struct fwctl_accel_compute_rsp);
		break;
	case FWCTL_ACCEL_TRANS_REGION_GRANT:
		g = container_of(t, struct fwctl_accel_trans_grant, hdr);
		item->length = le32_to_cpu(g->size);
		if (g->flags || !item->length ||
		    item->length > accel_max_region(adev))
			return -EINVAL;
		item->length = round_up(item->length, ACCEL_GRANULE);
		payload = sizeof(struct fwctl_accel_region);
		break;
	case FWCTL_ACCEL_TRANS_REGION_RELEASE:
		rel = container_of(t, struct fwctl_accel_trans_release, hdr);
		item->handle = le32_to_cpu(rel->handle);
		if (rel->reserved || !item->handle)
			return -EINVAL;
		break;
	case FWCTL_ACCEL_TRANS_MEM_READ:
	case FWCTL_ACCEL_TRANS_MEM_WRITE:
	case FWCTL_ACCEL_TRANS_MEM_READ_RAW:
	case FWCTL_ACCEL_TRANS_MEM_WRITE_RAW:
		return accel_parse_mem(adev,
				       container_of(t, struct fwctl_accel_trans_mem,
						    hdr),
				       len, item);
	case FWCTL_ACCEL_TRANS_REG_READ:
	case FWCTL_ACCEL_TRANS_REG_WRITE:
		return accel_parse_reg(adev,
				       container_of(t, struct fwctl_accel_trans_reg,
						    hdr),
				       item);
	default:
		/* The table and this switch disagree */
		WARN_ON_ONCE(1);
		return -EINVAL;
	}
	item->rsp_len = ACCEL_REC_HDR + payload;
	return 0;
}

/* Checks the request header; returns the number of transactions or -EINVAL */
static int accel_parse_hdr(const struct fwctl_accel_req *req, size_t in_len)
{
	u32 count = le32_to_cpu(req->count);

	if (in_len < ACCEL_REQ_HDR || req->flags ||
	    le32_to_cpu(req->len) != in_len || !count ||
	    count > FWCTL_ACCEL_MAX_TRANS)
		return -EINVAL;
	return count;
}

static int accel_parse(struct accel_dev *adev, enum fwctl_rpc_scope scope,
		       const u8 *in, size_t in_len, struct accel_item *items,
		       u32 count, size_t *rsp_lenp)
{
	size_t pos = ACCEL_REQ_HDR, rsp_len = ACCEL_RSP_HDR;
	u32 i;
	int ret;

	for (i = 0; i < count; i++) {
		const struct fwctl_accel_trans *t = (const void *)(in + pos);
		const struct fwctl_cmd *cmd;
		u32 len;

		if (in_len - pos < ACCEL_TRANS_HDR)
			return -EINVAL;
		len = le32_to_cpu(t->len);
		if (len < ACCEL_TRANS_HDR || !IS_ALIGNED(len, FWCTL_ACCEL_ALIGN) ||
		    len > in_len - pos)
			return -EINVAL;

		ret = fwctl_cmd_check(&accel_trans_table, scope, t, len, 0, &cmd);
		/* An unknown type is a malformed list, not an unknown command */
		if (ret == -EOPNOTSUPP)
			return -EINVAL;
		if (ret)
			return ret;

		items[i].type = cmd->id;
		items[i].req = t;
		ret = accel_parse_one(adev, t, len, &items[i]);
		if (ret)
			return ret;
		if (WARN_ON_ONCE(items[i].rsp_len > cmd->out_max))
			return -EINVAL;
		items[i].rsp_off = rsp_len;
		if (check_add_overflow(rsp_len, (size_t)items[i].rsp_len,
				       &rsp_len) ||
		    check_add_overflow(pos, (size_t)len, &pos))
			return -EINVAL;
	}
	if (pos != in_len || rsp_len > FWCTL_ACCEL_MAX_RSP_LEN)
		return -EINVAL;
	*rsp_lenp = rsp_len;
	return 0;
}

/* Allocates and maps the buffer of every transfer; -ENOMEM when short */
static int accel_stage(struct accel_dev *adev, struct accel_item *items,
		       u32 count)
{
	const struct fwctl_accel_trans_mem *m;
	u32 i;

	for (i = 0; i < count; i++) {
		struct accel_item *item = &items[i];

		if (item->type == FWCTL_ACCEL_TRANS_REGION_GRANT) {
			item->buf = accel_dma_buf_alloc(adev, item->length,
							ACCEL_DMA_TO_DEVICE,
							NULL);
		} else if (accel_is_write(item->type)) {
			m = container_of(item->req, struct fwctl_accel_trans_mem,
					 hdr);
			item->buf = accel_dma_buf_alloc(adev, item->length,
							ACCEL_DMA_TO_DEVICE,
							m->data);
		} else if (accel_is_mem(item->type)) {
			item->buf = accel_dma_buf_alloc(adev, item->length,
							ACCEL_DMA_FROM_DEVICE,
							NULL);
		} else {
			continue;
		}
		if (!item->buf)
			return -ENOMEM;
	}
	return 0;
}

/* Frees the buffers no transfer is using: never started, or completed */
static void accel_unstage(struct accel_dev *adev, struct accel_item *items,
			  u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		if (items[i].buf)
			accel_dma_buf_free(adev, items[i].buf, NULL);
		items[i].buf = NULL;
	}
}

static int accel_region_slot(struct accel_dev *adev, u32 handle)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(adev->regions); i++)
		if (handle && adev->regions[i].handle == handle)
			return i;
	return -1;
}

/*
 * Looks up the regions the list names, as they are when it starts: a
 * region granted by the list cannot be named in it, one it releases cannot
 * be named after the release.
 */
static int accel_resolve(struct accel_dev *adev, struct fwctl_uctx *uctx,
			 enum fwctl_rpc_scope scope, struct accel_item *items,
			 u32 count)
{
	DECLARE_BITMAP(released, ACCEL_MAX_REGIONS) = {};
	struct accel_region *region;
	u32 i;
	int slot;

	lockdep_assert_held(&adev->lock);
	for (i = 0; i < count; i++) {
		struct accel_item *item = &items[i];
		bool release = item->type == FWCTL_ACCEL_TRANS_REGION_RELEASE;

		if (accel_is_raw(item->type)) {
			item->dev_off = item->offset;
			continue;
		}
		if (!release && !accel_is_mem(item->type))
			continue;

		slot = accel_region_slot(adev, item->handle);
		if (slot < 0 || test_bit(slot, released))
			return -ENOENT;
		region = &adev->regions[slot];
		/* Another file's region: only the full debug scope reaches it */
		if (region->owner != uctx &&
		    (release || scope < FWCTL_RPC_DEBUG_WRITE_FULL))
			return -EPERM;
		item->region = region;
		if (release) {
			__set_bit(slot, released);
			continue;
		}
		/* Both are bounded by the largest region: no overflow */
		if (item->offset + item->length >
		    region->granules * ACCEL_GRANULE)
			return -EINVAL;
		item->dev_off = region->first * ACCEL_GRANULE + item->offset;
	}
	return 0;
}

static u32 accel_next_handle(struct accel_dev *adev)
{
	u32 handle;

	do {
		handle = adev->next_handle++;
	} while (!handle || accel_region_slot(adev, handle) >= 0);
	return handle;
}

static u32 accel_grant(struct accel_dev *adev, struct fwctl_uctx *uctx,
		       struct accel_item *item,
		       struct fwctl_accel_region *rsp)
{
	u32 n = item->length / ACCEL_GRANULE;
	struct accel_region *region;
	unsigned long first;
	u32 status;
	int slot;

	for (slot = 0; slot < ACCEL_MAX_REGIONS; slot++)
		if (!adev->regions[slot].handle)
			break;
	if (slot == ACCEL_MAX_REGIONS)
		return FWCTL_ACCEL_STATUS_NO_SPACE;
	first = bitmap_find_next_zero_area(adev->granule_map,
					   adev->nr_granules, 0, n, 0);
	if (first + n > adev->nr_granules)
		return FWCTL_ACCEL_STATUS_NO_SPACE;

	/* Zeroed first: a region never shows what an earlier owner left */
	status = accel_dma_run(adev, &item->buf, ACCEL_DMA_TO_DEVICE,
			       first * ACCEL_GRANULE);
	if (status != FWCTL_ACCEL_STATUS_OK)
		return status;

	region = &adev->regions[slot];
	bitmap_set(adev->granule_map, first, n);
	region->handle = accel_next_handle(adev);
	region->owner = uctx;
	region->first = first;
	region->granules = n;
	to_accel_uctx(uctx)->nr_regions++;

	rsp->handle = cpu_to_le32(region->handle);
	rsp->offset = cpu_to_le32(first * ACCEL_GRANULE);
	rsp->size = cpu_to_le32(n * ACCEL_GRANULE);
	return FWCTL_ACCEL_STATUS_OK;
}

static u32 accel_compute(struct accel_dev *adev, struct accel_item *item,
			 struct fwctl_accel_compute_rsp *rsp)
{
	const struct accel_hw_ops *ops = adev->ops;

	if (accel_wait_idle(adev, ops->compute_busy))
		return FWCTL_ACCEL_STATUS_BUSY;
	reinit_completion(&adev->hw_done);
	ops->compute_start(adev, item->op, item->operand);
	if (accel_wait_idle(adev, ops->compute_busy)) {
		adev->timeouts++;
		return FWCTL_ACCEL_STATUS_TIMEOUT;
	}
	rsp->result = cpu_to_le32(ops->compute_result(adev));
	return FWCTL_ACCEL_STATUS_OK;
}

static void accel_identify(struct accel_dev *adev,
			   struct fwctl_accel_identify *rsp)
{
	rsp->hw_id = cpu_to_le32(adev->info.hw_id);
	rsp->hw_rev = cpu_to_le32(adev->info.hw_rev);
	rsp->mem_size = cpu_to_le32(adev->info.mem_size);
	rsp->mem_granule = cpu_to_le32(ACCEL_GRANULE);
	rsp->max_xfer = cpu_to_le32(adev->info.max_xfer);
	rsp->max_region = cpu_to_le32(accel_max_region(adev));
	rsp->max_regions = cpu_to_le32(ACCEL_MAX_REGIONS);
	rsp->compute_max = cpu_to_le32(adev->info.compute_max);
}

static void accel_state(struct accel_dev *adev, struct fwctl_uctx *uctx,
			struct fwctl_accel_state *rsp)
{
	const struct accel_hw_ops *ops = adev->ops;
	u32 flags = 0;

	if (ops->alive(adev))
		flags |= FWCTL_ACCEL_STATE_ALIVE;
	if (ops->dma_busy(adev))
		flags |= FWCTL_ACCEL_STATE_DMA_BUSY;
	if (ops->compute_busy(adev))
		flags |= FWCTL_ACCEL_STATE_COMPUTE_BUSY;

	rsp->flags = cpu_to_le32(flags);
	rsp->regions = cpu_to_le32(to_accel_uctx(uctx)->nr_regions);
	rsp->free_granules = cpu_to_le32(adev->nr_granules -
					 bitmap_weight(adev->granule_map,
						       adev->nr_granules));
	rsp->quarantined = cpu_to_le32(adev->nr_quarantined);
	rsp->transfers = cpu_to_le64(adev->transfers);
	rsp->timeouts = cpu_to_le64(adev->timeouts);
}

/* Runs one transaction; returns its &enum fwctl_accel_status */
static u32 accel_exec_one(struct accel_dev *adev, struct fwctl_uctx *uctx,
			  struct accel_item *item, void *payload)
{
	struct fwctl_accel_reg_rsp *reg = payload;
	u32 status;

	switch (item->type) {
	case FWCTL_ACCEL_TRANS_IDENTIFY:
		accel_identify(adev, payload);
		return FWCTL_ACCEL_STATUS_OK;
	case FWCTL_ACCEL_TRANS_STATUS:
		accel_state(adev, uctx, payload);
		return FWCTL_ACCEL_STATUS_OK;
	case FWCTL_ACCEL_TRANS_COMPUTE:
		return accel_compute(adev, item, payload);
	case FWCTL_ACCEL_TRANS_REGION_GRANT:
		return accel_grant(adev, uctx, item, payload);
	case FWCTL_ACCEL_TRANS_REGION_RELEASE:
		accel_region_free(adev, item->region);
		return FWCTL_ACCEL_STATUS_OK;
	case FWCTL_ACCEL_TRANS_MEM_WRITE:
	case FWCTL_ACCEL_TRANS_MEM_WRITE_RAW:
		return accel_dma_run(adev, &item->buf, ACCEL_DMA_TO_DEVICE,
				     item->dev_off);
	case FWCTL_ACCEL_TRANS_MEM_READ:
	case FWCTL_ACCEL_TRANS_MEM_READ_RAW:
		status = accel_dma_run(adev, &item->buf, ACCEL_DMA_FROM_DEVICE,
				       item->dev_off);
		if (status == FWCTL_ACCEL_STATUS_OK) {
			/* The engine is idle: the data can be read back */
			accel_dma_buf_free(adev, item->buf, payload);
			item->buf = NULL;
		}
		return status;
	case FWCTL_ACCEL_TRANS_REG_READ:
		reg->reg = cpu_to_le32(item->reg);
		reg->value = cpu_to_le32(adev->ops->reg_read(adev, item->reg));
		return FWCTL_ACCEL_STATUS_OK;
	case FWCTL_ACCEL_TRANS_REG_WRITE:
		adev->ops->reg_write(adev, item->reg, item->value);
		return FWCTL_ACCEL_STATUS_OK;
	}
	return FWCTL_ACCEL_STATUS_DEVICE_ERROR;
}

/* Runs the list in order until a transaction does not complete */
static int accel_run(struct accel_dev *adev, struct fwctl_uctx *uctx,
		     struct accel_item *items, u32 count, u8 *out,
		     size_t rsp_len)
{
	struct fwctl_accel_rsp *rsp = (struct fwctl_accel_rsp *)out;
	struct fwctl_accel_trans_rsp *rec;
	u32 i, done = 0, status = FWCTL_ACCEL_STATUS_OK;

	lockdep_assert_held(&adev->lock);
	for (i = 0; i < count; i++) {
		rec = (struct fwctl_accel_trans_rsp *)(out + items[i].rsp_off);
		rec->type = cpu_to_le32(items[i].type);
		rec->len = cpu_to_le32(items[i].rsp_len);
		rec->status = cpu_to_le32(FWCTL_ACCEL_STATUS_NOT_RUN);
	}

	for (i = 0; i < count && status == FWCTL_ACCEL_STATUS_OK; i++) {
		if (READ_ONCE(adev->dying))
			return -ENODEV;
		rec = (struct fwctl_accel_trans_rsp *)(out + items[i].rsp_off);
		status = accel_exec_one(adev, uctx, &items[i], rec + 1);
		rec->status = cpu_to_le32(status);
		done++;
	}

	rsp->status = cpu_to_le32(status);
	rsp->done = cpu_to_le32(done);
	rsp->count = cpu_to_le32(count);
	rsp->len = cpu_to_le32(rsp_len);
	return 0;
}

/**
 * accel_fw_rpc - deliver a transaction list
 * @uctx: the file sending it
 * @cmd: the message table entry the core matched
 * @scope: the scope the RPC carries
 * @rpc_in: the request
 * @in_len: its length
 * @out_len: in: the capacity the core offers, at least the caller's reply
 *	buffer up to %FWCTL_ACCEL_MAX_RSP_LEN; out: the reply's length
 *
 * Return: a new kvmalloc'd reply, or an ERR_PTR: -EINVAL for a malformed
 * list or a reply buffer known to be too small, -EPERM for a scope below a
 * transaction's or another file's region, -ENOENT for an unknown region,
 * -ENOMEM, -EINTR when the caller is killed while waiting for the device,
 * -ENODEV once the device is going away
 */
void *accel_fw_rpc(struct fwctl_uctx *uctx, const struct fwctl_cmd *cmd,
		   enum fwctl_rpc_scope scope, void *rpc_in, size_t in_len,
		   size_t *out_len)
{
	struct accel_dev *adev = to_accel_dev(uctx);
	struct accel_item *items;
	size_t rsp_len = 0;
	void *rsp = NULL;
	int count, ret;

	/* Checked again so that a wrong table cannot let a request through */
	if (!cmd || cmd->id != FWCTL_ACCEL_OP_TRANSACT)
		return ERR_PTR(-EOPNOTSUPP);
	count = accel_parse_hdr(rpc_in, in_len);
	if (count < 0)
		return ERR_PTR(count);

	items = kcalloc(count, sizeof(*items), GFP_KERNEL);
	if (!items)
		return ERR_PTR(-ENOMEM);
	ret = accel_parse(adev, scope, rpc_in, in_len, items, count, &rsp_len);
	if (ret)
		goto out_items;
	/*
	 * The capacity is at least the caller's buffer: a reply that does not
	 * fit it would be truncated after the list ran.
	 */
	if (rsp_len > *out_len) {
		ret = -EINVAL;
		goto out_items;
	}
	rsp = kvzalloc(rsp_len, GFP_KERNEL);
	if (!rsp) {
		ret = -ENOMEM;
		goto out_items;
	}

	ret = accel_stage(adev, items, count);
	if (ret)
		goto out_unstage;

	ret = mutex_lock_killable(&adev->lock);
	if (ret)
		goto out_unstage;
	if (READ_ONCE(adev->dying))
		ret = -ENODEV;
	else
		ret = accel_resolve(adev, uctx, scope, items, count);
	if (!ret)
		ret = accel_run(adev, uctx, items, count, rsp, rsp_len);
	mutex_unlock(&adev->lock);

out_unstage:
	accel_unstage(adev, items, count);
out_items:
	kfree(items);
	if (ret) {
		kvfree(rsp);
		return ERR_PTR(ret);
	}
	*out_len = rsp_len;
	return rsp;
}
