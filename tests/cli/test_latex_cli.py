"""``heatbounds latex`` and ``heatbounds derive --format latex``: output, files, refusals."""

from __future__ import annotations

import json
import tempfile

import pytest
from latex_compile import compile_latex

from heatbounds.cli import main
from heatbounds.codegen.latex_document import latex_document
from heatbounds.symbolic.models import builtin_model

EQ17 = (
    r"\frac{\pi \alpha \gamma}{4} k_{B} \left(T_{L} - T_{R}\right) "
    r"\left(- \Delta \langle \hat{\sigma}_{x} \rangle\right)"
)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stdout_and_file_are_the_same_bytes(capsys, tmp_path):
    code, out, _ = run(capsys, "latex", "spin-boson", "--moments", "3, 1")
    assert code == 0
    assert out == latex_document(builtin_model("spin-boson"), moments=(1, 3))
    assert "% regenerate with: heatbounds latex spin-boson --moments 1,3\n" in out
    target = tmp_path / "sb.tex"
    code, written, err = run(capsys, "latex", "spin-boson", "--moments", "1,3", "-o", str(target))
    assert code == 0 and written == "" and str(target) in err
    assert target.read_bytes() == out.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["sb.tex"]  # no temporary file left


def test_written_file_compiles(capsys, tmp_path):
    target = tmp_path / "harmonic.tex"
    assert run(capsys, "latex", "harmonic", "-o", str(target))[0] == 0
    compile_latex(target.read_text(), tmp_path, "harmonic")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nonsense"], "unknown model 'nonsense'"),
        (["spin-boson", "--moments", "2"], "even moment s = 2"),
        (["spin-boson", "--moments", "1,4"], "even moment s = 4"),
        (["spin-boson", "--moments", "0"], "odd integer s >= 1"),
        (["spin-boson", "--moments", "1.5"], "'1.5' is not an integer"),
        (["spin-boson", "--moments", "1+2"], "'1+2' is not an integer"),
        (["spin-boson", "--moments", ""], "'' is not an integer"),
    ],
)
def test_refusals_exit_2_and_leave_no_file(capsys, tmp_path, argv, message):
    target = tmp_path / "out.tex"
    code, out, err = run(capsys, "latex", *argv, "-o", str(target))
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_refusal_keeps_an_existing_file(capsys, tmp_path):
    target = tmp_path / "out.tex"
    target.write_text("earlier document\n")
    code, _, _ = run(capsys, "latex", "spin-boson", "--moments", "2", "-o", str(target))
    assert code == 2
    assert target.read_text() == "earlier document\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tex"]


@pytest.mark.parametrize("case", ["directory", "missing parent", "parent is a file", "denied"])
def test_unwritable_output_is_refused_naming_the_path_given(capsys, tmp_path, monkeypatch, case):
    """Fix 3: exit 2, one line naming the -o argument (never a temporary file), nothing left."""
    (tmp_path / "file").write_text("not a directory\n")
    (tmp_path / "dir").mkdir()
    target, reason = {
        "directory": (str(tmp_path / "dir"), "is a directory"),
        "missing parent": (str(tmp_path / "no" / "x.tex"), f"no such directory: {tmp_path / 'no'}"),
        "parent is a file": (
            str(tmp_path / "file" / "x.tex"),
            f"not a directory: {tmp_path / 'file'}",
        ),
        "denied": (
            str(tmp_path / "x.tex"),
            f"cannot create a file in {tmp_path}: permission denied",
        ),
    }[case]
    if case == "denied":  # an unwritable place, also for root: creating the file is refused

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(tmp_path / ".x.tex.abc.tmp"))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(capsys, "latex", "spin-boson", "-o", target)
    assert (code, out) == (2, "")
    assert err == f"heatbounds latex: error: -o {target}: {reason}\n"
    assert ".tmp" not in err and "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


def test_document_states_the_current_bound_for_either_order(capsys):
    """The document gives Eq. 9 (T_L >= T_R) and the bound on |J_Q| for either order."""
    code, out, _ = run(capsys, "latex", "spin-boson")
    assert code == 0
    assert r"\label{eq:spin-boson-current-bound-either-order}" in out
    assert r"|J_{Q}| \le \frac{\pi \alpha \gamma}{4} \hbar k_{B} \left|T_{L} - T_{R}\right|" in out
    assert r"\left|{T_{L}^{2} - T_{R}^{2}}\right|" in out  # Eq. 2 for either order
    assert r"J_{Q} \le " + EQ17 in out  # Eq. 17 itself as printed


def test_derive_latex_for_the_spin_boson_reads_like_the_paper(capsys):
    code, out, _ = run(capsys, "derive", "spin-boson", "--format", "latex")
    assert code == 0
    assert r"\langle \hat{\sigma}_{x} \rangle" in out
    for symbol in (r"\alpha", r"\gamma", r"\hbar", r"k_{B}", r"\Delta"):
        assert symbol in out
    assert r"J_{Q} \le " + EQ17 in out  # Eq. 17
    assert r"\right|_{T_{L} = T_{R}}" in out  # Eq. 18
    assert "- T_{L} + T_{R}" not in out
    assert out.count(r"\label{eq:spin-boson-") == 3


def test_derive_json_latex_matches_the_displayed_bounds(capsys):
    _, latex, _ = run(capsys, "derive", "spin-boson", "--format", "latex")
    _, out, _ = run(capsys, "derive", "spin-boson", "--format", "json")
    data = json.loads(out)
    assert data["current_bound"]["latex"] == EQ17
    for key in ("sum_rule", "current_bound", "conductance_bound"):
        assert data[key]["latex"] in latex


def test_derive_latex_of_the_n_level_model_compiles(capsys, tmp_path):
    code, out, _ = run(capsys, "derive", "n-level", "--format", "latex")
    assert code == 0 and r"\begin{align}" in out
    wrapped = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\allowdisplaybreaks\n"
        f"\\begin{{document}}\n{out}\\end{{document}}\n"
    )
    compile_latex(wrapped, tmp_path, "derive-n-level")
