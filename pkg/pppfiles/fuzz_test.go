package pppfiles

import (
	"slices"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/pppsyntax/pppsyntaxtest"
)

// FuzzRender renders arbitrary values for every key that reaches a file
// and re-reads the output with pppd's and chat's own rules (pppsyntax).
// Whatever the values, each file must hold exactly the words of a render
// with harmless values, but for the words that carry the values, which
// must read back as the values themselves: no value can add or remove a
// pppd option, a chat token or a secrets entry.
func FuzzRender(f *testing.F) {
	for _, s := range [][3]string{
		{"user@dream.jp", "dti", "dream.jp"},
		{`x" persist "y`, "a\nb", `a"b`},
		{`\`, `@/etc/shadow`, "a b"},
		{"#", "'", "^C"},
		{"*", "$HOME", "x\nOK AT"},
		{"u\\\n", "p\\", "a.b-c"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	base := load(f, "AUTH=CHAP", "ACCOUNT=harmless", "PASSWORD=harmless", "APN=harmless")
	m := lisa(f)
	wantPeers := words(f, must(Peers(base, "/dev/ttyLISA0", 460800)))
	wantChat := chatTokens(f, must(Chat(base, m)))
	const foreign = "# kept\n\"mopera\" *      \"mopera\"\n* x \"\" 10.0.0.1\n"
	wantForeign, err := pppsyntaxtest.ParseSecrets(foreign)
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, account, password, apn string) {
		// A value config refuses never gets here (exit 78); it is replaced,
		// so that the other values are still tried.
		account = acceptedOr("ACCOUNT", account)
		password = acceptedOr("PASSWORD", password)
		apn = acceptedOr("APN", apn)
		c := *base
		c.Account, c.Password, c.APN = account, password, apn

		peers, err := Peers(&c, "/dev/ttyLISA0", 460800)
		if err == nil {
			got := words(t, peers)
			i := slices.Index(got, "user")
			if len(got) != len(wantPeers) || i < 0 || got[i+1] != account {
				t.Fatalf("peers with ACCOUNT=%q reads as %q, want %q with the account as the word after user", account, got, wantPeers)
			}
			got[i+1] = "harmless"
			if !slices.Equal(got, wantPeers) {
				t.Fatalf("peers with ACCOUNT=%q reads as %q, want %q", account, got, wantPeers)
			}
		}

		chat, err := Chat(&c, m)
		if err == nil {
			got := chatTokens(t, chat)
			if len(got) != len(wantChat) {
				t.Fatalf("chat with APN=%q has %d tokens, want %d:\n%s", apn, len(got), len(wantChat), chat)
			}
			for i := range got {
				if strings.HasPrefix(wantChat[i], "AT+CGDCONT") {
					if sent, noCR := pppsyntaxtest.CleanSend(got[i]); sent != `AT+CGDCONT=1,"IP","CHAP:`+apn+`"` || noCR {
						t.Fatalf("chat with APN=%q sends %q", apn, sent)
					}
				} else if got[i] != wantChat[i] {
					t.Fatalf("chat with APN=%q: token %d = %q, want %q", apn, i, got[i], wantChat[i])
				}
			}
		}

		line, err := SecretsLine(&c)
		if err != nil {
			return // refused by name: nothing is written
		}
		if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
			t.Fatalf("secrets entry for %q, %q spans %q", account, password, line)
		}
		edited := string(EditSecrets([]byte(foreign), true, line))
		if !strings.HasPrefix(edited, foreign) {
			t.Fatalf("foreign lines changed: %q", edited)
		}
		got, err := pppsyntaxtest.ParseSecrets(edited)
		if err != nil || len(got) != len(wantForeign)+1 {
			t.Fatalf("secrets with ACCOUNT=%q PASSWORD=%q read as %+v (%v)", account, password, got, err)
		}
		e := got[len(got)-1]
		if e.Client != account || e.Server != RemoteName || e.Secret != password || len(e.Addrs) != 0 {
			t.Fatalf("our entry reads as %+v, want %q ppp0 %q", e, account, password)
		}
		// And a second edit replaces it rather than adding another.
		again := string(EditSecrets([]byte(edited), true, line))
		if again != edited {
			t.Fatalf("editing twice changed the file: %q then %q", edited, again)
		}
	})
}

func acceptedOr(key, v string) string {
	k, _ := config.Lookup(key)
	if v == "" || !k.Accepts(v) {
		return "harmless"
	}
	return v
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func chatTokens(t testing.TB, text string) []string {
	t.Helper()
	toks, err := pppsyntaxtest.ReadChatScript(text)
	if err != nil {
		t.Fatalf("ReadChatScript = %v", err)
	}
	var out []string
	for _, tok := range toks {
		out = append(out, tok.Text)
	}
	return out
}
