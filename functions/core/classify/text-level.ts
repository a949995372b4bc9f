/**
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
