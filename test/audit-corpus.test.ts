import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OutputRecord } from '../functions/core/classify/entry.js';
import { shippedEngine } from './helpers/entries.js';

/**
 * Real-world wordings from thirteen audits (test/fixtures/corpus/audit.ndjson, 2026-11-29): entries
 * written from what the libraries and platforms really print, labelled with the taxonomy, where
 * the label was not debatable. Only the lines the classifier agreed with when they were added
 * are here (885 of 895; params where they matched exactly), so this is a lock against
 * regressions when rules change, not a score: a rule edit that takes one of them elsewhere
 * must be a deliberate relabelling. The fourth audit (ids `s4-`, 154 of 163) is of structured
 * loggers' JSON payloads (pino, winston, structlog, zap, slog, logback, ECS, .NET, Serilog,
 * Elixir...): it also locks where the message, stack and error fields are read. The fifth
 * (ids `s5-`, 427 lines of 36 startup-failure outputs split one line per entry as Cloud Run
 * stores plain text, and the outputs whole) locks the failure lines, the whole outputs and
 * the lines recognised as fragments, with their kind. The sixth (ids `s6-`) is a deep audit of
 * the core scenario (FastAPI on Cloud Run, asyncpg/SQLAlchemy to Cloud SQL through a VPC
 * connector, a phased startup orchestrator), with its must-share and must-differ pairs.
 * Audits seven to eleven add lines and pairs the same way: `s7-` the platforms' own messages,
 * `s8-` Node, Java and Go services, `s9-` Python beyond FastAPI, `s10-` the categories with the
 * fewest locks (other dependencies' phase timeouts, worker heartbeats, VPC and Cloud SQL
 * connectors, probe and back-off events, with near misses that must not take them), `s11-`
 * Google Cloud client libraries failing at startup (Secret Manager, Cloud SQL Admin, Pub/Sub,
 * Storage, Firestore, Spanner, Memorystore; DNS and refused connections) in four runtimes.
 * Audit twelve (`s12-`, 182 of 241 lines) is of false positives: healthy startup sequences and
 * steady-state noise (access and health-check lines, config dumps with timeouts and pool sizes,
 * retries that succeeded, deprecation warnings, GC and heap figures, graceful shutdowns on
 * SIGTERM, near misses with failure words) from Python, Node, Java and Go services and the
 * platforms, with 32 genuine failures among them: 150 lines locked as progress, success or
 * not_startup_related, so that no rule edit moves a healthy line into a failure category unseen.
 * The thirteenth audit, of signature grouping alone, is locked by grouping-corpus.test.ts, and the
 * fourteenth, of redaction, by the cases of test/core/redact.test.ts.
 * The fifteenth (`s15-`, 140 of 193 lines, 137 with their params) audits the params: failures
 * whose values are in the text, in the wordings and units tools print (phase timeouts in s, ms and
 * minutes, driver and proxy connect timeouts, SQLAlchemy and HikariCP pools, IPv4/IPv6 hosts, OOM
 * limits in MiB/M, probes, exit codes and signals, IAM denials, imports, config, connectors, progress
 * and success lines), locking each value as extracted where every labelled param matched.
 * The sixteenth (`s16-`, 338 of 353 lines, 266 with their params, 40 must-share and 137
 * must-differ pairs; tenth session) is a blind corpus written from the taxonomy alone across
 * every category: lines its labeller ran real libraries for (uvicorn, gunicorn, SQLAlchemy,
 * asyncpg, psycopg, redis-py, Node 20), GCE VMs (systemd, Tomcat), structured phase timeouts,
 * npm 10, Celery. Two of audit twelve's lines (Celery `mingle:`) were relabelled progress then.
 * The seventeenth (`s17-`, 353 of 384 lines, 270 with their params, 43 must-share and 286 must-differ pairs; a second blind corpus of the same session, the core FastAPI / Cloud SQL
 * scenario first, then Node, Java, Go and the platforms) is locked the same way; where the two
 * blind labellers disagreed (Liquibase's wait for its lock), the taxonomy decided.
 * The eighteenth (`s18-`, 346 of 373 lines, 273 with their params, 41 must-share and 79
 * must-differ pairs; eleventh session) is a third blind corpus, deep where the first two were
 * thin: Spring Boot, HikariCP, Flyway, Quarkus, Tomcat; Go (pgx, grpc, slog, zap, panics, Go
 * durations); Node (pg, Prisma, Sequelize, mongoose, ioredis); GKE events and Cloud Functions.
 * One audit-twelve line (Flyway's applied migrations) was relabelled progress then.
 * The nineteenth (`s19-`, 211 of 214 lines, 119 with their params, 24 must-share and 21
 * must-differ pairs; twelfth session) is a fourth blind corpus centred on the core scenario: a
 * phased orchestrator's timeouts and progress in teams' own wordings (bracketed `[phase 3/6]`,
 * budgets, give-ups, described phases, structured fields), Cloud SQL through a VPC connector.
 */
interface Line {
  id: string;
  raw: string;
  expect: { category: string; params?: Record<string, unknown>; fragment?: string };
}

const fixture = (name: string) => new URL(`./fixtures/corpus/${name}`, import.meta.url);
const lines: Line[] = readFileSync(fixture('audit.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Line);
const groups = JSON.parse(readFileSync(fixture('audit-groups.json'), 'utf8')) as { same: [string, string][]; different: [string, string][] };

const engine = shippedEngine();
const results = new Map<string, OutputRecord>(lines.map((l) => [l.id, engine.classifyRecord(l.raw)]));
const canonical = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const categoryOf = (out: OutputRecord) => (out.status === 'rejected' ? 'invalid' : out.category);
const signatureOf = (id: string) => {
  const out = results.get(id);
  return out?.status === 'classified' ? out.signature_id : null;
};

describe('audited real-world wordings', () => {
  it('keep their labelled category', () => {
    const moved = lines.filter((l) => categoryOf(results.get(l.id) as OutputRecord) !== l.expect.category);
    expect(moved.map((l) => `${l.id}: ${l.expect.category} -> ${categoryOf(results.get(l.id) as OutputRecord)}`)).toEqual([]);
  });

  it('keep their labelled params', () => {
    const labelled = lines.filter((l) => l.expect.params !== undefined);
    expect(labelled.length).toBeGreaterThan(300);
    const changed = labelled.filter((l) => {
      const out = results.get(l.id) as OutputRecord;
      return out.status !== 'classified' || canonical(out.params) !== canonical(l.expect.params ?? {});
    });
    expect(changed.map((l) => l.id)).toEqual([]);
  });

  it('keep their fragment kind: lines of a split trace raise no signature of their own', () => {
    const labelled = lines.filter((l) => l.expect.fragment !== undefined);
    expect(labelled.length).toBeGreaterThan(300);
    const changed = labelled.filter((l) => {
      const out = results.get(l.id) as OutputRecord;
      return out.status !== 'classified' || out.fragment !== l.expect.fragment || out.signature_id !== null;
    });
    expect(changed.map((l) => l.id)).toEqual([]);
  });

  it('keep one signature for wordings of one failure, and apart those of different ones', () => {
    const split = groups.same.filter(([a, b]) => signatureOf(a) === null || signatureOf(a) !== signatureOf(b));
    const merged = groups.different.filter(([a, b]) => signatureOf(a) === signatureOf(b));
    expect({ split, merged }).toEqual({ split: [], merged: [] });
    expect(groups.same.length + groups.different.length).toBeGreaterThan(30);
  });
});
