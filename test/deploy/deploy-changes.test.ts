import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloud, flag, mutations, snapshotRepo, words, type Call } from './harness.js';

// Each deploy.sh run makes ~80 calls to the fake cloud: allow for a loaded machine.
const RUN_TIMEOUT_MS = 120_000;

const BASE = 'faultline-base';
const REGION = 'europe-west1';
const args = (project: string, ...more: string[]) => ['--project', project, '--region', REGION, ...more];
const summary = (calls: Call[]) => calls.map((c) => `${c.tool} ${words(c).slice(0, 4).join(' ')}`);

let cloud: FakeCloud;
let root: string;

beforeAll(async () => {
  cloud = await FakeCloud.start();
  root = snapshotRepo();
  const base = await cloud.run(root, 'deploy.sh', BASE, args(BASE));
  expect(base.code, base.stderr).toBe(0);
}, 120_000);

afterAll(() => cloud.stop());

/** A copy of the deployed project's state (the scenario's own state file) and of the repository to change. */
function deployedCopy(project: string): string {
  cloud.copyProject(BASE, project);
  return snapshotRepo();
}

describe('deploy.sh brings a deployment up to date', () => {
  it('deploys a function again when its source changed, and restores its subscription settings', async () => {
    const copy = deployedCopy('changed-source');
    appendFileSync(join(copy, 'functions', 'config.ts'), '\n// changed\n');
    const run = await cloud.run(copy, 'deploy.sh', 'changed-source', args(BASE));
    expect(run.code, run.stderr).toBe(0);
    const changes = summary(mutations(run.calls));
    expect(changes.filter((c) => c.includes('functions deploy faultline-ingest'))).toHaveLength(1);
    // The fake replaces the Eventarc subscription on a redeploy, as a changed trigger can.
    // (the fake numbers subscriptions per trigger created, and evaluateAlerts has one too)
    expect(changes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^gcloud pubsub subscriptions update eventarc-europe-west1-faultline-ingest-\d+-sub-\d+$/),
      expect.stringMatching(/^gcloud pubsub subscriptions add-iam-policy-binding eventarc-europe-west1-faultline-ingest-\d+-sub-\d+$/),
    ]));
    expect(changes.filter((c) => !/functions deploy|pubsub subscriptions (update|add-iam-policy-binding)/.test(c))).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it('adds new columns of a schema file to the table and updates a changed view', async () => {
    const copy = deployedCopy('changed-schema');
    const schema = join(copy, 'schemas', 'bigquery', 'rejected_entries.json');
    const fields = JSON.parse(readFileSync(schema, 'utf8')) as unknown[];
    writeFileSync(schema, JSON.stringify([...fields, { name: 'added_later', type: 'STRING', mode: 'NULLABLE', description: 'test' }]));
    const view = readdirSync(join(copy, 'sql', 'views')).find((f) => f === 'events.sql');
    if (view) appendFileSync(join(copy, 'sql', 'views', view), '\n-- changed\n');
    const run = await cloud.run(copy, 'deploy.sh', 'changed-schema', args(BASE));
    expect(run.code, run.stderr).toBe(0);
    const expected = [`bq update ${BASE}:faultline.rejected_entries ${schema}`];
    if (view) expected.push(`bq update ${BASE}:faultline.events`);
    const changes = summary(mutations(run.calls));
    expect(changes.filter((c) => c.startsWith('bq '))).toEqual(expected);
    // schemas/ and sql/ ship with the functions (the SQL library reads them), so they are deployed again.
    expect(changes.filter((c) => !c.startsWith('bq ') && !/functions deploy|pubsub subscriptions (update|add-iam-policy-binding)/.test(c))).toEqual([]);
    const table = cloud.state('changed-schema').resources[`table/${BASE}/faultline/rejected_entries`] as { schema: { fields: { name: string }[] } };
    expect(table.schema.fields.at(-1)?.name).toBe('added_later');
  }, RUN_TIMEOUT_MS);

  it('changes only the sink when --service-filter changes', async () => {
    cloud.copyProject(BASE, 'new-filter');
    const run = await cloud.run(root, 'deploy.sh', 'new-filter', args(BASE, '--service-filter', 'resource.labels.service_name="api"'));
    expect(run.code, run.stderr).toBe(0);
    const changes = mutations(run.calls);
    expect(summary(changes)).toEqual(['gcloud logging sinks update faultline-startup-logs']);
    expect(flag(changes[0] ?? { tool: '', args: [] }, 'log-filter')).toMatch(/ AND \(resource\.labels\.service_name="api"\)$/);
  }, RUN_TIMEOUT_MS);
});

describe('deploy.sh and evaluateAlerts', () => {
  it('deploys it behind its scheduler job once functions/index.ts registers it, idempotently', async () => {
    const copy = snapshotRepo();
    const index = join(copy, 'functions', 'index.ts');
    if (!readFileSync(index, 'utf8').includes("'evaluateAlerts'")) appendFileSync(index, "functions.cloudEvent('evaluateAlerts', async () => undefined);\n");
    const run = await cloud.run(copy, 'deploy.sh', 'alerts', args(BASE, '--schedule', '*/5 * * * *'));
    expect(run.code, run.stderr).toBe(0);
    const state = cloud.state('alerts');
    const fn = state.resources[`function/${BASE}/${REGION}/faultline-evaluate-alerts`] as { buildConfig: { entryPoint: string }; eventTrigger: { pubsubTopic: string } };
    expect(fn.buildConfig.entryPoint).toBe('evaluateAlerts');
    expect(fn.eventTrigger.pubsubTopic).toBe(`projects/${BASE}/topics/faultline-evaluate-alerts-tick`);
    const job = state.resources[`job/${BASE}/${REGION}/faultline-evaluate-alerts`] as { schedule: string; pubsubTarget: { topicName: string } };
    expect(job).toMatchObject({ schedule: '*/5 * * * *', pubsubTarget: { topicName: fn.eventTrigger.pubsubTopic } });
    const again = await cloud.run(copy, 'deploy.sh', 'alerts', args(BASE, '--schedule', '*/5 * * * *'));
    expect(mutations(again.calls)).toEqual([]);
    const rescheduled = await cloud.run(copy, 'deploy.sh', 'alerts', args(BASE));
    expect(summary(mutations(rescheduled.calls))).toEqual(['gcloud scheduler jobs update pubsub']);
  }, RUN_TIMEOUT_MS);
});

describe('deploy.sh and the webhook secret', () => {
  const url = 'https://hooks.example.com/services/T000/B000/very-secret-token';

  it('stores the URL once, mounts it in the functions, and never shows it', async () => {
    const file = join(cloud.dir, 'webhook.txt');
    writeFileSync(file, `${url}\n`);
    cloud.copyProject(BASE, 'webhook');
    const firstRun = await cloud.run(root, 'deploy.sh', 'webhook', args(BASE, '--webhook-url-file', file));
    expect(firstRun.code, firstRun.stderr).toBe(0);
    const state = cloud.state('webhook');
    const secret = state.resources[`secret/${BASE}/faultline-webhook-url`] as { versions: { data: string }[] };
    expect(secret.versions.map((v) => v.data)).toEqual([url]);
    const fn = state.resources[`function/${BASE}/${REGION}/faultline-ingest`] as { serviceConfig: { secretEnvironmentVariables: unknown[] } };
    expect(fn.serviceConfig.secretEnvironmentVariables).toEqual([{ key: 'FAULTLINE_WEBHOOK_URL', secret: 'faultline-webhook-url', version: 'latest' }]);
    expect(`${firstRun.stdout}${firstRun.stderr}${JSON.stringify(firstRun.calls)}`).not.toContain('very-secret-token');

    const again = await cloud.run(root, 'deploy.sh', 'webhook', args(BASE, '--webhook-url-file', file));
    expect(mutations(again.calls)).toEqual([]);

    writeFileSync(file, url.replace('very-secret-token', 'rotated-token'));
    const rotated = await cloud.run(root, 'deploy.sh', 'webhook', args(BASE, '--webhook-url-file', file));
    expect(summary(mutations(rotated.calls))).toEqual(['gcloud secrets versions add faultline-webhook-url']);
  }, RUN_TIMEOUT_MS);

  it('refuses a webhook URL that is not https', async () => {
    const file = join(cloud.dir, 'plain.txt');
    writeFileSync(file, 'http://hooks.example.com/x');
    const run = await cloud.run(root, 'deploy.sh', 'plain', args(BASE, '--webhook-url-file', file, '--dry-run'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('https://');
  }, RUN_TIMEOUT_MS);
});

describe('deploy.sh arguments', () => {
  it.each([
    [['--region', REGION], '--project is required'],
    [['--project', 'Bad_Project', '--region', REGION], 'not a project id'],
    [['--project', 'good-project', '--region', 'mars'], 'not a region'],
    [['--project', 'good-project', '--region', REGION, '--dataset', 'bad-name'], 'not a BigQuery dataset name'],
    [['--project', 'good-project', '--region', REGION, '--frobnicate'], "unknown argument '--frobnicate'"],
    [['--project'], '--project needs a value'],
  ])('refuses %j before calling anything', async (argv, message) => {
    const run = await cloud.run(root, 'deploy.sh', 'args', argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.calls).toEqual([]);
  });

  it('prints its usage with --help', async () => {
    const run = await cloud.run(root, 'deploy.sh', 'args', ['--help']);
    expect(run.code).toBe(0);
    for (const option of ['--project', '--region', '--dataset', '--service-filter', '--dry-run']) expect(run.stdout).toContain(option);
  }, RUN_TIMEOUT_MS);

  it('refuses to guess how to deploy an entry point it does not know', async () => {
    const copy = snapshotRepo();
    appendFileSync(join(copy, 'functions', 'index.ts'), "functions.http('somethingElse', () => undefined);\n");
    const run = await cloud.run(copy, 'deploy.sh', 'unknown-entry', args(BASE));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('somethingElse');
    expect(run.calls).toEqual([]);
  }, RUN_TIMEOUT_MS);
});
