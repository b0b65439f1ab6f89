package web_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/browsertest"
)

// TestBrowserFilesDragAndDrop: three files dropped on the new-paste form
// (a synthetic drop event carrying a DataTransfer, as the desktop sends)
// become one paste: the first text file fills the main text and its name,
// the second text file a block of its own, the PNG an upload. The page
// shows the three under their anchors, the image inline; the ZIP download
// holds exactly the three files' bytes. Layout checked and screenshots
// taken of the form and the page at 390 and 1280 px, light and dark.
func TestBrowserFilesDragAndDrop(t *testing.T) {
	e := newEnv(t, served())
	shots := filepath.Join(screenDir, "files")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := b.Incognito()
	defer cancel()

	goSrc := "package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n"
	md := "# Read me\n\nThree files, one paste.\n"
	drop := fmt.Sprintf(`(function () {
		var png = Uint8Array.from(atob(%q), function (c) { return c.charCodeAt(0); });
		var dt = new DataTransfer();
		dt.items.add(new File([%q], "main.go", {type: "text/x-go"}));
		dt.items.add(new File([%q], "README.md", {type: "text/markdown"}));
		dt.items.add(new File([png], "logo.png", {type: "image/png"}));
		var form = document.querySelector('[data-testid="paste-form"]');
		form.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: dt}));
		form.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: dt}));
	})()`, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", goSrc, md)
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="add-file"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="title-input"]`), "three files"),
		chromedp.Evaluate[chromedp.Void](drop),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="file-block"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="picked-files"] li`)),
	)
	state := browsertest.Get(t, ctx, chromedp.Evaluate[string](`[
		document.querySelector('[data-testid="filename-input"]').value,
		document.querySelectorAll('[data-testid="file-block"]').length,
		document.querySelector('[data-testid="file-name-input"]').value,
		document.querySelector('[data-testid="file-picker"]').files.length,
		document.querySelector('[data-testid="content-input"]').value.indexOf("func main") >= 0
	].join(" ")`))
	if state != "main.go 1 README.md 1 true" {
		t.Fatalf("form after the drop: %q", state)
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 1100), colourScheme(scheme),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="files-field"]').scrollIntoView({block: "center"})`),
				chromedp.Sleep(300*time.Millisecond)) // the colour transitions end
			png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("form-%d-%s.png", width, scheme)), png, 0o644); err != nil {
				t.Log(err)
			}
		}
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="paste-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="files"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#file-main-go-L3`)),
	)
	path := browsertest.Get(t, ctx, chromedp.Evaluate[string](`location.pathname`))
	id := strings.TrimPrefix(path, "/")
	page := browsertest.Get(t, ctx, chromedp.Evaluate[string](`[
		Array.from(document.querySelectorAll('[data-testid="file"]')).map(function (s) { return s.id; }).join(","),
		document.querySelector('#file-readme-md h1') ? "md" : "no-md",
		document.querySelector('[data-testid="download-link"]').textContent.trim()
	].join(" | ")`))
	if page != "file-main-go,file-readme-md,file-logo-png | md | Download all (ZIP)" {
		t.Fatalf("page: %q", page)
	}
	// The image is drawn from its bytes (1x1).
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="file-image"] img').scrollIntoView()`))
	waitJS(t, ctx, "the image", `document.querySelector('[data-testid="file-image"] img').complete`)
	if w := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelector('[data-testid="file-image"] img').naturalWidth`)); w != 1 {
		t.Fatalf("image naturalWidth %d", w)
	}

	resp, err := http.Get(e.base + "/dl/" + id)
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("download = %d %s (%v)", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	want := map[string]string{"main.go": goSrc, "README.md": md, "logo.png": string(pngBytes)}
	if diff := cmp.Diff(want, unzip(t, zipped)); diff != "" {
		t.Fatalf("zip (-want +got):\n%s", diff)
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 1100), colourScheme(scheme))
			checkLayout(t, ctx, e.base+"/"+id, filepath.Join("files", fmt.Sprintf("page-%d-%s", width, scheme)))
		}
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(p, "\n"))
	}
}
