"""How fast ``cc.load()`` is, in fresh processes: the bundled release, and a big fictional one.

* ``import pandas`` alone, then ``import caucasus_corpus as cc; cc.load()`` (the bundled
  release), each a whole ``python -c`` process; the target is at most 200 ms more than pandas;
* a generated release of ``--articles`` articles and ``--records`` annotation records (made-up
  text about Varnia and Ostrel, from the test builders in ``tests/support.py``; written in a
  temporary folder, never shipped), loaded in a fresh process: the first load checks every
  record against the JSON Schemas, later loads of the same bytes reuse that result (see
  :mod:`caucasus_corpus.release.checkcache`); the target is under 2 s with the files in the OS
  cache.

Each row is the median of ``--repeat`` processes; the check cache is a temporary folder.

    python benchmarks/bench_load.py [--articles 1000] [--records 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
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


def _process(code: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CAUCASUS_CORPUS_CHECK_CACHE": str(Path(tmp, "checked"))}
        rows = []
        pandas = statistics.median(_process("import pandas", env) for _ in range(args.repeat))
        first_bundled = _process("import caucasus_corpus as cc; cc.load()", env)
        bundled = statistics.median(_process("import caucasus_corpus as cc; cc.load()", env) for _ in range(args.repeat))
        rows += [("`import pandas`", pandas), ("`cc.load()` of the bundled release, first time (full schema check)", first_bundled),
                 ("`cc.load()` of the bundled release, again", bundled)]
        t0 = time.perf_counter()
        root = write_big_release(Path(tmp, "big"), args.articles, args.records)
        made = time.perf_counter() - t0
        code = f"import caucasus_corpus as cc; c = cc.load({str(root)!r})"
        frames = code + "; print(len(c.articles), len(c.annotations))"
        first = _process(code, env)
        again = statistics.median(_process(code, env) for _ in range(args.repeat))
        with_frame = statistics.median(_process(frames, env) for _ in range(args.repeat))
        n = subprocess.run([sys.executable, "-c", frames], check=True, env=env, capture_output=True, text=True).stdout.split()
        rows += [(f"`cc.load()` of {int(n[0]):,} articles / {int(n[1]):,} records, first time (full schema check)", first),
                 ("the same release again (fresh process, files in the OS cache)", again),
                 ("the same, and building `corpus.annotations` (200,000 rows)", with_frame)]
    print(f"\nmedians of {args.repeat} fresh processes; {os.cpu_count()} cores; release written in {made:.1f} s\n")
    print("| step | seconds |\n|---|---|")
    for label, s in rows:
        print(f"| {label} | {s:.2f} |")
    print(f"| load of the bundled release minus `import pandas` | {bundled - pandas:+.2f} |")
    print(json.dumps({"pandas": pandas, "bundled": bundled, "big first": first, "big again": again, "with frame": with_frame}))


if __name__ == "__main__":
    main()
