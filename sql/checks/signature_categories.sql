-- Data check: signatures stored with more than one category.
--
-- A signature names one failure, so it has one category (rules that share a signature key
-- must agree on it); two mean a rule change that should have bumped the signature version.
-- Zero rows is a pass.
--
-- @column signature_id STRING the signature
-- @column categories ARRAY<STRING> its categories, sorted
-- @column entries INT64 entries of the signature
SELECT
  signature_id,
  ARRAY_AGG(DISTINCT category ORDER BY category) AS categories,
  COUNT(*) AS entries
FROM ${dataset}.events
WHERE signature_id IS NOT NULL
GROUP BY signature_id
HAVING COUNT(DISTINCT category) > 1
ORDER BY signature_id
