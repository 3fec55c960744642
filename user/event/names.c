// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "event/names.h"

const struct name_map lineage_names[] = {
	{SS_LINEAGE_ENTRYPOINT, "entrypoint"},
	{SS_LINEAGE_INIT_TREE, "init-tree"},
	{SS_LINEAGE_INJECTED, "injected"},
	{SS_LINEAGE_UNKNOWN, "unknown"},
	{0, NULL},
};

const struct name_map container_runtime_names[] = {
	{RUNTIME_NONE, "host"},	    {RUNTIME_UNKNOWN, "unknown"},
	{RUNTIME_DOCKER, "docker"}, {RUNTIME_CONTAINERD, "containerd"},
	{RUNTIME_CRIO, "cri-o"},    {RUNTIME_CRIO, "crio"},
	{RUNTIME_PODMAN, "podman"}, {0, NULL},
};

const char *lineage_name(enum ss_lineage l)
{
	const char *n = name_of(lineage_names, (int)l);

	return n ? n : "unknown";
}

enum ss_lineage lineage_from_name(const char *s)
{
	int v;

	return name_find(lineage_names, s, false, &v) ? SS_LINEAGE_UNKNOWN : (enum ss_lineage)v;
}

const char *container_runtime_name(enum container_runtime r)
{
	const char *n = name_of(container_runtime_names, (int)r);

	return n ? n : "unknown";
}

enum container_runtime container_runtime_from_name(const char *s)
{
	int v;

	return name_find(container_runtime_names, s, false, &v) ? RUNTIME_UNKNOWN
								: (enum container_runtime)v;
}
