"""Ours against NLTK (and conc) at corpus scale: tokenise, index, KWIC, frequency, memory.

A deterministic Zipf-like corpus of made-up words (fixed seed: 50,000 types, documents of about
600 tokens, sentences ending in full stops, some commas and capitals) is generated in memory.
Ours and NLTK 3 run in this one process on the same texts, garbage collector on, as users have
it; each step is the median of ``--repeat`` runs. Hit positions and counts are asserted equal.
Peak memory is measured in fresh child processes (``ru_maxrss`` above the process's size after
its imports). conc (a Polars concordancer) runs in its own virtual environment, never in ours:

    python -m venv /tmp/conc-venv && /tmp/conc-venv/bin/pip install conc==0.1.13 spacy

and is skipped when ``--conc-python`` does not exist. It tokenises with ``spacy.blank("en")``
(spaCy models cannot be downloaded offline), so its tokens differ slightly from ours; its times
are reported beside NLTK, not asserted equal.

    python benchmarks/bench_engine.py --tokens 1000000 [--repeat 3] [--conc-python /tmp/conc-venv/bin/python]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

SEED = 20261129
N_TYPES = 50_000
DOC_TOKENS = 600


def corpus_texts(n_tokens: int) -> dict[str, str]:
    """Deterministic texts of about ``n_tokens`` tokens (words, commas, full stops)."""
    rng = np.random.default_rng(SEED)
    syll = np.array(["ka", "ri", "mo", "ve", "sta", "lun", "dor", "pe", "shi", "an", "tel", "or", "gu", "zen", "bra"])
    pick = rng.integers(0, len(syll), size=(N_TYPES, 4))
    lens = rng.integers(1, 5, size=N_TYPES)
    words = np.array(["".join(syll[pick[i, : lens[i]]]) for i in range(N_TYPES)], dtype=object)
    words = np.array(list(dict.fromkeys(words)), dtype=object)  # distinct
    zipf = 1.0 / np.arange(1, len(words) + 1)
    zipf /= zipf.sum()
    n_words = int(n_tokens / 1.1)  # about one token in ten is punctuation
    draws = words[rng.choice(len(words), size=n_words, p=zipf)]
    sent_len = rng.integers(8, 25, size=n_words // 8 + 1)
    comma = rng.random(n_words) < 0.05
    capital = rng.random(n_words) < 0.03
    texts, doc, size, sent_left, s = {}, [], 0, sent_len[0], 0
    start_sentence = True
    for i, w in enumerate(draws.tolist()):
        if start_sentence or capital[i]:
            w = w.capitalize()
        start_sentence = False
        sent_left -= 1
        if sent_left == 0:
            w += "."
            s += 1
            sent_left = sent_len[s]
            start_sentence = True
        elif comma[i]:
            w += ","
        doc.append(w)
        size += 1
        if size >= DOC_TOKENS / 1.1 and start_sentence:
            texts[f"doc-{len(texts):06d}"] = " ".join(doc)
            doc, size = [], 0
    if doc:
        texts[f"doc-{len(texts):06d}"] = " ".join(doc) + "."
    return texts


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def nltk_tokens(texts: dict[str, str]) -> list[str]:
    from nltk.tokenize import RegexpTokenizer

    from caucasus_corpus.text import TOKEN_PATTERN

    tok = RegexpTokenizer(TOKEN_PATTERN)
    out: list[str] = []
    for t in texts.values():
        out.extend(tok.tokenize(t))
    return out


def pick_words(texts: dict[str, str]) -> dict[str, str]:
    """The most frequent word, and words near 888 and 30 hits per 10M tokens (scaled)."""
    import caucasus_corpus as cc

    freq = cc.from_texts(dict(list(texts.items())[: max(1, len(texts) // 10)])).frequency()
    scale = 10  # a tenth of the corpus was counted
    n_tok = sum(len(t.split()) for t in texts.values()) * 1.1
    want = {"mid": 888 * n_tok / 1e7 / scale, "rare": max(30 * n_tok / 1e7 / scale, 3)}
    out = {"frequent": str(freq["token"].iloc[0])}
    for name, target in want.items():
        out[name] = str(freq.iloc[(freq["n"] - target).abs().argsort().iloc[0]]["token"])
    return out


def run_ours(texts: dict[str, str], words: dict[str, str], repeat: int) -> dict[str, object]:
    import caucasus_corpus as cc

    r: dict[str, object] = {}
    t0 = time.perf_counter()
    corpus = cc.from_texts(texts)
    len(corpus.engine)
    r["build"] = time.perf_counter() - t0
    r["cold first query"] = timed(lambda: corpus.kwic(words["rare"]), 1)[0]
    # The first frequency list ranks the folded vocabulary (made once per engine; folding it was
    # done by the first query); the median below is of later calls.
    r["first frequency"] = timed(lambda: corpus.frequency(kinds=("word", "number", "punct")), 1)[0]
    corpus.engine._order  # noqa: B018  (the positions sorted by type: the first queries scan instead)
    # The first query with many hits makes the flat text the contexts are cut from (once per engine).
    r["first kwic frequent"] = timed(lambda: corpus.kwic(words["frequent"], window=5), 1)[0]
    for name, w in words.items():
        r[f"kwic {name}"], hits = timed(lambda w=w: corpus.kwic(w, window=5), repeat)
        r[f"hits {name}"] = [int(x) for x in corpus.engine.find([w], match="exact", case=False)]
        r[f"rows {name}"] = len(hits)
    r["kwic frequent sorted"] = timed(lambda: corpus.kwic(words["frequent"], window=5, sort="R1,L1"), repeat)[0]
    r["frequency"], freq = timed(lambda: corpus.frequency(kinds=("word", "number", "punct")), repeat)
    r["freq top"] = {str(t): int(n) for t, n in zip(freq["token"].head(20), freq["n"].head(20))}
    r["collocates"] = timed(lambda: corpus.collocates(words["mid"]), repeat)[0]
    r["tokens frame"] = timed(lambda: len(corpus.tokens), 1)[0]
    return r


def run_nltk(texts: dict[str, str], words: dict[str, str], repeat: int) -> dict[str, object]:
    from nltk import FreqDist
    from nltk.text import ConcordanceIndex

    r: dict[str, object] = {}
    t0 = time.perf_counter()
    tokens = nltk_tokens(texts)
    r["tokenise"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = ConcordanceIndex(tokens, key=str.lower)
    r["index"] = time.perf_counter() - t0
    r["build"] = r["tokenise"] + r["index"]
    r["cold first query"] = timed(lambda: index.find_concordance(words["rare"], width=80), 1)[0]
    for name, w in words.items():
        n = len(index.offsets(w))
        r[f"kwic {name}"] = timed(lambda w=w, n=n: index.find_concordance(w, width=80)[:n], repeat)[0]
        r[f"hits {name}"] = index.offsets(w)
    r["frequency"], fd = timed(lambda: FreqDist(t.lower() for t in tokens), repeat)
    r["freq top"] = dict(fd.most_common(20))
    r["n tokens"] = len(tokens)
    return r


def memory_child(side: str, n_tokens: int, words_json: str) -> None:
    """In a fresh process: peak RSS growth for corpus + index + one frequent-word query."""
    import caucasus_corpus as cc  # noqa: F401  (imports are part of the baseline)
    import nltk.text  # noqa: F401
    import pandas  # noqa: F401

    texts = corpus_texts(n_tokens)
    words = json.loads(words_json)
    gc.collect()
    # Reset the peak (VmHWM) to the current size, so generating the texts does not count.
    Path("/proc/self/clear_refs").write_text("5")
    base = _status_kb("VmRSS")
    if side == "ours":
        corpus = cc.from_texts(texts)
        corpus.kwic(words["frequent"], window=5)
    else:
        from nltk.text import ConcordanceIndex

        index = ConcordanceIndex(nltk_tokens(texts), key=str.lower)
        index.find_concordance(words["frequent"], width=80)
    print(json.dumps({"peak_mb": (_status_kb("VmHWM") - base) / 1024}))


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def memory(side: str, n_tokens: int, words: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, __file__, "--memory-child", side, "--tokens", str(n_tokens),
                          "--words", json.dumps(words)], capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["peak_mb"])


CONC_SCRIPT = r"""
import sys, time, json, csv, os, tempfile, spacy
_blank = lambda *a, **k: spacy.blank("en")   # offline: the same rule-based English tokenizer
spacy.load = _blank
import spacy.language
spacy.language.Language.disable_pipes = lambda self, *a, **k: None
spacy.language.Language.select_pipes = lambda self, *a, **k: None
from conc.corpus import Corpus
from conc.conc import Conc
from conc.frequency import Frequency
texts = json.load(open(sys.argv[1])); words = json.loads(sys.argv[2])
d = tempfile.mkdtemp()
src = os.path.join(d, "texts.csv")
with open(src, "w", newline="", encoding="utf8") as f:
    w = csv.writer(f); w.writerow(["text"]); w.writerows([[t] for t in texts.values()])
t0 = time.perf_counter()
corpus = Corpus("bench").build_from_csv(src, os.path.join(d, "built"), text_column="text")
r = {"build": time.perf_counter() - t0}
conc = Conc(corpus)
t0 = time.perf_counter(); conc.concordance(words["rare"], context_length=5, page_size=10**9)
r["cold first query"] = time.perf_counter() - t0
for name, w in words.items():
    conc.concordance(w, context_length=5, page_size=10**9)
    t0 = time.perf_counter(); conc.concordance(w, context_length=5, page_size=10**9)
    r["kwic " + name] = time.perf_counter() - t0
t0 = time.perf_counter(); Frequency(corpus).frequencies(page_size=10**9); r["frequency"] = time.perf_counter() - t0
print(json.dumps(r))
"""


def reopen_child(n_tokens: int, word: str) -> None:
    """In a fresh process: from_texts + index (from the saved one when there is one) + a query.

    The timed step includes importing pandas (``import caucasus_corpus`` does not import it;
    ``from_texts`` does), as a user's first cell pays it; it is also reported on its own."""
    import caucasus_corpus as cc

    texts = corpus_texts(n_tokens)
    t0 = time.perf_counter()
    import pandas  # noqa: F401  (what from_texts would import first)

    t1 = time.perf_counter()
    corpus = cc.from_texts(texts)
    corpus.kwic(word)
    print(json.dumps({"seconds": time.perf_counter() - t0, "pandas": t1 - t0, "saved": str(corpus.engine.cache_path)}))


def reopen(n_tokens: int, word: str, repeat: int = 1) -> tuple[float, float, float]:
    """(first open: build and save the index, second open: from the saved index, the second
    open's seconds importing pandas), fresh processes; the second open is the median of
    ``repeat`` runs."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CAUCASUS_CORPUS_INDEX_CACHE": cache}
        runs = []
        for _ in range(1 + repeat):
            out = subprocess.run([sys.executable, __file__, "--reopen-child", word, "--tokens", str(n_tokens)],
                                 capture_output=True, text=True, check=True, env=env)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        again = sorted(runs[1:], key=lambda r: r["seconds"])[len(runs[1:]) // 2]
        return runs[0]["seconds"], again["seconds"], again["pandas"]


def run_conc(conc_python: str, texts: dict[str, str], words: dict[str, str]) -> dict[str, float] | str:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "texts.json")
        data.write_text(json.dumps(texts))
        script = Path(tmp, "conc_bench.py")
        script.write_text(CONC_SCRIPT)
        p = subprocess.run([conc_python, str(script), str(data), json.dumps(words)], capture_output=True, text=True)
        if p.returncode:
            return "failed: " + (p.stderr.strip().splitlines() or ["?"])[-1]
        return json.loads(p.stdout.strip().splitlines()[-1])


def print_reopen(n_tokens: int, words: dict[str, str], repeat: int) -> None:
    first_open, second_open, pandas_import = reopen(n_tokens, words["rare"], repeat)
    print(f"| open corpus: from_texts + index + first query, fresh process: building and saving the index | {fmt(first_open)} | | | |")
    print(f"| the same, reopening the saved, memory-mapped index (median of {repeat}; {fmt(pandas_import)} of it "
          f"importing pandas) | {fmt(second_open)} | | | |")


def cold(texts: dict[str, str], words: dict[str, str], repeat: int) -> None:
    """Build + first query, ours then NLTK, ``repeat`` times each in this process."""
    import caucasus_corpus as cc
    from nltk.text import ConcordanceIndex

    for _ in range(repeat):
        t0 = time.perf_counter()
        corpus = cc.from_texts(texts)
        len(corpus.engine)
        corpus.kwic(words["rare"])
        ours = time.perf_counter() - t0
        del corpus
        t0 = time.perf_counter()
        ConcordanceIndex(nltk_tokens(texts), key=str.lower).find_concordance(words["rare"], width=80)
        nltk = time.perf_counter() - t0
        print(f"cold: build + first query: ours {fmt(ours)}, NLTK {fmt(nltk)}, NLTK / ours {nltk / ours:.1f}", flush=True)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--conc-python", default="/tmp/conc-venv/bin/python")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--memory-child", choices=["ours", "nltk"])
    ap.add_argument("--words")
    ap.add_argument("--reopen-child")
    ap.add_argument("--only", choices=["reopen", "cold"],
                    help="only the reopen rows, or only build + first query (ours and NLTK)")
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.tokens, args.words)
        return
    if args.reopen_child:
        reopen_child(args.tokens, args.reopen_child)
        return

    # Builds are timed without saving the index (the reopen rows below time saving and reopening).
    os.environ["CAUCASUS_CORPUS_INDEX_CACHE"] = "off"
    texts = corpus_texts(args.tokens)
    words = pick_words(texts)
    if args.only == "reopen":
        print_reopen(args.tokens, words, args.repeat)
        return
    if args.only == "cold":
        cold(texts, words, args.repeat)
        return
    ours = run_ours(texts, words, args.repeat)
    nltk = run_nltk(texts, words, args.repeat)
    n_tok = nltk["n tokens"]
    for name in words:
        assert ours[f"hits {name}"] == nltk[f"hits {name}"], f"hits differ for {name} word {words[name]!r}"
        assert ours[f"rows {name}"] == len(nltk[f"hits {name}"])
    assert ours["freq top"] == nltk["freq top"], "frequency lists differ"
    conc = run_conc(args.conc_python, texts, words) if Path(args.conc_python).exists() else "not installed"

    rows = [
        ("tokenise + index (build)", "build"),
        ("cold: build + first query", None),
        (f"warm KWIC, frequent word {words['frequent']!r} ({len(nltk['hits frequent']):,} hits)", "kwic frequent"),
        (f"warm KWIC, mid word {words['mid']!r} ({len(nltk['hits mid']):,} hits)", "kwic mid"),
        (f"warm KWIC, rare word {words['rare']!r} ({len(nltk['hits rare']):,} hits)", "kwic rare"),
        ("frequency list vs FreqDist", "frequency"),
    ]
    print(f"\n{n_tok:,} tokens, {len(texts):,} documents; medians of {args.repeat} runs; gc on\n")
    print(f"| step | ours | NLTK {__import__('nltk').__version__} | NLTK / ours | conc 0.1.13 |")
    print("|---|---|---|---|---|")
    for label, key in rows:
        if key is None:
            o = ours["build"] + ours["cold first query"]
            n = nltk["build"] + nltk["cold first query"]
            c = conc["build"] + conc["cold first query"] if isinstance(conc, dict) else None
        else:
            o, n = ours[key], nltk[key]
            c = conc.get(key) if isinstance(conc, dict) else None
        print(f"| {label} | {fmt(o)} | {fmt(n)} | {n / o:,.1f} | {fmt(c) if c is not None else '-'} |")
    print(f"| frequency list, first call (ranks the vocabulary once; ours only) | {fmt(ours['first frequency'])} | | | |")
    print(f"| first KWIC of the frequent word on an engine: makes the flat text (ours only) | {fmt(ours['first kwic frequent'])} | | | |")
    print(f"| KWIC frequent word sorted R1,L1 (ours only) | {fmt(ours['kwic frequent sorted'])} | | | |")
    print(f"| collocates of the mid word (ours only) | {fmt(ours['collocates'])} | | | |")
    print(f"| materialising corpus.tokens (ours only, on demand) | {fmt(ours['tokens frame'])} | | | |")
    if not args.no_memory:
        gc.collect()
        mo, mn = memory("ours", args.tokens, words), memory("nltk", args.tokens, words)
        print(f"| peak memory above baseline: corpus + index + one query | {mo:,.0f} MB | {mn:,.0f} MB | {mn / mo:,.1f} | |")
    print_reopen(args.tokens, words, args.repeat)
    if not isinstance(conc, dict):
        print(f"\nconc: {conc}")
    print(f"\nwords: {words}; machine: {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
