import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fingerprintCommand } from '../../functions/cli/fingerprint.js';
import { maskMessage, mineTemplates, templateId } from '../../functions/core/fingerprint/index.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command in-process with stdin fed from `input` (in small chunks, to cross lines). */
async function run(argv: string[], input = ''): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  for (let i = 0; i < input.length; i += 7) stdin.write(input.slice(i, i + 7));
  stdin.end();
  const code = await fingerprintCommand(argv, { stdin, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const rows = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
const dir = mkdtempSync(join(tmpdir(), 'faultline-fp-'));

const LOG = [
  'Invalid user admin from 10.0.0.1',
  '',
  'Connection closed by 10.0.0.2 [preauth]',
  'Invalid user oracle from 10.0.0.3',
  'Invalid user webmaster from 10.0.0.4',
  'Invalid user support from 10.0.0.5',
  'Invalid user chen from 10.0.0.6',
  'Connection closed by 10.0.0.7 [preauth]',
];

describe('faultline fingerprint', () => {
  it('prints one id per stdin line, in order, empty lines included', async () => {
    const res = await run([], LOG.join('\n') + '\n');
    expect(res.code).toBe(0);
    const ids = rows(res.stdout);
    expect(ids).toHaveLength(LOG.length);
    const { clusters, assignment } = mineTemplates(LOG);
    expect(ids).toEqual(Array.from(assignment, (c) => clusters[c]!.id));
    expect(ids[0]).toBe(ids[3]);
    expect(ids[2]).toBe(ids[7]);
    expect(ids[0]).not.toBe(ids[2]);
    expect(ids[1]).toBe(templateId(''));
  });

  it('reads a file, CRLF endings and a last line without newline alike', async () => {
    const file = join(dir, 'log.txt');
    writeFileSync(file, LOG.join('\r\n'));
    const fromFile = await run([file]);
    const fromStdin = await run(['-'], LOG.join('\n') + '\n');
    expect(fromFile.code).toBe(0);
    expect(rows(fromFile.stdout)).toEqual(rows(fromStdin.stdout));
  });

  it('prints nothing for empty input', async () => {
    const res = await run([], '');
    expect(res).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--templates adds the template after a tab', async () => {
    const res = await run(['--templates'], LOG.join('\n'));
    const first = rows(res.stdout)[0]!.split('\t');
    expect(first[1]).toBe('Invalid user <*> from <ip>');
    expect(first[0]).toBe(templateId(first[1]!));
  });

  it('--clusters prints one row per template, largest first', async () => {
    const res = await run(['--clusters'], LOG.join('\n'));
    expect(rows(res.stdout).map((r) => r.split('\t').slice(1))).toEqual([
      ['5', 'Invalid user <*> from <ip>'],
      ['2', 'Connection closed by <ip> [preauth]'],
      ['1', ''],
    ]);
  });

  it('--stateless prints the id of each line on its own', async () => {
    const res = await run(['--stateless'], LOG.join('\n'));
    expect(rows(res.stdout)).toEqual(LOG.map((l) => templateId(maskMessage(l))));
  });

  it('fails with a message when the file cannot be read', async () => {
    const res = await run([join(dir, 'missing.txt')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cannot read .*missing\.txt: no such file/);
    expect(res.stdout).toBe('');
  });

  it('fails with a message when FILE is a directory', async () => {
    const res = await run([dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cannot read .*EISDIR/);
  });

  it('rejects unknown options and extra files with usage', async () => {
    for (const argv of [['--nope'], ['a.txt', 'b.txt'], ['--clusters', '--stateless']]) {
      const res = await run(argv);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('Usage: faultline fingerprint');
    }
  });

  it('--help prints usage', async () => {
    const res = await run(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage: faultline fingerprint [options] [FILE]');
  });
});
