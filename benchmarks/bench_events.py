"""Event clustering: quality on the labelled reprint set, and speed on 100,000 items, one core.

Quality: :func:`reportgen.demo.reprints.reprint_set` builds stories with 5–30 reprint variants
each (edited headlines, other sources, added notes, truncation) mixed with distinct stories about
the same bank on the same day, a quarter of them from the same template with other details.
Pairwise precision and recall against the story labels, for several seeds.

Speed: ~100,000 items from the same generator, clustered from scratch; process CPU time on one
pinned core (a busy neighbour slows the wall clock, not the figure).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

TARGET_PRECISION, TARGET_RECALL, TARGET_SECONDS = 0.95, 0.90, 15.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=300, help="stories per quality seed")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    from reportgen.demo.reprints import reprint_set
    from reportgen.insight.events import cluster, pairwise_scores

    failed = False
    print(f"Event clustering quality: {args.stories} labelled stories per seed")
    for seed in range(1, args.seeds + 1):
        variants = reprint_set(args.stories, seed=seed)
        truth = {v.item.item_id: v.story_id for v in variants}
        predicted = {a.item_id: a.event_id for a in cluster([v.item for v in variants])}
        precision, recall = pairwise_scores(truth, predicted)
        ok = precision >= TARGET_PRECISION and recall >= TARGET_RECALL
        failed |= not ok
        print(f"  seed {seed}: {len(variants):,} items, {len(set(truth.values()))} stories → "
              f"{len(set(predicted.values()))} events; pairwise precision {precision:.3f} "
              f"(target >= {TARGET_PRECISION}), recall {recall:.3f} (target >= {TARGET_RECALL})")

    stories = max(1, round(args.items / 17.4))  # ~17.4 variants per story on average
    items = [v.item for v in reprint_set(stories, seed=42)]
    began = time.process_time()
    assignments = cluster(items)
    seconds = time.process_time() - began
    failed |= seconds > TARGET_SECONDS
    print(f"Event clustering speed: {len(items):,} items → {len({a.event_id for a in assignments}):,} events in "
          f"{seconds:.1f} s CPU, one core ({len(items) / seconds:,.0f} items/s); target <= {TARGET_SECONDS:g} s; "
          f"ratio {seconds / TARGET_SECONDS:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
