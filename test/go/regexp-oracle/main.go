// Command regexp-oracle prints what Go's regexp package and Prometheus's label matcher answer for a
// corpus of patterns and texts, as the JSON that test/go/regexp-go.test.ts replays against
// src/go/regexp.ts. Regenerate with:
//
//	cd test/go/regexp-oracle && go run . > ../regexp-go-cases.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
)

type entry struct {
	pattern string
	texts   []string
	repl    string
}

// Texts every valid pattern is tried on, besides its own.
var common = []string{"", "a", "ab", "A\nb", "é"}

var corpus = []entry{
	// What Flux rules and templates write.
	{"podinfo|flux-system", []string{"podinfo", "flux-system", "flux", "podinfo|flux-system", "xpodinfo"}, "[$0]"},
	{"Kustomization|HelmRelease", []string{"HelmRelease", "helmrelease", "Kustomization "}, "$0!"},
	{"DependencyNotReady", []string{"DependencyNotReady", "xDependencyNotReady", "DependencyNotReadyx"}, "x"},
	{".*foo.*", []string{"foo", "xfooy", "fo", "a\nfoo\n", "FOO"}, "<$0>"},
	{"foo.*", []string{"foo", "foobar", "xfoo", "foo\nbar"}, "$0"},
	{".*foo", []string{"foo", "barfoo", "foox", "\nfoo"}, "$0"},
	{".*", []string{"\n", "a\x00b", "😀"}, "<$0>"},
	{".+", []string{"\n"}, "<$0>"},
	{"", []string{"x"}, "-"},
	{"a|", []string{"b"}, "-"},
	{"|a", []string{"b"}, "-"},
	{"a b#c", []string{"a b#c", "ab#c"}, "$0"},
	{"(.*)-(.*)", []string{"flux-system", "a-b-c", "-"}, "$2/$1"},
	{"(?P<kind>[^/]+)/(?P<name>.+)", []string{"HelmRelease/podinfo", "x/", "a/b/c"}, "${name} (${kind})"},
	// The cases the JavaScript translation got wrong or refused.
	{"(?m)^b$", []string{"a\nb\nc", "a\rb", "b"}, "B"},
	{"(?U)a+", []string{"aaa", "baaa"}, "X"},
	{"(?U)a+?", []string{"aaa"}, "X"},
	{"(?U)(a+)(a*)", []string{"aaa"}, "$1|$2"},
	{`\x{41}`, []string{"A", "a"}, "x"},
	{`\x41\x{1F600}`, []string{"A😀", "A"}, "x"},
	{`\p{Greek}+`, []string{"αβγ", "ω", "abc", "Ωmega"}, "<$0>"},
	{`\PL`, []string{"1", "é"}, "x"},
	{`\pN+`, []string{"12", "٣"}, "x"},
	{`[[:^alpha:]]+`, []string{"abc", "123", "a1b", "é"}, "_"},
	{`[[:alpha:][:digit:]]+`, []string{"a1", "-"}, "_"},
	{`[^[:space:]]+`, []string{"a b", "\u00a0"}, "_"},
	{`\s`, []string{" ", "\t", "\n", "\f", "\r", "\v", "\u00a0", "\u2028", "\u3000"}, "_"},
	{`\S+`, []string{"\u00a0\v", "a b"}, "_"},
	{`[\s]`, []string{"\v", "\u00a0"}, "_"},
	{`\w+`, []string{"é", "a_1"}, "_"},
	{`\d`, []string{"٣", "3"}, "_"},
	{`\bfoo\b`, []string{"a foo b", "afoo", "éfooé"}, "X"},
	{`(?i)k`, []string{"k", "K", "\u212a"}, "x"},
	{`(?i)ſ`, []string{"s", "S", "ſ"}, "x"},
	{`(?i)straße`, []string{"STRASSE", "STRAẞE", "strasse"}, "x"},
	{`(?i)σ`, []string{"Σ", "ς"}, "x"},
	{`(?i:A)b`, []string{"ab", "aB", "Ab"}, "x"},
	{`[a-c]`, []string{"b", "B"}, "x"},
	{`(?i)[a-c]`, []string{"B", "d"}, "x"},
	{`\Qa.b\E`, []string{"a.b", "axb", "xa.by"}, "X"},
	{`\Qa.b`, []string{"a.b", "axb"}, "X"},
	{`\Q(\E+`, []string{"((", "("}, "X"},
	{`a.c`, []string{"a\nc", "abc"}, "X"},
	{`(?s)a.c`, []string{"a\nc"}, "X"},
	{`(?-s)a.c`, []string{"a\nc", "abc"}, "X"},
	{`(?m)a$\nb`, []string{"a\nb"}, "X"},
	{`\Aab\z`, []string{"ab", "ab\n"}, "X"},
	{`^`, []string{"ab"}, ">"},
	{`$`, []string{"ab", "a\nb"}, "<"},
	{`(?m)$`, []string{"a\nb"}, "!"},
	{`(?m)^`, []string{"a\nb\n"}, ">"},
	{`b*`, []string{"abc", "bb", "abbc"}, "X"},
	{`a*`, []string{"baaac", "😀a😀"}, "-"},
	{`x*`, []string{"😀"}, "-"},
	{`a+?`, []string{"aaa"}, "X"},
	{`(a+)b`, []string{"aab-ab"}, "${1}X$1x"},
	{`(a)`, []string{"a"}, "$1é|"},
	{`(?P<n>a)`, []string{"ba"}, "[$n]"},
	{`(?<n>a)`, []string{"ba"}, "[$n][${n}]"},
	{`(x)?a`, []string{"a", "xa"}, "[$1]$$ ${"},
	{`(a)(b)`, []string{"ab"}, "$2$1 ${2}x $01 $00 $0 $3 $12 $-1 ${ $}"},
	{`(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)`, []string{"abcdefghijk"}, "$11|$10|${1}1|$111111111|$1111111111"},
	{`(?P<x1>a)(?P<_>b)(?P<é>c)`, []string{"abc"}, "$x1 $_ $é $x1x ${é}"},
	{`(?P<01>a)(b)`, []string{"ab"}, "$01|$1|$2"},
	{`(?P<x>a)|(?P<x>b)`, []string{"a", "b", "ab"}, "[$x]"},
	{`(?P<x>a)\Q(?P<x>\E(?P<x>b)(?P<y>c)?(?P<y>d)`, []string{"a(?P<x>bd", "a(?P<x>bcd"}, "$x|$y|$4"},
	{`[(?P<x>\]](?P<x>a)(?P<x>b)(?P<X>c)`, []string{"xabc", "]abc"}, "$x|$X|$2"},
	{`(?P<x>a)(?P<x>b)(`, nil, ""},
	{`(?P<x>a)(?P<x>b)\8`, nil, ""},
	{`(a|ab)(c|bcd)(d*)`, []string{"abcd"}, "$1|$2|$3"},
	{`(a*)+`, []string{"b", "aa"}, "[$1]"},
	{`(a|b)*`, []string{"ab"}, "[$1]"},
	{`(a*)*`, []string{"b"}, "[$1]"},
	{`(a|aa)+b`, []string{"aaab", "aaaa"}, "[$1]"},
	{`x{2,3}`, []string{"xxxx", "x"}, "-"},
	{`x{2,}`, []string{"xxxxx"}, "-"},
	{`a{,3}`, []string{"a{,3}", "aaa"}, "-"},
	{`a{1000}`, []string{"a"}, "-"},
	{`[]a]`, []string{"]", "a"}, "-"},
	{`[^]a]`, []string{"]", "b"}, "-"},
	{`[a-]`, []string{"-"}, "_"},
	{`.`, []string{"😀", "\n"}, "_"},
	{`[^a]`, []string{"\n", "😀"}, "_"},
	// Syntax errors: Go's message names the offending fragment.
	{`(`, nil, ""},
	{`)`, nil, ""},
	{`a)|(b`, []string{"ax", "xb", "a"}, "<$1>"},
	{`(a`, nil, ""},
	{`[a`, nil, ""},
	{`[z-a]`, nil, ""},
	{`a**`, nil, ""},
	{`a++`, nil, ""},
	{`x{2}{3}`, nil, ""},
	{`*`, nil, ""},
	{`a|*`, nil, ""},
	{`(a)\1`, nil, ""},
	{`\8`, nil, ""},
	{`\C`, nil, ""},
	{`\Z`, nil, ""},
	{`\`, nil, ""},
	{`(?=x)`, nil, ""},
	{`(?!x)`, nil, ""},
	{`(?<=a)b`, nil, ""},
	{`(?<!a)b`, nil, ""},
	{`(?#c)`, nil, ""},
	{`(?x)a`, nil, ""},
	{`(?i`, nil, ""},
	{`(?P=n)`, nil, ""},
	{`(?P<>a)`, nil, ""},
	{`(?P<a-b>x)`, nil, ""},
	{`a{1001}`, nil, ""},
	{`a{2,1}`, nil, ""},
	{`\p{Foo}`, nil, ""},
	{`[[:foo:]]`, nil, ""},
	{`[]`, nil, ""},
	{`\x{110000}`, nil, ""},
	{`x` + strings.Repeat("(", 1001) + strings.Repeat(")", 1001), nil, ""},
	{`((a{100}){100}){100}`, nil, ""},
}

func run(op, pattern, text, repl string) string {
	switch op {
	case "matcher": // a PromQL label matcher, =~
		m, err := labels.NewFastRegexMatcher(pattern)
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprint(m.MatchString(text))
	case "label_replace": // promql/functions.go: evalLabelReplace
		re, err := regexp.Compile("^(?s:" + pattern + ")$")
		if err != nil {
			return "error"
		}
		idx := re.FindStringSubmatchIndex(text)
		if idx == nil {
			return "no match"
		}
		return "=" + string(re.ExpandString(nil, repl, text, idx))
	case "match": // the template function match: regexp.MatchString
		ok, err := regexp.MatchString(pattern, text)
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprint(ok)
	case "reReplaceAll": // the template function reReplaceAll
		re, err := regexp.Compile(pattern)
		if err != nil {
			return "error: " + err.Error()
		}
		return "=" + re.ReplaceAllString(text, repl)
	}
	panic(op)
}

func main() {
	type kase [5]string // op, pattern, text, replacement, Go's answer
	var out struct {
		Go    string
		Cases []kase
	}
	out.Go = runtime.Version() + ", github.com/prometheus/prometheus v0.316.0 (Prometheus 3.16)"
	for _, e := range corpus {
		texts := e.texts
		if _, err := regexp.Compile(e.pattern); err == nil {
			texts = append(append([]string{}, e.texts...), common...)
		} else if len(texts) == 0 {
			texts = []string{""}
		}
		seen := map[string]bool{}
		for _, t := range texts {
			if seen[t] {
				continue
			}
			seen[t] = true
			for _, op := range []string{"matcher", "label_replace", "match", "reReplaceAll"} {
				out.Cases = append(out.Cases, kase{op, e.pattern, t, e.repl, run(op, e.pattern, t, e.repl)})
			}
		}
	}
	// One case a line, so that a regenerated file diffs by case.
	var b strings.Builder
	b.WriteString("{\n  \"go\": " + jsonString(out.Go) + ",\n  \"cases\": [\n")
	for i, c := range out.Cases {
		b.WriteString("    [")
		for j, s := range c {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(jsonString(s))
		}
		b.WriteString("]")
		if i < len(out.Cases)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("  ]\n}\n")
	os.Stdout.WriteString(b.String())
}

func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
