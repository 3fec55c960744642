#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# rule_matching, as Falco: the default `first` raises one alert per exec, from
# the first matching rule in load order, and the default rules are ordered so
# that it is the most specific one; `all` raises every matching rule. Real
# execs in a real podman container, with the shipped rules.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || skip "script missing (bsdutils)"

make_image
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 120)

run_execs() { # TAG: one exec of each kind, each marked with TAG
	local tag=$1
	podman exec "$cid" /bin/sh -c "true plain-$tag"
	podman exec "$cid" /bin/sh -c "grep -q falco /proc/self/status; true probe-$tag"
	script -qec "podman exec -t $cid /bin/sh -c 'true tty-$tag'" /dev/null >/dev/null </dev/null
	# a shell copied into the container after it started: drift
	podman exec "$cid" /bin/sh -c "mkdir /tmp/$tag && cp /bin/busybox /tmp/$tag/sh && /tmp/$tag/sh -c 'true drift-$tag'"
	podman exec "$cid" /bin/sh -c "true sentinel-$tag"
}

# rules KIND TAG: the rules that fired for that exec, sorted, comma-separated
rules() {
	jq -r --arg m "$1-$2" 'select(.output_fields."proc.cmdline" | endswith("true " + $m)) | .rule' \
		"$T/alerts.json" | sort | paste -sd, -
}

check() { # KIND TAG WANT
	local got
	got=$(rules "$1" "$2")
	[ "$got" = "$3" ] || fail "$2: $1 shell raised [$got], want [$3]"
}

RULE_MATCHING=first
start_daemon --metrics-addr ''
run_execs first
wait_alert '.output_fields."proc.cmdline" | endswith("true sentinel-first")' 30 >/dev/null ||
	fail "no alert for the sentinel (first)"
stop_daemon || fail "daemon exit status (first)"
check plain first "Shell injected into container"
check probe first "Shell probing for security tooling"
check tty first "Terminal shell in container"
check drift first "Drifted executable in container"
[ "$FAILS" -eq 0 ] && ok "rule_matching first (default): one alert per exec, the most specific rule"

: >"$T/alerts.json"
RULE_MATCHING=all
start_daemon --metrics-addr ''
run_execs all
wait_alert '.output_fields."proc.cmdline" | endswith("true sentinel-all")' 30 >/dev/null ||
	fail "no alert for the sentinel (all)"
stop_daemon || fail "daemon exit status (all)"
# each of these shells is exec'd into the container: a session, so its own exec is a session
# command too (the session rule comes last: under first it never wins over these)
S="Command in container shell session"
check plain all "$S,Detect Shell in Container,Shell injected into container"
check probe all "$S,Detect Shell in Container,Shell injected into container,Shell probing for security tooling"
check tty all "$S,Detect Shell in Container,Shell injected into container,Terminal shell in container"
check drift all "$S,Detect Shell in Container,Drifted executable in container,Shell injected into container"
[ "$FAILS" -eq 0 ] && ok "rule_matching all: every matching rule"

# the option is checked as Falco checks the key
"$SS" --rule-matching most --validate >/dev/null 2>"$T/bad.err" && fail "--rule-matching most accepted"
grep -q "is not first or all" "$T/bad.err" || fail "bad --rule-matching: $(cat "$T/bad.err")"
finish
