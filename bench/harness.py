#!/usr/bin/env python3
"""The benchmark's measuring part; bench/run.sh sets up the machine and the server first.

Every tool's message is checked to arrive before it is timed, and every timed message is
counted at the recipient afterwards. Each child's wall time comes from a monotonic clock
around fork/exec/wait; its CPU time and peak RSS from wait4()'s rusage (what
/usr/bin/time -v reports). Every wait is bounded.
"""
import argparse
import datetime
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import threading
import time

DOMAIN = "localhost"
RUN_LIMIT_S = 60          # no single send may take longer than this
STATS_DIR = "/tmp"
BULK_LIMIT_S = 600        # nor a bulk run


def log(text):
    print(f"bench: {text}", file=sys.stderr, flush=True)


class Measurement:
    def __init__(self, wall_ms, cpu_ms, rss_kib, code):
        self.wall_ms, self.cpu_ms, self.rss_kib, self.code = wall_ms, cpu_ms, rss_kib, code


def measure(argv, env=None, stdin_text=None, limit_s=RUN_LIMIT_S, ok_codes=(0,)):
    """Runs argv once under /usr/bin/time; returns wall/CPU/peak RSS, killing it after limit_s.

    CPU and peak RSS come from /usr/bin/time (wait4's rusage of the tool alone: a child
    forked from this Python process would carry Python's RSS across exec). Wall time is a
    monotonic clock around the whole spawn and wait.
    """
    stats_path = os.path.join(STATS_DIR, f"time-{secrets.token_hex(4)}")
    stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%U %S %M", "-o", stats_path, *argv], env=env,
                            stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(limit_s, proc.kill)
    timer.start()
    stderr_box = []
    reader = threading.Thread(target=lambda: stderr_box.append(proc.stderr.read()))
    reader.start()
    if stdin_text is not None:
        try:
            proc.stdin.write(stdin_text.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
    proc.wait()
    wall = (time.perf_counter() - start) * 1000
    timer.cancel()
    reader.join(5)
    if proc.returncode not in ok_codes:
        tail = (stderr_box[0] if stderr_box else b"").decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{argv[0]} exited {proc.returncode}: {' | '.join(tail)}")
    with open(stats_path) as f:
        user_s, sys_s, rss_kib = f.read().strip().splitlines()[-1].split()
    os.unlink(stats_path)
    return Measurement(wall, (float(user_s) + float(sys_s)) * 1000, int(rss_kib), proc.returncode)


class Listener:
    """`xsend listen --json` as the recipient, started and known to be online."""

    def __init__(self, ctx, account, count, timeout_s):
        self.out_path = os.path.join(ctx.dir, f"listen-{account}-{secrets.token_hex(3)}.jsonl")
        self.err_path = self.out_path + ".err"
        self.out = open(self.out_path, "w")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [ctx.xsend, "listen", "-v", "--json", "--config", ctx.config(account),
             "--count", str(count), "--timeout", str(timeout_s)],
            stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.err)
        self.done_at = None
        self.waiter = threading.Thread(target=self._wait)
        self.waiter.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with open(self.err_path) as f:
                if "waiting for messages" in f.read():
                    return
            if self.done_at is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"the listener for {account} did not come online: {open(self.err_path).read()[-300:]}")

    def _wait(self):
        self.proc.wait()
        self.done_at = time.perf_counter()

    def bodies(self, limit_s):
        self.waiter.join(limit_s)
        if self.waiter.is_alive():
            self.proc.kill()
            self.waiter.join(5)
        self.out.close()
        self.err.close()
        found = []
        with open(self.out_path) as f:
            for line in f:
                line = line.strip()
                if line:
                    found.append(json.loads(line).get("body", ""))
        return found


class Context:
    def __init__(self, args):
        self.dir = args.dir
        self.port = args.port
        self.xsend = args.xsend
        self.ca = os.path.join(args.dir, "prosody", "ca.pem")
        self.capath = os.path.join(args.dir, "capath")
        os.makedirs(self.capath, exist_ok=True)
        with open(self.ca) as src, open(os.path.join(self.capath, "ca.pem"), "w") as dst:
            dst.write(src.read())
        subprocess.run(["openssl", "rehash", self.capath], check=True, capture_output=True)
        self.home = os.path.join(args.dir, "home")
        os.makedirs(os.path.join(self.home, ".config"), exist_ok=True)
        # xmppc refuses to start without a config file, even when --jid/--pwd are given.
        with open(os.path.join(self.home, ".config", "xmppc.conf"), "w") as f:
            f.write("[default]\n")

    def password(self, account):
        with open(os.path.join(self.dir, f"{account}.password")) as f:
            return f.read().strip()

    def config(self, account):
        path = os.path.join(self.dir, f"{account}.json")
        if not os.path.exists(path):
            with open(path, "w") as f:
                json.dump({"Account": {"Jid": f"{account}@{DOMAIN}",
                                       "PasswordFile": os.path.join(self.dir, f"{account}.password"),
                                       "Server": f"127.0.0.1:{self.port}", "CaFile": self.ca}}, f)
        return path

    def env(self):
        # Go and libstrophe (OpenSSL) both read SSL_CERT_FILE: they verify against the sandbox CA.
        return dict(os.environ, HOME=self.home, SSL_CERT_FILE=self.ca)


class Tool:
    """One sender. send() returns (argv, env, stdin) for one alert; bulk() for many."""

    def __init__(self, name, send, bulk=None, bulk_note=None, bulk_ok_codes=(0,)):
        self.name, self.send, self.bulk, self.bulk_note = name, send, bulk, bulk_note
        self.bulk_ok_codes = bulk_ok_codes


def tools(ctx):
    pw = ctx.password("bench")
    server = f"127.0.0.1:{ctx.port}"
    env = ctx.env()
    xs = Tool("xsend",
              lambda to, text: ([ctx.xsend, "--config", ctx.config("bench"), to, text], env, None),
              lambda to, lines: ([ctx.xsend, "--config", ctx.config("bench"), "--line-mode", to], env, lines))
    go = Tool("go-sendxmpp",
              lambda to, text: (["go-sendxmpp", "-u", f"bench@{DOMAIN}", "-p", pw, "-j", server, to], env, text),
              lambda to, lines: (["go-sendxmpp", "-i", "-u", f"bench@{DOMAIN}", "-p", pw, "-j", server, to], env, lines),
              # Its interactive mode reports "failed to read from stdin" and exits 1 at the end of
              # its input, after sending everything; the arrivals are what is checked.
              bulk_ok_codes=(0, 1))
    sx_base = ["sendxmpp", "-u", "bench", "-p", pw, "-j", server, "-o", DOMAIN, "-t", "-a", ctx.capath,
               "--message-type", "chat"]
    sx = Tool("sendxmpp",
              lambda to, text: (sx_base + [to], env, text),
              lambda to, lines: (sx_base + ["-i", to], env, lines))
    xm = Tool("xmppc",
              lambda to, text: (["xmppc", "--jid", f"bench@{DOMAIN}", "--pwd", pw, "--mode", "message",
                                 "chat", to, text], env, None),
              bulk_note="no batch mode: one process per alert")
    return [xs, go, sx, xm]


def floor_argv(ctx):
    # The floor: TCP connect, the STARTTLS exchange and a verified TLS handshake, nothing else.
    return ["openssl", "s_client", "-brief", "-no_ign_eof", "-starttls", "xmpp", "-xmpphost", DOMAIN,
            "-connect", f"127.0.0.1:{ctx.port}", "-CAfile", ctx.ca, "-verify_return_error"]


def verify_delivery(ctx, all_tools):
    log("checking that every tool's message arrives")
    listener = Listener(ctx, "sink", len(all_tools), 60)
    tokens = {}
    working = []
    for tool in all_tools:
        token = f"verify-{tool.name}-{secrets.token_hex(4)}"
        argv, env, stdin = tool.send(f"sink@{DOMAIN}", token)
        try:
            measure(argv, env, stdin)
            tokens[tool.name] = token
        except RuntimeError as e:
            log(f"{tool.name} failed to send: {e}")
    got = listener.bodies(30)
    for tool in all_tools:
        token = tokens.get(tool.name)
        if token and any(token in body for body in got):
            working.append(tool)
        else:
            log(f"{tool.name}: its message did not arrive; it is left out of the timing")
    return working


def single_shot(ctx, working, runs):
    log(f"single-shot: 1 warm-up + {runs} interleaved runs per tool, plus the TLS floor")
    expected = len(working) * (runs + 1)
    per_round = sum(2 if t.name != "xmppc" else 12 for t in working)
    listener = Listener(ctx, "sink", expected, per_round * (runs + 1) + 120)
    samples = {t.name: [] for t in working}
    samples["STARTTLS floor (openssl)"] = []
    tag = secrets.token_hex(3)
    for i in range(runs + 1):
        for tool in working:
            argv, env, stdin = tool.send(f"sink@{DOMAIN}", f"single-{tag}-{tool.name}-{i}")
            m = measure(argv, env, stdin)
            if i > 0:
                samples[tool.name].append(m)
        m = measure(floor_argv(ctx), ctx.env())
        if i > 0:
            samples["STARTTLS floor (openssl)"].append(m)
        log(f"round {i}/{runs} done" if i else "warm-up done")
    got = listener.bodies(60)
    delivered = {}
    for tool in working:
        prefix = f"single-{tag}-{tool.name}-"
        delivered[tool.name] = len({b.strip() for b in got if b.strip().startswith(prefix)})
    return samples, delivered, runs + 1


def bulk_runs(ctx, all_tools, working, count, prosody_pid):
    results = []
    for tool in all_tools:
        if tool not in working:
            results.append({"tool": tool.name, "note": "did not deliver in the check"})
            continue
        if tool.bulk is None:
            results.append({"tool": tool.name, "note": tool.bulk_note})
            continue
        account = f"bulk-{tool.name}"
        tag = secrets.token_hex(3)
        lines = "".join(f"bulk-{tag}-{i:05d}\n" for i in range(count))
        log(f"bulk: {count} alerts with {tool.name}")
        listener = Listener(ctx, account, count, BULK_LIMIT_S)
        argv, env, stdin = tool.bulk(f"{account}@{DOMAIN}", lines)
        cpu_before = process_cpu_s(prosody_pid)
        start = time.perf_counter()
        try:
            m = measure(argv, env, stdin, BULK_LIMIT_S, tool.bulk_ok_codes)
        except RuntimeError as e:
            listener.bodies(1)
            results.append({"tool": tool.name, "note": f"failed: {e}"})
            continue
        # Once the sender has exited, what has not arrived within 30 s is lost, not late.
        got = listener.bodies(30)
        end = max(listener.done_at or (start + m.wall_ms / 1000), start + m.wall_ms / 1000)
        server_cpu = process_cpu_s(prosody_pid) - cpu_before
        arrived = len({b.strip() for b in got if b.strip().startswith(f"bulk-{tag}-")})
        elapsed = end - start
        if arrived < count:
            log(f"{tool.name}: only {arrived} of {count} alerts arrived")
        results.append({"tool": tool.name, "sender_wall_ms": m.wall_ms, "delivered_s": elapsed,
                        "arrived": arrived, "count": count, "rate": arrived / elapsed,
                        "rss_kib": m.rss_kib, "cpu_ms": m.cpu_ms,
                        "server_cpu_pct": 100 * server_cpu / elapsed})
    return results


def process_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def version_timing(ctx, runs):
    ms = [measure([ctx.xsend, "--version"]).wall_ms for _ in range(runs + 1)][1:]
    return statistics.median(ms)


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    debian = open("/etc/debian_version").read().strip() if os.path.exists("/etc/debian_version") else "?"
    return f"{model}, {os.cpu_count()} cores, Linux {platform.release()}, Debian {debian}"


def versions():
    def first_line(argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    dpkg = lambda p: first_line(["dpkg-query", "-W", "-f=${Version}", p])
    return {"sendxmpp": dpkg("sendxmpp"), "go-sendxmpp": dpkg("go-sendxmpp"), "xmppc": dpkg("xmppc"),
            "prosody": dpkg("prosody")}


def report(args, ctx, samples, delivered, sent_each, bulk, version_ms):
    out = args.out
    os.makedirs(out, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows = []
    for name, ms in samples.items():
        if not ms:
            continue
        walls = [m.wall_ms for m in ms]
        rows.append({"tool": name, "runs": len(ms), "median_ms": statistics.median(walls),
                     "min_ms": min(walls), "max_ms": max(walls),
                     "cpu_ms": statistics.median(m.cpu_ms for m in ms),
                     "rss_mib": max(m.rss_kib for m in ms) / 1024,
                     "delivered": f"{delivered[name]}/{sent_each}" if name in delivered else "n/a"})
    with open(os.path.join(out, "single-shot.csv"), "w") as f:
        f.write("tool,runs,median_ms,min_ms,max_ms,median_cpu_ms,peak_rss_mib,delivered\n")
        for r in rows:
            f.write(f"{r['tool']},{r['runs']},{r['median_ms']:.1f},{r['min_ms']:.1f},{r['max_ms']:.1f},"
                    f"{r['cpu_ms']:.1f},{r['rss_mib']:.1f},{r['delivered']}\n")
    with open(os.path.join(out, "bulk.csv"), "w") as f:
        f.write("tool,alerts,arrived,seconds_to_last_arrival,alerts_per_s,sender_cpu_ms,peak_rss_mib,server_cpu_pct,note\n")
        for b in bulk:
            if "rate" in b:
                f.write(f"{b['tool']},{b['count']},{b['arrived']},{b['delivered_s']:.2f},{b['rate']:.0f},"
                        f"{b['cpu_ms']:.0f},{b['rss_kib'] / 1024:.1f},{b['server_cpu_pct']:.0f},\n")
            else:
                f.write(f"{b['tool']},,,,,,,,{b['note']}\n")
    with open(os.path.join(out, "chart.svg"), "w") as f:
        f.write(svg_chart(rows, bulk, now))

    v = versions()
    floor = next((r for r in rows if r["tool"].startswith("STARTTLS floor")), None)
    go = next((r for r in rows if r["tool"] == "go-sendxmpp"), None)
    xs = next((r for r in rows if r["tool"] == "xsend"), None)
    xb = next((b for b in bulk if b["tool"] == "xsend" and "rate" in b), None)
    lines = [f"Measured {now} on {machine()}; Prosody {v['prosody']} on loopback, STARTTLS + SCRAM-SHA-1, "
             f"sendxmpp {v['sendxmpp']}, go-sendxmpp {v['go-sendxmpp']}, xmppc {v['xmppc']} "
             f"(`bash bench/run.sh`).", "",
             "| single-shot send | median ms | min ms | max ms | CPU ms | peak RSS MiB | arrived |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['tool']} | {r['median_ms']:.1f} | {r['min_ms']:.1f} | {r['max_ms']:.1f} | "
                     f"{r['cpu_ms']:.1f} | {r['rss_mib']:.1f} | {r['delivered']} |")
    lines += ["", f"| bulk: {args.bulk} alerts to one recipient | alerts/s | arrived | s to last arrival | "
                  "sender CPU ms | peak RSS MiB | Prosody CPU |", "|---|---:|---:|---:|---:|---:|---:|"]
    for b in bulk:
        if "rate" in b:
            lines.append(f"| {b['tool']} | {b['rate']:.0f} | {b['arrived']}/{b['count']} | {b['delivered_s']:.2f} | "
                         f"{b['cpu_ms']:.0f} | {b['rss_kib'] / 1024:.1f} | {b['server_cpu_pct']:.0f}% |")
        else:
            lines.append(f"| {b['tool']} | – | – | – | – | – | {b['note']} |")
    lines += ["", "| target | goal | measured | met |", "|---|---|---|---|"]
    if xs and go:
        ratio = xs["median_ms"] / go["median_ms"]
        lines.append(f"| single-shot vs go-sendxmpp | ≤ 0.15× | {ratio:.2f}× | {'yes' if ratio <= 0.15 else 'no'} |")
    if xs and floor:
        ratio = xs["median_ms"] / floor["median_ms"]
        lines.append(f"| single-shot vs STARTTLS floor | ≤ 3× | {ratio:.1f}× ({floor['median_ms']:.1f} ms floor) | "
                     f"{'yes' if ratio <= 3 else 'no'} |")
    if xb:
        server_bound = xb["server_cpu_pct"] >= 90
        met = xb["rate"] >= 5000 or server_bound
        lines.append(f"| bulk | ≥ 5,000/s or the server's limit | {xb['rate']:.0f}/s, Prosody CPU "
                     f"{xb['server_cpu_pct']:.0f}% | {'yes' if met else 'no'} |")
    if xs:
        peak = max(xs["rss_mib"], (xb["rss_kib"] / 1024) if xb else 0)
        lines.append(f"| peak RSS | ≤ 25 MiB | {peak:.1f} MiB | {'yes' if peak <= 25 else 'no'} |")
    lines.append(f"| `xsend --version` | ≤ 10 ms | {version_ms:.1f} ms | {'yes' if version_ms <= 10 else 'no'} |")
    table = "\n".join(lines)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(table + "\n")
    print(table)
    if args.readme:
        update_readme(args.readme, table)


def svg_chart(rows, bulk, when):
    """Two panels of horizontal bars: single-shot median wall (log scale) and bulk alerts/s."""
    import math
    width, bar_h, gap, label_w, plot_w = 760, 22, 8, 190, 470
    parts = []
    y = 40
    parts.append(f'<text x="10" y="24" font-size="15" font-weight="bold">Single-shot send, median wall time '
                 f'(ms, log scale; lower is better)</text>')
    top = max(r["median_ms"] for r in rows)
    lo, hi = 1.0, 10 ** math.ceil(math.log10(max(top, 10)))
    for r in rows:
        w = plot_w * (math.log10(max(r["median_ms"], lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        colour = "#2b7bba" if r["tool"] == "xsend" else ("#999" if r["tool"].startswith("STARTTLS") else "#e08a2c")
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end">{r["tool"]}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12">{r["median_ms"]:.1f} ms</text>')
        y += bar_h + gap
    y += 30
    rated = [b for b in bulk if "rate" in b]
    parts.append(f'<text x="10" y="{y - 10}" font-size="15" font-weight="bold">Bulk, {bulk[0].get("count", "")} alerts '
                 f'to one recipient (alerts/s; higher is better)</text>' if bulk else "")
    top_rate = max((b["rate"] for b in rated), default=1)
    for b in bulk:
        label = b["tool"]
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end">{label}</text>')
        if "rate" in b:
            w = plot_w * b["rate"] / top_rate
            colour = "#2b7bba" if b["tool"] == "xsend" else "#e08a2c"
            parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12">{b["rate"]:.0f}/s</text>')
        else:
            parts.append(f'<text x="{label_w}" y="{y + 16}" font-size="12" fill="#666">not run: {b["note"]}</text>')
        y += bar_h + gap
    y += 10
    parts.append(f'<text x="10" y="{y + 10}" font-size="11" fill="#666">{when}; bash bench/run.sh</text>')
    height = y + 20
    body = "\n  ".join(parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif">\n  <rect width="100%" height="100%" fill="white"/>\n  {body}\n</svg>\n')


def update_readme(path, table):
    with open(path) as f:
        text = f.read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        log(f"{path} has no {start}/{end} markers; not updated")
        return
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(f"{before}{start}\n{table}\n\n![benchmark chart](bench/results/chart.svg)\n{end}{after}")
    log(f"updated the table in {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--xsend", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument("--out", default="bench/results")
    parser.add_argument("--readme")
    args = parser.parse_args()
    global STATS_DIR
    STATS_DIR = args.dir
    ctx = Context(args)
    with open(os.path.join(args.dir, "prosody", "prosody.launcher.pid")) as f:
        prosody_pid = int(f.read().strip())
    all_tools = tools(ctx)
    working = verify_delivery(ctx, all_tools)
    if not any(t.name == "xsend" for t in working):
        log("xsend itself did not deliver; stopping")
        return 1
    samples, delivered, sent_each = single_shot(ctx, working, args.runs)
    bulk = bulk_runs(ctx, all_tools, working, args.bulk, prosody_pid)
    version_ms = version_timing(ctx, args.runs)
    report(args, ctx, samples, delivered, sent_each, bulk, version_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
