import { parseType, typeLength, type SqlType } from './types.js';

/**
 * The header comment every file under sql/ starts with: what it answers, its params and its
 * output columns. `faultline query --list` prints the summary, `--help`-like output and
 * sql/README.md the rest; the test suite checks the declarations against the analyzer.
 *
 *   -- One-line summary (first paragraph).
 *   --
 *   -- Longer explanation (further paragraphs).
 *   --
 *   -- @param since TIMESTAMP start of the window
 *   -- @param service STRING = NULL only this workload; NULL for all
 *   -- @column signature_id STRING the signature
 *   -- @column * every column of failure_events      (a view that keeps a table's columns)
 */
export type ParamDefault = string | number | boolean | null;

export interface ParamDecl {
  name: string;
  type: SqlType;
  /** absent: the param is required */
  default?: ParamDefault;
  description: string;
}

export interface ColumnDecl {
  name: string;
  type: SqlType;
  description: string;
}

export interface Header {
  summary: string;
  description: string;
  params: ParamDecl[];
  columns: ColumnDecl[];
  /** `@column *`: the columns of the one table the file reads, unchanged */
  allColumns: string | null;
}

export type HeaderResult = { ok: true; header: Header } | { ok: false; error: string };

/** The leading `--` comment lines, without their `--`, and the SQL after them. */
export function splitHeader(text: string): { lines: string[]; body: string } {
  const all = text.split('\n');
  let n = 0;
  while (n < all.length && /^\s*--/.test(all[n] as string)) n += 1;
  const lines = all.slice(0, n).map((l) => l.replace(/^\s*--\s?/, '').trimEnd());
  return { lines, body: all.slice(n).join('\n') };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseDefault(token: string): ParamDefault | undefined {
  if (/^null$/i.test(token)) return null;
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(token)) return Number(token);
  const quoted = /^'([^']*)'$/.exec(token);
  return quoted ? (quoted[1] as string) : undefined;
}

/** `name TYPE rest` -> its parts; the type may hold blanks inside `<...>`. */
function nameTypeRest(text: string): { name: string; typeText: string; rest: string } {
  const space = text.indexOf(' ');
  const name = space < 0 ? text : text.slice(0, space);
  const after = space < 0 ? '' : text.slice(space + 1).trimStart();
  const len = typeLength(after);
  return { name, typeText: after.slice(0, len), rest: after.slice(len).trim() };
}

function parseParam(text: string): ParamDecl | string {
  const { name, typeText, rest } = nameTypeRest(text);
  if (!NAME.test(name)) return `@param: bad name "${name}"`;
  const type = parseType(typeText);
  if (!type.ok) return `@param ${name}: ${type.error}`;
  const decl: ParamDecl = { name, type: type.value, description: rest };
  const dflt = /^=\s*(\S+)\s*(.*)$/.exec(rest);
  if (dflt) {
    const value = parseDefault(dflt[1] as string);
    if (value === undefined) return `@param ${name}: bad default "${dflt[1]}" (NULL, a number, true/false or 'text')`;
    decl.default = value;
    decl.description = dflt[2] as string;
  }
  return decl.description ? decl : `@param ${name}: no description`;
}

function parseColumn(text: string): ColumnDecl | string {
  const { name, typeText, rest } = nameTypeRest(text);
  if (!NAME.test(name)) return `@column: bad name "${name}"`;
  const type = parseType(typeText);
  if (!type.ok) return `@column ${name}: ${type.error}`;
  return rest ? { name, type: type.value, description: rest } : `@column ${name}: no description`;
}

/** Paragraphs of free text before the first tag: the summary, then the description. */
function prose(lines: string[]): { summary: string; description: string } {
  const paragraphs: string[][] = [[]];
  for (const line of lines) {
    if (line.trim() === '') paragraphs.push([]);
    else (paragraphs[paragraphs.length - 1] as string[]).push(line.trim());
  }
  const texts = paragraphs.filter((p) => p.length > 0).map((p) => p.join(' '));
  return { summary: texts[0] ?? '', description: texts.slice(1).join('\n\n') };
}

export function parseHeader(text: string): HeaderResult {
  const { lines } = splitHeader(text);
  const firstTag = lines.findIndex((l) => l.startsWith('@'));
  const { summary, description } = prose(firstTag < 0 ? lines : lines.slice(0, firstTag));
  if (!summary) return { ok: false, error: 'no header comment: the file must start with "-- <what it answers>"' };
  const header: Header = { summary, description, params: [], columns: [], allColumns: null };
  for (const line of firstTag < 0 ? [] : lines.slice(firstTag)) {
    const tag = /^@(\w+)\s+(.*)$/.exec(line);
    if (!tag) {
      if (line.trim() !== '') return { ok: false, error: `header line "${line}" after the tags: tags come last` };
      continue;
    }
    const [, kind, rest] = tag as unknown as [string, string, string];
    if (kind === 'column' && rest.startsWith('* ')) {
      header.allColumns = rest.slice(2).trim();
      continue;
    }
    const decl = kind === 'param' ? parseParam(rest) : kind === 'column' ? parseColumn(rest) : `unknown tag @${kind}`;
    if (typeof decl === 'string') return { ok: false, error: decl };
    if (kind === 'param') header.params.push(decl as ParamDecl);
    else header.columns.push(decl as ColumnDecl);
  }
  return { ok: true, header };
}
