"""Damaged .xls, .ods and .xlsx files end in a message about the file, never a traceback or a dead process.

calamine is Rust: a damaged file can make it panic (which reaches Python as a BaseException) or allocate without
bound and abort the whole process. The checks before calamine must catch what calamine would die of; these tests
run in a child process so that an abort is seen as a failure, not as the end of the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Mutate each fixture many ways (bytes changed, cut short, four bytes replaced near the start), read each mutant
# through the reader and the loader, and print END when every one gave a result or an InputError.
_FUZZ = r"""
import random, sys, tempfile
from pathlib import Path
from ecoplan.errors import InputError
from ecoplan.workbook.district import load_district
from ecoplan.workbook.reader import read_workbook

rng = random.Random(int(sys.argv[1]))
folder = Path(tempfile.mkdtemp())
for source in sys.argv[2:]:
    data = Path(source).read_bytes()
    for i in range(60):
        mutant = bytearray(data)
        mode = rng.random()
        if mode < 0.5:
            for _ in range(rng.randint(1, 20)):
                mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        elif mode < 0.8:
            mutant = mutant[:rng.randrange(len(mutant))]
        else:
            at = rng.randrange(0, min(len(mutant), 2048))
            mutant[at:at + 4] = rng.randbytes(4)
        path = folder / f"m{i}{Path(source).suffix}"
        path.write_bytes(bytes(mutant))
        try:
            load_district(read_workbook(path))
        except InputError:
            pass
print("END")
"""


def test_mutated_workbooks_of_every_container_never_crash() -> None:
    sources = [str(FIXTURES / name) for name in ("yubei-2023.xls", "yubei-2023-styled.ods",
                                                  "yubei-2023-styled.xlsx", "merged-value-rows.xls")]
    for seed in (5, 11):
        proc = subprocess.run([sys.executable, "-c", _FUZZ, str(seed), *sources], capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0 and proc.stdout.strip().endswith("END"), proc.stderr[-2000:]


def test_a_cell_placed_far_out_is_refused_before_calamine_allocates_its_grid(tmp_path: Path) -> None:
    """Two bytes of a damaged .xls put one cell at row 52,999, column 25,607: calamine sized its grid by it and
    aborted the process allocating 43 GB. The sheet is now refused by the row limit, with the usual message."""
    data = bytearray((FIXTURES / "yubei-2023.xls").read_bytes())
    data[13969], data[20155] = 207, 100  # the high bytes of a LABELSST cell's row and another's column
    path = tmp_path / "far.xls"
    path.write_bytes(bytes(data))
    proc = run_cli("assess", path, "--format", "json")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "指标数据" in proc.stderr and "ECOPLAN_MAX_ROWS" in proc.stderr and "Traceback" not in proc.stderr


def test_an_ods_saved_with_a_password_is_said_to_be_encrypted() -> None:
    """encrypted.ods: LibreOffice's "save with password" (its manifest lists encryption data, content.xml is
    ciphertext). Like an encrypted .xls: the one Chinese message, not calamine's "Cannot detect file format"."""
    proc = run_cli("assess", FIXTURES / "encrypted.ods")
    assert proc.returncode == 2 and "工作簿设有打开密码（已加密）" in proc.stderr, proc.stderr
    assert "Calamine" not in proc.stderr and "Traceback" not in proc.stderr
