-- API: Idempotency-Key records keep nothing secret in clear. The client's
-- key is replaced by a MAC of it under the server's secret (key_id), the
-- stored response is sealed with AES-GCM under a key derived from the
-- client's key and that secret, the fingerprint is a MAC too, and an
-- anonymous caller's scope holds a MAC of the address. A row alone reveals
-- neither the key nor the response (which may carry a delete token).
-- The rows kept in clear until now are dropped: they would have expired
-- within 24 hours, and a retry after this only runs again.

DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys DROP COLUMN key;
ALTER TABLE idempotency_keys RENAME COLUMN response TO sealed_response;
ALTER TABLE idempotency_keys ADD COLUMN key_id bytea NOT NULL;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (scope, key_id);
