"""The ``## Data`` section of the changelog: one dated entry per data release."""

from __future__ import annotations

import re
from datetime import date

from ..errors import CorpusFormatError

_GENERATED = ("- Fingerprint: ", "- Data files added: ", "- Data files removed: ", "- Data files changed: ")


def _listing(paths: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"`{p}`" for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def update_changelog(text: str, *, version: str, fingerprint: str, day: date,
                     changes: dict[str, list[str]]) -> str:
    """``text`` with a dated entry for ``version`` in its ``## Data`` section.

    Notes written by hand under ``### Unreleased`` or ``### VERSION (unreleased)`` become that
    entry; the fingerprint and the list of data files that changed are added to it. Running it
    again for the same version replaces the generated lines, so a retried release does not
    duplicate them.

    >>> out = update_changelog("# C\\n\\n## Data\\n\\n### Unreleased\\n- Added a text.\\n\\n## Code\\n",
    ...     version="1.1.0", fingerprint="f" * 64, day=date(2030, 1, 2),
    ...     changes={"added": ["corpus/texts/a.txt"], "removed": [], "changed": []})
    >>> print(out)
    # C
    <BLANKLINE>
    ## Data
    <BLANKLINE>
    ### 1.1.0 (2030-01-02)
    - Added a text.
    - Fingerprint: `ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff`
    - Data files added: `corpus/texts/a.txt`
    <BLANKLINE>
    ## Code
    <BLANKLINE>
    """
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "## Data")
    except StopIteration:
        raise CorpusFormatError("CHANGELOG.md: no '## Data' section; add one (see RELEASING.md)") from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    pending = re.compile(rf"^### (Unreleased|{re.escape(version)}\s*\((unreleased|\d{{4}}-\d{{2}}-\d{{2}})\))\s*$", re.I)
    generated = [f"- Fingerprint: `{fingerprint}`"]
    for kind in ("added", "removed", "changed"):
        if changes[kind]:
            generated.append(f"- Data files {kind}: {_listing(changes[kind])}")
    heading = f"### {version} ({day.isoformat()})"

    at = next((i for i in range(start + 1, end) if pending.match(lines[i])), None)
    if at is None:
        first = next((i for i in range(start + 1, end) if lines[i].startswith("### ")), end)
        block = [heading, *generated, ""]
        if first == end and lines[end - 1].strip():
            block.insert(0, "")
        return "\n".join(lines[:first] + block + lines[first:]) + "\n"
    stop = next((i for i in range(at + 1, end) if lines[i].startswith("### ")), end)
    notes = [ln for ln in lines[at + 1:stop] if not ln.startswith(_GENERATED)]
    while notes and not notes[-1].strip():
        notes.pop()
    return "\n".join(lines[:at] + [heading, *notes, *generated, ""] + lines[stop:]) + "\n"
