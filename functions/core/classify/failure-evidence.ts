import type { StackInfo } from './stack.js';

/**
 * Whether an entry no rule knows looks like a failure, which makes it a candidate for a
 * new-signature alert (taxonomy: "Unknown failures"): a stack trace, failure words, or a failure
 * severity that its own text does not outweigh.
 *
 * The level a log line declares in its own text, where a logger wrote one near its start:
 * uvicorn's `INFO:     …`, the logging module's `WARNING:app:…`, gunicorn's `[…] [1] [INFO] …`,
 * celery's `[…: INFO/MainProcess] …`, Spring's `<time>  INFO 1 --- […]`, logfmt's `level=info`
 * and klog's `I1129 12:00:04.456789`. Cloud Run and GKE store a whole stderr stream at ERROR,
 * so for such a line the text knows its level better than the entry's severity does.
 */
export type DeclaredLevel = 'error' | 'below_error';

/** A level is read only this near the start: a prefix, not a word in the message. */
const HEAD_CHARS = 96;

const LEVEL_WORD = /(?:^|[\s[:|])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|CRITICAL|FATAL|PANIC|ALERT|EMERGENCY)(?=[\]:/|\s]|$)/;
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=["']?(trace|debug|info|notice|warn|warning|error|err|critical|crit|fatal|panic)\b/i;
const KLOG_HEAD = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d{6}\s/;

const BELOW_ERROR = new Set(['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'I', 'W']);

/** The first level the line's head declares, or null when it declares none. */
export function declaredLevel(text: string): DeclaredLevel | null {
  const head = text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text;
  const klog = KLOG_HEAD.exec(head);
  if (klog) return levelOf(klog[1] as string);
  // whichever comes first is the logger's prefix; a later one is part of the message
  const logfmt = LOGFMT_LEVEL.exec(head);
  const word = LEVEL_WORD.exec(head);
  if (logfmt && (!word || logfmt.index < word.index)) return levelOf((logfmt[1] as string).toUpperCase());
  return word ? levelOf(word[1] as string) : null;
}

function levelOf(name: string): DeclaredLevel {
  return BELOW_ERROR.has(name) ? 'below_error' : 'error';
}

// What a line reports trouble with, at whatever level its logger chose: supervisord's `INFO
// exited: web (terminated by SIGKILL; not expected)`, celery's `WARNING/MainProcess] consumer:
// Connection to broker lost`, Kafka's `WARN ... could not be established`, a wrapped
// `INFO - CRITICAL: ...`, a 5xx status, a CamelCase exception type.
const TROUBLE_WORDS =
  /sig(?:kill|term|segv|abrt)|signal \d|killed|\boom|died|\blost\b|broken|could ?n[o']t|unable to|cannot|can't|refused|unavailable|bad gateway|timed? ?out|time limit|deadline|exceeded|exhausted|giving up|disk full|not expected|unexpected(?:ly)? (?:exit|terminat|stop)|\b5\d\d\b|critical|severe|alert|emerg/i;
const EXCEPTION_TYPE = /[a-z](?:Error|Exception|Fault)\b/;

/**
 * Whether the entry's ERROR severity is outweighed by its own text: the line's prefix declares
 * a level below ERROR and the line names no trouble. Cloud Run and GKE store a whole stderr
 * stream at ERROR, so uvicorn's `INFO:     Started server process [1]` arrives as an error.
 */
export function severityOverruled(text: string): boolean {
  return declaredLevel(text) === 'below_error' && !TROUBLE_WORDS.test(text) && !EXCEPTION_TYPE.test(text);
}

const FAILURE_SEVERITIES = new Set(['ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY']);
// Failure words, then how a process that never got to log anything dies (the shell, the
// kernel, the exec of the entrypoint); `m` so that "Killed" is a whole line of the text.
const FAILURE_WORDS =
  /\b(?:error|exception|fatal|panic|failed|failure|traceback|exit(?:ed)? (?:with )?(?:code|status) [1-9])|no such file or directory|can't open file|executable file not found|exec format error|segmentation fault|: not found$|^killed$/im;

// Failure words that report none: `0 errors`, `no failures`, `errors=0`, `error reporting
// disabled`, `failure rate 0.0%`.
const NO_FAILURE = /\b(?:0|no|zero|without) (?:errors?|failures?|exceptions?)\b|\b(?:errors?|failures?)[=:] ?0(?![\d.])|\b(?:error|failure)[ _-](?:reporting|rate|budget|tracking)\b/gi;

function namesFailure(text: string): boolean {
  return FAILURE_WORDS.test(text) && FAILURE_WORDS.test(text.replace(NO_FAILURE, ' '));
}

/** A trace or failure words make an entry no rule knows look like a failure whatever its severity. */
export function failsAtAnySeverity(text: string, stack: StackInfo | null): boolean {
  return stack !== null || namesFailure(text);
}

/**
 * Whether the entry's severity makes it look like a failure: a failure severity counts unless
 * the text outweighs it (severityOverruled), since the platforms store a whole stderr stream
 * at ERROR, uvicorn's and gunicorn's INFO lines included.
 */
export function severityCounts(text: string, severity: string | null): boolean {
  return isFailureSeverity(severity) && !severityOverruled(text);
}

/** All that severityCounts asks of a severity: what it says of one text, it says of every severity alike here. */
export function isFailureSeverity(severity: string | null): boolean {
  return severity !== null && FAILURE_SEVERITIES.has(severity);
}
