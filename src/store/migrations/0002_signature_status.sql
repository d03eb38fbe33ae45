-- Filter the list by signature verdict without parsing JSON per row.
ALTER TABLE requests ADD COLUMN signature_status TEXT;
UPDATE requests SET signature_status = json_extract(signature, '$.status') WHERE signature IS NOT NULL;
CREATE INDEX requests_signature_status ON requests(signature_status, seq);
