"""python -m cruscotto.report --db FILE --issuer NAME --year YEAR --out FILE.pdf|.html

Writes the Relazione sintetica per l'assemblea of one consortium and year. Exit 0 when written, 1 when the
database holds nothing of that consortium for that year (the consortia and years it holds are listed), 2 for
wrong usage."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import db
from ..db import consortium
from . import NothingToReport, gather, to_html, to_pdf


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cruscotto.report",
                                     description="Relazione sintetica per l'assemblea di un ente e un anno.")
    parser.add_argument("--db", type=Path, default=None, help="file DuckDB (predefinito: CRUSCOTTO_DB o "
                                                              "data/cruscotto.duckdb)")
    parser.add_argument("--issuer", required=True, help="l'ente, come il cruscotto lo chiama")
    parser.add_argument("--year", type=int, required=True, help="l'anno dei risultati (o un anno del Piano di Zona)")
    parser.add_argument("--out", type=Path, required=True, help="file da scrivere: .pdf oppure .html")
    args = parser.parse_args(argv)
    if args.out.suffix.lower() not in (".pdf", ".html", ".htm"):
        print("Il file da scrivere deve finire in .pdf oppure .html.", file=sys.stderr)
        return 2
    path = args.db or db.db_path()
    if not Path(path).exists():
        print(f"Database non trovato: {path}", file=sys.stderr)
        return 1
    with db.reading(path) as con:
        try:
            report = gather(con, args.issuer, args.year)
        except NothingToReport as missing:
            years = consortium.issuer_years(con)
            print(f"{missing} Enti e anni presenti:", file=sys.stderr)
            for row in years.itertuples():
                print(f"  {row.issuer}: {row.year}", file=sys.stderr)
            return 1
    if args.out.suffix.lower() == ".pdf":
        args.out.write_bytes(to_pdf(report))
    else:
        args.out.write_text(to_html(report), encoding="utf-8")
    print(f"Scritta la relazione sintetica di {report.issuer} per il {report.year}: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
