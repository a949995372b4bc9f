import type { Category, Params } from '../taxonomy.js';
import { maskMessage } from '../fingerprint/mask.js';
import { redactHead } from '../redact-head.js';
import { hashId, signatureHashId } from '../hash.js';
import { boundedMemo } from '../memo.js';
import type { RuleSet } from './compile.js';
import { matchRules, type RuleMatch } from './match.js';
import type { EntryText } from './message.js';
import { SCAN_LIMIT_CHARS, candidatesOf } from './candidates.js';
import { looksLikeFailure } from './failure-evidence.js';
import { fragmentKind, stackFingerprintInput, unmatchedFragmentKind, type FragmentKind, type StackInfo } from './stack.js';

/** Templates (and the unknown-entry signatures made from them) use at most this much. */
const TEMPLATE_LIMIT_CHARS = 1024;

export interface MessageClassification {
  category: Category;
  params: Params;
  rule_id: string | null;
  /** null only for traceback fragments, which never become signatures */
  signature_id: string | null;
  /** the redacted, masked text the signature was made from */
  template: string;
  fragment: FragmentKind | null;
  /** exception type plus normalised frames, when a whole stack trace was present */
  stack_id: string | null;
  /** an unmatched entry that looks like a failure: a candidate for new-signature alerts */
  looks_like_failure: boolean;
}

function template(text: string): string {
  return maskMessage(redactHead(text, TEMPLATE_LIMIT_CHARS));
}

/** Exception lines this long or shorter have their templates remembered (see traceTemplate). */
const TRACE_LINE_MEMO_CHARS = 512;
const rememberedTemplate = boundedMemo(template, 1024);

/**
 * The template of a line read from a stack trace. Every crash of one bug ends in the same
 * exception line while its frames' line numbers and depth differ, so the trace as a whole is
 * new each time but its line's template is not: remembered here, where a unique one-line
 * message's would only fill the memo.
 */
function traceTemplate(text: string): string {
  return text.length <= TRACE_LINE_MEMO_CHARS ? rememberedTemplate(text) : template(text);
}

/** The template of a candidate text, remembered when the text was read from a stack trace. */
function templateOf(text: string, stack: StackInfo | null): string {
  return stack ? traceTemplate(text) : template(text);
}

function ruleSignature(m: RuleMatch, scope: string, tmpl: string): string {
  const sig = m.compiled.rule.signature;
  const parts = ['rule', sig.key, `v${sig.version}`, scope];
  for (const key of sig.by) parts.push(`${key}=${String(m.params[key] ?? '')}`);
  if (sig.withTemplate) parts.push(tmpl);
  return signatureHashId(parts);
}

const ESC_CSI = '\u001b[';
// ESC [ parameters final-byte: the colours and styles of a logger writing for a terminal
// eslint-disable-next-line no-control-regex -- the escape character is what this looks for
const ANSI_CSI = /\u001b\[[0-9;?]{0,32}[A-Za-z]/g;

/**
 * A line coloured for a terminal (uvicorn or Nest with FORCE_COLOR or a TTY) read as it
 * would be uncoloured. Only tried when the text as written matched no rule, so every signature
 * made before stays what it was; an entry that still matches nothing keeps its own template.
 */
function matchUncoloured(rules: RuleSet, texts: string[]): { match: RuleMatch; texts: string[] } | null {
  if (!texts.some((t) => t.includes(ESC_CSI))) return null;
  const plain = texts.map((t) => t.replace(ANSI_CSI, ''));
  const match = matchRules(rules, plain);
  return match ? { match, texts: plain } : null;
}

/**
 * A structured entry read with its fields (`startup phase exceeded deadline phase=3
 * deadline=45s`). Tried when its message matched no rule, or when fieldsMayAdd; a message's
 * match gives way only to one of the same signature, so every id made before stays.
 */
function matchWithFields(rules: RuleSet, text: EntryText): { match: RuleMatch; texts: string[] } | null {
  if (!text.fields || text.message === null) return null;
  const joined = [`${text.message.slice(0, SCAN_LIMIT_CHARS)} ${text.fields}`];
  const match = matchRules(rules, joined);
  return match ? { match, texts: joined } : null;
}

/**
 * Whether the fields could give a matched message a param its rule left out: a bare
 * `server listening` beside `"addr": ":8080"`. Asked before matching again, which would cost
 * every structured entry whose rule already found everything.
 */
function fieldsMayAdd(match: RuleMatch, text: EntryText): boolean {
  const fields = text.fields;
  if (!fields) return false;
  return (match.params.port === undefined && (fields.includes('addr=') || fields.includes('port='))) || (match.params.timeout_s === undefined && (fields.includes('timeout=') || fields.includes('deadline=')));
}

/** A reading with fields may only add params: the same signature, so the same id. */
function sameSignature(a: RuleMatch, b: RuleMatch): boolean {
  const sa = a.compiled.rule.signature;
  const sb = b.compiled.rule.signature;
  if (sa.key !== sb.key || sa.version !== sb.version || sa.withTemplate || sb.withTemplate) return false;
  return sa.by.every((k) => String(a.params[k] ?? '') === String(b.params[k] ?? ''));
}

function fragmentResult(line: string, kind: FragmentKind): MessageClassification {
  return {
    category: 'not_startup_related',
    params: {},
    rule_id: null,
    signature_id: null,
    template: template(line),
    fragment: kind,
    stack_id: null,
    looks_like_failure: false,
  };
}

/**
 * Classifies one message of one workload. Pure and total: any text gets exactly one result.
 * Signature ids depend only on the rule's signature definition, the workload and the
 * splitting params (or, for unknown entries, the masked template), never on load order.
 */
export function classifyMessage(
  rules: RuleSet,
  text: EntryText,
  scope: string,
  severity: string | null = null,
): MessageClassification {
  if (!text.stack && text.message !== null && !text.message.includes('\n')) {
    const kind = fragmentKind(text.message);
    if (kind) return fragmentResult(text.message, kind);
  }
  const candidates = candidatesOf(text);
  const stack = candidates.stack;
  const stackId = stack ? hashId(['stack', scope, stackFingerprintInput(stack)]) : null;
  let texts = candidates.texts;
  let match = matchRules(rules, texts);
  const uncoloured = match ? null : matchUncoloured(rules, texts);
  if (uncoloured) ({ match, texts } = uncoloured);
  const withFields = stack || (match && !fieldsMayAdd(match, text)) ? null : matchWithFields(rules, text);
  if (withFields && (!match || sameSignature(withFields.match, match))) ({ match, texts } = withFields);
  if (match) return matchedResult(match, texts, stack, scope, stackId);
  const late = !text.stack && text.message !== null && texts.length === 1 ? unmatchedFragmentKind(text.message) : null;
  if (late) return fragmentResult(text.message as string, late);
  const tmpl = templateOf(texts[0] ?? '', stack);
  return {
    category: 'not_startup_related',
    params: {},
    rule_id: null,
    signature_id: signatureHashId(['template', scope, tmpl]),
    template: tmpl,
    fragment: null,
    stack_id: stackId,
    looks_like_failure: looksLikeFailure(texts[0] ?? '', severity, stack),
  };
}

function matchedResult(match: RuleMatch, texts: readonly string[], stack: StackInfo | null, scope: string, stackId: string | null): MessageClassification {
  const tmpl = templateOf(match.text, stack);
  // A rule split by template that matched a trace's lead line ("Exception in ASGI
  // application") must still tell different exceptions apart: add the final one's template.
  const sigTemplate = match.candidate === 0 || !stack ? tmpl : `${tmpl}\n${traceTemplate(texts[0] ?? '')}`;
  return {
    category: match.compiled.rule.category,
    params: match.params,
    rule_id: match.compiled.rule.id,
    signature_id: ruleSignature(match, scope, sigTemplate),
    template: tmpl,
    fragment: null,
    stack_id: stackId,
    looks_like_failure: false,
  };
}
