/**
 * structlog's `dict_tracebacks` processor logs an exception as a list of stacks instead of
 * text: `[{exc_type, exc_value, is_cause, frames: [{filename, lineno, name}]}, ...]`, the
 * raised exception first, then its cause or context. Printed back in the layout of a Python
 * traceback (causes first), it is read like any other. Not byte for byte what Python prints:
 * `exc_type` is the class's short name (`InvalidPasswordError`, where Python prints the
 * module too), and structlog's placeholder for frames it cut (no file, line -1) is left out
 * so that the number it cut does not change the stack's id.
 */

const CAUSE = 'The above exception was the direct cause of the following exception:';
const CONTEXT = 'During handling of the above exception, another exception occurred:';
/** a trace longer than this is cut: the parser only reads a bounded head and tail anyway */
const MAX_STACKS = 16;
const MAX_FRAMES = 200;

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function frameLine(frame: unknown): string | null {
  if (!isRecord(frame) || typeof frame.filename !== 'string' || frame.filename === '') return null;
  if (typeof frame.lineno === 'number' && frame.lineno < 0) return null;
  const line = typeof frame.lineno === 'number' ? frame.lineno : 0;
  const name = typeof frame.name === 'string' ? `, in ${frame.name}` : '';
  return `  File "${frame.filename}", line ${line}${name}`;
}

function stackText(stack: Json): string {
  const frames = Array.isArray(stack.frames) ? stack.frames.slice(0, MAX_FRAMES) : [];
  const value = typeof stack.exc_value === 'string' && stack.exc_value !== '' ? `: ${stack.exc_value}` : '';
  const lines = frames.map(frameLine).filter((l): l is string => l !== null);
  return ['Traceback (most recent call last):', ...lines, `${String(stack.exc_type)}${value}`].join('\n');
}

/** The Python traceback text of a `dict_tracebacks` list, or null when `value` is not one. */
export function structlogTraceback(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const stacks = value.slice(0, MAX_STACKS);
  if (!stacks.every((s) => isRecord(s) && typeof s.exc_type === 'string')) return null;
  const parts: string[] = [];
  for (let i = stacks.length - 1; i >= 0; i--) {
    const stack = stacks[i] as Json;
    if (parts.length > 0) parts.push('', (stacks[i + 1] as Json).is_cause === true ? CAUSE : CONTEXT, '');
    parts.push(stackText(stack));
  }
  return parts.join('\n');
}
