"""Column names of the exports Monitio reads without a `--map`: the aliases of every field.

Names are compared folded (`fold`): case, accents, punctuation and a zone written in the header
(`Date (GMT+7)`) do not matter. For each field the first alias present wins, so the order below is
a preference (Brandwatch's `Full Text` before its `Title`). The table in docs/imports.md lists the
same names per tool.

>>> fold("Date (GMT+7)"), fold("Mention  Content"), fold("Ngày đăng")
('date', 'mention_content', 'ngay_dang')
"""

from __future__ import annotations

import re
import unicodedata

from monitio.sources.dates import zone_in_text

ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "post_id", "source_id", "mention_id", "resource_id", "document_id", "message_id",
        "universal_message_id", "tweet_id", "comment_id", "video_id", "item_id", "facebook_id", "guid",
        "uid", "native_id", "permalink_id",
    ),
    "text": (
        "text", "full_text", "mention_content", "content", "message", "body", "text_original",
        "snippet_text_original", "snippet_text_display", "text_display", "selftext", "hit_sentence",
        "opening_text", "snippet", "video_description", "caption", "comment", "post", "post_text",
        "mention", "description", "title", "headline",
    ),
    "published_at": (
        "published_at", "created_at", "timestamp", "date", "published", "post_created", "created_time",
        "create_time", "created_utc", "snippet_published_at", "publish_time", "published_date",
        "post_created_date", "mention_date", "date_time", "datetime", "posted_at", "created", "time",
        "tanggal", "ngay_dang", "waktu",
    ),
    "published_time": ("post_created_time", "time_of_day", "published_time", "time"),
    "url": ("url", "link", "permalink", "post_url", "mention_url", "original_url", "video_url", "post_link"),
    "author": (
        "author", "author_handle", "username", "user_name", "screen_name", "twitter_screen_name", "handle",
        "author_name", "sender_screen_name", "sender_name", "snippet_author_display_name",
        "author_display_name", "influencer", "account", "user", "account_handle", "channel_title",
        "extra_author_attributes_short_name", "extra_author_attributes_name", "page_name",
    ),
    "lang": ("lang", "language", "language_code", "lang_code"),
    "market": ("market", "country_code", "country", "region_code", "region", "location_country"),
    "likes": (
        "likes", "like_count", "favorite_count", "favorites", "digg_count", "snippet_like_count", "ups",
        "score", "reactions", "total_reactions", "twitter_likes", "facebook_likes", "likes_count",
    ),
    "shares": (
        "shares", "share_count", "retweets", "retweet_count", "reposts", "repost_count", "twitter_retweets",
        "facebook_shares", "shares_count",
    ),
    "comments": (
        "comments", "comment_count", "replies", "reply_count", "num_comments", "total_reply_count",
        "snippet_total_reply_count", "facebook_comments", "comments_count",
    ),
    "views": (
        "views", "view_count", "play_count", "plays", "impressions", "video_views", "views_count", "reach",
        "estimated_reach", "potential_reach", "audience",
    ),
    "platform": (
        "platform", "social_network", "network", "source_type", "media_type", "page_type", "site_type",
    ),
}  # fmt: skip
"""Aliases per Monitio field, most preferred first (folded names)."""

LAYOUTS: dict[str, dict[str, str]] = {
    "Brandwatch": {
        "text": "Full Text / Snippet / Title",
        "published_at": "Date",
        "id": "Resource Id / Mention Id",
        "author": "Author",
        "url": "Url",
        "views": "Impressions / Reach",
        "platform": "Page Type",
    },
    "Meltwater": {
        "text": "Hit Sentence / Opening Text / Headline",
        "published_at": "Date (+ Time)",
        "id": "Document ID / Tweet Id",
        "author": "Influencer / Twitter Screen Name",
        "url": "URL",
        "views": "Reach",
        "platform": "Source Type",
    },
    "Talkwalker": {
        "text": "content / title",
        "published_at": "published",
        "author": "extra_author_attributes.short_name",
        "url": "url",
        "views": "reach",
        "likes": "twitter_likes",
        "shares": "twitter_retweets",
        "platform": "source_type",
    },
    "Sprinklr": {
        "text": "Message",
        "published_at": "Created Time",
        "id": "Universal Message ID / Message ID",
        "author": "Sender Screen Name",
        "url": "Permalink",
        "platform": "Social Network",
    },
    "CrowdTangle-style": {
        "text": "Message / Description",
        "published_at": "Post Created (or Post Created Date + Post Created Time)",
        "id": "Facebook Id",
        "author": "User Name / Page Name",
        "url": "URL / Link",
        "likes": "Likes",
        "shares": "Shares",
        "comments": "Comments",
        "platform": "Platform",
    },
    "Listening tool (issue 14)": {
        "text": "Mention Content",
        "published_at": "Date (GMT+7)",
        "id": "Mention ID",
        "author": "Author Handle",
        "views": "Reach",
    },
    "TikTok Research API": {
        "text": "video_description",
        "published_at": "create_time (epoch)",
        "id": "id",
        "author": "username",
        "market": "region_code",
        "likes": "like_count",
        "shares": "share_count",
        "comments": "comment_count",
        "views": "view_count",
    },
    "YouTube Data API (comments)": {
        "text": "snippet.textOriginal",
        "published_at": "snippet.publishedAt",
        "id": "id",
        "author": "snippet.authorDisplayName",
        "likes": "snippet.likeCount",
    },
    "Reddit API": {
        "text": "selftext / body / title",
        "published_at": "created_utc (epoch)",
        "id": "id",
        "author": "author",
        "url": "permalink / url",
        "likes": "ups / score",
        "comments": "num_comments",
    },
}
"""Which column of each known export feeds which field (documentation and tests; matching uses ALIASES)."""


def fold(name: str) -> str:
    """A header name for comparison: no zone, no accents, lower case, words joined by `_`."""
    _, rest = zone_in_text(str(name))
    rest = re.sub(r"\(\s*\)", " ", rest)
    text = unicodedata.normalize("NFKD", rest.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)  # camelCase -> camel_case
    return re.sub(r"[\W_]+", "_", text.casefold()).strip("_")
