// State, arguments and output of the fake Google Cloud (cloud.mjs).
import { existsSync, readFileSync } from 'node:fs';

export const PROJECT_NUMBER = '123456789012';

export class CloudError extends Error {
  constructor(message, code = 1) {
    super(message);
    this.code = code;
  }
}

/** `--name=value`, `--name` and `-x` flags wherever they are; the rest are positionals in order. */
export function parseArgs(argv) {
  const words = [];
  const flags = new Map();
  for (const arg of argv) {
    const long = /^--([^=]+)(?:=([\s\S]*))?$/.exec(arg);
    if (long) flags.set(long[1], long[2] ?? true);
    else if (/^-[a-z]$/.test(arg)) flags.set(arg.slice(1), true);
    else words.push(arg);
  }
  return { words, flags };
}

export function loadState(file) {
  if (!existsSync(file)) return { services: [], resources: {}, policies: {}, counter: 0 };
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function policyOf(state, key) {
  state.policies[key] ??= { bindings: [] };
  return state.policies[key];
}

export function addBinding(state, key, role, member) {
  const policy = policyOf(state, key);
  let binding = policy.bindings.find((b) => b.role === role);
  if (!binding) policy.bindings.push((binding = { role, members: [] }));
  if (!binding.members.includes(member)) binding.members.push(member);
  return policy;
}

export function removeBinding(state, key, role, member) {
  const binding = policyOf(state, key).bindings.find((b) => b.role === role);
  if (!binding?.members.includes(member)) throw new CloudError(`policy has no binding of ${member} to ${role}`);
  binding.members = binding.members.filter((m) => m !== member);
}

/** A faultline-created service account must exist before anything is granted to it. */
export function requireMember(state, member) {
  const email = /^serviceAccount:(.+)$/.exec(member)?.[1];
  if (email?.endsWith('.iam.gserviceaccount.com') && !email.startsWith('service-') && !state.resources[`sa/${email}`]) {
    throw new CloudError(`INVALID_ARGUMENT: service account ${email} does not exist`);
  }
}

function get(value, path) {
  return path.split('.').reduce((v, key) => (v !== null && typeof v === 'object' ? v[key] : undefined), value);
}

/** gcloud's --format: value(a.b,c) (tab-separated, one line per item) or json. */
export function format(value, spec) {
  const items = Array.isArray(value) ? value : [value];
  if (spec === undefined || spec === 'json' || spec === 'prettyjson') return `${JSON.stringify(value, null, 2)}\n`;
  const fields = /^value\((.*)\)$/.exec(spec)?.[1].split(',');
  if (!fields) throw new CloudError(`fake cloud: unsupported --format=${spec}`, 2);
  const cell = (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return items.map((item) => `${fields.map((f) => cell(get(item, f.trim()))).join('\t')}\n`).join('');
}

