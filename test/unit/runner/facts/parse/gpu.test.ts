// Tests of the nvidia-smi GPU-name parser and the DGX Spark rule.
import assert from 'node:assert/strict';
import { isDgxSpark, parseGpuNames } from '../../../../../runner/facts/parse/gpu.js';
import { parserCases } from '../fixtures.js';

describe('GPU facts', () => {
  for (const c of parserCases('gpu')) {
    it(`lists GPU names and decides whether this is a DGX Spark: ${c.name}`, () => {
      const gpus = parseGpuNames(c.output);
      const productName = c.extra['productName'];
      assert.deepEqual({ gpus, isDgxSpark: isDgxSpark(typeof productName === 'string' ? productName : null, gpus) }, c.expected);
    });
  }

  it('recognises the DMI product name in its spellings, and nothing else', () => {
    for (const name of ['NVIDIA DGX Spark', 'DGX-Spark', 'dgx spark', 'DGXSpark']) assert.equal(isDgxSpark(name, []), true, name);
    for (const name of ['DGX Station', 'Spark 2', 'NVIDIA DGX H100']) assert.equal(isDgxSpark(name, []), false, name);
  });

  it('recognises a GB10 GPU without any DMI name, but not GB100 or GB200', () => {
    assert.equal(isDgxSpark(null, ['NVIDIA GB10']), true);
    assert.equal(isDgxSpark(null, ['NVIDIA GB200']), false);
    assert.equal(isDgxSpark(null, ['NVIDIA GB100']), false);
  });
});
