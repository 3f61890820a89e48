"""``speaker_dashboard``: everything the annotations say about one actor, with a plot."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import ipywidgets as w
import pandas as pd

from .. import _html
from ..analysis.tables import actor_records
from ..model.protocol import require_annotations
from ..vocab import ATTRIBUTIONS, CLAIM_TYPES
from ._common import actor_names, who

if TYPE_CHECKING:
    from ..model.protocol import CorpusLike as Corpus



def speaker_tables(corpus: Corpus, actor_id: str) -> dict[str, pd.DataFrame]:
    """The records about one actor, as frames (what the dashboard shows).

    Keys: ``mentions`` (the actor's mentions), ``mention_forms`` (how often each surface form
    occurs), ``claims`` (claims the actor makes), ``claims_by_type`` (claim_type x attribution
    counts, every type and attribution listed), ``threats_made``, ``threats_received``,
    ``stance_held`` (the actor as holder) and ``stance_received`` (the actor as target).
    """
    rec = actor_records(corpus, actor_id)
    mentions, claims = rec["mentions"], rec["claims"]
    forms = mentions.groupby(["text", "form"]).size().rename("n").reset_index().sort_values(
        ["n", "text"], ascending=[False, True], ignore_index=True)
    by_type = (
        pd.crosstab(pd.Categorical(claims["claim_type"].astype(str), categories=CLAIM_TYPES),
                    pd.Categorical(claims["attribution"].astype(str), categories=ATTRIBUTIONS), dropna=False)
        .rename_axis(index="claim_type", columns="attribution")
    )
    return {
        "mentions": mentions,
        "mention_forms": forms,
        "claims": claims,
        "claims_by_type": by_type,
        **{k: rec[k] for k in ("threats_made", "threats_received", "stance_held", "stance_received")},
    }


def claims_plot_png(by_type: pd.DataFrame, title: str) -> bytes:
    """A horizontal stacked bar chart of claims by type and attribution, as PNG bytes."""
    # A bare Figure (no pyplot) draws off-screen and leaves the notebook's own plots alone.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 2.8), dpi=96)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    left = pd.Series(0, index=by_type.index)
    for attribution in by_type.columns:
        values = by_type[attribution]
        if values.sum():
            ax.barh([str(i) for i in by_type.index], values, left=left, label=str(attribution),
                    color=_html.PALETTES["attribution"].get(str(attribution)))
            left = left + values
    if not by_type.to_numpy().sum():
        ax.text(0.5, 0.5, "no claims", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend(title="attribution", fontsize=8, title_fontsize=8, loc="lower right")
    ax.invert_yaxis()
    ax.set_xlabel("claims")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10, parse_math=False)  # an actor named "$x$" is text, not TeX
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class SpeakerDashboard(w.VBox):
    """The widget :func:`speaker_dashboard` returns.

    ``actor`` (Dropdown of actor ids) picks the actor; ``summary`` and the ``tabs`` children
    (HTML) show the tables of :func:`speaker_tables`, ``plot`` (Image) the claims chart;
    ``tables`` holds the current frames.
    """

    def __init__(self, corpus: Corpus, *, actor: str | None = None) -> None:
        require_annotations(corpus, "speaker_dashboard")
        self.corpus = corpus
        self.names = actor_names(corpus)
        ann = corpus.annotations
        records = ann.groupby("actor").size()
        # Most annotated actors first: they are the ones a reader usually wants.
        order = sorted(self.names, key=lambda a: (-int(records.get(a, 0)), self.names[a].casefold()))
        options = [(f"{self.names[a]} ({int(records.get(a, 0))} record(s))", a) for a in order]
        start = corpus.resolve_actor(actor) if actor is not None else order[0]
        self.actor = w.Dropdown(options=options, value=start, description="actor", layout=w.Layout(width="60%"))
        self.summary = w.HTML()
        # height auto + contain: in an HBox the image would otherwise stretch to the table's height.
        self.plot = w.Image(format="png", layout=w.Layout(max_width="600px", height="auto", object_fit="contain"))
        self.mentions = w.HTML()
        self.claims = w.HTML()
        self.threats = w.HTML()
        self.stance = w.HTML()
        self.tabs = w.Tab(children=[self.mentions, self.claims, self.threats, self.stance],
                          titles=("mentions", "claims", "threats", "stance"))
        self.tables: dict[str, pd.DataFrame] = {}
        self.actor.observe(self._refresh, names="value")
        super().__init__([self.actor, w.HBox([self.summary, self.plot], layout=w.Layout(align_items="flex-start")), self.tabs])
        self.add_class("cc-speaker-dashboard")
        self._refresh()

    def __repr__(self) -> str:
        t = self.tables
        return (f"<SpeakerDashboard actor={self.actor.value!r}: {len(t['mentions'])} mention(s), "
                f"{len(t['claims'])} claim(s), {len(t['threats_made'])} threat(s) made>")

    def _names(self, frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
        out = frame.copy()
        for col in cols:
            out[col] = [who(v, self.names) for v in out[col]]
        return out

    def _refresh(self, _change: object = None) -> None:
        aid = self.actor.value
        t = self.tables = speaker_tables(self.corpus, aid)
        row = self.corpus.actors.set_index("actor_id").loc[aid]
        self.summary.value = "<h3>{}</h3>".format(_html.esc(row["name"])) + _html.key_value_table([
            ("actor_id", aid), ("kind", row["kind"]), ("role", row["role"]),
            ("affiliation", who(row["affiliation"], self.names) if not pd.isna(row["affiliation"]) else ""),
            ("spellings", row["aliases"]), ("mentions", len(t["mentions"])), ("claims made", len(t["claims"])),
            ("threats made / received", f"{len(t['threats_made'])} / {len(t['threats_received'])}"),
            ("stances held / received", f"{len(t['stance_held'])} / {len(t['stance_received'])}"),
        ])
        self.plot.value = claims_plot_png(t["claims_by_type"], f"Claims by {row['name']}")

        def section(heading: str, frame: pd.DataFrame, empty: str, **kw: object) -> str:
            body = _html.table(frame, max_rows=None, **kw) if len(frame) else _html.message(empty)  # type: ignore[arg-type]
            return f"<h4>{_html.esc(heading)}</h4>{body}"

        self.mentions.value = section("Surface forms", t["mention_forms"], "No mentions.") + section(
            "Mentions", t["mentions"][["id", "article_id", "start", "end", "text", "form"]], "No mentions.")
        claims = self._names(t["claims"], "targets", "via")
        self.claims.value = section("Claims by type and attribution", t["claims_by_type"], "No claims.", index=True) + section(
            "Claims", claims[["id", "article_id", "cue", "text", "attribution", "claim_type", "targets", "via"]], "No claims.")
        threat_cols = ["id", "article_id", "speaker", "target", "cameo", "cameo_name", "explicitness", "text"]
        self.threats.value = section("Threats made", self._names(t["threats_made"], "target")[threat_cols], "None.") + section(
            "Threats received", self._names(t["threats_received"], "speaker")[threat_cols], "None.")
        stance_cols = ["id", "article_id", "holder", "polarity", "target", "text"]
        self.stance.value = section("Stances held", self._names(t["stance_held"], "target")[stance_cols], "None.") + section(
            "Stances towards this actor", self._names(t["stance_received"], "holder")[stance_cols], "None.")


def speaker_dashboard(corpus: Corpus, *, actor: str | None = None) -> SpeakerDashboard:
    """Pick an actor and see their mentions, claims by type, threats and stance, with a plot.

    ``actor`` is an actor id, name or any alias (default: the actor with most records).
    Raises ``NoAnnotationsError`` (a ``ValueError``) for a corpus without annotations and ``KeyError`` for an unknown actor.
    """
    return SpeakerDashboard(corpus, actor=actor)
