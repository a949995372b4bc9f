import { createEngine, type Engine } from '../../functions/core/engine.js';
import type { ClassifiedRecord, OutputRecord } from '../../functions/core/classify/entry.js';
import { loadRules } from '../../functions/rules/load.js';

let engine: Engine | null = null;

/** The engine with the shipped rules, loaded once per test file. */
export function shippedEngine(): Engine {
  if (!engine) {
    const { rules, classifierVersion } = loadRules();
    engine = createEngine(rules, classifierVersion);
  }
  return engine;
}

let counter = 0;

/** A Cloud Run LogEntry with a text payload, as a sink would deliver it. */
export function runEntry(text: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    insertId: `ins${counter}`,
    logName: 'projects/acme-prod/logs/run.googleapis.com%2Fstderr',
    resource: {
      type: 'cloud_run_revision',
      labels: { project_id: 'acme-prod', service_name: 'api', revision_name: 'api-00012-xyz', location: 'europe-west1' },
    },
    timestamp: '2026-03-01T10:00:00.123456Z',
    severity: 'ERROR',
    labels: { instanceId: '00f4a2b9c1' },
    textPayload: text,
    ...over,
  };
}

export function withService(entry: Record<string, unknown>, service: string): Record<string, unknown> {
  const resource = entry.resource as { type: string; labels: Record<string, string> };
  return { ...entry, resource: { ...resource, labels: { ...resource.labels, service_name: service } } };
}

/** Classifies one entry object and insists it was classified. */
export function classified(entry: unknown): ClassifiedRecord {
  const out: OutputRecord = shippedEngine().classifyRecord(JSON.stringify(entry));
  if (out.status !== 'classified') throw new Error(`expected classified, got ${JSON.stringify(out)}`);
  return out;
}
