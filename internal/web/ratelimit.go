package web

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/internal/ratelimit"
)

// withBudgets makes the forms and the API spend from the same Budgets:
// Options.Budgets, else the API's, else in-memory ones sized like the API's.
func (o Options) withBudgets() Options {
	if o.Budgets == nil {
		o.Budgets = o.APIRateLimits.Budgets
	}
	if o.Budgets == nil {
		o.Budgets = o.APIRateLimits.MemoryBudgets()
	}
	o.APIRateLimits.Budgets = o.Budgets
	return o
}

// limitWrite spends one write of the caller's budget (the signed-in user's,
// else the client address's) before a form that creates or changes
// something; the API's writes spend the same budget.
func (a *App) limitWrite(c *fiber.Ctx) error {
	var userID int64
	if v := paste.ViewerFrom(c.UserContext()); v.SignedIn() {
		userID = v.UserID
	}
	d, err := a.opts.Budgets.Write(c.UserContext(), userID, paste.ClientAddr(c.UserContext()))
	return a.admit(c, d, err)
}

// limitRegistration spends one registration (and one write) of the client
// address before the registration form is handled.
func (a *App) limitRegistration(c *fiber.Ctx) error {
	d, err := a.opts.Budgets.Register(c.UserContext(), paste.ClientAddr(c.UserContext()))
	return a.admit(c, d, err)
}

// admit goes on to the handler when the budget allowed the request. A
// limiter that cannot count (the database is down) refuses: the error handler
// answers 503. A spent budget is 429 with Retry-After, as the layout's error
// page, or its error box alone for htmx.
func (a *App) admit(c *fiber.Ctx, d ratelimit.Decision, err error) error {
	if err != nil {
		return err
	}
	api.SetQuota(c, d)
	if d.Allowed {
		return c.Next()
	}
	secs := max(int(math.Ceil(d.RetryAfter.Seconds())), 1)
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return fiber.NewError(fiber.StatusTooManyRequests, fmt.Sprintf(
		"You have done this too often for now, so it was not saved. Try again in %s.", waitText(secs)))
}

// waitText says a wait of secs seconds in words.
func waitText(secs int) string {
	switch {
	case secs < 2:
		return "a second"
	case secs < 90:
		return strconv.Itoa(secs) + " seconds"
	case secs < 90*60:
		return strconv.Itoa((secs+59)/60) + " minutes"
	}
	return strconv.Itoa((secs+3599)/3600) + " hours"
}
