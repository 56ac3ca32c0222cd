package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFiltersSayWhatCannotMatch: a tag nobody has and a day range with no
// day are refused, saying so, instead of looking like nothing was found;
// a topic with no article yet is a tag all the same.
func TestFiltersSayWhatCannotMatch(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	if code, _, errOut := run(t, nil, "", "ingest", "--sample", "--db", dbPath); code != 0 {
		t.Fatal(errOut)
	}
	cases := []struct {
		args []string
		code int
		want string // in stderr for a refusal, else in stdout
	}{
		{[]string{"search", "工业", "--tag", "工艺"}, 2, `no tag "工艺": wzdaily tags lists them`},
		{[]string{"search", "工业", "--tag", "梧州日报新闻,工艺,nope"}, 2, `no tag "工艺", "nope"`},
		{[]string{"articles", "--tag", "工艺"}, 2, `no tag "工艺"`},
		{[]string{"search", "工业", "--from", "2022-02-12", "--to", "2022-02-11"}, 2, "--from 2022-02-12 is not before --to 2022-02-11"},
		{[]string{"search", "工业", "--from", "2022-02-11", "--to", "2022-02-11"}, 2, "for one day, --from 2022-02-11 --to 2022-02-12"},
		{[]string{"search", "工业", "--tag", "梧州日报新闻", "--from", "2021-01-01", "--to", "2030-01-01"}, 0, "1. 加快我市【工业】高质量发展"},
		{[]string{"search", "工业", "--tag", "天气"}, 0, "Nothing found for 工业."},
		{[]string{"articles", "--tag", "工业", "--limit", "1"}, 0, "105 articles"},
	}
	for _, c := range cases {
		code, out, errOut := run(t, nil, "", append(c.args, "--db", dbPath)...)
		got := out
		if c.code != 0 {
			got = errOut
		}
		if code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%v: exit %d\n%s%s\nwant %d and %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
}
