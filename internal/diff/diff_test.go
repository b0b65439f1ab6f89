package diff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnifiedShapes(t *testing.T) {
	goBody := "package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n"
	tests := []struct {
		name     string
		old, new []File
		want     string
	}{
		{
			name: "one line changed",
			old:  []File{{Name: "a.txt", Body: []byte("one\ntwo\nthree\n")}},
			new:  []File{{Name: "a.txt", Body: []byte("one\n2\nthree\n")}},
			want: "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n",
		},
		{
			name: "added and deleted",
			old:  []File{{Name: "keep.txt", Body: []byte("k\n")}, {Name: "gone.txt", Body: []byte("bye\n")}},
			new:  []File{{Name: "keep.txt", Body: []byte("k\n")}, {Name: "new.txt", Body: []byte("hello\nworld\n")}},
			want: "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n" +
				"diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n",
		},
		{
			name: "pure rename",
			old:  []File{{Name: "main.go", Body: []byte(goBody)}},
			new:  []File{{Name: "cmd.go", Body: []byte(goBody)}},
			want: "diff --git a/main.go b/cmd.go\nsimilarity index 100%\nrename from main.go\nrename to cmd.go\n",
		},
		{
			name: "rename with a change",
			old:  []File{{Name: "main.go", Body: []byte(goBody)}},
			new:  []File{{Name: "cmd.go", Body: []byte(strings.Replace(goBody, "hi", "hello", 1))}},
			want: "diff --git a/main.go b/cmd.go\nsimilarity index 80%\nrename from main.go\nrename to cmd.go\n--- a/main.go\n+++ b/cmd.go\n" +
				"@@ -1,5 +1,5 @@\n package main\n \n func main() {\n-\tprintln(\"hi\")\n+\tprintln(\"hello\")\n }\n",
		},
		{
			name: "too different to be a rename",
			old:  []File{{Name: "a.txt", Body: []byte("1\n2\n3\n4\n")}},
			new:  []File{{Name: "b.txt", Body: []byte("1\nx\ny\nz\n")}},
			want: "diff --git a/b.txt b/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1,4 @@\n+1\n+x\n+y\n+z\n" +
				"diff --git a/a.txt b/a.txt\ndeleted file mode 100644\n--- a/a.txt\n+++ /dev/null\n@@ -1,4 +0,0 @@\n-1\n-2\n-3\n-4\n",
		},
		{
			name: "no newline at end",
			old:  []File{{Name: "a", Body: []byte("x\ny")}},
			new:  []File{{Name: "a", Body: []byte("x\ny\n")}},
			want: "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n",
		},
		{
			name: "binary",
			old:  []File{{Name: "p.png", Body: []byte("\x89PNG\x00a"), Binary: true}},
			new:  []File{{Name: "p.png", Body: []byte("\x89PNG\x00b"), Binary: true}},
			want: "diff --git a/p.png b/p.png\nBinary files a/p.png and b/p.png differ\n",
		},
		{
			name: "unchanged",
			old:  []File{{Name: "a", Body: []byte("same\n")}},
			new:  []File{{Name: "a", Body: []byte("same\n")}},
			want: "",
		},
		{
			name: "quoted name",
			old:  []File{{Name: "caf\u00e9 \"x\".txt", Body: []byte("a\n")}},
			new:  []File{{Name: "caf\u00e9 \"x\".txt", Body: []byte("b\n")}},
			want: "diff --git \"a/caf\\303\\251 \\\"x\\\".txt\" \"b/caf\\303\\251 \\\"x\\\".txt\"\n--- \"a/caf\\303\\251 \\\"x\\\".txt\"\n+++ \"b/caf\\303\\251 \\\"x\\\".txt\"\n@@ -1 +1 @@\n-a\n+b\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unified(Compute(tt.old, tt.new, Options{}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Unified (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeStatuses(t *testing.T) {
	old := []File{
		{Name: "same.txt", Body: []byte("s\n")},
		{Name: "edit.txt", Body: []byte("a\nb\n")},
		{Name: "moved.txt", Body: []byte("m1\nm2\nm3\n")},
		{Name: "dropped.txt", Body: []byte("d\n")},
	}
	new := []File{
		{Name: "edit.txt", Body: []byte("a\nc\n")},
		{Name: "same.txt", Body: []byte("s\n")},
		{Name: "fresh.txt", Body: []byte("f\n")},
		{Name: "renamed.txt", Body: []byte("m1\nm2\nm3\n")},
	}
	type row struct {
		Old, New       string
		Status         Status
		Sim, Add, Dels int
	}
	var got []row
	for _, d := range Compute(old, new, Options{}) {
		got = append(got, row{d.OldName, d.NewName, d.Status, d.Similarity, d.Added, d.Deleted})
	}
	want := []row{
		{"edit.txt", "edit.txt", Modified, 0, 1, 1},
		{"same.txt", "same.txt", Unchanged, 0, 0, 0},
		{"", "fresh.txt", Added, 0, 1, 0},
		{"moved.txt", "renamed.txt", Renamed, 100, 0, 0},
		{"dropped.txt", "", Deleted, 0, 0, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compute (-want +got):\n%s", diff)
	}
}

// TestUnifiedAppliesWithGit checks the property that matters: git itself
// turns the old files into the new ones with the text Unified writes, for
// random edits of random files (renames, adds and deletes included).
func TestUnifiedAppliesWithGit(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git is needed to check the diffs: ", err)
	}
	rng := rand.New(rand.NewPCG(15, 15))
	for round := range 30 {
		old, new := randomSides(rng)
		text := Unified(Compute(old, new, Options{}))
		dir := t.TempDir()
		for _, f := range old {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		patch := filepath.Join(t.TempDir(), "p.diff")
		if err := os.WriteFile(patch, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if text != "" {
			cmd := exec.Command(gitPath, "apply", "--unidiff-zero", patch)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("round %d: git apply: %v\n%s\npatch:\n%s", round, err, out, text)
			}
		}
		entries, _ := os.ReadDir(dir)
		got := map[string]string{}
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			got[e.Name()] = string(b)
		}
		want := map[string]string{}
		for _, f := range new {
			want[f.Name] = string(f.Body)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d: files after git apply (-want +got):\n%s\npatch:\n%s", round, diff, text)
		}
	}
}

// randomSides makes up to four files and a changed copy of them: lines
// edited, inserted and deleted, a file renamed, dropped or added.
func randomSides(rng *rand.Rand) (old, new []File) {
	n := 1 + rng.IntN(4)
	for i := range n {
		var b strings.Builder
		for l := range 5 + rng.IntN(60) {
			fmt.Fprintf(&b, "line %d of file %d %d\n", l, i, rng.IntN(3))
		}
		body := b.String()
		if rng.IntN(4) == 0 {
			body = strings.TrimSuffix(body, "\n")
		}
		old = append(old, File{Name: fmt.Sprintf("f%d.txt", i), Body: []byte(body)})
	}
	for i, f := range old {
		lines := strings.SplitAfter(string(f.Body), "\n")
		var out []string
		for _, l := range lines {
			switch rng.IntN(12) {
			case 0: // deleted
			case 1:
				out = append(out, "inserted\n", l)
			case 2:
				out = append(out, strings.Replace(l, "line", "LINE", 1))
			default:
				out = append(out, l)
			}
		}
		body := strings.Join(out, "")
		name := f.Name
		switch rng.IntN(6) {
		case 0:
			continue // dropped
		case 1:
			name = fmt.Sprintf("renamed%d.txt", i)
		case 2:
			body = string(f.Body) // unchanged
		}
		new = append(new, File{Name: name, Body: []byte(body)})
	}
	if rng.IntN(3) == 0 {
		new = append(new, File{Name: "added.txt", Body: []byte("a new file\nwith two lines\n")})
	}
	return old, new
}

func TestHunkLineNumbers(t *testing.T) {
	var a, b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&a, "%d\n", i)
		switch i {
		case 5:
			b.WriteString("five\n")
		case 15:
			fmt.Fprintf(&b, "%d\nextra\n", i)
		default:
			fmt.Fprintf(&b, "%d\n", i)
		}
	}
	hunks := Hunks([]byte(a.String()), []byte(b.String()), 3)
	if len(hunks) != 2 {
		t.Fatalf("got %d hunks, want 2: %+v", len(hunks), hunks)
	}
	if got, want := hunks[0].Header()+" "+hunks[1].Header(), "@@ -2,7 +2,7 @@ @@ -13,6 +13,7 @@"; got != want {
		t.Errorf("headers = %q, want %q", got, want)
	}
	for _, l := range hunks[1].Lines {
		if l.Text == "extra" && (l.Op != Insert || l.New != 16 || l.Old != 0) {
			t.Errorf("extra line = %+v, want an insert at new line 16", l)
		}
		if l.Text == "18" && (l.Old != 18 || l.New != 19) {
			t.Errorf("context line 18 = %+v, want old 18 new 19", l)
		}
	}
}
