import type { Database } from '../adapters/duckdb/database.js';
import { hourlyStartups, listSignatures, type HourlyStartups, type SignatureSummary } from '../adapters/duckdb/reports.js';
import { DuckDbIssueRegistry } from '../adapters/duckdb/issue-registry.js';
import { DuckDbSignatureStore } from '../adapters/duckdb/signature-store.js';
import { alertsTable } from './alerts.js';
import { formatParamValue, signaturesTable } from './signatures.js';
import { bar, formatCount, formatTimestamp, renderTable } from './table.js';

/**
 * The parts of `faultline start`'s report. Each section is built from the database on its
 * own and gives text for people and a JSON value for scripts (under `key`); further sections
 * (linked issues, alerts) are appended to START_SECTIONS.
 */
export interface ReportSection {
  key: string;
  title: string;
  build(db: Database): Promise<{ text: string; json: unknown }>;
}

/** Failures only: successes show in the success rate, progress and access logs nowhere. */
const FAILURE_SIGNATURES = { limit: 25, includeUnrelated: false, excludeCategories: ['startup_progress', 'startup_success'] };

export const signaturesSection: ReportSection = {
  key: 'signatures',
  title: 'Failure signatures (most frequent first; `faultline signatures` lists them all)',
  async build(db) {
    const sigs = await listSignatures(db, FAILURE_SIGNATURES);
    return { text: sigs.length === 0 ? 'No failures.' : signaturesTable(sigs), json: sigs };
  },
};

export interface ParamChange {
  signature_id: string;
  category: string;
  service: string | null;
  param: string;
  /** each value with the time it first appeared, in that order */
  steps: { value: number | string; first_seen: string; last_seen: string; count: number }[];
}

/** Params whose values replaced one another over time: a timeout someone raised, a pool resized. */
export function paramChanges(sigs: readonly SignatureSummary[]): ParamChange[] {
  return sigs.flatMap((s) =>
    s.params
      .filter((p) => p.successive)
      .map((p) => ({ signature_id: s.signature_id, category: s.category, service: s.service, param: p.name, steps: p.values })),
  );
}

export const paramChangesSection: ReportSection = {
  key: 'param_changes',
  title: 'How params changed (each value from the time it first appeared, UTC)',
  async build(db) {
    const changes = paramChanges(await listSignatures(db, { ...FAILURE_SIGNATURES, limit: 200 }));
    const text = changes.length === 0
      ? 'No param changed value.'
      : changes
          .map((c) => {
            const steps = c.steps.map((s) => `${formatParamValue(c.param, s.value)} (from ${formatTimestamp(s.first_seen).slice(0, 16)}, ${formatCount(s.count)}×)`);
            return `${c.category} on ${c.service ?? '?'} [${c.signature_id}]\n  ${c.param}: ${steps.join(' → ')}`;
          })
          .join('\n');
    return { text, json: changes };
  },
};

export interface ServiceStartups {
  service: string;
  starts: number;
  successes: number;
  rate: number;
}

function perService(rows: readonly HourlyStartups[]): ServiceStartups[] {
  const by = new Map<string, ServiceStartups>();
  for (const r of rows) {
    const s = by.get(r.service) ?? { service: r.service, starts: 0, successes: 0, rate: 0 };
    s.starts += r.successes + r.failures;
    s.successes += r.successes;
    by.set(r.service, s);
  }
  const list = [...by.values()].map((s) => ({ ...s, rate: s.starts === 0 ? 0 : s.successes / s.starts }));
  return list.sort((a, b) => a.rate - b.rate || a.service.localeCompare(b.service));
}

const pct = (ok: number, total: number) => `${Math.round((100 * ok) / total)}%`;

/** Hours down, services across: `5/6  83%`, blank when a service had no start that hour. */
export function hourlyTable(rows: readonly HourlyStartups[], services: readonly string[]): string {
  const hours = [...new Set(rows.map((r) => r.hour))].sort();
  const cell = new Map(rows.map((r) => [`${r.hour}|${r.service}`, r]));
  const lead = services[0];
  const body = hours.map((h) => {
    const cells = services.map((s) => {
      const r = cell.get(`${h}|${s}`);
      return r ? `${r.successes}/${r.successes + r.failures}  ${pct(r.successes, r.successes + r.failures)}` : '';
    });
    const first = lead === undefined ? undefined : cell.get(`${h}|${lead}`);
    const gauge = first ? bar(first.successes / (first.successes + first.failures)) : '';
    return [formatTimestamp(h).slice(0, 16), ...cells, gauge];
  });
  const cols = [{ header: 'hour (UTC)' }, ...services.map((s) => ({ header: s, align: 'right' as const })), { header: lead === undefined ? '' : `${lead} rate` }];
  return renderTable(cols, body);
}

export const startupRateSection: ReportSection = {
  key: 'startup_success_rate',
  title: 'Startup success rate per hour (successes / starts; one outcome per instance: its first)',
  async build(db) {
    const rows = await hourlyStartups(db);
    const services = perService(rows);
    const totals = services.map((s) => `  ${s.service.padEnd(16)} ${pct(s.successes, s.starts).padStart(4)} of ${formatCount(s.starts)} starts succeeded`);
    const text = rows.length === 0 ? 'No startup outcomes.' : `${totals.join('\n')}\n\n${hourlyTable(rows, services.map((s) => s.service))}`;
    return { text, json: { services, hourly: rows } };
  },
};

export const linkedIssuesSection: ReportSection = {
  key: 'linked_issues',
  title: 'Linked issues (samples/incident/issues.json; `faultline issues list`)',
  async build(db) {
    const registry = new DuckDbIssueRegistry(db);
    const issues = await registry.list();
    const links = await registry.links();
    const rows = issues.map(({ issue }) => {
      const own = links.filter((l) => l.number === issue.number);
      return [`#${issue.number}`, issue.state === 'closed' ? `closed ${formatTimestamp(issue.closed_at).slice(0, 16)}` : 'open', issue.title.slice(0, 48), own.map((l) => `${l.signature_id} (${l.source})`).join(', ')];
    });
    const text = rows.length === 0 ? 'No issues registered.' : renderTable([{ header: 'issue' }, { header: 'state' }, { header: 'title' }, { header: 'signatures (how linked)' }], rows);
    return { text, json: issues.map(({ issue }) => ({ number: issue.number, state: issue.state, title: issue.title, links: links.filter((l) => l.number === issue.number) })) };
  },
};

/** The alerts the replay raised; SLO and spike alerts are counted, the others listed. */
export const alertsSection: ReportSection = {
  key: 'alerts',
  title: 'Alerts raised (`faultline alerts` lists them all, `--format json` for the messages)',
  async build(db) {
    const rows = await new DuckDbSignatureStore(db).list();
    const listed = rows.filter((r) => r.alert.kind !== 'slo' && r.alert.kind !== 'spike');
    const byKind = new Map<string, number>();
    for (const r of rows) byKind.set(r.alert.kind, (byKind.get(r.alert.kind) ?? 0) + 1);
    const counts = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
    const text = rows.length === 0 ? 'No alerts.' : `${counts}

${alertsTable(listed)}`;
    return { text, json: rows.map((r) => r.alert) };
  },
};

export const START_SECTIONS: ReportSection[] = [signaturesSection, paramChangesSection, startupRateSection, linkedIssuesSection, alertsSection];
