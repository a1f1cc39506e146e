#!/usr/bin/env python3
"""Word timings of a known text in a 16 kHz mono WAV: PocketSphinx (Debian's python3-pocketsphinx
and pocketsphinx-en-us) decoding against a grammar of exactly that sentence, i.e. a forced
alignment. Prints [{"word", "startMs", "endMs"}] (silences left out). Used by bench/turn.mjs as the
ground truth of when each word of a fixture ends.

  /usr/bin/python3 scripts/align-words.py tests/fixtures/question.wav "what are your opening hours"
"""
import json
import sys
import wave

from pocketsphinx import Decoder

MODEL = '/usr/share/pocketsphinx/model/en-us/'

config = Decoder.default_config()
config.set_string('-hmm', MODEL + 'en-us')
config.set_string('-dict', MODEL + 'cmudict-en-us.dict')
config.set_string('-logfn', '/dev/null')
# Keep the file's own time line: no frames dropped as silence before decoding.
config.set_boolean('-remove_silence', False)
decoder = Decoder(config)
decoder.set_jsgf_string('align', '#JSGF V1.0;\ngrammar align;\npublic <s> = %s;\n' % sys.argv[2].lower())
decoder.set_search('align')
with wave.open(sys.argv[1]) as w:
    if w.getframerate() != 16000 or w.getnchannels() != 1:
        sys.exit('16 kHz mono WAV only')
    pcm = w.readframes(w.getnframes())
decoder.start_utt()
decoder.process_raw(pcm, False, True)
decoder.end_utt()
words = [{'word': s.word.split('(')[0], 'startMs': s.start_frame * 10, 'endMs': (s.end_frame + 1) * 10}
         for s in decoder.seg() if not s.word.startswith('<') and not s.word.startswith('[')]
if not decoder.hyp() or not words:
    sys.exit('the text could not be aligned with the audio')
print(json.dumps(words))
