/**
 * An evaluator for the part of the Cloud Logging query language the sink filter of deploy.sh
 * uses, so the filter can be checked against real-looking entries: AND, OR, NOT, parentheses,
 * `field=value`, `field=("a" OR "b")`, `field=~"re2"`, `severity>=LEVEL` and `log_id("id")`.
 * As in the Logging query language, NOT binds tightest, then OR, then AND. Anything else is a
 * parse error, so the filter cannot grow syntax this evaluator would misread.
 */

type Token = { kind: 'word' | 'string' | 'op' | 'paren'; text: string };
type Entry = Record<string, unknown>;
type Predicate = (entry: Entry) => boolean;

const SEVERITY = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  // a field path may quote a key that is no identifier: jsonPayload."@m"
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(>=|<=|=~|!~|!=|=|:|>|<)|([()])|([A-Za-z_]\w*(?:\.(?:[A-Za-z_]\w*|"[^"\\]*"))*))/y;
  while (re.lastIndex < filter.trimEnd().length) {
    const m = re.exec(filter);
    if (!m) throw new Error(`cannot read the filter at: ${filter.slice(re.lastIndex, re.lastIndex + 30)}`);
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) tokens.push({ kind: 'op', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'paren', text: m[3] });
    else tokens.push({ kind: 'word', text: m[4] ?? '' });
  }
  return tokens;
}

/** The keys of a field path: `a.b."c.d"` is a, b and c.d. */
function pathKeys(path: string): string[] {
  return [...path.matchAll(/"([^"]*)"|([^.]+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

function field(entry: Entry, path: string): unknown {
  return pathKeys(path).reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Entry)[key] : undefined), entry);
}

/** RE2 with a leading (?i) as a JavaScript RegExp; search semantics, like `=~`. */
function re2(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  return new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? 'i' : '');
}

function compare(path: string, op: string, values: string[]): Predicate {
  if (path === 'severity') {
    const level = SEVERITY.indexOf(values[0] ?? '');
    if (values.length !== 1 || level === -1 || !['>=', '='].includes(op)) throw new Error(`unsupported severity test ${op} ${values.join()}`);
    return (e) => {
      const have = SEVERITY.indexOf(typeof e.severity === 'string' ? e.severity : 'DEFAULT');
      return op === '=' ? have === level : have >= level;
    };
  }
  if (op === '=') return (e) => values.includes(String(field(e, path) ?? '\0missing'));
  if (op === '=~') {
    const patterns = values.map(re2);
    return (e) => {
      const v = field(e, path);
      return typeof v === 'string' && patterns.some((p) => p.test(v));
    };
  }
  throw new Error(`unsupported operator ${op}`);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const p = this.and();
    if (this.i !== this.tokens.length) throw new Error(`unexpected ${this.peek()?.text}`);
    return p;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new Error('the filter ends too early');
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new Error(`expected ${text}, got ${t.text}`);
  }

  private and(): Predicate {
    const parts = [this.or()];
    while (this.peek()?.text === 'AND') {
      this.i++;
      parts.push(this.or());
    }
    return (e) => parts.every((p) => p(e));
  }

  private or(): Predicate {
    const parts = [this.unary()];
    while (this.peek()?.text === 'OR') {
      this.i++;
      parts.push(this.unary());
    }
    return (e) => parts.some((p) => p(e));
  }

  private unary(): Predicate {
    if (this.peek()?.text === 'NOT') {
      this.i++;
      const inner = this.unary();
      return (e) => !inner(e);
    }
    if (this.peek()?.text === '(') {
      this.i++;
      const inner = this.and();
      this.expect(')');
      return inner;
    }
    const name = this.next();
    if (name.kind !== 'word') throw new Error(`expected a field, got ${name.text}`);
    if (name.text === 'log_id') {
      this.expect('(');
      const id = this.next().text;
      this.expect(')');
      return (e) => typeof e.logName === 'string' && e.logName.endsWith(`/logs/${encodeURIComponent(id)}`);
    }
    const op = this.next();
    if (op.kind !== 'op') throw new Error(`expected an operator after ${name.text}`);
    return compare(name.text, op.text, this.values());
  }

  /** `"a"`, a bare word, or `("a" OR "b")`. */
  private values(): string[] {
    if (this.peek()?.text !== '(') return [this.next().text];
    this.i++;
    const values = [this.next().text];
    while (this.peek()?.text === 'OR') {
      this.i++;
      values.push(this.next().text);
    }
    this.expect(')');
    return values;
  }
}

export function compileFilter(filter: string): Predicate {
  return new Parser(tokenize(filter)).parse();
}
