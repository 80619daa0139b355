"""``heatbounds transport``: the HEOM point with its JSON contract, cache and refusals."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("qutip")

ARGS = ["--t-left", "1.5", "--t-right", "0.5", "--alpha-l", "0.1", "--alpha-r", "0.1",
        "--omega-c", "10", "--tolerance", "0.05"]  # fmt: skip
KEYS = {"current", "current_error", "current_bound", "ballistic_bound", "expectations", "heom"}


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path_factory.mktemp("transport-cache")))
        yield


def test_json_contract_and_the_bounds_hold(run_command):
    status, out, err = run_command("transport", "spin-boson", *ARGS, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) >= KEYS
    assert set(data["heom"]) >= {"depth", "exponents", "fit_error", "ados"}
    assert 0 < data["current"] <= data["current_bound"] <= data["ballistic_bound"]
    assert data["expectations"]["sigma_x"] < 0
    assert data["converged"] is True


def test_a_finished_point_is_read_from_the_cache(run_command, monkeypatch):
    run_command("transport", "spin-boson", *ARGS, "--json")
    from heatbounds.numeric import heom_transport

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed a cached point")

    monkeypatch.setattr(heom_transport, "exact_transport", refuse)
    status, out, _ = run_command("transport", "spin-boson", *ARGS)
    assert status == 0 and "J_Q = " in out and "Eq. 9 bound" in out
    status, _, err = run_command("transport", "spin-boson", *ARGS, "--no-cache")
    assert status == 3 and "recomputed a cached point" in err  # --no-cache does compute


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--t-left", "0"], "--t-left: must be > 0"),
        (["--alpha-l", "-0.1"], "--set alpha_L: must be >= 0"),
        (["--omega-c", "0"], "--omega-c: must be > 0"),
        (
            ["--alpha-l", "0.6", "--alpha-r", "0.5"],
            "alpha = alpha_L + alpha_R must be < 1, got 1.1",
        ),
        (["--set", "nope=1"], "--set: unknown parameter 'nope'"),
        (["--tolerance", "0"], "--tolerance: must be > 0"),
    ],
)
def test_bad_input_is_refused_before_any_solver_starts(run_command, extra, message):
    status, out, err = run_command("transport", "spin-boson", *ARGS, *extra)
    assert status == 2 and out == "" and message in err


def test_a_model_without_a_cutoff_is_refused(run_command, tmp_path):
    model = tmp_path / "lorentz.toml"
    model.write_text(
        'name = "lorentz"\ndescription = "spin with a Lorentzian bath"\n'
        '[operators]\ns = "spin-1/2"\n[parameters]\nDelta = "positive"\n'
        'w_r = "positive"\nwidth = "positive"\n'
        '[model]\nhamiltonian = "hbar*Delta/2*s.x"\ncoupling = ["s.z"]\n'
        'dissipation = "lorentzian:w_r,width"\n'
    )
    status, _, err = run_command("transport", str(model), *ARGS)
    assert status == 2 and "no high-frequency cutoff" in err
