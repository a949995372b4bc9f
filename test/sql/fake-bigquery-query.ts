import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocal } from '../helpers/http.js';

/**
 * A local stand-in for BigQuery's query endpoints, for the real @google-cloud/bigquery
 * client: it records every request (jobs.query is POST .../queries; the client may then
 * read results with GET .../queries/JOB_ID) and answers with a result set given in the
 * REST shape (`schema.fields`, `rows[].f[].v`).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export interface Field {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REPEATED' | 'REQUIRED';
  fields?: Field[];
}

export interface ResultSet {
  fields: Field[];
  /** rows as REST cells: `{ f: [{ v: '1' }, { v: [{ v: 'a' }] }] }` */
  rows: { f: { v: unknown }[] }[];
}

export class FakeBigQueryQueries {
  readonly requests: RecordedRequest[] = [];
  result: ResultSet = { fields: [], rows: [] };
  /** answer jobs.query with this status and a BigQuery error body instead */
  failWith: { status: number; reason: string; message: string } | null = null;
  private readonly server = createServer((req, res) => void this.handle(req, res));

  start(): Promise<string> {
    return listenLocal(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const path = (req.url ?? '').split('?')[0] as string;
    this.requests.push({ method: req.method ?? '', path, body: text ? (JSON.parse(text) as Record<string, unknown>) : null });
    const project = /^\/bigquery\/v2\/projects\/([^/]+)\/queries/.exec(path)?.[1];
    if (!project) return this.send(res, 404, { error: { code: 404, message: `not found: ${path}` } });
    if (this.failWith) {
      const { status, reason, message } = this.failWith;
      return this.send(res, status, { error: { code: status, message, errors: [{ reason, message }] } });
    }
    const answer: Record<string, unknown> = {
      kind: 'bigquery#queryResponse',
      jobReference: { projectId: project, jobId: 'job_1', location: 'EU' },
      jobComplete: true,
      schema: { fields: this.result.fields },
      totalRows: String(this.result.rows.length),
    };
    // BigQuery leaves `rows` out of an empty result
    if (this.result.rows.length > 0) answer.rows = this.result.rows;
    this.send(res, 200, answer);
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
