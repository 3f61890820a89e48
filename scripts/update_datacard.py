"""Rewrite the generated blocks of the data card (corpus/README.md) from the data.

Usage (from the top of the checkout):  python scripts/update_datacard.py [--rehash] [RELEASE_FOLDER]

The counts are taken from the data as it is now, even when files changed since the manifest was
last written. The card is itself a data file listed in datapackage.json: `caucasus-corpus release
--bump ...` records it with everything else; pass --rehash to re-hash the manifest now instead
(the data version is left alone).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from caucasus_corpus.release import build_descriptor, load, manifest_json, staged, transaction
from caucasus_corpus.release.datacard import DATACARD, update_datacard
from caucasus_corpus.release.layout import MANIFEST_NAME


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--rehash", action="store_true", help="re-hash datapackage.json afterwards")
    args = parser.parse_args(argv)
    root = Path(args.root)
    with staged(root) as stage:
        corpus = load(stage)
        card = root / DATACARD
        old = card.read_text(encoding="utf-8")
        new = update_datacard(old, corpus)
    # One commit for the card and (with --rehash) the manifest, so that the two never disagree.
    with transaction(root) as txn:
        if new != old:
            txn.write_text(DATACARD, new)
        if args.rehash:
            current = json.loads(txn.read_bytes(MANIFEST_NAME) or b"{}")
            desc = build_descriptor(root, base=current, version=current["version"], view=txn)
            txn.write_text(MANIFEST_NAME, manifest_json(desc))
    print(f"{card}: generated blocks updated" if new != old else f"{card}: already matches the data")
    if args.rehash:
        print(f"{root / MANIFEST_NAME}: re-hashed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
