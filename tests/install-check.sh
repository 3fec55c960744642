#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# One install-location scheme (issue 15): `make install` into a scratch
# DESTDIR, then the installed binary, run from another folder, finds its
# shipped rules (with the evasion rules) and its knowledge base, as the
# daemon and `analyze` both look them up (user/lib/paths.h). Before, an
# installed `shellsentry analyze` looked for the knowledge base where make
# install never put it. No root needed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/ss-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "install-check: FAIL: $*" >&2; fails=$((fails + 1)); }

make -C "$ROOT" --no-print-directory install DESTDIR="$T" PREFIX=/usr SYSCONFDIR=/etc >/dev/null ||
	{ echo "install-check: make install failed" >&2; exit 1; }
SS=$T/usr/sbin/shellsentry
for f in shellsentry_rules.yaml shellsentry_evasion_rules.yaml knowledge_base.yaml; do
	[ -r "$T/usr/share/shellsentry/rules/$f" ] || fail "$f not installed"
done
[ -r "$T/etc/shellsentry/shellsentry.yaml" ] || fail "example config not installed"

# The daemon's default rules: the shipped file plus the evasion rules beside it.
: >"$T/empty.yaml"
got=$(cd / && "$SS" --config "$T/empty.yaml" --validate 2>"$T/validate.err") ||
	fail "installed --validate failed: $(cat "$T/validate.err")"
want=$(cd "$ROOT" && ./build/shellsentry --config "$T/empty.yaml" --validate 2>/dev/null)
[ -n "$got" ] && [ "$got" = "$want" ] || fail "installed rules differ: '$got' vs the tree's '$want'"

# analyze, from another folder, with the knowledge base the daemon would use.
(cd / && "$SS" analyze <"$ROOT/tests/fixtures/seed_alert.json" >"$T/report.md" 2>"$T/analyze.err") ||
	fail "installed analyze failed: $(cat "$T/analyze.err")"
grep -q 'no knowledge base' "$T/analyze.err" && fail "installed analyze found no knowledge base"
grep -qi 'falco-driver-loader' "$T/report.md" || fail "the report does not use the knowledge base"

# The installed manual documents every long option --help lists (they drifted apart once).
man=$(find "$T" -name shellsentry.8 | head -1)
if [ -n "$man" ]; then
	for o in $("$SS" --help 2>&1 | grep -o -- '^ *--[a-z][a-z-]*' | tr -d ' ' | sort -u); do
		sed 's/\\-/-/g' "$man" | grep -q -- "$o\\b" || fail "option $o is not in the manual"
	done
else
	fail "manual page not installed"
fi

[ $fails -eq 0 ] || exit 1
echo "install-check: rules, evasion rules, knowledge base and a manual with every option, from an installed tree"
