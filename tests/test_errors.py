"""One error tree: every code the kit raises has its text in German and English with the
placeholders its raise site fills; errors survive pickling; the CLI and IPython show one line."""
from __future__ import annotations

import ast
import os
import pickle
import string
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit import access, i18n, notebook
from kit.errors import (
    CanvasDeclarationError,
    NotFound,
    Refused,
    RequestError,
    StorageFailure,
    StoreError,
    UndoConflict,
    UsageError,
    ValidationError,
    WorkshopError,
    one_line,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "kit").rglob("*.py"))
#: Helpers that take a code and turn it into an error: ``_Problem`` in kit.model (a field's problem,
#: raised as a ValidationError) and ``fail`` in kit.canvases (adds ``where`` and ``key``).
HELPERS = {"_Problem": set(), "fail": {"where", "key"}}


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def error_classes() -> set[str]:
    """Names of WorkshopError and every class in kit/ derived from it (by the source, without importing)."""
    bases: dict[str, set[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    found = {"WorkshopError"}
    while grown := {name for name, parents in bases.items() if parents & found} - found:
        found |= grown
    return found


def is_code(value: object) -> bool:
    return isinstance(value, str) and value.count(".") == 1 and value.replace(".", "").replace("_", "").isalnum() \
        and value == value.lower()


def raise_sites() -> list[tuple[str, str, set[str] | None]]:
    """(where, code, keyword names given) for every error built with a literal code in kit/; the names are
    None when the call also passes ``**params`` (then the text may use any). Class defaults count too."""
    callers = error_classes() | set(HELPERS)
    sites: list[tuple[str, str, set[str] | None]] = []
    for path in SOURCES:
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in callers:
                given: set[str] | None = {k.arg for k in node.keywords if k.arg is not None}
                if any(k.arg is None for k in node.keywords):
                    given = None
                elif given is not None:
                    given |= HELPERS.get(_name(node.func), set())
                sites += [(f"{where}:{node.lineno}", a.value, given) for a in node.args
                          if isinstance(a, ast.Constant) and is_code(a.value)]
            elif isinstance(node, ast.ClassDef) and _name_bases(node) & callers:
                sites += [(f"{where}:{stmt.lineno}", stmt.value.value, None) for stmt in node.body
                          if isinstance(stmt, ast.Assign) and [_name(t) for t in stmt.targets] == ["code"]
                          and isinstance(stmt.value, ast.Constant) and is_code(stmt.value.value)]
    return sites


def _name_bases(node: ast.ClassDef) -> set[str]:
    return {_name(b) for b in node.bases}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


SITES = raise_sites()


def test_the_scanner_sees_the_raise_sites() -> None:
    codes = {code for _, code, _ in SITES}
    # one of each way a code reaches an error: a field problem, a canvas helper, a class default, a direct raise
    assert {"validation.too_long", "canvases.missing", "errors.not_found", "cli.tokens_equal",
            "workshop.no_record", "report.no_chromium"} <= codes
    assert {"ServeError", "BrowserNotFound", "ReportError", "ValidationError"} <= error_classes()


@pytest.mark.parametrize("where, code, given", SITES, ids=[f"{w} {c}" for w, c, _ in SITES])
def test_every_code_has_both_texts_and_its_placeholders_are_filled(where: str, code: str,
                                                                   given: set[str] | None) -> None:
    entry = i18n.catalogue().get(code)
    assert entry is not None, f"{where}: no text {code!r} in kit/texts"
    for lang in i18n.LANGUAGES:
        assert entry.get(lang), f"{where}: {code} has no {lang} text"
        if given is not None:
            missing = placeholders(entry[lang]) - given
            assert not missing, f"{where}: {code} ({lang}) needs {sorted(missing)}, the raise gives {sorted(given)}"
            i18n.t(code, lang, **dict.fromkeys(given, 1))  # formats (":g", ":,", "!r") accept a number


SAMPLES: list[WorkshopError] = [
    WorkshopError(), UsageError("method.no_step", name="x", steps="00_setup"),
    NotFound("workshop.no_record", kind="observation", id=7),
    Refused("access.budget", voter="Ida", used=3, budget=3), UndoConflict(),
    CanvasDeclarationError("canvases.missing", where="canvases/x.yaml", key="title.en"), StoreError(),
    StorageFailure(), RequestError(),
    ValidationError("touchpoint", "ist_rating", "validation.range", lo=1, hi=5, value=9),
]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_errors_pickle_round_trip(error: WorkshopError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert (again.code, again.params, str(again)) == (error.code, error.params, str(error))
    assert again.render("de") == error.render("de")
    assert isinstance(again, WorkshopError)


def test_validation_error_renders_in_both_languages() -> None:
    with pytest.raises(kit.ValidationError) as caught:
        kit.model.kind("touchpoint").validate({"stage": "contact", "name": "Hotline", "ist_rating": 9})
    error = caught.value
    assert kit.model.ValidationError is ValidationError and isinstance(error, ValueError)
    assert (error.kind, error.field, error.problem_code) == ("touchpoint", "ist_rating", "validation.range")
    assert error.render("en") == str(error) == "touchpoint.ist_rating must be 1..5, got 9"
    assert error.render("de") == "touchpoint.ist_rating muss zwischen 1 und 5 liegen, nicht 9"
    assert error.problem == "must be 1..5, got 9"


def test_not_found_is_a_key_error_with_an_unquoted_message(ws: kit.Workshop) -> None:
    with pytest.raises(KeyError) as caught:
        ws.observations[99]
    assert isinstance(caught.value, NotFound)
    assert str(caught.value) == "no observation with id 99"
    assert caught.value.render("de") == "Kein Eintrag vom Typ observation mit der Nummer 99"


def test_one_line_joins_lines_and_shows_both_languages_when_the_language_is_unknown() -> None:
    error = UsageError("notebooks.no_workshop")
    both = one_line(error)
    assert both == f"{error.render('de')} / {error.render('en')}" and "\n" not in both
    assert one_line(error, "en") == error.render("en")
    # a code without a text still names itself and its parameters rather than hiding the error
    assert one_line(WorkshopError("nowhere.nothing", n=1)) == "nowhere.nothing (n=1)"


# ------------------------------------------------------------------------------ the CLI
def kit_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_cli_prints_one_line_for_a_missing_and_a_foreign_file(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.workshop"
    foreign.write_bytes(b"just some notes\n")
    for path in (tmp_path / "missing.workshop", foreign):
        done = kit_cli("info", str(path))
        assert done.returncode == 2, done
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"kit: error: {path}"), done.stderr
        assert "Traceback" not in done.stderr and not done.stdout
    assert foreign.read_bytes() == b"just some notes\n"


def test_cli_speaks_the_workshop_language_once_it_knows_it(tmp_path: Path) -> None:
    path = tmp_path / "de.workshop"
    kit.new(path, title="Kundenservice", language="de", actor="tester").close()
    done = kit_cli("export", str(path))  # refused before the workshop is opened: English
    assert (done.returncode, done.stderr) == (2, "kit: error: say what to write: --pdf OUT.pdf, "
                                                 "--html OUT.html and/or --notebook OUT.ipynb\n")
    missing = tmp_path / "nochrome"
    done = kit_cli("export", str(path), "--pdf", str(tmp_path / "out.pdf"), env={"KIT_CHROMIUM": str(missing)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"kit: error: Chromium nicht gefunden unter {missing}; installieren mit: ")
    assert done.stderr.count("\n") == 1


# ------------------------------------------------------------------------------ notebooks
@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    instance = InteractiveShell.instance()
    yield instance
    InteractiveShell.clear_instance()


def test_ipython_shows_a_workshop_error_as_one_line_in_the_workshop_language(
        shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nb.workshop"
    assert shell.run_cell(f"from kit import notebook\nws = notebook.setup({str(path)!r}, title='T', "
                          "language='de')").success
    capsys.readouterr()
    result = shell.run_cell("ws.observations.add(text='   ')")
    out = capsys.readouterr()
    assert isinstance(result.error_in_exec, ValidationError)  # the cell still failed
    lines = [line for line in (out.out + out.err).splitlines() if line.strip()]
    assert lines == ["\x1b[31mobservation.text darf nicht leer sein\x1b[0m"], lines
    result = shell.run_cell("1 / 0")  # anything else keeps its traceback
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_ipython_before_a_workshop_is_open_shows_both_languages(
        shell, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(notebook.ENV, raising=False)
    result = shell.run_cell("from kit import notebook\nnotebook.open_workshop()")
    assert isinstance(result.error_in_exec, UsageError)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "Keine Workshop-Datei" in out and "No workshop file given" in out


def test_show_errors_outside_ipython_does_nothing() -> None:
    script = "import sys\nfrom kit import notebook\nnotebook.show_errors('de')\nprint('IPython' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")  # no error, IPython not even loaded


def test_a_kernel_sends_the_one_line_as_the_cells_error_output(tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    path = tmp_path / "k.workshop"
    nb.cells = [nbformat.v4.new_code_cell(f"from kit import notebook\nws = notebook.setup({str(path)!r}, title='T', "
                                          "language='de')"),
                nbformat.v4.new_code_cell("ws.hypotheses.add(kind='hope', statement='x')")]
    NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not nb.cells[0].outputs
    [error] = nb.cells[1].outputs
    assert error.output_type == "error" and error.ename == "ValidationError"
    assert error.traceback == ["\x1b[31mhypothesis.kind muss einer dieser Werte sein: job, pain, gain; "
                               "nicht 'hope'\x1b[0m"]


#: Where the code is among the positional arguments, when not first: ValidationError(kind, field, code),
#: fail(key, code) in kit.canvases.
CODE_POSITION = {"ValidationError": 2, "fail": 1}


def code_arguments() -> list[tuple[str, ast.expr]]:
    """(where, the expression given as the code) for every error built in kit/ with a code argument."""
    callers = error_classes() | set(HELPERS)
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in callers:
                position = CODE_POSITION.get(_name(node.func), 0)
                if len(node.args) > position:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[position]))
    return found


def test_every_code_is_a_text_key_never_a_sentence_or_a_built_string() -> None:
    """``WorkshopError("nothing to undo")`` or ``RequestError(f"widgets.err_{what}")`` would slip past the
    check of the texts above (neither is a literal code), so the code argument itself is checked."""
    arguments = code_arguments()
    assert len(arguments) > 100 and len(arguments) >= len(SITES) - 10  # the scan sees the raise sites
    wrong = [f"{where}: {ast.unparse(code)}" for where, code in arguments
             if isinstance(code, ast.JoinedStr) or (isinstance(code, ast.Constant) and not is_code(code.value))]
    assert not wrong, "codes must be literal keys of kit/texts:\n" + "\n".join(wrong)


@pytest.mark.parametrize("code", sorted(access.FACILITATOR_ONLY.values()))
def test_the_room_control_refusals_have_their_texts(code: str) -> None:
    """kit.access picks these codes from a table: the same check as for a literal raise."""
    test_every_code_has_both_texts_and_its_placeholders_are_filled("kit/access.py", code, {"actor"})
