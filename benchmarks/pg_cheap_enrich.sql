-- Cheap enrichment of the pending posts of a PostgreSQL workspace, in SQL, for layout benchmarks.
--
-- The full pipeline enriches about 130 posts/s on the shared 2-core box (PostgreSQL, load 8), so a
-- 1M-post workspace for EXPLAIN work is built as: `monitio init --database-url ...`, `monitio ingest`
-- of the demo corpus (posts and their search rows, through the write path), then this file:
--     psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -c 'SET search_path=SCHEMA' -f benchmarks/pg_cheap_enrich.sql
-- Market and language come from the hints (else from a hash), categories (about 22 % of posts, as
-- the pipeline gives on the demo corpus), sentiment, complaint and risk from an md5 of the text;
-- post_categories, rollups and rollup_authors are written as the write path would (category `_all`
-- counts each post once). Near-duplicate groups and narratives are not built.
\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE cheap ON COMMIT DROP AS
SELECT p.id, p.published_at, date_trunc('hour', p.published_at) AS bucket, p.source,
       substr(md5(coalesce(p.author, '')), 1, 16) AS author_key,
       p.likes + p.shares + p.comments AS eng, m.market,
       coalesce(p.lang_hint, CASE m.market WHEN 'ID' THEN 'id' WHEN 'MY' THEN 'ms' WHEN 'TH' THEN 'th'
           WHEN 'VN' THEN 'vi' WHEN 'PH' THEN 'tl' WHEN 'IN' THEN 'hi' WHEN 'JP' THEN 'ja' WHEN 'KR' THEN 'ko'
           WHEN 'TW' THEN 'zh' WHEN 'BD' THEN 'bn' WHEN 'PK' THEN 'ur' ELSE 'en' END) AS lang,
       (get_byte(h, 3) - 128) / 128.0 AS sentiment,
       get_byte(h, 4) < 30 AS complaint,
       CASE WHEN get_byte(h, 1) < 48 THEN
           CASE WHEN get_byte(h, 2) < 40
                THEN ARRAY[c.cats[1 + get_byte(h, 0) % 13], c.cats[1 + (get_byte(h, 0) + 1) % 13]]
                ELSE ARRAY[c.cats[1 + get_byte(h, 0) % 13]] END
       ELSE ARRAY[]::text[] END AS cats,
       substr(md5(lower(p.text)), 1, 20) AS dup_key
FROM posts p
CROSS JOIN LATERAL (SELECT decode(md5(p.text), 'hex') AS h) x
CROSS JOIN LATERAL (SELECT coalesce(upper(p.market_hint),
    (ARRAY['ID','PH','IN','VN','TH','MY','JP','PK','KR','BD','TW','SG'])[1 + get_byte(x.h, 5) % 12]) AS market) m
CROSS JOIN (SELECT ARRAY['scam_ads','payments_refunds','prohibited_products','misleading_claims',
    'shop_affiliate_fraud','creator_monetization_abuse','deepfake_impersonation','privacy_targeting',
    'live_gifting_abuse','regulatory_legal','advertiser_trust','ad_fraud_invalid_traffic','spam_phishing'] AS cats) c
WHERE p.enriched_at IS NULL;

UPDATE posts p SET enriched_at = now(), market = c.market, lang = c.lang, script = 'Latn', lang_confidence = 0.9,
       sentiment = c.sentiment,
       sentiment_label = CASE WHEN c.sentiment < -0.3 THEN 'negative' WHEN c.sentiment > 0.3 THEN 'positive' ELSE 'neutral' END,
       complaint = c.complaint, categories = nullif(array_to_string(c.cats, ','), ''),
       risk_score = CASE WHEN cardinality(c.cats) > 0 THEN 0.7 ELSE 0 END, dup_key = c.dup_key
FROM cheap c WHERE p.id = c.id;

INSERT INTO post_categories (post_id, category, market, published_at, rule)
SELECT c.id, cat, c.market, c.published_at, 'cheap' FROM cheap c, unnest(c.cats) AS cat
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE cheap_cat ON COMMIT DROP AS
SELECT c.*, cat AS category FROM cheap c, unnest(ARRAY['_all'] || c.cats) AS cat;

INSERT INTO rollups AS r (bucket, market, lang, category, source, count, negative, positive, engagement, authors, complaints)
SELECT bucket, market, lang, category, source, count(*), count(*) FILTER (WHERE sentiment < -0.3),
       count(*) FILTER (WHERE sentiment > 0.3), sum(eng), count(DISTINCT author_key), count(*) FILTER (WHERE complaint)
FROM cheap_cat GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (bucket, market, lang, category, source) DO UPDATE SET count = r.count + excluded.count,
   negative = r.negative + excluded.negative, positive = r.positive + excluded.positive,
   engagement = r.engagement + excluded.engagement, authors = r.authors + excluded.authors,
   complaints = r.complaints + excluded.complaints;

INSERT INTO rollup_authors (bucket, market, lang, category, source, author_key)
SELECT DISTINCT bucket, market, lang, category, source, author_key FROM cheap_cat
ON CONFLICT DO NOTHING;
COMMIT;
ANALYZE;
