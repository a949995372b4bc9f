import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloud, flag, registeredEntryPoints, snapshotRepo, words, type Call, type CloudState, type RunResult } from './harness.js';

const PROJECT = 'faultline-iam';
const SA_DOMAIN = `@${PROJECT}.iam.gserviceaccount.com`;
const PUBSUB_AGENT = 'service-PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com';

interface Grant {
  identity: string;
  role: string;
  on: string;
}
const key = (g: Grant) => `${g.identity} | ${g.role} | ${g.on}`;
const ticked = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? '';

/** The table under "IAM grants" in the README's "Deploy to Google Cloud" section. */
function documentedGrants(readme: string): Grant[] {
  const section = readme.slice(readme.indexOf('## Deploy to Google Cloud'));
  const table = section.slice(section.indexOf('**IAM grants**'));
  const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| identity') && !l.startsWith('| ---'));
  const grants: Grant[] = [];
  for (const row of rows) {
    const [identity = '', role = '', on = ''] = row.split('|').slice(1, -1).map((c) => c.trim());
    if (!identity.includes('`')) break;
    const kind = on.replace(/`[^`]*`/g, '').trim().toLowerCase();
    grants.push({ identity: ticked(identity), role: ticked(role), on: `${kind} ${ticked(on)}`.trim() });
  }
  return grants;
}

/** Who each recorded grant went to, in the README's terms. */
function grantsMade(calls: Call[], state: CloudState): Grant[] {
  const sink = state.resources[`sink/${PROJECT}/faultline-startup-logs`] as { writerIdentity: string };
  const subscriptionOf = new Map<string, string>();
  for (const [k, fn] of Object.entries(state.resources).filter(([k]) => k.startsWith('function/'))) {
    const [, , , region, , id] = String((fn.eventTrigger as { trigger: string }).trigger).split('/');
    const trigger = state.resources[`trigger/${PROJECT}/${region}/${id}`];
    subscriptionOf.set(String((trigger?.transport as { pubsub: { subscription: string } }).pubsub.subscription).split('/').at(-1) ?? '', k.split('/').at(-1) ?? '');
  }
  const identity = (member: string) => {
    if (member === sink.writerIdentity) return 'writerIdentity';
    if (/^serviceAccount:service-\d+@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/.test(member)) return PUBSUB_AGENT;
    return member.endsWith(SA_DOMAIN) ? member.slice('serviceAccount:'.length, -SA_DOMAIN.length) : member;
  };
  const grants: Grant[] = [];
  for (const call of calls) {
    const w = words(call);
    if (call.tool === 'bq' && w[0] === 'query') {
      const m = /^GRANT `([^`]+)` ON SCHEMA `[^.]+\.([^`]+)` TO "(serviceAccount:[^"]+)"$/.exec(w[1] ?? '');
      if (m) grants.push({ identity: identity(m[3] ?? ''), role: m[1] ?? '', on: `dataset ${m[2]}` });
      continue;
    }
    const at = w.indexOf('add-iam-policy-binding');
    if (call.tool !== 'gcloud' || at === -1) continue;
    const group = w.slice(0, at).join(' ');
    const resource = w[at + 1] ?? '';
    const on = {
      projects: 'project',
      'pubsub topics': `topic ${resource}`,
      'pubsub subscriptions': `eventarc subscription of ${subscriptionOf.get(resource) ?? resource}`,
      secrets: `secret ${resource}`,
      'run services': `function ${resource}`,
    }[group];
    grants.push({ identity: identity(flag(call, 'member') ?? ''), role: flag(call, 'role') ?? '', on: on ?? `${group} ${resource}` });
  }
  return grants;
}

let cloud: FakeCloud;
let root: string;
let run: RunResult;

beforeAll(async () => {
  cloud = await FakeCloud.start();
  root = snapshotRepo();
  run = await cloud.run(root, 'deploy.sh', PROJECT, ['--project', PROJECT, '--region', 'us-central1']);
}, 120_000);

afterAll(() => cloud.stop());

describe('deploy.sh IAM', () => {
  it('grants exactly the roles the README documents, and each one once', () => {
    expect(run.code).toBe(0);
    const documented = documentedGrants(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(documented.length).toBeGreaterThanOrEqual(14);
    // Grants on evaluateAlerts' own function and subscription exist once it is registered.
    const deployed = registeredEntryPoints(root).includes('evaluateAlerts');
    const expected = documented.filter((g) => deployed || !g.on.endsWith('faultline-evaluate-alerts')).map(key).sort();
    const made = grantsMade(run.calls, cloud.state(PROJECT)).map(key);
    expect(made.sort()).toEqual(expected);
  });

  it("leaves the project's own policy with the documented project-level grants only", () => {
    const documented = documentedGrants(readFileSync(join(root, 'README.md'), 'utf8')).filter((g) => g.on === 'project');
    const bindings = cloud.state(PROJECT).policies[`project/${PROJECT}`]?.bindings ?? [];
    const held = bindings.flatMap((b) => b.members.map((m) => `${m.slice('serviceAccount:'.length, -SA_DOMAIN.length)} | ${b.role} | project`));
    expect(documented.length).toBeGreaterThan(0);
    expect(held.sort()).toEqual(documented.map(key).sort());
  });
});
