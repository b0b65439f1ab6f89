package render

import (
	"regexp"
	"sort"
)

// A signal is a construct that, on a line of its own, all but names a
// language: "package main" is Go, "defmodule" is Elixir, a cmdlet is
// PowerShell. Linguist's classifier is a bag of tokens trained on whole
// files; on a 10-line snippet it is swayed by tokens that many languages
// share, so Detect counts these first and asks the classifier only when
// they do not settle it.
type signal struct {
	key    string
	weight int
	re     *regexp.Regexp
}

func sig(key string, weight int, re string) signal {
	return signal{key, weight, regexp.MustCompile("(?m)" + re)}
}

var signals = []signal{
	sig("go", 4, `^package [a-z_][a-z0-9_]*$`),
	sig("go", 3, `^func (\([a-z]\w* \*?\w+(\[[^]]*\])?\) )?\w+(\[[^]]*\])?\(.*\)( \(?[\w.*\[\] ,]+\)?)? \{$`),
	sig("go", 2, `\w+ :?= .*\b(make|append|len|fmt\.\w+|errors?\.\w+|context\.\w+)\(`),
	sig("go", 2, `^\s*if err != nil \{$|^\s*defer \w|^\s*go func\(|<-\w|\bchan\b|^\s*type \w+(\[.*\])? (struct|interface) \{$`),
	sig("go", 3, `^\s*case .*<-|^\s*case <-`),
	sig("go", 1, `:= |^\s*for _, \w+ := range |\bnil\b|\[\](struct|string|int|byte)\b|\bfunc\(`),
	sig("rust", 3, `^\s*(pub )?(async )?fn \w+(<.*>)?\(.*\)( -> .+)? \{$|^\s*#\[(derive|test|cfg|tokio::main)|\blet mut\b|^\s*impl\b|^\s*use (std|crate|super)::`),
	sig("rust", 1, `\w!\(|&mut |Option<|Result<|\.unwrap\(\)|::new\(`),
	sig("python", 3, `^\s*def \w+\(.*\)( -> .+)?:$|^\s*(async )?def |^\s*class \w+(\(.*\))?:$|^if __name__ == .__main__.:$|^\s*from [\w.]+ import |^Traceback \(most recent call last\):$`),
	sig("python", 1, `^\s*(elif|except|with|try|for .+ in .+|while .+)\b.*:$|\bself\.|\bNone\b|\bTrue\b|print\(`),
	sig("typescript", 3, `^\s*(export )?(interface|enum) \w+|^\s*(export )?type \w+(<.*>)? = |\): (Promise<\w+>|void|string|number|boolean)\b|\w: (string|number|boolean|any|unknown)\b|\bas \w+\)|\bprivate readonly\b|implements \w+`),
	sig("typescript", 3, `\b(const|let) \w+: \w|: \w+\[\] = |\): \w+(<.*>)? \{$`),
	sig("javascript", 2, `\brequire\(['"]|\bmodule\.exports\b|\bdocument\.\w+|\bconsole\.\w+\(|\bwindow\.\w+`),
	sig("javascript", 1, `^\s*(const|let|var) \w+ = |=> |\bfunction\b`),
	sig("java", 3, `^\s*(public|private|protected) (static )?(final )?(class|interface|enum|void|[A-Z]\w*(<.*>)?) \w*|System\.out\.print|^\s*@(Override|Test|RestController|GetMapping)\b|^\s*at [\w.$]+\([\w]+\.java:\d+\)`),
	sig("java", 1, `\bnew \w+(<>)?\(|\bString\[\]|\bList<\w+>`),
	sig("csharp", 4, `^using System|Console\.Write|\{ get; (set|init); \}|\basync Task\b|^\s*\[(ApiController|HttpGet|Route)\b|\bvar \w+ = new\b|\bforeach \(var\b|\bstring\.\w+\(|\bWebApplication\.`),
	sig("c", 2, `^#include <(stdio|stdlib|string|unistd|errno|stdint)\.h>|\bprintf\(|\bmalloc\(|\bsizeof\b|\bNULL\b|\bstruct \w+ \*|\bFILE \*`),
	sig("cpp", 4, `\bstd::|^#include <(iostream|vector|string|map|unordered_map|memory|algorithm)>|^\s*template ?<|^\s*namespace \w+ \{|\bvirtual\b|\boverride\b|^\s*(public|private):$`),
	sig("ruby", 3, `^\s*def \w+[?!]?(\(.*\))?$|^\s*require '\w+'|\bdo \|\w+(, ?\w+)*\|$|^\s*(end|module \w+|class \w+ < \w+)$|\bputs\b|^\s*(describe|it|context) ['"].*do$|\.each\b|#\{`),
	sig("php", 5, `^<\?php|\$this->|\becho \$|\$_(GET|POST|SESSION|SERVER)\b`),
	sig("php", 2, `^\s*\$\w+ = |\bfunction \w+\(.*\$\w+`),
	sig("bash", 3, `^\s*(if|while) \[\[? .* \]\]?; (then|do)$|^\s*(fi|done|esac)$|^\s*\w+\(\) \{$|^\s*export \w+=|^\s*alias \w+=|^\$ \w|^\s*(echo|cd|mkdir|sudo|git|curl|find|docker) \S`),
	sig("bash", 1, `"\$\{?\w+|\|\| |&& |^\s*case .* in$`),
	sig("sql", 4, `(?i)^\s*(select|insert into|update \w+|delete from|create (table|index|view|unique)|alter table|drop (table|index)|with \w+ as \()\b`),
	sig("sql", 1, `(?i)^\s*(from|where|join|left join|group by|order by|having|limit|set|values)\b`),
	sig("css", 1, `^\s*[.#:]?[a-z*][\w\-.#:>\[\]"^*, ]*\{$`),
	sig("css", 2, `^\s*[a-z-]+: [^;]+;$|^\s*@(media|keyframes|import)\b`),
	sig("kotlin", 4, `^\s*(fun|suspend fun|override fun|private fun) \w|^\s*(data|sealed) class\b|\bval \w+(: \w+\??)? = |^\s*object \w+ \{$|\blateinit\b|\bwhen \(|\?: `),
	sig("swift", 4, `^import (SwiftUI|UIKit|Foundation)$|^\s*(guard|if) let\b|\bfunc \w+\(.*\)( async)?( throws)? -> |@(State|IBOutlet|Published)\b|^\s*(struct|enum|protocol|extension) \w+(: [\w, ]+)? \{$|\blet \w+ = \(|\\\(`),
	sig("lua", 4, `^\s*local (function )?\w+|\bfunction \w+[.:]\w+\(|~= |\.\. |\bipairs\(|\bpairs\(|\bsetmetatable\(|^\s*end\)?$`),
	sig("haskell", 4, `^\w+ :: |^module [\w.]+ where$|^import qualified\b|^\s*(data|newtype) \w+( \w+)* = |^\s*instance \w+|^\s*where$|\{-#|\bmapM_\b`),
	sig("haskell", 1, `\w <- \w`),
	sig("elixir", 4, `^\s*defmodule\b|^\s*(def|defp) \w+.*\bdo$|^\s*\|> |^\s*use \w+|\{:(ok|error|reply|noreply)\b|^\s*@impl\b`),
	sig("scala", 4, `^\s*object \w+ extends\b|^\s*(case class|sealed trait|trait) \w+|^\s*def \w+(\[.*\])?\(.*\): \w+|\bimplicit\b|^\s*val \w+(: [\w\[\]]+)? = |^\s*var \w+: [\w\[\]]+ = |s"\$|=> \w|^import scala\.`),
	sig("powershell", 5, `\b(Get|Set|New|Remove|Write|Invoke|Import|Install|Restart|Test|Select|Where|ForEach|Format)-[A-Z]\w+|\$env:\w|\[Parameter\(|\$_\.`),
	sig("docker", 4, `^FROM [\w./:@${}-]+( (AS|as) \w+)?$|^(RUN|COPY|ADD|ENTRYPOINT|CMD|EXPOSE|WORKDIR|ENV|ARG|USER|VOLUME|HEALTHCHECK|LABEL) `),
	sig("makefile", 4, `^\.PHONY:|\$\([A-Z_]+\)|\$[@<^]|^[A-Z_]+ [?:+]?= |^(ifeq|ifneq|endif|include) `),
	sig("csharp", 3, `\bTask<|\bIQueryable<|\bwhere T : |\bbuilder\.Services\b|\bapp\.Map(Get|Post)\(`),
	sig("elixir", 3, `\bfn\b.*->|\bExUnit\b|\bassert_raise\b`),
	sig("rust", 2, `\|\w+\| |\.iter\(\)|^\s*match \w+ \{$|=> println!`),
	sig("typescript", 3, `\breadonly \w|<\w+ extends \w|extends keyof\b`),
	sig("kotlin", 2, `^\s*(plugins|dependencies|application) \{$|\bimplementation\("|kotlin\("`),
	sig("java", 3, `\bnew (ArrayList|HashMap|HashSet|LinkedList)<|\bExecutors\.|\bFuture<`),
}

// signalKey returns the language the signals point at, when one leads
// clearly; "" otherwise.
func signalKey(text string) string {
	scores := map[string]int{}
	// One pass of each signal over the whole text: much cheaper than
	// matching every line against every signal. A signal counts once per
	// line it matches on.
	var starts []int // where each line after the first starts
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	for _, s := range signals {
		last := -1
		for _, m := range s.re.FindAllStringIndex(text, -1) {
			line := sort.SearchInts(starts, m[0]+1)
			if line != last {
				scores[s.key] += s.weight
				last = line
			}
		}
	}
	best, second := "", 0
	for k, v := range scores {
		if best == "" || v > scores[best] || v == scores[best] && k < best {
			if best != "" {
				second = max(second, scores[best])
			}
			best = k
		} else {
			second = max(second, v)
		}
	}
	if best == "" || scores[best] < 6 || scores[best] < 2*second {
		return ""
	}
	return best
}
