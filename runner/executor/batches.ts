// `serial:` → batches of hosts, as Ansible computes them: each size is a number or a
// percentage of the play's hosts (rounded down, at least 1); the last size repeats.
import { InputError } from '../errors.js';

export function batchSizes(serial: readonly (number | string)[] | undefined, total: number): number[] {
  if (!serial || serial.length === 0 || total === 0) return [total];
  const sizes = serial.map((s) => {
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < 0) throw new InputError('usage', `serial must be a positive integer or a percentage, got ${s}`);
      return s === 0 ? total : s;
    }
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(s);
    if (m) return Math.max(1, Math.floor((Number(m[1]) / 100) * total));
    if (/^\s*\d+\s*$/.test(s)) return Number(s) === 0 ? total : Number(s);
    throw new InputError('usage', `serial must be a positive integer or a percentage, got '${s}'`);
  });
  return sizes;
}

export function splitIntoBatches<T>(items: readonly T[], serial: readonly (number | string)[] | undefined): T[][] {
  const sizes = batchSizes(serial, items.length);
  const batches: T[][] = [];
  let i = 0;
  let k = 0;
  while (i < items.length) {
    const size = sizes[Math.min(k, sizes.length - 1)] as number;
    batches.push(items.slice(i, i + size));
    i += size;
    k++;
  }
  return batches;
}

/** Parses `--serial` (`5`, `25%`, `1,5,25%`) into serial sizes. */
export function parseSerialOption(text: string): (number | string)[] {
  return text.split(',').map((part) => {
    const t = part.trim();
    if (/^\d+$/.test(t)) return Number(t);
    if (/^\d+(\.\d+)?%$/.test(t)) return t;
    throw new InputError('usage', `--serial: '${t}' is not a number or a percentage`);
  });
}
