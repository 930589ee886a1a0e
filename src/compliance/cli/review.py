"""Apply the review options of ``check`` and ``report``: ``--waivers``, ``--baseline``, ``--store``.

Why one module: both commands read the same waivers and baseline and must mark
findings the same way; ``check`` also records the run in the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from compliance.checking.checker import CheckRun
from compliance.checking.fingerprints import project_identity
from compliance.checking.status import WaiverSource
from compliance.core.errors import InputError
from compliance.review.apply import load_waivers
from compliance.review.baseline import Baseline, load_baseline
from compliance.review.run import review_run

if TYPE_CHECKING:
    from compliance.review.store.database import Store


@dataclass
class ReviewInputs:
    """What the review options loaded, ready to apply to a run."""

    today: dt.date
    waivers: list[WaiverSource] = field(default_factory=list)
    baseline: Baseline | None = None
    store: Store | None = None
    baseline_from_store: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ReviewInputs:
        """Load waiver files, the baseline and open the store; raise :class:`InputError`."""
        problems = []
        waivers: list[WaiverSource] = []
        for path in args.waivers:
            try:
                waivers.extend(load_waivers(path))
            except InputError as exc:
                problems.extend(exc.problems)
        baseline = None
        if args.baseline is not None:
            try:
                baseline = load_baseline(args.baseline)
            except InputError as exc:
                problems.extend(exc.problems)
        if problems:
            raise InputError(problems)
        from_store = bool(getattr(args, "baseline_from_store", False))
        url = getattr(args, "store", None)
        if from_store and url is None:
            raise InputError.single("--baseline-from-store", "needs --store")
        store = None
        if url is not None:
            from compliance.review.store.database import Store  # SQLAlchemy only when asked

            store = Store.open(url)
        return cls(args.as_of or dt.date.today(), waivers, baseline, store, from_store)

    def apply(self, run: CheckRun) -> None:
        """Mark every finding: the store's waivers join the files' and the records' own."""
        waivers = list(self.waivers)
        baseline = self.baseline
        if self.store is not None:
            from compliance.review.store.queries import stored_baseline, stored_waivers

            infos = [r.project.info for r in run.results if r.project is not None]
            identities = [project_identity(i.name, i.department) for i in infos]
            years = {ident: i.year for ident, i in zip(identities, infos, strict=True)}
            with self.store.session() as session:
                waivers.extend(stored_waivers(session, identities))
                if self.baseline_from_store:
                    baseline = stored_baseline(session, years)
        review_run(run, waivers, baseline, self.today)

    def record(self, run: CheckRun, args: argparse.Namespace, command: str) -> None:
        """Store the run when ``--store`` was given, and say its id on standard error."""
        if self.store is None:
            return
        from compliance.review.store.recording import record_run

        run_id = record_run(
            self.store,
            run,
            command=command,
            rules=args.rules,
            parameters=dict(args.settings),
            extra_inputs=[*args.waivers, *([args.baseline] if args.baseline else [])],
            profile=getattr(args, "profile", None),
        )
        print(f"stored run {run_id} in {self.store.shown}", file=sys.stderr)

    def close(self) -> None:
        """Release the store's connections."""
        if self.store is not None:
            self.store.close()


def review_inputs_or_report(args: argparse.Namespace) -> ReviewInputs | None:
    """The loaded review options, or None after printing their located errors."""
    try:
        return ReviewInputs.from_args(args)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return None


def report_unused(run: CheckRun) -> None:
    """Warn about waivers that match no finding (like an unused ``noqa``), at their position."""
    unused = list(run.review.unused) if run.review else []
    for result in run.results:
        if result.review is not None:
            unused.extend(result.review.unused)
    for source in unused:
        w = source.waiver
        print(
            f"{source.where()}: warning: waiver {w.rule} {w.subject} matches no finding",
            file=sys.stderr,
        )
