#!/usr/bin/python3
"""Checks deploy/ against the built daemon: what can be validated without a
cluster or a container engine.

  check_deploy.py kubernetes SOURCE_DIR DAEMON   parse the manifests (PyYAML)
  check_deploy.py systemd SOURCE_DIR DAEMON      systemd-analyze verify the unit
  check_deploy.py docker SOURCE_DIR DAEMON CLI   the Dockerfile's flags, user and
                                                 runtime libraries (no build)

Every daemon flag named in deploy/ must be one the daemon defines; exits 1
with one line per problem.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

problems = []


def problem(text):
    problems.append(text)
    print("FAIL: " + text, file=sys.stderr)


def daemon_flags(daemon):
    out = subprocess.run([daemon, "--helpfull"], capture_output=True, text=True)
    return set(re.findall(r"^\s+--([a-z_]+) \(", out.stdout + out.stderr, re.M))


def check_flags(where, args, flags):
    for arg in args:
        m = re.match(r"--([a-z_]+)(=|$)", arg)
        if m and m.group(1) not in flags:
            problem(f"{where}: {arg} is not a redaction-auditd flag")


def flag_value(args, name):
    for arg in args:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return None


def kubernetes(source, daemon):
    import yaml  # python3-yaml (deploy/setup.sh)

    path = os.path.join(source, "deploy/kubernetes/redaction-audit.yaml")
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    kinds = {d["kind"]: d for d in docs}
    for kind in ("Service", "StatefulSet"):
        if kind not in kinds:
            problem(f"{path}: no {kind}")
    if problems:
        return
    sts = kinds["StatefulSet"]
    if sts["spec"].get("replicas") != 1:
        problem(f"{path}: StatefulSet replicas must be 1 (SQLite has one writer)")
    pod = sts["spec"]["template"]["spec"]
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        problem(f"{path}: pod securityContext.runAsNonRoot is not true")
    (container,) = [c for c in pod["containers"] if c["name"] == "redaction-auditd"]
    args = [str(a) for a in container["args"]]
    check_flags(path, args, daemon_flags(daemon))
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    listen = flag_value(args, "listen") or ""
    grpc_port = int(listen.rsplit(":", 1)[1]) if ":" in listen else None
    if ports.get("grpc") != grpc_port:
        problem(f"{path}: container port grpc {ports.get('grpc')} is not --listen's {grpc_port}")
    metrics = flag_value(args, "metrics_listen")
    if metrics and ports.get("metrics") != int(metrics.rsplit(":", 1)[1]):
        problem(f"{path}: container port metrics is not --metrics_listen's port")
    if not listen.startswith(("127.", "unix:", "[::1]")):
        if "--insecure" not in args and flag_value(args, "tls_cert") is None:
            problem(f"{path}: a non-loopback --listen needs TLS or --insecure")
        if flag_value(args, "auth_tokens") is None:
            problem(f"{path}: a non-loopback --listen needs --auth_tokens")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        p = container.get(probe)
        if p is None or "grpc" not in p:
            problem(f"{path}: {probe} is not a gRPC health probe")
        elif p["grpc"]["port"] != grpc_port:
            problem(f"{path}: {probe} probes port {p['grpc']['port']}, not {grpc_port}")
    # The database folder is the persistent volume.
    db_dir = os.path.dirname(flag_value(args, "db") or "")
    claims = {t["metadata"]["name"] for t in sts["spec"].get("volumeClaimTemplates", [])}
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    if mounts.get(db_dir) not in claims:
        problem(f"{path}: --db folder {db_dir} is not on a volumeClaimTemplate")
    for flag in ("auth_tokens", "rules"):
        value = flag_value(args, flag)
        if value and flag == "auth_tokens" and not any(
                value.startswith(m + "/") for m in mounts):
            problem(f"{path}: --{flag}={value} is on no mounted volume")
    svc = kinds["Service"]
    for port in svc["spec"]["ports"]:
        if port["targetPort"] not in ports:
            problem(f"{path}: Service targetPort {port['targetPort']} names no container port")
    print(f"kubernetes: {len(docs)} documents, {len(args)} daemon args checked")


def unit_exec_args(text):
    m = re.search(r"^ExecStart=(.*?)(?<!\\)$", text, re.M | re.S)
    line = m.group(1).replace("\\\n", " ")
    return shlex.split(line)


def systemd(source, daemon):
    path = os.path.join(source, "deploy/systemd/redaction-auditd.service")
    with open(path) as f:
        text = f.read()
    args = unit_exec_args(text)
    flags = daemon_flags(daemon)
    check_flags(path, args[1:], flags)
    env = os.path.join(source, "deploy/redaction-auditd.env.example")
    with open(env) as f:
        for line in f:
            m = re.match(r"#?\s*RA_EXTRA_FLAGS=(.*)", line)
            if m:
                check_flags(env, m.group(1).split(), flags)
    db_dir = os.path.dirname(flag_value(args, "db") or "")
    rw = re.findall(r"^ReadWritePaths=(.*)$", text, re.M)
    if db_dir not in " ".join(rw).split():
        problem(f"{path}: ReadWritePaths does not include the --db folder {db_dir}")
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes"):
        if not re.search(rf"^{re.escape(setting)}$", text, re.M):
            problem(f"{path}: {setting} missing")
    # systemd-analyze wants the ExecStart binary to exist: point a copy at
    # the built daemon.
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "redaction-auditd.service")
        with open(copy, "w") as f:
            f.write(text.replace(args[0], os.path.abspath(daemon)))
        r = subprocess.run(["systemd-analyze", "verify", copy], capture_output=True, text=True)
        if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
            problem(f"systemd-analyze verify {path}: exit {r.returncode}: {r.stdout}{r.stderr}")
    print(f"systemd: verified, {len(args) - 1} daemon args checked")


def packages_of(library_paths):
    """Debian package of each library path (one dpkg -S for all: it is slow)."""
    candidates = {}
    for path in library_paths:
        for c in (path, re.sub(r"^/usr/lib/", "/lib/", path), re.sub(r"^/lib/", "/usr/lib/", path)):
            candidates[c] = path
    r = subprocess.run(["dpkg", "-S"] + sorted(candidates), capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        pkgs, _, found = line.partition(": ")
        if found in candidates:
            out[candidates[found]] = pkgs.split(",")[0].split(":")[0].strip()
    return out


def direct_libraries(binary):
    needed = re.findall(r"\(NEEDED\).*\[(.*)\]",
                        subprocess.run(["readelf", "-d", binary], capture_output=True,
                                       text=True).stdout)
    paths = dict(re.findall(r"^\s*(\S+) => (/\S+)",
                            subprocess.run(["ldd", binary], capture_output=True,
                                           text=True).stdout, re.M))
    return [(lib, paths.get(lib)) for lib in needed]


def docker(source, daemon, cli):
    path = os.path.join(source, "deploy/Dockerfile")
    with open(path) as f:
        text = f.read()
    joined = text.replace("\\\n", " ")
    entry = re.search(r"^ENTRYPOINT (\[.*\])", joined, re.M)
    args = json.loads(entry.group(1)) if entry else []
    if not args:
        problem(f"{path}: no ENTRYPOINT in exec form")
    check_flags(path, args[1:], daemon_flags(daemon))
    user = re.findall(r"^USER (\S+)", text, re.M)
    if not user or user[-1] in ("root", "0"):
        problem(f"{path}: the image does not run as a non-root USER")
    db_dir = os.path.dirname(flag_value(args, "db") or "")
    if not re.search(rf"^VOLUME {re.escape(db_dir)}$", text, re.M):
        problem(f"{path}: the --db folder {db_dir} is not a VOLUME")
    # The runtime stage installs every package the binaries link directly
    # (apt brings their dependencies); libc6/libstdc++6/libgcc-s1 are in
    # debian:12-slim.
    runtime = joined[joined.rindex("FROM "):]
    installs = set()
    for m in re.finditer(r"apt-get install ([^&]*)", runtime):
        installs |= {w for w in m.group(1).split() if not w.startswith("-")}
    base = {"libc6", "libstdc++6", "libgcc-s1"}
    # The PDF page renderer is built and shipped beside the daemon, which
    # runs it from its own directory.
    helper = os.path.join(os.path.dirname(daemon), "redaction-audit-render")
    daemon_dir = os.path.dirname(args[0]) if args else ""
    targets = re.search(r'RA_TARGETS="([^"]*)"', text)
    if not targets or "redaction-audit-render" not in targets.group(1).split():
        problem(f"{path}: the build stage does not build redaction-audit-render")
    copied = [c for c in re.findall(r"^COPY --from=build (.*)$", joined, re.M)
              if "redaction-auditd" in c]
    if not copied or not re.search(r"/redaction-audit-render\s", copied[0]) or \
            copied[0].split()[-1].rstrip("/") != daemon_dir:
        problem(f"{path}: redaction-audit-render is not copied beside redaction-auditd "
                f"({daemon_dir})")
    libraries = {b: direct_libraries(b) for b in (daemon, helper, cli)}
    owners = packages_of([p for libs in libraries.values() for _, p in libs if p])
    for binary, libs in libraries.items():
        for lib, lib_path in libs:
            pkg = owners.get(lib_path)
            if pkg is None:
                problem(f"{binary}: cannot find the Debian package of {lib}")
            elif pkg not in installs and pkg not in base:
                problem(f"{path}: runtime stage lacks {pkg} ({lib}, needed by "
                        f"{os.path.basename(binary)})")
    print(f"docker: {len(args) - 1} daemon args and the runtime libraries checked "
          "(the image itself is not built here)")


def main():
    what, source, daemon = sys.argv[1], sys.argv[2], sys.argv[3]
    if what == "kubernetes":
        kubernetes(source, daemon)
    elif what == "systemd":
        systemd(source, daemon)
    elif what == "docker":
        docker(source, daemon, sys.argv[4])
    else:
        problem(f"unknown check {what}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
