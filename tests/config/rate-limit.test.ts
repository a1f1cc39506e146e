import { expect } from '@esm-bundle/chai';
import { DEFAULT_RATE_LIMITS, NO_RATE_LIMITS, parseRateLimits } from '../../src/config/rate-limit.js';
import { formatRateLimits } from '../../src/config/converters.js';

describe('rate-limit attribute', () => {
  it('parses several windows per operation and keeps defaults for the others', () => {
    const r = parseRateLimits('stt=20/min,300/h;tts=30/min')!;
    expect(r.stt).to.deep.equal([
      { limit: 20, windowMs: 60_000 },
      { limit: 300, windowMs: 3_600_000 },
    ]);
    expect(r.tts).to.deep.equal([{ limit: 30, windowMs: 60_000 }]);
    expect(r.chat).to.equal(DEFAULT_RATE_LIMITS.chat);
    expect(Object.isFrozen(r)).to.equal(true);
  });

  it('accepts a count of units and "none"', () => {
    expect(parseRateLimits('chat=5/10s')!.chat).to.deep.equal([{ limit: 5, windowMs: 10_000 }]);
    expect(parseRateLimits('none')).to.equal(NO_RATE_LIMITS);
  });

  it('refuses malformed budgets', () => {
    for (const bad of ['', 'stt', 'stt=', 'stt=0/min', 'stt=5/fortnight', 'foo=1/s', 'stt=1/s;stt=2/s', 'stt=-1/s', '<b>x</b>']) {
      expect(parseRateLimits(bad), bad).to.equal(undefined);
    }
  });

  it('formats "none" back to "none"', () => {
    expect(formatRateLimits(NO_RATE_LIMITS)).to.equal('none');
    expect(formatRateLimits(parseRateLimits('none')!)).to.equal('none');
  });

  it('formats back to a string that parses to the same budget', () => {
    const r = parseRateLimits('stt=3/min;tts=7/15s,100/day')!;
    expect(parseRateLimits(formatRateLimits(r)!)).to.deep.equal(r);
  });
});
