package web

// registerAPIDocs mounts the human-readable API page.
func (a *App) registerAPIDocs() {}
