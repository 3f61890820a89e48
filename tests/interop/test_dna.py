"""The Discourse Network Analyzer: DNA's own sample databases read and imported, a database the
test writes itself (an emoji before a statement: UTF-16 offsets), export then import.

DNA's samples live outside the repository (``../shared/dna/``, see its README); the tests that
need them are skipped, saying why, in a clone without that folder. The small databases written
here hold invented texts about fictional actors, never corpus data.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

import caucasus_corpus as cc
from caucasus_corpus.cli.main import main
from caucasus_corpus.interop.dna import import_dna, read_dna, to_dna
from caucasus_corpus.interop.importing import ImportRefused
from interop_support import release_bytes
from support import FICTION_ACTORS, FICTION_ID, FICTION_TEXT, REPO, span, write_release

DNA_DIR = REPO.parent / "shared" / "dna"
SAMPLES = {3: DNA_DIR / "sample-dna3.dna", 2: DNA_DIR / "sample-dna2.dna"}
needs_samples = pytest.mark.skipif(not all(p.is_file() for p in SAMPLES.values()),
                                   reason=f"DNA's sample databases are not in {DNA_DIR} (they are not part of the repository)")


def raw_statements(path: Path, version: int) -> list[dict]:
    """The sample's 'DNA Statement' rows, read straight from SQLite (independently of read_dna)."""
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    if version == 3:
        value = "(SELECT e.Value FROM DATASHORTTEXT d JOIN ENTITIES e ON e.ID = d.Entity WHERE d.StatementId = s.ID AND d.VariableId = {})"
    else:
        value = "(SELECT d.Value FROM DATASHORTTEXT d WHERE d.StatementId = s.ID AND d.VariableId = {})"
    query = (f"SELECT s.ID, s.DocumentId, s.Start, s.Stop, {value.format(1)}, {value.format(2)}, {value.format(3)}, "
             "(SELECT b.Value FROM DATABOOLEAN b WHERE b.StatementId = s.ID AND b.VariableId = 4), d.Text "
             "FROM STATEMENTS s JOIN DOCUMENTS d ON d.ID = s.DocumentId JOIN STATEMENTTYPES t ON t.ID = s.StatementTypeId "
             "WHERE t.Label = 'DNA Statement' ORDER BY s.ID")
    keys = ("id", "doc", "start", "stop", "person", "organization", "concept", "agreement", "text")
    out = [dict(zip(keys, row)) for row in con.execute(query)]
    con.close()
    return out


def utf16_slice(text: str, start: int, stop: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * stop].decode("utf-16-le")


@needs_samples
@pytest.mark.parametrize("version", [3, 2])
def test_read_the_samples(version: int) -> None:
    db = read_dna(SAMPLES[version])
    assert db.version == version
    assert len(db.documents) == 7 and len(db.statements) == 40
    assert db.other_types == {"Annotation": 1}
    raw = raw_statements(SAMPLES[version], version)
    assert [(s.id, s.person, s.organization, s.concept, s.agreement) for s in db.statements] == \
        [(r["id"], r["person"], r["organization"], r["concept"], r["agreement"]) for r in raw]
    con = sqlite3.connect(f"file:{SAMPLES[version]}?mode=ro&immutable=1", uri=True)
    assert [d.text for d in db.documents] == [t for (t,) in con.execute("SELECT Text FROM DOCUMENTS ORDER BY ID")]
    con.close()
    # DNA 3 stores seconds, DNA 2 milliseconds: both samples date their first hearing to 26 January 2005.
    assert str(db.documents[0].date) == "2005-01-26"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    if not all(p.is_file() for p in SAMPLES.values()):
        pytest.skip(f"DNA's sample databases are not in {DNA_DIR} (they are not part of the repository)")
    out = {}
    for version in (3, 2):
        root = write_release(tmp_path_factory.mktemp(f"dna{version}") / "r", records={FICTION_ID: []})
        report = import_dna(root, SAMPLES[version], annotator="dna-coder", add_articles=True, language="en")
        assert len(report.articles_added) == 7
        assert sum(len(v) for v in report.added.values()) == 40
        assert any("'Annotation' not mapped" in line for line in report.lines())
        out[version] = root
    return out


@pytest.mark.parametrize("version", [3, 2])
def test_import_the_samples(imported: dict[int, Path], version: int) -> None:
    corpus = cc.load(imported[version])
    stem = SAMPLES[version].stem
    raw = raw_statements(SAMPLES[version], version)
    assert len(corpus.articles) == 8 and len(corpus.stance) == 40
    stance = corpus.stance
    names = dict(zip(corpus.actors["actor_id"], corpus.actors["name"]))
    labels = dict(zip(corpus.topics["topic_id"], corpus.topics["label"]))
    for r in raw:
        aid = f"dna-{stem}-{r['doc']}"
        assert corpus.text(aid) == r["text"]
        quoted = utf16_slice(r["text"], r["start"], r["stop"])
        rec = stance[(stance["article_id"] == aid) & (stance["text"] == quoted)]
        assert len(rec) >= 1, (aid, quoted[:40])
        rec = rec.iloc[0]
        assert names[rec["holder"]] == r["person"]
        assert names[rec["organization"]] == r["organization"]
        assert labels[rec["target"]] == r["concept"]
        assert rec["polarity"] == ("favor" if r["agreement"] == 1 else "against")
    persons = corpus.actors[corpus.actors["actor_id"].isin(stance["holder"])]
    assert set(persons["kind"]) == {"person"}
    whitman = corpus.actors.set_index("name").loc["Christine Todd Whitman"]
    assert whitman["role"] == "Government"  # DNA's Type attribute
    first = corpus.articles.set_index("article_id").loc[f"dna-{stem}-1"]
    assert str(first["published"].date()) == "2005-01-26" and first["author"] == "Bluestein, Joel"
    assert first["outlet"] == "109" and "DNA section: 876" in first["notes"]


@pytest.mark.parametrize("version", [3, 2])
def test_sample_networks_have_the_known_shapes(imported: dict[int, Path], version: int) -> None:
    corpus = cc.load(imported[version])
    one = cc.discourse_network(corpus, network_type="onemode", variable1="organization", variable2="topic")
    assert one.shape == (7, 7)
    two = cc.discourse_network(corpus, network_type="twomode", variable1="organization", variable2="topic")
    assert two.shape == (7, 6)
    # Each cell counts the sample's statements of that organisation about that concept.
    raw = Counter((r["organization"], r["concept"]) for r in raw_statements(SAMPLES[version], version))
    assert {(o, c): int(two.loc[o, c]) for o in two.index for c in two.columns if two.loc[o, c]} == dict(raw)


def test_samples_of_both_versions_import_alike(imported: dict[int, Path]) -> None:
    def rows(root: Path) -> set[tuple]:
        c = cc.load(root)
        return {(a.split("-")[-1], s, e, h, t, p, o) for a, s, e, h, t, p, o in
                c.stance[["article_id", "start", "end", "holder", "target", "polarity", "organization"]].itertuples(index=False)}

    assert rows(imported[3]) == rows(imported[2])


def test_importing_again_adds_nothing(imported: dict[int, Path]) -> None:
    before = release_bytes(imported[3])
    report = import_dna(imported[3], SAMPLES[3], annotator="dna-coder")
    assert sum(len(v) for v in report.already_present.values()) == 40 and not any(report.added.values())
    assert release_bytes(imported[3]) == before


# -- a database written here -----------------------------------------------------------------------------

TEXT = "Ostrel 😀 noted: Varnia backs the dam. Tov Arlen doubts the toll.\n"


def write_dna3(path: Path, text: str, statements: list[tuple[str, str, str, str, int]], *, other_type: bool = True) -> Path:
    """A minimal DNA 3 database: one document, statements (quote, person, organization, concept,
    agreement) located by their UTF-16 offsets, as DNA stores them."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL);
        CREATE TABLE DOCUMENTS(ID INTEGER PRIMARY KEY, Title TEXT, Text TEXT, Coder INTEGER, Author TEXT, Source TEXT,
                               Section TEXT, Notes TEXT, Type TEXT, Date INTEGER);
        CREATE TABLE STATEMENTTYPES(ID INTEGER PRIMARY KEY, Label TEXT, Red INTEGER, Green INTEGER, Blue INTEGER);
        CREATE TABLE VARIABLES(ID INTEGER PRIMARY KEY, Variable TEXT, DataType TEXT, StatementTypeId INTEGER);
        CREATE TABLE STATEMENTS(ID INTEGER PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER, Start INTEGER,
                                Stop INTEGER, Coder INTEGER);
        CREATE TABLE ENTITIES(ID INTEGER PRIMARY KEY, VariableId INTEGER, Value TEXT, Red INTEGER, Green INTEGER,
                              Blue INTEGER, ChildOf INTEGER);
        CREATE TABLE DATASHORTTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER, Entity INTEGER);
        CREATE TABLE DATABOOLEAN(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER, Value INTEGER);
        CREATE TABLE DATALONGTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER, Value TEXT);
        INSERT INTO SETTINGS VALUES ('version', '3.0.7');
        INSERT INTO STATEMENTTYPES VALUES (1, 'DNA Statement', 0, 0, 0), (2, 'Annotation', 0, 0, 0);
        INSERT INTO VARIABLES VALUES (1, 'person', 'short text', 1), (2, 'organization', 'short text', 1),
                                     (3, 'concept', 'short text', 1), (4, 'agreement', 'boolean', 1),
                                     (5, 'note', 'long text', 2);
    """)
    con.execute("INSERT INTO DOCUMENTS VALUES (1, 'Invented note', ?, 1, 'A. Writer', 'Invented Daily', 'World', '', '', ?)",
                (text, 1_900_000_000))
    entities: dict[tuple[int, str], int] = {}

    def entity(var: int, value: str) -> int:
        if (var, value) not in entities:
            entities[var, value] = len(entities) + 1
            con.execute("INSERT INTO ENTITIES VALUES (?, ?, ?, 0, 0, 0, NULL)", (entities[var, value], var, value))
        return entities[var, value]

    units = text.encode("utf-16-le")
    for sid, (quote, person, org, concept, agreement) in enumerate(statements, start=1):
        start = units.index(quote.encode("utf-16-le")) // 2
        con.execute("INSERT INTO STATEMENTS VALUES (?, 1, 1, ?, ?, 1)", (sid, start, start + len(quote.encode("utf-16-le")) // 2))
        for var, value in ((1, person), (2, org), (3, concept)):
            con.execute("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)", (sid, var, entity(var, value)))
        con.execute("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (?, 4, ?)", (sid, agreement))
    if other_type:
        con.execute("INSERT INTO STATEMENTS VALUES (99, 2, 1, 0, 6, 1)")
        con.execute("INSERT INTO DATALONGTEXT (StatementId, VariableId, Value) VALUES (99, 5, 'a coder note')")
    con.commit()
    con.close()
    return path


def test_utf16_offsets_after_an_emoji(tmp_path: Path) -> None:
    db = write_dna3(tmp_path / "emoji.dna", TEXT, [
        ("Varnia backs the dam.", "", "Varnia", "the river dam", 1),
        ("Tov Arlen doubts the toll.", "Tov Arlen", "Ostrel", "the border toll", 0),
        ("Tov Arlen doubts the toll.", "Tov Arlen", "Ostrel", "the border toll", 0),  # an exact duplicate
    ])
    # In UTF-16 the emoji is two code units: DNA's offsets are one larger than ours after it.
    assert TEXT.index("Varnia backs") + 1 == TEXT.encode("utf-16-le").index("Varnia backs".encode("utf-16-le")) // 2
    root = write_release(tmp_path / "r", records={FICTION_ID: []})
    report = import_dna(root, db, annotator="dna-coder", add_articles=True, language="en")
    assert report.duplicates == 1
    assert any("'Annotation' not mapped" in line for line in report.lines())
    assert any("'Varnia' is the registry actor 'varnia'" in line for line in report.lines())
    assert any("'the river dam'" in line for line in report.lines()) is False  # the topic of that label, silently the same
    corpus = cc.load(root)
    stance = corpus.stance.set_index("text")
    assert len(corpus.stance) == 2
    dam = stance.loc["Varnia backs the dam."]
    assert (dam["start"], dam["end"]) == span(TEXT, "Varnia backs the dam.")
    assert (dam["holder"], dam["target"], dam["polarity"]) == ("varnia", "dam", "favor")
    assert pd_isna(dam["organization"])
    toll = stance.loc["Tov Arlen doubts the toll."]
    assert toll["holder"] == "tov-arlen" and toll["organization"] == "ostrel" and toll["polarity"] == "against"
    new_actor = corpus.actors.set_index("actor_id").loc["tov-arlen"]
    assert new_actor["kind"] == "person" and new_actor["name"] == "Tov Arlen"
    assert corpus.topics.set_index("topic_id").loc["the-border-toll", "label"] == "the border toll"
    article = corpus.articles.set_index("article_id").loc["dna-emoji-1"]
    assert str(article["published"].date()) == "2030-03-17" and article["outlet"] == "Invented Daily"


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_refusals_write_nothing(tmp_path: Path) -> None:
    root = write_release(tmp_path / "r", records={FICTION_ID: []})
    before = release_bytes(root)
    db = write_dna3(tmp_path / "note.dna", TEXT, [("Varnia backs the dam.", "", "Varnia", "the river dam", 1)])
    with pytest.raises(ImportRefused, match="--add-articles"):
        import_dna(root, db, annotator="dna-coder")
    with pytest.raises(ValueError, match="language"):
        import_dna(root, db, annotator="dna-coder", add_articles=True)
    (tmp_path / "not.dna").write_bytes(b"just some text, not a database\n")
    with pytest.raises(ValueError, match="not a SQLite database"):
        import_dna(root, tmp_path / "not.dna", annotator="dna-coder")
    # A person whose name is a registry actor of another kind cannot be an organisation.
    bad = write_dna3(tmp_path / "bad.dna", TEXT, [("Tov Arlen doubts the toll.", "Tov Arlen", "Pell Andor", "the border toll", 0)])
    with pytest.raises(ImportRefused, match="not an organisation"):
        import_dna(root, bad, annotator="dna-coder", add_articles=True, language="en")
    assert release_bytes(root) == before


def test_export_then_import_gives_the_same_records(tmp_path: Path) -> None:
    from caucasus_corpus.authoring import save
    from support import fiction_records

    source = write_release(tmp_path / "s")
    recs = fiction_records()
    org = dict(next(r for r in recs if r["id"] == "f-s2"))
    s, e = span(FICTION_TEXT, "we will close the border")
    recs.append({**org, "id": "f-s3", "start": s, "end": e, "text": FICTION_TEXT[s:e], "holder": "pell-andor",
                 "target": "ostrel", "polarity": "against", "organization": "varnia"})
    save(source, records={FICTION_ID: recs})
    corpus = cc.load(source)
    assert main(["export", str(tmp_path / "out.dna"), "--format", "dna", "--path", str(source)]) == 0
    assert to_dna(corpus, tmp_path / "out2.dna")["statements"] == 3
    with pytest.raises(FileExistsError):
        to_dna(corpus, tmp_path / "out2.dna")
    target = write_release(tmp_path / "t", records={FICTION_ID: []})
    assert main(["import", str(tmp_path / "out.dna"), "--format", "dna", "--annotator", "test", "--path", str(target)]) == 0
    cols = ["article_id", "start", "end", "text", "holder", "target", "polarity", "organization"]

    def rows(root: Path) -> list[tuple]:
        frame = cc.load(root).stance[cols]
        frame = frame.astype(object).where(frame.notna(), None)
        return sorted(tuple(row) for row in frame.itertuples(index=False))

    assert rows(target) == rows(source)
    # The database is a DNA 3 database: the sample's tables, offsets in UTF-16 code units.
    db = read_dna(tmp_path / "out.dna")
    assert db.version == 3 and len(db.statements) == 3
    con = sqlite3.connect(tmp_path / "out.dna")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    if SAMPLES[3].is_file():
        sample = sqlite3.connect(f"file:{SAMPLES[3]}?mode=ro&immutable=1", uri=True)
        assert tables == {r[0] for r in sample.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        sample.close()


def test_cli_import_with_add_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = write_dna3(tmp_path / "note.dna", TEXT, [("Varnia backs the dam.", "", "Varnia", "the river dam", 1)])
    root = write_release(tmp_path / "r", records={FICTION_ID: []})
    assert main(["import", str(db), "--format", "dna", "--annotator", "test", "--path", str(root)]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert main(["import", str(db), "--format", "dna", "--annotator", "test", "--add-articles", "--language", "en",
                 "--path", str(root)]) == 0
    out = capsys.readouterr().out
    assert "1 article(s) added (dna-note-1)" in out and "dna-note-1: 1 stance record(s) added" in out
    assert FICTION_ACTORS[0]["actor_id"] in set(cc.load(root).stance["holder"])


@needs_samples
def test_coder_passwords_are_hashed_as_dna_does(tmp_path: Path) -> None:
    """rDNA opens its sample with the password 'sample': our hash of it with the sample's salt is
    the sample's own; an exported database's coder opens with the documented password."""
    import base64

    from caucasus_corpus.interop.dna import DEFAULT_CODER_PASSWORD, dna_password_hash

    con = sqlite3.connect(f"file:{SAMPLES[3]}?mode=ro&immutable=1", uri=True)
    stored = con.execute("SELECT Password FROM CODERS WHERE ID = 1").fetchone()[0]
    con.close()
    salt = base64.b64decode(stored)[:16]
    assert dna_password_hash("sample", salt=salt) == stored
    assert dna_password_hash("not the password", salt=salt) != stored
    root = write_release(tmp_path / "r")
    to_dna(cc.load(root), tmp_path / "out.dna")
    con = sqlite3.connect(tmp_path / "out.dna")
    ours = con.execute("SELECT Password FROM CODERS WHERE ID = 1").fetchone()[0]
    missing = con.execute("SELECT count(*) FROM ENTITIES e JOIN ATTRIBUTEVARIABLES v ON v.VariableId = e.VariableId "
                          "WHERE NOT EXISTS (SELECT 1 FROM ATTRIBUTEVALUES a WHERE a.EntityId = e.ID AND a.AttributeVariableId = v.ID)").fetchone()[0]
    con.close()
    assert dna_password_hash(DEFAULT_CODER_PASSWORD, salt=base64.b64decode(ours)[:16]) == ours
    assert missing == 0


def test_the_database_is_read_through_the_safe_reader(tmp_path: Path) -> None:
    from caucasus_corpus.errors import CorpusInputError
    from caucasus_corpus.release.safefile import InputLimits

    db = write_dna3(tmp_path / "note.dna", TEXT, [("Varnia backs the dam.", "", "Varnia", "the river dam", 1)])
    with pytest.raises(CorpusInputError, match="cap"):
        read_dna(db, limits=InputLimits(max_bytes=1024))
    with pytest.raises(CorpusInputError):
        read_dna(tmp_path)  # a folder, not a database file
    assert len(read_dna(db).statements) == 1
