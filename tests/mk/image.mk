# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Container image and Kubernetes manifests (issue 16).
#   make image [IMAGE=REPO] [PLATFORMS=linux/amd64,linux/arm64] [ENGINE=podman]
#              [PUSH=1] [BUILD_FLAGS=...]
#                       deploy/Dockerfile -> REPO:$(cat VERSION) (deploy/image.sh)
#   make check-manifests
#                       renders deploy/kubernetes and deploy/overlays/* with
#                       kubectl kustomize, checks every object against the
#                       Kubernetes API schema and each other, and loads the
#                       shipped config and rules with the daemon (make test)

.PHONY: image check-manifests

image:
	$(Q)IMAGE='$(IMAGE)' PLATFORMS='$(PLATFORMS)' ENGINE='$(ENGINE)' PUSH='$(PUSH)' \
		BUILD_IMAGE='$(BUILD_IMAGE)' RUNTIME_IMAGE='$(RUNTIME_IMAGE)' \
		BUILD_FLAGS='$(BUILD_FLAGS)' ./deploy/image.sh

check-manifests: $(BIN)
	$(Q)./tests/deploy/check-manifests.sh $(BIN)

TEST_STEPS += check-manifests
