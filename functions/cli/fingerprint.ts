import { parseArgs } from 'node:util';
import { maskMessage, templateId, TemplateMiner, type MineResult } from '../core/fingerprint/index.js';
import { writeLine, type CliIO } from './io.js';
import { checkReadable, readText } from './input.js';

const HELP = `Usage: faultline fingerprint [options] [FILE]

Reads plain-text log lines (stdin when no FILE or "-") and prints one signature id per input
line, in input order; empty lines get an id too, so line counts match. Lines are grouped into
templates by mining the whole input, so the output starts once the input has ended. An id is a
hash of its template: the same template gives the same id in any run.

Options:
  --templates   print "id<TAB>template" per line instead of the id alone
  --clusters    print one "id<TAB>lines<TAB>template" row per template, largest first,
                instead of one row per line
  --stateless   print the id of each line's own masked template, without mining: streams,
                and the id of a line never depends on the other lines (what production uses)
  -h, --help    show this help

Memory: identical masked lines are stored once, plus 4 bytes per line, so inputs of a few
hundred MB of typical logs are fine; --stateless keeps almost nothing.

Exit status: 0 on success, 2 when the input cannot be read or the options are wrong.`;

interface Options {
  templates: boolean;
  clusters: boolean;
  stateless: boolean;
  file: string;
}

/** Splits streamed text into lines; a final line without a newline still counts. */
class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop()!;
    return lines.map(stripCr);
  }

  end(): string[] {
    return this.rest === '' ? [] : [stripCr(this.rest)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Collects output rows and writes them in large blocks, respecting back-pressure. */
class BlockWriter {
  private rows: string[] = [];
  private size = 0;

  constructor(private readonly io: CliIO) {}

  row(text: string): Promise<void> | void {
    this.rows.push(text);
    this.size += text.length + 1;
    if (this.size >= 1 << 16) return this.flush();
  }

  flush(): Promise<void> | void {
    if (this.rows.length === 0) return;
    const block = this.rows.join('\n');
    this.rows = [];
    this.size = 0;
    return writeLine(this.io.stdout, block);
  }
}

async function forEachLine(opts: Options, io: CliIO, each: (line: string) => Promise<void> | void): Promise<void> {
  const splitter = new LineSplitter();
  const run = async (lines: string[]): Promise<void> => {
    for (const line of lines) {
      const pending = each(line);
      if (pending) await pending;
    }
  };
  for await (const chunk of readText(opts.file, io.stdin)) await run(splitter.push(chunk));
  await run(splitter.end());
}

async function runStateless(opts: Options, io: CliIO, out: BlockWriter): Promise<void> {
  const ids = new Map<string, string>();
  await forEachLine(opts, io, (line) => {
    const template = maskMessage(line);
    let id = ids.get(template);
    if (id === undefined) {
      id = templateId(template);
      if (ids.size >= 100_000) ids.clear();
      ids.set(template, id);
    }
    return out.row(opts.templates ? `${id}\t${template}` : id);
  });
}

async function printMined(result: MineResult, opts: Options, out: BlockWriter): Promise<void> {
  const { clusters, assignment } = result;
  if (opts.clusters) {
    const order = clusters.map((_, i) => i).sort((a, b) => clusters[b]!.size - clusters[a]!.size || a - b);
    for (const i of order) await out.row(`${clusters[i]!.id}\t${clusters[i]!.size}\t${clusters[i]!.template}`);
    return;
  }
  for (const c of assignment) {
    const cluster = clusters[c]!;
    const pending = out.row(opts.templates ? `${cluster.id}\t${cluster.template}` : cluster.id);
    if (pending) await pending;
  }
}

function parse(argv: string[]): Options | string | null {
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      templates: { type: 'boolean' },
      clusters: { type: 'boolean' },
      stateless: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (parsed.values.help) return null;
  if (parsed.positionals.length > 1) return 'expects at most one FILE';
  if (parsed.values.clusters && parsed.values.stateless) return '--clusters needs mining: it cannot go with --stateless';
  return {
    templates: parsed.values.templates ?? false,
    clusters: parsed.values.clusters ?? false,
    stateless: parsed.values.stateless ?? false,
    file: parsed.positionals[0] ?? '-',
  };
}

export async function fingerprintCommand(argv: string[], io: CliIO): Promise<number> {
  let opts: Options | string | null;
  try {
    opts = parse(argv);
  } catch (err) {
    opts = (err as Error).message;
  }
  if (opts === null) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  if (typeof opts === 'string') {
    io.stderr.write(`faultline fingerprint: ${opts}\n\n${HELP}\n`);
    return 2;
  }
  const unreadable = await checkReadable([opts.file]);
  if (unreadable) {
    io.stderr.write(`faultline fingerprint: ${unreadable}\n`);
    return 2;
  }
  const out = new BlockWriter(io);
  try {
    if (opts.stateless) {
      await runStateless(opts, io, out);
    } else {
      const miner = new TemplateMiner();
      await forEachLine(opts, io, (line) => miner.add(line));
      await printMined(miner.finish(), opts, out);
    }
  } catch (err) {
    // Read errors that access() cannot predict, such as a directory given as FILE.
    const { code, syscall } = err as NodeJS.ErrnoException;
    if (code === undefined || (syscall !== 'read' && syscall !== 'open')) throw err;
    io.stderr.write(`faultline fingerprint: cannot read ${opts.file}: ${code}\n`);
    return 2;
  }
  await out.flush();
  return 0;
}
