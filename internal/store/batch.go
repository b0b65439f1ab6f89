package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Creates that arrive together are committed together (group commit): one
// transaction, two COPYs and one WAL flush for the lot instead of one of
// each per paste. Nobody waits for a batch to fill: the first create in
// finds no batch running and runs its own at once; the creates that arrive
// while batches run queue up, and a finishing batch takes everything queued
// as the next one. Under light load every create is its own batch; under
// heavy load batches grow to what arrives during one commit.
const (
	maxBatchesInFlight = 2
	maxBatch           = 128
	// batchTimeout bounds one batch's transaction. It is not any one
	// request's context: a create whose client went away must not fail the
	// others in its batch.
	batchTimeout = 20 * time.Second
)

type insertBatcher struct {
	s       *Store
	mu      sync.Mutex
	queue   []*insertReq
	running int
}

type insertReq struct {
	// ctx is consulted only before the request joins a batch: a create
	// that must commit by a deadline (its body's orphan grace) and has
	// waited past it is refused rather than committed.
	ctx  context.Context
	p    paste.Paste
	text string
	// terms is what the batch writes as the indexed form of text: all of
	// indexTerms(text), or "" when that is longer than inlineIndexBytes.
	terms string
	done  chan error
}

// insert commits p with its search text, in a batch, and returns its own
// outcome. A long text is indexed after the batch commits, by this create
// alone, before insert returns: the paste is searchable once its create
// answers, and the cost of indexing it (linear in its size, see
// indexTerms) falls on nobody else's create.
func (b *insertBatcher) insert(ctx context.Context, p paste.Paste, text string) error {
	terms := indexTerms(text)
	req := &insertReq{ctx: ctx, p: p, text: text, terms: terms, done: make(chan error, 1)}
	if len(terms) > inlineIndexBytes {
		req.terms = ""
	}
	b.mu.Lock()
	b.queue = append(b.queue, req)
	if b.running < maxBatchesInFlight {
		b.running++
		batch := b.take()
		b.mu.Unlock()
		b.run(batch)
		b.next()
	} else {
		// A running batch takes this one when it finishes.
		b.mu.Unlock()
	}
	// The outcome is awaited even if ctx ends meanwhile: a create that
	// gave up waiting would have its body removed by the caller while its
	// row could still commit in a batch already running, a row without its
	// body. A request still queued when ctx ends is answered by take; a
	// batch is bounded by batchTimeout.
	if err := <-req.done; err != nil || req.terms == terms {
		return err
	}
	b.s.setSearchTerms(ctx, p.ID, terms)
	return nil
}

// setSearchTerms writes the terms of a paste committed without them. The
// paste is committed, so the create succeeds whatever happens here (an
// error would have the caller remove its body); should the database fail
// now, the paste is found by its title until `web reindex` rewrites its
// terms. Like a batch, this is not cut short by the request's context.
func (s *Store) setSearchTerms(ctx context.Context, id paste.ID, terms string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	defer cancel()
	_ = s.q.SetSearchTerms(ctx, dbgen.SetSearchTermsParams{PasteID: string(id), Terms: terms})
}

// next runs what queued up during a batch as the following batch, in the
// background so the create that ran the last one answers now; with nothing
// queued the batch's slot is free again.
func (b *insertBatcher) next() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.running--
		return
	}
	batch := b.take()
	go func() {
		b.run(batch)
		b.next()
	}()
}

// take removes up to maxBatch queued requests, answering at once those
// whose context ended while they waited; b.mu is held.
func (b *insertBatcher) take() []*insertReq {
	n := min(len(b.queue), maxBatch)
	batch := make([]*insertReq, 0, n)
	for _, r := range b.queue[:n] {
		if err := r.ctx.Err(); err != nil {
			r.done <- translate(err)
			continue
		}
		batch = append(batch, r)
	}
	b.queue = append(b.queue[:0], b.queue[n:]...)
	return batch
}

// run commits a batch and tells each request its outcome. A batch that
// fails on a taken ID is retried one create at a time, so only the create
// whose ID was taken sees ErrConflict (and draws another).
func (b *insertBatcher) run(batch []*insertReq) {
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	var err error
	if len(batch) == 1 {
		err = b.s.insertOne(ctx, batch[0].p, batch[0].text, batch[0].terms)
	} else {
		err = b.s.insertMany(ctx, batch)
		// One bad row (a taken ID, an owner deleted meanwhile) fails the
		// whole COPY: then each create is tried alone and gets its own
		// answer. An unreachable database fails them all alike.
		if err != nil && !errors.Is(err, paste.ErrUnavailable) {
			for _, r := range batch {
				r.done <- b.s.insertOne(ctx, r.p, r.text, r.terms)
			}
			return
		}
	}
	for _, r := range batch {
		r.done <- err
	}
}

// insertMany writes a batch in one transaction.
func (s *Store) insertMany(ctx context.Context, batch []*insertReq) error {
	pastes := make([]dbgen.CopyPastesParams, len(batch))
	docs := make([]dbgen.CopySearchDocsParams, len(batch))
	for i, r := range batch {
		// The COPY parameters are the INSERT ones field for field.
		pastes[i] = dbgen.CopyPastesParams(insertPasteParams(r.p))
		docs[i] = dbgen.CopySearchDocsParams(searchDocParams(r.p, r.text, r.terms))
	}
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		if _, err := q.CopyPastes(ctx, pastes); err != nil {
			return translate(err)
		}
		if err := copyRevisions(ctx, q, batch); err != nil {
			return err
		}
		for _, r := range batch {
			if err := setLocks(ctx, q, r.p); err != nil {
				return err
			}
		}
		_, err := q.CopySearchDocs(ctx, docs)
		return translate(err)
	})
}
