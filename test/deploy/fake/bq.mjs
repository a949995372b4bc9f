// The bq commands deploy.sh and teardown.sh use, against the fake state (cloud.mjs).
import { readFileSync } from 'node:fs';
import { CloudError, format, requireMember } from './state.mjs';

/** `P:D` or `P:D.T` into state keys. */
function ref(id) {
  const m = /^([a-z][a-z0-9-]+):([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?$/.exec(id ?? '');
  if (!m) throw new CloudError(`bq: not a fully qualified PROJECT:DATASET[.TABLE]: ${id}`, 2);
  const [, project, dataset, table] = m;
  return { project, dataset, table, datasetKey: `dataset/${project}/${dataset}`, key: table ? `table/${project}/${dataset}/${table}` : `dataset/${project}/${dataset}` };
}

function notFound(id) {
  return new CloudError(`BigQuery error in show operation: Not found: ${id}`, 2);
}

/** A view may only read tables and views that exist: deploy.sh must create them in order. */
function requireReferences(state, sql) {
  for (const [, project, dataset, table] of sql.matchAll(/`([a-z][a-z0-9-]+)\.(\w+)\.(\w+)`/g)) {
    if (!state.resources[`table/${project}/${dataset}/${table}`]) throw new CloudError(`Not found: Table ${project}:${dataset}.${table} (referenced by the view)`, 2);
  }
}

function mkTable(state, r, flags) {
  const schemaFile = flags.get('schema');
  if (typeof schemaFile !== 'string') throw new CloudError('bq mk --table needs --schema', 2);
  const table = { tableReference: { projectId: r.project, datasetId: r.dataset, tableId: r.table }, type: 'TABLE', description: flags.get('description') };
  table.schema = { fields: JSON.parse(readFileSync(schemaFile, 'utf8')) };
  if (flags.has('time_partitioning_field')) {
    table.timePartitioning = { type: flags.get('time_partitioning_type'), field: flags.get('time_partitioning_field') };
    if (flags.has('time_partitioning_expiration')) table.timePartitioning.expirationMs = String(Number(flags.get('time_partitioning_expiration')) * 1000);
  }
  if (flags.has('clustering_fields')) table.clustering = { fields: String(flags.get('clustering_fields')).split(',') };
  return table;
}

function mk(state, words, flags) {
  const r = ref(words[1]);
  if (state.resources[r.key]) throw new CloudError(`BigQuery error in mk operation: Already Exists: ${words[1]}`, 2);
  if (flags.get('dataset') === true) {
    if (typeof flags.get('location') !== 'string') throw new CloudError('bq mk --dataset: deploy.sh must set --location', 2);
    state.resources[r.key] = { datasetReference: { projectId: r.project, datasetId: r.dataset }, location: flags.get('location'), access: [] };
    return;
  }
  if (!state.resources[r.datasetKey]) throw new CloudError(`Not found: Dataset ${r.project}:${r.dataset}`, 2);
  if (flags.has('view')) {
    if (flags.get('use_legacy_sql') !== 'false') throw new CloudError('views must be GoogleSQL: --use_legacy_sql=false', 2);
    requireReferences(state, String(flags.get('view')));
    state.resources[r.key] = { tableReference: { projectId: r.project, datasetId: r.dataset, tableId: r.table }, type: 'VIEW', description: flags.get('description'), view: { query: flags.get('view'), useLegacySql: false } };
    return;
  }
  if (flags.get('table') !== true) throw new CloudError('bq mk: expected --dataset, --table or --view', 2);
  state.resources[r.key] = mkTable(state, r, flags);
}

function update(state, words, flags) {
  const r = ref(words[1]);
  const existing = state.resources[r.key];
  if (!existing) throw notFound(words[1]);
  if (flags.has('view')) {
    requireReferences(state, String(flags.get('view')));
    existing.view = { query: flags.get('view'), useLegacySql: false };
  } else {
    existing.schema = { fields: JSON.parse(readFileSync(words[2], 'utf8')) };
  }
}

// BigQuery lists the basic dataset roles under their legacy names.
const LEGACY = { 'roles/bigquery.dataEditor': 'WRITER', 'roles/bigquery.dataViewer': 'READER', 'roles/bigquery.dataOwner': 'OWNER' };

function query(state, words, flags) {
  if (flags.get('use_legacy_sql') !== 'false') throw new CloudError('DCL needs --use_legacy_sql=false', 2);
  const m = /^(GRANT|REVOKE) `([^`]+)` ON SCHEMA `([^.`]+)\.([^`]+)` (?:TO|FROM) "serviceAccount:([^"]+)"$/.exec(words[1] ?? '');
  if (!m) throw new CloudError(`fake bq: unsupported query: ${words[1]}`, 2);
  const [, verb, role, project, dataset, email] = m;
  const ds = state.resources[`dataset/${project}/${dataset}`];
  if (!ds) throw new CloudError(`Not found: Dataset ${project}:${dataset}`, 2);
  if (flags.get('location') !== ds.location) throw new CloudError(`query location ${flags.get('location')} is not the dataset's (${ds.location})`, 2);
  requireMember(state, `serviceAccount:${email}`);
  const entry = { role: LEGACY[role] ?? role, userByEmail: email };
  ds.access = ds.access.filter((a) => !(a.role === entry.role && a.userByEmail === email));
  if (verb === 'GRANT') ds.access.push(entry);
}

export function bq(state, { words, flags }) {
  switch (words[0]) {
    case 'show': {
      const r = ref(words[1]);
      if (!state.resources[r.key]) throw notFound(words[1]);
      return format(state.resources[r.key], 'json');
    }
    case 'mk':
      return void mk(state, words, flags);
    case 'update':
      return void update(state, words, flags);
    case 'query':
      return void query(state, words, flags);
    case 'rm': {
      const r = ref(words[1]);
      if (!state.resources[r.key]) throw notFound(words[1]);
      for (const key of Object.keys(state.resources)) if (key === r.key || key.startsWith(`table/${r.project}/${r.dataset}/`)) delete state.resources[key];
      return '';
    }
    default:
      throw new CloudError(`fake bq: unsupported command: ${words.join(' ')}`, 2);
  }
}
