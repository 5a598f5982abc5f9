"""``reportgen label``: an analyst's correction of a judgement, one mention or a whole edited CSV.

Listed in :data:`reportgen.cli.app.COMMANDS`, imported when one of them runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from reportgen.cli.app import State, handle_errors
from reportgen.flow.corrections import Correction, clear_correction, import_corrections, record_correction


@click.command("label")
@click.argument("item_id", required=False)
@click.option("--bank", metavar="BANK", help="The bank's id (the export's `bank` column), name or alias.")
@click.option("--negative/--not-negative", "negative", default=None,
              help="Is the item bad news for this bank (shared/LABELLING.md)?")
@click.option("--categories", metavar="a,b",
              help="Risk category codes (complaint, fee_rate, …) or none [default: keep the stored ones the "
                   "label allows].")
@click.option("--by", "by", metavar="NAME", help="Who corrects (kept with the correction and shown as its reason).")
@click.option("--note", metavar="TEXT", help="Why; shown beside 人工修正.")
@click.option("--clear", "clear", is_flag=True, help="Forget this mention's correction: the scorer judges it again.")
@click.option("--import", "import_path", metavar="FILE.csv",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Import the CSV of `reportgen export --format csv` with edited `sentiment`/`categories` cells.")
@click.option("--dry-run", is_flag=True, help="With --import: say what would change, change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def label_cmd(state: State, item_id: str | None, bank: str | None, negative: bool | None, categories: str | None,
              by: str | None, note: str | None, clear: bool, import_path: Path | None, dry_run: bool,
              as_json: bool) -> None:
    """Correct the judgement of ITEM_ID for one bank; it wins in every later report and export (人工修正).

    \b
    reportgen label ITEM_ID --bank cmb --negative --categories complaint,fee_rate --by 王敏
    reportgen label ITEM_ID --bank cmb --not-negative --note "存管行，旁观者"
    reportgen label --import edited.csv --by 王敏

    No rescoring (`score --all`, a new model or lexicon) overwrites a correction; `model train
    --from-store` learns from them.
    """
    if import_path is not None:
        if item_id or bank or negative is not None or categories or clear:
            raise click.UsageError("--import takes no ITEM_ID, --bank, --negative/--not-negative, --categories "
                                   "or --clear")
    else:
        if not item_id or not bank:
            raise click.UsageError("give ITEM_ID and --bank (or --import FILE.csv)")
        if clear and (negative is not None or categories):
            raise click.UsageError("--clear takes no --negative/--not-negative or --categories")
        if not clear and negative is None:
            raise click.UsageError("say --negative or --not-negative")
        if dry_run:
            raise click.UsageError("--dry-run goes with --import")
    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        if import_path is not None:
            result = import_corrections(cfg, import_path, by=by, note=note, dry_run=dry_run)
            if as_json:
                click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
                return
            would = " (dry run: nothing stored)" if dry_run else ""
            click.echo(f"{import_path}: {len(result.imported)} imported, {result.unchanged} unchanged, "
                       f"{len(result.rejected)} rejected{would}")
            for c in result.imported:
                click.echo(f"  ✓ {_line(c)}")
            for r in result.rejected:
                click.echo(f"  ✗ line {r['line']}: {r['id'] or '-'} {r['bank'] or '-'}: {r['reason']}")
            return
        assert item_id is not None and bank is not None
        if clear:
            dropped = clear_correction(cfg, item_id, bank)
            if as_json:
                click.echo(json.dumps({"item_id": item_id, "bank": bank, "cleared": dropped}, ensure_ascii=False))
            else:
                click.echo(f"{item_id} {bank}: correction cleared; the scorer judges it again" if dropped
                           else f"{item_id} {bank}: no correction to clear")
            return
        correction = record_correction(cfg, item_id, bank, negative=bool(negative), categories=categories,
                                       by=by, note=note)
        if as_json:
            click.echo(json.dumps(correction.as_dict(), ensure_ascii=False))
        else:
            click.echo(f"{_line(correction)} · 人工修正: reports and exports show it from now on")


def _line(c: Correction) -> str:
    now = f"{c.label} ({', '.join(c.categories) or 'none'})"
    was = f"{c.previous_label} ({', '.join(c.previous_categories) or 'none'})" if c.previous_label else "not judged"
    return f"{c.item_id} {c.bank_name}: {now}, was {was}"
