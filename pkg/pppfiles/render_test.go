package pppfiles

import (
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/pppsyntax/pppsyntaxtest"
)

// load parses a configuration made of lines.
func load(t testing.TB, lines ...string) *config.Config {
	t.Helper()
	c, _, err := config.Parse("ppp", []byte(strings.Join(lines, "\n")+"\n"))
	if err != nil {
		t.Fatalf("config.Parse = %v", err)
	}
	return c
}

func lisa(t testing.TB) modem.Model {
	m, ok := modem.ByName("LISA-U200")
	if !ok {
		t.Fatal("no LISA-U200 in the model table")
	}
	return m
}

func words(t testing.TB, text string) []string {
	t.Helper()
	ws, err := pppsyntaxtest.ReadWords(text)
	if err != nil {
		t.Fatalf("ReadWords = %v", err)
	}
	var out []string
	for _, w := range ws {
		out = append(out, w.Text)
	}
	return out
}

func TestPeersOptions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"persistent, fixed addresses, no DNS", []string{"AUTH=PAP", "ACCOUNT=u", "PASSWORD=p", "LOCALADDR=10.0.0.2", "REMOTEADDR=10.0.0.1", "NETMASK=255.255.255.255", "NO_DNS=1", "DEFAULTROUTE=0"},
			"unit 0 hide-password noauth connect /usr/sbin/chat -v -f /etc/chatscripts/ppp0 debug modem lock /dev/ttyUSB2 115200 10.0.0.2:10.0.0.1 netmask 255.255.255.255 user u remotename ppp0 ipparam ppp0 nopersist lcp-max-terminate 1 lcp-restart 1"},
		{"remote address only", []string{"AUTH=NOAUTH", "REMOTEADDR=10.0.0.1"},
			"unit 0 hide-password noauth connect /usr/sbin/chat -v -f /etc/chatscripts/ppp0 debug modem lock /dev/ttyUSB2 115200 defaultroute replacedefaultroute :10.0.0.1 noipdefault remotename ppp0 ipparam ppp0 nopersist lcp-max-terminate 1 lcp-restart 1 usepeerdns"},
		{"idle without demand", []string{"AUTH=NOAUTH", "IDLE=600"},
			"unit 0 hide-password noauth connect /usr/sbin/chat -v -f /etc/chatscripts/ppp0 debug modem lock /dev/ttyUSB2 115200 defaultroute replacedefaultroute noipdefault remotename ppp0 ipparam ppp0 nopersist lcp-max-terminate 1 lcp-restart 1 idle 600 usepeerdns"},
	} {
		c := load(t, tc.lines...)
		got, err := Peers(c, "/dev/ttyUSB2", 115200)
		if err != nil {
			t.Fatalf("%s: Peers = %v", tc.name, err)
		}
		if g := strings.Join(words(t, got), " "); g != tc.want {
			t.Errorf("%s: Peers words = %q, want %q", tc.name, g, tc.want)
		}
	}
}

func TestChatCommands(t *testing.T) {
	amm570, _ := modem.ByName("AMM570")
	amp520, _ := modem.ByName("AMP520")
	kym11, _ := modem.ByName("KYM11")
	for _, tc := range []struct {
		name  string
		m     modem.Model
		lines []string
		want  string
	}{
		{"lisa pap", lisa(t), []string{"AUTH=PAP", "ACCOUNT=u", "PASSWORD=p", "APN=a.b"}, `AT+CGDCONT=1,"IP","PAP:a.b" AT`},
		{"lisa noauth ppp", lisa(t), []string{"AUTH=NOAUTH", "APN=a", "PDPTYPE=PPP"}, `AT+CGDCONT=1,"PPP","NOAUTH:a" AT`},
		{"lisa wcdma", lisa(t), []string{"AUTH=NOAUTH", "APN=a", "NETMODE=WCDMA"}, `AT+COPS=2 AT+URAT=2 AT+COPS=0 AT+CGDCONT=1,"IP","NOAUTH:a" AT`},
		{"netmode none", kym11, []string{"AUTH=NOAUTH", "APN=a", "NETMODE=NONE"}, `AT+CGDCONT=1,"IP","a" AT`},
		{"carrier docomo", amm570, []string{"AUTH=NOAUTH", "APN=a", "CARRIERID=1"}, `AT+COPS=1,2,"44010" AT+CGDCONT=1,"IP","a" AT`},
		{"carrier plmn", amm570, []string{"AUTH=NOAUTH", "APN=a", "CARRIERID=310260"}, `AT+COPS=1,2,"310260" AT+CGDCONT=1,"IP","a" AT`},
		{"flash spared", amp520, []string{"AUTH=NOAUTH", "APN=a", "CONNECT_OK=1"}, `AT`},
		{"flash not yet", amp520, []string{"AUTH=NOAUTH", "APN=a", "CONNECT_OK=0"}, `AT+CGDCONT=1,"IP","a" AT`},
	} {
		got, err := ChatCommands(load(t, tc.lines...), tc.m)
		if err != nil {
			t.Errorf("%s: ChatCommands = %v", tc.name, err)
			continue
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: ChatCommands = %q, want %q", tc.name, g, tc.want)
		}
	}
}

func TestChatRefusesWhatTheModelCannotDo(t *testing.T) {
	kym11, _ := modem.ByName("KYM11")
	for _, tc := range []struct {
		m    modem.Model
		line string
		want string
	}{
		{lisa(t), "NETMODE=LTE", "ppp:2: NETMODE=LTE: DEVICE LISA-U200 cannot select this radio mode (it can: AUTO, WCDMA)"},
		{kym11, "NETMODE=AUTO", "ppp:2: NETMODE=AUTO: DEVICE KYM11 cannot select this radio mode; leave NETMODE empty or NONE"},
		{kym11, "CARRIERID=3", "ppp:2: CARRIERID=3: DEVICE KYM11 cannot select a carrier (only AMM570 and LN940A can)"},
	} {
		_, err := Chat(load(t, "AUTH=NOAUTH", tc.line), tc.m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Chat(%s on %s) = %v, want %q", tc.line, tc.m.Name, err, tc.want)
		}
	}
}

func TestEditSecrets(t *testing.T) {
	foreign := "# comment\n\"mopera\" *      \"mopera\"\n\n* hostname \"\" 10.0.0.1\n"
	for _, tc := range []struct {
		name, old string
		exists    bool
		entry     string
		want      string
	}{
		{"missing file, entry", "", false, "\"u\" ppp0      \"p\"\n", SecretsHeader + "\"u\" ppp0      \"p\"\n"},
		{"missing file, nothing", "", false, "", ""},
		{"append", foreign, true, "\"u\" ppp0      \"p\"\n", foreign + "\"u\" ppp0      \"p\"\n"},
		{"append after a last line without newline", "\"a\" * \"b\"", true, "E ppp0 x\n", "\"a\" * \"b\"\nE ppp0 x\n"},
		{"replace in place, drop a second one", "x * y\nold ppp0 s\nz * w\n'old2' 'ppp0' s2\n", true, "new ppp0 s\n", "x * y\nnew ppp0 s\nz * w\n"},
		{"remove", "x * y\nold ppp0 s\n", true, "", "x * y\n"},
		{"foreign ppp0 client is not ours", "ppp0 * s\n", true, "", "ppp0 * s\n"},
		{"commented entry kept", "# old ppp0 s\n", true, "", "# old ppp0 s\n"},
	} {
		if got := string(EditSecrets([]byte(tc.old), tc.exists, tc.entry)); got != tc.want {
			t.Errorf("%s: EditSecrets = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestHostileValues: values that try to end a word, a line or a file in
// each syntax come out as exactly one word, or are refused by name.
func TestHostileValues(t *testing.T) {
	for _, v := range []string{
		`a"b`, `a\b`, `a\`, `#x`, `a b`, `a'b`, `$HOME`, `^C`, `x" persist "y`, `x\" persist`, `*x`, "ü@例",
		`a\nb`, `\`, `""`, `''`, `user@dream.jp`,
	} {
		c := load(t, "AUTH=CHAP", "ACCOUNT=x", "PASSWORD=y")
		c.Account, c.Password = v, v
		peers, err := Peers(c, "/dev/ttyS0", 115200)
		if err != nil {
			t.Errorf("Peers(ACCOUNT=%q) = %v, want it written as one word", v, err)
			continue
		}
		ws := words(t, peers)
		if i := indexOf(ws, "user"); i < 0 || ws[i+1] != v || ws[i+2] != "remotename" {
			t.Errorf("Peers(ACCOUNT=%q): words after user = %q, want [%q remotename]", v, ws[i+1:i+3], v)
		}
		line, err := SecretsLine(c)
		if err != nil {
			t.Errorf("SecretsLine(%q) = %v", v, err)
			continue
		}
		es, err := pppsyntaxtest.ParseSecrets(string(EditSecrets([]byte("a * b\n"), true, line)))
		if err != nil || len(es) != 2 || es[1].Client != v || es[1].Server != RemoteName || es[1].Secret != v || len(es[1].Addrs) != 0 {
			t.Errorf("secrets entry for %q read back as %+v (%v), want one entry %q ppp0 %q", v, es, err, v, v)
		}
	}
}

func TestRefusedSecrets(t *testing.T) {
	for _, tc := range []struct{ account, password, want string }{
		{"*", "p", "ppp:2: ACCOUNT=*: cannot be a pppd client name"},
		{"u", "@/etc/shadow", "ppp:3: PASSWORD=(hidden): cannot be a pppd secret"},
		{"u", "@secretword", "PASSWORD=(hidden)"},
		{"-", "p", "ACCOUNT=-: cannot be a pppd client name"},
	} {
		c := load(t, "AUTH=CHAP", "ACCOUNT=x", "PASSWORD=y")
		c.Account, c.Password = tc.account, tc.password
		_, err := SecretsLine(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SecretsLine(%q, %q) = %v, want %q", tc.account, tc.password, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), tc.password) && tc.password != "p" {
			t.Errorf("SecretsLine error %q shows the password", err)
		}
	}
}

func indexOf(ws []string, w string) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}
