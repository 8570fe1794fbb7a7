// Python's two ways of formatting text that roles use: `'{}:{}'.format(host, port)` and
// `'%s:%d' % (host, port)`. Values become text as Python's str() writes them (values.ts).
import { roundHalfEven } from './filters.js';
import { padded } from './strings.js';
import { TemplateFault, checkSize, isMapping, lookup, pythonNumber, pythonRepr, toText, typeName, UNDEFINED } from './values.js';

/** str.format with positional fields: `{}`, `{0}`, `{{`/`}}`. Format specs and named fields are refused. */
export function strFormat(template: string, args: readonly unknown[]): string {
  let out = '';
  let auto = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if (ch === '{' && template[i + 1] === '{') {
      out += '{';
      i++;
    } else if (ch === '}' && template[i + 1] === '}') {
      out += '}';
      i++;
    } else if (ch === '{') {
      const close = template.indexOf('}', i);
      if (close < 0) throw new TemplateFault("format: a '{' is not closed");
      const field = template.slice(i + 1, close);
      if (!/^[0-9]*$/.test(field)) throw new TemplateFault(`format: the field {${field}} is not supported (only {} and {0}; use ~ or a filter)`);
      const at = field === '' ? auto++ : Number(field);
      if (at >= args.length) throw new TemplateFault(`format: no argument ${at}`);
      out += toText(args[at]);
      checkSize(out.length, 'string');
      i = close;
    } else if (ch === '}') {
      throw new TemplateFault("format: a single '}' must be written '}}'");
    } else {
      out += ch;
    }
  }
  return out;
}

/** printf-style `%`: conversions s r d i f F e x X o c %, flags - + 0 space, width and precision. */
export function percentFormat(template: string, right: unknown): string {
  const positional = Array.isArray(right) ? right : [right];
  const named = isMapping(right) ? right : undefined;
  let next = 0;
  let out = '';
  const re = /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([srdifFeExXoc%])/g;
  let last = 0;
  for (let mt = re.exec(template); mt !== null; mt = re.exec(template)) {
    out += template.slice(last, mt.index);
    last = mt.index + mt[0].length;
    const [, key, flags = '', width, precision, conversion] = mt;
    if (conversion === '%') {
      out += '%';
      continue;
    }
    let value: unknown;
    if (key !== undefined) {
      if (named === undefined) throw new TemplateFault('% with %(name)s needs a dict');
      value = lookup(named, key);
      if (value === UNDEFINED) throw new TemplateFault(`% has no key '${key}'`);
    } else {
      if (next >= positional.length) throw new TemplateFault('not enough arguments for the % format');
      value = positional[next++];
    }
    out += pad(convert(value, conversion as string, flags, precision), conversion as string, flags, width);
    checkSize(out.length, 'string');
  }
  const rest = template.slice(last);
  if (rest.includes('%')) throw new TemplateFault(`unsupported % format in ${JSON.stringify(rest)}`);
  if (named === undefined && Array.isArray(right) && next < positional.length) throw new TemplateFault('not all arguments converted during string formatting');
  return out + rest;
}

function convert(value: unknown, conversion: string, flags: string, precision: string | undefined): string {
  const sign = (n: number, text: string): string => (n >= 0 && flags.includes('+') ? `+${text}` : n >= 0 && flags.includes(' ') ? ` ${text}` : text);
  const number = (): number => {
    if (typeof value === 'boolean') return Number(value);
    if (typeof value !== 'number') throw new TemplateFault(`%${conversion} format: a number is required, not ${typeName(value)}`);
    return value;
  };
  switch (conversion) {
    case 's': {
      const text = toText(value);
      return precision === undefined ? text : text.slice(0, Number(precision));
    }
    case 'r':
      return pythonRepr(value);
    case 'd':
    case 'i': {
      const n = Math.trunc(number());
      return sign(n, pythonNumber(n));
    }
    case 'f':
    case 'F': {
      const n = number();
      const digits = precision === undefined ? 6 : Number(precision);
      // Python rounds a tie on the exact binary value to even ('%.1f' % 2.25 is 2.2); toFixed rounds it up.
      return sign(n, roundHalfEven(n, digits).toFixed(digits));
    }
    case 'e':
    case 'E': {
      const n = number();
      const [m, e] = n.toExponential(precision === undefined ? 6 : Number(precision)).split('e') as [string, string];
      const exp = Number(e);
      const text = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
      return sign(n, conversion === 'E' ? text.toUpperCase() : text);
    }
    case 'x':
    case 'X':
    case 'o': {
      const n = Math.trunc(number());
      const text = Math.abs(n).toString(conversion === 'o' ? 8 : 16);
      const prefix = flags.includes('#') ? (conversion === 'o' ? '0o' : `0${conversion}`) : '';
      return sign(n, `${n < 0 ? '-' : ''}${prefix}${conversion === 'X' ? text.toUpperCase() : text}`);
    }
    case 'c':
      return typeof value === 'number' ? String.fromCodePoint(value) : toText(value);
    default:
      throw new TemplateFault(`unsupported % conversion '${conversion}'`);
  }
}

/**
 * A conversion's width, in characters as Python counts them (code points). The `0` flag fills a
 * number's digits with zeros after its sign and 0x/0o prefix ('%#06x' is 0x00ff, '%05f' of inf is
 * 00inf); other conversions ignore it ('%05s' pads with spaces).
 */
function pad(text: string, conversion: string, flags: string, width: string | undefined): string {
  const w = width === undefined ? 0 : Number(width);
  if (flags.includes('-')) return padded(text, w, ' ', 'left');
  if (flags.includes('0') && NUMERIC.has(conversion)) {
    if (text.length >= w) return text;
    checkSize(w, 'string');
    const head = /^[+ -]?(?:0[xXo])?/.exec(text)?.[0] ?? '';
    return head + text.slice(head.length).padStart(w - head.length, '0');
  }
  return padded(text, w, ' ', 'right');
}

const NUMERIC: ReadonlySet<string> = new Set(['d', 'i', 'f', 'F', 'e', 'E', 'x', 'X', 'o']);
