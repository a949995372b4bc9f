import { describe, expect, it } from 'vitest';
import { workloadOf } from '../../../functions/core/classify/workload.js';
import { classified } from '../../helpers/entries.js';

const node = { type: 'k8s_node', labels: { project_id: 'p', location: 'us-central1-a', cluster_name: 'prod', node_name: 'gke-prod-pool-1-abcd1234-x9z8' } };
const kubelet = (text: string, over: Record<string, unknown> = {}) => ({ logName: 'projects/p/logs/kubelet', resource: node, timestamp: '2026-11-29T12:00:05Z', severity: 'ERROR', textPayload: text, ...over });
const SYNC =
  'E1129 12:00:01.123456    1834 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"api\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=api pod=api-7d9f8c6b5-xk2lp_default(0f1e2d3c)\\"" pod="default/api-7d9f8c6b5-xk2lp" podUID="0f1e2d3c"';

describe("workloadOf: a node's kubelet line belongs to the pod it is about", () => {
  it('takes the workload from the structured pod="namespace/name" or the older name_namespace(uid)', () => {
    const pod = { type: 'k8s_pod', labels: { project_id: 'p', location: 'us-central1', cluster_name: 'prod', namespace_name: 'default', pod_name: 'api-7d9f8c6b5-q9w8e' } };
    const event = workloadOf({ resource: pod, logName: 'projects/p/logs/events' });
    expect(workloadOf(kubelet(SYNC))).toMatchObject({ scope: event.scope, service: 'api' });
    const older = 'Back-off restarting failed container api in pod api-7d9f8c6b5-xk2lp_default(4f3c2a1b-0000-4000-8000-000000000000)';
    expect(workloadOf(kubelet(older)).scope).toBe(event.scope);
    expect(workloadOf({ ...kubelet(''), textPayload: undefined, jsonPayload: { MESSAGE: SYNC } }).scope).toBe(event.scope);
  });

  it('reads no pod into a quoted name_name( that has no pod uid after it', () => {
    expect(workloadOf(kubelet('kubelet: "container_gc(" failed: context deadline exceeded')).scope).toBe('k8s_node:p/projects/p/logs/kubelet');
  });

  it("keeps a node's lines about no pod (a kernel OOM kill) under the node log's scope, as before", () => {
    const oom = { resource: node, logName: 'projects/p/logs/events', jsonPayload: { message: 'Memory cgroup out of memory: Killed process 4242 (python)' } };
    expect(workloadOf(oom)).toMatchObject({ scope: 'k8s_node:p/projects/p/logs/events', service: null });
  });

  it('so the same crash loop in two namespaces is two signatures, and in two pods of one workload one', () => {
    const other = SYNC.replaceAll('default', 'staging');
    const twoPods = SYNC.replaceAll('xk2lp', 'q9w8e');
    const a = classified(kubelet(SYNC));
    const b = classified(kubelet(other));
    const c = classified(kubelet(twoPods));
    expect(a.category).toBe('restart_backoff');
    expect(a.signature_id).not.toBe(b.signature_id);
    expect(a.signature_id).toBe(c.signature_id);
  });
});

describe('workloadOf: scopes are remembered (bounded) and stay right', () => {
  it('gives each workload its own scope before and after the remembered ones start over', () => {
    const run = (service: string, project = 'p') => workloadOf({ logName: `projects/${project}/logs/run`, resource: { type: 'cloud_run_revision', labels: { project_id: project, service_name: service } } });
    expect(run('api').scope).toBe('run:p/api');
    for (let i = 0; i < 10_000; i++) expect(run(`svc-${i}`, i % 2 === 0 ? 'p' : 'q').scope).toBe(`run:${i % 2 === 0 ? 'p' : 'q'}/svc-${i}`);
    expect(run('api').scope).toBe('run:p/api');
    expect(run('api', 'q').scope).toBe('run:q/api');
  });
});
