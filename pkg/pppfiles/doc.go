// Package pppfiles renders the files gen_pppconfig writes from a checked
// configuration: pppd's peer file (/etc/ppp/peers/ppp0), the chat script
// (/etc/chatscripts/ppp0) and our entry in chap-secrets or pap-secrets, in
// the formats the vendor's gen_pppconfig wrote.
//
// Everything here is a pure function of its inputs. A config value reaches
// the files only through the encoders of package pppsyntax, which write it
// as one word of the target syntax or refuse it; a refusal comes back as a
// config.FieldError naming the key, so that no value can add a pppd option,
// a chat line or a secrets entry.
package pppfiles
