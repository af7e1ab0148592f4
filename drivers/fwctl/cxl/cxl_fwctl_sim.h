/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test ABI of the simulated CXL mailbox (sim.c), shared with the
 * selftests, which include it by relative path. Not a uAPI.
 */
#ifndef __CXL_FWCTL_SIM_H
#define __CXL_FWCTL_SIM_H

#define CXL_SIM_NAME			"cxl_fwctl_sim"

/* Mailbox payload size unless the payload_size parameter says otherwise */
#define CXL_SIM_PAYLOAD_SIZE		256

/*
 * Vendor commands in the simulated Command Effects Log, by the effects
 * it lists for them
 */
#define CXL_SIM_OP_ECHO			0xc000	/* none: echoes its input */
#define CXL_SIM_OP_RESET_CFG		0xc001	/* after cold reset */
#define CXL_SIM_OP_BACKGROUND		0xc002	/* background */
#define CXL_SIM_OP_RESERVED		0xc003	/* a reserved effect bit */
#define CXL_SIM_OP_SECURITY		0xc004	/* security state change */
#define CXL_SIM_OP_IMM_DATA		0xc005	/* immediate data change */
#define CXL_SIM_OP_TWICE		0xc006	/* none, then immediate */
#define CXL_SIM_OP_FAIL			0xc007	/* none: answers 0x0004 */
#define CXL_SIM_OP_FILL			0xc008	/* none: fills the output */
#define CXL_SIM_OP_BIT9			0xc009	/* bit 9 alone */

/* Standard commands the simulated CEL lists although they are denied */
#define CXL_SIM_OP_CLEAR_EVENTS		0x0101
#define CXL_SIM_OP_SET_LSA		0x4103
#define CXL_SIM_OP_GET_POISON		0x4300
#define CXL_SIM_OP_SANITIZE		0x4400

/* Return code of CXL_SIM_OP_FAIL: internal error */
#define CXL_SIM_RC_FAIL			0x0004

/* Features: the last byte of the UUID is the index */
#define CXL_SIM_FEAT_UUID(n)						\
	{ 0x5d, 0x7e, 0x0c, 0x11, 0x6f, 0x1e, 0x4c, 0x3a,		\
	  0x9b, 0x54, 0x33, 0x8e, 0x2a, 0x61, 0xf0, (n) }

enum {
	CXL_SIM_FEAT_READ_ONLY,		/* not changeable */
	CXL_SIM_FEAT_IMMEDIATE,		/* immediate config change, large */
	CXL_SIM_FEAT_COLD_RESET,	/* config change after cold reset */
	CXL_SIM_FEAT_KERNEL,		/* driven by the kernel */
	CXL_SIM_FEAT_BACKGROUND,	/* background operation */
	CXL_SIM_FEAT_RESERVED,		/* a reserved effect bit */
	CXL_SIM_FEAT_NO_EFFECT,		/* changeable yet without effects */
	CXL_SIM_FEAT_SECURITY,		/* security state change */
	CXL_SIM_FEAT_CONV_RESET,	/* config change after conventional reset */
	CXL_SIM_NR_FEATS,
};

/* Size of the data of CXL_SIM_FEAT_IMMEDIATE; the others have 8 or 32 */
#define CXL_SIM_FEAT_BIG_SIZE		600
#define CXL_SIM_FEAT_RESET_SIZE		32
#define CXL_SIM_FEAT_SMALL_SIZE		8

/* Byte @i of the default data of feature @n */
#define CXL_SIM_FEAT_DEFAULT(n, i)	((unsigned char)((n) * 16 + (i) * 7))

/* Length of the simulated Identify Memory Device output */
#define CXL_SIM_IDENTIFY_LEN		0x43

#endif
