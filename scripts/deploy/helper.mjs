#!/usr/bin/env node
// Local, read-only work for deploy.sh and teardown.sh: reading the repository (entry points,
// table definitions, views in dependency order, the source hash) and parsing the JSON that
// gcloud and bq print. It never calls Google Cloud; the shell scripts do.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';

const out = (line) => process.stdout.write(`${line}\n`);
const fail = (message) => {
  process.stderr.write(`deploy helper: ${message}\n`);
  process.exit(2);
};
const readStdin = () => readFileSync(0, 'utf8');

/** `functions.cloudEvent('NAME', ...)` and `functions.http('NAME', ...)` registrations, in order. */
function entryPoints(indexFile) {
  const text = readFileSync(indexFile, 'utf8');
  return [...text.matchAll(/functions\.(?:cloudEvent|http)\(\s*['"]([A-Za-z_$][\w$]*)['"]/g)].map((m) => m[1]);
}

/** One row per table: name, schema file, partition field, type, expiration (s), clustering, description. */
function tables(root) {
  const dir = join(root, 'schemas', 'bigquery');
  const settings = JSON.parse(readFileSync(join(root, 'schemas', 'tables.json'), 'utf8'));
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  for (const name of Object.keys(settings)) {
    if (!names.includes(name)) fail(`schemas/tables.json names ${name}, but schemas/bigquery/${name}.json does not exist`);
  }
  return names.map((name) => {
    const t = settings[name] ?? {};
    const p = t.timePartitioning ?? {};
    const expirationS = p.expirationDays === undefined ? '' : String(p.expirationDays * 86_400);
    return [name, join(dir, `${name}.json`), p.field ?? '', p.field ? (p.type ?? 'DAY') : '', expirationS, (t.clustering ?? []).join(','), t.description ?? ''];
  });
}

const stripComments = (sql) => sql.replace(/--[^\n]*/g, '');

/** The first paragraph of the header comment, as the view's description. */
function headline(sql) {
  const lines = [];
  for (const line of sql.split('\n')) {
    const text = line.startsWith('--') ? line.replace(/^--\s?/, '').trim() : null;
    if (text === null || text === '') {
      if (lines.length > 0 || text === null) break;
      continue;
    }
    lines.push(text);
  }
  return lines.join(' ');
}

/** Kahn's algorithm, alphabetical among the ready ones so the order is stable. */
function dependencyOrder(deps) {
  const order = [];
  const pending = new Map([...deps].map(([name, d]) => [name, new Set(d)]));
  while (pending.size > 0) {
    const ready = [...pending].filter(([, d]) => d.size === 0).map(([n]) => n).sort();
    if (ready.length === 0) fail(`views reference each other in a cycle: ${[...pending.keys()].sort().join(', ')}`);
    for (const name of ready) {
      order.push(name);
      pending.delete(name);
      for (const d of pending.values()) d.delete(name);
    }
  }
  return order;
}

/**
 * The views of sql/views/ (NAME.sql; NAME.duckdb.sql overrides are local-mode only), rendered
 * for BigQuery into outDir, in dependency order: `${dataset}.other_view` is a dependency.
 */
function views(root, project, dataset, outDir) {
  const dir = join(root, 'sql', 'views');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql') && !f.endsWith('.duckdb.sql'));
  const sources = new Map(files.map((f) => [f.slice(0, -4), readFileSync(join(dir, f), 'utf8')]));
  const deps = new Map();
  for (const [name, sql] of sources) {
    const refs = [...stripComments(sql).matchAll(/\$\{dataset\}\.`?([A-Za-z_]\w*)/g)].map((m) => m[1]);
    deps.set(name, [...new Set(refs.filter((r) => sources.has(r) && r !== name))]);
  }
  mkdirSync(outDir, { recursive: true });
  return dependencyOrder(deps).map((name) => {
    // `project.dataset.name` quoted as one path: the form BigQuery documents for project ids with dashes.
    const sql = sources
      .get(name)
      .replace(/\$\{dataset\}\.([A-Za-z_]\w*)/g, (_, table) => `\`${project}.${dataset}.${table}\``)
      .replaceAll('${dataset}', `\`${project}.${dataset}\``);
    const file = join(outDir, `${name}.sql`);
    writeFileSync(file, sql);
    return [name, file, headline(sources.get(name))];
  });
}

/** Patterns `!/path` of .gcloudignore: the files gcloud uploads. */
function uploadedPaths(root) {
  return readFileSync(join(root, '.gcloudignore'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('!/'))
    .map((l) => l.slice(2).replace(/\/$/, ''));
}

function walk(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => walk(join(path, entry)));
}

/** 16 hex chars over the uploaded sources and the deployment's own settings. */
function sourceHash(root, settings) {
  const h = createHash('sha256').update(settings).update('\0');
  const files = uploadedPaths(root).flatMap((p) => walk(join(root, p))).map((f) => relative(root, f)).sort();
  for (const f of files) h.update(f).update('\0').update(readFileSync(join(root, f))).update('\0');
  return h.digest('hex').slice(0, 16);
}

function get(value, path) {
  return path.split('.').reduce((v, key) => (v !== null && typeof v === 'object' ? v[key] : undefined), value);
}

const parseJson = (text) => {
  try {
    return JSON.parse(text.trim() === '' ? '{}' : text);
  } catch {
    return fail('expected JSON on stdin');
  }
};

/** An IAM policy (get-iam-policy --format=json) as "ROLE MEMBER" pairs. */
function bindings(policy) {
  return (policy.bindings ?? []).flatMap((b) => (b.members ?? []).map((m) => `${b.role} ${m}`));
}

// BigQuery lists dataset access with the legacy names of the basic roles.
const LEGACY_DATASET_ROLES = { OWNER: 'roles/bigquery.dataOwner', WRITER: 'roles/bigquery.dataEditor', READER: 'roles/bigquery.dataViewer' };

/** The service accounts a dataset (bq show --format=prettyjson) grants a role to, as "ROLE EMAIL". */
function datasetAccess(dataset) {
  return (dataset.access ?? []).flatMap((a) => {
    const email = a.userByEmail ?? /^serviceAccount:(.+)$/.exec(a.iamMember ?? '')?.[1];
    return email ? [`${LEGACY_DATASET_ROLES[a.role] ?? a.role} ${email}`] : [];
  });
}

/** Views that exist (currentDir/NAME.json, from bq show) with another query than viewsDir/NAME.sql. */
function changedViews(viewsDir, currentDir) {
  if (!existsSync(currentDir)) return [];
  return readdirSync(currentDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((name) => {
      const wanted = readFileSync(join(viewsDir, `${name}.sql`), 'utf8').replace(/\n+$/, '');
      return get(parseJson(readFileSync(join(currentDir, `${name}.json`), 'utf8')), 'view.query') !== wanted;
    })
    .sort();
}

/** Top-level columns of the schema file that the table (bq show --format=prettyjson) lacks. */
function missingColumns(table, schemaFile) {
  const have = new Set((get(table, 'schema.fields') ?? []).map((f) => f.name));
  return JSON.parse(readFileSync(schemaFile, 'utf8')).map((f) => f.name).filter((n) => !have.has(n));
}

const [command, ...args] = process.argv.slice(2);
// Fields are joined with the unit separator: bash `read` would merge empty tab-separated fields.
const tsv = (rows) => rows.forEach((r) => out(r.join('\x1f')));
switch (command) {
  case 'entry-points':
    entryPoints(args[0]).forEach((n) => out(n));
    break;
  case 'tables':
    tsv(tables(args[0]));
    break;
  case 'views':
    tsv(views(args[0], args[1], args[2], args[3]));
    break;
  case 'source-hash':
    out(sourceHash(args[0], args[1] ?? ''));
    break;
  case 'json-get': {
    const v = get(parseJson(readStdin()), args[0]);
    out(v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    break;
  }
  case 'bindings':
    bindings(parseJson(readStdin())).forEach((l) => out(l));
    break;
  case 'dataset-access':
    datasetAccess(parseJson(readStdin())).forEach((l) => out(l));
    break;
  case 'changed-views':
    changedViews(args[0], args[1]).forEach((n) => out(n));
    break;
  case 'missing-columns':
    missingColumns(parseJson(readStdin()), args[0]).forEach((n) => out(n));
    break;
  default:
    fail(`unknown command ${command ?? '(none)'}`);
}
