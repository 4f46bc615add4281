#!/usr/bin/env python3
"""Timing harness for bench/run.sh (standard library only).

  measure.py run --runs N --label LABEL --size BYTES --out results.jsonl -- COMMAND...
      Runs COMMAND once to warm the page cache, then N times for wall time (perf_counter), then up to 3 times
      under GNU time for peak RSS (see run_once); output to /dev/null. Appends one JSON line with the medians.
  measure.py report results.jsonl
      Prints the Markdown tables: floor vs trustgate per plan, HCL index, Checkov.
"""

import json
import os
import shutil
import statistics
import tempfile
import sys
import time


TIME = "/usr/bin/time"


def run_once(command, with_time=True):
    """Wall time, peak RSS in bytes and exit code of one run.

    Peak RSS comes from GNU time (`/usr/bin/time -f %M`) when it is installed: a child spawned by Python
    itself carries the interpreter's own high-water mark in ru_maxrss (the kernel keeps the larger of the
    old and the new image across exec), which would hide the RSS of small runs. Without it, ru_maxrss from
    os.wait4 is used and small figures are an upper bound.
    """
    devnull = os.open(os.devnull, os.O_RDWR)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
    rss_file = None
    if with_time and os.access(TIME, os.X_OK):
        fd, rss_file = tempfile.mkstemp(prefix="measure-rss.")
        os.close(fd)
        command = [TIME, "-q", "-f", "%M", "-o", rss_file] + command
    program = command[0] if "/" in command[0] else shutil.which(command[0])
    start = time.perf_counter()
    pid = os.posix_spawn(program, command, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    os.close(devnull)
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss * 1024  # KiB on Linux
    if rss_file:
        with open(rss_file) as f:
            lines = [line for line in f.read().split() if line.isdigit()]
        os.unlink(rss_file)
        rss = int(lines[-1]) * 1024 if lines else rss
    return elapsed, cpu, rss, os.waitstatus_to_exitcode(status)


def cmd_run(args):
    sep = args.index("--")
    opts, command = args[:sep], args[sep + 1:]
    o = dict(zip(opts[0::2], opts[1::2]))
    runs = int(o.get("--runs", "5"))
    warm = o.get("--warmup", "1") != "0"
    if warm:
        run_once(command)
    # Wall time from direct runs; peak RSS from separate runs under GNU time (its fork and exec would
    # otherwise count in the wall time of the smallest inputs).
    times, cpus, rss, codes = [], [], [], set()
    for _ in range(runs):
        t, c, _, code = run_once(command, with_time=False)
        times.append(t)
        cpus.append(c)
        codes.add(code)
    for _ in range(min(runs, 3)):
        _, _, m, code = run_once(command)
        rss.append(m)
        codes.add(code)
    record = {
        "label": o["--label"], "size": int(o.get("--size", "0")), "runs": runs,
        "wall_median": statistics.median(times), "wall_min": min(times), "wall_max": max(times),
        "cpu_median": statistics.median(cpus), "rss_median": statistics.median(rss), "exit_codes": sorted(codes), "command": command,
    }
    with open(o["--out"], "a") as f:
        f.write(json.dumps(record) + "\n")
    print("  %-28s median %8.3f s (min %.3f, max %.3f)  CPU %.3f s  peak RSS %7.1f MB  exit %s" % (
        record["label"], record["wall_median"], record["wall_min"], record["wall_max"], record["cpu_median"],
        record["rss_median"] / 1e6, ",".join(map(str, record["exit_codes"]))), flush=True)


def cmd_report(args):
    records = {}
    with open(args[0]) as f:
        for line in f:
            r = json.loads(line)
            records[r["label"]] = r
    sizes = sorted({int(l.split("/")[1]) for l in records if l.startswith(("floor/", "trustgate/"))})
    if sizes:
        print("| plan | size | floor | trustgate | time ratio | trustgate per MB | CPU floor / trustgate "
              "| floor RSS | trustgate RSS | RSS / file size |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for n in sizes:
            fl, tg = records.get("floor/%d" % n), records.get("trustgate/%d" % n)
            if not (fl and tg):
                continue
            mb = tg["size"] / 1e6
            print("| %s resources | %.1f MB | %.3f s | %.3f s | %.2f× | %.1f ms/MB | %.3f / %.3f s | %.0f MB "
                  "| %.0f MB | %.2f× |" % (
                      format(n, ","), mb, fl["wall_median"], tg["wall_median"],
                      tg["wall_median"] / fl["wall_median"], 1000 * tg["wall_median"] / mb,
                      fl.get("cpu_median", 0), tg.get("cpu_median", 0), fl["rss_median"] / 1e6,
                      tg["rss_median"] / 1e6, tg["rss_median"] / tg["size"]))
    hcl = [r for l, r in sorted(records.items()) if l.startswith("hcl/")]
    if hcl:
        print()
        print("| HCL index | files size | wall (median) | CPU | peak RSS |")
        print("|---|---|---|---|---|")
        for r in hcl:
            print("| %s | %.1f MB | %.3f s | %.3f s | %.0f MB |" % (
                r["label"], r["size"] / 1e6, r["wall_median"], r.get("cpu_median", 0), r["rss_median"] / 1e6))
    checkov = [r for l, r in sorted(records.items()) if l.startswith("checkov/")]
    if checkov:
        print()
        print("| Checkov | plan size | wall (median of %s) | CPU | peak RSS | trustgate on the same plan |" %
              "/".join(str(r["runs"]) for r in checkov))
        print("|---|---|---|---|---|---|")
        for r in checkov:
            tg = records.get("trustgate/" + r["label"].split("/")[1])
            print("| %s resources | %.1f MB | %.2f s | %.2f s | %.0f MB | %s |" % (
                format(int(r["label"].split("/")[1]), ","), r["size"] / 1e6, r["wall_median"],
                r.get("cpu_median", 0), r["rss_median"] / 1e6,
                "%.3f s, %.0f MB (%.0f× faster)" % (tg["wall_median"], tg["rss_median"] / 1e6,
                                                     r["wall_median"] / tg["wall_median"]) if tg else "-"))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "report"):
        print(__doc__)
        return 2
    (cmd_run if sys.argv[1] == "run" else cmd_report)(sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
