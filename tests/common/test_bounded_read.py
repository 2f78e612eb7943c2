"""bounded_read.read_regular: only regular files, only up to a limit; a FIFO never blocks the reader."""

from __future__ import annotations

import os
import socket

import pytest

from pflow_studio.common.bounded_read import FileRefused, read_regular, size_text
from tests.support.files import sparse_file

pytestmark = [pytest.mark.fault, pytest.mark.timeout(60)]


def test_a_regular_file_up_to_the_limit_is_read(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100
    assert read_regular(str(path), 1000) == b"x" * 100
    (tmp_path / "empty").write_bytes(b"")
    assert read_regular(tmp_path / "empty", 0) == b""


def test_a_symlink_to_a_regular_file_is_followed(tmp_path):
    (tmp_path / "real").write_bytes(b"data")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_regular(tmp_path / "link", 10) == b"data"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused) as info:
        read_regular(fifo, 1 << 20)
    assert str(info.value) == f"{fifo}: not a regular file (a FIFO)"
    assert info.value.problem == "not a regular file (a FIFO)" and isinstance(info.value, ValueError)


def test_a_symlink_to_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "pipe")
    with pytest.raises(FileRefused, match=r"link: not a regular file \(a FIFO\)"):
        read_regular(tmp_path / "link", 1 << 20)


@pytest.mark.parametrize(("path", "kind"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")])
def test_a_device_is_refused(path, kind):
    with pytest.raises(FileRefused, match=rf"^{path}: not a regular file \({kind}\)$"):
        read_regular(path, 1 << 20)


def test_a_directory_and_a_socket_are_refused(tmp_path):
    with pytest.raises(FileRefused, match=r"not a regular file \(a directory\)"):
        read_regular(tmp_path, 1 << 20)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        with pytest.raises(FileRefused, match=r"sock: not a regular file \(a socket\)"):
            read_regular(tmp_path / "sock", 1 << 20)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    path = sparse_file(tmp_path / "big", (64 << 20) + 1)
    with pytest.raises(FileRefused) as info:
        read_regular(path, 64 << 20)
    assert info.value.problem == "too large (67108865 bytes; the limit is 67108864 bytes)"
    sparse_file(path, 65 << 20)
    with pytest.raises(FileRefused, match=r"big: too large \(65 MB; the limit is 64 MB\)$"):
        read_regular(path, 64 << 20)


def test_a_file_with_more_content_than_its_size_says_is_still_capped():
    # /proc files are regular files of size 0 that yield text when read: the same as a file that grew
    # between the check and the read.
    with pytest.raises(FileRefused, match=r"too large \(it grew past the 10 bytes limit while being read\)"):
        read_regular("/proc/self/maps", 10)
    assert len(read_regular("/proc/self/maps", 1 << 24)) > 10


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nope", 10)


def test_size_text():
    assert [size_text(n) for n in (912, 1536, 64 << 20, (64 << 20) + 1, 3 << 30)] == [
        "912 bytes", "1.5 kB", "64 MB", "64 MB", "3 GB"]
