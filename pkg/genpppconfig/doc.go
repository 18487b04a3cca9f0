// Package genpppconfig is gen_pppconfig: it reads /etc/default/ppp and
// writes pppd's peer file, the chat script and our chap-secrets or
// pap-secrets entry, unless PROVIDER names a hand-written peer
// file. It runs as ppp.service's ExecStartPre, on the boot path.
//
// The work is split in three: plan renders every file in memory (and
// fails with exit 78, writing nothing, on any bad value), then the plan is
// either shown (--dry-run), dropped (--check) or written, each file
// atomically and only when its content changed.
package genpppconfig
