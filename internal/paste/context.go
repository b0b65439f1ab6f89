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
