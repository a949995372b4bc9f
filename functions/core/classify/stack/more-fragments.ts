import type { FragmentKind } from './common.js';
import { GO_SIGNAL } from './go.js';

/**
 * Lines of printed traces that the Python, Java, Node and Go fragment checks do not know:
 * Ruby backtraces, .NET frames with their file and line, the details Node prints around an
 * uncaught error (its location line, `Require stack:`, the error's own properties, V8's
 * out-of-memory report), the link lines libraries append to an error, Flyway's detail
 * block, and a Spring Boot record header whose message starts on the next line. Split one per entry
 * they would otherwise be unknown lines, each a new-signature alert of its own.
 * Consulted only for lines that no other fragment check took and no rule matched.
 */

// `from /app/config/application.rb:12:in 'block in <main>'` (Ruby 3.4 quotes, older ones a backtick)
const RUBY_FROM = /^\s*from [^\s:]{1,1000}:\d+:in [`'][^'`\n]{0,1000}'$/;
const RUBY_LEVELS = /^\s*\.\.\. \d+ levels\.\.\.$/;
// `   at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout) in /src/Db.cs:line 42`
const DOTNET_FRAME = /^\s+at [^\s(]{1,1000}\([^)\n]{0,1000}\) in [^\n]{1,1000}:line \d+\s*$/;
const DOTNET_SEPARATORS = /^--- End of (?:inner exception stack trace|stack trace from previous location(?: where exception was thrown)?) ---$/;
// Node's first line of an uncaught error: where it was thrown (`node:internal/modules/cjs/loader:1228`)
const NODE_LOCATION = /^(?:node:[\w/.-]{1,200}|file:\/\/\/[^\s:]{1,1000}|\/[^\s:]{1,1000}\.(?:[cm]?js|ts)):\d+(?::\d+)?$/;
const NODE_REQUIRE = /^- (?:\/|file:\/\/\/|[A-Za-z]:\\)[^\s]{1,1000}\.(?:[cm]?js|ts|json|node)$/;
// the properties Node prints after a system or driver error's frames, inside `{ ... }`, with
// their values as util.inspect writes them (strings quoted), never prose
const NODE_PROPERTY =
  /^ {2}(?:errno|code|syscall|address|port|path|dest|hostname|requireStack|url|reason|library|opensslErrorStack|function|detail|hint|severity|routine|file|line|where|schema|table|column|constraint|position|internalPosition|internalQuery|dataType|length|name|info|\[errors\]): (?:'[^'\n]{0,1000}'|"[^"\n]{0,1000}"|-?\d+(?:\.\d+)?n?|true|false|null|undefined|\[.{0,1000}|\{.{0,1000}|Symbol\([^)\n]{0,200}\)),?$/;
const NODE_ARRAY_ITEM = /^ {4}'[^'\n]{1,1000}',?$/;
const CLOSING = /^\s*[\]}],?$/;
const NODE_EMITTED = /^Emitted '[\w-]+' event on .{1,200} at:$/;
const NODE_THROW_SOURCE = /^\s+throw [\w.$]+;(?: *\/\/.*)?$/;
// V8's fatal out-of-memory report
const V8_NATIVE_FRAME = /^\s*\d+: 0x[0-9a-f]+ \S/;
const V8_GC_LINE = /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: (?:Mark-Compact|Mark-sweep|Scavenge|Minor Mark-Compact)\b/;
const V8_HEADERS = new Set(['<--- Last few GCs --->', '<--- JS stacktrace --->', '----- Native stack trace -----']);
// Spring Boot / logback's default pattern with an empty message: the record continues on the next lines
const EMPTY_RECORD_HEADER = /^\d{4}-\d\d-\d\d[T ][\d:.,]{8,15}(?:Z|[+-]\d\d:?\d\d)?\s+[A-Z]{4,5}\s+\d+ --- (?:\[[^\]\n]{0,200}\] ){1,2}\S{1,200}\s*:$/;
// Flyway's detail block under its error message, labels padded to ten characters as it prints them
const FLYWAY_DETAIL = /^(?:SQL State {2}|Error Code |Message {4}|Location {3}|Line {7}|Statement {2}): /;
const UNDERLINE = /^-{10,}$/;
// SQLAlchemy's and pydantic's links, SQLAlchemy's statement, and the version line Node prints
// after the stack of an uncaught exception.
const TRAILER = /^(?:\(Background on this error at: https?:\/\/\S+\)|For further information visit https?:\/\/\S+|\[(?:SQL|parameters): .{0,4000}\]|Node\.js v\d+\.\d+\.\d+)$/;

export function moreFragment(line: string, t: string): FragmentKind | null {
  if (RUBY_FROM.test(line) || RUBY_LEVELS.test(line)) return 'ruby_frame';
  if (DOTNET_FRAME.test(line)) return 'dotnet_frame';
  if (DOTNET_SEPARATORS.test(t) || t === 'Caused by:') return 'chain_separator';
  if (GO_SIGNAL.test(t)) return 'go_frame';
  // the header of the runtime's own frames under a `fatal error:` (out of memory, deadlock)
  if (t === 'runtime stack:') return 'go_goroutine';
  if (TRAILER.test(t)) return 'trailer';
  if (EMPTY_RECORD_HEADER.test(t)) return 'record_header';
  if (FLYWAY_DETAIL.test(line) || UNDERLINE.test(t)) return 'report_detail';
  if (isNodeDetail(line, t)) return 'node_detail';
  return null;
}

function isNodeDetail(line: string, t: string): boolean {
  if (t === 'Require stack:' || V8_HEADERS.has(t)) return true;
  if (NODE_LOCATION.test(t) || NODE_REQUIRE.test(t) || NODE_EMITTED.test(t)) return true;
  if (NODE_PROPERTY.test(line) || NODE_ARRAY_ITEM.test(line) || CLOSING.test(line)) return true;
  return NODE_THROW_SOURCE.test(line) || V8_NATIVE_FRAME.test(line) || V8_GC_LINE.test(t);
}
