#!/usr/bin/env python3
"""Does linking Kestrel (xsend serve) slow the single-shot xsend? Runs two Native AOT builds
interleaved, N times each: `xsend --version` and a send that fails fast (127.0.0.1:1, refused,
--timeout 0.01, --no-outbox), and prints the median wall time of each and the binary sizes.
Usage: bench/link-cost.py BEFORE_BINARY AFTER_BINARY [N]"""
import os, resource, statistics, subprocess, sys, tempfile, time

before, after = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
home = tempfile.mkdtemp(prefix="xsend-link-cost-")
env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
       "XSEND_STATE__DIRECTORY": os.path.join(home, "state"), "XSEND_OUTBOX__DIRECTORY": os.path.join(home, "outbox")}
cases = {
    "--version": ["--version"],
    "failing send": ["--jid", "a@example.org", "--password", "x", "--server", "127.0.0.1:1", "--no-outbox",
                     "--timeout", "0.01", "b@example.org", "hi"],
}

cpu = {}

def run(binary, args):
    before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary] + args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - start) * 1000
    after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after_cpu.ru_utime - before_cpu.ru_utime + after_cpu.ru_stime - before_cpu.ru_stime) * 1000
    cpu.setdefault((binary, tuple(args)), []).append(used)
    return wall

for binary in (before, after):  # warm the page cache
    for args in cases.values():
        run(binary, args)
print(f"| binary | size MiB | {' | '.join(f'{c} median ms | {c} CPU ms' for c in cases)} |")
print("|---|---:|" + "---:|---:|" * len(cases))
times = {(b, c): [] for b in (before, after) for c in cases}
for _ in range(n):
    for c, args in cases.items():
        for b in (before, after):
            times[(b, c)].append(run(b, args))
for label, b in (("without Kestrel", before), ("with Kestrel", after)):
    size = os.path.getsize(b) / 1048576
    print(f"| {label} | {size:.1f} | " + " | ".join(f"{statistics.median(times[(b, c)]):.2f} | {statistics.median(cpu[(b, tuple(cases[c]))]):.2f}" for c in cases) + " |")
for c in cases:
    d = statistics.median(times[(after, c)]) - statistics.median(times[(before, c)])
    print(f"{c}: difference of medians {d:+.2f} ms over {n} interleaved pairs")
