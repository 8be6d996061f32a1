"""Risk categories from the taxonomy, with the rule and terms that matched stored as evidence.

Rules of every language apply to every post: posts are code-mixed, and a language detector's guess
should not hide a known risk term.

>>> sorted(match_text("Refund belum masuk, uang tidak kembali"))
['payments_refunds']
>>> hit = match_text("yeh ad farzi hai, paisa double ka dhokha")["scam_ads"]
>>> hit.rule, hit.terms
('scam_ads.hi_latn', ['dhokha', 'paisa double'])
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from monitio.records import CategoryHit, Doc
from monitio.taxonomy.loader import Taxonomy, load_taxonomy
from monitio.taxonomy.matcher import RuleMatcher


@lru_cache(maxsize=4)
def _matcher(taxonomy: Taxonomy) -> RuleMatcher:
    return RuleMatcher(taxonomy)


def match_text(text: str, taxonomy: Taxonomy | None = None) -> dict[str, CategoryHit]:
    """The categories a text falls in (default taxonomy unless one is given), with evidence."""
    return _matcher(taxonomy or load_taxonomy()).match(text)


def taxonomy_path(settings) -> Path | None:
    """The workspace's taxonomy file (see `workspace_file`); None = built-in."""
    from monitio.settings import workspace_file

    return workspace_file(settings, "taxonomy")


class CategoryStage:
    """Fills `doc.categories` from the taxonomy's query rules (which may also test `lang:`, `has:`, ...).

    >>> stage = CategoryStage(load_taxonomy())
    >>> stage.name, sorted(stage.match_text("akun iklan diblokir tanpa alasan"))
    ('categories', ['advertiser_trust'])
    """

    name = "categories"

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.matcher = _matcher(taxonomy)

    @classmethod
    def from_settings(cls, settings) -> CategoryStage:
        """The stage for a workspace: its active taxonomy (`settings.taxonomy` when set, else the built-in
        one, with the rules edited in the dashboard: `monitio.taxonomy.versions`)."""
        from monitio.taxonomy.versions import active_taxonomy

        return cls(active_taxonomy(settings))

    def match_text(self, text: str) -> dict[str, CategoryHit]:
        return self.matcher.match(text)

    def process(self, docs: list[Doc]) -> None:
        match = self.matcher.match_doc
        for d in docs:
            d.categories = match(d)
