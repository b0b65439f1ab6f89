package web

// registerSearch mounts the search page and its fragments.
func (a *App) registerSearch() {}
