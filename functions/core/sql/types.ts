/**
 * The BigQuery types a saved query's header declares for its params and output columns:
 * `STRING`, `ARRAY<STRING>`, `ARRAY<STRUCT<param STRING, min_value FLOAT64>>`. The analyzer
 * test checks the declarations against the types BigQuery would give the columns.
 */
export const SCALAR_TYPES = ['STRING', 'INT64', 'FLOAT64', 'NUMERIC', 'BOOL', 'TIMESTAMP', 'DATE', 'DATETIME', 'JSON', 'BYTES'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

export type SqlType =
  | { kind: 'scalar'; name: ScalarType }
  | { kind: 'array'; element: SqlType }
  | { kind: 'struct'; fields: { name: string; type: SqlType }[] };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Schema-file names (bq's legacy spellings) to Standard SQL names. */
const ALIASES: Record<string, ScalarType> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL' };

export function scalar(name: string): SqlType | null {
  const upper = name.toUpperCase();
  const canonical = ALIASES[upper] ?? upper;
  return (SCALAR_TYPES as readonly string[]).includes(canonical) ? { kind: 'scalar', name: canonical as ScalarType } : null;
}

export function formatType(t: SqlType): string {
  if (t.kind === 'scalar') return t.name;
  if (t.kind === 'array') return `ARRAY<${formatType(t.element)}>`;
  return `STRUCT<${t.fields.map((f) => `${f.name} ${formatType(f.type)}`).join(', ')}>`;
}

/** A recursive-descent reader over one type expression. */
class TypeReader {
  private i = 0;
  constructor(private readonly s: string) {}

  read(): SqlType {
    const t = this.type();
    this.space();
    if (this.i !== this.s.length) throw new Error(`unexpected "${this.s.slice(this.i)}"`);
    return t;
  }

  private space(): void {
    while (this.s[this.i] === ' ') this.i += 1;
  }

  private word(): string {
    this.space();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`expected a name at "${this.s.slice(this.i)}"`);
    this.i += m[0].length;
    return m[0];
  }

  private expect(c: string): void {
    this.space();
    if (this.s[this.i] !== c) throw new Error(`expected "${c}" at "${this.s.slice(this.i)}"`);
    this.i += 1;
  }

  private type(): SqlType {
    const name = this.word().toUpperCase();
    if (name === 'ARRAY') {
      this.expect('<');
      const element = this.type();
      this.expect('>');
      return { kind: 'array', element };
    }
    if (name === 'STRUCT') {
      this.expect('<');
      const fields: { name: string; type: SqlType }[] = [];
      do {
        if (fields.length > 0) this.i += 1;
        fields.push({ name: this.word(), type: this.type() });
        this.space();
      } while (this.s[this.i] === ',');
      this.expect('>');
      return { kind: 'struct', fields };
    }
    const t = scalar(name);
    if (!t) throw new Error(`unknown type ${name}`);
    return t;
  }
}

export function parseType(text: string): Parsed<SqlType> {
  try {
    return { ok: true, value: new TypeReader(text.trim()).read() };
  } catch (err) {
    return { ok: false, error: `type "${text}": ${(err as Error).message}` };
  }
}

/**
 * Where a type expression ends at the start of `text`: the first blank outside `<...>`.
 * `ARRAY<STRUCT<a STRING>> rest` -> the length of `ARRAY<STRUCT<a STRING>>`.
 */
export function typeLength(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') depth += 1;
    else if (c === '>') depth -= 1;
    else if (c === ' ' && depth === 0) return i;
  }
  return text.length;
}
