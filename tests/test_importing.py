"""Importing notes from board exports (CSV in every shape Excel writes, XLSX) and exporting them back.

Every file is written by the test itself; nothing is downloaded."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from inputs import STORABLE
from kit import board_csv, errors, importing

MIRO = [["Content", "Frame", "Tags", "Author", "Votes", "Created"],
        ["Legt auf, sobald die Summe genannt wird", "Verhalten", "anruf", "Anna", "3", "14.03.2026 09:30"],
        ["„Zu teuer“, sagt sie \u2013 ärgerlich", "Zitate", "", "Ben", "", "2026-03-14T10:00"],
        ["Zettel mit Kontonummer am Kühlschrank", "artefact", "zuhause", "", "1", ""]]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def texts(ws: kit.Workshop) -> list[str]:
    return [o["text"] for o in ws.observations]


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ";"),
                                                     ("utf-8", ";"), ("utf-8", "\t")])
def test_csv_shapes_are_read_and_columns_recognised(ws: kit.Workshop, tmp_path: Path, encoding: str,
                                                    delimiter: str) -> None:
    rows = MIRO  # cp1252 has no emoji, but has quotes, dashes and umlauts
    path = write_csv(tmp_path / "board.csv", rows, delimiter=delimiter, encoding=encoding)
    plan = importing.plan(ws, path, "observations")
    assert plan.table.encoding == encoding and plan.table.delimiter == delimiter
    assert set(plan.columns) == {"text", "kind", "observed_by", "when"}  # votes: observations have none
    assert plan.ignored == ["Tags", "Votes"]
    assert plan.problems == [] and len(ws.observations) == 0  # planning writes nothing
    plan.commit()
    stored = ws.observations.all()
    assert [o["text"] for o in stored] == [r[0] for r in rows[1:]]
    assert [o["kind"] for o in stored] == ["behaviour", "quote", "artefact"]  # title (de), title, id
    assert [o["observed_by"] for o in stored] == ["Anna", "Ben", ""]
    assert [o["when"] for o in stored] == ["2026-03-14T09:30", "2026-03-14T10:00", None]


def test_xlsx_first_sheet_with_header(ws: kit.Workshop, tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    for row in [["Note", "Group", "Dots"], ["Anruf ohne Vorwarnung", "need_arises", 2],
                [None, None, None], ["Portal zeigt nur den Betrag", "Website", None]]:
        sheet.append(row)
    book.create_sheet("Other").append(["ignored"])
    book.save(tmp_path / "ideas.xlsx")
    plan = importing.plan(ws, tmp_path / "ideas.xlsx", "ideas")
    assert [line for line, _ in plan.rows] == [2, 4]  # the blank row 3 is skipped, lines stay the sheet's
    plan.commit()
    assert [(i["text"], i["stage"], i["votes"]) for i in ws.ideas] == [
        ("Anruf ohne Vorwarnung", "need_arises", {"import": 2}), ("Portal zeigt nur den Betrag", "website", {})]


def test_map_names_the_other_columns_and_preview_is_a_dry_run(ws: kit.Workshop, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mural.csv", [["Sticky", "Wer", "Wo", "Spalte X"],
                                              ["Schaut weg", "Sandra", "Telefon", "quote"]])
    with pytest.raises(errors.UsageError, match=r"--map names column 'Nope', which mural\.csv does not have"):
        importing.plan(ws, path, "observations", {"who": "Nope"})
    with pytest.raises(errors.UsageError, match=r"--map 'colour=Wer': give FIELD=COLUMN with a field of observation"):
        importing.plan(ws, path, "observations", {"colour": "Wer"})
    plan = importing.plan(ws, path, "observations", {"who": "Wer", "touchpoint": "Wo", "area": "Spalte X"})
    assert plan.preview() == [{"line": "2", "text": "Schaut weg", "who": "Sandra", "touchpoint": "Telefon",
                               "kind": "quote"}]
    lines = list(importing.preview_lines(plan, "en"))
    assert lines[0].startswith("1 notes from mural.csv into Observations; columns: Sticky → text")
    assert len(ws.observations) == 0
    plan.commit()
    assert ws.observations.all()[0]["who"] == "Sandra"


def test_one_undo_removes_the_whole_import(ws: kit.Workshop, tmp_path: Path) -> None:
    ws.observations.add(text="schon da")
    rows = [["text", "area"], *([f"Notiz {i}", "Verhalten"] for i in range(50))]
    importing.plan(ws, write_csv(tmp_path / "many.csv", rows), "observations").commit()
    assert len(ws.observations) == 51
    ws.undo()
    assert texts(ws) == ["schon da"]
    ws.redo()
    assert len(ws.observations) == 51


def test_a_bad_row_is_named_by_line_and_nothing_is_stored(ws: kit.Workshop, tmp_path: Path) -> None:
    rows = [["Content", "Frame"], ["gut", "Verhalten"], ["mehrzeilig\nzweite Zeile", "Zitate"],
            ["falsch", "Gefühle"], ["auch falsch", "Nirgends"]]
    plan = importing.plan(ws, write_csv(tmp_path / "bad.csv", rows), "observations")
    assert [line for line, _ in plan.problems] == [5, 6]  # the quoted cell spans lines 3-4
    with pytest.raises(importing.RowRefused) as refused:
        plan.commit()
    message = str(refused.value)
    assert message == ("bad.csv line 5: area 'Gefühle' is not on Observations (areas: Behaviour, Quotes, "
                       "Artefacts, Other); nothing was imported. (1 more bad rows) To put every row into one area: "
                       "--area ID (behaviour, quote, artefact, other); to leave the column 'Frame' out: --map kind=")
    assert "\n" not in message
    assert refused.value.render("de").startswith("bad.csv Zeile 5: Bereich 'Gefühle' gibt es auf")
    assert len(ws.observations) == 0


@pytest.mark.parametrize("name", sorted(STORABLE))
def test_hostile_text_stays_literal(ws: kit.Workshop, tmp_path: Path, name: str) -> None:
    value = STORABLE[name]
    importing.plan(ws, write_csv(tmp_path / "x.csv", [["text", "author"], [value, value]]), "observations").commit()
    (stored,) = ws.observations.all()
    assert stored["text"] == value and stored["observed_by"] == value


def test_nul_means_not_a_text_file(ws: kit.Workshop, tmp_path: Path) -> None:
    with pytest.raises(errors.UsageError, match=r"nul\.csv: neither UTF-8 nor Windows-1252"):
        importing.plan(ws, write_csv(tmp_path / "nul.csv", [["text"], ["vor\x00nach"]]), "observations")


@pytest.mark.parametrize(("content", "message"), [
    ("Notiz,Frame\n".encode("utf-16"), r"bad\.csv: neither UTF-8 nor Windows-1252 text"),
    (b"text\n\x81\x8d\x8f broken\n", r"bad\.csv: neither UTF-8 nor Windows-1252 text"),
    (b"", r"bad\.csv is empty; nothing was imported"),
    (b"\xef\xbb\xbf\r\n\r\n", r"bad\.csv is empty; nothing was imported"),
    (b"Content;Frame\r\n", r"bad\.csv has a header row but no rows below it"),
    (b"Content,Frame\n,\n\n", r"bad\.csv has a header row but no rows below it"),
    (b"Farbe,Stimmen\nrot,2\n", r"bad\.csv: no column with the notes' text found \(columns: Farbe, Stimmen\)"),
])
def test_files_refused_with_one_line_and_nothing_stored(ws: kit.Workshop, tmp_path: Path, content: bytes,
                                                         message: str) -> None:
    (tmp_path / "bad.csv").write_bytes(content)
    with pytest.raises(errors.UsageError, match=message) as refused:
        importing.plan(ws, tmp_path / "bad.csv", "observations")
    assert "\n" not in str(refused.value) and refused.value.render("de") != str(refused.value)
    assert len(ws.observations) == 0 and ws.store.last_seq() == 0


def test_not_a_workbook_and_unknown_targets(ws: kit.Workshop, tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_text("Content\nx\n", encoding="utf-8")
    with pytest.raises(errors.UsageError, match=r"fake\.xlsx: not a readable \.xlsx workbook"):
        importing.plan(ws, tmp_path / "fake.xlsx", "observations")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(errors.UsageError, match=r"import reads \.csv and \.xlsx files, not '\.json'"):
        importing.plan(ws, tmp_path / "notes.json", "observations")
    with pytest.raises(errors.UsageError, match=r"--into must be observations, evidence, ideas or canvas:<id>"):
        importing.plan(ws, tmp_path / "notes.json", "canvas:nope")


def test_evidence_from_dovetail_highlights(ws: kit.Workshop, tmp_path: Path) -> None:
    ws.interviews.add(pseudonym="Gesprächspartnerin A")
    tp = ws.touchpoints.add(stage="contact", name="Erstes Telefonat")
    h = ws.hypotheses.add(kind="pain", statement="Die Summe macht Angst")
    path = write_csv(tmp_path / "dovetail.csv", [
        ["Highlight", "Participant", "Touchpoint", "Score", "Hypothesis", "Stance"],
        ["„Ich habe aufgelegt.“", "Gesprächspartnerin A", "erstes telefonat", "\u22122", f"H{h}", "supports"],
        ["„Der Brief war klar.“", "P7", "", "1", "", "Neue Erkenntnis"]])
    plan = importing.plan(ws, path, "evidence")
    assert plan.new_interviews == ["P7"]
    plan.commit()
    first, second = ws.evidence.all()
    assert (first["touchpoint"], first["experience"], first["hypothesis"], first["stance"]) == (tp, -2, h, "supports")
    assert second["stance"] == "new_insight" and ws.interviews[second["interview"]]["pseudonym"] == "P7"
    ws.undo()  # the new interview goes with the import
    assert len(ws.evidence) == 0 and [i["pseudonym"] for i in ws.interviews] == ["Gesprächspartnerin A"]
    bad = write_csv(tmp_path / "bad.csv", [["Highlight", "Participant", "Touchpoint"], ["x", "P1", "Fax"]])
    with pytest.raises(importing.RowRefused, match=r"bad\.csv line 2: touchpoint 'Fax' does not exist"):
        importing.plan(ws, bad, "evidence").commit()
    with pytest.raises(errors.UsageError, match=r"no column for the required field interview"):
        importing.plan(ws, write_csv(tmp_path / "n.csv", [["Highlight"], ["x"]]), "evidence")


def test_export_import_export_gives_the_same_notes(sample: kit.Workshop, tmp_path: Path) -> None:
    first = board_csv.export(sample, tmp_path / "one")
    assert {p.stem for p in first} >= {"value_proposition", "touchpoint_map", "observation_board", "idea_board"}
    vpc = (tmp_path / "one" / "value_proposition.csv").read_text(encoding="utf-8-sig")
    assert vpc.splitlines()[0] == ("id;area;text;rank;votes;links;author" if sample.language == "de"
                                   else "id,area,text,rank,votes,links,author")
    names = {a for o in sample.observations for a in (o["observed_by"],) if a}
    assert not any(name in (tmp_path / "one" / "observation_board.csv").read_text(encoding="utf-8-sig")
                   for name in names if len(name) > 3)  # authors under pseudonyms
    with kit.new(tmp_path / "copy.workshop", title="Kopie", language=sample.language, actor="t") as copy:
        for path in first:
            importing.plan(copy, path, board_csv.target_of(path)).commit()
        second = board_csv.export(copy, tmp_path / "two")
        assert [p.name for p in second] == [p.name for p in first]
        for one, two in zip(first, second, strict=True):
            old, new = (list(csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig")),
                                        delimiter=";" if sample.language == "de" else ",")) for p in (one, two))
            assert len(new) == len(old)
            # ids are new in the copy; every other column, links included (by position), is the same
            old_ids = {row[0]: n for n, row in enumerate(old)}
            new_ids = {row[0]: n for n, row in enumerate(new)}
            for a, b in zip(old[1:], new[1:], strict=True):
                assert a[1:5] == b[1:5] and a[6] == b[6]
                assert [old_ids[i] for i in a[5].split(",") if i] == [new_ids[i] for i in b[5].split(",") if i]


def test_cli_import_previews_then_imports_and_export_writes_csv(tmp_path: Path) -> None:
    path = tmp_path / "w.workshop"
    kit.new(path, title="CLI", language="en", actor="t").close()
    source = write_csv(tmp_path / "board.csv", MIRO, delimiter=";", encoding="cp1252")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kit", *args]  # our own interpreter and arguments
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL, check=False)

    dry = run("import", str(path), str(source), "--into", "observations", "--map", "who=Tags")
    assert dry.returncode == 0, dry.stderr
    assert "3 notes from board.csv into Observations" in dry.stdout and "Dry run: nothing was imported" in dry.stdout
    with kit.open(path) as ws:
        assert len(ws.observations) == 0
    done = run("import", str(path), str(source), "--into", "observations", "--map", "who=Tags", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Imported 3 notes" in done.stdout
    with kit.open(path) as ws:
        assert [o["who"] for o in ws.observations] == ["anruf", "", "zuhause"]
    bad = run("import", str(path), str(source), "--into", "observations", "--map", "nope")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--map 'nope'" in bad.stderr
    out = run("export", str(path), "--csv", str(tmp_path / "csv"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "csv" / "observation_board.csv").exists() and "Wrote 1 CSV files" in out.stdout


def test_notebook_helper_previews_imports_and_says_what_went_wrong(ws: kit.Workshop, tmp_path: Path) -> None:
    from kit import notebook

    assert "set IMPORT_FILE" in repr(notebook.import_notes(ws, "", "observations"))
    source = write_csv(tmp_path / "board.csv", MIRO)
    preview = notebook.import_notes(ws, source, "observations", "who=Tags")
    assert "3 notes from board.csv into Observations" in preview.text and "&lt;" not in preview.text
    assert "<table" in preview.markup and len(ws.observations) == 0
    done = notebook.import_notes(ws, source, "observations", "who=Tags", commit=True)
    assert done.text.startswith("Imported 3 notes") and len(ws.observations) == 3
    ws.set(language="de")
    refused = notebook.import_notes(ws, tmp_path / "missing.txt", "canvas:nope")
    assert refused.text.startswith("--into muss") and "kit-error" in refused.markup and len(ws.observations) == 3
    hostile = write_csv(tmp_path / "h.csv", [["text", "frame"], ["<script>alert(1)</script>", "Verhalten"],
                                              ["x", "<b>nirgends</b>"]])
    shown = notebook.import_notes(ws, hostile, "observations")
    assert "&lt;script&gt;" in shown.markup and "<script>" not in shown.markup and "<b>" not in shown.markup
    assert "Zeile 3: Bereich '<b>nirgends</b>'" in shown.text


def test_export_names_authors_only_when_asked(ws: kit.Workshop, tmp_path: Path) -> None:
    board = ws.canvas("idea_board")
    board.add("contact", "Rückruf zur Wunschzeit", author="Anna Petersen")
    board.add("contact", "=HYPERLINK(\"x\")", author="Ben")
    board.add("after", "Dankeskarte", author="Anna Petersen")
    (plain,) = board_csv.export(ws, tmp_path / "plain")
    text = plain.read_text(encoding="utf-8-sig")
    assert "Anna" not in text and "Ben" not in text
    assert [row[6] for row in csv.reader(io.StringIO(text))][1:] == ["Person 1", "Person 2", "Person 1"]
    (named,) = board_csv.export(ws, tmp_path / "named", include_names=True)
    assert "Anna Petersen" in named.read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""x"")"' in text  # a formula, kept as text for spreadsheets


FORMULAS = ["=HYPERLINK(\"http://x\";\"klick\")", "+49 30 1234", "-2 Punkte", "@SUM(A1:A9)", "\tTab vorne",
            "\rCR vorne", "'=schon mit Apostroph", "''+zwei Apostrophe", "'nur ein Apostroph", "a=b", "-"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_csv_export_is_formula_safe_and_reimports_exactly(tmp_path: Path, language: str) -> None:
    notes = [*FORMULAS, *STORABLE.values()]
    with kit.new(tmp_path / "w.workshop", title="CSV", language=language, actor="t") as ws:
        board = ws.canvas("idea_board")
        for text in notes:
            board.add("contact", text, author="=cmd|' /C calc'!A0")
        (path,) = board_csv.export(ws, tmp_path / "csv")
        cells = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                                delimiter=";" if language == "de" else ","))[1:]
        # what a spreadsheet sees: no cell of the file starts a formula
        assert not [c for row in cells for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert [row[2] for row in cells][:4] == ["'=HYPERLINK(\"http://x\";\"klick\")", "'+49 30 1234", "'-2 Punkte",
                                                 "'@SUM(A1:A9)"]
        assert [row[2] for row in cells][6:11] == ["''=schon mit Apostroph", "'''+zwei Apostrophe",
                                                   "'nur ein Apostroph", "a=b", "'-"]
    with kit.new(tmp_path / "copy.workshop", title="Kopie", language=language, actor="t") as copy:
        importing.plan(copy, path, board_csv.target_of(path)).commit()
        assert [i["text"] for i in copy.ideas] == notes  # export -> import: exactly what was typed
    assert [board_csv.unformula(board_csv.formula_safe(t)) for t in notes] == notes


BOARD = [["Content", "Frame", "Author"], ["Legt auf", "Board", "Anna"], ["Schaut weg", "Board", "Ben"],
         ["„Zu teuer“", "Verhalten", ""]]


def test_frames_that_are_not_areas_are_refused_with_both_ways_out(ws: kit.Workshop, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "miro.csv", BOARD)
    plan = importing.plan(ws, path, "observations")
    assert [line for line, _ in plan.problems] == [2, 3]
    assert plan.area_line("en") == ("Areas from the column 'Frame': 'Board' (2) → no area (row refused); "
                                    "'Verhalten' (1) → Behaviour.")
    assert plan.area_line("de").startswith("Bereiche aus der Spalte 'Frame': 'Board' (2) → kein Bereich")
    assert plan.area_line("en") in list(importing.preview_lines(plan, "en"))
    with pytest.raises(importing.RowRefused) as refused:
        plan.commit()
    assert str(refused.value).endswith("To put every row into one area: --area ID (behaviour, quote, artefact, "
                                       "other); to leave the column 'Frame' out: --map kind=")
    assert "--area ID" in refused.value.render("de") and "--map kind=" in refused.value.render("de")
    from kit import notebook

    assert plan.area_line("en") in notebook.import_notes(ws, path, "observations").text
    shown = notebook.import_notes(ws, path, "observations", area="other")
    assert "Every row into the area Other (--area)." in shown.text and "line 2" not in shown.text
    assert len(ws.observations) == 0


@pytest.mark.parametrize("area", ["quote", "Zitate", "QUOTES"])
def test_area_puts_every_row_into_one_area(ws: kit.Workshop, tmp_path: Path, area: str) -> None:
    plan = importing.plan(ws, write_csv(tmp_path / "miro.csv", BOARD), "observations", area=area)
    assert plan.problems == [] and plan.ignored == ["Frame"]
    assert plan.area_line("en") == "Every row into the area Quotes (--area)."
    plan.commit()
    assert [(o["text"], o["kind"], o["observed_by"]) for o in ws.observations] == [
        ("Legt auf", "quote", "Anna"), ("Schaut weg", "quote", "Ben"), ("„Zu teuer“", "quote", "")]


@pytest.mark.parametrize("leave_out", ["kind=", "area=", " kind = ,who=Author"])
def test_map_field_empty_leaves_a_recognised_column_out(ws: kit.Workshop, tmp_path: Path, leave_out: str) -> None:
    plan = importing.plan(ws, write_csv(tmp_path / "miro.csv", BOARD), "observations",
                          importing.parse_map(leave_out))
    assert plan.problems == [] and "Frame" in plan.ignored and "kind" not in plan.columns
    assert "Left out: Frame" in plan.summary("en") and plan.area_line("en") == ""
    plan.commit()
    assert [o["kind"] for o in ws.observations] == ["behaviour"] * 3  # the field's default
    # leaving out the text is refused like a file without one
    with pytest.raises(errors.UsageError, match=r"no column with the notes' text found"):
        importing.plan(ws, tmp_path / "miro.csv", "observations", importing.parse_map("text="))
    with pytest.raises(errors.UsageError, match=r"--map '=Frame': write FIELD=COLUMN"):
        importing.parse_map("=Frame")


def test_area_refusals(ws: kit.Workshop, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "miro.csv", BOARD)
    with pytest.raises(errors.UsageError, match=r"area 'Board' is not on Observations \(areas: Behaviour, Quotes"):
        importing.plan(ws, path, "observations", area="Board")
    with pytest.raises(errors.UsageError, match=r"--area is for a canvas with areas, not for Interview evidence"):
        importing.plan(ws, path, "evidence", area="quote")
    with pytest.raises(errors.UsageError, match=r"--map 'area=Frame' and --area together"):
        importing.plan(ws, path, "observations", {"area": "Frame"}, area="quote")
    assert len(ws.observations) == 0


def test_cli_area_and_map_field_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kit import cli

    path = tmp_path / "w.workshop"
    kit.new(path, title="CLI", language="de", actor="t").close()
    source = write_csv(tmp_path / "miro.csv", BOARD, delimiter=";")
    assert cli.main(["import", str(path), str(source), "--into", "observations"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--area ID (behaviour, quote, artefact, other)" in err and "--map kind=" in err
    assert cli.main(["import", str(path), str(source), "--into", "observations", "--area", "artefact"]) == 0
    out = capsys.readouterr().out
    assert "Alle Zeilen in den Bereich Artefakte (--area)." in out and "Probelauf" in out
    assert cli.main(["import", str(path), str(source), "--into", "observations", "--area", "artefact", "--yes"]) == 0
    assert cli.main(["import", str(path), str(source), "--into", "observations", "--map", "kind=", "--yes"]) == 0
    assert "Nicht übernommen: Frame." in capsys.readouterr().out
    with kit.open(path) as ws:
        assert [o["kind"] for o in ws.observations] == ["artefact"] * 3 + ["behaviour"] * 3
