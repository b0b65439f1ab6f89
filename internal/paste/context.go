package paste

import "context"

type viewerKey struct{}

// WithViewer returns ctx carrying the viewer; the surfaces' auth middleware
// sets it once per request.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer carried by ctx, Anonymous when none is.
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}

type clientAddrKey struct{}

// WithClientAddr returns ctx carrying the client's address as the web
// layer resolved it (the peer, or behind trusted proxies the nearest
// untrusted X-Forwarded-For hop). Every per-address limit, view count and
// session list uses this one value.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the client address carried by ctx, "" when none is.
func ClientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey{}).(string)
	return s
}
