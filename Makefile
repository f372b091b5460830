# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-commission: plain GNU Makefile.
#   make            build both programs
#   make run        install what is missing, build, start the wizard (training)
#   make test       install what is missing, build, run every test
#   make asan       the same tests under AddressSanitizer + UBSan
#   make bench      benchmarks (speed and memory targets)
#   make fuzz       every libFuzzer harness for FUZZ_SECONDS (default 60) each
#   make install PREFIX=/usr/local DESTDIR=     (make uninstall, the same)
#   make check-unit   the unit tests only: offline, no tools (dh_auto_test)
#   WERROR=           warnings are not errors (package builds)
# Quiet unless V=1.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/zcs-commission
MANDIR  ?= $(PREFIX)/share/man
LOCALEDIR ?= $(PREFIX)/share/locale
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD   ?= build
VERSION := 0.1.0

PKGS    := libmodbus sqlite3 libusb-1.0 libsodium libpq ncursesw
CC      ?= cc
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
WERROR  ?= -Werror
WARN    := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
CPPFLAGS_ALL := -std=gnu11 -D_GNU_SOURCE -Isrc -Iui -MMD -MP \
	-DZCS_VERSION='"$(VERSION)"' -DZCS_DATADIR='"$(DATADIR)"' \
	-DZCS_LOCALEDIR='"$(LOCALEDIR)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS_CORE := $(shell pkg-config --libs libmodbus sqlite3 libusb-1.0 libsodium libpq 2>/dev/null) -lm
LIBS_UI   := $(shell pkg-config --libs ncursesw 2>/dev/null)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Module groups.  base: what the simulator may share (maps, decoders, link,
# lexer).  core: engine, records, usb.  The simulator links base only, so it
# cannot reach the checks.
BASE_SRC   := $(sort $(wildcard src/base/*.c))
CORE_SRC   := $(sort $(wildcard src/engine/*.c src/records/*.c src/usb/*.c))
SIM_SRC    := $(sort $(wildcard src/sim/*.c))
CLI_SRC    := $(sort $(wildcard src/cli/*.c))
UI_SRC     := $(sort $(wildcard ui/*.c))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
HELP_SRC   := $(sort $(wildcard tests/helpers/*.c))
BENCH_SRC  := $(sort $(wildcard bench/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
BASE_OBJ := $(call obj,$(BASE_SRC))
CORE_OBJ := $(call obj,$(CORE_SRC))
SIM_OBJ  := $(call obj,$(SIM_SRC))
CLI_OBJ  := $(call obj,$(CLI_SRC))
UI_OBJ   := $(call obj,$(UI_SRC))

LIBBASE := $(BUILD)/libzcsbase.a
LIBCORE := $(BUILD)/libzcscore.a
COMMISSION := $(BUILD)/zcs-commission
SIM        := $(BUILD)/zcs-sim
UNIT_BIN   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HELP_BIN   := $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(HELP_SRC))
BENCH_BIN  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all run test check check-unit asan valgrind bench install uninstall clean deps tests-build \
	fuzz fuzz-build fuzz-harnesses pot po-update
PROGRAMS := $(COMMISSION) $(if $(SIM_SRC),$(SIM))
# Translations (po/README): po/LANG.po -> build/locale/LANG/LC_MESSAGES/zcs-commission.mo,
# found there by the programs run from the build tree.
PO_LANGS := $(patsubst po/%.po,%,$(wildcard po/*.po))
MO_FILES := $(foreach l,$(PO_LANGS),$(BUILD)/locale/$(l)/LC_MESSAGES/zcs-commission.mo)
all: $(PROGRAMS) $(MO_FILES)

$(BUILD)/locale/%/LC_MESSAGES/zcs-commission.mo: po/%.po
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MSGFMT  $<")
	$(Q)msgfmt --check -o $@ $<

# The template: xgettext over the C sources (_ and N_) and po/extract.py over
# the texts of checklists/ and data/, in one file.
POT := $(BUILD)/zcs-commission.pot
pot: $(POT)
$(POT): $(BASE_SRC) $(CORE_SRC) $(CLI_SRC) $(UI_SRC) $(SIM_SRC) po/extract.py \
		$(wildcard checklists/*.chk data/*.conf data/maps/*.map)
	@mkdir -p $(@D)
	$(Q)sh po/make-pot.sh . $@
# Bring po/*.po up to the sources (new texts come in untranslated).
po-update: $(POT)
	$(Q)for po in po/*.po; do msgmerge -q --backup=none -N -U $$po $(POT); done

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) -I$(BUILD)/gen $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

# The sentences engine/rules.c says (N_), for engine/l10n.c to recognise
# their English output in records written before (xgettext lists them).
$(BUILD)/gen/rules_formats.inc: src/engine/rules.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)xgettext --language=C --keyword= --keyword=N_ --no-wrap --omit-header -o - $< | \
	  sed -n 's/^msgid \(".*"\)$$/\1,/p' >$@.tmp && mv $@.tmp $@
$(BUILD)/obj/src/engine/l10n.o: $(BUILD)/gen/rules_formats.inc

$(LIBBASE): $(BASE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBCORE): $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(COMMISSION): $(CLI_OBJ) $(UI_OBJ) $(LIBCORE) $(LIBBASE)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(UI_OBJ) $(LIBCORE) $(LIBBASE) $(LIBS_UI) $(LIBS_CORE)

$(SIM): $(SIM_OBJ) $(LIBBASE)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SIM_OBJ) $(LIBBASE) $(LIBS_CORE)

$(BUILD)/tests/%: tests/unit/%.c $(LIBCORE) $(LIBBASE) tests/unit/tap.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) -Itests/unit $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LIBBASE) $(LIBS_CORE)

$(BUILD)/tests/%: tests/helpers/%.c $(LIBBASE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBBASE) $(LIBS_CORE)

$(BUILD)/bench/%: bench/%.c $(LIBCORE) $(LIBBASE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BENCH   $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LIBBASE) $(LIBS_CORE)

tests-build: all $(UNIT_BIN) $(HELP_BIN)

deps:
	$(Q)sh scripts/deps.sh

# Every test is an executable that speaks TAP; prove runs them and prints
# the summary (its last line is "Result: PASS" or "Result: FAIL").
# With clang present the fuzzing harnesses are built too and t0900 runs each
# for a few seconds (FUZZ_SMOKE_SECONDS).
# The longest tests start first, so that the short ones fill in beside them
# instead of one long test running alone at the end; most tests wait on
# timers and terminals, not on the processor, so three run at once.
SLOW_TESTS = tests/t0520-records-kill.sh tests/t0900-fuzz-smoke.sh tests/t0620-ui-italian.sh \
	tests/t0616-ui-exercise.sh tests/t0410-run-faults.sh tests/t0007-deb.sh \
	tests/t0540-records-server.sh tests/t0108-strict-holes.sh
TEST_FILES = $(filter $(wildcard tests/t[0-9]*.sh),$(SLOW_TESTS)) $(UNIT_BIN) \
	$(filter-out $(SLOW_TESTS),$(sort $(wildcard tests/t[0-9]*.sh)))
PROVE_JOBS ?= 3
check: tests-build
	$(Q)$(if $(HAVE_CLANG),$(MAKE) --no-print-directory fuzz-build)
	$(Q)ZCS_BUILD=$(abspath $(BUILD)) ZCS_DATA_DIR=$(abspath data) \
	  ZCS_CHECKLIST_DIR=$(abspath checklists) \
	  $(if $(HAVE_CLANG),ZCS_FUZZ_BUILD=$(abspath $(FUZZ_BUILD))) \
	  prove -j$(PROVE_JOBS) --timer --exec '' $(TEST_FILES)

# The unit tests alone: no simulator, terminal, database server or browser,
# nothing fetched (the Debian build's dh_auto_test).
check-unit: $(UNIT_BIN)
	$(Q)ZCS_DATA_DIR=$(abspath data) ZCS_CHECKLIST_DIR=$(abspath checklists) \
	  prove --exec '' $(UNIT_BIN)

test: deps
	$(Q)$(MAKE) --no-print-directory check

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(COMMISSION) $(ARGS)

asan: deps
	$(Q)LSAN_OPTIONS="suppressions=$(abspath tests/lsan.supp):print_suppressions=0" \
	  $(MAKE) --no-print-directory BUILD=build-asan \
	  OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	  LDFLAGS='-fsanitize=address,undefined' check

# Every unit test under valgrind's memcheck: any error or leak fails.
valgrind: deps
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)ZCS_DATA_DIR=$(abspath data) ZCS_CHECKLIST_DIR=$(abspath checklists) \
	  prove --exec 'valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect' $(UNIT_BIN)

# Fuzzing (clang's libFuzzer, with ASan and UBSan): tests/fuzz/fuzz_*.c, seed
# corpora in tests/fuzz/corpus/NAME, inputs that once failed in
# tests/fuzz/regress/NAME.  `make fuzz FUZZ_SECONDS=300` runs each for 5 min.
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BIN     := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
SIM_LIB_OBJ  := $(filter-out %/sim_main.o,$(SIM_OBJ))
HAVE_CLANG   := $(shell command -v $(FUZZ_CC) 2>/dev/null)

fuzz-harnesses: $(FUZZ_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(SIM_LIB_OBJ) $(LIBCORE) $(LIBBASE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ-CC $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) -Itests/fuzz $(CFLAGS) -fsanitize=fuzzer $(WARN) -o $@ $< \
	  $(SIM_LIB_OBJ) $(LIBCORE) $(LIBBASE) $(LIBS_CORE)

fuzz-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  OPT='-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link' LDFLAGS='$(FUZZ_SAN)' \
	  WARN='-Wall -Wextra -Wno-unused-parameter' fuzz-harnesses

fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)ZCS_DATA_DIR=$(abspath data) sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# No `deps`: a benchmark never runs apt-get (another program holding the
# dpkg lock would fail it); what is missing is said by the bench itself.
bench:
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BIN)
	$(Q)ZCS_BUILD=$(abspath $(BUILD)) ZCS_DATA_DIR=$(abspath data) ZCS_CHECKLIST_DIR=$(abspath checklists) sh bench/run.sh

MAN1 := $(notdir $(wildcard man/*.1))
MAN5 := $(notdir $(wildcard man/*.5))

install: $(PROGRAMS) $(MO_FILES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(COMPDIR)
	install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	cp -R data $(DESTDIR)$(DATADIR)/
	$(if $(wildcard checklists/*),cp -R checklists $(DESTDIR)$(DATADIR)/)
	install -m 644 $(addprefix man/,$(MAN1)) $(DESTDIR)$(MANDIR)/man1/
	$(if $(MAN5),install -m 644 $(addprefix man/,$(MAN5)) $(DESTDIR)$(MANDIR)/man5/)
	install -m 644 completions/zcs-commission $(DESTDIR)$(COMPDIR)/zcs-commission
	install -m 644 completions/zcs-commission $(DESTDIR)$(COMPDIR)/zcs-sim
	$(foreach l,$(PO_LANGS),install -D -m 644 $(BUILD)/locale/$(l)/LC_MESSAGES/zcs-commission.mo \
	  $(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/zcs-commission.mo;)

# Everything install put, and the directories it made when they are left
# empty (never a directory that still holds something else).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zcs-commission $(DESTDIR)$(BINDIR)/zcs-sim
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(foreach l,$(PO_LANGS),$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/zcs-commission.mo)
	-rmdir $(foreach l,$(PO_LANGS),$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES $(DESTDIR)$(LOCALEDIR)/$(l)) \
	  $(DESTDIR)$(LOCALEDIR) 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(MAN1)) $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(MAN5))
	rm -f $(DESTDIR)$(COMPDIR)/zcs-commission $(DESTDIR)$(COMPDIR)/zcs-sim
	-rmdir $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(COMPDIR) 2>/dev/null || true

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
