"""How fast sharing without texts is: publish, hydrate from a folder, and re-anchoring.

* a generated release of ``--articles`` articles and ``--records`` records (made-up text about
  Varnia and Ostrel, the builder of ``bench_load.py``; written in a temporary folder, never
  shipped): the checker's first full pass over it, then ``publish`` into a new folder twice (the
  first publish includes the checker's first full pass over the published folder; the second
  publishes the same bytes again, so the checker remembers them), then ``hydrate`` from a folder
  of the texts into two copies of the published folder (the first includes the checker's first
  full pass over the published folder);
* re-anchoring ``--anchor-records`` records in one article of ``--anchor-chars`` characters (an
  invented text of numbered words, so that every quote occurs once) after one paragraph is
  inserted and one deleted: the time of ``reanchor`` alone, and how many records came out exact,
  relocated, ambiguous and lost.

Targets (issue 23): publish and hydrate under 10 s each, not counting the checker's first full
pass; re-anchoring under 1 s. Wall-clock and CPU seconds of this process (on a shared machine the
CPU seconds are the steadier measure; writes wait for the disk: every file is fsync'ed by the
commit protocol); the check cache is a temporary folder.

Peers, measured in the same run on the same data (``peer / ours``: the peer's wall-clock over
ours; above 1, ours is faster):

* re-anchoring: ``difflib.SequenceMatcher`` over the words of the old and the new text (the usual
  way tools move offsets after an edit), each record's start and end moved with the word that
  holds them and kept where the moved span reads the same. The peer is given the old text, which re-anchoring never sees (it has only the
  hashes of the withheld records); where both place a record they must place it at the same
  offset (asserted);
* publish and hydrate: ``shutil.copytree`` of the same release folder (publish) and of the
  hydrated folder (hydrate): a floor, what copying the bytes costs (without fsync, without checks).

    python benchmarks/bench_share.py [--articles 1000] [--records 200000] [--anchor-chars 50000] [--anchor-records 1000]
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _timed(label: str, rows: list[tuple[str, float, float]], fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    rows.append((label, time.perf_counter() - t0, time.process_time() - c0))
    print(f"{label}: {rows[-1][1]:.2f} s ({rows[-1][2]:.2f} s CPU)", file=sys.stderr)
    return out


def invented_article(n_chars: int, rng: random.Random) -> str:
    """Paragraphs of made-up words, each word carrying a running number (never a real text)."""
    syllables = ["var", "nos", "tel", "ka", "rim", "os", "dun", "ase", "pell", "kes"]
    words, paragraphs, size, i = [], [], 0, 0
    while size < n_chars:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) + str(i)
        i += 1
        words.append(word)
        size += len(word) + 1
        if len(words) == 60:
            paragraphs.append(" ".join(words))
            words = []
    paragraphs.append(" ".join(words))
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def difflib_reanchor(records: list[dict], old: str, new: str) -> list[int | None]:  # type: ignore[type-arg]
    """Peer: each record's new start by a word-level SequenceMatcher of the old text to the new
    (None where a word it spans was changed, or the moved span does not read the same)."""
    import difflib
    import re

    a = [(m.start(), m.end()) for m in re.finditer(r"\S+", old)]
    b = [(m.start(), m.end()) for m in re.finditer(r"\S+", new)]
    where = {}  # old word index -> new word index, for words in an equal block
    matcher = difflib.SequenceMatcher(None, [old[s:e] for s, e in a], [new[s:e] for s, e in b], autojunk=False)
    for i, j, n in matcher.get_matching_blocks():
        for k in range(n):
            where[i + k] = j + k
    starts = [s for s, _e in a]
    out: list[int | None] = []
    for rec in records:
        first = bisect.bisect_right(starts, rec["start"]) - 1
        last = bisect.bisect_right(starts, rec["end"] - 1) - 1
        if first < 0 or first not in where or last not in where:
            out.append(None)
            continue
        s = b[where[first]][0] + rec["start"] - a[first][0]
        e = b[where[last]][0] + rec["end"] - a[last][0]
        out.append(s if new[s:e] == old[rec["start"]:rec["end"]] else None)
    return out


def bench_reanchor(n_chars: int, n_records: int, rows: list[tuple[str, float, float]]) -> dict[str, int]:
    from caucasus_corpus.release.withheld import withhold_record
    from caucasus_corpus.sharing import reanchor

    rng = random.Random(23)
    text = invented_article(n_chars, rng)
    starts = sorted(rng.sample(range(len(text) - 40), n_records))
    records, spans = [], []
    for k, s in enumerate(starts):
        while s > 0 and text[s - 1] not in " \n":
            s -= 1
        e = s + rng.randint(5, 40)
        while e < len(text) and text[e] not in " \n":
            e += 1
        spans.append({"start": s, "end": e})
        records.append(withhold_record({"id": f"r{k}", "start": s, "end": e, "text": text[s:e]}, text))
    paragraphs = text.split("\n\n")
    inserted = invented_article(400, random.Random(7)).strip().replace("0", "x")  # words of its own
    paragraphs.insert(len(paragraphs) // 3, inserted)
    del paragraphs[2 * len(paragraphs) // 3]
    changed = "\n\n".join(paragraphs)
    places = _timed(f"re-anchoring {n_records:,} records in one {len(text):,}-character article "
                    "(one paragraph inserted, one deleted)", rows, reanchor, records, changed)
    peer = _timed("peer: difflib.SequenceMatcher over words (given the old text)", rows,
                  difflib_reanchor, spans, text, changed)
    both = [(p.start, q) for p, q in zip(places, peer) if p.start is not None and q is not None]
    assert all(p == q for p, q in both), "difflib and re-anchoring place a record differently"
    counts: dict[str, int] = {"placed by difflib": sum(q is not None for q in peer), "placed by both": len(both)}
    for rec, p in zip(records, places):
        counts[p.status] = counts.get(p.status, 0) + 1
        if p.start is not None and changed[p.start:p.start + rec["text_length"]] != text[rec["start"]:rec["end"]]:
            counts["misplaced (must be 0)"] = counts.get("misplaced (must be 0)", 0) + 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--anchor-chars", type=int, default=50_000)
    ap.add_argument("--anchor-records", type=int, default=1000)
    args = ap.parse_args()
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CAUCASUS_CORPUS_CHECK_CACHE"] = str(Path(tmp, "checked"))
        sys.path.insert(0, str(REPO / "benchmarks"))
        from bench_load import write_big_release

        from caucasus_corpus.release.check import check_release
        from caucasus_corpus.release.manifest import read_manifest
        from caucasus_corpus.sharing import hydrate, publish

        counts = bench_reanchor(args.anchor_chars, args.anchor_records, rows)
        root = Path(tmp, "big")
        t0 = time.perf_counter()
        write_big_release(root, args.articles, args.records)
        print(f"release written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        _timed("the checker's first full pass over the release", rows, check_release, read_manifest(root), remembered=True)
        _timed("publish, first time (with the checker's first full pass over the published folder)", rows,
               publish, Path(tmp, "out-1"), path=root)
        result = _timed("publish again (the same bytes: the checker remembers them)", rows, publish, Path(tmp, "out-2"), path=root)
        _timed("floor: shutil.copytree of the same release folder", rows, shutil.copytree, root, Path(tmp, "floor-publish"))
        texts = Path(tmp, "texts")
        shutil.copytree(root / "corpus" / "texts", texts)
        shutil.copytree(result.path, Path(tmp, "copy"))
        first = _timed("hydrate from a folder (the published bytes were checked in full by the first publish)", rows,
                       hydrate, Path(tmp, "out-1"), from_dir=texts, progress=False)
        again = _timed("hydrate from a folder, again (another copy of the same published folder)", rows,
                       hydrate, Path(tmp, "copy"), from_dir=texts, progress=False)
        _timed("floor: shutil.copytree of the hydrated folder", rows, shutil.copytree, Path(tmp, "copy"), Path(tmp, "floor-hydrate"))
        assert first.exact and again.exact
        n_records = len(again.rows)
    print(f"\n{args.articles:,} articles, {n_records:,} records; {os.cpu_count()} cores; re-anchoring: "
          + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + "\n")
    peers = {label: (seconds, cpu) for label, seconds, cpu in rows if label.startswith(("peer", "floor"))}
    peer_of = {"re-anchoring": "peer: difflib.SequenceMatcher over words (given the old text)",
               "publish": "floor: shutil.copytree of the same release folder",
               "hydrate": "floor: shutil.copytree of the hydrated folder"}
    print("| step | seconds | CPU seconds | peer | peer seconds | peer / ours |\n|---|---|---|---|---|---|")
    for label, seconds, cpu in rows:
        if label in peers:
            continue
        peer = next((p for k, p in peer_of.items() if label.startswith(k)), None)
        if peer is None:
            print(f"| {label} | {seconds:.2f} | {cpu:.2f} | - | - | - |")
        else:
            print(f"| {label} | {seconds:.2f} | {cpu:.2f} | {peer.split(': ', 1)[1]} | {peers[peer][0]:.2f} | "
                  f"{peers[peer][0] / seconds:.3g} |")


if __name__ == "__main__":
    main()
