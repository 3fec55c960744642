# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# make install [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc] [SYSTEMDUNITDIR=...]
#   binary, shipped rules, man page, systemd unit, example config (kept if present)
# make uninstall     the same files, not the config
# make check-deploy  systemd-analyze verify of the unit, as installed

PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share/shellsentry
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

.PHONY: install uninstall check-deploy

install: $(BIN)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR)/rules \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSCONFDIR)/shellsentry
	$(Q)$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/shellsentry
	$(Q)$(INSTALL) -m 0644 rules/*.yaml $(DESTDIR)$(DATADIR)/rules/
	$(Q)$(INSTALL) -m 0644 deploy/man/shellsentry.8 $(DESTDIR)$(MANDIR)/man8/shellsentry.8
	$(Q)sed 's|^ExecStart=/usr/local/sbin/shellsentry|ExecStart=$(SBINDIR)/shellsentry|' \
		deploy/systemd/shellsentry.service > $(DESTDIR)$(SYSTEMDUNITDIR)/shellsentry.service
	$(Q)chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/shellsentry.service
	$(Q)test -e $(DESTDIR)$(SYSCONFDIR)/shellsentry/shellsentry.yaml || \
		$(INSTALL) -m 0640 deploy/shellsentry.yaml $(DESTDIR)$(SYSCONFDIR)/shellsentry/shellsentry.yaml

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/shellsentry $(DESTDIR)$(MANDIR)/man8/shellsentry.8 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/shellsentry.service
	rm -rf $(DESTDIR)$(DATADIR)

# Verifies the unit with ExecStart pointing at the built binary (verify needs it to exist).
check-deploy: $(BIN)
	$(Q)./deploy/check-deploy.sh $(BIN)
