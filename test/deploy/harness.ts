import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FAKE_BIN = fileURLToPath(new URL('./fake/', import.meta.url));

export interface Call {
  tool: string;
  args: string[];
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** what the fake gcloud and bq received, in order */
  calls: Call[];
  /** the `+ command` lines the script printed, split into words */
  printed: string[][];
}

/** The project's resources, as the fake cloud keeps them (test/deploy/fake/state.mjs). */
export interface CloudState {
  services: string[];
  resources: Record<string, Record<string, unknown>>;
  policies: Record<string, { bindings: { role: string; members: string[] }[] }>;
}

const SNAPSHOT = ['deploy.sh', 'teardown.sh', 'scripts/deploy', 'functions', 'schemas', 'sql', 'package.json',
  'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.gcloudignore', 'README.md'];

/** What the scripts read and upload, copied: edits to the working tree during a test cannot change it. */
export function snapshotRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-deploy-'));
  for (const path of SNAPSHOT) {
    if (existsSync(join(REPO, path))) cpSync(join(REPO, path), join(root, path), { recursive: true });
  }
  return root;
}

/** Splits printed `+ command` lines (single-quoted as scripts/deploy/lib.sh quotes) into words. */
export function parsePrinted(stdout: string): string[][] {
  const commands: string[][] = [];
  let i = 0;
  while (i < stdout.length) {
    if (!stdout.startsWith('+ ', i)) {
      const end = stdout.indexOf('\n', i);
      i = end === -1 ? stdout.length : end + 1;
      continue;
    }
    i += 2;
    const words: string[] = [];
    let word = '';
    let quoted = false;
    for (; i < stdout.length; i++) {
      const c = stdout[i];
      if (quoted) {
        if (c === "'") quoted = false;
        else word += c;
      } else if (c === "'") quoted = true;
      else if (c === '\\' && stdout[i + 1] === "'") word += stdout[++i];
      else if (c === ' ' || c === '\n') {
        if (word !== '') words.push(word);
        word = '';
        if (c === '\n') break;
      } else word += c;
    }
    if (word !== '') words.push(word);
    i++;
    commands.push(words);
  }
  return commands;
}

/**
 * One fake Google Cloud (a server process) for a test file. Runs name a state file (`stateName`):
 * two state files holding the same project id are two independent copies of that project.
 */
export class FakeCloud {
  readonly dir = mkdtempSync(join(tmpdir(), 'faultline-cloud-'));
  private runs = 0;

  private constructor(
    private readonly server: ChildProcess,
    readonly port: number,
  ) {}

  static start(): Promise<FakeCloud> {
    const server = spawn(process.execPath, [join(FAKE_BIN, 'cloud.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.stdout?.setEncoding('utf8').once('data', (line: string) => resolve(new FakeCloud(server, Number.parseInt(line, 10))));
    });
  }

  stop(): void {
    this.server.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  stateFile(stateName: string): string {
    return join(this.dir, `${stateName}.json`);
  }

  state(stateName: string): CloudState {
    const file = this.stateFile(stateName);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CloudState) : { services: [], resources: {}, policies: {} };
  }

  setState(stateName: string, state: CloudState): void {
    writeFileSync(this.stateFile(stateName), JSON.stringify(state));
  }

  /** Gives `to` a copy of the resources of `from`. */
  copyProject(from: string, to: string): void {
    copyFileSync(this.stateFile(from), this.stateFile(to));
  }

  /** Runs `bash ROOT/SCRIPT ARGS` with the fake gcloud and bq first on PATH, on the state `stateName`. */
  run(root: string, script: string, stateName: string, args: string[]): Promise<RunResult> {
    const log = join(this.dir, `calls-${++this.runs}.ndjson`);
    writeFileSync(log, '');
    const env = {
      ...process.env,
      PATH: `${FAKE_BIN}:${process.env.PATH ?? ''}`,
      FAKE_CLOUD_PORT: String(this.port),
      FAKE_CLOUD_STATE: this.stateFile(stateName),
      FAKE_CLOUD_LOG: log,
      FAULTLINE_DEPLOY_RETRY_DELAY_S: '0',
    };
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(root, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);
        resolve({ code, stdout, stderr, calls, printed: parsePrinted(stdout) });
      });
    });
  }
}

const MUTATING_GCLOUD = /^(create|update|delete|deploy|enable|add|add-iam-policy-binding|remove-iam-policy-binding)$/;

/** Calls that change something: gcloud create/update/deploy/grants..., bq mk/update/rm/query. */
export function mutations(calls: Call[]): Call[] {
  return calls.filter((c) => (c.tool === 'bq' ? words(c).some((w) => ['mk', 'update', 'rm', 'query'].includes(w)) : words(c).some((w) => MUTATING_GCLOUD.test(w))));
}

/** The positional words of a call (its command path and resource names). */
export function words(call: Call): string[] {
  return call.args.filter((a) => !a.startsWith('-'));
}

/** The value of --name=value in a call, if any. */
export function flag(call: Call | string[], name: string): string | undefined {
  const args = Array.isArray(call) ? call : call.args;
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? undefined : hit.slice(name.length + 3);
}

/** Registrations in functions/index.ts: `functions.cloudEvent('NAME'` and `functions.http('NAME'`. */
export function registeredEntryPoints(root: string): string[] {
  const text = readFileSync(join(root, 'functions', 'index.ts'), 'utf8');
  return [...text.matchAll(/functions\.(?:cloudEvent|http)\(\s*['"]([\w$]+)['"]/g)].map((m) => m[1] ?? '');
}
