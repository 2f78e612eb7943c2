"""File nodes: read and write text, never cached, errors that name the path and the reason."""

from __future__ import annotations

import pathlib

import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library.files import ReadText, WriteText
from tests.support.processes import run_python_unprivileged


def test_write_then_read_round_trip(tmp_path):
    target = tmp_path / "notes.txt"
    written = WriteText().compute(path=target, text="héllo\nwörld\n", encoding="utf-8")
    assert written == {"path": str(target)}
    assert target.read_bytes() == "héllo\nwörld\n".encode()
    assert ReadText().compute(path=str(target), encoding="utf-8") == {"text": "héllo\nwörld\n"}


def test_ports_defaults_and_not_cacheable():
    assert ReadText.cacheable is False and WriteText.cacheable is False
    read, write = ReadText(), WriteText()
    assert [(p.name, p.type) for p in read.input_ports()] == [("path", "path"), ("encoding", "str")]
    assert read.input_port("encoding").default == "utf-8" and write.input_port("encoding").default == "utf-8"
    assert [(p.name, p.type) for p in read.output_ports()] == [("text", "str")]
    assert [(p.name, p.type) for p in write.input_ports()] == [("path", "path"), ("text", "str"), ("encoding", "str")]
    assert [(p.name, p.type) for p in write.output_ports()] == [("path", "path")]


def test_other_encodings(tmp_path):
    target = tmp_path / "latin.txt"
    WriteText().compute(path=target, text="café", encoding="latin-1")
    assert target.read_bytes() == b"caf\xe9"
    assert ReadText().compute(path=target, encoding="latin-1") == {"text": "café"}


def test_write_replaces_the_file(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old content that is longer")
    WriteText().compute(path=target, text="new", encoding="utf-8")
    assert target.read_text() == "new"


def test_read_missing_file_names_path_and_reason(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(NodeError) as info:
        ReadText().compute(path=missing, encoding="utf-8")
    assert str(info.value) == f"cannot read '{missing}': no such file or folder"
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_read_a_folder(tmp_path):
    with pytest.raises(NodeError, match="it is a folder, not a file"):
        ReadText().compute(path=tmp_path, encoding="utf-8")


def test_read_undecodable_bytes(tmp_path):
    target = tmp_path / "bin.dat"
    target.write_bytes(b"ok\xff\xfe")
    with pytest.raises(NodeError, match=r"cannot read '.*bin\.dat': byte 2 is not valid utf-8"):
        ReadText().compute(path=target, encoding="utf-8")


def test_unknown_encoding(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("a")
    with pytest.raises(NodeError, match=r"cannot read .*: unknown encoding 'klingon'"):
        ReadText().compute(path=target, encoding="klingon")
    with pytest.raises(NodeError, match=r"cannot write .*: unknown encoding 'klingon'"):
        WriteText().compute(path=target, text="b", encoding="klingon")
    assert target.read_text() == "a"


def test_write_into_a_missing_folder(tmp_path):
    target = tmp_path / "no" / "such" / "dir.txt"
    with pytest.raises(NodeError) as info:
        WriteText().compute(path=target, text="x", encoding="utf-8")
    assert str(info.value) == f"cannot write '{target}': no such file or folder"


def test_unencodable_text_leaves_the_file_untouched(tmp_path):
    target = tmp_path / "ascii.txt"
    target.write_text("before")
    with pytest.raises(NodeError, match=r"'é' cannot be encoded as ascii"):
        WriteText().compute(path=target, text="café", encoding="ascii")
    assert target.read_text() == "before"


def test_write_rejects_non_text(tmp_path):
    with pytest.raises(NodeError, match="input 'text' must be text, not int"):
        WriteText().compute(path=tmp_path / "x.txt", text=5, encoding="utf-8")
    out = WriteText().compute(path=tmp_path / "p.txt", text=pathlib.Path("some/where"), encoding="utf-8")
    assert pathlib.Path(out["path"]).read_text() == "some/where"


def test_permission_denied(tmp_path):
    """Real permission checks: the nodes run in a subprocess that the OS refuses a mode-000 file (even under root)."""
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    try:
        done = run_python_unprivileged("""
            import sys
            from pflow_studio.nodes.api import NodeError
            from pflow_studio.nodes.library.files import ReadText, WriteText

            for attempt in (lambda: ReadText().compute(path=sys.argv[1], encoding="utf-8"),
                            lambda: WriteText().compute(path=sys.argv[1], text="x", encoding="utf-8")):
                try:
                    attempt()
                except NodeError as exc:
                    print(exc)
                else:
                    print("no error")
            """, str(locked))
    finally:
        locked.chmod(0o600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"cannot read '{locked}': permission denied",
                                        f"cannot write '{locked}': permission denied"]
    assert locked.read_text() == "secret"


def test_permission_error_is_reported_without_a_raw_dump(tmp_path, monkeypatch):
    target = tmp_path / "guarded.txt"

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "read_text", deny)
    monkeypatch.setattr(pathlib.Path, "write_bytes", deny)
    with pytest.raises(NodeError) as info:
        ReadText().compute(path=target, encoding="utf-8")
    assert str(info.value) == f"cannot read '{target}': permission denied"
    with pytest.raises(NodeError) as info:
        WriteText().compute(path=target, text="x", encoding="utf-8")
    assert str(info.value) == f"cannot write '{target}': permission denied"
    assert "Errno" not in str(info.value)
