-- Every captured row paid for two indexes that most rows never needed:
-- * requests_signature_status: no query filters by verdict (the list reads the column, it does not
--   search it), so the index was written for every request and read by none.
-- * requests_endpoint: only requests that matched an endpoint are ever looked up by endpoint id
--   (to re-check them when its secrets change); catch-all requests now stay out of it.
DROP INDEX requests_signature_status;
DROP INDEX requests_endpoint;
CREATE INDEX requests_endpoint ON requests(endpoint_id, seq) WHERE endpoint_id IS NOT NULL;
