// `gcloud functions deploy --gen2` in the fake cloud: validates the flags the real service
// would refuse, and creates the function with its Cloud Run service, Eventarc trigger and
// push subscription, as the real deploy does.
import { CloudError, policyOf } from './state.mjs';

const need = (flags, name) => {
  const v = flags.get(name);
  if (typeof v !== 'string' || v === '') throw new CloudError(`argument --${name} is required`, 2);
  return v;
};

function requireAccount(state, email, what) {
  if (!state.resources[`sa/${email}`]) throw new CloudError(`INVALID_ARGUMENT: ${what} ${email} does not exist`);
}

/** Cloud Run refuses a revision whose identity cannot read a mounted secret. */
function secretEnv(state, flags, project, runtimeEmail) {
  const spec = flags.get('set-secrets');
  if (spec === undefined) return [];
  return String(spec).split(',').map((pair) => {
    const [variable, ref] = pair.split('=');
    const [secret, version] = ref.split(':');
    const stored = state.resources[`secret/${project}/${secret}`];
    if (!stored || stored.versions.length === 0) throw new CloudError(`secret ${secret} has no version ${version}`);
    const readers = policyOf(state, `secret/${project}/${secret}`).bindings.find((b) => b.role === 'roles/secretmanager.secretAccessor');
    if (!readers?.members.includes(`serviceAccount:${runtimeEmail}`)) throw new CloudError(`PERMISSION_DENIED: ${runtimeEmail} cannot access secret ${secret}`);
    return { key: variable, secret, version };
  });
}

function validate(state, flags, project) {
  if (flags.get('gen2') !== true) throw new CloudError('deploy.sh deploys 2nd gen functions: --gen2 is missing', 2);
  if (need(flags, 'runtime') !== 'nodejs20') throw new CloudError('expected --runtime=nodejs20', 2);
  need(flags, 'entry-point');
  requireAccount(state, need(flags, 'service-account'), 'service account');
  requireAccount(state, need(flags, 'trigger-service-account'), 'trigger service account');
  const build = /^projects\/([^/]+)\/serviceAccounts\/(.+)$/.exec(need(flags, 'build-service-account'));
  if (!build || build[1] !== project) throw new CloudError('--build-service-account must be projects/PROJECT/serviceAccounts/EMAIL', 2);
  requireAccount(state, build[2], 'build service account');
  if (!state.resources[`topic/${project}/${need(flags, 'trigger-topic')}`]) throw new CloudError(`NOT_FOUND: topic ${flags.get('trigger-topic')}`);
}

export function deployFunction(state, name, flags) {
  const project = need(flags, 'project');
  const region = need(flags, 'region');
  validate(state, flags, project);
  const key = `function/${project}/${region}/${name}`;
  const existing = state.resources[key];
  const topic = `projects/${project}/topics/${need(flags, 'trigger-topic')}`;
  const triggerId = existing?.eventTrigger.trigger.split('/').at(-1) ?? `${name}-${++state.counter}`;
  const subscription = `eventarc-${region}-${triggerId}-sub-${state.counter}`;
  const labels = Object.fromEntries(String(flags.get('update-labels') ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')));
  const env = Object.fromEntries(String(flags.get('set-env-vars') ?? '').split(',').filter(Boolean).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
  state.resources[key] = {
    name: `projects/${project}/locations/${region}/functions/${name}`,
    environment: 'GEN_2',
    buildConfig: { runtime: flags.get('runtime'), entryPoint: flags.get('entry-point'), serviceAccount: flags.get('build-service-account') },
    serviceConfig: {
      service: `projects/${project}/locations/${region}/services/${name}`,
      serviceAccountEmail: flags.get('service-account'),
      ingressSettings: flags.get('ingress-settings'),
      environmentVariables: env,
      secretEnvironmentVariables: secretEnv(state, flags, project, flags.get('service-account')),
      availableMemory: flags.get('memory'),
      availableCpu: flags.get('cpu'),
      maxInstanceRequestConcurrency: Number(flags.get('concurrency')),
      maxInstanceCount: Number(flags.get('max-instances')),
      timeoutSeconds: Number.parseInt(String(flags.get('timeout')), 10),
    },
    eventTrigger: {
      trigger: `projects/${project}/locations/${region}/triggers/${triggerId}`,
      pubsubTopic: topic,
      retryPolicy: flags.get('retry') === true ? 'RETRY_POLICY_RETRY' : 'RETRY_POLICY_DO_NOT_RETRY',
      serviceAccountEmail: flags.get('trigger-service-account'),
    },
    labels: { ...existing?.labels, ...labels },
    deployments: (existing?.deployments ?? 0) + 1,
  };
  // A redeploy replaces the trigger's subscription: whatever was set on the old one is gone.
  if (existing) {
    const old = state.resources[`trigger/${project}/${region}/${triggerId}`].transport.pubsub.subscription.split('/').at(-1);
    delete state.resources[`sub/${project}/${old}`];
    delete state.policies[`sub/${project}/${old}`];
  }
  state.resources[`trigger/${project}/${region}/${triggerId}`] = {
    name: `projects/${project}/locations/${region}/triggers/${triggerId}`,
    transport: { pubsub: { topic, subscription: `projects/${project}/subscriptions/${subscription}` } },
  };
  state.resources[`sub/${project}/${subscription}`] = { name: `projects/${project}/subscriptions/${subscription}`, topic, pushConfig: {} };
  state.resources[`run/${project}/${region}/${name}`] ??= { name };
}
