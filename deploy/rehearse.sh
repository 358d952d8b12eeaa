#!/bin/sh
# Bring deploy/compose.yaml up for real on a machine with no Docker engine and no registry, check
# it, and bring it down: run by hand (as root, on Debian bookworm), never in CI.
#
#   apt-get install podman runc iptables debootstrap && pip install podman-compose
#   deploy/rehearse.sh [--keep]      # --keep leaves the stack up (then: cd deploy && podman-compose down -v)
#
# Where it was run (a Firecracker VM, podman 4.3.1), podman ran no container until two files in
# /etc/containers/containers.conf.d/ said: `[engine] runtime = "runc"` (crun 1.8 stops at
# "cgroups in hybrid mode not supported": cgroup v1 with hugetlb left on v2), and, the VM
# withholding CAP_SYS_RESOURCE, `[containers] default_ulimits = ["nofile=N:N", "nproc=32768:32768"]`
# with N from `ulimit -Hn` (podman asks for more than it may raise to: "setrlimit ... Operation
# not permitted"). netavark needs iptables. The script stops early if a container cannot run.
#
# No registry means no postgres:16, nginx:1.27 or python:3.11-slim: stand-ins for all three are
# built from a Debian bookworm rootfs (debootstrap from the apt mirror; deploy/standins/ says
# how each differs) and tagged with the official names, so compose.yaml and the Dockerfile run
# unchanged. deploy/rehearse.yaml adds a feed server inside the stack; the poller polls it.
# Checks: the catalog's health check; the page, /_stcore/health and the app through the proxy;
# the seed in the lake and, where the checkout has playwright and Chromium, in a browser; each
# replica's HEALTHCHECK; each replica alone behind the proxy (the other stopped, then restarted);
# the poller's articles and Parquet files in the lake; `check` inside a container; the poller
# stopping on SIGTERM.
#
# The stand-ins keep the official names afterwards: remove them (podman rmi docker.io/library/
# python:3.11-slim docker.io/library/postgres:16 docker.io/library/nginx:1.27) before a machine
# that reaches a registry should pull the real images. netavark turns on IP forwarding.
#
# Settings: REHEARSE_DIR (work files, /var/tmp/newsdesk-rehearse), MIRROR (Debian mirror),
# PORT (the proxy's host port, 18501), PODMAN_COMPOSE (podman-compose).
set -eu
deploy=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$deploy")
work=${REHEARSE_DIR:-/var/tmp/newsdesk-rehearse}
mirror=${MIRROR:-http://deb.debian.org/debian}
compose="${PODMAN_COMPOSE:-podman-compose} -f compose.yaml -f rehearse.yaml"
keep=${1:-}
export PORT="${PORT:-18501}" POLL_SECONDS=30 FEEDS_FILE="$work/feeds.toml"
CATALOG_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
NEWSDESK_ADMIN_SECRET=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export CATALOG_PASSWORD NEWSDESK_ADMIN_SECRET
failed=0
mkdir -p "$work"

say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
check() {  # check NAME COMMAND...: one PASS or FAIL line
    name=$1; shift
    if "$@" >"$work/last.out" 2>&1; then say "PASS $name"; else say "FAIL $name: $(tail -c 400 "$work/last.out")"; failed=1; fi
}
retry() {  # retry SECONDS COMMAND...: until it succeeds or SECONDS pass
    until_=$(($(date +%s) + $1)); shift
    until "$@"; do [ "$(date +%s)" -lt "$until_" ] || return 1; sleep 3; done
}
container() { podman ps -a --filter "label=com.docker.compose.project=newsdesk" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n1; }
in_poller() { podman exec "$(container poller)" "$@"; }

# 1. A Debian bookworm base image, trusting what this machine trusts (a TLS-re-signing egress
#    proxy's CA in /usr/local/share/ca-certificates, if any: pip in the build needs it).
if ! podman image exists localhost/debian-bookworm-standin:latest; then
    say "debootstrap bookworm from $mirror"
    rm -rf "$work/rootfs"
    nice -n 10 debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log"
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s-security bookworm-security main\n' \
        "$mirror" "$mirror" "$mirror" >"$work/rootfs/etc/apt/sources.list"
    printf '#!/bin/sh\nexit 101\n' >"$work/rootfs/usr/sbin/policy-rc.d"  # no service starts at install
    chmod +x "$work/rootfs/usr/sbin/policy-rc.d"
    mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    tar -C "$work/rootfs" -c . | podman import -q --change 'CMD ["bash"]' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - localhost/debian-bookworm-standin:latest
    rm -rf "$work/rootfs"
fi
podman run --rm localhost/debian-bookworm-standin:latest true || {
    say "podman cannot run a container here: see this script's header"; exit 2; }

# 2. The stand-ins, under the official names (--format docker keeps HEALTHCHECK and STOPSIGNAL).
for image in python:3.11-slim postgres:16 nginx:1.27; do
    say "build stand-in $image"
    nice -n 10 podman build -q --format docker -t "docker.io/library/$image" \
        -f "$deploy/standins/${image%%:*}.Containerfile" "$deploy/standins" >/dev/null
done
say "build newsdesk:latest (the Dockerfile, unchanged)"
nice -n 10 podman build -q --format docker -t newsdesk:latest "$root" >/dev/null

# 3. Up in three steps: the catalog first (podman before 4.6 cannot wait for `service_healthy`),
#    then the replicas and the proxy, then the poller: with all at once the poller's first poll
#    fills the lake before a replica's first-run seed, which then finds it not empty.
printf '[[feed]]\nurl = "http://feeds:8000/feed.rss"\n' >"$FEEDS_FILE"
cd "$deploy"
down() {
    volumes=$(podman ps -aq --filter label=com.docker.compose.project=newsdesk | xargs -r podman inspect \
        --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}')
    $compose down -v >/dev/null 2>&1 || true
    for volume in $volumes; do podman volume rm -f "$volume" >/dev/null 2>&1 || true; done  # the image's VOLUME too
}
trap '[ "$keep" = --keep ] || down' EXIT
down
start=$(date +%s)
$compose up -d catalog >"$work/up.log" 2>&1
check "catalog healthy (its compose health check, pg_isready)" retry 60 podman healthcheck run "$(container catalog)"
$compose up -d dashboard-1 dashboard-2 proxy >>"$work/up.log" 2>&1

# 4. Checks.
page() { curl -fsS --max-time 90 "http://127.0.0.1:$PORT$1"; }
articles() { podman exec "$(container dashboard-1)" .venv/bin/python -m dashboard export articles --format jsonl --out -; }
check "page through the proxy" retry 240 sh -c "curl -fsS http://127.0.0.1:$PORT/ | grep -q '<title>Streamlit</title>'"
check "/_stcore/health through the proxy" retry 60 sh -c "curl -fsS http://127.0.0.1:$PORT/_stcore/health | grep -qx ok"
check "the app runs through the proxy (/_stcore/script-health-check)" retry 120 page /_stcore/script-health-check
say "ready after $(($(date +%s) - start)) s"
for replica in dashboard-1 dashboard-2; do
    check "$replica's HEALTHCHECK (dashboard.ready: server and lake)" retry 120 podman healthcheck run "$(container "$replica")"
done
seed=$(articles | wc -l)
check "the lake holds the seed ($seed articles)" test "$seed" -gt 0
browser() {  # Chromium through the proxy: the page's WebSocket session shows a seed headline
    "$root/.venv/bin/python" - "http://127.0.0.1:$PORT/" <<'EOF'
import sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page()
    page.goto(sys.argv[1])
    page.get_by_text("US President Donald Trump on Friday urged").first.wait_for(timeout=90_000)
    browser.close()
EOF
}
if [ -x /usr/bin/chromium ] && "$root/.venv/bin/python" -c 'import playwright' 2>/dev/null; then
    check "Chromium shows the seed through the proxy (the WebSocket passes nginx)" browser
else
    say "SKIP the browser check: no .venv with playwright, or no /usr/bin/chromium (make test installs both)"
fi
for replica in dashboard-1 dashboard-2; do  # each alone behind the proxy, dashboard-2 after a restart
    other=$([ "$replica" = dashboard-1 ] && echo dashboard-2 || echo dashboard-1)
    podman stop -t 5 "$(container "$other")" >/dev/null
    check "$other stopped: the proxy answers within 10 s" curl -fsS --max-time 10 "http://127.0.0.1:$PORT/_stcore/health"
    check "$replica alone serves the app through the proxy" retry 30 page /_stcore/script-health-check
    podman start "$(container "$other")" >/dev/null
    retry 60 podman healthcheck run "$(container "$other")" >/dev/null || true
done
$compose up -d >>"$work/up.log" 2>&1  # the poller and the feed server
check "the poller's articles from the feed are in the lake" retry 180 sh -c \
    "podman exec $(container poller) .venv/bin/python -m dashboard export articles --format jsonl --out - | grep -q 'gazette.example'"
lake=$(podman volume inspect newsdesk_lake --format '{{.Mountpoint}}')
check "Parquet files on the lake volume" sh -c "find '$lake' -name '*.parquet' | grep -q ."
check "check inside the poller's container" in_poller .venv/bin/python -m dashboard check
stops_on_term() {  # stopped with SIGTERM (not SIGKILL after podman's 10 s) within 5 s
    t0=$(date +%s); podman stop -t 10 "$(container poller)" >/dev/null
    [ "$(podman inspect "$(container poller)" --format '{{.State.ExitCode}}')" != 137 ] && [ $(($(date +%s) - t0)) -le 5 ]
}
say "lake: $(articles | wc -l) articles ($seed seeded), $(find "$lake" -name '*.parquet' | wc -l) Parquet files," \
    "$(du -sh "$lake" | cut -f1); all up in $(($(date +%s) - start)) s"

check "the poller stops when asked (SIGTERM)" stops_on_term

if [ "$failed" != 0 ]; then
    for service in catalog poller dashboard-1 dashboard-2 proxy feeds; do
        echo "--- $service"; podman logs --tail 15 "$(container "$service")" 2>&1
    done
fi
say "$([ "$failed" = 0 ] && echo 'all checks passed' || echo 'some checks FAILED'); down $([ "$keep" = --keep ] && echo 'skipped (--keep)' || echo 'with its volumes')"
exit "$failed"
