"""The one Jinja2 environment of the codegen wing.

Strict (``StrictUndefined``: a missing variable is an error, never an empty
string), no autoescaping (we emit LaTeX and Python, not HTML), and whitespace
control that lets templates read like the code they emit. Output is
deterministic: no timestamps, no dict-order surprises (callers pass sorted
view-models).
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["jinja_env", "render"]


@cache
def jinja_env() -> Environment:
    """The cached, strict environment loading ``heatbounds/codegen/templates/``."""
    return Environment(
        loader=PackageLoader("heatbounds.codegen", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context) -> str:
    """Render ``template`` (a path under ``templates/``) with ``context``."""
    return jinja_env().get_template(template).render(**context)
