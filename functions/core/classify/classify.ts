import type { Category, Params } from '../taxonomy.js';
import { maskMessage } from '../fingerprint/mask.js';
import { redactHead } from '../redact-head.js';
import { hashId, signatureAround, signatureIdIn, type SignatureAround } from '../hash.js';
import { boundedMemo } from '../memo.js';
import type { RuleSet } from './compile.js';
import { matchRules, type RuleMatch } from './match.js';
import type { EntryText } from './message.js';
import { SCAN_LIMIT_CHARS, candidatesOf, joinedLine } from './candidates.js';
import { failsAtAnySeverity, severityCounts } from './failure-evidence.js';
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

/** The hashed parts of a rule's signature id, on either side of the workload scope. */
function ruleSignature(m: RuleMatch, tmpl: string): SignatureAround {
  const sig = m.compiled.rule.signature;
  const after: string[] = [];
  for (const key of sig.by) after.push(`${key}=${String(m.params[key] ?? '')}`);
  if (sig.withTemplate) after.push(tmpl);
  return signatureAround(['rule', sig.key, `v${sig.version}`], after);
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
  const message = text.message.slice(0, SCAN_LIMIT_CHARS);
  const joined = [`${message} ${text.fields}`];
  const match = matchRules(rules, joined);
  if (match) return { match, texts: joined };
  // Go's slog and zap put the cause in an error field: `startup failed` + `context deadline
  // exceeded` + `phase=config timeout=5s`. Read after the message alone, so that reading stays.
  const withCause = text.detail === null ? null : joinedLine(message, text.detail);
  if (withCause === null) return null;
  const texts = [`${withCause} ${text.fields}`];
  const cause = matchRules(rules, texts);
  return cause ? { match: cause, texts } : null;
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

function fragmentResult(line: string, kind: FragmentKind): MessageReading {
  return reading('not_startup_related', NO_PARAMS, null, template(line), kind, null, null, false, null);
}

const NO_PARAMS: Params = Object.freeze({});

/** Every reading is made here, so all have one shape (a spread of a shared object made several). */
function reading(
  category: Category,
  params: Params,
  ruleId: string | null,
  tmpl: string,
  fragment: FragmentKind | null,
  signature: SignatureAround | null,
  stackInput: string | null,
  failsAlways: boolean,
  severityText: string | null,
): MessageReading {
  return { category, params, rule_id: ruleId, template: tmpl, fragment, signature, stackInput, failsAlways, severityText };
}

/**
 * What a message reads as before its workload and severity are known: everything but the
 * ids, which hash the workload's scope in, and the failure look, which may weigh severity.
 * One line logged by many services (a probe, a platform's OOM message) is read once.
 */
export interface MessageReading {
  readonly category: Category;
  readonly params: Params;
  readonly rule_id: string | null;
  readonly template: string;
  readonly fragment: FragmentKind | null;
  /** null for traceback fragments, which never become signatures */
  readonly signature: SignatureAround | null;
  /** stackFingerprintInput of the whole trace, when there was one */
  readonly stackInput: string | null;
  /** an unmatched entry with a trace or failure words looks like a failure at any severity */
  readonly failsAlways: boolean;
  /** the unmatched text a failure severity is weighed against (see severityCounts), or null */
  readonly severityText: string | null;
}

/** Reads one message with the rules. Pure and total: any text gets exactly one reading. */
export function readMessage(rules: RuleSet, text: EntryText): MessageReading {
  if (!text.stack && text.message !== null && !text.message.includes('\n')) {
    const kind = fragmentKind(text.message);
    if (kind) return fragmentResult(text.message, kind);
  }
  const candidates = candidatesOf(text);
  const stack = candidates.stack;
  const stackInput = stack ? stackFingerprintInput(stack) : null;
  let texts = candidates.texts;
  let match = matchRules(rules, texts);
  const uncoloured = match ? null : matchUncoloured(rules, texts);
  if (uncoloured) ({ match, texts } = uncoloured);
  const withFields = stack || (match && !fieldsMayAdd(match, text)) ? null : matchWithFields(rules, text);
  if (withFields && (!match || sameSignature(withFields.match, match))) ({ match, texts } = withFields);
  if (match) return matchedResult(match, texts, stack, stackInput);
  const late = !text.stack && text.message !== null && texts.length === 1 ? unmatchedFragmentKind(text.message) : null;
  if (late) return fragmentResult(text.message as string, late);
  const lead = texts[0] ?? '';
  const tmpl = templateOf(lead, stack);
  const failsAlways = failsAtAnySeverity(lead, stack);
  return reading('not_startup_related', NO_PARAMS, null, tmpl, null, signatureAround(['template'], [tmpl]), stackInput, failsAlways, failsAlways ? null : lead);
}

function matchedResult(match: RuleMatch, texts: readonly string[], stack: StackInfo | null, stackInput: string | null): MessageReading {
  const tmpl = templateOf(match.text, stack);
  // A rule split by template that matched a trace's lead line ("Exception in ASGI
  // application") must still tell different exceptions apart: add the final one's template.
  const sigTemplate = match.candidate === 0 || !stack ? tmpl : `${tmpl}\n${traceTemplate(texts[0] ?? '')}`;
  const rule = match.compiled.rule;
  return reading(rule.category, match.params, rule.id, tmpl, null, ruleSignature(match, sigTemplate), stackInput, false, null);
}

/**
 * A reading within one workload at one severity. Signature ids depend only on the rule's
 * signature definition, the workload and the splitting params (or, for unknown entries, the
 * masked template), never on load order. The severity counts only through severityCounts,
 * that is through isFailureSeverity: the memo of repeated lines relies on it (messageOutcome).
 */
export function finishReading(r: MessageReading, scope: string, severity: string | null): MessageClassification {
  return {
    category: r.category,
    params: r.params,
    rule_id: r.rule_id,
    signature_id: r.signature === null ? null : signatureIdIn(r.signature, scope),
    template: r.template,
    fragment: r.fragment,
    stack_id: r.stackInput === null ? null : hashId(['stack', scope, r.stackInput]),
    looks_like_failure: r.failsAlways || (r.severityText !== null && severityCounts(r.severityText, severity)),
  };
}

/** Classifies one message of one workload: its reading, finished. */
export function classifyMessage(rules: RuleSet, text: EntryText, scope: string, severity: string | null = null): MessageClassification {
  return finishReading(readMessage(rules, text), scope, severity);
}
