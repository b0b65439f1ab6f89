// Package admin is account lifecycle and moderation: deleting an account
// (by its owner or an admin) as a durable job, disabling and enabling
// accounts, reports of pastes and comments with their queue, and the log of
// every admin action.
//
// Deleting an account happens in two steps. MarkDeleted, one transaction,
// marks the account deleted and disabled and ends its sessions and tokens:
// from that commit on nothing of the account is visible anywhere (a
// disabled owner hides every paste through paste.Service's read rule) and
// nobody can sign in as it. A job row is written in the same transaction;
// the deletion worker then removes the bodies from the blob store, the
// rows, and last the account and the job together. Every step is
// idempotent, so a crash anywhere only means the worker, after the next
// start, carries on where it stopped.
//
// Every admin-only method answers paste.ErrNotFound to anybody else: the
// admin surface does not reveal that it exists.
package admin
