"""The JSON cache: a record comes back only for exactly its parameters and version."""

from __future__ import annotations

import json

from heatbounds.numeric.disk_cache import JsonCache, default_cache_dir


def test_round_trip_and_misses(tmp_path):
    cache = JsonCache("points", version=2, directory=tmp_path)
    params = {"T": 0.5, "alpha": 0.2}
    assert cache.load(params) is None
    path = cache.store(params, {"kappa": [1.0, 2.0]})
    assert path.parent == tmp_path and path.name.startswith("points-")
    assert cache.load(params)["kappa"] == [1.0, 2.0]
    assert cache.load({"T": 0.5, "alpha": 0.3}) is None  # another parameter
    assert JsonCache("points", version=3, directory=tmp_path).load(params) is None
    assert JsonCache("other", version=2, directory=tmp_path).load(params) is None
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_a_file_whose_parameters_differ_is_not_used(tmp_path):
    """A hash collision or a hand-edited file must not return foreign numbers."""
    cache = JsonCache("points", version=1, directory=tmp_path)
    path = cache.store({"T": 1.0}, {"x": 1})
    data = json.loads(path.read_text())
    data["parameters"] = {"T": 2.0}
    path.write_text(json.dumps(data))
    assert cache.load({"T": 1.0}) is None
    path.write_text("not json")
    assert cache.load({"T": 1.0}) is None


def test_default_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path / "a"))
    assert default_cache_dir() == tmp_path / "a"
    monkeypatch.delenv("HEATBOUNDS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "heatbounds"
