/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The accelerator management channel: what its transaction layer
 * (accel_main.c, accel_trans.c) and a hardware layer below it (one file per
 * device family, e.g. accel_edu.c) see of each other.
 *
 * The transaction layer owns everything user space can name: the message
 * format, the scopes, the regions of device memory, the DMA staging buffers
 * and the timeouts. A hardware layer only moves bytes and reports whether
 * its units are busy; it never sees a request.
 */
#ifndef __FWCTL_ACCEL_H
#define __FWCTL_ACCEL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dma-direction.h>
#include <linux/fwctl.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <uapi/fwctl/accel.h>

struct accel_dev;
struct dentry;

/* Granule of device memory regions, in bytes */
#define ACCEL_GRANULE		64
/* Most granules of device memory a device may have */
#define ACCEL_MAX_GRANULES	64
/* Regions the whole device can hand out */
#define ACCEL_MAX_REGIONS	16
/* Wait for a transfer or a job before declaring a timeout */
#define ACCEL_TIMEOUT_MS	2000

/* Flags of &struct accel_hw_reg */
#define ACCEL_REG_READ		BIT(0)	/* REG_READ may read it */
#define ACCEL_REG_WRITE		BIT(1)	/* REG_WRITE may write it */

/**
 * struct accel_hw_reg - a device register user space may name
 * @offset: byte offset in the register space
 * @flags: ACCEL_REG_* flags; a listed register without a flag is refused
 *	at every scope (registers that hold host addresses)
 * @name: for logs
 */
struct accel_hw_reg {
	u32 offset;
	u32 flags;
	const char *name;
};

/**
 * enum accel_dma_dir - direction of a transfer, seen from the device
 * @ACCEL_DMA_TO_DEVICE: host memory to device memory (the device reads)
 * @ACCEL_DMA_FROM_DEVICE: device memory to host memory (the device writes)
 */
enum accel_dma_dir {
	ACCEL_DMA_TO_DEVICE,
	ACCEL_DMA_FROM_DEVICE,
};

/**
 * struct accel_hw_info - fixed properties of a device
 * @hw_id: identification register value
 * @hw_rev: revision
 * @mem_size: bytes of device memory transfers can reach, from offset 0
 * @max_xfer: longest single transfer, at most %FWCTL_ACCEL_MAX_XFER
 * @compute_max: largest compute operand, which bounds a job's run time
 * @regs: registers REG_READ and REG_WRITE may name
 * @num_regs: entries in @regs
 */
struct accel_hw_info {
	u32 hw_id;
	u32 hw_rev;
	u32 mem_size;
	u32 max_xfer;
	u32 compute_max;
	const struct accel_hw_reg *regs;
	unsigned int num_regs;
};

/**
 * struct accel_hw_ops - what a hardware layer provides
 * @alive: runs the device's liveness check; true when it answers
 * @dma_start: starts a transfer of @len bytes between device memory at
 *	@dev_off and the bus address @addr; the transaction layer only calls
 *	it with the engine idle, a range inside device memory and an address
 *	it mapped. Completion is signalled with accel_dev_event().
 * @dma_busy: true while the DMA engine may still access host memory
 * @compute_start: starts a job on the compute unit, which must be idle
 * @compute_busy: true while the compute unit runs
 * @compute_result: result of the last job
 * @reg_read: reads a register of &accel_hw_info.regs
 * @reg_write: writes a register of &accel_hw_info.regs
 * @quiesce: stops the device from starting any new access to host memory
 *	and from interrupting; called once, at unregister
 *
 * Every operation is called with &accel_dev.lock held, and may not sleep
 * for long: waiting is the transaction layer's business.
 */
struct accel_hw_ops {
	bool (*alive)(struct accel_dev *adev);
	void (*dma_start)(struct accel_dev *adev, enum accel_dma_dir dir,
			  u32 dev_off, dma_addr_t addr, u32 len);
	bool (*dma_busy)(struct accel_dev *adev);
	void (*compute_start)(struct accel_dev *adev, u32 op, u32 operand);
	bool (*compute_busy)(struct accel_dev *adev);
	u32 (*compute_result)(struct accel_dev *adev);
	u32 (*reg_read)(struct accel_dev *adev, u32 offset);
	void (*reg_write)(struct accel_dev *adev, u32 offset, u32 val);
	void (*quiesce)(struct accel_dev *adev);
};

/**
 * struct accel_region - a range of device memory owned by one file
 * @handle: user-visible name, unique on the device; 0 when the slot is free
 * @owner: the file's context
 * @first: first granule
 * @granules: length in granules
 */
struct accel_region {
	u32 handle;
	struct fwctl_uctx *owner;
	u32 first;
	u32 granules;
};

/**
 * struct accel_dev - an accelerator behind a fwctl node
 * @fwctl: the core's device; first, as fwctl_alloc_device() requires
 * @dma_dev: the device that masters DMA and owns the mappings
 * @ops: the hardware layer
 * @hw: the hardware layer's private data
 * @info: the hardware's fixed properties
 * @nr_granules: granules of device memory that regions may hold
 * @timeout_ms: wait for a transfer or a job
 * @lock: serializes every hardware access and the state below
 * @dying: set once unregistering starts; RPCs then end with -ENODEV
 * @hw_done: completed by accel_dev_event() when a unit finishes
 * @granule_map: granules held by regions
 * @regions: region slots
 * @next_handle: handle the next grant gets
 * @quarantine: buffers of transfers that timed out, &accel_dma_buf.node
 * @nr_quarantined: entries in @quarantine
 * @transfers: transfers completed
 * @timeouts: transfers and jobs that timed out
 * @debugfs: test-only debugfs directory
 */
struct accel_dev {
	struct fwctl_device fwctl;
	struct device *dma_dev;
	const struct accel_hw_ops *ops;
	void *hw;
	struct accel_hw_info info;
	u32 nr_granules;
	unsigned int timeout_ms;
	/* Serializes hardware access; protects everything below */
	struct mutex lock;
	bool dying;
	struct completion hw_done;
	DECLARE_BITMAP(granule_map, ACCEL_MAX_GRANULES);
	struct accel_region regions[ACCEL_MAX_REGIONS];
	u32 next_handle;
	struct list_head quarantine;
	unsigned int nr_quarantined;
	u64 transfers;
	u64 timeouts;
	struct dentry *debugfs;
};

/**
 * struct accel_uctx - per-file state
 * @uctx: the core's part; first, as FWCTL_UCTX_SIZE() requires
 * @nr_regions: regions this file owns, under &accel_dev.lock
 */
struct accel_uctx {
	struct fwctl_uctx uctx;
	unsigned int nr_regions;
};

/**
 * struct accel_dma_buf - a kernel buffer mapped for one transfer
 * @node: entry in &accel_dev.quarantine while quarantined
 * @page: the buffer's pages, only ever used for this transfer
 * @order: allocation order of @page
 * @addr: bus address the device uses
 * @len: mapped length
 * @dir: direction of the mapping
 */
struct accel_dma_buf {
	struct list_head node;
	struct page *page;
	unsigned int order;
	dma_addr_t addr;
	u32 len;
	enum dma_data_direction dir;
};

static inline struct accel_dev *to_accel_dev(struct fwctl_uctx *uctx)
{
	return container_of(uctx->fwctl, struct accel_dev, fwctl);
}

static inline struct accel_uctx *to_accel_uctx(struct fwctl_uctx *uctx)
{
	return container_of(uctx, struct accel_uctx, uctx);
}

/* For the hardware layers */
struct accel_dev *accel_dev_alloc(struct device *dma_dev,
				  const struct accel_hw_ops *ops, void *hw,
				  const struct accel_hw_info *info);
int accel_dev_register(struct accel_dev *adev);
void accel_dev_unregister(struct accel_dev *adev);
void accel_dev_put(struct accel_dev *adev);
void accel_dev_event(struct accel_dev *adev);
int accel_core_init(void);
void accel_core_exit(void);

/* Between the transaction layer's files */
extern const struct fwctl_cmd_table accel_msg_table;
extern atomic_t accel_dma_bufs;
void *accel_fw_rpc(struct fwctl_uctx *uctx, const struct fwctl_cmd *cmd,
		   enum fwctl_rpc_scope scope, void *rpc_in, size_t in_len,
		   size_t *out_len);
struct accel_dma_buf *accel_dma_buf_alloc(struct accel_dev *adev, u32 len,
					  enum accel_dma_dir dir,
					  const void *data);
void accel_dma_buf_free(struct accel_dev *adev, struct accel_dma_buf *buf,
			void *out);
int accel_wait_idle(struct accel_dev *adev, bool (*busy)(struct accel_dev *));
int accel_dma_ready(struct accel_dev *adev);
u32 accel_dma_run(struct accel_dev *adev, struct accel_dma_buf **bufp,
		  enum accel_dma_dir dir, u32 dev_off);
void accel_region_free(struct accel_dev *adev, struct accel_region *region);

/**
 * accel_max_region - largest region a grant gives
 * @adev: the device
 *
 * A region is zeroed with one transfer, so it is no longer than one.
 *
 * Return: the size in bytes, a multiple of %ACCEL_GRANULE
 */
static inline u32 accel_max_region(const struct accel_dev *adev)
{
	return min(adev->nr_granules,
		   adev->info.max_xfer / ACCEL_GRANULE) * ACCEL_GRANULE;
}

#if IS_ENABLED(CONFIG_FWCTL_ACCEL_TEST)
void accel_test_add(struct accel_dev *adev);
void accel_test_remove(struct accel_dev *adev);
int accel_test_init(void);
void accel_test_exit(void);
#else
static inline void accel_test_add(struct accel_dev *adev) { }
static inline void accel_test_remove(struct accel_dev *adev) { }
static inline int accel_test_init(void) { return 0; }
static inline void accel_test_exit(void) { }
#endif

#endif
