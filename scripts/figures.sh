#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make figures: PNG plots (gnuplot) with the raw CSV beside them, written into
# docs/figures/ from real runs on this machine.  Each figure is produced only
# if its data source exists; the last lines say which were produced and which
# were skipped, and why.  Nothing is ever plotted from made-up numbers.
#
#   crypto_gen      CGA / HBA generation time by Sec and thread count
#                   (shim6ctl cga gen / hba gen -j timings)
#   dataplane_ns    ns/packet of the BPF programs (bench/dataplane_ns.sh)
#   dataplane_tcp   TCP throughput ratios to plain IPv6 (bench/dataplane_tcp.sh)
#   negotiation     I1->R2 time by security mode (HBA, CGA-compatible HBA, CGA
#                   RSA-1024/2048) and locator count (2, 5, 10) (bench_shim6d modes;
#                   as root also over real sockets: bench/shim6d_netns.sh)
#   i2_contexts     I2 processing time against contexts held (bench_shim6d)
#   art_tsend       REAP Application Recovery Time against the Send Timeout, with
#                   and without fast TCP recovery, MPTCP for reference
#                   (bench/reap_art.sh; see FIGURES_ART below)
#
# Variables:
#   FIGURES_RUNS=N   generation runs per (kind, Sec, threads) point (default 50)
#   FIGURES_SEC2=1   also measure Sec 2 (one run per point: minutes each)
#   FIGURES_ROUNDS=N rounds of the TCP benchmark (default 5, 3 s each)
#   FIGURES_ART=1    run the ART sweep (bench/reap_art.sh, ~40 min at 20 failures
#                    per point; FIGURES_ART_FAILURES=N).  Without it the plot uses
#                    .output/bench/art_raw.csv from `make bench BENCH=art` if there
#                    is one, else the committed docs/figures/art_tsend_raw.csv
#                    (a real run, re-plotted; the script says which)
#   FIGURES_ONLY="crypto_gen dataplane_ns"   produce only these
#   FIGURES_DIR=DIR  output directory (default docs/figures)
set -uo pipefail
cd "$(dirname "$0")/.."

OUT=${OUTPUT:-.output}
DIR=${FIGURES_DIR:-docs/figures}
RUNS=${FIGURES_RUNS:-50}
ROUNDS=${FIGURES_ROUNDS:-5}
CTL=$OUT/shim6ctl
TMP=$(mktemp -d /tmp/shim6-figures.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$DIR"

produced=()
skipped=()
skip() { skipped+=("$1: $2"); echo "figures: $1 skipped: $2"; }
want() { [ -z "${FIGURES_ONLY:-}" ] || [[ " $FIGURES_ONLY " == *" $1 "* ]]; }
machine() {
	echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs, Linux $(uname -r), $(date -u +%Y-%m-%d)"
}

command -v gnuplot >/dev/null || { echo "figures: gnuplot not installed (apt-get install gnuplot-nox)"; exit 1; }

# ---- (a) CGA / HBA generation time ------------------------------------------
fig_crypto_gen() {
	local csv=$DIR/crypto_gen.csv sum=$DIR/crypto_gen_summary.csv secs=(0 1) kind sec th r j
	[ -x "$CTL" ] || { skip crypto_gen "$CTL not built (make)"; return; }
	"$CTL" key gen out "$TMP/key.pem" bits 1024 >/dev/null || { skip crypto_gen "shim6ctl key gen failed"; return; }
	[ "${FIGURES_SEC2:-0}" = 1 ] && secs+=(2)
	echo "kind,sec,threads,run,seconds,tries" >"$csv"
	for kind in cga hba; do
		for sec in "${secs[@]}"; do
			for th in 1 2; do
				local n=$RUNS
				[ "$sec" = 2 ] && n=1
				for ((r = 1; r <= n; r++)); do
					if [ $kind = cga ]; then
						j=$("$CTL" -j cga gen prefix 2001:db8:1::/64 key "$TMP/key.pem" sec "$sec" threads "$th") || return
					else
						j=$("$CTL" -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 sec "$sec" threads "$th") || return
					fi
					jq -r --arg k $kind --arg s "$sec" --arg t "$th" --arg r "$r" \
						'[$k, $s, $t, $r, (.seconds // .[0].seconds), (.tries // .[0].tries)] | @csv' <<<"$j" |
						tr -d '"' >>"$csv"
				done
			done
		done
	done
	# median, 10th and 90th percentile per point, in milliseconds
	# expected_ms: 2^(16*Sec) tries x measured time per try (all runs pooled);
	# removes the geometric spread of single searches (Sec 0: mean time)
	echo "kind,sec,threads,runs,median_ms,p10_ms,p90_ms,mean_ms,expected_ms" >"$sum"
	tail -n +2 "$csv" | sort -t, -k1,1 -k2,2n -k3,3n -k5,5g | awk -F, '
		function flush() { if (n) { printf "%s,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f\n", k, s, t, n,
			v[int((n + 1) / 2)] * 1000, v[int(0.1 * (n - 1)) + 1] * 1000, v[int(0.9 * (n - 1)) + 1] * 1000,
			sum / n * 1000, (s > 0 && tries > 0 ? 65536 ^ s * sum / tries : sum / n) * 1000 }
			n = 0; sum = 0; tries = 0 }
		{ key = $1 "," $2 "," $3; if (key != prev) { flush(); prev = key; k = $1; s = $2; t = $3 }
		  v[++n] = $5; sum += $5; tries += $6 }
		END { flush() }' >>"$sum"
	awk -F, 'NR > 1 { i = ($1 == "cga" ? 0 : 1) * 10 + $2 * 3 + $3; print i, $0 }' "$sum" |
		sed 's/,/ /g' >"$TMP/gen.dat"
	local caption="Sec 0 and Sec 1 only (Sec 2 is minutes per run: FIGURES_SEC2=1 measures it)"
	local ymax=1000 xmax=16
	[ "${FIGURES_SEC2:-0}" = 1 ] && caption="Sec 0, 1 and 2 (Sec 2: one run per point)" && ymax=1e7 && xmax=19
	gnuplot <<-EOF || { skip crypto_gen "gnuplot failed"; return; }
		set terminal pngcairo size 900,560 noenhanced font ",10"
		set output "$DIR/crypto_gen.png"
		set title "CGA (RSA-1024) and HBA (2 prefixes) generation time (shim6ctl cga/hba gen), $RUNS runs per point\n$caption; single searches scatter (geometric number of tries)\n$(machine)"
		set ylabel "generation time (ms, log scale)"
		set logscale y
		set key top center
		set yrange [0.001:$ymax]
		set xtics rotate by 30 right
		set xrange [0:$xmax]
		set bmargin 7
		set style fill solid 0.5
		set boxwidth 0.8
		plot "$TMP/gen.dat" using 1:6:7:8:xtic(sprintf("%s Sec %d, %d thr", strcol(2), \$3, \$4)) with errorbars lc rgb "black" title "p10-p90", \
		     "" using 1:6 with points pt 7 ps 1.3 lc rgb "#1f77b4" title "median", \
		     "" using 1:10 with points pt 5 ps 1.1 lc rgb "#d62728" title "expected (2^(16 Sec) x time per try)"
	EOF
	produced+=("crypto_gen.png (crypto_gen.csv, crypto_gen_summary.csv)")
}

# ---- (b) data plane: ns/packet and TCP ratios -------------------------------
fig_dataplane_ns() {
	local csv=$DIR/dataplane_ns.csv
	[ "$(id -u)" -eq 0 ] || { skip dataplane_ns "needs root (BPF_PROG_TEST_RUN)"; return; }
	[ -x "$OUT/bench/bench_dataplane" ] || { skip dataplane_ns "$OUT/bench/bench_dataplane not built (make figures builds it)"; return; }
	bash bench/dataplane_ns.sh | tee "$TMP/ns.txt" || { skip dataplane_ns "bench/dataplane_ns.sh failed"; return; }
	echo "case,ns_per_packet" >"$csv"
	sed -n 's/^  \(.*[^ ]\) \+\([0-9.]\+\) ns.*/\1,\2/p' "$TMP/ns.txt" | sed 's/, /; /; s/^\([^,]*\),\([^,]*\),/\1;\2,/' >>"$csv"
	[ "$(wc -l <"$csv")" -gt 1 ] || { skip dataplane_ns "no figures in the benchmark's output"; return; }
	awk -F, 'NR > 1 { printf "%d \"%s\" %s\n", NR - 2, $1, $2 }' "$csv" >"$TMP/ns.dat"
	gnuplot <<-EOF || { skip dataplane_ns "gnuplot failed"; return; }
		set terminal pngcairo size 900,560 noenhanced font ",10"
		set output "$DIR/dataplane_ns.png"
		set title "BPF data plane: ns/packet added over an empty program\n(BPF_PROG_TEST_RUN, median of 7 interleaved rounds)\n$(machine)"
		set xlabel "ns per packet"
		set style fill solid 0.6
		set yrange [-0.7:*] reverse
		set ytics nomirror
		unset key
		plot "$TMP/ns.dat" using (\$3/2):1:(\$3/2):(0.35):yticlabels(2) with boxxyerrorbars lc rgb "#1f77b4", \
		     "" using 3:1:(sprintf(" %.0f", \$3)) with labels left
	EOF
	produced+=("dataplane_ns.png (dataplane_ns.csv)")
}

fig_dataplane_tcp() {
	local csv=$DIR/dataplane_tcp.csv
	[ "$(id -u)" -eq 0 ] || { skip dataplane_tcp "needs root (namespaces)"; return; }
	command -v iperf3 >/dev/null || { skip dataplane_tcp "iperf3 not installed"; return; }
	ROUNDS=$ROUNDS SECONDS_PER_RUN=3 bash bench/dataplane_tcp.sh | tee "$TMP/tcp.txt" ||
		{ skip dataplane_tcp "bench/dataplane_tcp.sh failed"; return; }
	echo "config,median_gbit_s,ratio_to_plain,runs_gbit_s" >"$csv"
	sed -n 's/^  \([a-z-]\+\) \+\([0-9.]\+\) Gbit\/s  ratio \([0-9.]\+\) \+(runs: \(.*\))/\1,\2,\3,\4/p' "$TMP/tcp.txt" >>"$csv"
	[ "$(wc -l <"$csv")" -gt 1 ] || { skip dataplane_tcp "no figures in the benchmark's output"; return; }
	awk -F, 'NR > 1 { print NR - 2, $1, $2, $3 }' "$csv" >"$TMP/tcp.dat"
	gnuplot <<-EOF || { skip dataplane_tcp "gnuplot failed"; return; }
		set terminal pngcairo size 900,520 noenhanced font ",10"
		set output "$DIR/dataplane_tcp.png"
		set title "TCP throughput over one veth pair, ratio to plain IPv6 in the same run (median of $ROUNDS rounds x 3 s)\n$(machine); shared machine: only ratios mean something"
		set ylabel "ratio to plain"
		set yrange [0:1.3]
		set style fill solid 0.6
		set boxwidth 0.6
		unset key
		plot "$TMP/tcp.dat" using 1:4:xtic(2) with boxes lc rgb "#2ca02c", \
		     "" using 1:4:(sprintf("%.2f (%.2f Gbit/s)", \$4, \$3)) with labels offset 0,1
	EOF
	produced+=("dataplane_tcp.png (dataplane_tcp.csv)")
}

# ---- (c) shim6d: negotiation time, I2 time against contexts -----------------
fig_shim6d() {
	local bin=$OUT/bench/bench_shim6d
	if [ ! -f bench/bench_shim6d.c ]; then
		skip negotiation "bench/bench_shim6d.c absent (shim6d's benchmark is not on this branch)"
		skip i2_contexts "bench/bench_shim6d.c absent (shim6d's benchmark is not on this branch)"
		return
	fi
	if [ ! -x "$bin" ]; then
		skip negotiation "$bin not built (make figures builds it)"
		skip i2_contexts "$bin not built"
		return
	fi
	if want negotiation; then
		# the seed's Fig. 7: I1->R2 by security mode against the number of
		# locators, in process (bench_shim6d modes: CPU time, both ends) and,
		# as root, over real sockets between two shim6d (bench/shim6d_netns.sh)
		echo "mode,locators,us_per_i1_r2,where" >"$DIR/negotiation.csv"
		taskset -c 0 "$bin" modes | tee "$TMP/modes.txt"
		if [ "$(id -u)" -eq 0 ] && [ -f bench/shim6d_netns.sh ]; then
			bash bench/shim6d_netns.sh | tee -a "$TMP/modes.txt"
		fi
		sed -n 's/^modes\(-netns\)\{0,1\}: \(.*[^ ]\) \+\([0-9.]\+\) us per I1->R2.*/\2,\3,\1/p' "$TMP/modes.txt" |
			sed 's/^\(.*\), \([0-9]\+\) locators,/\1,\2,/; s/^none (ULID only),/none (ULID only),1,/' |
			sed 's/,-netns$/,netns/; s/,$/,in-process/' >>"$DIR/negotiation.csv"
		if [ "$(wc -l <"$DIR/negotiation.csv")" -gt 1 ]; then
			local plot="" m i=0 f colors=("#1f77b4" "#2ca02c" "#ff7f0e" "#d62728" "#9467bd")
			while IFS= read -r m; do
				f="$TMP/neg_$i.dat"
				awk -F, -v m="$m" 'NR > 1 && $1 == m && $4 == "in-process" { print $2, $3 }' "$DIR/negotiation.csv" >"$f"
				[ -s "$f" ] && plot+="${plot:+, }\"$f\" using 1:2 with linespoints pt 7 lw 2 lc rgb \"${colors[i % 5]}\" title \"$m\""
				f="$TMP/negn_$i.dat"
				awk -F, -v m="$m" 'NR > 1 && $1 == m && $4 == "netns" { print $2, $3 }' "$DIR/negotiation.csv" >"$f"
				[ -s "$f" ] && plot+=", \"$f\" using 1:2 with points pt 4 ps 2 lc rgb \"${colors[i % 5]}\" title \"$m (real sockets, netns)\""
				i=$((i + 1))
			done < <(tail -n +2 "$DIR/negotiation.csv" | cut -d, -f1 | awk '!seen[$0]++')
			gnuplot <<-EOF && produced+=("negotiation.png (negotiation.csv)")
				set terminal pngcairo size 900,560 noenhanced font ",10"
				set output "$DIR/negotiation.png"
				set title "Context establishment I1->R2 by security mode and locator count (cf. the seed's Fig. 7)\nlines: shim6d's core, both ends in one process (CPU time, median of 5 rounds)\nsquares: two shim6d over raw sockets in a netns pair (wall time, median)\n$(machine)"
				set xlabel "locators per host (1 = ULID only)"
				set ylabel "microseconds per I1->R2 (log scale)"
				set logscale y
				set xrange [0.5:11]
				set xtics (1, 2, 5, 10)
				set key outside right
				set rmargin 40
				plot $plot
			EOF
		else
			skip negotiation "no figures in bench_shim6d modes output"
		fi
	fi
	if want i2_contexts; then
		echo "contexts,ns_per_i2" >"$DIR/i2_contexts.csv"
		taskset -c 0 "$bin" i2 1000 10000 100000 1000000 | tee "$TMP/i2.txt"
		sed -n 's/^i2: responder holding \+\([0-9]\+\) contexts: \+\([0-9.]\+\) ns per I2.*/\1,\2/p' "$TMP/i2.txt" \
			>>"$DIR/i2_contexts.csv"
		if [ "$(wc -l <"$DIR/i2_contexts.csv")" -gt 1 ]; then
			gnuplot <<-EOF && produced+=("i2_contexts.png (i2_contexts.csv)")
				set terminal pngcairo size 800,500 noenhanced font ",10"
				set output "$DIR/i2_contexts.png"
				set title "I2 processing time at the responder against contexts held\n(validator, context creation, R2; shim6d's core in process, one core)\n$(machine)"
				set xlabel "contexts held (log scale)"
				set ylabel "ns per I2"
				set logscale x
				set yrange [0:*]
				set datafile separator ","
				unset key
				plot "$DIR/i2_contexts.csv" every ::1 using 1:2 with linespoints pt 7 lc rgb "#d62728"
			EOF
		else
			skip i2_contexts "no figures in bench_shim6d i2 output"
		fi
	fi
}

# ---- (d) REAP: ART against Tsend (the seed's Fig. 9) --------------------------
fig_art_tsend() {
	local raw=$OUT/bench/art_raw.csv src d=$TMP/art
	mkdir -p "$d"
	if [ "${FIGURES_ART:-0}" = 1 ]; then
		ART_DIR=$d ART_FAILURES=${FIGURES_ART_FAILURES:-20} bash bench/reap_art.sh ||
			{ skip art_tsend "bench/reap_art.sh failed"; return; }
		src="a sweep run now"
	elif [ -s "$raw" ]; then
		cp "$raw" "$d/art_raw.csv"
		src="$raw (make bench BENCH=art)"
	elif [ -s "$DIR/art_tsend_raw.csv" ]; then
		cp "$DIR/art_tsend_raw.csv" "$d/art_raw.csv"
		src="the committed $DIR/art_tsend_raw.csv (FIGURES_ART=1 measures anew)"
	else
		skip art_tsend "no ART data: make bench BENCH=art, or FIGURES_ART=1"
		return
	fi
	echo "figures: art_tsend from $src"
	ART_DIR=$d ART_SUMMARY_ONLY=1 bash bench/reap_art.sh >/dev/null ||
		{ skip art_tsend "no ART figures in the data"; return; }
	[ "$d/art_raw.csv" -ef "$DIR/art_tsend_raw.csv" ] || cp "$d/art_raw.csv" "$DIR/art_tsend_raw.csv"
	cp "$d/art.csv" "$DIR/art_tsend.csv"
	# gnuplot blocks: fast, nofast (x = Tsend); MPTCP: one median / p5 / p95
	awk -F, 'NR > 1 && $1 == "fast" { print $2, $6, $7, $8 }' "$d/art.csv" >"$TMP/art_fast.dat"
	awk -F, 'NR > 1 && $1 == "nofast" { print $2, $6, $7, $8 }' "$d/art.csv" >"$TMP/art_nofast.dat"
	local mp
	mp=$(awk -F, 'NR > 1 && $1 == "mptcp" { print $6, $7, $8, $3; exit }' "$d/art.csv")
	[ -s "$TMP/art_fast.dat" ] || { skip art_tsend "no fast-recovery points in the data"; return; }
	local n
	n=$(awk -F, 'NR > 1 && $1 != "mptcp" { s += $3; k++ } END { printf "%.0f", k ? s / k : 0 }' "$d/art.csv")
	local mplot=""
	if [ -n "$mp" ]; then
		set -- $mp
		mplot=", $1 with lines lw 2 dt 2 lc rgb \"#2ca02c\" title sprintf(\"Linux MPTCP, 2 subflows: median %.2f s (p5 %.2f, p95 %.2f; %d failures)\", $1, $2, $3, $4)"
	fi
	gnuplot <<-EOF || { skip art_tsend "gnuplot failed"; return; }
		set terminal pngcairo size 900,600 noenhanced font ",10"
		set output "$DIR/art_tsend.png"
		set title "Application Recovery Time against the REAP Send Timeout (median, bars p5-p95; ~$n failures per point)\nsite topology in namespaces, paced TCP A->B, A's active uplink cut both ways; receiver-side stall\n$(machine)"
		set xlabel "Send Timeout Tsend (s, log scale)"
		set ylabel "ART (s, log scale)"
		set logscale xy
		set xrange [0.2:12]
		set yrange [0.1:40]
		set key top left
		set grid
		plot x with lines lc rgb "gray" dt 3 title "ART = Tsend", \
		     "$TMP/art_fast.dat" using (\$1*0.97):2:3:4 with yerrorlines pt 7 lc rgb "#1f77b4" title "shim6, fast TCP recovery (TCP-LD kick)", \
		     "$TMP/art_nofast.dat" using (\$1*1.03):2:3:4 with yerrorlines pt 5 lc rgb "#d62728" title "shim6, without fast TCP recovery"$mplot
	EOF
	produced+=("art_tsend.png (art_tsend.csv, art_tsend_raw.csv)")
}

want crypto_gen && fig_crypto_gen
want dataplane_ns && fig_dataplane_ns
want dataplane_tcp && fig_dataplane_tcp
{ want negotiation || want i2_contexts; } && fig_shim6d
want art_tsend && fig_art_tsend

echo "figures: written to $DIR/"
for p in "${produced[@]}"; do echo "  produced $p"; done
for s in "${skipped[@]}"; do echo "  skipped  $s"; done
[ ${#produced[@]} -gt 0 ]
