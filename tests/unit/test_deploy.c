/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The Kubernetes manifests parse as YAML (libyaml) and carry what a node
 * daemon needs; the config embedded in the ConfigMap loads with the daemon's
 * own config parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <yaml.h>

#include "cli/config.h"

#define MAX_DOCS 8

struct manifests {
	yaml_document_t docs[MAX_DOCS];
	int n;
};

static void load_file(const char *name, struct manifests *m)
{
	const char *srcdir = getenv("SS_SRCDIR");
	char path[512];
	yaml_parser_t p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/deploy/kubernetes/%s", srcdir ? srcdir : ".", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_file(&p, f);
	for (;;) {
		yaml_document_t *d = &m->docs[m->n];

		if (!yaml_parser_load(&p, d))
			fail_msg("%s:%zu: %s", path, p.problem_mark.line + 1, p.problem);
		if (!yaml_document_get_root_node(d)) {
			yaml_document_delete(d);
			break;
		}
		assert_true(++m->n < MAX_DOCS);
	}
	yaml_parser_delete(&p);
	fclose(f);
	assert_true(m->n > 0);
}

static void free_manifests(struct manifests *m)
{
	for (int i = 0; i < m->n; i++)
		yaml_document_delete(&m->docs[i]);
	m->n = 0;
}

/* Follows a dotted path; "[N]" steps into a sequence. NULL when absent. */
static yaml_node_t *at(yaml_document_t *d, yaml_node_t *n, const char *path)
{
	char step[64];

	while (n && *path) {
		size_t len = strcspn(path, ".");

		assert_true(len < sizeof(step));
		memcpy(step, path, len);
		step[len] = '\0';
		path += len + (path[len] == '.');
		if (step[0] == '[') {
			long i = strtol(step + 1, NULL, 10);

			if (n->type != YAML_SEQUENCE_NODE ||
			    i >= n->data.sequence.items.top - n->data.sequence.items.start)
				return NULL;
			n = yaml_document_get_node(d, n->data.sequence.items.start[i]);
			continue;
		}
		if (n->type != YAML_MAPPING_NODE)
			return NULL;
		yaml_node_t *next = NULL;

		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(d, p->key);

			if (k->type == YAML_SCALAR_NODE &&
			    !strcmp((char *)k->data.scalar.value, step))
				next = yaml_document_get_node(d, p->value);
		}
		n = next;
	}
	return n;
}

static const char *str_at(yaml_document_t *d, const char *path)
{
	yaml_node_t *n = at(d, yaml_document_get_root_node(d), path);

	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void expect_str(yaml_document_t *d, const char *path, const char *want)
{
	const char *v = str_at(d, path);

	if (!v || (want && strcmp(v, want)))
		fail_msg("%s: got '%s', want '%s'", path, v ? v : "(absent)", want ? want : "any");
}

static size_t seq_len(yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE
		       ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
		       : 0;
}

static void test_namespace_and_account(void **state)
{
	struct manifests m = {0};

	(void)state;
	load_file("namespace.yaml", &m);
	expect_str(&m.docs[0], "kind", "Namespace");
	expect_str(&m.docs[0], "metadata.name", "shellsentry");
	free_manifests(&m);
	load_file("serviceaccount.yaml", &m);
	expect_str(&m.docs[0], "kind", "ServiceAccount");
	expect_str(&m.docs[0], "metadata.name", "shellsentry");
	expect_str(&m.docs[0], "metadata.namespace", "shellsentry");
	free_manifests(&m);
}

static void test_daemonset(void **state)
{
	static const char *const host_paths[] = {"/sys/kernel/btf",	"/sys/fs/cgroup",
						 "/run/containerd",	"/var/lib/docker",
						 "/var/lib/containers", "/run/containers"};
	struct manifests m = {0};
	yaml_document_t *d;
	yaml_node_t *root, *vols, *mounts, *env, *args;
	size_t i, j;
	bool node_name = false, hostname_arg = false;

	(void)state;
	load_file("daemonset.yaml", &m);
	d = &m.docs[0];
	root = yaml_document_get_root_node(d);
	expect_str(d, "apiVersion", "apps/v1");
	expect_str(d, "kind", "DaemonSet");
	expect_str(d, "metadata.namespace", "shellsentry");
	expect_str(d, "spec.template.spec.hostPID", "true");
	expect_str(d, "spec.template.spec.serviceAccountName", "shellsentry");
	expect_str(d, "spec.template.spec.containers.[0].image", NULL);
	expect_str(d, "spec.template.spec.containers.[0].livenessProbe.httpGet.path", "/healthz");
	expect_str(d, "spec.template.spec.containers.[0].resources.requests.cpu", NULL);
	expect_str(d, "spec.template.spec.containers.[0].resources.requests.memory", NULL);
	expect_str(d, "spec.template.spec.containers.[0].resources.limits.memory", NULL);
	env = at(d, root, "spec.template.spec.containers.[0].env");
	for (i = 0; i < seq_len(env); i++) {
		char p[96];

		snprintf(p, sizeof(p), "spec.template.spec.containers.[0].env.[%zu].name", i);
		if (!strcmp(str_at(d, p), "NODE_NAME")) {
			snprintf(p, sizeof(p),
				 "spec.template.spec.containers.[0].env.[%zu].valueFrom.fieldRef."
				 "fieldPath",
				 i);
			expect_str(d, p, "spec.nodeName");
			node_name = true;
		}
	}
	assert_true(node_name);
	args = at(d, root, "spec.template.spec.containers.[0].args");
	for (i = 0; i + 1 < seq_len(args); i++) {
		char p[96], q[96];

		snprintf(p, sizeof(p), "spec.template.spec.containers.[0].args.[%zu]", i);
		snprintf(q, sizeof(q), "spec.template.spec.containers.[0].args.[%zu]", i + 1);
		if (!strcmp(str_at(d, p), "--hostname") && !strcmp(str_at(d, q), "$(NODE_NAME)"))
			hostname_arg = true;
	}
	assert_true(hostname_arg);

	/* Every host folder is a volume, mounted read-only. */
	vols = at(d, root, "spec.template.spec.volumes");
	mounts = at(d, root, "spec.template.spec.containers.[0].volumeMounts");
	assert_true(seq_len(mounts) > 0);
	for (j = 0; j < seq_len(mounts); j++) {
		char p[96];

		snprintf(p, sizeof(p),
			 "spec.template.spec.containers.[0].volumeMounts.[%zu].readOnly", j);
		expect_str(d, p, "true");
	}
	for (i = 0; i < sizeof(host_paths) / sizeof(host_paths[0]); i++) {
		bool found = false;

		for (j = 0; j < seq_len(vols); j++) {
			char p[96];
			const char *v;

			snprintf(p, sizeof(p), "spec.template.spec.volumes.[%zu].hostPath.path", j);
			v = str_at(d, p);
			found |= v && !strcmp(v, host_paths[i]);
		}
		if (!found)
			fail_msg("no hostPath volume for %s", host_paths[i]);
	}
	free_manifests(&m);
}

static void test_configmaps(void **state)
{
	struct manifests m = {0};
	struct daemon_options o;
	const char *cfg;
	char err[512];

	(void)state;
	load_file("configmap-config.yaml", &m);
	expect_str(&m.docs[0], "kind", "ConfigMap");
	/* The key "shellsentry.yaml" holds a dot: take data's only entry. */
	{
		yaml_node_t *data = at(&m.docs[0], yaml_document_get_root_node(&m.docs[0]), "data");
		yaml_node_t *k;

		assert_non_null(data);
		assert_int_equal(data->type, YAML_MAPPING_NODE);
		k = yaml_document_get_node(&m.docs[0], data->data.mapping.pairs.start->key);
		assert_string_equal((const char *)k->data.scalar.value, "shellsentry.yaml");
		cfg = (const char *)yaml_document_get_node(&m.docs[0],
							   data->data.mapping.pairs.start->value)
			      ->data.scalar.value;
	}
	memset(&o, 0, sizeof(o));
	if (config_load_string("configmap shellsentry.yaml", cfg, strlen(cfg), &o, err,
			       sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(o.runtime_root, "/host");
	assert_string_equal(o.metrics_addr, "0.0.0.0:9376");
	assert_true(o.drop_privileges);
	free_manifests(&m);

	load_file("configmap-rules.yaml", &m);
	expect_str(&m.docs[0], "kind", "ConfigMap");
	expect_str(&m.docs[0], "metadata.name", "shellsentry-rules");
	free_manifests(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespace_and_account),
		cmocka_unit_test(test_daemonset),
		cmocka_unit_test(test_configmaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
