#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Checks rendered Kubernetes manifests (kubectl kustomize output) the way an
API server and a first apply would, without a cluster:

- every object against the Kubernetes API schema: Debian's python3-kubernetes
  models (API 1.22, a subset of 1.25's for these kinds), so an unknown field
  (appArmorProfile exists only from 1.30), a wrong type (an unquoted number in
  an annotation) or a missing required field is an error;
- the objects against each other: namespace first, references between the
  DaemonSet, its volumes, ConfigMaps, ports, probes and Service, no subPath on
  ConfigMap mounts, the image tag equal to the project version;
- the shipped config and local rules with the daemon itself (--validate) in
  the image's file layout: every rule the image ships loads, and every list or
  macro the rules ConfigMap defines is used by a shipped rule.

Usage: check_manifests.py --root DIR --bin SHELLSENTRY --stage DIR NAME=FILE...
(--stage: `make install DESTDIR=` tree laid out as in deploy/Dockerfile).
Prints one line per problem on stderr; exits 1 if there was any."""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import kubernetes.client as k8s
import yaml

KINDS = {
    ("v1", "Namespace"): "V1Namespace",
    ("v1", "ServiceAccount"): "V1ServiceAccount",
    ("v1", "ConfigMap"): "V1ConfigMap",
    ("v1", "Service"): "V1Service",
    ("apps/v1", "DaemonSet"): "V1DaemonSet",
}
SCALARS = {"str": str, "int": int, "bool": bool, "float": (int, float)}


class Problems:
    def __init__(self):
        self.n = 0
        self.where = ""

    def __call__(self, msg):
        self.n += 1
        print(f"check-manifests: {self.where}: {msg}", file=sys.stderr)


def check_type(value, typ, path, bad):
    """Checks value against an OpenAPI type name of the client models."""
    if typ in SCALARS:
        ok = isinstance(value, SCALARS[typ]) and not (typ != "bool" and isinstance(value, bool))
        if not ok:
            bad(f"{path}: {value!r} is not {typ}")
        return
    if typ in ("datetime", "date"):
        return
    if typ == "object":
        # IntOrString, Quantity's untyped cousins and free-form objects.
        return
    m = re.fullmatch(r"list\[(.+)\]", typ)
    if m:
        if not isinstance(value, list):
            bad(f"{path}: not a list")
            return
        for i, v in enumerate(value):
            check_type(v, m.group(1), f"{path}[{i}]", bad)
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", typ)
    if m:
        if not isinstance(value, dict):
            bad(f"{path}: not a map")
            return
        for key, v in value.items():
            if not isinstance(key, str):
                bad(f"{path}: key {key!r} is not a string")
            check_type(v, m.group(1), f"{path}.{key}", bad)
        return
    check_model(value, typ, path, bad)


def check_model(value, model_name, path, bad):
    if not isinstance(value, dict):
        bad(f"{path}: not an object ({model_name})")
        return
    cls = getattr(k8s, model_name)
    by_json = {j: p for p, j in cls.attribute_map.items()}
    kwargs = {}
    for key, v in value.items():
        if key not in by_json:
            bad(f"{path}.{key}: unknown field (Kubernetes API 1.22, {model_name})")
            continue
        check_type(v, cls.openapi_types[by_json[key]], f"{path}.{key}", bad)
        kwargs[by_json[key]] = v
    try:
        cls(**kwargs)  # the models' setters reject a missing required field
    except ValueError as e:
        bad(f"{path}: {model_name}: {e}")


def docs_of(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def by_kind(objs, kind):
    return [o for o in objs if o.get("kind") == kind]


def labels_match(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def check_objects(objs, version, bad):
    before = bad.n
    if not objs or objs[0].get("kind") != "Namespace":
        bad("the first object is not the Namespace (a fresh cluster would refuse the rest)")
    namespaces = {o["metadata"]["name"] for o in by_kind(objs, "Namespace")}
    configmaps = {o["metadata"]["name"]: o for o in by_kind(objs, "ConfigMap")}
    for o in objs:
        key = (o.get("apiVersion"), o.get("kind"))
        name = f"{o.get('kind')}/{o.get('metadata', {}).get('name')}"
        if key not in KINDS:
            bad(f"{name}: {key} is not a kind this check knows")
            continue
        check_model(o, KINDS[key], name, bad)
        ns = o.get("metadata", {}).get("namespace")
        if o["kind"] != "Namespace" and ns not in namespaces:
            bad(f"{name}: namespace {ns!r} is not created by these manifests")
    if bad.n > before:
        return False  # what follows assumes well-formed objects
    for ds in by_kind(objs, "DaemonSet"):
        check_daemonset(ds, configmaps, objs, version, bad)
    return True


def check_daemonset(ds, configmaps, objs, version, bad):
    tmpl = ds["spec"]["template"]
    pod = tmpl["spec"]
    labels = tmpl["metadata"].get("labels", {})
    if not labels_match(ds["spec"]["selector"].get("matchLabels"), labels):
        bad("DaemonSet: selector does not match the pod template's labels")
    if pod.get("nodeSelector", {}).get("kubernetes.io/os") != "linux":
        bad("DaemonSet: nodeSelector kubernetes.io/os: linux is missing")
    accounts = {o["metadata"]["name"] for o in by_kind(objs, "ServiceAccount")}
    if pod.get("serviceAccountName", "default") not in accounts:
        bad(f"DaemonSet: service account {pod.get('serviceAccountName')} is not created")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    containers = {c["name"]: c for c in pod["containers"]}
    for key, val in tmpl["metadata"].get("annotations", {}).items():
        m = re.fullmatch(r"container\.apparmor\.security\.beta\.kubernetes\.io/(.+)", key)
        if m and m.group(1) not in containers:
            bad(f"DaemonSet: AppArmor annotation names no container: {m.group(1)}")
    for c in pod["containers"]:
        image = c["image"]
        if not image.endswith(":" + version):
            bad(f"DaemonSet: image {image} is not tagged with the project version {version}")
        sc = c.get("securityContext", {})
        if sc.get("privileged"):
            bad("DaemonSet: privileged: true (the exact capabilities suffice)")
        if "ALL" not in sc.get("capabilities", {}).get("drop", []):
            bad("DaemonSet: capabilities.drop is not [ALL]")
        if not sc.get("readOnlyRootFilesystem"):
            bad("DaemonSet: the root file system is writable")
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            port = c.get(probe, {}).get("httpGet", {}).get("port")
            if isinstance(port, str) and port not in ports:
                bad(f"DaemonSet: {probe} uses port {port!r}, not a container port")
        for m in c.get("volumeMounts", []):
            v = volumes.get(m["name"])
            if v is None:
                bad(f"DaemonSet: mount {m['mountPath']} names no volume: {m['name']}")
                continue
            if ("configMap" in v or "secret" in v) and "subPath" in m:
                bad(f"DaemonSet: {m['mountPath']} uses subPath: it never sees an update")
            if "hostPath" in v and not m.get("readOnly"):
                bad(f"DaemonSet: host folder {v['hostPath']['path']} is mounted writable")
            if "configMap" in v and v["configMap"]["name"] not in configmaps:
                bad(f"DaemonSet: ConfigMap {v['configMap']['name']} is not created")
    for svc in by_kind(objs, "Service"):
        if not labels_match(svc["spec"].get("selector"), labels):
            bad(f"Service/{svc['metadata']['name']}: selector matches no DaemonSet pod")
        names = {p["name"] for c in pod["containers"] for p in c.get("ports", [])}
        for p in svc["spec"]["ports"]:
            if isinstance(p.get("targetPort"), str) and p["targetPort"] not in names:
                bad(f"Service/{svc['metadata']['name']}: targetPort {p['targetPort']} is no container port")


def materialize_configmap(cm, dest):
    """The kubelet's layout: files in ..<timestamp>/, ..data -> it, key -> ..data/key."""
    ts = "..2026_01_01_00_00_00.000000001"
    os.makedirs(os.path.join(dest, ts))
    for key, text in cm.get("data", {}).items():
        with open(os.path.join(dest, ts, key), "w") as f:
            f.write(text)
        os.symlink(os.path.join("..data", key), os.path.join(dest, key))
    os.symlink(ts, os.path.join(dest, "..data"))


def rule_files_in(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, f) for f in os.listdir(path)
                      if f.endswith(".yaml") and not f.startswith("."))
    return [path]


def names_used_by_rules(items):
    """Lists and macros reachable from the conditions of enabled rules."""
    macros = {i["macro"]: i.get("condition", "") for i in items if "macro" in i}
    lists = {i["list"]: i.get("items", []) for i in items if "list" in i}
    todo = [i.get("condition", "") for i in items if "rule" in i and i.get("enabled", True)]
    seen = set()
    while todo:
        text = todo.pop()
        for tok in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(text)):
            if tok in seen:
                continue
            if tok in macros:
                seen.add(tok)
                todo.append(macros[tok])
            elif tok in lists:
                seen.add(tok)
                todo.append(" ".join(str(x) for x in lists[tok]))
    return seen


def check_config(objs, stage, binary, bad):
    """Loads the DaemonSet's config and rules with the daemon, in the image's layout."""
    configmaps = {o["metadata"]["name"]: o for o in by_kind(objs, "ConfigMap")}
    for ds in by_kind(objs, "DaemonSet"):
        pod = ds["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        c = pod["containers"][0]
        args = c.get("args", [])
        if "--config" not in args:
            bad("DaemonSet: no --config argument")
            return
        cfg_path = args[args.index("--config") + 1]
        with tempfile.TemporaryDirectory() as tmp:
            mounts = {}  # mountPath in the container -> folder here
            for m in c.get("volumeMounts", []):
                v = volumes.get(m["name"], {})
                if "configMap" in v and v["configMap"]["name"] in configmaps:
                    d = os.path.join(tmp, m["name"])
                    materialize_configmap(configmaps[v["configMap"]["name"]], d)
                    mounts[m["mountPath"].rstrip("/")] = (d, m)

            def here(p):
                for mp, (d, _) in mounts.items():
                    if p == mp or p.startswith(mp + "/"):
                        return d + p[len(mp):]
                return stage + p

            def writable(p):
                best = None
                for m in c.get("volumeMounts", []):
                    mp = m["mountPath"].rstrip("/")
                    if (p == mp or p.startswith(mp + "/")) and (not best or len(mp) > len(best[0])):
                        best = (mp, m)
                return best is not None and not best[1].get("readOnly")

            if not os.path.exists(here(cfg_path)):
                bad(f"DaemonSet: --config {cfg_path} is neither in the image nor in a ConfigMap")
                return
            with open(here(cfg_path)) as f:
                cfg = yaml.safe_load(f) or {}
            for key in ("output", "report_dir"):
                if cfg.get(key) and not writable(cfg[key]):
                    bad(f"config {key}: {cfg[key]} is on the read-only root, not a writable volume")
            port = str(cfg.get("metrics_addr", "")).rpartition(":")[2]
            cports = [str(p["containerPort"]) for p in c.get("ports", [])]
            if port and port not in cports:
                bad(f"config metrics_addr port {port} is not a container port ({cports})")
            if str(cfg.get("metrics_addr", "")).startswith("127.") and any(
                    "httpGet" in c.get(p, {}) for p in ("livenessProbe", "readinessProbe")):
                bad("config metrics_addr is loopback but the kubelet probes the pod IP")
            runtime_root = cfg.get("runtime_root", "")
            for m in c.get("volumeMounts", []):
                hp = volumes.get(m["name"], {}).get("hostPath", {}).get("path")
                if hp and not hp.startswith(("/sys/", "/proc")) and m["mountPath"] != runtime_root + hp:
                    bad(f"host folder {hp} is mounted at {m['mountPath']}, not {runtime_root + hp}"
                        " (runtime_root)")
            rules = cfg.get("rules") or []
            if not rules:
                bad("config: no rules folders: the image's default applies, without local rules")
            expected, items_shipped, items_local = set(), [], []
            for r in rules:
                p = here(r)
                if not os.path.exists(p):
                    bad(f"config rules: {r} is neither in the image nor in a ConfigMap")
                    continue
                local = any(r == mp or r.startswith(mp + "/") for mp in mounts)
                for f in rule_files_in(p):
                    with open(f) as fh:
                        items = [i for i in (yaml.safe_load(fh) or []) if isinstance(i, dict)]
                    (items_local if local else items_shipped).extend(items)
                    for i in items:
                        if "rule" in i and i.get("enabled", True) and "override" not in i \
                                and "append" not in i:
                            expected.add(i["rule"])
            used = names_used_by_rules(items_shipped)
            for i in items_local:
                for kind in ("list", "macro"):
                    if kind in i and i[kind] not in used:
                        bad(f"rules ConfigMap: {kind} {i[kind]} is used by no shipped rule")
            cfg["rules"] = [here(r) for r in rules]
            cfg_file = os.path.join(tmp, "config.yaml")
            with open(cfg_file, "w") as f:
                yaml.safe_dump(cfg, f)
            res = subprocess.run([binary, "--validate", "--config", cfg_file],
                                 capture_output=True, text=True)
            if res.returncode != 0:
                bad(f"the daemon rejects the DaemonSet's config or rules: {res.stderr.strip()}")
                return
            m = re.search(r"rules: (\d+) loaded", res.stdout)
            if not m or int(m.group(1)) != len(expected):
                bad(f"the daemon loaded {m.group(1) if m else '?'} rules from the DaemonSet's "
                    f"config, the rules folders hold {len(expected)}")
            deflt = subprocess.run([binary, "--validate"], capture_output=True, text=True)
            d = re.search(r"rules: (\d+) loaded", deflt.stdout)
            if d and m and int(m.group(1)) < int(d.group(1)):
                bad(f"the DaemonSet loads {m.group(1)} rules, fewer than the daemon's "
                    f"default set ({d.group(1)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--stage", required=True)
    ap.add_argument("rendered", nargs="+", help="NAME=FILE of kubectl kustomize output")
    a = ap.parse_args()
    with open(os.path.join(a.root, "VERSION")) as f:
        version = f.read().strip()
    bad = Problems()
    total = 0
    for spec in a.rendered:
        name, _, path = spec.partition("=")
        bad.where = name
        objs = docs_of(path)
        total += len(objs)
        if check_objects(objs, version, bad):
            check_config(objs, os.path.abspath(a.stage), os.path.abspath(a.bin), bad)
    if bad.n:
        print(f"check-manifests: {bad.n} problems", file=sys.stderr)
        return 1
    print(f"check-manifests: {len(a.rendered)} renderings, {total} objects: schema, "
          "references, config and rules ok", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
