import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloud, flag, mutations, registeredEntryPoints, snapshotRepo, words, type Call, type CloudState, type RunResult } from './harness.js';

const PROJECT = 'faultline-test';
const REGION = 'europe-west1';
const ARGS = ['--project', PROJECT, '--region', REGION];

// Which topic triggers which entry point, and under which function name (README: Deploy to Google Cloud).
const FUNCTIONS: Record<string, { name: string; topic: string }> = {
  ingestLogEntry: { name: 'faultline-ingest', topic: 'faultline-log-entries' },
  evaluateAlerts: { name: 'faultline-evaluate-alerts', topic: 'faultline-evaluate-alerts-tick' },
};

let cloud: FakeCloud;
let root: string;
let first: RunResult;
let second: RunResult;
let dry: RunResult;
let afterFirst: CloudState;

// The fake's resources are free-form JSON (as gcloud prints them), read field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const resource = (state: CloudState, key: string): Json => state.resources[key];
const indexWhere = (calls: Call[], test: (c: Call) => boolean) => calls.findIndex(test);
const isCall = (c: Call, ...path: string[]) => path.every((p, i) => words(c)[i] === p);

beforeAll(async () => {
  cloud = await FakeCloud.start();
  root = snapshotRepo();
  first = await cloud.run(root, 'deploy.sh', PROJECT, ARGS);
  afterFirst = cloud.state(PROJECT);
  second = await cloud.run(root, 'deploy.sh', PROJECT, ARGS);
  dry = await cloud.run(root, 'deploy.sh', 'dry-run-project', [...ARGS, '--dry-run']);
}, 120_000);

afterAll(() => cloud.stop());

describe('deploy.sh on an empty project', () => {
  it('succeeds and creates topics, service accounts, the dead-letter subscription and the sink', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const keys = Object.keys(afterFirst.resources);
    for (const topic of ['faultline-log-entries', 'faultline-alerts', 'faultline-dead-letter', 'faultline-evaluate-alerts-tick']) {
      expect(keys).toContain(`topic/${PROJECT}/${topic}`);
    }
    for (const sa of ['faultline-ingest', 'faultline-alerts', 'faultline-trigger', 'faultline-build']) {
      expect(keys).toContain(`sa/${sa}@${PROJECT}.iam.gserviceaccount.com`);
    }
    const keep = resource(afterFirst, `sub/${PROJECT}/faultline-dead-letter-keep`);
    expect(keep).toMatchObject({ topic: `projects/${PROJECT}/topics/faultline-dead-letter`, expirationPolicy: {} });
    expect(resource(afterFirst, `sink/${PROJECT}/faultline-startup-logs`)?.destination).toBe(
      `pubsub.googleapis.com/projects/${PROJECT}/topics/faultline-log-entries`,
    );
    expect(resource(afterFirst, `dataset/${PROJECT}/faultline`)?.location).toBe(REGION);
  });

  it('creates the tables of schemas/bigquery with the partitioning, clustering and expiration of schemas/tables.json', () => {
    const settings = JSON.parse(readFileSync(join(root, 'schemas', 'tables.json'), 'utf8')) as Record<string, Json>;
    const files = readdirSync(join(root, 'schemas', 'bigquery')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const name = file.slice(0, -'.json'.length);
      const table = resource(afterFirst, `table/${PROJECT}/faultline/${name}`);
      expect(table?.type, name).toBe('TABLE');
      expect(table?.schema.fields).toEqual(JSON.parse(readFileSync(join(root, 'schemas', 'bigquery', file), 'utf8')));
      const want = settings[name];
      if (want?.timePartitioning) {
        // tables without expirationDays (issues, issue_links: tracker history) never expire
        const days = want.timePartitioning.expirationDays;
        expect(table?.timePartitioning).toEqual({
          type: want.timePartitioning.type,
          field: want.timePartitioning.field,
          ...(days === undefined ? {} : { expirationMs: String(days * 86_400_000) }),
        });
      } else expect(table?.timePartitioning).toBeUndefined();
      expect(table?.clustering?.fields).toEqual(want?.clustering);
    }
  });

  it('creates one view per sql/views file, for this dataset, after everything it reads', () => {
    const files = readdirSync(join(root, 'sql', 'views')).filter((f) => f.endsWith('.sql') && !f.endsWith('.duckdb.sql'));
    const views = Object.entries(afterFirst.resources).filter(([k, v]) => k.startsWith(`table/${PROJECT}/faultline/`) && v.type === 'VIEW');
    expect(views.map(([k]) => k.split('/').at(-1)).sort()).toEqual(files.map((f) => f.slice(0, -4)).sort());
    const made = first.calls.filter((c) => c.tool === 'bq' && isCall(c, 'mk') && flag(c, 'view') !== undefined);
    made.forEach((call, i) => {
      const sql = flag(call, 'view') ?? '';
      expect(sql).not.toContain('${dataset}');
      const reads = [...sql.matchAll(/`faultline-test\.faultline\.(\w+)`/g)].map((m) => m[1]);
      const earlier = made.slice(0, i).map((c) => words(c).at(-1)?.split('.').at(-1));
      for (const read of reads.filter((r) => files.includes(`${r}.sql`))) expect(earlier, `${words(call).at(-1)} reads ${read}`).toContain(read);
    });
  });

  it('deploys one gen-2 function per entry point registered in functions/index.ts, with retries and a dead-letter topic', () => {
    const entryPoints = registeredEntryPoints(root);
    expect(entryPoints).toContain('ingestLogEntry');
    const deployed = Object.entries(afterFirst.resources).filter(([k]) => k.startsWith(`function/${PROJECT}/${REGION}/`));
    expect(deployed.map(([, f]) => (f.buildConfig as { entryPoint: string }).entryPoint).sort()).toEqual([...entryPoints].sort());
    for (const entry of entryPoints) {
      const spec = FUNCTIONS[entry];
      const fn = resource(afterFirst, `function/${PROJECT}/${REGION}/${spec?.name}`);
      expect(fn?.environment).toBe('GEN_2');
      expect(fn?.buildConfig.runtime).toBe('nodejs20');
      expect(fn?.eventTrigger).toMatchObject({ pubsubTopic: `projects/${PROJECT}/topics/${spec?.topic}`, retryPolicy: 'RETRY_POLICY_RETRY' });
      expect(fn?.serviceConfig.ingressSettings).toBe('internal-only');
      const trigger = resource(afterFirst, `trigger/${PROJECT}/${REGION}/${String(fn?.eventTrigger.trigger).split('/').at(-1)}`);
      const sub = resource(afterFirst, `sub/${PROJECT}/${String(trigger?.transport.pubsub.subscription).split('/').at(-1)}`);
      expect(sub?.deadLetterPolicy).toEqual({ deadLetterTopic: `projects/${PROJECT}/topics/faultline-dead-letter`, maxDeliveryAttempts: 10 });
    }
    const job = resource(afterFirst, `job/${PROJECT}/${REGION}/faultline-evaluate-alerts`);
    if (entryPoints.includes('evaluateAlerts')) expect(job?.pubsubTarget.topicName).toBe(`projects/${PROJECT}/topics/faultline-evaluate-alerts-tick`);
    else expect(job).toBeUndefined();
  });

  it('runs the steps in an order that works: APIs first, grants before deploys, the sink last', () => {
    const changes = mutations(first.calls);
    expect(words(changes[0] ?? { tool: '', args: [] }).slice(0, 2)).toEqual(['services', 'enable']);
    const deploy = indexWhere(first.calls, (c) => isCall(c, 'functions', 'deploy'));
    const lastRuntimeGrant = first.calls.findLastIndex((c) => c.tool === 'gcloud' && isCall(c, 'secrets', 'add-iam-policy-binding'));
    expect(lastRuntimeGrant).toBeGreaterThan(-1);
    expect(lastRuntimeGrant).toBeLessThan(deploy);
    expect(indexWhere(first.calls, (c) => isCall(c, 'pubsub', 'subscriptions', 'update'))).toBeGreaterThan(deploy);
    expect(indexWhere(first.calls, (c) => isCall(c, 'logging', 'sinks', 'create'))).toBeGreaterThan(first.calls.findLastIndex((c) => isCall(c, 'functions', 'deploy')));
  });
});

describe('deploy.sh run again', () => {
  it('creates, changes and grants nothing', () => {
    expect(second.code).toBe(0);
    expect(second.calls.length).toBeGreaterThan(10);
    expect(mutations(second.calls)).toEqual([]);
    expect(cloud.state(PROJECT)).toEqual(afterFirst);
  });
});

describe('deploy.sh --dry-run', () => {
  it('runs nothing and prints exactly the commands a first run runs', () => {
    expect(dry.code).toBe(0);
    expect(dry.calls).toEqual([]);
    expect(cloud.state('dry-run-project').resources).toEqual({});
    // Values only Google Cloud knows stand as placeholders in a dry run.
    const trigger = (name: string) => String(resource(afterFirst, `function/${PROJECT}/${REGION}/${name}`)?.eventTrigger.trigger).split('/').at(-1) ?? '';
    const writer = String(resource(afterFirst, `sink/${PROJECT}/faultline-startup-logs`)?.writerIdentity);
    const placeholders: [string, string][] = [[writer, '<sink-writer-identity>'], ['123456789012', '<project-number>']];
    for (const name of ['faultline-ingest', 'faultline-evaluate-alerts']) {
      const t = resource(afterFirst, `trigger/${PROJECT}/${REGION}/${trigger(name)}`);
      if (!t) continue;
      placeholders.push([String(t.transport.pubsub.subscription).split('/').at(-1) ?? '', `<eventarc-subscription-of-${name}>`], [trigger(name), `<eventarc-trigger-of-${name}>`]);
    }
    const normalize = (arg: string) => placeholders.reduce((a, [real, shown]) => a.split(real).join(shown), arg);
    expect(dry.printed).toEqual(first.calls.map((c) => [c.tool, ...c.args.map(normalize)]));
  });
});
