import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloud, mutations, snapshotRepo, words, type CloudState } from './harness.js';

// Each deploy.sh run makes ~80 calls to the fake cloud: allow for a loaded machine.
const RUN_TIMEOUT_MS = 120_000;

const PROJECT = 'faultline-gone';
const ARGS = ['--project', PROJECT, '--region', 'us-central1'];

let cloud: FakeCloud;
let root: string;
let deployed: CloudState;

beforeAll(async () => {
  cloud = await FakeCloud.start();
  root = snapshotRepo();
  const run = await cloud.run(root, 'deploy.sh', 'deployed', ARGS);
  expect(run.code, run.stderr).toBe(0);
  deployed = cloud.state('deployed');
}, 120_000);

afterAll(() => cloud.stop());

const faultlineMembers = (state: CloudState) =>
  Object.values(state.policies).flatMap((p) => p.bindings.flatMap((b) => b.members.filter((m) => m.includes(`@${PROJECT}.iam.gserviceaccount.com`))));

describe('teardown.sh', () => {
  it('deletes everything deploy.sh created but the data, and revokes the grants on the data', async () => {
    cloud.copyProject('deployed', 'kept');
    const run = await cloud.run(root, 'teardown.sh', 'kept', [...ARGS, '--yes']);
    expect(run.code, run.stderr).toBe(0);
    const state = cloud.state('kept');
    const left = Object.keys(state.resources);
    expect(left.every((k) => k.startsWith(`dataset/${PROJECT}/`) || k.startsWith(`table/${PROJECT}/`))).toBe(true);
    expect(left.filter((k) => k.startsWith('table/')).sort()).toEqual(Object.keys(deployed.resources).filter((k) => k.startsWith('table/')).sort());
    expect(faultlineMembers(state)).toEqual([]);
    expect((state.resources[`dataset/${PROJECT}/faultline`] as { access: unknown[] }).access).toEqual([]);
    // Nothing flows in while the rest is deleted: the sink goes first.
    expect(words(mutations(run.calls)[0] ?? { tool: '', args: [] }).slice(0, 3)).toEqual(['logging', 'sinks', 'delete']);

    const again = await cloud.run(root, 'teardown.sh', 'kept', [...ARGS, '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(mutations(again.calls)).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it('deletes the dataset too with --delete-data', async () => {
    cloud.copyProject('deployed', 'deleted');
    const run = await cloud.run(root, 'teardown.sh', 'deleted', [...ARGS, '--yes', '--delete-data']);
    expect(run.code, run.stderr).toBe(0);
    expect(cloud.state('deleted').resources).toEqual({});
  }, RUN_TIMEOUT_MS);

  it('deletes nothing without --yes, and only prints with --dry-run', async () => {
    cloud.copyProject('deployed', 'untouched');
    const refused = await cloud.run(root, 'teardown.sh', 'untouched', ARGS);
    expect(refused.code).toBe(2);
    expect(refused.calls).toEqual([]);
    const dry = await cloud.run(root, 'teardown.sh', 'untouched', [...ARGS, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.calls).toEqual([]);
    expect(cloud.state('untouched')).toEqual(deployed);
    const printed = dry.printed.map((c) => c.slice(0, 4).join(' '));
    for (const cmd of ['gcloud logging sinks delete', 'gcloud functions delete faultline-ingest', 'gcloud pubsub topics delete', 'gcloud iam service-accounts delete']) {
      expect(printed.some((p) => p.startsWith(cmd))).toBe(true);
    }
  }, RUN_TIMEOUT_MS);
});
