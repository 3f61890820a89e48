"""Take a snapshot of what the package does on the bundled release, and compare two snapshots.

For changes that must not change behaviour (a restructuring, a faster engine): take a snapshot
with the old code and one with the new, then compare them.

    python scripts/behaviour_snapshot.py take OUT_DIR [--no-notebooks]
    python scripts/behaviour_snapshot.py compare OLD_DIR NEW_DIR

A snapshot holds the output of `caucasus-corpus info`, `validate`, `diff` and a set of `kwic`
queries; the public DataFrames and texts (articles, tokens, every annotation layer, kwic, frequency,
collocates, dispersion, the annotation tables, citations, a corpus from your own texts); and every
notebook's outputs, executed top to bottom. Paths of the checkout and widget model ids are
normalised, so two checkouts in different folders compare equal. To snapshot an older commit,
check it out in a git worktree and run this script with PYTHONPATH=WORKTREE/src.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

KWIC_QUERIES = [
    ["Russia"], ["Putin", "--window", "1"], ["VAK", "--sort", "R1,L1"], ["Nagorno-Karabakh conflict"],
    ["Russia*", "--match", "glob"], ["Az.*", "--match", "regex", "--speaker", "Hadjiev"],
    ["the", "--layer", "claim"], ["the", "--window", "0"], ["(", "--match", "regex"],
]


def _normalise(text: str, repo: str) -> str:
    text = text.replace(repo, "<REPO>")
    text = re.sub(r'"model_id": "[0-9a-f]+"', '"model_id": "<ID>"', text)
    return re.sub(r"\b[0-9a-f]{32}\b", "<ID>", text)


def _cli(args: list[str], repo: str) -> str:
    p = subprocess.run([sys.executable, "-m", "caucasus_corpus", *args], capture_output=True, text=True, timeout=600)
    return _normalise(f"exit {p.returncode}\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}", repo)


def _api() -> dict[str, object]:
    import pandas as pd

    import caucasus_corpus as cc

    try:
        from caucasus_corpus.release import validate
    except ImportError:  # code from before the release subpackage
        from caucasus_corpus.validation import validate  # type: ignore[no-redef]

    c = cc.load()
    out: dict[str, object] = {name: getattr(c, name) for name in (
        "articles", "tokens", "annotations", "mentions", "claims", "threats", "stance", "actors", "topics")}
    out.update({
        "kwic": pd.DataFrame(c.kwic("Russia", window=3, sort="R1")),
        "kwic speaker": pd.DataFrame(c.kwic("Russia*", match="glob", speaker="Hadjiev")),
        "kwic layer": pd.DataFrame(c.kwic("said", layer="claim")),
        "frequency": c.frequency(), "frequency by article": c.frequency(by="article"),
        "frequency by speaker": c.frequency(by="speaker", stopwords="en"),
        "collocates": c.collocates("Russia", window=3), "dispersion": c.dispersion(["Russia", "Azerbaijan"]),
        "claim_frequency": c.claim_frequency(by=["speaker", "attribution"]), "stance_matrix": c.stance_matrix(),
        "threat_table": c.threat_table(), "speaker_profile": c.speaker_profile("Putin"),
        "citations": [c.cite(style=s) for s in ("bibtex", "apa", "cff")],
        "validate": [str(p) for p in validate()],
    })
    mine = cc.from_texts({"a-1": "Pell Andor visited Ostrel. Ostrel replied.", "b-2": "Kesa Rimm went to Ostrel."})
    out["own texts kwic"] = pd.DataFrame(mine.kwic("Ostrel"))
    out["own texts frequency"] = mine.frequency()
    return out


def _notebooks(repo: Path) -> dict[str, str]:
    import nbformat
    from nbclient import NotebookClient

    out = {}
    for path in sorted((repo / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        outputs = [cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"]
        out[path.name] = _normalise(json.dumps(outputs, sort_keys=True, indent=1), str(repo))
    return out


def take(folder: Path, *, notebooks: bool) -> None:
    import caucasus_corpus as cc

    repo = cc.load().root
    assert repo is not None
    folder.mkdir(parents=True, exist_ok=True)
    cli = {"info": ["info"], "validate": ["validate"], "diff": ["diff", str(repo), str(repo)]}
    cli.update({"kwic " + " ".join(q): ["kwic", *q] for q in KWIC_QUERIES})
    (folder / "cli.json").write_text(json.dumps({k: _cli(v, str(repo)) for k, v in cli.items()}, indent=1), encoding="utf-8")
    with open(folder / "api.pkl", "wb") as f:
        pickle.dump(_api(), f)
    if notebooks:
        (folder / "notebooks.json").write_text(json.dumps(_notebooks(repo), indent=1), encoding="utf-8")
    print(f"snapshot of {repo} written to {folder}")


def compare(old: Path, new: Path) -> int:
    import pandas as pd

    differences = []
    for name in ("cli.json", "notebooks.json"):
        if (old / name).exists() and (new / name).exists():
            a, b = (json.loads((d / name).read_text(encoding="utf-8")) for d in (old, new))
            differences += [f"{name}: {k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    with open(old / "api.pkl", "rb") as f:
        a = pickle.load(f)
    with open(new / "api.pkl", "rb") as f:
        b = pickle.load(f)
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if isinstance(x, pd.DataFrame) and isinstance(y, pd.DataFrame):
            try:
                pd.testing.assert_frame_equal(x, y, check_exact=True)
            except AssertionError as exc:
                differences.append(f"api: {key}: {str(exc).splitlines()[0]}")
        elif x != y:
            differences.append(f"api: {key}")
    for d in differences:
        print(d)
    print(f"{len(differences)} difference(s)" if differences else "no differences")
    return 1 if differences else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("take")
    p.add_argument("folder", type=Path)
    p.add_argument("--no-notebooks", action="store_true")
    p = sub.add_parser("compare")
    p.add_argument("old", type=Path)
    p.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    if args.command == "take":
        take(args.folder, notebooks=not args.no_notebooks)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
