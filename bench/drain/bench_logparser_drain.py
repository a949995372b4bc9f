#!/usr/bin/env python3
"""Speed of the reference Python Drain of the Loghub benchmark (logpai/logparser,
logparser/Drain/Drain.py: the implementation behind Drain's published GA), for
`npm run bench:loghub` with DRAIN_REF=DIR. Drain.py is not part of this repository: DIR must hold
it (a checkout's logparser/Drain/Drain.py), and it imports pandas and regex.

  python3 bench/drain/bench_logparser_drain.py --lines FILE [--reps N]

Times Drain untuned (rex=[], depth=4, st=0.4: LogParser's defaults, the configuration that asks
nothing of the data) on the lines of FILE (one per line, split on \\n only) two ways, best of N
(default 1), in CPU seconds of this process (time.process_time):
  loop:  its per-line loop alone over a Python list (preprocess, treeSearch, then
         addSeqToPrefixTree or getTemplate, exactly as LogParser.parse does per line), with no
         pandas, no file reading and no output: the most favourable measure of Drain;
  parse: LogParser.parse on a file of those lines with log_format '<Content>', as the Loghub
         benchmark runs it (reading into pandas, iterrows, writing the structured CSV).
Prints one JSON object {"lines", "clusters", "loop_lps_cpu", "parse_lps_cpu"}; --no-parse skips
the second (it takes minutes on a million lines).
"""
import json
import os
import shutil
import sys
import tempfile
import time

from Drain import Logcluster, LogParser, Node  # noqa: E402  (found through PYTHONPATH)


def loop_once(lines):
    parser = LogParser("<Content>", rex=[])
    root, clusters = Node(), []
    c0 = time.process_time()
    for log_id, content in enumerate(lines, 1):
        seq = parser.preprocess(content).strip().split()
        match = parser.treeSearch(root, seq)
        if match is None:
            cluster = Logcluster(logTemplate=seq, logIDL=[log_id])
            clusters.append(cluster)
            parser.addSeqToPrefixTree(root, cluster)
        else:
            template = parser.getTemplate(seq, match.logTemplate)
            match.logIDL.append(log_id)
            if " ".join(template) != " ".join(match.logTemplate):
                match.logTemplate = template
    return time.process_time() - c0, len(clusters)


def parse_once(lines):
    work = tempfile.mkdtemp(prefix="drain-ref-")
    try:
        with open(os.path.join(work, "lines.log"), "w", encoding="utf-8") as f:
            f.write("".join(f"{l}\n" for l in lines))
        parser = LogParser("<Content>", indir=work, outdir=os.path.join(work, "out"), rex=[])
        devnull = open(os.devnull, "w")
        stdout, sys.stdout = sys.stdout, devnull  # parse() prints progress
        try:
            c0 = time.process_time()
            parser.parse("lines.log")
            return time.process_time() - c0
        finally:
            sys.stdout = stdout
            devnull.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    if "--lines" not in argv:
        sys.exit(__doc__)
    path = argv[argv.index("--lines") + 1]
    reps = int(argv[argv.index("--reps") + 1]) if "--reps" in argv else 1
    if reps < 1:
        sys.exit("--reps must be at least 1")
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    loop = min(loop_once(lines) for _ in range(reps))
    out = {"lines": len(lines), "clusters": loop[1], "loop_lps_cpu": len(lines) / loop[0]}
    if "--no-parse" not in argv:
        out["parse_lps_cpu"] = len(lines) / min(parse_once(lines) for _ in range(reps))
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
