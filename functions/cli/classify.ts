import { parseArgs } from 'node:util';
import { createEngine } from '../core/engine.js';
import { RecordSplitter, type RecordFormat } from '../core/decode/index.js';
import { loadRules } from '../rules/load.js';
import { writeLine, type CliIO, parseOrExplain } from './io.js';
import { checkReadable, inputNames, readText } from './input.js';

const HELP = `Usage: faultline classify [options] [FILE...]

Classifies Cloud Logging entries and prints one JSON object per input record, in input
order: {"status":"classified","category":...,"params":{...},"signature_id":...} or
{"status":"rejected","reason":...}. Reads stdin when no FILE (or "-") is given.

Input formats (auto-detected per file, per record):
  NDJSON of LogEntries, the JSON array printed by \`gcloud logging read --format=json\`,
  NDJSON of Pub/Sub messages (base64 data), and Pub/Sub push bodies.

Options:
  --format F   force the input format: auto (default), entries, gcloud-json, pubsub, push
  -h, --help   show this help

Exit status: 0 when the input was processed (rejected records included), 2 when it
could not be read or the options are wrong.`;

const FORMATS: Record<string, { split: 'auto' | 'ndjson' | 'json-array'; record: RecordFormat }> = {
  auto: { split: 'auto', record: 'auto' },
  entries: { split: 'ndjson', record: 'entry' },
  'gcloud-json': { split: 'json-array', record: 'entry' },
  pubsub: { split: 'ndjson', record: 'pubsub' },
  push: { split: 'ndjson', record: 'push' },
};

export async function classifyCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseOrExplain('classify', HELP, io, () => parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'auto' }, help: { type: 'boolean', short: 'h' } } }));
  if (parsed === undefined) return 2;
  if (parsed.values.help) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  const format = FORMATS[parsed.values.format ?? 'auto'];
  if (!format) {
    io.stderr.write(`faultline classify: unknown --format "${parsed.values.format}" (auto, entries, gcloud-json, pubsub, push)\n`);
    return 2;
  }
  const files = inputNames(parsed.positionals);
  const unreadable = await checkReadable(files);
  if (unreadable) {
    io.stderr.write(`faultline classify: ${unreadable}\n`);
    return 2;
  }
  const { rules, classifierVersion } = loadRules();
  const engine = createEngine(rules, classifierVersion);
  for (const file of files) {
    const splitter = new RecordSplitter(format.split);
    const emit = async (records: string[]): Promise<void> => {
      for (const r of records) await writeLine(io.stdout, JSON.stringify(engine.classifyRecord(r, format.record)));
    };
    for await (const chunk of readText(file, io.stdin)) await emit(splitter.push(chunk));
    await emit(splitter.end());
  }
  return 0;
}
