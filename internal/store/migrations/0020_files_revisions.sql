-- Several files per paste and immutable revisions (issue 15). A revision is
-- the paste's title and files as they were after one create or edit of
-- content, files or title; pastes.revision is the newest one. Bodies stay in
-- the blob store: new ones under content-addressed keys per paste
-- ("p/<paste id in hex>/<sha256 hex>"), so a file unchanged by an edit shares its
-- body with the revision before. pastes.blob_key, pastes.size and
-- pastes.syntax keep describing the newest revision (its first file, its
-- total size, its first file's syntax), so lists and old code paths need
-- no join. A paste given a new ID (public made unlisted) carries its
-- revisions along (ON UPDATE CASCADE).
CREATE TABLE paste_revisions (
    paste_id   text        NOT NULL REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    revision   integer     NOT NULL CHECK (revision >= 1),
    title      text        NOT NULL DEFAULT '',
    author_id  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (paste_id, revision)
);

CREATE TABLE paste_files (
    paste_id     text     NOT NULL,
    revision     integer  NOT NULL,
    position     smallint NOT NULL CHECK (position >= 0 AND position < 20),
    name         text     NOT NULL CHECK (name <> '' AND length(name) <= 255),
    syntax       text     NOT NULL,
    blob_key     text     NOT NULL,
    size         bigint   NOT NULL CHECK (size >= 0),
    content_type text     NOT NULL DEFAULT '',
    PRIMARY KEY (paste_id, revision, position),
    UNIQUE (paste_id, revision, name),
    FOREIGN KEY (paste_id, revision) REFERENCES paste_revisions (paste_id, revision)
        ON DELETE CASCADE ON UPDATE CASCADE
);
-- The orphan sweep asks whether any row names a key.
CREATE INDEX paste_files_blob_key_idx ON paste_files (blob_key);

-- paste_file_ext is the file extension the one-file name of a paste of that
-- syntax gets ("paste.go"); plain text and unlisted syntaxes get ".txt".
-- Only the backfill below and one-file pastes written without files rows
-- use it; the server names files itself (paste.DefaultFileName).
CREATE FUNCTION paste_file_ext(syntax text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE syntax
        WHEN 'go' THEN '.go' WHEN 'python' THEN '.py' WHEN 'python2' THEN '.py'
        WHEN 'javascript' THEN '.js' WHEN 'typescript' THEN '.ts' WHEN 'tsx' THEN '.tsx'
        WHEN 'rust' THEN '.rs' WHEN 'java' THEN '.java' WHEN 'kotlin' THEN '.kt'
        WHEN 'c' THEN '.c' WHEN 'cpp' THEN '.cpp' WHEN 'csharp' THEN '.cs'
        WHEN 'ruby' THEN '.rb' WHEN 'php' THEN '.php' WHEN 'bash' THEN '.sh'
        WHEN 'powershell' THEN '.ps1' WHEN 'json' THEN '.json' WHEN 'yaml' THEN '.yaml'
        WHEN 'toml' THEN '.toml' WHEN 'xml' THEN '.xml' WHEN 'html' THEN '.html'
        WHEN 'css' THEN '.css' WHEN 'sql' THEN '.sql' WHEN 'markdown' THEN '.md'
        WHEN 'diff' THEN '.diff' WHEN 'csv' THEN '.csv' WHEN 'tsv' THEN '.tsv'
        WHEN 'swift' THEN '.swift' WHEN 'lua' THEN '.lua' WHEN 'perl' THEN '.pl'
        WHEN 'haskell' THEN '.hs' WHEN 'scala' THEN '.scala' WHEN 'dockerfile' THEN '.dockerfile'
        WHEN 'makefile' THEN '.mk' WHEN 'ini' THEN '.ini' WHEN 'ansi' THEN '.log'
        ELSE '.txt' END
$$;

-- paste_file_name is the one-file name of a paste: its title when that is a
-- plain file name with an extension ("main.go"), else "paste" and the
-- syntax's extension.
CREATE FUNCTION paste_file_name(title text, syntax text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN btrim(title) ~ '^[A-Za-z0-9_][A-Za-z0-9._+-]{0,99}$' AND btrim(title) ~ '\.[A-Za-z0-9]+$'
            THEN btrim(title)
        ELSE 'paste' || paste_file_ext(syntax) END
$$;

-- Every existing paste becomes a one-file paste at its current revision,
-- with its own body: nothing is copied or moved in the blob store.
INSERT INTO paste_revisions (paste_id, revision, title, author_id, created_at)
SELECT p.id, p.revision, p.title, p.owner_id, p.updated_at FROM pastes p;

INSERT INTO paste_files (paste_id, revision, position, name, syntax, blob_key, size, content_type)
SELECT p.id, p.revision, 0, paste_file_name(p.title, p.syntax), p.syntax, p.blob_key, p.size, ''
FROM pastes p;
