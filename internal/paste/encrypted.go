package paste

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
)

// End-to-end encrypted pastes (issue 16). The browser encrypts the text
// with AES-256-GCM under a fresh random 256-bit key that stays in the link's
// #fragment; the server stores and serves the result, an envelope, and
// nothing it could read. The envelope is JSON with standard base64 fields:
//
//	{"v":1, "iv":"…12 bytes…", "ct":"…ciphertext and 16-byte tag…"}
//	{"v":1, "iv":"…", "salt":"…16+ bytes…", "iter":600000, "ct":"…"}
//
// With a password (salt and iter present) the AES key is
// PBKDF2-SHA256(fragment key ‖ UTF-8 password, salt, iter, 256 bits), so
// neither the link nor the password alone opens it. CheckEnvelope refuses
// anything else, so that a client cannot store plain text under the flag by
// mistake.

// Envelope limits: AES-GCM's 96-bit nonce and 128-bit tag; PBKDF2's salt
// and iteration bounds (the lower one is OWASP's 2023 figure for
// PBKDF2-SHA256; the upper one keeps a reader's browser from hanging).
const (
	EnvelopeVersion = 1
	envelopeIVLen   = 12
	envelopeTagLen  = 16
	envelopeMinSalt = 16
	envelopeMaxSalt = 64
	MinPBKDF2Iter   = 600_000
	MaxPBKDF2Iter   = 10_000_000
)

// envelope is the JSON shape of an encrypted paste's body.
type envelope struct {
	V    int    `json:"v"`
	IV   string `json:"iv"`
	Salt string `json:"salt,omitempty"`
	Iter int    `json:"iter,omitempty"`
	CT   string `json:"ct"`
}

// msgEnvelope is the one message for a body that is not an envelope: the
// caller learns what is expected, not which check failed first.
const msgEnvelope = `must be an encryption envelope {"v":1,"iv","ct"[,"salt","iter"]} (base64 fields) when encrypted is true`

// CheckEnvelope reports what is wrong with an encrypted paste's body, or
// "" when it is a well-formed envelope.
func CheckEnvelope(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var e envelope
	if err := dec.Decode(&e); err != nil {
		return msgEnvelope
	}
	if _, err := dec.Token(); err != io.EOF {
		return msgEnvelope // something after the object
	}
	if e.V != EnvelopeVersion {
		return msgEnvelope
	}
	if n, ok := b64Len(e.IV); !ok || n != envelopeIVLen {
		return msgEnvelope
	}
	if n, ok := b64Len(e.CT); !ok || n < envelopeTagLen {
		return msgEnvelope
	}
	switch {
	case e.Salt == "" && e.Iter == 0:
	case e.Salt == "" || e.Iter == 0:
		return msgEnvelope // a password needs both
	default:
		if n, ok := b64Len(e.Salt); !ok || n < envelopeMinSalt || n > envelopeMaxSalt {
			return msgEnvelope
		}
		if e.Iter < MinPBKDF2Iter || e.Iter > MaxPBKDF2Iter {
			return "iter must be between 600000 and 10000000 when encrypted is true"
		}
	}
	return ""
}

// b64Len returns the decoded length of standard, padded base64 s.
func b64Len(s string) (int, bool) {
	if s == "" || len(s)%4 != 0 {
		return 0, false
	}
	// Decoding checks the alphabet; the ciphertext is the only long field
	// and it is decoded once, on create.
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return 0, false
	}
	return len(b), true
}

// checkEncrypted applies the rules of an encrypted create to in: its body
// must be an envelope; it has no title and no tags (they would be stored
// in clear), and no files;
// it is unlisted unless asked private, never public (a public list would
// offer links without their key); its syntax is plain text, since the
// server cannot detect or highlight what it cannot read.
func checkEncrypted(in *CreateInput, verr *ValidationError) {
	if !in.Encrypted {
		return
	}
	if len(in.Content) > 0 {
		if msg := CheckEnvelope(in.Content); msg != "" {
			verr.Add("content", msg)
		}
	}
	if in.Title != "" {
		verr.Add("title", "must be empty when encrypted is true (it would be stored in clear)")
	}
	if len(in.Files) > 0 {
		verr.Add("files", "must not be sent when encrypted is true: the one envelope goes in content")
	}
	if len(in.Tags) > 0 {
		verr.Add("tags", "must be empty when encrypted is true (they would be stored in clear)")
	}
	switch in.Visibility {
	case "":
		in.Visibility = Unlisted
	case Public:
		verr.Add("visibility", "must be unlisted or private when encrypted is true")
	}
	in.Syntax, in.Filename = "text", ""
}

// checkEncryptedUpdate applies checkEncrypted's rules to an edit of an
// encrypted paste: a new body must be an envelope again, and the title,
// visibility and syntax keep to what an encrypted paste may have.
func checkEncryptedUpdate(old Paste, in *UpdateInput, verr *ValidationError) {
	if !old.Encrypted {
		return
	}
	if len(in.Content) > 0 {
		if msg := CheckEnvelope(in.Content); msg != "" {
			verr.Add("content", msg)
		}
	}
	if in.Title != nil && *in.Title != "" {
		verr.Add("title", "must be empty when encrypted is true (it would be stored in clear)")
	}
	if in.Files != nil {
		verr.Add("files", "must not be sent when encrypted is true: the one envelope goes in content")
	}
	if in.Tags != nil && len(*in.Tags) > 0 {
		verr.Add("tags", "must be empty when encrypted is true (they would be stored in clear)")
	}
	if in.Visibility != nil && *in.Visibility == Public {
		verr.Add("visibility", "must be unlisted or private when encrypted is true")
	}
	in.Syntax = nil
}
