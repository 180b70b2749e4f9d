"""Atomic outputs: whole or not at all, temporaries removed, a second writer refused."""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.io.output import TEMP_SUFFIX, OutputBusy, OutputSet, atomic_write
from paycalc.io.writers import json_line, write_table


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_path_is_written_whole_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    write_table(out, ["a", "amount"], [["x", Decimal("1.5")]])
    # UTF-8 with a BOM (Excel), money as two decimals
    assert out.read_bytes() == b"\xef\xbb\xbfa,amount\r\nx,1.50\r\n"
    assert leftovers(tmp_path) == []


def test_a_failure_while_writing_leaves_the_earlier_file_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    out.write_text("earlier, complete\n", encoding="utf-8")

    def rows() -> object:
        yield ["1"]
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError) as caught:
        write_table(out, ["a"], rows())  # type: ignore[arg-type]
    assert out.read_text(encoding="utf-8") == "earlier, complete\n"
    assert leftovers(tmp_path) == []
    assert any("not written: " in note for note in caught.value.__notes__)


def test_the_temporary_never_looks_like_a_finished_output(tmp_path: Path) -> None:
    out = tmp_path / "slips.csv"
    with atomic_write(out) as handle:
        (temporary,) = [p for p in tmp_path.iterdir()]
        handle.write("x")
        assert not out.exists()
    assert temporary.name.startswith(".slips.csv.") and temporary.name.endswith(TEMP_SUFFIX)
    assert out.read_text(encoding="utf-8") == "x" and not temporary.exists()


def test_an_output_set_renames_all_or_none(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "a.errors.csv"
    with pytest.raises(KeyboardInterrupt), OutputSet([first, second]) as outputs:
        outputs.open(first).write("slips")
        outputs.open(second).write("errors")
        raise KeyboardInterrupt  # Ctrl-C after both were written, before the renames
    assert not first.exists() and not second.exists() and leftovers(tmp_path) == []
    with OutputSet([first, second]) as outputs:
        outputs.open(first).write("slips")
        outputs.open(second).write("errors")
    assert first.read_text() == "slips" and second.read_text() == "errors"
    assert outputs.written == [first.resolve(), second.resolve()]


def test_new_files_get_the_usual_permissions_not_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "p.csv") as handle:
            handle.write("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "p.csv").stat().st_mode & 0o777 == 0o644


def test_a_symlinked_target_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_write(link) as handle:
        handle.write("new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_second_writer_of_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    with OutputSet([out], lock=True), pytest.raises(OutputBusy, match=f"process {os.getpid()}"):
        OutputSet([out], lock=True).__enter__()
    assert leftovers(tmp_path) == []  # the lock file goes with the run
    with OutputSet([out], lock=True) as outputs:  # free again
        outputs.open(out).write("x")
    assert out.read_text() == "x"


def test_a_lock_file_left_by_a_killed_run_does_not_block(tmp_path: Path) -> None:
    (tmp_path / ".s.csv.paycalc-lock").write_text("99999\n", encoding="ascii")
    with OutputSet([tmp_path / "s.csv"], lock=True) as outputs:
        outputs.open(tmp_path / "s.csv").write("x")
    assert (tmp_path / "s.csv").read_text() == "x" and leftovers(tmp_path) == []


def test_only_declared_outputs_can_be_opened(tmp_path: Path) -> None:
    with OutputSet([tmp_path / "a.csv"]) as outputs, pytest.raises(ValueError, match="not one"):
        outputs.open(tmp_path / "b.csv")


def test_writers_take_an_open_file(tmp_path: Path) -> None:
    buffer = io.StringIO()
    write_table(buffer, ["a", "b"], [["=1+1", Decimal("2")]])
    # an open file gets no BOM; a formula-like cell is neutralised
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["a", "b"], ["'=1+1", "2.00"]]
    lines = io.StringIO()
    write_table(lines, ["name"], [["a\u2028b"]], table_format="jsonl")
    # U+2028 would split the record for a reader splitting on Unicode line breaks
    assert lines.getvalue() == '{"name": "a\\u2028b"}\n'
    assert lines.getvalue().splitlines() == [lines.getvalue()[:-1]]


def test_json_line_is_one_line() -> None:
    assert json_line({"a": "x\ny\u2029"}) == '{"a": "x\\ny\\u2029"}\n'


def test_many_whole_files_hold_no_descriptor_and_commit_together(tmp_path: Path) -> None:
    import resource

    targets = [tmp_path / f"slip-{i}.html" for i in range(600)]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
    try:  # 600 files under a limit of 256 descriptors: each is closed as soon as written
        with OutputSet(targets) as outputs:
            for i, target in enumerate(targets):
                outputs.write_whole(target, f"slip {i}".encode())
            assert not any(t.exists() for t in targets)  # nothing in place before the commit
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert [t.read_text() for t in targets[:3]] == ["slip 0", "slip 1", "slip 2"]
    assert targets[-1].read_text() == "slip 599"
    assert leftovers(tmp_path) == []


def test_a_failure_among_many_whole_files_leaves_none(tmp_path: Path) -> None:
    targets = [tmp_path / f"slip-{i}.html" for i in range(50)]
    with pytest.raises(RuntimeError) as raised, OutputSet(targets) as outputs:
        for i, target in enumerate(targets):
            if i == 30:
                raise RuntimeError("the 31st slip failed")
            outputs.write_whole(target, b"x")
    assert list(tmp_path.iterdir()) == []  # no slip, no temporary
    assert any("not written" in note for note in raised.value.__notes__)
