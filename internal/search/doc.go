// Package search holds the Typesense engine and the indexer that feeds it.
//
// PostgreSQL is the source of truth and the default engine (store.Search).
// When Typesense is configured, Typesense answers searches and Fallback
// switches to PostgreSQL while it is down. Writes never go to Typesense
// directly: every paste change leaves a row in search_queue in its own
// transaction, and Worker delivers those rows with retries and backoff,
// reading the paste's latest state at delivery time, so that deliveries are
// idempotent and a late retry cannot bring back what was deleted.
//
// One contract suite (package searchtest) runs against every engine.
package search
