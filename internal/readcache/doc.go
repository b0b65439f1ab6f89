// Package readcache holds every read-side cache of Pastel, each a
// decorator around one of the domain's read ports, so that the domain,
// the repositories and the handlers know nothing of caching:
//
//   - Cache keeps, per paste, its row (Cache.Pastes decorates
//     paste.Repository), its comment count, the first page of its comments
//     as anonymous visitors see it and their vote tally (Cache.Community
//     decorates paste.CommunityRepository), and the page anonymous
//     visitors see (a Snapshot, keyed by paste and revision, which the web
//     keeps and splices each response's secrets into). It answers only
//     while its LISTEN connection is up; PostgreSQL's triggers announce
//     every change at commit to every replica, and the store tells the
//     process that made a change right after its commit (store.Changes).
//   - Lists (Cache.Lists) keeps what anonymous visitors see of lists and
//     search, by key: the first page of every list (Cache.Pastes and
//     Cache.Community keep them), anonymous searches' hits (Cache.Search
//     decorates paste.SearchEngine) and the answers the web and the API
//     render from them. It follows the Cache's listener and forgets all of
//     it on any change (and on a new paste, or a rebuilt popular or
//     trending list: migration 0026), so nothing kept outlives a commit;
//     entries also end at the earliest expiry they show.
//   - Renders keeps renderings by paste ID, revision and mode
//     (Renders.Renderer decorates paste.Renderer); a revision names one
//     body, so nothing there needs forgetting.
//   - Bodies keeps small bodies by blob key (it decorates paste.Blobs); a
//     key names one body for ever.
//   - Diffs keeps diffs of revisions and pastes by the files compared
//     (names, syntaxes, blob keys) and mode (Diffs.Differ decorates
//     paste.Differ); blob keys never change, so nothing needs forgetting.
//
// Every key is the cache's own copy (strings are cloned or built afresh),
// never a view into memory the web server reuses. Each cache counts its
// hits and misses for internal/metrics.
package readcache
