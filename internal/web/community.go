package web

// registerCommunity mounts comments, stars, votes, popular lists, profiles
// and feeds.
func (a *App) registerCommunity() {}
