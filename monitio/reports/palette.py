"""One colour per risk category, shared by the dashboard, HTML and PDF briefs and XLSX charts.

The default categories have fixed colours (a colour-blind-safe-leaning set, distinct in print);
any other category id gets a stable colour from its name, so a chart never changes colours when a
category is added.

>>> category_color("scam_ads")
'#c62828'
>>> category_color("my_custom_category") == category_color("my_custom_category")
True
>>> category_color("my_custom_category").startswith("#") and len(category_color("x")) == 7
True
"""

from __future__ import annotations

import hashlib

FIXED = {
    "scam_ads": "#c62828",
    "deepfake_impersonation": "#6a1b9a",
    "misleading_claims": "#e08a00",
    "prohibited_products": "#4e342e",
    "shop_affiliate_fraud": "#0b5fff",
    "creator_monetization_abuse": "#00838f",
    "live_gifting_abuse": "#ad1457",
    "ad_fraud_invalid_traffic": "#37474f",
    "payments_refunds": "#2e7d32",
    "advertiser_trust": "#5c6bc0",
    "regulatory_legal": "#827717",
    "privacy_targeting": "#00695c",
    "spam_phishing": "#ef6c00",
}
EXTRA = ["#1565c0", "#8e24aa", "#558b2f", "#d84315", "#00897b", "#6d4c41", "#3949ab", "#c0ca33"]


def category_color(category: str) -> str:
    """The category's colour as `#rrggbb`."""
    if category in FIXED:
        return FIXED[category]
    digest = hashlib.sha1(category.encode("utf-8"), usedforsecurity=False).digest()
    return EXTRA[digest[0] % len(EXTRA)]
