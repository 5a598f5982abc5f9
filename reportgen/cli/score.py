"""``reportgen score`` and ``reportgen eval``: the judgement commands (``model`` is in :mod:`reportgen.cli.model`).

Listed in :data:`reportgen.cli.app.COMMANDS`, imported when one of them runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from reportgen.cli.app import State, handle_errors
from reportgen.errors import DataError
from reportgen.flow.queries import rescore
from reportgen.score import Scorer
from reportgen.score.datasets import load_examples
from reportgen.score.evaluate import evaluate
from reportgen.score.rules import RulesScorer


@click.command("score")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--all", "rescore_all", is_flag=True, help="Rescore every stored mention, not only the pending ones.")
@click.pass_obj
def score_cmd(state: State, as_json: bool, rescore_all: bool) -> None:
    """Judge stored mentions that have no score from the current scorer.

    `fetch` and `report` do this on their own; run it after changing [scoring] or
    [categories] to see the effect at once.
    """
    with handle_errors(state, as_json=as_json):
        result = rescore(state.config(), everything=rescore_all)
        out = {"scorer": result.scorer, "version": result.version, "scored": result.scored, "stored": result.stored}
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(f"{result.scored} mentions scored with {result.version}; {result.stored} stored with this "
                       "version")


@click.command("eval")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled JSONL: FinNSP / FinFE fields (see `reportgen model train --help`) or bank-level rows "
                   "(bank, negative_for_bank, categories).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Evaluate this trained model [default: the shipped rules].")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object: item_f1, entity_f1, macro_f1, accuracy, bank_negative, category_micro_f1, "
                   "category_macro_f1, per_category (whichever apply), and more.")
@click.option("--mistakes", type=click.IntRange(0, 10_000), default=0, metavar="N",
              help="Also list up to N misjudged rows (item level, or bank level: label or categories) with the "
                   "reasons that fired.")
@click.pass_obj
def eval_cmd(state: State, data_path: Path, model_path: Path | None, as_json: bool, mistakes: int) -> None:
    """Score a labelled file and print precision, recall, F1, accuracy and the confusion matrix.

    Item level: is the row negative about any of its `entities`.  Entity level: which
    entities are the negative subjects (against `key_entities`).  3-class: accuracy and
    macro-F1 over `label`.  Bank level (rows with `bank`, written as the text writes it, short
    forms such as 招行 too): is the row negative for that bank, and its risk categories
    (micro- and macro-F1 and per category; `none` is not counted as a category).  The config
    file is not read: the named bank is the target, and the shipped rules are evaluated, or the
    given model (with the shipped rules supplying its categories and reasons).
    """

    with handle_errors(state, as_json=as_json):
        examples = load_examples(data_path)
        rules = RulesScorer()
        scorer: Scorer
        if model_path is not None:
            # the model: numpy arrays of a trained file, only when one is configured
            from reportgen.score.model import ModelScorer

            scorer = ModelScorer(model_path, rules=rules)
        else:
            scorer = rules
        report = evaluate(scorer, examples, keep_mistakes=mistakes)
        if report.item is None and report.entity is None and report.accuracy is None and report.bank is None \
                and not report.categories:
            raise DataError(f"{data_path}: no row carries a label to score against ({report.rows:,} rows read)",
                            hint="each row needs `negative` or `key_entities` (FinNSP), `label` (FinFE), or "
                                 "`bank` with `negative_for_bank` and/or `categories`; `entities` alone names "
                                 "the banks but does not say which news is bad")
        out = report.as_dict()
        out["data"] = str(data_path)
        if mistakes:
            out["mistakes"] = report.mistakes
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
            return
        click.echo(f"{data_path.name}: {report.rows:,} rows · {report.scorer} ({report.version}) · "
                   f"{report.items_per_s:,.0f} items/s")
        if report.item is not None:
            i = report.item
            click.echo(f"item level (negative):  precision {i.precision:.4f}  recall {i.recall:.4f}  F1 {i.f1:.4f}")
        if report.entity is not None:
            e = report.entity
            click.echo(f"entity level:           precision {e.precision:.4f}  recall {e.recall:.4f}  F1 {e.f1:.4f}")
        if report.accuracy is not None:
            per_class = "  ".join(f"{k} {v:.4f}" for k, v in report.per_class_f1.items())
            click.echo(f"3-class:                accuracy {report.accuracy:.4f}  macro-F1 {report.macro_f1:.4f}")
            click.echo(f"per-class F1:           {per_class}")
        if report.bank is not None:
            b = report.bank
            click.echo(f"negative for the bank:  precision {b.precision:.4f}  recall {b.recall:.4f}  F1 {b.f1:.4f}")
        if report.categories:
            click.echo(f"categories:             micro-F1 {report.category_micro_f1:.4f}  "
                       f"macro-F1 {report.category_macro_f1:.4f}  (none not counted)")
            for code, s in report.categories.items():
                click.echo(f"  {code:<12} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}  "
                           f"support {report.category_support.get(code, 0)}")
        _print_confusion(report.confusion)
        for m in report.mistakes:
            if "bank" in m:
                click.echo(f"  ✗ {m['id']} [{m['bank']}]: gold {'negative' if m['gold'] else 'not negative'} "
                           f"{'+'.join(m['gold_categories'])} · predicted "
                           f"{'negative' if m['predicted'] else 'not negative'} "
                           f"{'+'.join(m['predicted_categories']) or 'none'} · {'、'.join(m['reasons'][:6]) or '—'} · "
                           f"{m['text'][:80]}")
            else:
                click.echo(f"  ✗ {m['id']}: gold {m['gold']} {m['key_entities']} · predicted {m['predicted']} · "
                           f"{'、'.join(m['reasons'][:6])} · {m['text'][:80]}")


def _print_confusion(confusion: dict[str, dict[str, int]]) -> None:
    if not confusion:
        return
    columns = list(next(iter(confusion.values())))
    width = max(len(c) for c in [*columns, *confusion]) + 2
    click.echo("confusion (rows: gold, columns: predicted):")
    click.echo(" " * width + "".join(c.rjust(width) for c in columns))
    for gold, row in confusion.items():
        click.echo(gold.ljust(width) + "".join(str(row[c]).rjust(width) for c in columns))
