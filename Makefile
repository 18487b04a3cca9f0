# pppkeep — build, test and install the suite.
# make            build the tools into bin/
# make test       every test that can run here (see README)
# make install    install under $(DESTDIR)$(PREFIX) (binaries to /usr/local/sbin)
# make deb        Debian packages for armhf, arm64 and amd64 under bin/

TOOLS    := gen_pppconfig modem_reset ppp_wrapper ppp_monitor
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/pppkeep/pppkeep/pkg/version.Version=$(VERSION)
GO       ?= go
DESTDIR  ?=
PREFIX   ?= /usr/local
SBINDIR  ?= $(PREFIX)/sbin
CROSS    := linux/arm/7 linux/arm64 linux/amd64

.PHONY: all build sim test fuzz man install cross clean

all: build

# Static binaries (CGO_ENABLED=0), as on the routers: no libc to load at
# every start (a cgo build starts 1.5x slower) and no libc to depend on.
build:
	@mkdir -p bin
	$(foreach t,$(TOOLS),CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/$(t) ./cmd/$(t) &&) true

# The simulated modem: for the tests and the demo, never installed.
sim:
	@mkdir -p bin
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/modemsim ./testscripts/cmd/modemsim

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# A longer run of every fuzz target (the seeds run in `make test`).
FUZZTIME ?= 60s
FUZZ := pppfiles:FuzzRender pppsyntax:FuzzOptionWordRoundTrip pppsyntax:FuzzChatSendRoundTrip \
        pppsyntax:FuzzSecretsRoundTrip pppsyntax:FuzzReadWords \
        pppsyntax:FuzzReadChatScript pppfiles:FuzzEditSecrets config:FuzzBashValues probe/icmp:FuzzParseICMP
fuzz:
	$(foreach f,$(FUZZ),$(GO) test -run='^$$' -fuzz='^$(word 2,$(subst :, ,$(f)))$$' -fuzztime=$(FUZZTIME) ./pkg/$(word 1,$(subst :, ,$(f))) &&) true

SYSCONFDIR ?= /etc

# The units and the Upstart job name the programs as /usr/local/sbin/...:
# installed with $(SBINDIR) instead. The hooks find ppp_monitor through
# pppd's PATH.
JOBS := systemd/system/ppp.service systemd/system/ppp.path init/ppp.conf

# The man pages: pppkeep(5) with its key list from pkg/config's table, and
# a page per tool (sources in man/).
man:
	$(GO) run ./build/mangen -out bin/man

# The sample configuration is installed only where none exists: an
# operator's /etc/default/ppp is never overwritten. Man pages are gzipped
# as Debian does (-n: no name or time stamp in the .gz).
install: build man
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/default \
	  $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5 \
	  $(DESTDIR)$(SYSCONFDIR)/ppp/ip-up.d $(DESTDIR)$(SYSCONFDIR)/ppp/ip-down.d \
	  $(DESTDIR)$(SYSCONFDIR)/systemd/system $(DESTDIR)$(SYSCONFDIR)/init
	$(foreach t,$(TOOLS),install -m 0755 bin/$(t) $(DESTDIR)$(SBINDIR)/$(t) &&) true
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/ppp ] || install -m 0644 etc/default/ppp $(DESTDIR)$(SYSCONFDIR)/default/ppp
	install -m 0755 etc/ppp/ip-up.d/pppkeep $(DESTDIR)$(SYSCONFDIR)/ppp/ip-up.d/pppkeep
	install -m 0755 etc/ppp/ip-down.d/pppkeep $(DESTDIR)$(SYSCONFDIR)/ppp/ip-down.d/pppkeep
	$(foreach j,$(JOBS),sed 's|/usr/local/sbin/|$(SBINDIR)/|g' etc/$(j) > $(DESTDIR)$(SYSCONFDIR)/$(j) && \
	  chmod 0644 $(DESTDIR)$(SYSCONFDIR)/$(j) &&) true
	$(foreach t,$(TOOLS),install -m 0644 bin/man/$(t).8 $(DESTDIR)$(PREFIX)/share/man/man8/$(t).8 && \
	  gzip -9nf $(DESTDIR)$(PREFIX)/share/man/man8/$(t).8 &&) true
	install -m 0644 bin/man/pppkeep.5 $(DESTDIR)$(PREFIX)/share/man/man5/pppkeep.5
	gzip -9nf $(DESTDIR)$(PREFIX)/share/man/man5/pppkeep.5

cross:
	@mkdir -p bin
	$(foreach p,$(CROSS),$(foreach t,$(TOOLS),\
	  GOOS=$(word 1,$(subst /, ,$(p))) GOARCH=$(word 2,$(subst /, ,$(p))) GOARM=$(word 3,$(subst /, ,$(p))) \
	  CGO_ENABLED=0 $(GO) build -trimpath -ldflags '-s -w $(LDFLAGS)' \
	  -o bin/$(word 1,$(subst /, ,$(p)))-$(word 2,$(subst /, ,$(p)))$(word 3,$(subst /, ,$(p)))/$(t) ./cmd/$(t) &&)) true

clean:
	rm -rf bin

# Debian packages (packaging/deb/build.sh, nfpm as a Go tool of this
# module): bin/pppkeep_$(DEB_VERSION)_{amd64,arm64,armhf}.deb. A Debian
# version must start with a digit: 0.1~git<commit date>.<commit>.
DEB_VERSION ?= 0.1~git$(shell git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || echo 0).$(shell git rev-parse --short HEAD 2>/dev/null || echo dev)
DEB_ARCHS   ?= amd64 arm64 arm7
DEB_OUT     ?= bin
.PHONY: deb
deb: man
	packaging/deb/build.sh $(DEB_VERSION) $(abspath $(DEB_OUT)) $(abspath bin/man) $(DEB_ARCHS)

# The suite on a real kernel: a qemu VM per scenario with Debian's kernel,
# real pppd and chat on both ends, a USB gadget as the modem (see
# testscripts/e2e/README.md). Installs the Debian packages it needs when
# missing; needs root. E2E="2-blackhole 7-replug" runs only those.
E2E ?=
.PHONY: e2e demo
e2e:
	testscripts/e2e/run.sh $(E2E)

# The README's "run it": boots the VM and plays scenarios 1-3 (cold start,
# black-holed link, hung module) as the journal an operator would read.
demo:
	testscripts/e2e/demo.sh

# What the suite costs at rest, beside the vendor's scripts in the same run
# (wake-ups, memory, start time, sizes): see testscripts/bench. It prints
# numbers, it does not pass or fail; root for the ppp_monitor rows.
# BENCHFLAGS="--window 60s" counts longer; --help lists the flags.
BENCHFLAGS ?=
.PHONY: bench
bench:
	$(GO) run ./testscripts/bench $(BENCHFLAGS)
