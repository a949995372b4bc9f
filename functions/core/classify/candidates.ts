import type { EntryText } from './message.js';
import { parseStack, type ExceptionLine, type StackInfo } from './stack.js';

/** Rules see at most this much of a message: huge entries cost no more than large ones. */
export const SCAN_LIMIT_CHARS = 8 * 1024;
/** Stack traces are parsed from at most this much text. */
export const STACK_LIMIT_CHARS = 32 * 1024;

/** The texts rules are tried on, most authoritative first (ties go to the earlier one). */
export interface Candidates {
  texts: string[];
  stack: StackInfo | null;
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/** The exception line with the lines that continue its message (pydantic's field list, libpq's host line). */
function exceptionText(e: ExceptionLine): string {
  const nl = e.message.indexOf('\n');
  return nl === -1 ? e.text : `${e.text}${e.message.slice(nl)}`;
}

// Structural prefixes that a trace printer puts before an exception line. When a platform
// splits the trace into one entry per line they stay on the line; the parsed trace drops
// them: dropping them here too keeps both forms on one template and signature.
const EXCEPTION_PREFIX = /^(?:\s*Caused by: |Exception in thread "[^"\n]*" |Uncaught (?=[\w$.]*(?:Error|Exception)\b)|\s*\[cause\]: )/;

export function stripExceptionPrefix(line: string): string {
  return line.replace(EXCEPTION_PREFIX, '');
}

/**
 * A bare exception (`TimeoutError`, `CancelledError`) says nothing by itself; where it was
 * raised does (asyncpg's connect, a pool's acquire). Rules can match this form, which
 * reads `TimeoutError [in asyncpg.connection:connect < asyncpg.pool:_get_new_connection ...]`.
 */
function whereRaised(stack: StackInfo): string | null {
  const final = stack.exceptions[0];
  if (!final || final.message.trim() !== '' || stack.frames.length === 0) return null;
  const innermostFirst = stack.frames.slice(-8).reverse();
  return `${final.text} [in ${innermostFirst.join(' < ')}]`;
}

// asyncio.wait_for (and asyncio.timeout) turn the cancellation of the awaited task into a
// TimeoutError raised in their own frame: where the wait really was is in the cause's frames.
const ASYNCIO_WAIT = /^asyncio\.(?:tasks:wait_for|timeouts:__aexit__)$/;

/**
 * The where-raised reading of a bare TimeoutError that asyncio raised from a bare
 * CancelledError: `TimeoutError [in asyncpg.connect_utils:_create_ssl_connection < ...]`, the
 * cancelled task's innermost frames (Python 3.11+ chains them with "The above exception...").
 */
function whereCancelled(stack: StackInfo): string | null {
  const final = stack.exceptions[0];
  const cause = stack.exceptions[1];
  const innermost = stack.frames[stack.frames.length - 1];
  if (!final || !cause || !stack.causeFrames?.length || innermost === undefined || !ASYNCIO_WAIT.test(innermost)) return null;
  if (final.message.trim() !== '' || cause.message.trim() !== '' || !/(?:^|\.)CancelledError$/.test(cause.type)) return null;
  return `${final.text} [in ${stack.causeFrames.slice(-8).reverse().join(' < ')}]`;
}

function stackCandidates(text: EntryText, message: string, stack: StackInfo): string[] {
  const texts = stack.exceptions.map((e) => exceptionText(e).slice(0, SCAN_LIMIT_CHARS));
  const raised = whereRaised(stack);
  if (raised) texts.push(raised);
  const cancelled = whereCancelled(stack);
  if (cancelled) texts.push(cancelled);
  // The line before a traceback often names the failure ("Phase 3 ... timeout after 20.0s").
  const lead = text.stack ? message : firstLine(message);
  if (lead.trim() && !lead.includes('Traceback (most recent call last)')) texts.push(lead);
  return texts;
}

export function candidatesOf(text: EntryText): Candidates {
  const message = stripExceptionPrefix((text.message ?? '').slice(0, SCAN_LIMIT_CHARS));
  const stackText = text.stack ?? (message.includes('\n') ? (text.message ?? '') : null);
  const stack = stackText ? parseStack(stackText.slice(0, STACK_LIMIT_CHARS)) : null;
  const texts = stack
    ? stackCandidates(text, message, stack)
    : [text.stack ? `${message}\n${text.stack.slice(0, SCAN_LIMIT_CHARS)}` : message];
  // A structured logger's error field holds the cause of its message ("failed to connect": "dial tcp ... i/o timeout").
  if (text.detail) {
    const detail = stripExceptionPrefix(text.detail.slice(0, SCAN_LIMIT_CHARS));
    texts.push(detail);
    const joined = stack ? null : joinedLine(message, detail);
    if (joined) texts.push(joined);
  }
  return { texts, stack };
}

/**
 * The message and its error field as a text logger prints them on one line ("Database
 * connection attempt 2/5 failed: TimeoutError"): neither half alone says what failed how.
 * Last in order, so it decides only where a rule of higher priority than every match of the
 * halves knows the whole line; what the halves matched before stays theirs.
 */
export function joinedLine(message: string, detail: string): string | null {
  const head = message.trim();
  if (head === '' || head.includes('\n') || detail.includes('\n')) return null;
  return `${head}: ${detail.trim()}`.slice(0, SCAN_LIMIT_CHARS);
}
