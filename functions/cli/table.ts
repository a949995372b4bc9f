/** Plain-text tables and number formats for the human output of local-mode commands. */
export interface ColumnDef {
  header: string;
  align?: 'left' | 'right';
  /** longer cells are cut with an ellipsis */
  maxWidth?: number;
}

/** Display width: code points, so `→` and `█` count as one column. */
const width = (s: string): number => [...s].length;

function fit(cell: string, max: number | undefined): string {
  const oneLine = cell.replace(/\s*\n\s*/g, ' ⏎ ');
  if (max === undefined || width(oneLine) <= max) return oneLine;
  return [...oneLine].slice(0, Math.max(1, max - 1)).join('') + '…';
}

function pad(cell: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(cell)));
  return align === 'right' ? fill + cell : cell + fill;
}

/** Columns separated by two spaces, a dashed rule under the headers, no trailing blanks. */
export function renderTable(columns: readonly ColumnDef[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((r) => columns.map((c, i) => fit(r[i] ?? '', c.maxWidth)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i] as string))));
  const line = (r: readonly string[]) =>
    columns
      .map((c, i) => pad(r[i] as string, widths[i] as number, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatRate(perSecond: number): string {
  return `${formatCount(perSecond)}/s`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `2026-03-02T14:05:09.123456Z` -> `2026-03-02 14:05:09` (UTC, as stored). */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '';
  return iso.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d\d:?\d\d)$/, '');
}

/** A horizontal bar of `cells` cells for a fraction in [0, 1]. */
export function bar(fraction: number, cells = 10): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * cells);
  return '█'.repeat(full) + '░'.repeat(cells - full);
}
