import { expect } from '@esm-bundle/chai';
import { assign, parseOverrides } from '../../src/config/toggles.js';

const ids = Array.from({ length: 10_000 }, () => crypto.randomUUID());

describe('feature toggles: sticky, uniform assignment', () => {
  it('puts a 30% rollout on for 30% +- 2% of 10,000 installs, and variants follow their weights within 2%', async function () {
    this.timeout(60000);
    const toggles = { 'barge-in': { rollout: 30 }, 'tts-voice': { variants: { kal16: 50, slt: 30, awb: 20 } } };
    const on = { count: 0 };
    const variants: Record<string, number> = { kal16: 0, slt: 0, awb: 0 };
    for (const id of ids) {
      const a = await assign(toggles, id, []);
      if (a['barge-in'] === 'on') on.count++;
      else expect(a['barge-in']).to.equal('off');
      variants[a['tts-voice']!]!++;
    }
    console.log(`rollout 30%: ${(on.count / 100).toFixed(2)}% on; variants ${JSON.stringify(variants)} of 10,000`);
    expect(on.count / ids.length).to.be.within(0.28, 0.32);
    expect(variants.kal16! / ids.length).to.be.within(0.48, 0.52);
    expect(variants.slt! / ids.length).to.be.within(0.28, 0.32);
    expect(variants.awb! / ids.length).to.be.within(0.18, 0.22);
  });

  it('gives one install the same assignment every time, and different toggles independent buckets', async () => {
    const toggles = { a: { rollout: 50 }, b: { rollout: 50 }, v: { variants: { x: 1, y: 1, z: 1 } } };
    let agree = 0;
    for (const id of ids.slice(0, 500)) {
      const first = await assign(toggles, id, []);
      expect(await assign(toggles, id, [])).to.deep.equal(first);
      if (first.a === first.b) agree++;
    }
    // Independent 50% toggles agree for about half the installs (not all: not the same bucket).
    expect(agree / 500).to.be.within(0.4, 0.6);
  });

  it('keeps a toggle with groups off outside them', async () => {
    const toggles = { beta: { rollout: 100, groups: ['beta', 'staff'] } };
    expect(await assign(toggles, ids[0]!, [])).to.deep.equal({ beta: 'off' });
    expect(await assign(toggles, ids[0]!, ['customers'])).to.deep.equal({ beta: 'off' });
    expect(await assign(toggles, ids[0]!, ['staff'])).to.deep.equal({ beta: 'on' });
  });

  it('parses developer overrides and ignores what is not name=value', () => {
    expect(parseOverrides('barge-in=off, tts-voice=slt;junk;=x;Upper=1')).to.deep.equal({ 'barge-in': 'off', 'tts-voice': 'slt' });
    expect(parseOverrides(null)).to.deep.equal({});
  });
});
