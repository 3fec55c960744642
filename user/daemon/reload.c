// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The rules in force: loading them from the options, the kernel's session
 * settings, the watch on their files, and a reload that is all or nothing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon_state.h"
#include "daemon/prefilter.h"
#include "event/session.h"
#include "lib/error.h"
#include "lib/paths.h"

int daemon_load_rules(const struct daemon_options *o, struct ruleset **out, FILE *warn)
{
	const char *paths[DAEMON_MAX_LIST + 2], *dis[DAEMON_MAX_LIST], *tags[DAEMON_MAX_LIST];
	struct rules_options ro = {
		.falco_compat = o->falco_compat,
		.min_priority = o->min_priority,
		.disabled_rules = dis,
		.n_disabled_rules = o->n_disabled_rules,
		.disabled_tags = tags,
		.n_disabled_tags = o->n_disabled_tags,
	};
	struct ss_error err = {0};
	char dir[PATH_MAX], def[PATH_MAX + 64], evasion[PATH_MAX + 64];
	size_t n = 0;
	int ret;

	for (size_t i = 0; i < o->n_disabled_rules; i++)
		dis[i] = o->disabled_rules[i];
	for (size_t i = 0; i < o->n_disabled_tags; i++)
		tags[i] = o->disabled_tags[i];
	if (!o->n_rules) {
		paths_data_dir(NULL, dir, sizeof(dir));
		snprintf(def, sizeof(def), "%s/%s", dir, PATHS_RULES_FILE);
		/*
		 * The evasion rules ship beside the default rules and load first, as
		 * loading their folder does (name order): under rule_matching first a
		 * drifted or fileless shell must raise its own, more severe rule.
		 */
		snprintf(evasion, sizeof(evasion), "%s/%s", dir, PATHS_EVASION_RULES_FILE);
		if (!access(evasion, R_OK))
			paths[n++] = evasion;
		paths[n++] = def;
	}
	for (size_t i = 0; i < o->n_rules; i++)
		paths[n++] = o->rules[i];
	ret = ruleset_load(paths, n, &ro, out, &err, warn);
	if (ret)
		ss_error_print(stderr, "shellsentry", &err);
	return ret;
}

/*
 * Shell sessions in the kernel, as the options say; without the fork/exit
 * hooks they are off, with the reason, and detection goes on.
 */
int daemon_sessions_apply(struct daemon *d)
{
	struct loader_sessions ls = {
		.max_commands = d->o->session_max_commands,
		.rate = d->o->session_rate,
		.max_members = d->o->session_max_members,
	};
	const char *why = NULL;
	struct ss_error err;
	int ret;

	ret = session_reasons_parse(d->o->session_start, &ls.start_flags, &err);
	if (ret)
		return ret;
	if (ls.start_flags && !loader_sessions_supported(d->ld, &why)) {
		fprintf(stderr,
			"shellsentry: warning: shell sessions off: %s (they need the "
			"sched_process_fork and sched_process_exit tracepoints)\n",
			why);
		ls.start_flags = 0;
	}
	d->sessions = ls.start_flags != 0;
	return loader_set_sessions(d->ld, &ls);
}

/* Watches the config file and the rules in force; a failure leaves SIGHUP. */
void daemon_arm_watch(struct daemon *d)
{
	const char *paths[DAEMON_MAX_LIST + 1];
	char data[PATH_MAX], err[PATH_MAX + 64];
	size_t n = 0;

	if (!d->watch)
		return;
	if (d->hooks && d->hooks->config_path)
		paths[n++] = d->hooks->config_path;
	if (!d->ro->n_rules) {
		paths_data_dir(NULL, data, sizeof(data));
		paths[n++] = data;
	}
	for (size_t i = 0; i < d->ro->n_rules; i++)
		paths[n++] = d->ro->rules[i];
	if (watch_set(d->watch, paths, n, err, sizeof(err)))
		fprintf(stderr, "shellsentry: warning: %s: changes need SIGHUP\n", err);
}

/* Whether settings other than the rules' differ (they apply at the next start). */
static bool other_settings_differ(const struct daemon_options *a, const struct daemon_options *b)
{
	struct daemon_options *t = malloc(sizeof(*t));
	bool differ;

	if (!t)
		return false;
	memcpy(t, a, sizeof(*t));
	memcpy(t->rules, b->rules, sizeof(t->rules));
	t->n_rules = b->n_rules;
	memcpy(t->disabled_rules, b->disabled_rules, sizeof(t->disabled_rules));
	t->n_disabled_rules = b->n_disabled_rules;
	memcpy(t->disabled_tags, b->disabled_tags, sizeof(t->disabled_tags));
	t->n_disabled_tags = b->n_disabled_tags;
	t->min_priority = b->min_priority;
	t->falco_compat = b->falco_compat;
	differ = memcmp(t, b, sizeof(*t)) != 0;
	free(t);
	return differ;
}

/*
 * New rules from the options as they now read, all or nothing: a config or
 * rules file that does not load, or a kernel filter that cannot be filled,
 * keeps the rules in force. Every reload and its result is logged.
 */
void daemon_reload(struct daemon *d, const char *why)
{
	struct ruleset *rs = NULL;
	struct rules_summary s;
	struct daemon_options *n;

	fprintf(stderr, "shellsentry: reloading the rules (%s)\n", why);
	d->last_reload_time = (uint64_t)time(NULL);
	d->last_reload_ok = false;
	n = malloc(sizeof(*n));
	if (!n) {
		fprintf(stderr, "shellsentry: reload failed: out of memory, "
				"the previous rules stay active\n");
		return;
	}
	if (d->hooks && d->hooks->reparse) {
		if (d->hooks->reparse(d->hooks->ctx, n)) {
			fprintf(stderr, "shellsentry: reload failed: invalid configuration, "
					"the previous rules stay active\n");
			goto out;
		}
	} else {
		memcpy(n, d->ro, sizeof(*n));
	}
	if (daemon_load_rules(n, &rs, stderr)) {
		fprintf(stderr, "shellsentry: reload failed, the previous rules stay active\n");
		goto out;
	}
	if (kernel_filter_apply(d->ld, rs, d->sessions, d->o->verbose ? stderr : NULL)) {
		fprintf(stderr, "shellsentry: reload failed: cannot update the kernel filter, "
				"the previous rules stay active\n");
		kernel_filter_apply(d->ld, d->rules, d->sessions, NULL);
		ruleset_free(rs);
		goto out;
	}
	if (other_settings_differ(d->ro, n))
		fprintf(stderr, "shellsentry: warning: settings other than the rules changed: "
				"they apply at the next start\n");
	ruleset_free(d->rules);
	d->rules = rs;
	d->pipe.rules = rs;
	d->last_reload_ok = true;
	free(d->ro);
	d->ro = n;
	n = NULL;
	ruleset_get_summary(rs, &s);
	fprintf(stderr, "shellsentry: rules reloaded: %zu rules\n", s.rules);
out:
	free(n);
	/* The set to watch may have changed, and a replaced folder needs a new watch. */
	daemon_arm_watch(d);
}
