"""The safe reader's input mode: every foreign file (imports, exports of other tools, captures)
is a regular file inside its folder, under a size cap; zip members are capped by size and ratio."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from caucasus_corpus.errors import CorpusInputError
from caucasus_corpus.release.safefile import InputLimits, open_input_zip, read_input


def test_reads_a_regular_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Ostrel warned Varnia.")
    assert read_input(tmp_path / "a.txt") == b"Ostrel warned Varnia."


@pytest.mark.parametrize("make", ["fifo", "dir", "missing", "devzero", "outside"])
def test_refuses_what_is_not_a_regular_file_inside(tmp_path, make):
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "x.json"
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-1234")
    if make == "fifo":
        os.mkfifo(target)
    elif make == "dir":
        target.mkdir()
    elif make == "devzero":
        target.symlink_to("/dev/zero")
    elif make == "outside":
        target.symlink_to(secret)
    with pytest.raises(CorpusInputError) as err:
        read_input(target)  # a FIFO would hang a plain open(); this returns at once
    message = str(err.value)
    assert str(target) in message and "\n" not in message
    assert "SECRET-OUTSIDE" not in message


def test_size_cap_names_the_cap(tmp_path):
    (tmp_path / "big.ann").write_bytes(b"x" * 2000)
    with pytest.raises(CorpusInputError, match="cap of 1,000"):
        read_input(tmp_path / "big.ann", limits=InputLimits(max_bytes=1000))
    assert len(read_input(tmp_path / "big.ann", limits=InputLimits(max_bytes=2000))) == 2000


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_zip_members_read_in_memory(tmp_path):
    _zip(tmp_path / "d.zip", {"word/document.xml": b"<w:document/>", "../../evil.txt": b"no"})
    z = open_input_zip(tmp_path / "d.zip")
    assert z.names() == ["word/document.xml", "../../evil.txt"]
    assert z.read("word/document.xml") == b"<w:document/>"
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_refused_by_ratio_before_inflating(tmp_path):
    _zip(tmp_path / "bomb.zip", {"ID.xmi": b" " * (20 * 1024 * 1024)})
    z = open_input_zip(tmp_path / "bomb.zip")
    with pytest.raises(CorpusInputError, match=r"compression ratio .* cap of 200:1"):
        z.read("ID.xmi")
    assert len(open_input_zip(tmp_path / "bomb.zip", limits=InputLimits(max_ratio=100_000)).read("ID.xmi")) == 20 * 1024 * 1024


def test_zip_member_size_cap(tmp_path):
    _zip(tmp_path / "big.zip", {"a.xml": os.urandom(5000)})
    with pytest.raises(CorpusInputError, match="cap of 4,000"):
        open_input_zip(tmp_path / "big.zip", limits=InputLimits(max_bytes=4000)).read("a.xml")


def test_zip_symlink_member_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("ID.xmi")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    (tmp_path / "l.zip").write_bytes(buf.getvalue())
    with pytest.raises(CorpusInputError, match="symbolic link entry"):
        open_input_zip(tmp_path / "l.zip").read("ID.xmi")


def test_not_a_zip(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"plain text")
    with pytest.raises(CorpusInputError, match="not a readable zip"):
        open_input_zip(tmp_path / "x.docx")


def test_limits_refuse_bad_values():
    with pytest.raises(ValueError, match="max_bytes"):
        InputLimits(max_bytes=0)
    with pytest.raises(ValueError, match="max_ratio"):
        InputLimits(max_ratio=0.5)
