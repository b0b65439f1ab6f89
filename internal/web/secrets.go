package web

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// Answers to the secret warning: the form's buttons send one as
// secret_action.
const (
	secretPrivate = "private"      // keep the paste to its owner
	secretRemove  = "remove_lines" // drop the lines found, then check again
	secretPublish = "publish"      // publish as it is
)

// holdSecrets decides whether text the new-paste or edit form is about to
// publish is held back because it looks like it holds credentials, before
// anything is stored. It first applies the person's answer to an earlier
// warning (secret_action): "private" makes the paste private (signed-in
// people only), "remove_lines" drops the lines found (content changes),
// "publish" lets it through. A private paste is not checked, nor an
// encrypted one (the server cannot read it). It returns the warning to
// show (with 200: a question, not a failure), nil to go on.
func (a *App) holdSecrets(c *fiber.Ctx, content, visibility *string, encrypted bool) *views.SecretWarnings {
	if encrypted {
		return nil
	}
	ctx := c.UserContext()
	signedIn := paste.ViewerFrom(ctx).SignedIn()
	switch c.FormValue("secret_action") {
	case secretPublish:
		return nil
	case secretPrivate:
		if signedIn {
			*visibility = string(paste.Private)
		}
	}
	if paste.Visibility(*visibility) == paste.Private {
		return nil
	}
	findings, complete := a.deps.Pastes.SecretFindings(ctx, []byte(*content), false)
	if c.FormValue("secret_action") == secretRemove && len(findings) > 0 {
		*content = paste.RemoveLines(*content, findings)
		findings, complete = a.deps.Pastes.SecretFindings(ctx, []byte(*content), false)
	}
	if len(findings) == 0 {
		return nil
	}
	return &views.SecretWarnings{Findings: findings, Incomplete: !complete, CanPrivate: signedIn}
}
