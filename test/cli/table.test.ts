import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar, progressLine } from '../../functions/cli/progress.js';
import { bar, formatTimestamp, renderTable } from '../../functions/cli/table.js';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  let out = '';
  const w = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }) as Writable & { isTTY: boolean; text: () => string };
  w.isTTY = isTTY;
  w.text = () => out;
  return w;
}

describe('renderTable', () => {
  it('aligns columns by display width, right-aligns numbers and cuts long cells', () => {
    const text = renderTable(
      [{ header: 'name' }, { header: 'params', maxWidth: 12 }, { header: 'n', align: 'right' }],
      [
        ['db_init_timeout', 'timeout_s 8.0 → 20.0 → 25.0', '56'],
        ['import_error', 'module x', '7'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'name             params         n',
      '---------------  ------------  --',
      'db_init_timeout  timeout_s 8…  56',
      'import_error     module x       7',
    ]);
  });

  it('formats timestamps as stored (UTC) and bars by fraction', () => {
    expect(formatTimestamp('2026-03-02T14:05:09.123456Z')).toBe('2026-03-02 14:05:09');
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(2, 2)).toBe('██');
  });
});

describe('progress bar', () => {
  it('draws the fraction, the count and the rate on a terminal', () => {
    const out = sink(true);
    const p = progressBar(out, { delayMs: 0, everyMs: 0 });
    p.update({ records: 5000, bytes: 50, totalBytes: 100 });
    p.done();
    const ESC = String.fromCharCode(27);
    const text = out.text();
    expect(text.startsWith('\r[')).toBe(true);
    expect(text.endsWith(`${ESC}[K\r${ESC}[K`)).toBe(true);
    expect(text).toMatch(/\[█+░+\]\s+50%\s+5,000 entries\s+[\d,]+\/s\s+eta \d+ s/);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const out = sink(false);
    const p = progressBar(out, { delayMs: 0, everyMs: 0 });
    p.update({ records: 1, bytes: 1, totalBytes: 2 });
    p.done();
    expect(out.text()).toBe('');
  });

  it('shows a count without a fraction for stdin (size unknown)', () => {
    expect(progressLine({ records: 1200, bytes: 10, totalBytes: null }, 1000)).toBe('replaying  1,200 entries  1,200/s');
  });
});
