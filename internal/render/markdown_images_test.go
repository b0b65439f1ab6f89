package render

import (
	"strings"
	"testing"
)

// TestMarkdownImagesFromOtherSitesBecomeLinks: the page CSP allows images
// from the site only, so an image from elsewhere is shown as a placeholder
// link to it (alt text and host, opening in a new tab, with the link rel),
// never as an <img> the browser would block.
func TestMarkdownImagesFromOtherSitesBecomeLinks(t *testing.T) {
	tests := []struct {
		in      string
		img     bool
		contain string
	}{
		{"![tracker](https://evil.example/pixel.png)", false, `<a href="https://evil.example/pixel.png" rel="nofollow noopener noreferrer" class="md-image" target="_blank">tracker<em class="md-image-host">evil.example</em></a>`},
		{"![](http://evil.example/p.png)", false, `>Image<em class="md-image-host">evil.example</em></a>`},
		{"![x](//evil.example/p.png)", false, `href="//evil.example/p.png"`},
		{`![x](/\evil.example/p.png)`, false, ``},
		{"![x](HTTPS://evil.example/p.png \"t\")", false, `title="t"`},
		{"[![badge](https://ci.example/b.svg)](https://ci.example/)", false, `badge`},
		{"![logo](/static/logo.svg)", true, `<img src="/static/logo.svg" alt="logo">`},
		{"![logo](img/a.png?x=1:2)", true, `<img src="img/a.png?x=1:2"`},
	}
	for _, tt := range tests {
		out := Markdown([]byte(tt.in))
		if got := strings.Contains(out, "<img"); got != tt.img {
			t.Errorf("%s: img=%v in %s", tt.in, got, out)
		}
		if !strings.Contains(out, tt.contain) {
			t.Errorf("%s: %s lacks %s", tt.in, out, tt.contain)
		}
	}
}
