"""Piano di Zona: the three-year plan of an ambito distrettuale.

Objective sheets ('Obiettivo n. 3' + title, then sections such as OBIETTIVO / AZIONI / VALUTAZIONE / TEMPI,
and bullet lists under labels such as 'Indicatori di esito:' or 'Indicatori:', 'Range di valutazione:' or
'Target:', 'Tempistica:') grouped under 'AREA DI PRIORITA' ...' headings, and budget tables by year
('Budget<TAB>2015<TAB>2016<TAB>2017' or 'Fonte di finanziamento<TAB>2021<TAB>...', one row per line,
group rows with no amounts, a 'Totale' row and summary rows after it). The words are in
cruscotto.vocabulary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from cruscotto import vocabulary as words
from cruscotto.italian import clean_cell, months_in
from cruscotto.records import (BudgetLine, Indicator, Milestone, Objective, ParsedDocument, ReportedTotal,
                               Unreadable)

from .identity import find_issuer
from .lines import Line, all_lines, is_separator, kept_per_line_text, plain_words, text_to_lines

NAME = "piano_di_zona"
HEAD_LINES = 15           # the title page, where the plan names itself and its period

PLAN_TITLE = re.compile(r"^[#*\s]*piano\s+di\s+zona\D{0,20}?(\d{4})\s*[-–/]\s*(\d{2,4})", re.IGNORECASE)
OBJECTIVE = re.compile(r"^[#*\s]*obiettivo\s+(?:n\.?\s*|n°\s*|nr\.?\s*)?(\d{1,2})(?!\d)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)
SECTIONS = {plain_words(w) for w in words.PLAN_SECTIONS}
LISTS = {plain_words(label): kind for label, kind in words.PLAN_LISTS.items()}
_LABEL = re.compile(r"^[#*\s]*([^:\t]{3,40}?)\s*:\s*(.*)$")


def identify(text: str, furniture: frozenset[int] = frozenset()) -> bool:
    """The title names a Piano di Zona with its period ('Piano di Zona 2015-2017')."""
    lines = text_to_lines(text, furniture)
    head = islice((ln for ln in lines if not ln.is_blank), HEAD_LINES)
    return any(PLAN_TITLE.search(ln.raw) for ln in head) and \
        any(OBJECTIVE.match(ln.raw) or _years_header(ln) for ln in lines)


def parse(text: str, furniture: frozenset[int] = frozenset()) -> ParsedDocument:
    lines = text_to_lines(text, furniture)
    start, end, title = _period(lines)
    if start is None:                                     # the plan's title printed only in the page header
        start, end, title = _period([ln for ln in all_lines(text, furniture) if ln.furniture])
    sheets = _PlanReader(lines)
    sheets.read()
    return ParsedDocument(
        kind="piano_di_zona", issuer=find_issuer(list(all_lines(text, furniture))), report_year=None,
        period_start=start,
        period_end=end, title=title, objectives=tuple(sheets.objectives), milestones=tuple(sheets.milestones),
        indicators=tuple(sheets.indicators), budget_lines=tuple(sheets.budget_lines),
        reported_totals=tuple(sheets.totals), problems=tuple(sheets.problems))


def _period(lines: list[Line]):
    for line in islice((ln for ln in lines if not ln.is_blank), HEAD_LINES):
        found = PLAN_TITLE.search(line.raw)
        if found:
            start, end = int(found.group(1)), found.group(2)
            end = int(end) if len(end) == 4 else int(str(start)[:2] + end)
            return start, end, clean_cell(line.raw.replace("#", " "))
    return None, None, None


def _years_header(line: Line) -> list[int]:
    """'Budget<TAB>2015<TAB>2016<TAB>2017' -> [2015, 2016, 2017] ('Anno 2015', '2015 (€)' too); [] otherwise."""
    cells = line.cells
    if len(cells) < 3 or not cells[0] or _FOUR_DIGITS.fullmatch(cells[0]):
        return []
    years = [_YEAR_CELL.fullmatch(c) for c in cells[1:] if c]
    if len(years) >= 2 and all(years):
        return [int(y.group(1)) for y in years]
    return []


_FOUR_DIGITS = re.compile(r"\d{4}")
_YEAR_CELL = re.compile(r"(?:anno\s+|previsione\s+|consuntivo\s+)?((?:19|20)\d{2})(?:\s*\(?€\)?)?", re.IGNORECASE)


@dataclass
class _PlanReader:
    lines: list[Line]
    objectives: list[Objective] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    totals: list[ReportedTotal] = field(default_factory=list)
    problems: list[Unreadable] = field(default_factory=list)
    area: str | None = None

    def read(self) -> None:
        index = 0
        current: dict | None = None
        lines = self.lines
        while index < len(lines):
            line = lines[index]
            if line.is_blank:                          # no header, heading nor list: nothing to read
                index += 1
                continue
            years, area, objective, listed, _, _ = _plan_facts(line)
            if years:
                self.close(current)
                current = None
                index = self.budget_table(index)
                continue
            if area:
                self.close(current)
                current, self.area = None, area
            elif objective:
                self.close(current)
                current = self.open(index, objective)
            elif current is not None:
                self.sheet_line(current, line)
            elif listed:                               # 'Indicatori di esito:' with no 'Obiettivo n.' above
                current = self.loose_sheet(line)
                self.sheet_line(current, line)
            elif line.is_table_row and not is_separator(line):
                self.problems.append(Unreadable(line.number, line.raw.strip(), "Riga di tabella fuori dalle "
                                                "tabelle riconosciute (obiettivi, budget): conservata, non "
                                                "interpretata.", "unparsed_table"))
            index += 1
        self.close(current)

    # -- objective sheets

    def open(self, index: int, match: re.Match) -> dict:
        title = clean_cell(match.group(2))
        title_line = self.lines[index].number
        if not title:                                        # the title is the next non-empty line
            following = next((ln for ln in self.lines[index + 1:] if not ln.is_blank), None)
            if following is not None and not following.is_table_row:      # a table's header is no title
                title, title_line = clean_cell(following.raw), following.number
        return {"number": match.group(1), "title": title, "title_line": title_line,
                "source_line": self.lines[index].number, "section": None, "description": None,
                "indicators": [], "ranges": [], "deadlines": [], "skip": title_line, "sub": None}

    def loose_sheet(self, line: Line) -> dict:
        """The lists of a sheet whose 'Obiettivo n.' heading is missing: kept as lines to read by hand."""
        return {"number": None, "title": None, "title_line": None, "source_line": line.number, "section": None,
                "description": None, "indicators": [], "ranges": [], "deadlines": [], "skip": None, "sub": None,
                "loose": True}

    def sheet_line(self, sheet: dict, line: Line) -> None:
        if line.is_blank or line.number == sheet["skip"]:
            return
        _, _, _, listed, label, word = _plan_facts(line)
        if word in SECTIONS:
            sheet["section"], sheet["sub"] = word, None
            return
        if listed:
            sheet["sub"] = listed
            inline = clean_cell(label.group(2)) if label else None
            if inline and listed != "tools":                  # 'Tempistica: entro dicembre 2022'
                self.list_item(sheet, listed, line.number, inline)
            return
        text = clean_cell(_BULLET.sub("", line.raw)) or ""
        bullet = bool(_BULLET_SPACE.match(line.raw))
        if sheet["section"] == "obiettivo" and sheet["description"] is None:
            sheet["description"] = text
        elif bullet and sheet.get("sub") in ("indicators", "ranges", "deadlines"):
            self.list_item(sheet, sheet["sub"], line.number, text)
        elif sheet["section"] in ("tempi", "tempistica") and (_ENTRO.search(text)
                                                              or months_in(text, 2000)):
            sheet["deadlines"].append((line.number, text.rstrip(";")))
        elif line.is_table_row:
            self.problems.append(Unreadable(line.number, line.raw.strip(), "Riga di tabella dentro una scheda "
                                            "obiettivo: conservata, non interpretata.", "unparsed_table"))

    @staticmethod
    def list_item(sheet: dict, kind: str, number: int, text: str) -> None:
        sheet[kind].append((number, text.rstrip(";.") if kind != "deadlines" else text.rstrip(";")))

    def close(self, sheet: dict | None) -> None:
        if sheet is None:
            return
        if sheet.get("loose"):
            for kind in ("indicators", "ranges", "deadlines"):
                for number, text in sheet[kind]:
                    self.problems.append(Unreadable(number, text, "Elenco fuori da ogni scheda obiettivo (manca "
                                                    "l'intestazione «Obiettivo n.»): conservato, non "
                                                    "interpretato.", "unreadable"))
            return
        ref = len(self.objectives)
        self.objectives.append(Objective(ref, sheet["source_line"], sheet["title"], sheet["number"], self.area,
                                         sheet["description"]))
        for number, text in sheet["deadlines"]:
            activity, planned = _split_deadline(text)
            self.milestones.append(Milestone(ref, number, activity, planned, None))
        names, ranges = sheet["indicators"], sheet["ranges"]
        if len(names) == len(ranges):
            for (number, name), (_, target) in zip(names, ranges):
                self.indicators.append(Indicator(ref, number, name, target, None))
            return
        # The sheet lists a different number of indicators and ranges: pairing them would be a guess.
        for number, name in names:
            self.indicators.append(Indicator(ref, number, name, None, None))
        for number, target in ranges:
            self.indicators.append(Indicator(ref, number, None, target, None))
        if names or ranges:
            self.problems.append(Unreadable(
                sheet["source_line"], f"Obiettivo n. {sheet['number']}: {len(names)} indicatori di esito, "
                f"{len(ranges)} range di valutazione",
                f"Gli indicatori di esito ({len(names)}) e i range di valutazione ({len(ranges)}) non sono "
                "in numero uguale: registrati separatamente, senza abbinarli.", "note"))

    # -- budget tables

    def budget_table(self, index: int) -> int:
        """Read a year table from its header to the first blank or prose line; return the next index."""
        header = self.lines[index]
        years = _years_header(header)
        table = clean_cell(header.cells[0])
        group = None
        after_total = False
        index += 1
        while index < len(self.lines) and self.lines[index].is_table_row:
            line = self.lines[index]
            index += 1
            label = clean_cell(line.cells[0]) or ""
            amounts = [c for c in line.cells[1:]]
            amounts += [""] * (len(years) - len(amounts))
            filled = [a for a in amounts if a]
            if not filled:
                group = label or group
                continue
            is_total = not label or re.match(r"(?i)^totale?\b", label)
            if is_total or after_total:
                after_total = after_total or bool(is_total)
                self.summary_row(line, table, label, years, amounts)
                continue
            for year, raw in zip(years, amounts):
                self.budget_lines.append(BudgetLine(line.number, table, group, label, year, raw or None))
            if len(filled) > len(years):
                self.problems.append(Unreadable(line.number, line.raw.strip(), "Più importi che anni "
                                                "nella riga: letti i primi.", "damaged_row"))
        return index

    def summary_row(self, line: Line, table: str, label: str, years: list[int], amounts: list[str]) -> None:
        if not any(re.search(r"\d", a) for a in amounts):
            self.problems.append(Unreadable(line.number, line.raw.strip(), "Riga con soli simboli (es. '€' "
                                            "staccato dalla riga seguente): nessun valore da leggere.",
                                            "damaged_row"))
            return
        if not label:
            label = "(totale senza etichetta)"
            self.problems.append(Unreadable(line.number, line.raw.strip(), "Riga di importi senza etichetta "
                                            "in fondo alla tabella: letta come totale stampato dal documento.",
                                            "note"))
        for year, raw in zip(years, amounts):
            if raw:
                self.totals.append(ReportedTotal(line.number, table, label, year, raw))


_BULLET = re.compile(r"^\s*[-•·*]\s*")
_BULLET_SPACE = re.compile(r"^\s*[-•·*]\s")
_ENTRO = re.compile(r"\bentro\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _plain_line(raw: str) -> str:
    """'  Indicatori di esito: ' -> 'indicatori di esito': a line as a label to look up (asked twice a line)."""
    return plain_words(clean_cell(raw) or "").rstrip(":").strip()


def _listed(line: Line) -> tuple[str | None, re.Match | None]:
    """('indicators', label) for 'Indicatori di esito: ...' or 'Indicatori:'; (None, None) for other lines."""
    label = _LABEL.match(line.raw) if "\t" not in line.raw else None
    word = _plain_line(line.raw)
    return (LISTS.get(plain_words(label.group(1))) if label else LISTS.get(word)), label


_FACTS_KEPT = 8192


@kept_per_line_text(_FACTS_KEPT)
def _plan_facts(line: Line) -> tuple:
    """What a line of a plan is, whatever surrounds it: (years of a budget header, priority area, 'Obiettivo
    n.' match, list kind, list label match, the line as a label: _plain_line).

    Kept for each distinct line text (a line's cells are its text split at TABs): section words, list labels
    and budget headers come back in every sheet."""
    listed, label = _listed(line)
    return (_years_header(line), _priority_area(line), OBJECTIVE.match(line.raw), listed, label,
            _plain_line(line.raw))


def _phrase(phrase: str) -> str:
    """'area di priorità' -> 'area\\s+di\\s+priorit\\S*': the last word as a stem, so 'PRIORITA'' matches."""
    parts = plain_words(phrase).split()
    return r"\s+".join([re.escape(p) for p in parts[:-1]] + [re.escape(parts[-1].rstrip("aeiou")) + r"\S*"])


# A bare 'Area ...' line is left to the objective sheet: only the longer phrases open a priority area.
_PRIORITY_AREA = re.compile(r"^[#*\s]*(?:" + "|".join(_phrase(p) for p in words.PRIORITY_AREA if " " in p or
                                                       p.startswith("macro")) + r")\s+(.+)$", re.IGNORECASE)
MAX_AREA_HEADING = 120


def _priority_area(line: Line) -> str | None:
    """'AREA DI PRIORITA' RICOMPOSIZIONE DEI SERVIZI' -> 'RICOMPOSIZIONE DEI SERVIZI'; a sentence -> None."""
    if "\t" in line.raw or len(line.raw) > MAX_AREA_HEADING:
        return None
    found = _PRIORITY_AREA.match(line.raw)
    return clean_cell(found.group(1)) if found and not line.raw.rstrip().endswith(".") else None


def _split_deadline(text: str) -> tuple[str, str]:
    """'la predisposizione dell'impianto ... entro settembre 2015' -> ('la predisposizione ...', 'entro settembre 2015');
    'Costituzione Fondo Solidaristico Disabilità: entro primo anno' -> ('Costituzione ...', 'entro primo anno')."""
    found = re.search(r"\bentro\b", text, re.IGNORECASE)
    if not found:
        return text, text
    return text[:found.start()].strip(" :;,-") or text, text[found.start():].strip(" ;.")
