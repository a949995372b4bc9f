#!/usr/bin/env python3
"""Throughput + grouping accuracy of the reference Python Drain3 (logpai/Drain3) on the
Loghub-2k sets, for `npm run bench:loghub` with DRAIN3_REF=DIR (README, Benchmarks). Drain3 is
not part of this repository: DIR is put on PYTHONPATH and must hold the `drain3` package
(`pip install --target DIR drain3`, or a checkout of logpai/Drain3 plus its dependencies).

  PYTHONPATH=DIR python3 bench/drain3/bench_drain3.py [LOGHUB_DIR] [--reps N] [--only NAME[,NAME]] [--json] [--no-score]
  PYTHONPATH=DIR python3 bench/drain3/bench_drain3.py --lines FILE [--reps N]

With --lines: the lines of FILE (one per line) instead of the datasets, timed the same way; prints
one JSON object {"lines", "clusters", "lps_wall", "lps_cpu"} (best of N, default 1).

For each dataset dir holding *_2k.log_structured*.csv: read the Content column (csv module),
then N times (default 5): fresh TemplateMiner() (Drain3 defaults, no masking; constructed outside
the timed region), time add_log_message over all lines with time.perf_counter (wall) and
time.process_time (CPU of this process). Reports best-of-N lines/s. Cluster ids of the last run
go to a temporary folder (or $DRAIN3_OUT) as <Dataset>.txt and are scored with shared/tools/loghub_score.py (GA, FGA).
"""
import csv
import glob
import json
import logging
import os
import subprocess
import sys
import tempfile
import time

from drain3 import TemplateMiner  # noqa: E402  (found through PYTHONPATH)

HERE = os.path.dirname(os.path.abspath(__file__))
SCORER = os.environ.get("LOGHUB_SCORER", os.path.join(HERE, "..", "..", "..", "shared", "tools", "loghub_score.py"))
csv.field_size_limit(2**31 - 1)


def truth_csv(d):
    name = os.path.basename(d.rstrip("/"))
    for pat in (f"{name}_2k.log_structured_corrected.csv", f"{name}_2k.log_structured.csv", "*_2k.log_structured*.csv"):
        hits = sorted(glob.glob(os.path.join(d, pat)))
        if hits:
            return hits[0]
    return None


def read_content(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row["Content"] for row in csv.DictReader(f)]


def run_once(lines):
    miner = TemplateMiner()  # default config (drain3.ini is not present in cwd -> built-in defaults)
    add = miner.add_log_message
    ids = [0] * len(lines)
    w0, c0 = time.perf_counter(), time.process_time()
    for i, line in enumerate(lines):
        ids[i] = add(line)["cluster_id"]
    w1, c1 = time.perf_counter(), time.process_time()
    return w1 - w0, c1 - c0, ids, miner


def lines_file(path, reps):
    # newline="": only \n ends a line, as on the TypeScript side (a \r inside a line stays)
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    best_wall = best_cpu = float("inf")
    for _ in range(reps):
        wall, cpu, _ids, miner = run_once(lines)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    print(json.dumps({"lines": len(lines), "clusters": len(miner.drain.clusters),
                      "lps_wall": len(lines) / best_wall, "lps_cpu": len(lines) / best_cpu}))


def main(argv):
    reps, only, as_json, do_score, pos, lines_path = None, None, False, True, [], None
    it = iter(argv)
    for a in it:
        if a == "--lines":
            lines_path = next(it)
        elif a == "--reps":
            reps = int(next(it))
        elif a == "--only":
            only = set(next(it).split(","))
        elif a == "--json":
            as_json = True
        elif a == "--no-score":
            do_score = False
        else:
            pos.append(a)
    if os.path.exists("drain3.ini"):
        sys.exit("a drain3.ini in the cwd would override Drain3's defaults; run from another directory")
    logging.getLogger("drain3").setLevel(logging.ERROR)  # silence 'config file not found' warning
    if reps is not None and reps < 1:
        sys.exit("--reps must be at least 1")
    if lines_path is not None:
        lines_file(lines_path, reps or 1)
        return
    reps = reps or 5
    root = pos[0] if pos else os.path.join(HERE, "..", "..", "..", "shared", "data", "loghub")
    # cluster ids for the scorer: $DRAIN3_OUT, kept, or a temporary folder removed at the end
    keep = os.environ.get("DRAIN3_OUT")
    scratch = None if keep else tempfile.TemporaryDirectory(prefix="drain3-ids-")
    out_dir = keep or scratch.name
    try:
        run_datasets(root, only, reps, out_dir, do_score, as_json)
    finally:
        if scratch is not None:
            scratch.cleanup()


def run_datasets(root, only, reps, out_dir, do_score, as_json):
    results = []
    for d in sorted(p for p in glob.glob(os.path.join(root, "*")) if os.path.isdir(p)):
        name = os.path.basename(d)
        truth = truth_csv(d)
        if truth is None or (only and name not in only):
            continue
        lines = read_content(truth)
        best_wall = best_cpu = float("inf")
        for _ in range(reps):
            wall, cpu, ids, miner = run_once(lines)
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        pred = os.path.join(out_dir, f"{name}.txt")
        with open(pred, "w") as f:
            f.write("".join(f"{i}\n" for i in ids))
        r = {"dataset": name, "lines": len(lines), "clusters": len(miner.drain.clusters),
             "wall_s": best_wall, "cpu_s": best_cpu,
             "lps_wall": len(lines) / best_wall, "lps_cpu": len(lines) / best_cpu}
        if do_score:
            s = json.loads(subprocess.run([sys.executable, SCORER, truth, pred, "--json"], check=True,
                                          capture_output=True, text=True).stdout)
            r["GA"], r["FGA"] = s["GA"], s["FGA"]
        results.append(r)

    cfg = TemplateMiner().config
    config = {"depth": cfg.drain_depth, "sim_th": cfg.drain_sim_th, "max_children": cfg.drain_max_children,
              "max_clusters": cfg.drain_max_clusters, "masking": len(cfg.masking_instructions),
              "extra_delimiters": list(cfg.drain_extra_delimiters),
              "parametrize_numeric_tokens": cfg.parametrize_numeric_tokens, "reps": reps,
              "python": sys.version.split()[0]}
    tot_lines = sum(r["lines"] for r in results)
    overall = {"lines": tot_lines,
               "lps_wall": tot_lines / max(1e-12, sum(r["wall_s"] for r in results)),
               "lps_cpu": tot_lines / max(1e-12, sum(r["cpu_s"] for r in results))}
    if as_json:
        print(json.dumps({"config": config, "datasets": results, "overall": overall}))
        return
    print(f"Drain3 TemplateMiner() defaults: {config}")
    print(f"{'dataset':<11} {'clusters':>8} {'lines/s(wall)':>14} {'lines/s(cpu)':>13} {'GA':>6} {'FGA':>6}")
    for r in results:
        ga = f"{r['GA']:.3f}" if "GA" in r else "-"
        fga = f"{r['FGA']:.3f}" if "FGA" in r else "-"
        print(f"{r['dataset']:<11} {r['clusters']:>8} {r['lps_wall']:>14.0f} {r['lps_cpu']:>13.0f} {ga:>6} {fga:>6}")
    print(f"{'overall':<11} {'':>8} {overall['lps_wall']:>14.0f} {overall['lps_cpu']:>13.0f}"
          f" {'(' + str(tot_lines) + ' lines; total lines / sum of best times)'}")


if __name__ == "__main__":
    main(sys.argv[1:])
