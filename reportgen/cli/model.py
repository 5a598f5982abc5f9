"""``reportgen model train``: train the model backend of scoring."""

from __future__ import annotations

import json
from pathlib import Path

import click

from reportgen.cli.app import State, handle_errors
from reportgen.flow.corrections import train_from_store


@click.group("model")
def model_group() -> None:
    """Train the model backend of scoring (needs the ml extra: pip install 'reportgen[ml]')."""


@model_group.command("train")
@click.option("--data", "data", multiple=True, metavar="FILE.jsonl",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled JSONL (FinNSP, FinFE or bank-level fields); repeat to train several heads into one "
                   "model.")
@click.option("--from-store", "from_store", is_flag=True,
              help="Also train on the analysts' corrections in the configured store (`reportgen label`).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The model file to write.")
@click.option("--json", "as_json", is_flag=True, help="Print the training summary as JSON.")
@click.pass_obj
def model_train(state: State, data: tuple[Path, ...], from_store: bool, out: Path, as_json: bool) -> None:
    """Train a model from labelled JSONL (and the store's corrections) and write it (a safe format: no pickle)."""
    from reportgen.score.train import train_model  # optional: scikit-learn (the ml extra), only for training

    if not data and not from_store:
        raise click.UsageError("give --data FILE.jsonl, --from-store, or both")
    with handle_errors(state, as_json=as_json):
        summary = train_from_store(state.config(), list(data), out) if from_store else train_model(list(data), out)
        if as_json:
            click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        click.echo(f"{out}: trained {', '.join(summary.heads)} in {summary.seconds:.1f} s "
                   f"(sha256 {summary.sha256[:12]})")
        for f in summary.files:
            click.echo(f"  data {f['file']}: {f['rows']} rows")
        for name, head in summary.heads.items():
            cv = ", ".join(f"{k} {v:.4f}" for k, v in head["cv"].items() if isinstance(v, float))
            size = head.get("pairs", head.get("rows"))
            click.echo(f"  head {name}: {size} examples; cross-validated {cv}")
