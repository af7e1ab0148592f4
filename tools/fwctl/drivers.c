// SPDX-License-Identifier: GPL-2.0
/*
 * The drivers the fwctl command knows. Each has its own file with its
 * subcommands; adding one means adding its file and its line below.
 */
#include <string.h>

#include "cli.h"
#include "util.h"

/* The order is the order of the help */
const struct cli_driver *const cli_drivers[] = {
	&cli_drv_accel,
	&cli_drv_cxl,
	&cli_drv_mlx5,
	&cli_drv_mock,
};

const size_t cli_num_drivers = ARRAY_SIZE(cli_drivers);

const struct cli_driver *cli_driver_by_type(uint32_t type)
{
	size_t i;

	for (i = 0; i < cli_num_drivers; i++)
		if (cli_drivers[i]->device_type == type)
			return cli_drivers[i];
	return NULL;
}

const struct cli_driver *cli_driver_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < cli_num_drivers; i++)
		if (!strcmp(cli_drivers[i]->name, name))
			return cli_drivers[i];
	return NULL;
}
