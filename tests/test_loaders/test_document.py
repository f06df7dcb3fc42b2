"""Reading source documents: every kind of bad input is refused with the file and offset."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import LoaderError
from loaders.document import document_id, read_document


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_reads_utf8_text_with_exact_offsets(tmp_path: Path) -> None:
    path = write(tmp_path, "Cllr Jane Doe said: “We’re ready.”\n".encode())
    document = read_document(path)
    assert document.text.index("“") == 20
    assert document.id == "doc"
    assert document.iri.endswith("/id/doc/doc")
    assert document.span_iri(0, 4).endswith("/id/doc/doc#char=0,4")


def test_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, b"\xef\xbb\xbfTitle\n"))
    assert document.text == "Title\n"


def test_not_utf8_names_the_byte_offset_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"line one\nline two \xe9t\xe9\n")
    with pytest.raises(LoaderError) as caught:
        read_document(path)
    error = caught.value
    assert (error.file, error.offset, error.line, error.unit) == (path, 18, 2, "byte")
    assert "not valid UTF-8" in str(error)
    assert "doc.txt, line 2, byte offset 18" in str(error)


def test_truncated_inside_a_multibyte_character(tmp_path: Path) -> None:
    path = write(tmp_path, "Funding gap of £".encode()[:-1])
    with pytest.raises(LoaderError, match="truncated") as caught:
        read_document(path)
    assert caught.value.offset == 15


@pytest.mark.parametrize("data", [b"", b"   \n\n\t "])
def test_empty_document(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(LoaderError, match="empty"):
        read_document(write(tmp_path, data))


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="NUL") as caught:
        read_document(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert caught.value.offset == 8


def test_binary_with_control_characters(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="U\\+0007") as caught:
        read_document(write(tmp_path, b"abc\ndef\x07ghi"))
    assert (caught.value.offset, caught.value.line) == (7, 2)


def test_enormous_document_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB (sparse), over the default limit
    with pytest.raises(LoaderError, match="over the limit") as caught:
        read_document(path)
    assert caught.value.file == path


def test_limit_is_configurable(tmp_path: Path) -> None:
    path = write(tmp_path, b"x" * 100)
    with pytest.raises(LoaderError, match="limit of 99 bytes"):
        read_document(path, max_bytes=99)
    assert read_document(path, max_bytes=100).text == "x" * 100


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="cannot read"):
        read_document(tmp_path / "missing.txt")


def test_document_id_is_the_escaped_file_stem() -> None:
    assert document_id(Path("corpus/001_8661a3202c9336a1.txt")) == "001_8661a3202c9336a1"
    assert document_id(Path("a b#c.txt")) == "a%20b%23c"
