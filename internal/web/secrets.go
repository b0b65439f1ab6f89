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
//
// blocks are the form's further files (issue 15): checked too, and their
// lines removed the same way.
func (a *App) holdSecrets(c *fiber.Ctx, content, visibility *string, blocks []views.FormFile, encrypted bool) *views.SecretWarnings {
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
	scan := func() ([]paste.SecretFinding, bool) {
		findings, complete := a.deps.Pastes.SecretFindings(ctx, []byte(*content), false)
		for _, b := range blocks {
			more, done := a.deps.Pastes.SecretFindings(ctx, []byte(b.Content), false)
			for _, f := range more {
				f.File = b.Name
				findings = append(findings, f)
			}
			complete = complete && done
		}
		return findings, complete
	}
	findings, complete := scan()
	if c.FormValue("secret_action") == secretRemove && len(findings) > 0 {
		*content = paste.RemoveLines(*content, inFile(findings, ""))
		for i := range blocks {
			blocks[i].Content = paste.RemoveLines(blocks[i].Content, inFile(findings, blocks[i].Name))
		}
		findings, complete = scan()
	}
	if len(findings) == 0 {
		return nil
	}
	return &views.SecretWarnings{Findings: findings, Incomplete: !complete, CanPrivate: signedIn}
}

// inFile returns the findings in the file named name ("": the main text).
func inFile(fs []paste.SecretFinding, name string) []paste.SecretFinding {
	var out []paste.SecretFinding
	for _, f := range fs {
		if f.File == name {
			out = append(out, f)
		}
	}
	return out
}

// applyHeld puts the form's texts, as holdSecrets left them, back into in:
// the main text and, for a paste of several files, the files made of the
// main text (first, when there was one) and the blocks (formFiles).
func applyHeld(f views.PasteForm, hadMain bool, in *paste.CreateInput) {
	in.Content, in.Visibility = []byte(f.Content), paste.Visibility(f.Visibility)
	if len(in.Files) == 0 {
		return
	}
	i := 0
	if hadMain {
		in.Files[0].Content = []byte(f.Content)
		i = 1
	}
	for j, b := range f.Files {
		if i+j < len(in.Files) {
			in.Files[i+j].Content = []byte(b.Content)
		}
	}
}
