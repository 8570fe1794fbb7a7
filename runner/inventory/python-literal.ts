// A reader for Python literals (ast.literal_eval), which Ansible applies to INI inventory values.

export type LiteralResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

const FAIL: LiteralResult = { ok: false };

class NotLiteral extends Error {}

/**
 * Ansible passes every INI value through `ast.literal_eval` and keeps the raw text when that
 * fails. So `22` is a number, `True` a boolean, `None` null, `'x'` and `"x"` strings, `[1, 2]`
 * a list, `{'a': 1}` a mapping; `true`, `yes`, `01` or `a b` stay text. Tuples and sets become
 * lists; integers beyond 2^53 stay text so no digit is lost.
 */
export function parsePythonLiteral(text: string): LiteralResult {
  const p = new Reader(text.replace(/^[ \t]+/, ''));
  try {
    p.ws();
    const value = p.expr();
    p.ws();
    if (!p.done()) return FAIL;
    return { ok: true, value };
  } catch (e) {
    if (e instanceof NotLiteral) return FAIL;
    throw e;
  }
}

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r\f'.includes(this.s[this.i] as string)) this.i++;
  }

  private fail(): never {
    throw new NotLiteral();
  }

  private peek(): string {
    return this.s[this.i] ?? '';
  }

  expr(): unknown {
    const c = this.peek();
    if (c === '-' || c === '+') {
      this.i++;
      this.ws();
      const n = this.number();
      return c === '-' ? (typeof n === 'number' ? -n : this.fail()) : n;
    }
    if (c === '[') return this.seq('[', ']');
    if (c === '(') return this.paren();
    if (c === '{') return this.brace();
    if (/[0-9.]/.test(c)) return this.number();
    const str = /^([rRuUbB]{0,2})(['"])/.exec(this.s.slice(this.i));
    if (str) return this.strings();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[0].length;
      if (word[0] === 'True') return true;
      if (word[0] === 'False') return false;
      if (word[0] === 'None') return null;
    }
    return this.fail();
  }

  private number(): number | string {
    const rest = this.s.slice(this.i);
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+/.exec(rest) ??
      /^(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/.exec(rest);
    if (!m || m[0] === '' || m[0] === '.') return this.fail();
    const text = m[0];
    this.i += text.length;
    if (/^[A-Za-z0-9_]/.test(this.peek())) return this.fail(); // 1j, 12abc
    const clean = text.replace(/_/g, '');
    if (/^0[xXoObB]/.test(clean)) {
      const n = Number(clean.toLowerCase());
      return Number.isSafeInteger(n) ? n : this.unsafe(text);
    }
    if (/^[0-9]+$/.test(clean)) {
      if (clean.length > 1 && clean.startsWith('0') && !/^0+$/.test(clean)) return this.fail(); // 01 is a SyntaxError
      const n = Number(clean);
      return Number.isSafeInteger(n) ? n : this.unsafe(text);
    }
    return Number(clean);
  }

  private unsafe(text: string): string {
    return text;
  }

  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      const m = /^([rRuUbB]{0,2})('''|"""|'|")/.exec(this.s.slice(this.i));
      if (!m) break;
      any = true;
      const raw = /r/i.test(m[1] ?? '');
      const q = m[2] as string;
      this.i += m[0].length;
      for (;;) {
        if (this.done()) this.fail();
        if (this.s.startsWith(q, this.i)) {
          this.i += q.length;
          break;
        }
        const c = this.s[this.i] as string;
        if (c === '\n' && q.length === 1) this.fail();
        if (c === '\\') {
          const n = this.s[this.i + 1];
          if (n === undefined) this.fail();
          if (raw) {
            out += c + n;
            this.i += 2;
            continue;
          }
          this.i += 2;
          out += this.escape(n);
          continue;
        }
        out += c;
        this.i++;
      }
      this.ws();
    }
    if (!any) this.fail();
    return out;
  }

  private escape(n: string): string {
    const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    if (n in simple) return simple[n] as string;
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{0,2}/.exec(this.s.slice(this.i)) as RegExpExecArray;
      this.i += m[0].length;
      return String.fromCodePoint(parseInt(n + m[0], 8));
    }
    const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hex > 0) {
      const h = this.s.slice(this.i, this.i + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(h)) this.fail();
      this.i += hex;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) this.fail();
      return String.fromCodePoint(cp);
    }
    if (n === 'N') this.fail();
    return '\\' + n;
  }

  private items(close: string, onItem: () => void): void {
    this.ws();
    while (this.peek() !== close) {
      onItem();
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        this.ws();
      } else if (this.peek() !== close) this.fail();
    }
    this.i++;
  }

  private seq(open: string, close: string): unknown[] {
    this.i += open.length;
    const out: unknown[] = [];
    this.items(close, () => out.push(this.expr()));
    return out;
  }

  private paren(): unknown {
    this.i++;
    this.ws();
    if (this.peek() === ')') {
      this.i++;
      return [];
    }
    const first = this.expr();
    this.ws();
    if (this.peek() === ')') {
      this.i++;
      return first;
    }
    if (this.peek() !== ',') this.fail();
    this.i++;
    const out: unknown[] = [first];
    this.items(')', () => out.push(this.expr()));
    return out;
  }

  private brace(): unknown {
    this.i++;
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return {};
    }
    const first = this.expr();
    this.ws();
    if (this.peek() === ':') {
      const out: Record<string, unknown> = {};
      this.i++;
      this.ws();
      out[keyText(first)] = this.expr();
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        this.items('}', () => {
          const k = this.expr();
          this.ws();
          if (this.peek() !== ':') this.fail();
          this.i++;
          this.ws();
          out[keyText(k)] = this.expr();
        });
      } else if (this.peek() === '}') this.i++;
      else this.fail();
      return out;
    }
    const out: unknown[] = [first];
    if (this.peek() === ',') {
      this.i++;
      this.items('}', () => {
        const v = this.expr();
        if (!out.some((x) => x === v)) out.push(v);
      });
    } else if (this.peek() === '}') this.i++;
    else this.fail();
    return out;
  }
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'None';
  if (k === true) return 'True';
  if (k === false) return 'False';
  if (typeof k === 'number') return String(k);
  throw new NotLiteral();
}
