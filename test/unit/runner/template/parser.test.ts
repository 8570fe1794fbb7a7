// Tests of the template parser: Jinja precedence, located syntax errors, template pieces, nesting limits.
import assert from 'node:assert/strict';
import { SyntaxFault } from '../../../../runner/template/location.js';
import { MAX_DEPTH, MAX_NESTING, parseExpressionSource, type Node } from '../../../../runner/template/parser.js';
import { parseTemplateSource } from '../../../../runner/template/statements.js';

/** A compact S-expression of a tree, to state precedence in one line. */
function show(node: Node): string {
  switch (node.type) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'name':
      return node.name;
    case 'list':
      return `[${node.items.map(show).join(' ')}]`;
    case 'dict':
      return `{${node.entries.map((e) => `${show(e.key)}:${show(e.value)}`).join(' ')}}`;
    case 'attr':
      return `(. ${show(node.object)} ${node.name})`;
    case 'index':
      return `([] ${show(node.object)} ${show(node.index)})`;
    case 'slice':
      return `(: ${show(node.object)} ${[node.from, node.to, node.step].map((n) => (n ? show(n) : '_')).join(' ')})`;
    case 'unary':
      return `(${node.op} ${show(node.operand)})`;
    case 'binary':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'compare':
      return `(cmp ${show(node.first)}${node.rest.map((r) => ` ${r.op} ${show(r.operand)}`).join('')})`;
    case 'conditional':
      return `(if ${show(node.test)} ${show(node.then)} ${node.otherwise ? show(node.otherwise) : '_'})`;
    case 'filter':
      return `(|${node.name} ${show(node.subject)}${node.args.map((a) => ` ${show(a)}`).join('')}${node.kwargs.map((k) => ` ${k.name}=${show(k.value)}`).join('')})`;
    case 'test':
      return `(is${node.negated ? 'not' : ''} ${node.name} ${show(node.subject)}${node.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'call':
      return `(${node.name}()${node.args.map((a) => ` ${show(a)}`).join('')}${node.kwargs.map((k) => ` ${k.name}=${show(k.value)}`).join('')})`;
    case 'method':
      return `(.${node.name}() ${show(node.object)}${node.args.map((a) => ` ${show(a)}`).join('')})`;
  }
}

function parse(expr: string): string {
  return show(parseExpressionSource(expr).body);
}

function failsAt(expr: string, offset: number, message?: RegExp): void {
  assert.throws(
    () => parseExpressionSource(expr),
    (e: unknown) => e instanceof SyntaxFault && e.offset === offset && (message === undefined || message.test(e.message)),
    `${expr} should fail at ${offset}`,
  );
}

describe('template parser', () => {
  describe('precedence (Jinja’s)', () => {
    const cases: [string, string][] = [
      ['1 + 2 * 3', '(+ 1 (* 2 3))'],
      ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
      ['1 - 2 - 3', '(- (- 1 2) 3)'],
      ['2 ** 3 ** 2', '(** (** 2 3) 2)'],
      ['-2 ** 2', '(** (- 2) 2)'],
      ['a ~ b + c', '(+ (~ a b) c)'],
      ['a + b ~ c', '(+ a (~ b c))'],
      ['a * b ~ c', '(~ (* a b) c)'],
      ['a or b and c', '(or a (and b c))'],
      ['not a == b', '(not (cmp a == b))'],
      ['not not a', '(not (not a))'],
      ['a < b <= c', '(cmp a < b <= c)'],
      ['a not in b', '(cmp a not in b)'],
      ['a in b or c', '(or (cmp a in b) c)'],
      ['a + b | int', '(+ a (|int b))'],
      ['-x | abs', '(|abs (- x))'],
      ['a | join(1, attribute=2) | upper', '(|upper (|join a 1 attribute=2))'],
      ['x is defined and y', '(and (is defined x) y)'],
      ['x is not none', '(isnot none x)'],
      ['x is version("1.0", ">=")', '(is version x "1.0" ">=")'],
      ['x is divisibleby 3', '(is divisibleby x 3)'],
      ['a if b else c if d else e', '(if b a (if d c e))'],
      ['a if b', '(if b a _)'],
      ['a.b[0].c', '(. ([] (. a b) 0) c)'],
      ['a.0.1', '(. (. a 0) 1)'],
      ['a[1:2]', '(: a 1 2 _)'],
      ['a[::-1]', '(: a _ _ (- 1))'],
      ['a[:3]', '(: a _ 3 _)'],
      ['[1, [2], {"k": v}]', '[1 [2] {"k":v}]'],
      ['(1, 2)', '[1 2]'],
      ['()', '[]'],
      ["'a' 'b'", '"ab"'],
      ['True and false or None or null', '(or (or (and true false) null) null)'],
      ['range(3) | list', '(|list (range() 3))'],
      ["x | ansible.builtin.to_json", '(|to_json x)'],
    ];
    for (const [expr, tree] of cases) {
      it(`parses ${expr} as ${tree}`, () => assert.equal(parse(expr), tree));
    }
  });

  describe('syntax errors carry the offset of the problem', () => {
    it('rejects an empty expression', () => failsAt('   ', 3, /empty/));
    it('rejects a dangling operator', () => failsAt('1 +', 3, /end of expression/));
    it('rejects trailing tokens', () => failsAt('a b', 2, /unexpected 'b'/));
    it('rejects an unclosed parenthesis', () => failsAt('(1 + 2', 6, /expected '\)'/));
    it('rejects an unknown filter at its name', () => failsAt('x | nope', 4, /unknown filter 'nope'/));
    it('rejects an unknown test at its name', () => failsAt('x is nope', 5, /unknown test 'nope'/));
    it('rejects an unknown function at its name', () => failsAt('x + foo(1)', 4, /unknown function 'foo'/));
    it('rejects a method that no value has, at its name', () => failsAt('x.append(1)', 2, /unknown method 'append'/));
    it('reads backslashes in {{ }} literally, unless asked for Python escapes (a template file)', () => {
      const literal = (t: ReturnType<typeof parseTemplateSource>): unknown => {
        const part = t.parts[0];
        return part?.type === 'output' && part.expr.type === 'literal' ? part.expr.value : undefined;
      };
      assert.equal(literal(parseTemplateSource("{{ 'a\\nb' }}")), 'a\\nb');
      assert.equal(literal(parseTemplateSource("{{ 'a\\nb' }}", { rawStrings: false })), 'a\nb');
      assert.equal(literal(parseTemplateSource("{{ 'it\\'s' }}")), "it\\'s");
    });
    it('rejects a positional argument after a keyword one', () => failsAt('x | default(a=1, 2)', 17, /positional/));
    it('rejects the same keyword argument twice', () => failsAt('x | replace(old=1, old=2)', 19, /twice/));
    it('rejects a keyword used as a variable', () => failsAt('if', 0, /keyword 'if'/));
    it('rejects a slice with too many colons', () => failsAt('a[1:2:3:4]', 7, /at most/));
    it('rejects an empty subscript', () => failsAt('a[]', 1, /empty subscript/));
  });

  describe('templates', () => {
    it('splits text and {{ }} pieces with their offsets', () => {
      const t = parseTemplateSource('a {{ x }} b');
      assert.deepEqual(
        t.parts.map((p) => [p.type, p.start, p.end]),
        [['text', 0, 2], ['output', 2, 9], ['text', 9, 11]],
      );
    });

    it('trims whitespace around {{- and -}}', () => {
      const t = parseTemplateSource('a  {{- x -}}  b');
      assert.deepEqual(t.parts.map((p) => (p.type === 'text' ? p.value : '*')), ['a', '*', 'b']);
    });

    it('keeps {# as plain text, so shell ${#var} needs no escaping', () => {
      const t = parseTemplateSource('echo ${#x} {{ y }}');
      assert.equal(t.parts[0]?.type === 'text' && t.parts[0].value, 'echo ${#x} ');
    });

    it('refuses an unclosed {% if %} at its tag, naming the missing endif', () => {
      assert.throws(() => parseTemplateSource('ok {% if x %}'), (e: unknown) => e instanceof SyntaxFault && e.offset === 3 && /not closed by '\{% endif %\}'/.test(e.message));
    });

    it('refuses an empty {{ }}', () => {
      assert.throws(() => parseTemplateSource('a {{ }}'), (e: unknown) => e instanceof SyntaxFault && /empty/.test(e.message));
    });

    it('accepts one {{ }} around a bare expression and strips it', () => {
      assert.equal(show(parseExpressionSource('  {{ a and b }} ').body), '(and a b)');
    });

    it('refuses text mixed with {{ }} where a bare expression is expected', () => {
      assert.throws(() => parseExpressionSource('{{ a }} and {{ b }}'), SyntaxFault);
    });
  });

  describe('nesting limits', () => {
    it(`accepts ${MAX_NESTING - 2} nested parentheses`, () => {
      const depth = MAX_NESTING - 2;
      assert.equal(parse(`${'('.repeat(depth)}1${')'.repeat(depth)}`), '1');
    });

    it('refuses 100 nested brackets with a located error, not a stack overflow', () => {
      const expr = `${'['.repeat(100)}${']'.repeat(100)}`;
      assert.throws(() => parseExpressionSource(expr), (e: unknown) => e instanceof SyntaxFault && /nested too deeply/.test(e.message) && e.offset > 0 && e.offset < 100);
    });

    it('refuses a chain of operators taller than the tree limit', () => {
      const expr = Array.from({ length: MAX_DEPTH + 5 }, () => '1').join(' + ');
      assert.throws(() => parseExpressionSource(expr), (e: unknown) => e instanceof SyntaxFault && /nested too deeply/.test(e.message));
    });

    it('refuses 100000 leading nots without overflowing the stack', () => {
      assert.throws(() => parseExpressionSource(`${'not '.repeat(100000)}x`), (e: unknown) => e instanceof SyntaxFault);
    });
  });
});