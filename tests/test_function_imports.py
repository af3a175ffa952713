"""An import inside a function says why it is not at the top of its module.

Product code imports at the top; an import that must wait (an import cycle, an app registry
that is not ready yet, a heavy library only one process needs) carries a comment saying so,
on the line above it or on the same line. A run of imports at the start of one block shares
the comment above its first line (e.g. an AppConfig.ready() body)."""

import ast
import io
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = (
    "peerchallenge",
    "reports",
    "triads",
    "thematic",
    "ondemand",
    "lga_cspc",
    "benchmarking",
    "improvement",
    "config",
    "bench",
)


def _product_files() -> list[Path]:
    return sorted(
        path
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    )


def _comment_lines(source: str) -> set[int]:
    """The lines that hold a comment (a whole-line one or one after code)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.start[0] for token in tokens if token.type == tokenize.COMMENT}


def _function_imports(tree: ast.Module):
    """Each import statement inside a function, with the statement before it in its block
    (None when it opens the block)."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)

    def walk(node, in_function):
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            previous = None
            for statement in block:
                if in_function and isinstance(statement, (ast.Import, ast.ImportFrom)):
                    yield statement, previous
                yield from walk(statement, in_function or isinstance(statement, functions))
                previous = statement
        for case in getattr(node, "cases", ()) or ():
            yield from walk(case, in_function)

    yield from walk(tree, False)


def unexplained_function_imports() -> list[str]:
    found = []
    for path in _product_files():
        source = path.read_text()
        comments = _comment_lines(source)
        starts = {}  # an import's line -> the line that must carry the comment for it
        for statement, previous in _function_imports(ast.parse(source)):
            follows_import = isinstance(previous, (ast.Import, ast.ImportFrom)) and (
                previous.end_lineno == statement.lineno - 1
                or previous.end_lineno == statement.lineno - 2  # isort's blank line
            )
            first = starts[previous.lineno] if follows_import else statement.lineno
            starts[statement.lineno] = first
            if not comments & {first - 1, statement.lineno}:
                found.append(f"{path.relative_to(ROOT)}:{statement.lineno}")
    return found


def test_every_function_level_import_says_why():
    assert unexplained_function_imports() == []


def test_the_check_finds_an_import_without_a_reason(tmp_path, monkeypatch):
    """A positive control: the walk does see function-level imports."""
    module = tmp_path / "config" / "example.py"
    module.parent.mkdir()
    module.write_text(
        "def f():\n"
        "    import os\n"
        "\n"
        "    return os\n"
        "\n"
        "\n"
        "def g():\n"
        "    # Here: a reason.\n"
        "    import sys\n"
        "\n"
        "    from json import dumps\n"
        "\n"
        "    return sys, dumps\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert unexplained_function_imports() == ["config/example.py:2"]
