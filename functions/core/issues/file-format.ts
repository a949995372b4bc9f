import { parseDocument } from 'yaml';

/**
 * A registry file's text to a value for the zod schema: YAML for `.yaml`/`.yml` names, JSON
 * otherwise (stdin, `.json`, anything else). Pure: no I/O.
 */
export type ParsedText = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Aliases a registry needs are few (a shared `match` list); a "billion laughs" file needs
 * thousands. Over the limit the file is refused instead of expanded.
 */
export const MAX_YAML_ALIASES = 50;

export const isYamlName = (name: string): boolean => /\.ya?ml$/i.test(name);

export function parseRegistryText(text: string, name = ''): ParsedText {
  return isYamlName(name) ? parseYaml(text) : parseJson(text);
}

function parseJson(text: string): ParsedText {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
}

/**
 * YAML 1.2 core schema: timestamps stay strings (the schema checks them), no `<<` merge keys,
 * and a key given twice is an error rather than the last one silently winning.
 */
function parseYaml(text: string): ParsedText {
  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true, strict: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    // prettyErrors appends the position and a source excerpt to the message: one line is kept
    const message = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, error: `not YAML: ${message}${at ? ` (line ${at.line}, column ${at.col})` : ''}` };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown };
  } catch (err) {
    return { ok: false, error: `not YAML: ${(err as Error).message}` };
  }
}
