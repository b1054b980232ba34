"""Everything generated from the OpenAPI spec, written in one go (`metta-dash schema generate`, `make schema`):
the widget schema, the Jsonnet core (components/gen/) and its API reference (docs/api/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from metta_dash.schema import builders, reference
from metta_dash.schema import generate as schema_generator
from metta_dash.schema.model import Model
from metta_dash.schema.spec import ensure_spec


def generated_files(schema: dict[str, Any]) -> dict[Path, str]:
    """Absolute path -> text of every Jsonnet and Markdown file generated from `schema`."""
    model = Model(schema["$defs"])
    files = {builders.GEN_DIR / name: text for name, text in builders.render_all(model).items()}
    files.update({reference.DOCS_DIR / name: text for name, text in reference.render_all(model).items()})
    return files


def regenerate(schema_output: Path | None = None) -> list[Path]:
    """Regenerate the schema from the cached spec, then the core and the reference from that schema."""
    schema = schema_generator.generate(ensure_spec())
    target = Path(schema_output) if schema_output is not None else schema_generator.SCHEMA_PATH
    schema_generator.write(schema, target)
    model = Model(schema["$defs"])
    builders.write_all(builders.render_all(model), builders.GEN_DIR)
    builders.write_all(reference.render_all(model), reference.DOCS_DIR, pattern="*.md")
    return [target, builders.GEN_DIR, reference.DOCS_DIR]
