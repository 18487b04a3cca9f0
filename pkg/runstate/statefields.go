package runstate

import (
	"strconv"
	"time"
)

// stateFields is state.json's layout: one entry per State field, in the
// order they are written. A new State field is added here too (a test
// fails until it is); its json tag stays on the struct as documentation
// and for the tests, which check this table against encoding/json.
var stateFields = []stateField{
	{"pid", always, func(s *State) value { return value{i: &s.PID} }},
	{"phase", always, func(s *State) value { return value{s: &s.Phase} }},
	{"since", always, func(s *State) value { return value{t: &s.Since} }},
	{"detail", omitEmpty, func(s *State) value { return value{s: &s.Detail} }},
	{"peer", always, func(s *State) value { return value{s: &s.Peer} }},
	{"device", omitEmpty, func(s *State) value { return value{s: &s.Device} }},
	{"pppd_pid", omitEmpty, func(s *State) value { return value{i: &s.PPPDPID} }},
	{"attempts", always, func(s *State) value { return value{i: &s.Attempts} }},
	{"failures", always, func(s *State) value { return value{i: &s.Failures} }},
	{"last_exit", omitEmpty, func(s *State) value { return value{optional: &s.LastExit} }},
	{"last_exit_meaning", omitEmpty, func(s *State) value { return value{s: &s.LastExitMeaning} }},
	{"last_exit_at", omitEmpty, func(s *State) value { return value{t: &s.LastExitAt} }},
	{"last_reset", omitEmpty, func(s *State) value { return value{t: &s.LastReset} }},
	{"last_reset_why", omitEmpty, func(s *State) value { return value{s: &s.LastResetWhy} }},
	{"last_reset_result", omitEmpty, func(s *State) value { return value{s: &s.LastResetResult} }},
	{"last_reset_step", omitEmpty, func(s *State) value { return value{s: &s.LastResetStep} }},
	{"resets", always, func(s *State) value { return value{i: &s.Resets} }},
	{"link_up_at", omitEmpty, func(s *State) value { return value{t: &s.LinkUpAt} }},
	{"monitor_target", omitEmpty, func(s *State) value { return value{s: &s.MonitorTarget} }},
	{"next_reset_at", omitEmpty, func(s *State) value { return value{t: &s.NextResetAt} }},
	{"class", omitEmpty, func(s *State) value { return value{s: &s.Class} }},
	{"ends", omitEmpty, func(s *State) value { return value{i: &s.Ends} }},
	{"last_end_class", omitEmpty, func(s *State) value { return value{s: &s.LastEndClass} }},
	{"down_since", omitEmpty, func(s *State) value { return value{t: &s.DownSince} }},
	{"link_failures", omitEmpty, func(s *State) value { return value{i: &s.LinkFailures} }},
	{"auth_failures", omitEmpty, func(s *State) value { return value{i: &s.AuthFailures} }},
	{"network_refusals", omitEmpty, func(s *State) value { return value{i: &s.NetworkRefusals} }},
	{"resets_unproven", omitEmpty, func(s *State) value { return value{i: &s.ResetsUnproven} }},
	{"resets_paused_until", omitEmpty, func(s *State) value { return value{t: &s.ResetsPausedUntil} }},
	{"next_dial_at", omitEmpty, func(s *State) value { return value{t: &s.NextDialAt} }},
	{"checked_at", omitEmpty, func(s *State) value { return value{t: &s.CheckedAt} }},
	{"model", omitEmpty, func(s *State) value { return value{s: &s.Model} }},
	{"firmware", omitEmpty, func(s *State) value { return value{s: &s.Firmware} }},
	{"imei", omitEmpty, func(s *State) value { return value{s: &s.IMEI} }},
	{"sim", omitEmpty, func(s *State) value { return value{s: &s.SIM} }},
	{"registration", omitEmpty, func(s *State) value { return value{s: &s.Registration} }},
	{"signal_dbm", omitEmpty, func(s *State) value { return value{optional: &s.SignalDBm} }},
	{"operator", omitEmpty, func(s *State) value { return value{s: &s.Operator} }},
	{"iccid", omitEmpty, func(s *State) value { return value{s: &s.ICCID} }},
}

// omitRule says whether a field is left out of state.json when it is
// empty: 0, "", no time (IsZero) or nil (the json tags' omitempty and
// omitzero).
type omitRule bool

const (
	always    omitRule = false
	omitEmpty omitRule = true
)

// stateField is one key of state.json and the State field it holds.
type stateField struct {
	key  string
	omit omitRule
	// field is the State field to read (get) or write (set).
	field func(s *State) value
}

// value is a State field: exactly one of its pointers is set. One
// accessor per field, rather than an encoder and a decoder each, keeps
// the table and the tools small.
type value struct {
	i        *int
	s        *string
	t        *time.Time // RFC 3339 with nanoseconds, as AppendText writes it
	optional **int      // nil is no value: omitted, or null
}

func (v value) empty() bool {
	switch {
	case v.i != nil:
		return *v.i == 0
	case v.s != nil:
		return *v.s == ""
	case v.t != nil:
		return v.t.IsZero()
	}
	return *v.optional == nil
}

// get appends v's JSON value to b.
func (v value) get(b []byte) ([]byte, error) {
	switch {
	case v.i != nil:
		return strconv.AppendInt(b, int64(*v.i), 10), nil
	case v.s != nil:
		return appendString(b, *v.s), nil
	case v.t != nil:
		b, err := v.t.AppendText(append(b, '"'))
		return append(b, '"'), err
	}
	return strconv.AppendInt(b, int64(**v.optional), 10), nil
}

// set stores the JSON value at d's position in v. Null changes nothing,
// as encoding/json reads it, but makes an optional field nil.
func (v value) set(d *decoder, key string) error {
	if d.literal("null") {
		if v.optional != nil {
			*v.optional = nil
		}
		return nil
	}
	switch {
	case v.s != nil:
		s, err := d.string(key)
		*v.s = s
		return err
	case v.t != nil:
		at := d.pos
		text, err := d.string(key)
		if err != nil {
			return err
		}
		if v.t.UnmarshalText([]byte(text)) != nil {
			return d.failAt(at, "%q: want a time in RFC 3339 (2006-01-02T15:04:05.999999999Z07:00)", key)
		}
		return nil
	}
	n, err := d.int(key)
	if v.i != nil {
		*v.i = n
	} else if err == nil {
		*v.optional = &n
	}
	return err
}
