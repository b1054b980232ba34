"""The Jsonnet engines a project can compile with, behind one call.

- `jsonnet`: the official C++ binding, the reference: what Jsonnet means is what it does.
- `gojsonnet`: the official Go implementation, several times faster.
- `rjsonnet`: jrsonnet (Rust), over ten times faster; the default.

All three give byte-identical output for the project's dashboards and pass the library's `*_test.jsonnet`
(the tests check both on every engine). Each binding is imported only when a compile needs it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import importlib.util
import json
import os
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from metta_dash import engine_thread, imports
from metta_dash.errors import ConfigError

REFERENCE = "jsonnet"
# The file name of a snippet that only imports the source (it shows as the outermost frame of errors).
WRAPPER = "<metta-dash>"

# Import callback: (folder of the importing file, imported path) -> (path found, content).
ImportCallback = Callable[[str, str], tuple[str, bytes]]


@dataclasses.dataclass(frozen=True)
class Engine:
    """One Jsonnet binding: its name (the setting's value), the module it lives in, the package to install."""

    name: str
    module_name: str
    package: str
    # rjsonnet wants imported files as str (the C++ and Go bindings want bytes), and resolves a snippet's
    # imports against the working folder instead of the snippet's: it is given a one-line snippet importing
    # the source, served from memory, so the source's imports resolve against its own folder. It evaluates on
    # the engine thread (see `engine_thread`: a process need not free the last evaluation's objects).
    jrsonnet_quirks: bool = False

    @functools.cached_property
    def module(self) -> ModuleType:
        try:
            return importlib.import_module(self.module_name)
        except ImportError:
            raise ConfigError(
                f"Jsonnet engine {self.name!r} is not installed",
                hint=f"pip install {self.package}, or choose another engine ({', '.join(ENGINES)})",
            ) from None

    @property
    def version(self) -> str:
        module = self.module
        return str(getattr(module, "__version__", None) or getattr(module, "version", "unknown"))

    @property
    def is_installed(self) -> bool:
        return importlib.util.find_spec(self.module_name) is not None

    def evaluate(
        self,
        filename: str,
        text: str,
        *,
        import_callback: ImportCallback,
        native_callbacks: Mapping[str, tuple[tuple[str, ...], Callable[..., Any]]],
        ext_vars: Mapping[str, str],
        ext_codes: Mapping[str, str],
        tla_vars: Mapping[str, str],
        tla_codes: Mapping[str, str],
    ) -> str:
        """The JSON text `text` evaluates to; RuntimeError with the engine's own wording when it fails."""
        resolve: Callable[[str, str], tuple[str, bytes | str]] = import_callback
        if self.jrsonnet_quirks:
            source, source_text = os.path.abspath(filename), text

            def resolve(folder: str, path: str) -> tuple[str, str]:
                if engine_thread.stopping():  # the caller was interrupted: end the evaluation here
                    raise RuntimeError("interrupted")
                if path == source:
                    return source, source_text
                found, content = import_callback(folder, path)
                return found, imports.decoded(found, content)  # the other engines take bytes; this one only text

            filename, text = WRAPPER, f"import {json.dumps(source)}"

        def evaluate() -> str:
            return self.module.evaluate_snippet(
                filename, text,
                import_callback=resolve,
                native_callbacks=dict(native_callbacks),
                ext_vars=dict(ext_vars), ext_codes=dict(ext_codes),
                tla_vars=dict(tla_vars), tla_codes=dict(tla_codes),
            )

        try:
            return engine_thread.run(evaluate) if self.jrsonnet_quirks else evaluate()
        except RuntimeError as error:
            if self.jrsonnet_quirks:  # the wrapper snippet's frame is no place in the user's files
                raise RuntimeError("\n".join(line for line in str(error).splitlines() if WRAPPER not in line)) \
                    from None
            raise
        except UnicodeDecodeError:
            # gojsonnet garbles the message of an import callback's exception; the callback knows what failed.
            raise RuntimeError(f"{self.name}: the compile failed with an unreadable message") from None


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("rjsonnet", "rjsonnet", "rjsonnet", jrsonnet_quirks=True),
        Engine("gojsonnet", "_gojsonnet", "gojsonnet"),
        Engine(REFERENCE, "_jsonnet", "jsonnet"),
    )
}
# Fastest first: the default is the first one installed.
PREFERENCE = ("rjsonnet", "gojsonnet", REFERENCE)


def default_name() -> str:
    return next((name for name in PREFERENCE if ENGINES[name].is_installed), REFERENCE)


def get(name: str | None) -> Engine:
    """The engine called `name` (None: the default); ConfigError naming the choices for anything else."""
    if name is None:
        name = default_name()
    try:
        return ENGINES[name]
    except KeyError:
        raise ConfigError(
            f"unknown Jsonnet engine {name!r}", hint=f"choose one of {', '.join(ENGINES)}"
        ) from None
