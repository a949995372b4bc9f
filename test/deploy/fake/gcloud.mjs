// The gcloud commands deploy.sh and teardown.sh use, against the fake state (cloud.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudError, PROJECT_NUMBER, addBinding, format, policyOf, removeBinding, requireMember } from './state.mjs';
import { deployFunction } from './functions.mjs';

const need = (flags, name) => {
  const v = flags.get(name);
  if (typeof v !== 'string' || v === '') throw new CloudError(`argument --${name} is required`, 2);
  return v;
};
const must = (state, key) => {
  const r = state.resources[key];
  if (!r) throw new CloudError(`NOT_FOUND: ${key}`);
  return r;
};
const create = (state, key, value) => {
  if (state.resources[key]) throw new CloudError(`ALREADY_EXISTS: ${key}`);
  state.resources[key] = value;
  return value;
};
const remove = (state, key) => {
  must(state, key);
  delete state.resources[key];
  delete state.policies[key];
};
const labels = (flag) => Object.fromEntries(typeof flag === 'string' ? flag.split(',').map((kv) => kv.split('=')) : []);

/** Resource key of each IAM-carrying command group, from its resource argument and flags. */
const IAM_KEYS = {
  projects: (name) => `project/${name}`,
  'pubsub topics': (name, f) => `topic/${need(f, 'project')}/${name}`,
  'pubsub subscriptions': (name, f) => `sub/${need(f, 'project')}/${name}`,
  secrets: (name, f) => `secret/${need(f, 'project')}/${name}`,
  'run services': (name, f) => `run/${need(f, 'project')}/${need(f, 'region')}/${name}`,
};

function iamCommands() {
  const commands = {};
  for (const [group, keyOf] of Object.entries(IAM_KEYS)) {
    const key = (state, words, flags) => {
      const k = keyOf(words[0], flags);
      if (group !== 'projects') must(state, k);
      return k;
    };
    commands[`${group} get-iam-policy`] = ({ state, words, flags }) => format(policyOf(state, key(state, words, flags)), flags.get('format'));
    commands[`${group} add-iam-policy-binding`] = ({ state, words, flags }) => {
      requireMember(state, need(flags, 'member'));
      return format(addBinding(state, key(state, words, flags), need(flags, 'role'), need(flags, 'member')), 'json');
    };
    commands[`${group} remove-iam-policy-binding`] = ({ state, words, flags }) => {
      removeBinding(state, key(state, words, flags), need(flags, 'role'), need(flags, 'member'));
      return '';
    };
  }
  return commands;
}

function topicCommands() {
  const key = (words, flags) => `topic/${need(flags, 'project')}/${words[0]}`;
  const sub = (words, flags) => `sub/${need(flags, 'project')}/${words[0]}`;
  const topicPath = (flags, name) => `projects/${need(flags, 'project')}/topics/${name}`;
  return {
    'pubsub topics describe': ({ state, words, flags }) => must(state, key(words, flags)),
    'pubsub topics create': ({ state, words, flags }) => void create(state, key(words, flags), { name: topicPath(flags, words[0]), labels: labels(flags.get('labels')) }),
    'pubsub topics delete': ({ state, words, flags }) => void remove(state, key(words, flags)),
    'pubsub subscriptions describe': ({ state, words, flags }) => must(state, sub(words, flags)),
    'pubsub subscriptions create': ({ state, words, flags }) => {
      must(state, `topic/${need(flags, 'project')}/${need(flags, 'topic')}`);
      create(state, sub(words, flags), {
        name: `projects/${need(flags, 'project')}/subscriptions/${words[0]}`,
        topic: topicPath(flags, need(flags, 'topic')),
        messageRetentionDuration: flags.get('message-retention-duration'),
        expirationPolicy: flags.get('expiration-period') === 'never' ? {} : { ttl: '2678400s' },
      });
    },
    'pubsub subscriptions update': ({ state, words, flags }) => {
      const s = must(state, sub(words, flags));
      const dead = need(flags, 'dead-letter-topic');
      must(state, `topic/${need(flags, 'project')}/${dead}`);
      const attempts = Number(need(flags, 'max-delivery-attempts'));
      if (!(attempts >= 5 && attempts <= 100)) throw new CloudError('max delivery attempts must be between 5 and 100');
      s.deadLetterPolicy = { deadLetterTopic: topicPath(flags, dead), maxDeliveryAttempts: attempts };
    },
    'pubsub subscriptions delete': ({ state, words, flags }) => void remove(state, sub(words, flags)),
  };
}

function secretCommands() {
  const key = (name, flags) => `secret/${need(flags, 'project')}/${name}`;
  return {
    'secrets describe': ({ state, words, flags }) => must(state, key(words[0], flags)),
    'secrets create': ({ state, words, flags }) => {
      need(flags, 'replication-policy');
      create(state, key(words[0], flags), { name: `projects/${PROJECT_NUMBER}/secrets/${words[0]}`, versions: [] });
    },
    'secrets delete': ({ state, words, flags }) => void remove(state, key(words[0], flags)),
    'secrets versions list': ({ state, words, flags }) => {
      const enabled = must(state, key(words[0], flags)).versions.filter((v) => flags.get('filter') !== 'state:ENABLED' || v.state === 'ENABLED');
      return enabled.reverse().slice(0, Number(flags.get('limit') ?? 100));
    },
    'secrets versions add': ({ state, words, flags, stdin }) => {
      const secret = must(state, key(words[0], flags));
      const file = need(flags, 'data-file');
      const data = file === '-' ? stdin() : readFileSync(file, 'utf8');
      secret.versions.push({ name: `${secret.name}/versions/${secret.versions.length + 1}`, state: 'ENABLED', data });
    },
    'secrets versions access': ({ state, words, flags }) => {
      const versions = must(state, key(need(flags, 'secret'), flags)).versions;
      if (words[0] !== 'latest' || versions.length === 0) throw new CloudError('NOT_FOUND: secret version');
      return versions.at(-1).data;
    },
  };
}

function sinkCommands() {
  const key = (words, flags) => `sink/${need(flags, 'project')}/${words[0]}`;
  return {
    'logging sinks describe': ({ state, words, flags }) => must(state, key(words, flags)),
    'logging sinks create': ({ state, words, flags }) => {
      const topic = /^pubsub\.googleapis\.com\/projects\/([^/]+)\/topics\/([^/]+)$/.exec(words[1] ?? '');
      if (!topic) throw new CloudError(`unsupported sink destination ${words[1]}`, 2);
      must(state, `topic/${topic[1]}/${topic[2]}`);
      const writerIdentity = `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com`;
      create(state, key(words, flags), { name: words[0], destination: words[1], filter: need(flags, 'log-filter'), writerIdentity });
    },
    'logging sinks update': ({ state, words, flags }) => void (must(state, key(words, flags)).filter = need(flags, 'log-filter')),
    'logging sinks delete': ({ state, words, flags }) => void remove(state, key(words, flags)),
  };
}

function schedulerCommands() {
  const key = (words, flags) => `job/${need(flags, 'project')}/${need(flags, 'location')}/${words[0]}`;
  return {
    'scheduler jobs describe': ({ state, words, flags }) => must(state, key(words, flags)),
    'scheduler jobs create pubsub': ({ state, words, flags }) => {
      const topic = /^projects\/([^/]+)\/topics\/([^/]+)$/.exec(need(flags, 'topic'));
      if (!topic) throw new CloudError('--topic must be a topic path', 2);
      must(state, `topic/${topic[1]}/${topic[2]}`);
      need(flags, 'message-body');
      create(state, key(words, flags), { name: words[0], schedule: need(flags, 'schedule'), timeZone: flags.get('time-zone'), pubsubTarget: { topicName: topic[0] } });
    },
    'scheduler jobs update pubsub': ({ state, words, flags }) => void (must(state, key(words, flags)).schedule = need(flags, 'schedule')),
    'scheduler jobs delete': ({ state, words, flags }) => void remove(state, key(words, flags)),
  };
}

const COMMANDS = {
  ...iamCommands(),
  ...topicCommands(),
  ...secretCommands(),
  ...sinkCommands(),
  ...schedulerCommands(),
  'projects describe': ({ words }) => ({ projectId: words[0], projectNumber: PROJECT_NUMBER }),
  'services list': ({ state }) => state.services.map((name) => ({ config: { name } })),
  'services enable': ({ state, words }) => void state.services.push(...words.filter((w) => !state.services.includes(w))),
  'iam service-accounts describe': ({ state, words }) => must(state, `sa/${words[0]}`),
  'iam service-accounts create': ({ state, words, flags }) => {
    const email = `${words[0]}@${need(flags, 'project')}.iam.gserviceaccount.com`;
    create(state, `sa/${email}`, { email, displayName: flags.get('display-name') });
  },
  'iam service-accounts delete': ({ state, words }) => void remove(state, `sa/${words[0]}`),
  'functions describe': ({ state, words, flags }) => {
    if (flags.get('v2') !== true) throw new CloudError('the fake answers only --v2 describes', 2);
    return must(state, `function/${need(flags, 'project')}/${need(flags, 'region')}/${words[0]}`);
  },
  'functions deploy': (ctx) => {
    const source = need(ctx.flags, 'source');
    if (!existsSync(join(source, 'package.json'))) throw new CloudError(`no package.json in --source ${source}`);
    deployFunction(ctx.state, ctx.words[0], ctx.flags);
  },
  'functions delete': ({ state, words, flags }) => {
    const key = `function/${need(flags, 'project')}/${need(flags, 'region')}/${words[0]}`;
    const fn = must(state, key);
    remove(state, key);
    const trigger = `trigger/${need(flags, 'project')}/${need(flags, 'region')}/${fn.eventTrigger.trigger.split('/').at(-1)}`;
    const subscription = `sub/${need(flags, 'project')}/${state.resources[trigger].transport.pubsub.subscription.split('/').at(-1)}`;
    delete state.resources[subscription];
    delete state.policies[subscription];
    delete state.resources[trigger];
    const service = `run/${need(flags, 'project')}/${need(flags, 'region')}/${words[0]}`;
    delete state.resources[service];
    delete state.policies[service];
  },
  'eventarc triggers describe': ({ state, words, flags }) => must(state, `trigger/${need(flags, 'project')}/${need(flags, 'location')}/${words[0]}`),
};

// Commands whose answer is a resource, printed in --format.
const DESCRIBES = /(^| )(describe|list)$/;

export function gcloud(state, { words, flags }, stdin) {
  for (let n = Math.min(words.length, 4); n > 0; n--) {
    const path = words.slice(0, n).join(' ');
    const run = COMMANDS[path];
    if (!run) continue;
    if (path !== 'projects describe' && !flags.has('project') && !/^projects /.test(path)) throw new CloudError(`${path}: deploy.sh must pass --project`, 2);
    const answer = run({ state, words: words.slice(n), flags, stdin });
    return DESCRIBES.test(path) ? format(answer, flags.get('format')) : (answer ?? '');
  }
  throw new CloudError(`fake gcloud: unsupported command: ${words.join(' ')}`, 2);
}
