package store

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Accounts is the PostgreSQL account.Repository.
type Accounts struct{ *Store }

var _ account.Repository = Accounts{}

// Accounts returns the account repository.
func (s *Store) Accounts() Accounts { return Accounts{s} }

func toUser(r dbgen.User) account.User {
	u := account.User{
		ID: r.ID, Username: r.Username, PasswordHash: r.PasswordHash, IsAdmin: r.IsAdmin,
		Disabled: r.DisabledAt != nil, CreatedAt: r.CreatedAt.UTC(), TokensValidAfter: r.TokensValidAfter.UTC(),
	}
	if r.Email != nil {
		u.Email = *r.Email
	}
	return u
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// InsertUser implements account.Repository.
func (s Accounts) InsertUser(ctx context.Context, u account.User) (account.User, error) {
	r, err := s.q.InsertUser(ctx, dbgen.InsertUserParams{
		Username: u.Username, Email: optString(u.Email), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt,
	})
	if err != nil {
		return account.User{}, translate(err)
	}
	return toUser(r), nil
}

// UserByID implements account.Repository.
func (s Accounts) UserByID(ctx context.Context, id int64) (account.User, error) {
	r, err := s.q.UserByID(ctx, id)
	if err != nil {
		return account.User{}, translate(err)
	}
	return toUser(r), nil
}

// UserByUsername implements account.Repository.
func (s Accounts) UserByUsername(ctx context.Context, name string) (account.User, error) {
	r, err := s.q.UserByUsername(ctx, name)
	if err != nil {
		return account.User{}, translate(err)
	}
	return toUser(r), nil
}

// SetPassword implements account.Repository, in one transaction.
func (s Accounts) SetPassword(ctx context.Context, userID int64, hash string, validAfter time.Time, keep []byte) error {
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		if err := q.UpdatePassword(ctx, dbgen.UpdatePasswordParams{ID: userID, PasswordHash: hash, TokensValidAfter: validAfter}); err != nil {
			return translate(err)
		}
		if err := q.RevokeUserRefreshTokens(ctx, dbgen.RevokeUserRefreshTokensParams{UserID: userID, Now: validAfter}); err != nil {
			return translate(err)
		}
		if err := q.DeleteUserAPITokens(ctx, userID); err != nil {
			return translate(err)
		}
		if keep == nil {
			keep = []byte{}
		}
		return translate(q.DeleteUserSessionsExcept(ctx, dbgen.DeleteUserSessionsExceptParams{UserID: &userID, Keep: keep}))
	})
}

// UpdatePasswordHash implements account.Repository.
func (s Accounts) UpdatePasswordHash(ctx context.Context, userID int64, hash string) error {
	return translate(s.q.UpdatePasswordHash(ctx, dbgen.UpdatePasswordHashParams{ID: userID, PasswordHash: hash}))
}

// sessionIDLen is how much of the hex hash names a session publicly.
const sessionIDLen = 16

// ListSessions implements account.Repository.
func (s Accounts) ListSessions(ctx context.Context, userID int64, now, idleAfter time.Time) ([]account.SessionInfo, [][]byte, error) {
	rows, err := s.q.ListUserSessions(ctx, dbgen.ListUserSessionsParams{UserID: &userID, Now: now, IdleAfter: idleAfter})
	if err != nil {
		return nil, nil, translate(err)
	}
	infos := make([]account.SessionInfo, len(rows))
	hashes := make([][]byte, len(rows))
	for i, r := range rows {
		infos[i] = account.SessionInfo{
			ID: hex.EncodeToString(r.IDHash)[:sessionIDLen], UserAgent: r.UserAgent, IP: r.Ip,
			CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(),
		}
		hashes[i] = r.IDHash
	}
	return infos, hashes, nil
}

// DeleteSessionByID implements account.Repository.
func (s Accounts) DeleteSessionByID(ctx context.Context, userID int64, id string) (bool, error) {
	n, err := s.q.DeleteUserSessionByPrefix(ctx, dbgen.DeleteUserSessionByPrefixParams{UserID: &userID, Prefix: id})
	return n > 0, translate(err)
}

// DeleteSessionsExcept implements account.Repository.
func (s Accounts) DeleteSessionsExcept(ctx context.Context, userID int64, keep []byte) error {
	if keep == nil {
		keep = []byte{}
	}
	return translate(s.q.DeleteUserSessionsExcept(ctx, dbgen.DeleteUserSessionsExceptParams{UserID: &userID, Keep: keep}))
}

// InsertRefreshToken implements account.Repository.
func (s Accounts) InsertRefreshToken(ctx context.Context, r account.RefreshRecord, now time.Time) error {
	return translate(s.q.InsertRefreshToken(ctx, dbgen.InsertRefreshTokenParams{
		Jti: r.JTI, UserID: r.UserID, Family: r.Family, CreatedAt: now, ExpiresAt: r.ExpiresAt,
	}))
}

// UseRefreshToken implements account.Repository.
func (s Accounts) UseRefreshToken(ctx context.Context, jti string, now time.Time) (account.RefreshRecord, error) {
	var rec account.RefreshRecord
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		r, err := q.RefreshTokenForUpdate(ctx, jti)
		if err != nil {
			return translate(err)
		}
		rec = account.RefreshRecord{
			JTI: r.Jti, UserID: r.UserID, Family: r.Family, ExpiresAt: r.ExpiresAt,
			Used: r.UsedAt != nil, Revoked: r.RevokedAt != nil,
		}
		return translate(q.MarkRefreshTokenUsed(ctx, dbgen.MarkRefreshTokenUsedParams{Jti: jti, Now: now}))
	})
	return rec, err
}

// RevokeRefreshFamily implements account.Repository.
func (s Accounts) RevokeRefreshFamily(ctx context.Context, family string, now time.Time) error {
	return translate(s.q.RevokeRefreshFamily(ctx, dbgen.RevokeRefreshFamilyParams{Family: family, Now: now}))
}

// RevokeUserRefreshTokens implements account.Repository.
func (s Accounts) RevokeUserRefreshTokens(ctx context.Context, userID int64, now time.Time) error {
	return translate(s.q.RevokeUserRefreshTokens(ctx, dbgen.RevokeUserRefreshTokensParams{UserID: userID, Now: now}))
}

// RevokeAccessToken implements account.Repository.
func (s Accounts) RevokeAccessToken(ctx context.Context, jti string, expires time.Time) error {
	return translate(s.q.InsertRevokedToken(ctx, dbgen.InsertRevokedTokenParams{Jti: jti, ExpiresAt: expires}))
}

// AccessTokenRevoked implements account.Repository.
func (s Accounts) AccessTokenRevoked(ctx context.Context, jti string) (bool, error) {
	ok, err := s.q.TokenRevoked(ctx, jti)
	return ok, translate(err)
}

func toAPIToken(r dbgen.ApiToken) account.APIToken {
	t := account.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, CreatedAt: r.CreatedAt.UTC()}
	if r.LastUsedAt != nil {
		lu := r.LastUsedAt.UTC()
		t.LastUsedAt = &lu
	}
	return t
}

// InsertAPIToken implements account.Repository.
func (s Accounts) InsertAPIToken(ctx context.Context, t account.APIToken, hash []byte) (account.APIToken, error) {
	r, err := s.q.InsertAPIToken(ctx, dbgen.InsertAPITokenParams{
		UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, TokenHash: hash, CreatedAt: t.CreatedAt,
	})
	if err != nil {
		return account.APIToken{}, translate(err)
	}
	return toAPIToken(r), nil
}

// UseAPIToken implements account.Repository.
func (s Accounts) UseAPIToken(ctx context.Context, hash []byte, now time.Time) (account.APIToken, error) {
	r, err := s.q.UseAPIToken(ctx, dbgen.UseAPITokenParams{TokenHash: hash, Now: now})
	if err != nil {
		return account.APIToken{}, translate(err)
	}
	return toAPIToken(r), nil
}

// ListAPITokens implements account.Repository.
func (s Accounts) ListAPITokens(ctx context.Context, userID int64) ([]account.APIToken, error) {
	rows, err := s.q.ListAPITokens(ctx, userID)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]account.APIToken, len(rows))
	for i, r := range rows {
		out[i] = toAPIToken(r)
	}
	return out, nil
}

// DeleteAPIToken implements account.Repository.
func (s Accounts) DeleteAPIToken(ctx context.Context, userID, id int64) (bool, error) {
	n, err := s.q.DeleteAPIToken(ctx, dbgen.DeleteAPITokenParams{UserID: userID, ID: id})
	return n > 0, translate(err)
}

// SetAdmin grants or revokes the admin role; ErrNotFound for an unknown
// username. Only the command line calls it, never the web.
func (s Accounts) SetAdmin(ctx context.Context, username string, admin bool) error {
	n, err := s.q.SetUserAdmin(ctx, dbgen.SetUserAdminParams{Username: username, IsAdmin: admin})
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return paste.ErrNotFound
	}
	return nil
}

// InsertUserWithInvite implements account.Repository: the invite is
// consumed and the account inserted in one transaction.
func (s Accounts) InsertUserWithInvite(ctx context.Context, u account.User, inviteHash []byte, now time.Time) (account.User, error) {
	var out account.User
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		id, err := q.ConsumeInvite(ctx, dbgen.ConsumeInviteParams{TokenHash: inviteHash, Now: now})
		if errors.Is(err, pgx.ErrNoRows) {
			return account.ErrInviteUnusable
		}
		if err != nil {
			return translate(err)
		}
		r, err := q.InsertUser(ctx, dbgen.InsertUserParams{
			Username: u.Username, Email: optString(u.Email), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt,
		})
		if err != nil {
			return translate(err)
		}
		out = toUser(r)
		return translate(q.SetInviteUser(ctx, dbgen.SetInviteUserParams{ID: id, UsedBy: &out.ID}))
	})
	return out, err
}

// InsertInvite implements account.Repository.
func (s Accounts) InsertInvite(ctx context.Context, r account.InviteRecord) (int64, error) {
	var by *int64
	if r.CreatedBy != 0 {
		by = &r.CreatedBy
	}
	id, err := s.q.InsertInvite(ctx, dbgen.InsertInviteParams{
		TokenHash: r.Hash, CreatedBy: by, Note: r.Note, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
	})
	return id, translate(err)
}

// InviteUsable implements account.Repository.
func (s Accounts) InviteUsable(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	ok, err := s.q.InviteUsable(ctx, dbgen.InviteUsableParams{TokenHash: hash, Now: now})
	return ok, translate(err)
}

// ListInvites implements account.Repository.
func (s Accounts) ListInvites(ctx context.Context, limit int) ([]account.Invite, error) {
	rows, err := s.q.ListInvites(ctx, int32(limit))
	if err != nil {
		return nil, translate(err)
	}
	out := make([]account.Invite, len(rows))
	for i, r := range rows {
		out[i] = account.Invite{
			ID: r.ID, Note: r.Note, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
			UsedAt: r.UsedAt, RevokedAt: r.RevokedAt,
		}
		if r.CreatedByName != nil {
			out[i].CreatedByName = *r.CreatedByName
		}
		if r.UsedByName != nil {
			out[i].UsedByName = *r.UsedByName
		}
	}
	return out, nil
}

// RevokeInvite implements account.Repository.
func (s Accounts) RevokeInvite(ctx context.Context, id int64, now time.Time) (bool, error) {
	n, err := s.q.RevokeInvite(ctx, dbgen.RevokeInviteParams{ID: id, Now: now})
	return n > 0, translate(err)
}

var _ account.ExternalRepository = Accounts{}

// UserByIdentity implements account.ExternalRepository.
func (s Accounts) UserByIdentity(ctx context.Context, id account.Identity, now time.Time) (account.User, error) {
	uid, err := s.q.UserIdentity(ctx, dbgen.UserIdentityParams{Issuer: id.Issuer, Subject: id.Subject})
	if err != nil {
		return account.User{}, translate(err)
	}
	if err := s.q.TouchUserIdentity(ctx, dbgen.TouchUserIdentityParams{Issuer: id.Issuer, Subject: id.Subject, LastUsedAt: now}); err != nil {
		return account.User{}, translate(err)
	}
	return s.UserByID(ctx, uid)
}

// InsertUserWithIdentity implements account.ExternalRepository, in one
// transaction with the invite's consumption.
func (s Accounts) InsertUserWithIdentity(ctx context.Context, u account.User, id account.Identity, inviteHash []byte, now time.Time) (account.User, error) {
	var out account.User
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		var inviteID int64
		if inviteHash != nil {
			iid, err := q.ConsumeInvite(ctx, dbgen.ConsumeInviteParams{TokenHash: inviteHash, Now: now})
			if errors.Is(err, pgx.ErrNoRows) {
				return account.ErrInviteUnusable
			}
			if err != nil {
				return translate(err)
			}
			inviteID = iid
		}
		r, err := q.InsertUser(ctx, dbgen.InsertUserParams{
			Username: u.Username, Email: optString(u.Email), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt,
		})
		if err != nil {
			return translate(err)
		}
		out = toUser(r)
		if err := q.InsertUserIdentity(ctx, dbgen.InsertUserIdentityParams{Issuer: id.Issuer, Subject: id.Subject, UserID: out.ID, CreatedAt: now}); err != nil {
			return translate(err)
		}
		if inviteID != 0 {
			return translate(q.SetInviteUser(ctx, dbgen.SetInviteUserParams{ID: inviteID, UsedBy: &out.ID}))
		}
		return nil
	})
	return out, err
}

// UserTOTP implements account.TwoFactorRepository.
func (s Accounts) UserTOTP(ctx context.Context, userID int64) (account.TOTP, error) {
	r, err := s.q.UserTOTP(ctx, userID)
	if err != nil {
		return account.TOTP{}, translate(err)
	}
	return account.TOTP{Secret: r.Secret, Enabled: r.EnabledAt != nil, LastStep: r.LastStep}, nil
}

// SetPendingTOTP implements account.TwoFactorRepository.
func (s Accounts) SetPendingTOTP(ctx context.Context, userID int64, secret string, now time.Time) error {
	return translate(s.q.SetPendingTOTP(ctx, dbgen.SetPendingTOTPParams{UserID: userID, Secret: secret, CreatedAt: now}))
}

// EnableTOTP implements account.TwoFactorRepository, in one transaction.
func (s Accounts) EnableTOTP(ctx context.Context, userID, step int64, hashes [][]byte, now time.Time) (bool, error) {
	var done bool
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.EnableTOTP(ctx, dbgen.EnableTOTPParams{UserID: userID, Step: step, Now: now})
		if err != nil || n == 0 {
			return translate(err)
		}
		if err := q.DeleteRecoveryCodes(ctx, userID); err != nil {
			return translate(err)
		}
		for _, h := range hashes {
			if err := q.InsertRecoveryCode(ctx, dbgen.InsertRecoveryCodeParams{UserID: userID, CodeHash: h}); err != nil {
				return translate(err)
			}
		}
		done = true
		return nil
	})
	return done, err
}

// UseTOTPStep implements account.TwoFactorRepository.
func (s Accounts) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	n, err := s.q.UseTOTPStep(ctx, dbgen.UseTOTPStepParams{UserID: userID, Step: step})
	return n > 0, translate(err)
}

// UseRecoveryCode implements account.TwoFactorRepository.
func (s Accounts) UseRecoveryCode(ctx context.Context, userID int64, hash []byte, now time.Time) (bool, error) {
	n, err := s.q.UseRecoveryCode(ctx, dbgen.UseRecoveryCodeParams{UserID: userID, CodeHash: hash, Now: now})
	return n > 0, translate(err)
}

// RecoveryCodesLeft implements account.TwoFactorRepository.
func (s Accounts) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	n, err := s.q.CountRecoveryCodes(ctx, userID)
	return int(n), translate(err)
}

// DisableTOTP implements account.TwoFactorRepository.
func (s Accounts) DisableTOTP(ctx context.Context, userID int64) error {
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		if err := q.DeleteTOTP(ctx, userID); err != nil {
			return translate(err)
		}
		return translate(q.DeleteRecoveryCodes(ctx, userID))
	})
}

// InsertPasswordReset implements account.ResetRepository.
func (s Accounts) InsertPasswordReset(ctx context.Context, userID int64, hash []byte, createdBy int64, now, expires time.Time) error {
	var by *int64
	if createdBy != 0 {
		by = &createdBy
	}
	_, err := s.q.InsertPasswordReset(ctx, dbgen.InsertPasswordResetParams{
		UserID: userID, TokenHash: hash, CreatedBy: by, CreatedAt: now, ExpiresAt: expires,
	})
	return translate(err)
}

// PasswordResetUser implements account.ResetRepository.
func (s Accounts) PasswordResetUser(ctx context.Context, hash []byte, now time.Time) (int64, error) {
	id, err := s.q.PasswordResetUser(ctx, dbgen.PasswordResetUserParams{TokenHash: hash, Now: now})
	return id, translate(err)
}

// ResetPassword implements account.ResetRepository: the link is used and
// the password set in one transaction, ending every session and token.
func (s Accounts) ResetPassword(ctx context.Context, hash []byte, newHash string, now time.Time) (int64, error) {
	var userID int64
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		id, err := q.UsePasswordReset(ctx, dbgen.UsePasswordResetParams{TokenHash: hash, Now: now})
		if err != nil {
			return translate(err)
		}
		userID = id
		if err := q.UpdatePassword(ctx, dbgen.UpdatePasswordParams{ID: id, PasswordHash: newHash, TokensValidAfter: now}); err != nil {
			return translate(err)
		}
		if err := q.RevokeUserRefreshTokens(ctx, dbgen.RevokeUserRefreshTokensParams{UserID: id, Now: now}); err != nil {
			return translate(err)
		}
		if err := q.DeleteUserAPITokens(ctx, id); err != nil {
			return translate(err)
		}
		return translate(q.DeleteUserSessionsExcept(ctx, dbgen.DeleteUserSessionsExceptParams{UserID: &id, Keep: []byte{}}))
	})
	return userID, err
}

// UsersByEmail implements account.ResetRepository.
func (s Accounts) UsersByEmail(ctx context.Context, email string) ([]account.User, error) {
	rows, err := s.q.UsersByEmail(ctx, email)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]account.User, len(rows))
	for i, r := range rows {
		out[i] = toUser(r)
	}
	return out, nil
}
