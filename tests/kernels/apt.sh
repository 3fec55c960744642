# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Sourced by fetch.sh and sysroot.sh: a private apt configuration (own
# sources list, lists and cache under $1/apt) that never touches /etc/apt.
# kapt_init OUT ARCH sets apt_opts and apt_dir and refreshes the lists at most
# once a day (KERNELS_REFRESH=1: now). kapt_download DIR PKG fetches one
# package into DIR and prints the .deb's path.

kapt_init() {
	local out=$1 arch=$2 here stamp
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	apt_dir=$out/apt
	mkdir -p "$apt_dir/lists-$arch/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/parts" "$apt_dir/prefs"
	apt_opts=(
		-o "Dir::Etc::sourcelist=$here/apt/sources.list"
		-o "Dir::Etc::sourceparts=$apt_dir/parts"
		-o "Dir::Etc::preferencesparts=$apt_dir/prefs"
		-o "Dir::State::Lists=$apt_dir/lists-$arch"
		-o "Dir::Cache=$apt_dir/cache"
		-o "APT::Architecture=$arch"
		-o "APT::Architectures::=$arch"
		-o "Acquire::Languages=none"
		-o "APT::Sandbox::User=root"
		-q
	)
	stamp=$apt_dir/lists-$arch/.stamp
	if [ -e "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ] &&
		[ "${KERNELS_REFRESH:-0}" != 1 ]; then
		return 0
	fi
	echo "kernels: updating private apt lists ($arch)" >&2
	apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 || {
		cat "$apt_dir/update.log" >&2
		return 1
	}
	touch "$stamp"
}

kapt_download() {
	local dir=$1 pkg=$2
	mkdir -p "$dir"
	if ! (cd "$dir" && apt-get "${apt_opts[@]}" download "$pkg") >"$apt_dir/download.log" 2>&1; then
		# Old versions stay in the index after the mirror dropped them.
		if grep -q '404  Not Found' "$apt_dir/download.log"; then
			echo "kernels: $pkg is not on the mirror (404)" >&2
		else
			cat "$apt_dir/download.log" >&2
		fi
		return 1
	fi
	ls -t "$dir/${pkg%%:*}_"*.deb | head -n1
}
