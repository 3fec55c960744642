// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * shellsentry: detect shells started inside containers, at exec, in the
 * kernel; alert in Falco's formats. The subcommands, bpftool's way: a table,
 * and the daemon when no subcommand is named. Parsing lives in user/cli/.
 */
#include "cli/cli.h"
#include "compare/compare.h"
#include "report/analyze.h"

static const struct cmd cmds[] = {
	{"analyze", analyze_main},
	{"compare", compare_main},
	{0},
};

int main(int argc, char **argv)
{
	return cmd_select(cmds, cli_daemon_main, argc, argv);
}
