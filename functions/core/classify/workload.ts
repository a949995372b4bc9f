/**
 * The workload an entry belongs to. Signatures are scoped to one workload (a Cloud Run
 * service or job, a function, a GKE workload): the same failure in two services is two
 * signatures. Revisions, instances and pod suffixes never split a workload.
 */
export interface Workload {
  /** stable scope key for signature ids, e.g. `run:my-proj/api` */
  scope: string;
  /** display name: service, job, function or GKE workload name; null when unknown */
  service: string | null;
  revision: string | null;
  location: string | null;
  instanceId: string | null;
  project: string | null;
}

export interface ResourceLike {
  resource?: { type?: unknown; labels?: unknown };
  labels?: unknown;
  logName?: unknown;
  textPayload?: unknown;
  jsonPayload?: unknown;
}

type Labels = Record<string, unknown>;

function str(labels: Labels | undefined, key: string): string | null {
  const v = labels?.[key];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

// Deployment pods end in -<replicaset hash>-<5 chars>, StatefulSet pods in -<ordinal>.
const POD_SUFFIX = /(?:-[a-z0-9]{6,10}-[a-z0-9]{5}|-[a-z0-9]{5}|-\d+)$/;

export function podWorkload(pod: string): string {
  const stripped = pod.replace(POD_SUFFIX, '');
  return stripped.length > 0 ? stripped : pod;
}

function projectOf(entry: ResourceLike, labels: Labels | undefined): string | null {
  const fromLabels = str(labels, 'project_id');
  if (fromLabels) return fromLabels;
  const m = typeof entry.logName === 'string' ? /^projects\/([^/]+)\//.exec(entry.logName) : null;
  return m?.[1] ?? null;
}

function k8sName(rl: Labels | undefined, el: Labels | undefined): string | null {
  const app = str(el, 'k8s-pod/app') ?? str(el, 'k8s-pod/app_kubernetes_io/name');
  if (app) return app;
  const pod = str(rl, 'pod_name');
  return pod ? podWorkload(pod) : null;
}

// How the kubelet names the pod a line is about: `pod="default/api-7d9f8c6b5-xk2lp"` (structured
// klog), tried first; or `api-7d9f8c6b5-xk2lp_default(<uid>)` after `pod=`, `in pod ` or a quote.
const KUBELET_POD = /\bpod="([a-z0-9][a-z0-9-]{0,62})\/([a-z0-9][a-z0-9.-]{0,252})"/;
const KUBELET_POD_UID = /(?:\bpod[= ]|")([a-z0-9][a-z0-9.-]{0,252})_([a-z0-9][a-z0-9-]{0,62})\([0-9a-f-]{8,36}\)/;
const KUBELET_SCAN_CHARS = 2048;

/**
 * The pod a node's kubelet line is about, so the line belongs to that pod's workload (with its
 * events and container logs) rather than to every node of the project at once.
 */
function kubeletPod(entry: ResourceLike): { namespace: string; pod: string } | null {
  const payload = entry.jsonPayload as Labels | undefined;
  const text = typeof entry.textPayload === 'string' ? entry.textPayload : typeof payload?.MESSAGE === 'string' ? payload.MESSAGE : null;
  if (text === null) return null;
  const head = text.slice(0, KUBELET_SCAN_CHARS);
  const named = KUBELET_POD.exec(head);
  if (named) return { namespace: named[1]!, pod: named[2]! };
  const withUid = KUBELET_POD_UID.exec(head);
  return withUid ? { namespace: withUid[2]!, pod: withUid[1]! } : null;
}

function nameOf(type: string, rl: Labels | undefined, el: Labels | undefined, entry: ResourceLike): { family: string; name: string | null } {
  switch (type) {
    case 'cloud_run_revision':
      return { family: 'run', name: str(rl, 'service_name') };
    case 'cloud_run_job':
      return { family: 'run-job', name: str(rl, 'job_name') };
    case 'cloud_function':
      return { family: 'function', name: str(rl, 'function_name') };
    case 'k8s_container':
    case 'k8s_pod': {
      const name = k8sName(rl, el);
      const ns = str(rl, 'namespace_name');
      const cluster = str(rl, 'cluster_name');
      return { family: 'gke', name: name && `${cluster ?? '-'}/${ns ?? '-'}/${name}` };
    }
    case 'k8s_node': {
      const cluster = str(rl, 'cluster_name');
      const about = cluster === null ? null : kubeletPod(entry);
      if (about === null) return { family: type, name: null };
      return { family: 'gke', name: `${cluster}/${about.namespace}/${podWorkload(about.pod)}` };
    }
    default:
      return { family: type || 'unknown', name: null };
  }
}

const SCOPES_KEPT = 4096;
let scopes = new Map<string, Map<string, Map<string, string>>>();
let scopesKept = 0;

/**
 * `family:project/name`, the same string object each time a workload comes back: the memo of
 * repeated lines looks every entry up by its scope, and a fresh joined string would be copied
 * and hashed there on every entry.
 */
function scopeOf(family: string, project: string, name: string): string {
  let byProject = scopes.get(family);
  if (byProject === undefined) scopes.set(family, (byProject = new Map()));
  let byName = byProject.get(project);
  if (byName === undefined) byProject.set(project, (byName = new Map()));
  let scope = byName.get(name);
  if (scope === undefined) {
    if (++scopesKept > SCOPES_KEPT) {
      scopes = new Map();
      scopesKept = 0;
    }
    byName.set(name, (scope = `${family}:${project}/${name}`));
  }
  return scope;
}

export function workloadOf(entry: ResourceLike): Workload {
  const type = typeof entry.resource?.type === 'string' ? entry.resource.type : '';
  const rl = (typeof entry.resource?.labels === 'object' ? entry.resource.labels : undefined) as Labels | undefined;
  const el = (typeof entry.labels === 'object' && entry.labels !== null ? entry.labels : undefined) as Labels | undefined;
  const project = projectOf(entry, rl);
  const { family, name } = nameOf(type, rl, el, entry);
  const fallback = typeof entry.logName === 'string' ? entry.logName : 'unknown';
  const service = name === null ? null : name.slice(name.lastIndexOf('/') + 1);
  return {
    scope: scopeOf(family, project ?? '-', name ?? fallback),
    service,
    revision: str(rl, 'revision_name') ?? str(el, 'run.googleapis.com/revision') ?? null,
    location: str(rl, 'location') ?? str(rl, 'region') ?? null,
    instanceId: str(el, 'instanceId') ?? str(el, 'run.googleapis.com/instanceId') ?? str(rl, 'pod_name') ?? null,
    project,
  };
}
