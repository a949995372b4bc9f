import { Dialect, transpile } from '@polyglot-sql/sdk';
import type { SqlFile } from '../../core/sql/library.js';
import { codeOnly, renderDataset, replaceParams, scan } from '../../core/sql/scan.js';

/**
 * BigQuery SQL of the library to DuckDB SQL, through Polyglot (a Rust/WASM port of
 * SQLGlot). Tables and views are read unqualified (DuckDB's search path finds the temp
 * views first, then the tables), and `@name` params become DuckDB's `$name`.
 */
export type Transpiled = { ok: true; sql: string } | { ok: false; error: string };

/**
 * BigQuery constructs Polyglot 0.12 translates into DuckDB SQL that runs but means something
 * else; a file that needs one keeps a NAME.duckdb.sql override instead (tested to give the
 * same rows). Found by testing, see test/sql/transpile.test.ts.
 */
export const MISTRANSLATED: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\bREGEXP_CONTAINS\s*\(/i, why: 'REGEXP_CONTAINS becomes REGEXP_FULL_MATCH (a partial match turns into a full match)' },
  { pattern: /\bJSON_VALUE\s*\(/i, why: "JSON_VALUE becomes the -> operator, which returns JSON ('\"text\"'), not a string; use JSON_EXTRACT_SCALAR" },
  { pattern: /\b(DATE|DATETIME|TIMESTAMP)_TRUNC\s*\([^)]*\b(WEEK|ISOWEEK|ISOYEAR)\b/i, why: "weeks: BigQuery's WEEK starts on Sunday, DuckDB's on Monday, and WEEK(<day>) becomes the string 'WEEK(MONDAY)'" },
  { pattern: /\bEXTRACT\s*\(\s*(DAYOFWEEK|WEEK)\b/i, why: 'EXTRACT(DAYOFWEEK) is 1-7 from Sunday in BigQuery, 0-6 in DuckDB; EXTRACT(WEEK) is Sunday-based in BigQuery, ISO in DuckDB' },
  { pattern: /\bTIMESTAMP_DIFF\s*\([^)]*,\s*(SECOND|MINUTE|HOUR|DAY)\s*\)/i, why: 'TIMESTAMP_DIFF truncates elapsed time, DuckDB date_diff counts unit boundaries crossed; diff in MICROSECOND and divide' },
  { pattern: /\bSAFE\.\w+\s*\(/i, why: 'the SAFE. prefix is kept as it is, and DuckDB has no such function' },
  { pattern: /\bCONCAT\s*\(/i, why: "CONCAT stays CONCAT, which skips NULLs in DuckDB where BigQuery returns NULL; use || (NULL in both)" },
];

/**
 * Format elements DuckDB's strftime lacks (Polyglot passes format strings through as they
 * are): %F, %T, %D, %R, %E..., %Q, %G, %V, %u, %C, %e, %k, %l, %P, %s, %t, %h, %n.
 */
const FORMAT_CALL = /\b(FORMAT|PARSE)_(TIMESTAMP|DATETIME|DATE|TIME)\s*\(\s*r?'([^']*)'/gi;
const FOREIGN_ELEMENT = /%[FTDREQGVuCeklPsthnN]/;

/** Why the file's SQL cannot go through the transpiler unchanged, if it cannot. */
export function mistranslations(sql: string): string[] {
  const code = codeOnly(sql);
  const found = MISTRANSLATED.filter((m) => m.pattern.test(code)).map((m) => m.why);
  const withStrings = codeAndStrings(sql);
  for (const m of withStrings.matchAll(FORMAT_CALL)) {
    if (FOREIGN_ELEMENT.test(m[3] as string)) found.push(`format '${m[3]}' has elements DuckDB's strftime lacks; spell them out (%Y-%m-%d %H:%M:%S)`);
  }
  return found;
}

/** The SQL without its comments (string literals kept): format strings are in literals. */
function codeAndStrings(sql: string): string {
  return scan(sql)
    .map((s) => (s.kind === 'comment' ? ' ' : s.text))
    .join('');
}

// An identifier no SQL of ours contains: it survives the transpiler unchanged.
const SENTINEL = '__faultline_param_';

/** DuckDB SQL of one file (its override when it has one), for `faultline query` and the views. */
export function toDuckDb(file: SqlFile): Transpiled {
  if (file.duckdbOverride !== null) return { ok: true, sql: toDuckDbParams(renderDataset(file.duckdbOverride, null)) };
  return transpileBigQuery(file.text);
}

/** `@name` -> `($name)`: parenthesised, so `INTERVAL @days DAY` and `LIMIT @top` stay valid. */
function toDuckDbParams(sql: string): string {
  return replaceParams(sql, (name) => `($${name})`);
}

export function transpileBigQuery(bigquerySql: string): Transpiled {
  const problems = mistranslations(bigquerySql);
  if (problems.length > 0) return { ok: false, error: `not translatable to DuckDB as written: ${problems.join('; ')}` };
  // Polyglot reads `@name` as a column called "@name" and writes DuckDB's ABS(name).
  const plain = replaceParams(renderDataset(bigquerySql, null), (name) => `${SENTINEL}${name}`);
  const result = transpile(plain, Dialect.BigQuery, Dialect.DuckDB, { unsupportedLevel: 'raise' });
  if (!result.success || !result.sql || result.sql.length === 0) return { ok: false, error: `transpiler: ${result.error ?? 'no output'}` };
  if (result.sql.length !== 1) return { ok: false, error: `transpiler: expected one statement, got ${result.sql.length}` };
  const sql = (result.sql[0] as string).replace(new RegExp(`${SENTINEL}([A-Za-z0-9_]+)`, 'g'), (_m, name: string) => `($${name})`);
  return { ok: true, sql };
}
