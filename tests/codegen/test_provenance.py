"""Generated files name their model: a built-in name, or a model file's path and sha256.

``models/harmonic.toml`` has ``name = "harmonic"`` but is Eq. 13 as printed
(no counterterm), not the built-in ``harmonic``: an emitted module or a LaTeX
document made from it must name the file, never claim the built-in model, and
stay byte-identical across processes (codegen/provenance.py).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from fresh_processes import outputs_across_hash_seeds

from heatbounds.codegen.emit import emit_module
from heatbounds.codegen.latex_document import latex_document
from heatbounds.model_files import load_model
from heatbounds.symbolic.models import builtin_model, harmonic

ROOT = Path(__file__).resolve().parents[2]
HARMONIC = "models/harmonic.toml"
SHA256 = hashlib.sha256((ROOT / HARMONIC).read_bytes()).hexdigest()


@pytest.fixture
def in_root(monkeypatch):
    """Run from the repository root, so that ``models/harmonic.toml`` is the path given."""
    monkeypatch.chdir(ROOT)


def header(source: str) -> list[str]:
    return [line for line in source.splitlines() if line.startswith("#")]


def test_loaded_file_carries_its_path_and_sha256(in_root):
    junction = load_model(HARMONIC)
    assert junction.origin.path == HARMONIC and junction.origin.sha256 == SHA256
    assert builtin_model("harmonic").origin is None
    assert load_model("harmonic").origin is None


def test_module_from_a_model_file_names_the_file_not_the_builtin(in_root):
    command = f"heatbounds emit {HARMONIC} --units reduced"
    lines = header(emit_module(load_model(HARMONIC), command=command))
    assert lines[3:6] == [
        f"# Source: model file {HARMONIC}",
        f"# sha256 of the model file: {SHA256}",
        f"# Derived as: heatbounds derive {HARMONIC} --moment 1",
    ]
    assert lines[7] == f"# Regenerate: {command}"
    text = "\n".join(lines)
    assert "built-in" not in text and "heatbounds derive harmonic " not in text


def test_module_from_the_builtin_says_heatbounds_derive_harmonic():
    lines = header(emit_module(builtin_model("harmonic"), moment=3, command="x"))
    assert lines[3] == "# Source: heatbounds derive harmonic --moment 3"
    assert not any("model file" in line for line in lines)


def test_module_from_a_python_junction_claims_no_command():
    lines = header(emit_module(harmonic(anharmonic_order=6), command="x"))
    assert lines[3].startswith("# Source: junction 'anharmonic-x6' built in Python")
    assert not any("heatbounds derive" in line for line in lines)


def test_a_path_with_spaces_is_quoted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("my models").mkdir()
    shutil.copy(ROOT / HARMONIC, "my models/h.toml")
    lines = header(emit_module(load_model("my models/h.toml"), command="x"))
    assert lines[3] == "# Source: model file my models/h.toml"
    assert lines[5] == "# Derived as: heatbounds derive 'my models/h.toml' --moment 1"
    document = latex_document(load_model("my models/h.toml"))
    assert "% regenerate with: heatbounds latex 'my models/h.toml' --moments 1\n" in document


def test_file_emission_is_byte_identical_across_processes(in_root):
    script = (
        "import sys; from heatbounds.codegen.emit import emit_module;"
        "from heatbounds.model_files import load_model;"
        "sys.stdout.write(emit_module(load_model(sys.argv[1]), command='x'))"
    )
    outputs = outputs_across_hash_seeds(script, HARMONIC, cwd=ROOT)
    assert outputs == {emit_module(load_model(HARMONIC), command="x")}


def test_document_from_a_model_file_names_the_file(in_root):
    lines = latex_document(load_model(HARMONIC)).splitlines()
    assert lines[1] == f"% regenerate with: heatbounds latex {HARMONIC} --moments 1"
    assert lines[3] == f"% model: model file {HARMONIC} (sha256 {SHA256})"
    document = "\n".join(lines)
    assert r"read from the model file \texttt{models/\allowbreak{}harmonic.toml}" in document
    assert "built-in" not in document


def test_document_from_the_builtin_names_the_builtin():
    lines = latex_document(builtin_model("harmonic")).splitlines()
    assert lines[1] == "% regenerate with: heatbounds latex harmonic --moments 1"
    assert lines[3] == "% model: built-in model harmonic"
    assert r"the built-in model \texttt{harmonic}" in "\n".join(lines)
