"""How fast ``cc.load()`` is, in fresh processes: the bundled release, and a big fictional one.

* ``import pandas`` alone, then ``import caucasus_corpus as cc; cc.load()`` (the bundled
  release), each a whole ``python -c`` process; the target is at most 200 ms more than pandas;
* a generated release of ``--articles`` articles and ``--records`` annotation records (made-up
  text about Varnia and Ostrel, from the test builders in ``tests/support.py``; written in a
  temporary folder, never shipped), loaded in a fresh process: the first load checks every
  record against the JSON Schemas, later loads of the same bytes reuse that result (see
  :mod:`caucasus_corpus.release.checkcache`); the target is under 2 s with the files in the OS
  cache.

Each row is the median of ``--repeat`` processes, wall-clock seconds of the whole process and
the CPU seconds it used (user + system; steadier than the wall clock on a shared machine); the
check cache is a temporary folder. ``--keep DIR`` writes the generated release there (or reuses
the one already there) instead of a temporary folder, for profiling the same files again.

    python benchmarks/bench_load.py [--articles 1000] [--records 200000] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def write_big_release(root: Path, n_articles: int, n_records: int) -> Path:
    """A valid fictional release: each article is the fictional test text repeated, each
    repetition with the test records shifted onto it (ids made unique)."""
    sys.path.insert(0, str(REPO / "tests"))
    from support import FICTION_TEXT, fiction_records, write_release

    per_article = max(1, n_records // n_articles)
    base = fiction_records()
    reps = -(-per_article // len(base))
    texts, records = {}, {}
    for a in range(n_articles):
        aid = f"varnia-ostrel-{a:05d}"
        texts[aid] = FICTION_TEXT * reps
        recs = []
        for r in range(reps):
            shift = r * len(FICTION_TEXT)
            for rec in base:
                if len(recs) == per_article:
                    break
                new = dict(rec, id=f"{aid}-{r}-{rec['id']}", article_id=aid, start=rec["start"] + shift, end=rec["end"] + shift)
                if rec.get("cue"):
                    new["cue"] = dict(rec["cue"], start=rec["cue"]["start"] + shift, end=rec["cue"]["end"] + shift)
                recs.append(new)
        records[aid] = recs
    # check=False writes the records as given (the writer's own check of 200,000 records would
    # take minutes); the first load below checks them all.
    return write_release(root, texts=texts, records=records, check=False)


def _process(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one fresh ``python -c code`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(code: str, env: dict[str, str], repeat: int) -> tuple[float, float]:
    runs = [_process(code, env) for _ in range(repeat)]
    return statistics.median(w for w, _c in runs), statistics.median(c for _w, c in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="write the generated release here, or reuse the one already here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CAUCASUS_CORPUS_CHECK_CACHE": str(Path(tmp, "checked"))}
        rows = []
        pandas = _median("import pandas", env, args.repeat)
        first_bundled = _process("import caucasus_corpus as cc; cc.load()", env)
        bundled = _median("import caucasus_corpus as cc; cc.load()", env, args.repeat)
        rows += [("`import pandas`", pandas), ("`cc.load()` of the bundled release, first time (full schema check)", first_bundled),
                 ("`cc.load()` of the bundled release, again", bundled)]
        t0 = time.perf_counter()
        if args.keep and (args.keep / "datapackage.json").is_file():
            root = args.keep
        else:
            root = write_big_release(args.keep or Path(tmp, "big"), args.articles, args.records)
        made = time.perf_counter() - t0
        code = f"import caucasus_corpus as cc; c = cc.load({str(root)!r})"
        frames = code + "; print(len(c.articles), len(c.annotations))"
        first = _process(code, env)
        again = _median(code, env, args.repeat)
        with_frame = _median(frames, env, args.repeat)
        n = subprocess.run([sys.executable, "-c", frames], check=True, env=env, capture_output=True, text=True).stdout.split()
        rows += [(f"`cc.load()` of {int(n[0]):,} articles / {int(n[1]):,} records, first time (full schema check)", first),
                 ("the same release again (fresh process, files in the OS cache)", again),
                 (f"the same, and building `corpus.annotations` ({int(n[1]):,} rows)", with_frame)]
    print(f"\nmedians of {args.repeat} fresh processes; {os.cpu_count()} cores; release written in {made:.1f} s\n")
    print("| step | seconds | CPU seconds |\n|---|---|---|")
    for label, (wall, cpu) in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    print(f"| load of the bundled release minus `import pandas` | {bundled[0] - pandas[0]:+.2f} | {bundled[1] - pandas[1]:+.2f} |")
    print(json.dumps({"pandas": pandas, "bundled": bundled, "big first": first, "big again": again, "with frame": with_frame}))

if __name__ == "__main__":
    main()
