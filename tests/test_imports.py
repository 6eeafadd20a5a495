"""Import hygiene: a light top-level import, and imports that flow one way."""

import ast
import pathlib
import subprocess
import sys

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "smote_diag"
HEAVY = (
    "umap",
    "numba",
    "matplotlib.pyplot",
    "ipywidgets",
    "imblearn",
    "tqdm",
    "dask",
    "polars",
    "pyarrow",
    "faiss",
)


def test_import_smote_diag_stays_light():
    # What numpy, pandas and scikit-learn load themselves is theirs (pandas 3 loads pyarrow
    # when it is installed); smote_diag must load nothing heavy on top.
    code = (
        "import sys, numpy, pandas, sklearn; before = set(sys.modules); import smote_diag; "
        f"print([m for m in {HEAVY!r} if m in sys.modules and m not in before])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_polars_and_pyarrow_are_imported_only_inside_functions():
    for path in PACKAGE.rglob("*.py"):
        for module in _module_level_imports(path):
            assert module.split(".")[0] not in ("polars", "pyarrow"), (
                f"{path.name} imports {module}"
            )


CORE = [
    "_validation.py",
    "_neighbours.py",
    "_jsonable.py",
    "_progress.py",
    "_rowfacts.py",
    "_format.py",
    "_dask.py",
    "_tables.py",
    "diagnose.py",
    "recommend.py",
    "session.py",
    "datasets.py",
    "exceptions.py",
] + [str(p.relative_to(PACKAGE)) for p in (PACKAGE / "diagnostics").glob("*.py")]
CORE_ALLOWED = {
    "numpy",
    "pandas",
    "scipy",
    "sklearn",
    "__future__",
    "collections",
    "dataclasses",
    "typing",
    "difflib",
    "numbers",
    "math",
    "zlib",
    "importlib",
    "textwrap",
    "contextlib",
    "datetime",
    "itertools",
    "json",
    "pathlib",
    "functools",
    "warnings",
    "os",
    "sys",
    "re",
}
FACES = ("report", "plot", "widgets", "magic", "cli")


def _module_level_imports(path: pathlib.Path):
    tree = ast.parse(path.read_text())
    for node in tree.body:  # module level only: methods may reach out
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_core_imports_only_numpy_pandas_scipy_sklearn():
    for name in CORE:
        for module in _module_level_imports(PACKAGE / name):
            if module.startswith("."):
                assert not any(face in module for face in FACES + ("samplers", "resample")), (
                    f"{name} imports {module}"
                )
            else:
                assert module.split(".")[0] in CORE_ALLOWED, f"{name} imports {module}"


def test_nothing_imports_the_faces():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__main__.py" or path.parent.name in FACES or path.stem in FACES:
            continue
        for module in _module_level_imports(path):
            assert not any(module.lstrip(".").split(".")[0] == face for face in FACES), (
                f"{path.name} imports {module}"
            )


def test_importing_a_submodule_keeps_the_function_of_the_same_name():
    code = (
        "import smote_diag, smote_diag.resample, smote_diag.evaluate; "
        "smote_diag.ResampleResult; "
        "print(callable(smote_diag.resample), callable(smote_diag.evaluate))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _module_level_edges(path: pathlib.Path):
    """The package's modules ``path`` imports at module level: ``from . import name`` is an
    edge to the submodule ``name`` when there is one, else to the package (whose
    ``__init__`` then has to run first)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            base = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
            targets = [
                f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base
                for alias in node.names
            ]
        else:
            continue
        yield from (t for t in targets if t.split(".")[0] == PACKAGE.name and t != name)


def _cycle(graph: dict) -> list | None:
    """One cycle of ``graph`` (a list of its modules, the first repeated last), or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in graph:
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_package_has_no_import_cycle_at_module_level():
    graph = {_module_name(p): set(_module_level_edges(p)) for p in PACKAGE.rglob("*.py")}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
