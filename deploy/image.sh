#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Builds the shellsentry container image from deploy/Dockerfile, tagged with
# the project version (VERSION). `make image` runs it; settings come from the
# environment (or make variables):
#   IMAGE=REPO        repository to tag (default: shellsentry), e.g.
#                     registry.example.com/team/shellsentry
#   PLATFORMS=LIST    comma-separated, e.g. linux/amd64,linux/arm64
#                     (default: this machine's). Userspace is cross-compiled;
#                     only the runtime stage's package install runs as the
#                     target, so a foreign platform needs qemu-user-static
#                     registered with binfmt_misc.
#   ENGINE=NAME       docker, podman or buildah (default: the first that works;
#                     docker needs BuildKit: buildx, or Docker 20.10's built-in)
#   PUSH=1            push IMAGE:VERSION (every platform) once built
#   BUILD_IMAGE, RUNTIME_IMAGE   base images (debian:bookworm, debian:bookworm-slim)
#   BUILD_FLAGS=...   more flags for the engine's build, e.g. --network=host
# Several platforms: podman and buildah make IMAGE:VERSION-ARCH per platform
# and a manifest list IMAGE:VERSION of them; docker needs buildx for that, and
# then PUSH=1 (its image store holds one platform per tag).
# Progress goes to stderr; the image reference built is the only stdout line.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
	echo "image: $*" >&2
	exit 1
}

version=$(cat VERSION)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then
	commit=$commit-dirty
fi
ref=${IMAGE:-shellsentry}:$version

deb_arch() {
	case $1 in
	x86_64 | amd64) echo amd64 ;;
	aarch64 | arm64) echo arm64 ;;
	*) echo "$1" ;;
	esac
}
native=linux/$(deb_arch "$(uname -m)")
platforms=${PLATFORMS:-$native}
IFS=, read -r -a plist <<<"$platforms"
for p in "${plist[@]}"; do
	case $p in
	linux/amd64 | linux/arm64) ;;
	*) die "platform $p: only linux/amd64 and linux/arm64 are supported" ;;
	esac
	[ "$p" = "$native" ] && continue
	# A foreign platform runs the runtime stage's apt-get under emulation.
	q=$(case ${p#linux/} in arm64) echo aarch64 ;; amd64) echo x86_64 ;; esac)
	if ! grep -qs '^enabled' "/proc/sys/fs/binfmt_misc/qemu-$q"; then
		die "building $p on $native needs qemu-user-static registered for $q:
  apt-get install qemu-user-static binfmt-support
or, without systemd or binfmt-support:
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null
  cat /usr/lib/binfmt.d/qemu-$q.conf > /proc/sys/fs/binfmt_misc/register"
	fi
done

# docker builds with BuildKit: buildx, or the one built into Docker before 23
# (DOCKER_BUILDKIT=1). The classic builder cannot: it leaves BUILDPLATFORM
# unset in FROM. Newer clients without buildx have neither.
docker_buildkit() {
	if docker buildx version >/dev/null 2>&1; then
		echo buildx
	elif [ "$(docker version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)" -lt 23 ] 2>/dev/null; then
		echo builtin
	fi
}

engine=${ENGINE:-}
if [ -z "$engine" ]; then
	if command -v docker >/dev/null && docker info >/dev/null 2>&1 && [ -n "$(docker_buildkit)" ]; then
		engine=docker
	elif command -v podman >/dev/null; then
		engine=podman
	elif command -v buildah >/dev/null; then
		engine=buildah
	else
		die "no container engine: install docker, podman or buildah (or run dockerd)"
	fi
fi

args=(-f deploy/Dockerfile --build-arg "VERSION=$version" --build-arg "COMMIT=$commit")
if [ -n "${BUILD_IMAGE:-}" ]; then args+=(--build-arg "BUILD_IMAGE=$BUILD_IMAGE"); fi
if [ -n "${RUNTIME_IMAGE:-}" ]; then args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE"); fi
# shellcheck disable=SC2206 # BUILD_FLAGS is a list of flags
if [ -n "${BUILD_FLAGS:-}" ]; then args+=(${BUILD_FLAGS}); fi

echo "image: building $ref ($commit) for $platforms with $engine" >&2
start=$(date +%s)
case $engine in
docker)
	case $(docker_buildkit) in
	buildx)
		out=(--load)
		if [ "${PUSH:-0}" = 1 ]; then
			out=(--push)
		elif [ ${#plist[@]} -gt 1 ]; then
			die "docker keeps one platform per tag: add PUSH=1 (or use podman or buildah)"
		fi
		docker buildx build --platform "$platforms" "${args[@]}" "${out[@]}" -t "$ref" . >&2
		;;
	builtin)
		[ "$platforms" = "$native" ] ||
			die "docker without buildx builds only $native: install buildx, or use podman or buildah"
		DOCKER_BUILDKIT=1 docker build "${args[@]}" -t "$ref" . >&2
		if [ "${PUSH:-0}" = 1 ]; then docker push "$ref" >&2; fi
		;;
	*)
		die "this docker client has no BuildKit (install the buildx plugin), or use ENGINE=podman"
		;;
	esac
	;;
podman | buildah)
	# One build per platform, the platform arguments given explicitly (podman
	# 4.3 expands neither in FROM, and a --platform on one stage leaks into the
	# next), then a manifest list when there are several.
	tags=()
	for p in "${plist[@]}"; do
		tag=$ref
		[ ${#plist[@]} -gt 1 ] && tag=$ref-${p#linux/}
		"$engine" build --platform "$p" --build-arg "BUILDPLATFORM=$native" \
			--build-arg "TARGETPLATFORM=$p" "${args[@]}" -t "$tag" . >&2
		tags+=("$tag")
	done
	if [ ${#plist[@]} -gt 1 ]; then
		"$engine" manifest rm "$ref" >/dev/null 2>&1 || true
		"$engine" rmi "$ref" >/dev/null 2>&1 || true
		"$engine" manifest create "$ref" >/dev/null
		for tag in "${tags[@]}"; do
			"$engine" manifest add "$ref" "containers-storage:$tag" >/dev/null
		done
		if [ "${PUSH:-0}" = 1 ]; then
			"$engine" manifest push --all "$ref" "docker://$ref" >&2
		fi
	elif [ "${PUSH:-0}" = 1 ]; then
		"$engine" push "$ref" >&2
	fi
	;;
*)
	die "ENGINE=$engine: docker, podman or buildah"
	;;
esac
echo "image: $ref built in $(($(date +%s) - start)) s" >&2
echo "$ref"
