"""Piano di Zona: the three-year plan of an ambito distrettuale.

Objective sheets ('Obiettivo n. 3' + title, then OBIETTIVO / AZIONI / ... / VALUTAZIONE with
'Indicatori di esito:' and 'Range di valutazione:' bullet lists / TEMPI) grouped under 'AREA DI
PRIORITA' ...' headings, and budget tables by year ('Budget<TAB>2015<TAB>2016<TAB>2017', one row per
line, group rows with no amounts, a 'Totale' row and summary rows after it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cruscotto.italian import clean_cell, months_in
from cruscotto.records import (BudgetLine, Indicator, Milestone, Objective, ParsedDocument, ReportedTotal,
                               Unreadable)

from .common import Line, find_issuer, is_separator, text_to_lines

NAME = "piano_di_zona"

PLAN_TITLE = re.compile(r"^[#*\s]*piano\s+di\s+zona\D{0,20}?(\d{4})\s*[-–/]\s*(\d{2,4})", re.IGNORECASE)
OBJECTIVE = re.compile(r"^[#*\s]*obiettivo\s+(?:n\.?\s*|n°\s*|nr\.?\s*)?(\d{1,2})\b\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)
PRIORITY_AREA = re.compile(r"^[#*\s]*area di priorit\S*\s+(.+)$", re.IGNORECASE)
SECTIONS = {"obiettivo", "azioni", "integrazione", "risorse", "strumenti", "valutazione", "tempi"}
SUBSECTIONS = {"indicatori di esito": "indicators", "range di valutazione": "ranges",
               "strumenti di valutazione": "tools"}


def identify(text: str) -> bool:
    """The title names a Piano di Zona with its period ('Piano di Zona 2015-2017')."""
    head = [ln for ln in text_to_lines(text) if not ln.is_blank][:15]
    return any(PLAN_TITLE.search(ln.raw) for ln in head) and \
        any(OBJECTIVE.match(ln.raw) or _years_header(ln) for ln in text_to_lines(text))


def parse(text: str) -> ParsedDocument:
    lines = text_to_lines(text)
    start, end, title = _period(lines)
    sheets = _PlanReader(lines)
    sheets.read()
    return ParsedDocument(
        kind="piano_di_zona", issuer=find_issuer(lines), report_year=None, period_start=start,
        period_end=end, title=title, objectives=tuple(sheets.objectives), milestones=tuple(sheets.milestones),
        indicators=tuple(sheets.indicators), budget_lines=tuple(sheets.budget_lines),
        reported_totals=tuple(sheets.totals), problems=tuple(sheets.problems))


def _period(lines: list[Line]):
    for line in [ln for ln in lines if not ln.is_blank][:15]:
        found = PLAN_TITLE.search(line.raw)
        if found:
            start, end = int(found.group(1)), found.group(2)
            end = int(end) if len(end) == 4 else int(str(start)[:2] + end)
            return start, end, clean_cell(line.raw.replace("#", " "))
    return None, None, None


def _years_header(line: Line) -> list[int]:
    """'Budget<TAB>2015<TAB>2016<TAB>2017' -> [2015, 2016, 2017] ('Anno 2015', '2015 (€)' too); [] otherwise."""
    cells = [c for c in line.cells]
    if len(cells) < 3 or not cells[0] or re.fullmatch(r"\d{4}", cells[0]):
        return []
    years = [re.fullmatch(r"(?:anno\s+|previsione\s+|consuntivo\s+)?((?:19|20)\d{2})(?:\s*\(?€\)?)?", c, re.IGNORECASE)
             for c in cells[1:] if c]
    if len(years) >= 2 and all(years):
        return [int(y.group(1)) for y in years]
    return []


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
        while index < len(self.lines):
            line = self.lines[index]
            if _years_header(line):
                self.close(current)
                current = None
                index = self.budget_table(index)
                continue
            area = PRIORITY_AREA.match(line.raw)
            if area and "\t" not in line.raw:
                self.close(current)
                current, self.area = None, clean_cell(area.group(1))
            elif OBJECTIVE.match(line.raw):
                self.close(current)
                current = self.open(index, OBJECTIVE.match(line.raw))
            elif current is not None:
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
            if following is not None:
                title, title_line = clean_cell(following.raw), following.number
        return {"number": match.group(1), "title": title, "title_line": title_line,
                "source_line": self.lines[index].number, "section": None, "description": None,
                "indicators": [], "ranges": [], "deadlines": [], "skip": title_line}

    def sheet_line(self, sheet: dict, line: Line) -> None:
        if line.is_blank or line.number == sheet["skip"]:
            return
        word = (clean_cell(line.raw) or "").lower().rstrip(":").strip()
        if word in SECTIONS:
            sheet["section"], sheet["sub"] = word, None
            return
        if word in SUBSECTIONS:
            sheet["sub"] = SUBSECTIONS[word]
            return
        text = clean_cell(re.sub(r"^\s*[-•]\s*", "", line.raw)) or ""
        bullet = bool(re.match(r"^\s*[-•]", line.raw))
        if sheet["section"] == "obiettivo" and sheet["description"] is None:
            sheet["description"] = text
        elif sheet["section"] == "valutazione" and bullet and sheet.get("sub") in ("indicators", "ranges"):
            sheet[sheet["sub"]].append((line.number, text.rstrip(";.")))
        elif sheet["section"] == "tempi" and (re.search(r"\bentro\b", text, re.IGNORECASE) or months_in(text, 2000)):
            sheet["deadlines"].append((line.number, text.rstrip(";")))
        elif line.is_table_row:
            self.problems.append(Unreadable(line.number, line.raw.strip(), "Riga di tabella dentro una scheda "
                                            "obiettivo: conservata, non interpretata.", "unparsed_table"))

    def close(self, sheet: dict | None) -> None:
        if sheet is None:
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


def _split_deadline(text: str) -> tuple[str, str]:
    """'la predisposizione dell'impianto ... entro settembre 2015' -> ('la predisposizione ...', 'entro settembre 2015');
    'Costituzione Fondo Solidaristico Disabilità: entro primo anno' -> ('Costituzione ...', 'entro primo anno')."""
    found = re.search(r"\bentro\b", text, re.IGNORECASE)
    if not found:
        return text, text
    return text[:found.start()].strip(" :;,-") or text, text[found.start():].strip(" ;.")
