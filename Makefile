# SPDX-License-Identifier: GPL-2.0
# shim6 — one non-recursive Makefile (libbpf-bootstrap's chain:
# .bpf.c -> .bpf.o -> bpftool gen skeleton -> .skel.h -> user-space objects).
#
# Sources are found by wildcard so that a new file in a component directory
# needs no edit here: bpf/*.bpf.c become skeletons, wire/ crypto/ loader/ and
# ctl/common/ go into libshim6.a, selftests/unit/test_*.c into the unit
# runner, selftests/bpf/test_*.c into the BPF runner, selftests/fuzz/fuzz_*.c
# into one libFuzzer binary each.

OUTPUT   := .output
CLANG    ?= clang-19
CC       ?= gcc
BPFTOOL  ?= bpftool
PREFIX   ?= /usr/local
DESTDIR  ?=
FUZZ_SECONDS ?= 60
ARCH     := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

ifeq ($(V),1)
Q   :=
msg :=
else
Q   := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# libbpf-bootstrap's trick: the BPF target sees the host's system include
# directories (asm/types.h and friends) only when told explicitly.
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wextra -Werror \
	-Wno-unused-parameter -I. -Ibpf $(CLANG_BPF_SYS_INCLUDES) $(EXTRA_BPF_CFLAGS)

PKGS     := libbpf libelf zlib openssl libsodium jansson libpcap libmnl libevent
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
	-Wformat=2 -D_GNU_SOURCE -DSHIM6_VERSION='"$(VERSION)"' \
	-I. -Ibpf -I$(OUTPUT) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

# ---- sources -------------------------------------------------------------
BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_NAMES := $(patsubst bpf/%.bpf.c,%,$(BPF_SRCS))
BPF_OBJS  := $(patsubst %,$(OUTPUT)/%.bpf.o,$(BPF_NAMES))
SKELS     := $(patsubst %,$(OUTPUT)/%.skel.h,$(BPF_NAMES))
BPF_HDRS  := bpf/shim6_shared.h $(wildcard bpf/lib/*.h) vmlinux.h

LIB_SRCS  := $(wildcard wire/*.c crypto/*.c loader/*.c ctl/common/*.c)
LIB_OBJS  := $(patsubst %.c,$(OUTPUT)/%.o,$(LIB_SRCS))
LIB       := $(OUTPUT)/libshim6.a
USER_HDRS := $(wildcard wire/*.h crypto/*.h loader/*.h ctl/common/*.h ctl/*/*.h selftests/*.h selftests/*/*.h bpf/shim6_shared.h)

CTL_SRCS  := $(wildcard ctl/shim6ctl/*.c)
CTL_OBJS  := $(patsubst %.c,$(OUTPUT)/%.o,$(CTL_SRCS))
D_SRCS    := $(wildcard ctl/shim6d/*.c)
D_OBJS    := $(patsubst %.c,$(OUTPUT)/%.o,$(D_SRCS))
# shim6d's protocol modules (not main.c and the daemon glue that needs the
# loader) are linked into the unit runners and benchmarks too, so its parser,
# state machine and validator are tested without a daemon.
D_GLUE_SRCS := ctl/shim6d/main.c ctl/shim6d/daemon.c ctl/shim6d/maps.c ctl/shim6d/ctlsock.c \
	       ctl/shim6d/reap_daemon.c ctl/shim6d/reap_tcp.c
D_GLUE_SRCS += ctl/shim6d/mpath.c	# multipath: loader maps and a raw socket (glue)
D_CORE_SRCS := $(filter-out $(D_GLUE_SRCS),$(D_SRCS))
D_CORE_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(D_CORE_SRCS))

RUNNER_OBJ := $(OUTPUT)/selftests/runner.o
UNIT_SRCS := $(wildcard selftests/unit/*.c)
UNIT_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(UNIT_SRCS))
BPFT_SRCS := $(wildcard selftests/bpf/*.c)
BPFT_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(BPFT_SRCS))

BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(OUTPUT)/bench/%,$(BENCH_SRCS))

BINS      := $(OUTPUT)/shim6ctl $(if $(D_SRCS),$(OUTPUT)/shim6d)
TEST_BINS := $(OUTPUT)/unit_tests $(if $(BPFT_SRCS),$(OUTPUT)/bpf_tests)

# ---- sanitizer build of the user-space unit suite (ASan + UBSan) ---------
ASAN_DIR   := $(OUTPUT)/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_LIBSRC := $(wildcard wire/*.c crypto/*.c ctl/common/*.c)
ASAN_OBJS  := $(patsubst %.c,$(ASAN_DIR)/%.o,$(ASAN_LIBSRC) $(D_CORE_SRCS) selftests/runner.c $(UNIT_SRCS))

# ---- fuzzing -------------------------------------------------------------
FUZZ_SRCS  := $(wildcard selftests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst selftests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# shim6d's protocol core is fuzzed too (its input path: raw messages, ICMP errors)
FUZZ_LIBSRC := $(wildcard wire/*.c crypto/*.c) $(D_CORE_SRCS) ctl/common/parse.c ctl/common/utf8.c

.PHONY: all check check-unit check-bpf check-netns check-asan demo bench fuzz reliability \
	install uninstall deb clean vmlinux deps vmtest figures help
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BPF_OBJS) $(SKELS) $(BINS) $(TEST_BINS)

help:
	@echo 'make [V=1] [all]   build BPF objects, skeletons, shim6ctl, shim6d, test runners'
	@echo 'make check         install missing packages, build, run every test suite'
	@echo 'make demo          install missing packages, build, run the failover demo'
	@echo 'make bench         benchmarks (ratios measured side by side)'
	@echo 'make fuzz          run each libFuzzer target FUZZ_SECONDS (default 60) seconds'
	@echo 'make reliability   10M executions per fuzz target, 1M BPF packets, long flood/faults; docs/RELIABILITY.md'
	@echo 'make vmlinux       regenerate vmlinux.h from the running kernel BTF'
	@echo 'make install       install under DESTDIR/PREFIX (make uninstall removes it)'
	@echo 'make deb           build a Debian package in .output/deb/'
	@echo 'make figures       PNG plots + CSV into docs/figures/ from runs on this machine'

$(OUTPUT) $(OUTPUT)/fuzz:
	$(Q)mkdir -p $@

# ---- BPF -----------------------------------------------------------------
$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

# ---- user space ----------------------------------------------------------
$(OUTPUT)/%.o: %.c $(USER_HDRS) $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUTPUT)/shim6ctl: $(CTL_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/shim6d: $(D_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/unit_tests: $(RUNNER_OBJ) $(UNIT_OBJS) $(D_CORE_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/bpf_tests: $(RUNNER_OBJ) $(BPFT_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/bench/%: $(OUTPUT)/bench/%.o $(D_CORE_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(ASAN_DIR)/%.o: %.c $(USER_HDRS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(ASAN_FLAGS) -c $< -o $@

$(ASAN_DIR)/unit_tests: $(ASAN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(ASAN_FLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/fuzz/%: selftests/fuzz/%.c $(FUZZ_LIBSRC) $(USER_HDRS) | $(OUTPUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(filter-out -O2,$(CFLAGS)) $(FUZZ_FLAGS) $< $(FUZZ_LIBSRC) $(LDLIBS) -o $@

# ---- top-level jobs ------------------------------------------------------
deps:
	$(Q)scripts/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all $(ASAN_DIR)/unit_tests $(FUZZ_BINS)
	$(Q)selftests/run.sh

check-unit: $(OUTPUT)/unit_tests
	$(Q)selftests/run.sh unit

check-asan: $(ASAN_DIR)/unit_tests
	$(Q)selftests/run.sh asan

check-bpf: all
	$(Q)selftests/run.sh bpf

check-netns: all
	$(Q)selftests/run.sh netns

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh $(DEMO_ARGS)

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BINS)
	$(Q)scripts/bench.sh $(BENCH)

fuzz: $(FUZZ_BINS)
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_BINS)

reliability: all $(ASAN_DIR)/unit_tests $(FUZZ_BINS)
	$(Q)scripts/reliability.sh

vmtest: all
	$(Q)selftests/vm/vmtest.sh

vmlinux:
	$(call msg,GEN,vmlinux.h)
	$(Q){ echo "/* Generated by 'make vmlinux' (bpftool btf dump file /sys/kernel/btf/vmlinux format c) on kernel $$(uname -r). Do not edit. */"; \
	  $(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c; } > vmlinux.h.tmp && mv vmlinux.h.tmp vmlinux.h

# Installed files (uninstall removes exactly these, then the directories it
# created if they are empty).  The unit and the example config come from
# ctl/shim6d/ when the daemon is there (wildcards: nothing before it).
MAN8       := $(wildcard docs/man/*.8)
MAN5       := $(wildcard docs/man/*.5)
UNIT_FILES := $(wildcard ctl/shim6d/*.service)
CONF_EX    := $(wildcard ctl/shim6d/shim6d.conf.example)
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
INST_FILES := $(patsubst $(OUTPUT)/%,$(PREFIX)/sbin/%,$(BINS)) \
	$(patsubst $(OUTPUT)/%,$(PREFIX)/lib/shim6/%,$(BPF_OBJS)) \
	$(patsubst docs/man/%,$(PREFIX)/share/man/man8/%,$(MAN8)) \
	$(patsubst docs/man/%,$(PREFIX)/share/man/man5/%,$(MAN5)) \
	$(patsubst ctl/shim6d/%,$(SYSTEMDDIR)/%,$(UNIT_FILES)) \
	$(if $(CONF_EX),$(SYSCONFDIR)/shim6/shim6d.conf) \
	$(PREFIX)/share/doc/shim6/README.md
INST_DIRS  := $(PREFIX)/share/doc/shim6 $(SYSCONFDIR)/shim6 $(PREFIX)/lib/shim6

install: all
	$(Q)install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/shim6 \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/doc/shim6
	$(Q)install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/sbin/
	$(Q)install -m 0644 $(BPF_OBJS) $(DESTDIR)$(PREFIX)/lib/shim6/
	$(Q)$(if $(MAN8),install -m 0644 $(MAN8) $(DESTDIR)$(PREFIX)/share/man/man8/,:)
	$(Q)$(if $(MAN5),install -m 0644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5/,:)
	$(Q)install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/shim6/
	$(Q)$(if $(UNIT_FILES),install -d $(DESTDIR)$(SYSTEMDDIR) && \
		for u in $(UNIT_FILES); do sed 's|/usr/local/|$(PREFIX)/|g' $$u > $(DESTDIR)$(SYSTEMDDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/$${u##*/} || exit 1; done,:)
	$(Q)$(if $(CONF_EX),install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/shim6 && \
		{ [ -e $(DESTDIR)$(SYSCONFDIR)/shim6/shim6d.conf ] || \
		  install -m 0644 $(CONF_EX) $(DESTDIR)$(SYSCONFDIR)/shim6/shim6d.conf; },:)

deb: deps all
	$(Q)scripts/deb.sh

uninstall:
	$(Q)rm -f $(addprefix $(DESTDIR),$(INST_FILES) $(PREFIX)/sbin/shim6ctl $(PREFIX)/sbin/shim6d)
	$(Q)for d in $(INST_DIRS); do [ ! -d $(DESTDIR)$$d ] || rmdir $(DESTDIR)$$d 2>/dev/null || true; done

figures: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BINS)
	$(Q)scripts/figures.sh

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT)
