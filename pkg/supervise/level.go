package supervise

// Level is how much a log line of the machine matters to the operator;
// the driver writes it as such (plain, "warning:", "error:"; the syslog
// priority).
type Level int

const (
	LevelInfo    Level = iota // news: a link up, a planned disconnect
	LevelWarning              // a failure that counts, a reset that did not cure
	LevelError                // something only a person can fix
)

func (l Level) String() string {
	switch l {
	case LevelWarning:
		return "warning"
	case LevelError:
		return "error"
	}
	return "info"
}
