#!/usr/bin/env bash
# Generates the fake-microphone WAV fixtures in tests/fixtures/ and their ground truth,
# tests/fixtures/fixtures.json. Deterministic: a second run produces byte-identical files.
#
# Measured with Debian Chromium 156 headless, --use-fake-device-for-media-stream
# --use-file-for-fake-audio-capture=FILE%noloop, getUserMedia -> MediaStreamSource -> AudioWorklet,
# one browser launch per run, 5 runs per row, onset = first captured sample above -50 dBFS
# (in the file: 2004.6 ms, speech placed at 2000 ms):
#   - The file starts playing when getUserMedia() opens the device (the call took 5-70 ms to
#     resolve), not when a consumer connects: with the source connected 1000 ms after getUserMedia
#     resolved, the 2000 ms onset was at 1010 ms in the capture. Speech reached the page's main
#     thread (worklet message) 2011-2024 ms after getUserMedia resolved.
#   - 16 kHz and 48 kHz files (same speech, 48 kHz made with `sox rate -v`) behave identically:
#     capture onset 2004.5-2023.2 ms after the first captured block, i.e. +0..+19 ms late (typically +10 ms;
#     it moves in 10 ms steps). The captured speech length matched the file (2236.6 ms vs 2236.6 ms;
#     twice 10 ms longer), so no rate/speed error. Chosen: 16 kHz (Flite kal16 and PocketSphinx are
#     native 16 kHz, so the fixture is exactly what PocketSphinx scores; 1/3 of the size).
#   - The headless AudioContext defaults to 44100 Hz; track.getSettings().sampleRate is 44100 with
#     processing off and 48000 with it on. new AudioContext({sampleRate: 16000}) works the same.
#   - echoCancellation/noiseSuppression/autoGainControl (getUserMedia defaults, all true) change the
#     captured audio: speech RMS -26.2 -> -18.9 dBFS, peak -10.4 -> -0.2 dBFS (AGC), onset +12..+30 ms
#     late, and the end of speech above -50 dBFS extends 40-60 ms further. Digital silence stays exact
#     zero either way. low-noise.wav (-55 dBFS) is captured at -55/-56 dBFS with all three off; with
#     them on it is -51 dBFS for the first 0.3 s, then about -58.5 dBFS (noise suppression).
#   - barge-in.wav, processing off: captured speech (10 ms frames above -50 dBFS) 1000-2530 and
#     6020-7930 ms vs ground truth 1000-2523 and 6023-7925 ms; processing on: 1020-2560, 6060-7970 ms.
#   - %noloop plays the file once (a 7.25 s file recorded for 16 s showed one utterance), but the
#     capture does not fall silent at the end either: the last audio block keeps repeating (a 2 s
#     file, 1 s silence + 1 s of 440 Hz, kept the tone at a steady level until the 5 s recording
#     ended; low-noise.wav goes on as noise, which AGC, when on, raises to -47 dBFS by 9 s).
#     Every speech fixture therefore ends in digital silence.
#
# Method: each phrase is synthesised with Flite voice kal16 (16 kHz), its leading/trailing silence
# trimmed with sox `silence` at -50 dB, and fixtures are concatenations of trimmed speech and exact
# digital silences, so a segment starts at the sum of what precedes it and ends at start + trimmed
# length. fixtures.json's numbers are then re-measured from the written WAVs (runs of non-zero
# samples) and the script fails if they disagree with the construction.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=tests/fixtures
RATE=16000
VOICE=kal16
TRIM=(silence 1 0.02 -50d reverse silence 1 0.02 -50d reverse)
FMT=(-r "$RATE" -c 1 -b 16 -e signed-integer)
SOX=(sox -R -D -V1) # -R: fixed random seed; -D: no dither (both for byte-identical reruns)

missing=()
for tool in flite sox soxi espeak-ng pocketsphinx_continuous node; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "make-fixtures: missing tool(s): ${missing[*]}" >&2
  echo "  Debian: apt-get install -y flite sox espeak-ng pocketsphinx pocketsphinx-en-us (node: Node 20+)" >&2
  exit 1
fi
if ! flite -lv | grep -qw "$VOICE"; then
  echo "make-fixtures: flite has no voice $VOICE (flite -lv)" >&2
  exit 1
fi
if [[ ! -d /usr/share/pocketsphinx/model/en-us ]]; then
  echo "make-fixtures: PocketSphinx en-us model missing (apt-get install -y pocketsphinx-en-us)" >&2
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
MANIFEST="$TMP/manifest.tsv"
: >"$MANIFEST"
n=0

samples() { soxi -s "$1"; }

# say TEXT OUT: Flite kal16, trimmed at both ends.
say() {
  flite -voice "$VOICE" -t "$1" -o "$TMP/raw.wav"
  "${SOX[@]}" "$TMP/raw.wav" "${FMT[@]}" "$2" "${TRIM[@]}"
}

# silence SECONDS OUT: exact digital silence.
silence() {
  local s
  s=$(awk -v t="$1" -v r="$RATE" 'BEGIN { printf "%d", t * r + 0.5 }')
  "${SOX[@]}" -r "$RATE" -c 1 -n "${FMT[@]}" "$2" trim 0 "${s}s"
}

# chain GAP OUT TEXT...: several trimmed sentences joined by GAP seconds of silence (one segment).
chain() {
  local gap=$1 out=$2 parts=() i=0 sentence
  shift 2
  silence "$gap" "$TMP/gap.wav"
  for sentence in "$@"; do
    i=$((i + 1))
    say "$sentence" "$TMP/chain$i.wav"
    ((i > 1)) && parts+=("$TMP/gap.wav")
    parts+=("$TMP/chain$i.wav")
  done
  "${SOX[@]}" "${parts[@]}" "$out"
}

# fixture NAME PART...; PART is sil:SECONDS | say:TEXT | chain:TEXT|TEXT|... (chain gap 0.1 s)
fixture() {
  local name=$1 pos=0 parts=() voice=null part len text
  shift
  printf 'file\t%s\n' "$name" >>"$MANIFEST"
  for part in "$@"; do
    n=$((n + 1))
    case $part in
      sil:*) silence "${part#sil:}" "$TMP/p$n.wav" ;;
      say:*) text=${part#say:}; say "$text" "$TMP/p$n.wav" ;;
      chain:*)
        text=${part#chain:}
        local IFS='|'
        # shellcheck disable=SC2086
        chain 0.1 "$TMP/p$n.wav" $text
        unset IFS
        text=${text//|/ }
        ;;
      *) echo "bad part $part" >&2; exit 1 ;;
    esac
    len=$(samples "$TMP/p$n.wav")
    if [[ $part != sil:* ]]; then
      voice=$VOICE
      printf 'seg\t%s\t%d\t%d\n' "$text" "$pos" "$((pos + len))" >>"$MANIFEST"
    fi
    pos=$((pos + len))
    parts+=("$TMP/p$n.wav")
  done
  if ((${#parts[@]} == 1)); then cp "${parts[0]}" "$OUT/$name"; else "${SOX[@]}" "${parts[@]}" "$OUT/$name"; fi
  [[ $(samples "$OUT/$name") == "$pos" ]] || { echo "$name: length mismatch" >&2; exit 1; }
  printf 'end\t%s\t%d\n' "$voice" "$pos" >>"$MANIFEST"
}

mkdir -p "$OUT"

fixture one-utterance.wav sil:2.0 "say:hello there, how are you doing today" sil:3.0
fixture two-utterances-long-gap.wav sil:1.5 "say:good morning to you" sil:1.5 "say:what a lovely day it is" sil:2.5
fixture two-utterances-short-gap.wav sil:1.5 "say:good morning to you" sil:0.3 "say:what a lovely day it is" sil:2.5
fixture silence.wav sil:6.0
fixture long-utterance.wav sil:2.0 "chain:please send an email to my brother about the meeting next week|she opened the window and looked out at the quiet street below|i would like to book a table for two people at seven tonight|please turn off your phone before the film starts" sil:2.0
# Dictation candidates, PocketSphinx on kal16 (trimmed, 1.5 s/2.5 s padding), WER:
#   remind me to call my mother tomorrow morning at nine            0.00  <- chosen
#   please turn off your phone before the film starts               0.00 (used in long-utterance)
#   please send an email to my brother about the meeting next week  0.08
#   we need to buy milk bread and eggs before the shop closes       0.08 (has a 160 ms pause at -50 dBFS)
#   i would like to book a table for two people at seven tonight    0.08
#   the train to london leaves from platform four every hour        0.20
#   the library opens at nine in the morning on weekdays            0.40
fixture dictation.wav sil:1.5 "say:remind me to call my mother tomorrow morning at nine" sil:2.5
# PocketSphinx's open language model is weak on short phrases (see the table: "next page" is
# heard as "next day and"); tests asserting on command words need a grammar recogniser.
fixture question.wav sil:1.5 "say:what are your opening hours" sil:3.0
fixture command-lights-on.wav sil:1.5 "say:turn on the lights" sil:2.5
fixture command-next-page.wav sil:1.5 "say:next page" sil:2.5
fixture command-unknown.wav sil:1.5 "say:the weather is lovely in paris" sil:2.5
fixture barge-in.wav sil:1.0 "say:what are your opening hours" sil:3.5 "say:stop, where are you located" sil:4.0
# Turn-taking: a 350 ms pause inside one question (over the 200 ms speculative pause, under the
# 500 ms silence-ms: one turn), and a 900 ms pause between two questions (two turns).
fixture question-pause.wav sil:1.5 "say:what are your" sil:0.35 "say:opening hours" sil:3.0
fixture question-long-pause.wav sil:1.5 "say:what are your opening hours" sil:0.9 "say:where are you located" sil:3.0

# low-noise.wav: 6 s of white noise at -55 dBFS RMS (two passes: measure, then correct the gain).
noise() { "${SOX[@]}" -r "$RATE" -c 1 -n "${FMT[@]}" "$2" synth 6.0 whitenoise gain "$1"; }
rms() { sox "$1" -n stats 2>&1 | awk '/^RMS lev dB/ { print $4 }'; }
noise -50 "$TMP/noise.wav"
gain=$(awk -v r="$(rms "$TMP/noise.wav")" 'BEGIN { printf "%.2f", -50 + (-55 - r) }')
noise "$gain" "$OUT/low-noise.wav"
printf 'file\tlow-noise.wav\nend\tnull\t%d\n' "$(samples "$OUT/low-noise.wav")" >>"$MANIFEST"

# PocketSphinx on every speech fixture (they are 16 kHz mono 16-bit already).
while IFS=$'\t' read -r kind a _; do
  if [[ $kind == file ]]; then cur=$a; fi
  if [[ $kind == end && $a != null ]]; then
    pocketsphinx_continuous -infile "$OUT/$cur" -logfn /dev/null | tr '\n' ' ' >"$TMP/$cur.hyp"
  fi
done <"$MANIFEST"

cat >"$TMP/json.mjs" <<'EOF'
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const [manifest, out, tmp] = process.argv.slice(2);
const RATE = 16000;

function readWav(path) {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not WAV`);
  let off = 12, fmt, data;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4), size = b.readUInt32LE(off + 4);
    if (id === 'fmt ') fmt = { format: b.readUInt16LE(off + 8), channels: b.readUInt16LE(off + 10), rate: b.readUInt32LE(off + 12), bits: b.readUInt16LE(off + 22) };
    if (id === 'data') data = new Int16Array(b.buffer.slice(b.byteOffset + off + 8, b.byteOffset + off + 8 + size));
    off += 8 + size + (size & 1);
  }
  if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.bits !== 16 || fmt.rate !== RATE) throw new Error(`${path}: want PCM mono 16-bit ${RATE} Hz, got ${JSON.stringify(fmt)}`);
  return data;
}

// Segments measured from the audio: runs of non-zero samples, joining runs separated by
// less than 0.2 s of exact zeros (the long utterance's 0.1 s joins; the 0.3 s gap does not).
function measure(x) {
  const segs = [];
  const join = 0.2 * RATE;
  let start = -1, last = -1;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    if (start < 0) start = i;
    else if (i - last > join) { segs.push([start, last + 1]); start = i; }
    last = i;
  }
  if (start >= 0) segs.push([start, last + 1]);
  return segs;
}

// Longest run of 10 ms frames below -50 dBFS RMS inside [a, b).
function maxGapMs(x, a, b) {
  const f = RATE / 100, thr = 32768 * 10 ** (-50 / 20);
  let run = 0, best = 0;
  for (let i = a; i + f <= b; i += f) {
    let s = 0;
    for (let j = i; j < i + f; j++) s += x[j] * x[j];
    if (Math.sqrt(s / f) < thr) best = Math.max(best, ++run * 10); else run = 0;
  }
  return best;
}

const norm = (t) => t.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').split(/\s+/).filter(Boolean);
function wer(ref, hyp) {
  const r = norm(ref), h = norm(hyp);
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] === h[j - 1] ? 0 : 1));
    prev = cur;
  }
  return r.length ? prev[h.length] / r.length : 0;
}

const ms = (s) => Math.round((s * 1000) / RATE);
const result = {};
const rows = [];
let cur;
for (const line of readFileSync(manifest, 'utf8').split('\n').filter(Boolean)) {
  const [kind, a, b, c] = line.split('\t');
  if (kind === 'file') cur = { name: a, segs: [] };
  else if (kind === 'seg') cur.segs.push({ text: a, start: +b, end: +c });
  else if (kind === 'end') {
    const x = readWav(`${out}/${cur.name}`);
    if (x.length !== +b) throw new Error(`${cur.name}: ${x.length} samples, expected ${b}`);
    const voice = a === 'null' ? null : a;
    if (voice) {
      const m = measure(x);
      const want = cur.segs.map((s) => [s.start, s.end]);
      if (JSON.stringify(m) !== JSON.stringify(want)) throw new Error(`${cur.name}: measured segments ${JSON.stringify(m)} != built ${JSON.stringify(want)}`);
    }
    const text = cur.segs.map((s) => s.text).join(' ');
    const entry = {
      text,
      voice,
      sampleRate: RATE,
      durationMs: ms(x.length),
      segments: cur.segs.map((s) => ({ text: s.text, startMs: ms(s.start), endMs: ms(s.end) })),
    };
    const gaps = cur.segs.map((s) => maxGapMs(x, s.start, s.end));
    if (voice) {
      const hyp = readFileSync(`${tmp}/${cur.name}.hyp`, 'utf8').trim().replace(/\s+/g, ' ');
      entry.pocketsphinx = { hypothesis: hyp, wer: Math.round(wer(text, hyp) * 100) / 100 };
    }
    if (cur.name === 'long-utterance.wav' && gaps[0] > 150) throw new Error(`long-utterance.wav: internal gap ${gaps[0]} ms > 150 ms`);
    result[cur.name] = entry;
    rows.push({ entry, name: cur.name, gaps });
  }
}
const sorted = Object.fromEntries(Object.keys(result).sort().map((k) => [k, result[k]]));
writeFileSync(`${out}/fixtures.json`, JSON.stringify(sorted, null, 2) + '\n');

const pad = (s, n) => String(s).padEnd(n);
console.log(pad('fixture', 30) + pad('dur ms', 8) + pad('segments ms (longest inner pause <-50 dBFS)', 46) + pad('WER', 6) + 'PocketSphinx hypothesis');
for (const { name, entry, gaps } of rows.sort((p, q) => p.name.localeCompare(q.name))) {
  const segs = entry.segments.map((s, i) => `${s.startMs}-${s.endMs} (${gaps[i]})`).join(', ') || '-';
  const p = entry.pocketsphinx;
  console.log(pad(name, 30) + pad(entry.durationMs, 8) + pad(segs, 46) + pad(p ? p.wer.toFixed(2) : '-', 6) + (p ? p.hypothesis : ''));
}
EOF
node "$TMP/json.mjs" "$MANIFEST" "$OUT" "$TMP"
du -ch "$OUT"/*.wav | tail -1 | sed 's/total/total WAV size/'
