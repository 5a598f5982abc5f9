"""``reportgen score`` and ``reportgen eval``: the judgement commands (issue 3).

Kept out of :mod:`reportgen.cli` to keep that module readable; registered on the same group.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from reportgen.cli.app import _errors, _State, cli


@cli.command("score")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--all", "rescore_all", is_flag=True, help="Rescore every stored mention, not only the pending ones.")
@click.pass_obj
def score_cmd(state: _State, as_json: bool, rescore_all: bool) -> None:
    """Judge stored mentions that have no score from the current scorer.

    `fetch` and `report` do this on their own; run it after changing [scoring] or
    [categories] to see the effect at once.
    """
    from reportgen.flow.execution import open_executor
    from reportgen.flow.pipeline import score_pending
    from reportgen.score.backend import make_scorer
    from reportgen.store.db import Store

    with _errors(state, as_json=as_json):
        cfg = state.config()
        store = Store.open(cfg.settings.database)
        scorer = make_scorer(cfg.scoring)
        if rescore_all:
            store.clear_scores()
        with open_executor(cfg.execution) as executor:  # [execution]: a backlog spreads over its workers
            scored = score_pending(store, cfg, executor=executor)
        out = {"scorer": scorer.name, "version": scorer.version, "scored": scored,
               "stored": store.score_counts().get(scorer.version, 0)}
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(f"{scored} mentions scored with {scorer.version}; {out['stored']} stored with this version")


@cli.command("eval")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled JSONL (FinNSP / FinFE fields; see `reportgen model train --help`).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Evaluate this trained model [default: the shipped rules].")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object: item_f1, entity_f1, macro_f1, accuracy (whichever apply), and more.")
@click.option("--mistakes", type=click.IntRange(0, 10_000), default=0, metavar="N",
              help="Also list up to N misjudged rows (item level).")
@click.pass_obj
def eval_cmd(state: _State, data_path: Path, model_path: Path | None, as_json: bool, mistakes: int) -> None:
    """Score a labelled file and print precision, recall, F1, accuracy and the confusion matrix.

    Item level: is the row negative about any of its `entities`.  Entity level: which
    entities are the negative subjects (against `key_entities`).  3-class: accuracy and
    macro-F1 over `label`.  The config file is not read: the shipped rules are evaluated,
    or the given model (with the shipped rules supplying its reasons).
    """
    from reportgen.score import Scorer
    from reportgen.score.datasets import load_examples
    from reportgen.score.evaluate import evaluate
    from reportgen.score.rules import RulesScorer

    with _errors(state, as_json=as_json):
        examples = load_examples(data_path)
        rules = RulesScorer()
        scorer: Scorer
        if model_path is not None:
            from reportgen.score.model import ModelScorer

            scorer = ModelScorer(model_path, rules=rules)
        else:
            scorer = rules
        report = evaluate(scorer, examples, keep_mistakes=mistakes)
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
        _print_confusion(report.confusion)
        for m in report.mistakes:
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
