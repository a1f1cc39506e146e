#!/usr/bin/env python3
"""A warm PocketSphinx recogniser for the reference server (server/src/engines/sphinx-pool.ts).

Loads the en-US model of Debian's pocketsphinx-en-us once, through Debian's python3-pocketsphinx,
then decodes one utterance at a time: each request on stdin is a 4-byte little-endian length and
that many bytes of 16 kHz mono signed 16-bit PCM; each answer is one JSON line on stdout,
{"text": ..., "ms": ...}. The first line, once the model is loaded, is {"ready": true, "loadMs": ...}.

With --stream (server/src/engines/sphinx-stream.ts), one utterance is decoded incrementally as its
audio arrives: each request is one op byte, a 4-byte little-endian length and that many bytes;
'S' starts an utterance, 'A' feeds PCM and answers the partial hypothesis {"text", "ms"}, 'E' ends
the utterance and answers the final one; every request gets exactly one line ('S': {"ok": true}).
"""
import json
import struct
import sys
import time

from pocketsphinx import Decoder

MODEL = '/usr/share/pocketsphinx/model/en-us/'


def main():
    t0 = time.monotonic()
    config = Decoder.default_config()
    config.set_string('-hmm', MODEL + 'en-us')
    config.set_string('-lm', MODEL + 'en-us.lm.bin')
    config.set_string('-dict', MODEL + 'cmudict-en-us.dict')
    config.set_string('-logfn', '/dev/null')
    decoder = Decoder(config)
    out = sys.stdout
    out.write(json.dumps({'ready': True, 'loadMs': round((time.monotonic() - t0) * 1000)}) + '\n')
    out.flush()
    stdin = sys.stdin.buffer
    if '--stream' in sys.argv:
        return stream(decoder, stdin, out)
    while True:
        head = stdin.read(4)
        if len(head) < 4:
            return
        (size,) = struct.unpack('<I', head)
        pcm = stdin.read(size)
        if len(pcm) < size:
            return
        t = time.monotonic()
        decoder.start_utt()
        decoder.process_raw(pcm, False, True)
        decoder.end_utt()
        hyp = decoder.hyp()
        out.write(json.dumps({'text': hyp.hypstr if hyp else '', 'ms': round((time.monotonic() - t) * 1000)}) + '\n')
        out.flush()


def stream(decoder, stdin, out):
    started = False

    def answer(obj):
        out.write(json.dumps(obj) + '\n')
        out.flush()

    def hyp_text():
        hyp = decoder.hyp()
        return hyp.hypstr if hyp else ''

    while True:
        head = stdin.read(5)
        if len(head) < 5:
            return
        op = head[:1]
        (size,) = struct.unpack('<I', head[1:])
        data = stdin.read(size)
        if len(data) < size:
            return
        t = time.monotonic()
        if op == b'S':
            if started:
                decoder.end_utt()
            decoder.start_utt()
            started = True
            answer({'ok': True})
        elif op == b'A':
            if not started:
                decoder.start_utt()
                started = True
            decoder.process_raw(data, False, False)
            answer({'text': hyp_text(), 'ms': round((time.monotonic() - t) * 1000)})
        elif op == b'E':
            text = ''
            if started:
                decoder.end_utt()
                started = False
                text = hyp_text()
            answer({'text': text, 'ms': round((time.monotonic() - t) * 1000)})
        else:
            answer({'error': 'unknown op'})


if __name__ == '__main__':
    main()
