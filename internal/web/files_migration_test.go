package web_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/blob"
	"pastel/internal/blob/blobtest"
	"pastel/internal/paste"
)

// TestFilesMigrationLosesNothing runs migration 0020's backfill over pastes
// of every kind written as before it (rows without revisions or files,
// bodies under the old random keys), on the local store and on S3: each
// becomes a one-file paste at its own revision, named after its title or
// syntax, naming its own body; no body is copied or lost; every paste reads
// as before (the burn paste once); an edit keeps the old body for the old
// revision; deleting the pastes leaves the store empty.
func TestFilesMigrationLosesNothing(t *testing.T) {
	t.Run("local", func(t *testing.T) { migrateKinds(t, newEnv(t)) })
	t.Run("s3", func(t *testing.T) {
		srv := blobtest.StartVersityGW(t)
		s3, err := blob.NewS3(context.Background(), blob.S3Options{
			Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey,
			Bucket: srv.Bucket, Region: srv.Region,
		})
		if err != nil {
			t.Fatal(err)
		}
		migrateKinds(t, newEnv(t, withBlobs(s3)))
	})
}

type legacyPaste struct {
	kind, id, title, syntax string
	vis                     paste.Visibility
	owned, burn, expiring   bool
	revision                int32
	body                    string
	wantName                string
}

func migrateKinds(t *testing.T, e *env) {
	ctx := context.Background()
	owner := e.register("oldtimer")
	now := e.clock.Now().UTC()
	kinds := []legacyPaste{
		{kind: "public", id: "Pub00001", title: "main.go", syntax: "go", vis: paste.Public, body: "package main\n", wantName: "main.go"},
		{kind: "unlisted", id: "Unl000000000000000001a", title: "notes", syntax: "python", vis: paste.Unlisted, body: "print(1)\n", wantName: "paste.py"},
		{kind: "private", id: "Prv000000000000000001a", title: "my secret plan", syntax: "text", vis: paste.Private, owned: true, body: "private words\n", wantName: "paste.txt"},
		{kind: "burn", id: "Brn000000000000000001a", title: "", syntax: "text", vis: paste.Unlisted, burn: true, body: "read once\n", wantName: "paste.txt"},
		{kind: "expiring", id: "Exp00001", title: "soon.sh", syntax: "bash", vis: paste.Public, expiring: true, body: "echo bye\n", wantName: "soon.sh"},
		{kind: "anonymous", id: "Ano00001", title: "a b c", syntax: "markdown", vis: paste.Public, body: "# hi\n", wantName: "paste.md"},
		{kind: "owned", id: "Own00001", title: "config.yaml", syntax: "yaml", vis: paste.Public, owned: true, body: "a: 1\n", wantName: "config.yaml"},
		{kind: "edited", id: "Edt00001", title: "edited.txt", syntax: "text", vis: paste.Public, owned: true, revision: 3, body: "third version\n", wantName: "edited.txt"},
	}
	keyOf := map[string]string{}
	for _, k := range kinds {
		var raw [16]byte
		rand.Read(raw[:])
		h := hex.EncodeToString(raw[:])
		key := "pastes/" + h[:2] + "/" + h
		keyOf[k.id] = key
		if err := e.blobs.Put(ctx, key, strings.NewReader(k.body), int64(len(k.body))); err != nil {
			t.Fatal(err)
		}
		var ownerID *int64
		if k.owned {
			ownerID = &owner.id
		}
		var expires *time.Time
		if k.expiring {
			at := now.Add(time.Hour)
			expires = &at
		}
		rev := k.revision
		if rev == 0 {
			rev = 1
		}
		if _, err := e.pool.Exec(ctx, `INSERT INTO pastes (id, owner_id, title, syntax, visibility, size, blob_key,
			burn_after_reading, delete_token_hash, revision, created_at, updated_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			k.id, ownerID, k.title, k.syntax, string(k.vis), len(k.body), key, k.burn,
			paste.HashSecret("tok-"+k.id), rev, now.Add(-time.Hour), now, expires); err != nil {
			t.Fatalf("%s: %v", k.kind, err)
		}
	}
	// As before migration 0020: no revisions, no files. Then its backfill.
	if _, err := e.pool.Exec(ctx, `DELETE FROM paste_revisions`); err != nil {
		t.Fatal(err)
	}
	sql, err := os.ReadFile("../store/migrations/0020_files_revisions.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, backfill, ok := strings.Cut(string(sql), "-- Every existing paste becomes")
	if !ok {
		t.Fatal("the backfill is not in migration 0020")
	}
	if _, err := e.pool.Exec(ctx, "-- "+backfill); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	before := e.blobKeys()

	for _, k := range kinds {
		var name, key string
		var size int64
		var rev, files int32
		if err := e.pool.QueryRow(ctx, `SELECT f.name, f.blob_key, f.size, f.revision,
			(SELECT count(*) FROM paste_files g WHERE g.paste_id = f.paste_id)::int
			FROM paste_files f JOIN pastes p ON p.id = f.paste_id AND p.revision = f.revision
			JOIN paste_revisions r ON r.paste_id = f.paste_id AND r.revision = f.revision
			WHERE f.paste_id = $1 AND f.position = 0`, k.id).Scan(&name, &key, &size, &rev, &files); err != nil {
			t.Fatalf("%s: files row: %v", k.kind, err)
		}
		wantRev := max(k.revision, 1)
		if name != k.wantName || key != keyOf[k.id] || size != int64(len(k.body)) || rev != wantRev || files != 1 {
			t.Fatalf("%s: file %q %s %d rev %d (%d files); want %q %s %d rev %d", k.kind, name, key, size, rev, files, k.wantName, keyOf[k.id], len(k.body), wantRev)
		}
	}

	// Every paste reads as before.
	for _, k := range kinds {
		var resp *http.Response
		var got []byte
		if k.vis == paste.Private {
			resp, got = e.apiJSON(owner, http.MethodGet, "/api/v1/pastes/"+k.id, "")
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(got), `"name":"`+k.wantName+`"`) {
				t.Fatalf("%s: API = %d %s", k.kind, resp.StatusCode, got)
			}
			if resp, _ := e.get("/raw/" + k.id); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("%s: raw to a stranger = %d", k.kind, resp.StatusCode)
			}
			continue
		}
		resp, got = e.get("/raw/" + k.id)
		if resp.StatusCode != http.StatusOK || string(got) != k.body {
			t.Fatalf("%s: raw = %d %q", k.kind, resp.StatusCode, got)
		}
		if k.burn {
			if resp, _ := e.get("/raw/" + k.id); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("burn: second read = %d", resp.StatusCode)
			}
			continue
		}
		if resp, got := e.get("/raw/" + k.id + "/" + k.wantName); resp.StatusCode != http.StatusOK || string(got) != k.body {
			t.Fatalf("%s: raw by name = %d %q", k.kind, resp.StatusCode, got)
		}
		if resp, _ := e.get("/" + k.id); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: page = %d", k.kind, resp.StatusCode)
		}
	}
	// Nothing copied; only the burned body went.
	after := e.blobKeys()
	wantAfter := []string{}
	for _, k := range before {
		if k != keyOf["Brn000000000000000001a"] {
			wantAfter = append(wantAfter, k)
		}
	}
	if diff := cmp.Diff(wantAfter, after); diff != "" {
		t.Fatalf("blob store after reads (-want +got):\n%s", diff)
	}

	// An edit makes revision 4 under a new key; revision 3 keeps its body.
	resp, b := e.apiJSON(owner, http.MethodPatch, "/api/v1/pastes/Edt00001", `{"content":"fourth version\n"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("edit = %d %s", resp.StatusCode, b)
	}
	var keys []string
	rows, err := e.pool.Query(ctx, `SELECT blob_key FROM paste_files WHERE paste_id = 'Edt00001' ORDER BY revision`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	rows.Close()
	if len(keys) != 2 || keys[0] != keyOf["Edt00001"] || !strings.HasPrefix(keys[1], "p/") {
		t.Fatalf("edited paste's files: %v", keys)
	}
	if !contains(e.blobKeys(), keyOf["Edt00001"]) {
		t.Fatal("the edit removed revision 3's body")
	}

	// Deleting every paste leaves the store empty.
	for _, k := range kinds {
		if k.burn {
			continue
		}
		v := paste.Viewer{IsAdmin: true}
		if k.owned {
			v = paste.Viewer{UserID: owner.id, Username: owner.name}
		}
		if err := e.svc.Delete(ctx, v, paste.ID(k.id), ""); err != nil {
			t.Fatalf("%s: delete: %v", k.kind, err)
		}
	}
	if left := e.blobKeys(); len(left) != 0 {
		t.Fatalf("bodies left after deleting every paste: %v", left)
	}
}
