/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The verdict on an incident, from facts. In: for each command of the
 * session, what the knowledge base matched (with the state of each
 * confirmation check) and what the kernel saw (stdio, executable identity,
 * terminal, lineage). Out: one verdict, the finding that decides it, the
 * severity to state and where to look for how it started.
 *
 * The command line is the one thing an attacker writes, so it can make a
 * command look benign but never proves it: a benign pattern gives
 * "expected" only when every confirmation check that can be decided holds;
 * with a check unknown it is a resemblance that keeps the rule's severity;
 * with a check failing it is suspicious. Evidence of compromise (network
 * stdio, a program from memory or written after start, an attack pattern
 * such as download-and-run, a token read or a server process spawning a
 * shell) outranks any benign resemblance, in any command of the session.
 *
 * Pure: no I/O, no allocation; the result points into the facts and the
 * knowledge base, which must outlive it.
 */
#ifndef SS_VERDICT_H
#define SS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "event/exec_event.h"
#include "report/kb.h"
#include "report/md.h"

/* Ordered: a later level outranks an earlier one in a session. */
enum verdict_level {
	VERDICT_EXPECTED = 0, /* a benign pattern, verified by its checks */
	VERDICT_RESEMBLES,    /* a benign pattern, checks unknown: unverified */
	VERDICT_REVIEW,	      /* no known pattern explains it */
	VERDICT_SUSPICIOUS,   /* a suspicious pattern, or a benign one whose check fails */
	VERDICT_MALICIOUS,    /* evidence of compromise */
};
#define VERDICT_LEVELS 5

enum verdict_reason {
	VR_VERIFIED,   /* expected: every decidable check of the pattern holds */
	VR_UNVERIFIED, /* resembles: a check cannot be decided, none fails */
	VR_NO_PATTERN,
	VR_CHECK_FAILS, /* a benign pattern matched the command line, its context does not */
	VR_SUSPICIOUS_PATTERN,
	VR_ATTACK_PATTERN, /* a malicious-indicator pattern */
	VR_FILELESS,	   /* the program runs from memory */
	VR_DRIFT,	   /* the program was written inside the container after it started */
	VR_NETWORK_STDIO,  /* a shell or session command whose stdin/stdout is a network socket */
	/*
	 * expected: a command the session's verified shell ran as written in
	 * its own command line (the probe's `sh -c "pg_isready ..."` execs
	 * `pg_isready ...`), with no finding of its own
	 */
	VR_STEP,
};
#define VERDICT_REASONS 10

/* What stdin and stdout are, reduced to what a verdict needs. */
enum verdict_stdio {
	VSTDIO_UNKNOWN = 0,
	VSTDIO_LOCAL,	/* terminal, pipe, file, device, unix socket, closed */
	VSTDIO_NETWORK, /* an IPv4 or IPv6 socket on stdin or stdout */
};

/* Where to look for how the activity started. */
enum verdict_trail {
	TRAIL_UNKNOWN = 0, /* lineage unknown: both trails */
	TRAIL_EXEC,	   /* injected from outside: who ran exec (audit log, runtime events) */
	TRAIL_APPLICATION, /* started by the container's own processes: application logs */
};

/* One command of the incident, as the verdict and the tuning see it. */
struct verdict_facts {
	const char *cmdline;	    /* proc.cmdline; NULL or "" when unknown */
	bool truncated;		    /* argv was cut: the command line is not the whole command */
	const struct kb_result *kb; /* NULL: no knowledge base loaded */
	int priority;		    /* most severe rule it triggered (enum priority), -1 none */
	const char *const *rules;   /* names of the rules it triggered */
	size_t n_rules;
	enum tristate shell; /* it is a shell */
	bool in_session;     /* it descends from a session's shell */
	enum tristate tty;   /* it has a controlling terminal */
	const char *stdin_type,
		*stdout_type;	 /* Falco's spellings (ipv4, pipe, file...), NULL unknown */
	const char *peer;	 /* remote "address:port" of a network stdio, NULL unknown */
	enum tristate drift;	 /* executable on the overlay's upper layer */
	enum tristate fileless;	 /* executable from memfd_create or deleted */
	enum ss_lineage lineage; /* SS_LINEAGE_UNKNOWN when unknown */
	const char *pname;	 /* parent's name, NULL unknown */
	/*
	 * 1 + the index of an earlier command that started this one (its
	 * session's shell); 0 when none. A command with no finding of its own
	 * whose words are in that one's command line is a step of it.
	 */
	size_t step_of;
};

/* One command's own verdict and what decides it. */
struct verdict_finding {
	enum verdict_level level;
	enum verdict_reason reason;
	/* the pattern behind it, NULL for kernel facts and VR_NO_PATTERN */
	const struct kb_pattern *pattern;
	size_t match; /* index of pattern in the command's kb->matched */
	size_t check; /* the failing (VR_CHECK_FAILS) or first unknown (VR_UNVERIFIED) check */
	/* a pattern the resemblance explains away (VR_UNVERIFIED), NULL if none */
	const struct kb_pattern *alternative;
	/* every kind of evidence the command shows, VERDICT_REASONS flags */
	unsigned int evidence;
	size_t of; /* VR_STEP: the index of the command it is a step of */
};

struct verdict {
	enum verdict_level level;
	struct verdict_finding lead; /* the finding the verdict is stated by */
	size_t lead_cmd;	     /* its command's index */
	int priority;		     /* the severity to state (enum priority), -1 unknown */
	enum verdict_trail trail;
	size_t n_cmds;
	size_t count[VERDICT_LEVELS]; /* commands per level */
	unsigned int evidence;	      /* union of the commands' evidence flags */
};

#define VERDICT_EVIDENCE(r) (1u << (r))

/* Stdio from Falco's fd type names of stdin and stdout (NULL = unknown). */
enum verdict_stdio verdict_stdio_from_types(const char *stdin_type, const char *stdout_type);

/* The verdict of one command. */
void verdict_command(const struct verdict_facts *f, struct verdict_finding *out);

/*
 * Whether command line step is one a shell ran from script, its own command
 * line: its words, quotes dropped and blanks squeezed, appear in the
 * script's, whole (between blanks, operators or a path's '/'), and it is not
 * the script itself. "pg_isready -U postgres" is in "sh -c pg_isready -U
 * postgres"; "grep -qx falco" in "bash -c lsmod | grep -qx \"falco\"".
 */
bool verdict_step_in_script(const char *step, const char *script);

/*
 * The verdict of a session or incident: every command weighed, the most
 * severe wins, the earliest command at that level states it (a failed
 * check before a suspicious pattern; network stdio before other evidence).
 * per_cmd, when not NULL, receives n findings. n == 0 gives review needed.
 */
void verdict_session(const struct verdict_facts *cmds, size_t n, struct verdict *out,
		     struct verdict_finding *per_cmd);

/*
 * The verdict as one Markdown line, the same words wherever a report states
 * it (title, summary, headings, advice): "expected: <pattern>", "resembles
 * <pattern>, unverified", "suspicious: resembles <pattern>, but a check
 * fails: <check>", "malicious-indicator: <evidence>"... cmds is the array
 * given to verdict_session() (for the peer).
 */
void verdict_headline(const struct verdict *v, const struct verdict_facts *cmds, struct mdbuf *b);

/* The same for one command's finding (timeline rows). */
void verdict_finding_text(const struct verdict_finding *f, const struct verdict_facts *cmd,
			  struct mdbuf *b);

#endif /* SS_VERDICT_H */
