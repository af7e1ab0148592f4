// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware layer of the accelerator management channel for QEMU's "edu"
 * PCI device (1234:11e8): an identification and a liveness register, a
 * factorial unit, an interrupt, and a DMA engine between a 4 KiB device
 * buffer and host memory. It only moves bytes; every address it is given
 * comes from the transaction layer, which mapped it.
 *
 * What the device does that the transaction layer must not see:
 *
 * - its engine aborts the whole emulator for a range that does not end
 *   strictly inside the buffer, a count of 0 included, so the last byte is
 *   out of reach and the memory reported is 4095 bytes;
 * - it ignores register writes while a transfer runs;
 * - it drops address bits above its 28-bit address width without a word,
 *   so the DMA mask is set to that width;
 * - it can neither abort a transfer nor be reset: a transfer ends when it
 *   ends (the emulator completes it 100 ms after the start, whatever the
 *   state of bus mastering, which only decides whether memory is reached).
 */
#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>

#include "accel.h"

#define EDU_REG_ID		0x00	/* 0xRRrr00ed: major, minor, magic */
#define EDU_REG_LIVENESS	0x04	/* reads back the inverse of a write */
#define EDU_REG_FACTORIAL	0x08	/* write n to start, read n! */
#define EDU_REG_STATUS		0x20
#define  EDU_STATUS_COMPUTING	BIT(0)
#define  EDU_STATUS_IRQ_FACT	BIT(7)	/* interrupt when n! is done */
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define  EDU_DMA_START		BIT(0)	/* set to start, clear when done */
#define  EDU_DMA_FROM_DEVICE	BIT(1)	/* device buffer to host memory */
#define  EDU_DMA_IRQ		BIT(2)	/* interrupt when done */

/* The vendor ID QEMU gives its own emulated devices */
#define EDU_PCI_VENDOR		0x1234
#define EDU_PCI_DEVICE		0x11e8
#define EDU_ID_MAGIC		0xed
#define EDU_ID_MAGIC_MASK	0xff
/* Device address of the buffer the engine moves data to and from */
#define EDU_MEM_BASE		0x40000
#define EDU_MEM_SIZE		4096
#define EDU_DMA_BITS		28
/* n! takes n steps: bounded, the unit stays responsive */
#define EDU_COMPUTE_MAX		0xffff

/**
 * struct accel_edu - one edu device
 * @pdev: the PCI function
 * @regs: BAR 0
 * @adev: the accelerator it backs
 */
struct accel_edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	struct accel_dev *adev;
};

/*
 * The registers user space may name. The DMA registers are listed without
 * access so that naming them is refused at every scope: they hold host
 * addresses, which only the kernel chooses.
 */
static const struct accel_hw_reg accel_edu_regs[] = {
	{ EDU_REG_ID, ACCEL_REG_READ, "id" },
	{ EDU_REG_LIVENESS, ACCEL_REG_READ | ACCEL_REG_WRITE, "liveness" },
	{ EDU_REG_FACTORIAL, ACCEL_REG_READ | ACCEL_REG_WRITE, "factorial" },
	{ EDU_REG_STATUS, ACCEL_REG_READ | ACCEL_REG_WRITE, "status" },
	{ EDU_REG_IRQ_STATUS, ACCEL_REG_READ, "irq_status" },
	{ EDU_REG_IRQ_RAISE, ACCEL_REG_WRITE, "irq_raise" },
	{ EDU_REG_IRQ_ACK, ACCEL_REG_WRITE, "irq_ack" },
	{ EDU_REG_DMA_SRC, 0, "dma_src" },
	{ EDU_REG_DMA_DST, 0, "dma_dst" },
	{ EDU_REG_DMA_COUNT, 0, "dma_count" },
	{ EDU_REG_DMA_CMD, 0, "dma_cmd" },
};

static struct accel_edu *to_edu(struct accel_dev *adev)
{
	return adev->hw;
}

static u32 edu_read(struct accel_edu *edu, u32 reg)
{
	return readl(edu->regs + reg);
}

static void edu_write(struct accel_edu *edu, u32 reg, u32 val)
{
	writel(val, edu->regs + reg);
}

static bool accel_edu_alive(struct accel_dev *adev)
{
	struct accel_edu *edu = to_edu(adev);
	u32 val = get_random_u32();

	edu_write(edu, EDU_REG_LIVENESS, val);
	return edu_read(edu, EDU_REG_LIVENESS) == ~val;
}

/*
 * A 32-bit write to an address register clears its upper half, and the
 * DMA mask keeps every address below 2^28.
 */
static void accel_edu_dma_start(struct accel_dev *adev, enum accel_dma_dir dir,
				u32 dev_off, dma_addr_t addr, u32 len)
{
	struct accel_edu *edu = to_edu(adev);
	u32 cmd = EDU_DMA_START | EDU_DMA_IRQ;
	u32 dev_addr = EDU_MEM_BASE + dev_off;

	if (WARN_ON_ONCE(upper_32_bits(addr)))
		return;
	if (dir == ACCEL_DMA_TO_DEVICE) {
		edu_write(edu, EDU_REG_DMA_SRC, lower_32_bits(addr));
		edu_write(edu, EDU_REG_DMA_DST, dev_addr);
	} else {
		edu_write(edu, EDU_REG_DMA_SRC, dev_addr);
		edu_write(edu, EDU_REG_DMA_DST, lower_32_bits(addr));
		cmd |= EDU_DMA_FROM_DEVICE;
	}
	edu_write(edu, EDU_REG_DMA_COUNT, len);
	edu_write(edu, EDU_REG_DMA_CMD, cmd);
}

/* All ones (a device that stopped answering) counts as busy */
static bool accel_edu_dma_busy(struct accel_dev *adev)
{
	return edu_read(to_edu(adev), EDU_REG_DMA_CMD) & EDU_DMA_START;
}

static void accel_edu_compute_start(struct accel_dev *adev, u32 op,
				    u32 operand)
{
	struct accel_edu *edu = to_edu(adev);

	edu_write(edu, EDU_REG_STATUS, EDU_STATUS_IRQ_FACT);
	edu_write(edu, EDU_REG_FACTORIAL, operand);
}

static bool accel_edu_compute_busy(struct accel_dev *adev)
{
	return edu_read(to_edu(adev), EDU_REG_STATUS) & EDU_STATUS_COMPUTING;
}

static u32 accel_edu_compute_result(struct accel_dev *adev)
{
	return edu_read(to_edu(adev), EDU_REG_FACTORIAL);
}

static u32 accel_edu_reg_read(struct accel_dev *adev, u32 offset)
{
	return edu_read(to_edu(adev), offset);
}

static void accel_edu_reg_write(struct accel_dev *adev, u32 offset, u32 val)
{
	edu_write(to_edu(adev), offset, val);
}

static void accel_edu_quiesce(struct accel_dev *adev)
{
	struct accel_edu *edu = to_edu(adev);

	edu_write(edu, EDU_REG_STATUS, 0);
	pci_clear_master(edu->pdev);
}

static const struct accel_hw_ops accel_edu_ops = {
	.alive = accel_edu_alive,
	.dma_start = accel_edu_dma_start,
	.dma_busy = accel_edu_dma_busy,
	.compute_start = accel_edu_compute_start,
	.compute_busy = accel_edu_compute_busy,
	.compute_result = accel_edu_compute_result,
	.reg_read = accel_edu_reg_read,
	.reg_write = accel_edu_reg_write,
	.quiesce = accel_edu_quiesce,
};

static irqreturn_t accel_edu_irq(int irq, void *data)
{
	struct accel_edu *edu = data;
	u32 status;

	status = edu_read(edu, EDU_REG_IRQ_STATUS);
	if (!status || status == ~0U)
		return IRQ_NONE;
	edu_write(edu, EDU_REG_IRQ_ACK, status);
	accel_dev_event(edu->adev);
	return IRQ_HANDLED;
}

static int accel_edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct accel_hw_info info = {
		.mem_size = EDU_MEM_SIZE - 1,
		.max_xfer = EDU_MEM_SIZE - 1,
		.compute_max = EDU_COMPUTE_MAX,
		.regs = accel_edu_regs,
		.num_regs = ARRAY_SIZE(accel_edu_regs),
	};
	struct accel_edu *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	edu->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(edu->regs))
		return PTR_ERR(edu->regs);

	info.hw_id = edu_read(edu, EDU_REG_ID);
	info.hw_rev = pdev->revision;
	if ((info.hw_id & EDU_ID_MAGIC_MASK) != EDU_ID_MAGIC) {
		dev_err(&pdev->dev, "unknown identification %#x\n", info.hw_id);
		return -ENODEV;
	}

	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (ret < 0)
		return ret;

	edu->adev = accel_dev_alloc(&pdev->dev, &accel_edu_ops, edu, &info);
	if (IS_ERR(edu->adev)) {
		ret = PTR_ERR(edu->adev);
		goto err_vectors;
	}

	/* Nothing left over from an earlier driver may interrupt */
	edu_write(edu, EDU_REG_STATUS, 0);
	edu_write(edu, EDU_REG_IRQ_ACK, ~0U);
	ret = request_irq(pci_irq_vector(pdev, 0), accel_edu_irq, IRQF_SHARED,
			  KBUILD_MODNAME, edu);
	if (ret)
		goto err_put;

	pci_set_master(pdev);
	pci_set_drvdata(pdev, edu);
	ret = accel_dev_register(edu->adev);
	if (ret)
		goto err_irq;
	return 0;

err_irq:
	pci_clear_master(pdev);
	free_irq(pci_irq_vector(pdev, 0), edu);
err_put:
	accel_dev_put(edu->adev);
err_vectors:
	pci_free_irq_vectors(pdev);
	return ret;
}

static void accel_edu_remove(struct pci_dev *pdev)
{
	struct accel_edu *edu = pci_get_drvdata(pdev);

	/* Returns with bus mastering off and no buffer in use */
	accel_dev_unregister(edu->adev);
	free_irq(pci_irq_vector(pdev, 0), edu);
	pci_free_irq_vectors(pdev);
	accel_dev_put(edu->adev);
}

static const struct pci_device_id accel_edu_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, accel_edu_ids);

static struct pci_driver accel_edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = accel_edu_ids,
	.probe = accel_edu_probe,
	.remove = accel_edu_remove,
};

static int __init accel_fwctl_init(void)
{
	int ret;

	ret = accel_core_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&accel_edu_driver);
	if (ret)
		accel_core_exit();
	return ret;
}

static void __exit accel_fwctl_exit(void)
{
	pci_unregister_driver(&accel_edu_driver);
	accel_core_exit();
}

module_init(accel_fwctl_init);
module_exit(accel_fwctl_exit);

MODULE_DESCRIPTION("fwctl accelerator management channel");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(FWCTL);
