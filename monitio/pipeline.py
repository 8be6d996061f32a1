"""The enrichment pipeline: an ordered list of swappable stages working on batches.

Every stage follows the `Stage` protocol: it has a `name` and a `process(docs)` method that fills
fields of the `Doc` records in place. Stages must not need the network or a model download.

>>> class Upper:
...     name = "upper"
...     def process(self, docs):
...         for d in docs:
...             d.market = "XX"
>>> from monitio.records import Doc, Post
>>> from datetime import datetime, UTC
>>> doc = Doc(None, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
>>> Pipeline([Upper()]).run([doc])[0].market
'XX'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from monitio.records import Doc


@runtime_checkable
class Stage(Protocol):
    """One enrichment step over a batch of documents."""

    name: str

    def process(self, docs: list[Doc]) -> None:
        """Fill in this stage's fields on every doc of the batch, in place."""
        ...


class Pipeline:
    """Runs its stages in order over a batch."""

    def __init__(self, stages: Sequence[Stage]):
        self.stages = list(stages)

    def run(self, docs: list[Doc]) -> list[Doc]:
        for stage in self.stages:
            stage.process(docs)
        return docs

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]


def default_pipeline(settings=None, *, with_models: bool = True) -> Pipeline:
    """The built-in pipeline: language, market, sentiment, scam indicators, risk categories (whose rules
    may test indicators with `has:`), risk score, copy-paste key.

    When the workspace holds trained risk models (`monitio train risk`) and `with_models` is true, a
    `RiskModelStage` runs last and writes each category model's probability into `doc.model_scores`.

    Imports are local so nothing heavy is built at import time.
    """
    from monitio.enrich.categories import CategoryStage
    from monitio.enrich.dupes import DupKeyStage
    from monitio.enrich.indicators import IndicatorStage
    from monitio.enrich.language import LanguageStage
    from monitio.enrich.market import MarketStage
    from monitio.enrich.risk import RiskScoreStage
    from monitio.enrich.sentiment import SentimentStage
    from monitio.settings import Settings

    settings = settings or Settings()
    categories = CategoryStage.from_settings(settings)
    severities = {cid: c.default_severity for cid, c in categories.taxonomy.categories.items()}
    pipeline = Pipeline(
        [
            LanguageStage(languages=settings.languages, ms_id_default=settings.ms_id_default),
            MarketStage(),
            SentimentStage.from_settings(settings),
            IndicatorStage.from_settings(settings),
            categories,
            RiskScoreStage(severities),
            DupKeyStage(),
        ]
    )
    from monitio.enrich.risk_model import RiskModelStage, has_models

    if with_models and has_models(settings.workspace):
        pipeline.stages.append(RiskModelStage.from_workspace(settings.workspace))
    return pipeline
