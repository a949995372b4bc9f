import type { Alert } from './schema.js';

export interface StormOptions {
  /** alerts delivered on their own per service and window */
  perServiceLimit: number;
  /** new-signature candidates (unrelated entries that look like failures) per service and window */
  candidateLimit: number;
  windowMs: number;
}

export const DEFAULT_STORM: StormOptions = { perServiceLimit: 5, candidateLimit: 1, windowMs: 10 * 60_000 };

interface Window {
  service: string;
  start: number;
  sent: number;
  candidates: number;
  held: Alert[];
}

/**
 * At most N alerts per service per window (by the alerts' own time, so a replay behaves as
 * the live stream did); the rest are held and rolled into one digest per window.
 */
export class StormControl {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: StormOptions = DEFAULT_STORM) {}

  /** 'send' or 'digest', without counting it: only a claimed alert is counted (`record`). */
  decide(alert: Alert, candidate = false): 'send' | 'digest' {
    const w = this.window(alert);
    const overCandidates = candidate && w.candidates >= this.options.candidateLimit;
    return overCandidates || w.sent >= this.options.perServiceLimit ? 'digest' : 'send';
  }

  record(alert: Alert, decision: 'send' | 'digest', candidate = false): void {
    const w = this.window(alert);
    if (decision === 'digest') w.held.push(alert);
    else {
      w.sent += 1;
      if (candidate) w.candidates += 1;
    }
  }

  private window(alert: Alert): Window {
    const service = alert.service ?? '-';
    const start = Math.floor(Date.parse(alert.first_seen) / this.options.windowMs) * this.options.windowMs;
    const id = `${service}|${start}`;
    let w = this.windows.get(id);
    if (!w) this.windows.set(id, (w = { service, start, sent: 0, candidates: 0, held: [] }));
    return w;
  }

  /** Digest alerts of the windows (ended before `endedBeforeMs`) that held alerts, oldest first; each once. */
  digests(raisedAt: string, endedBeforeMs = Infinity): Alert[] {
    const out: Alert[] = [];
    for (const w of [...this.windows.values()].sort((a, b) => a.start - b.start)) {
      if (w.held.length === 0 || w.start + this.options.windowMs > endedBeforeMs) continue;
      out.push(digestOf(w, raisedAt));
      w.held = [];
    }
    return out;
  }
}

function digestOf(w: Window, raisedAt: string): Alert {
  const first = new Date(w.start).toISOString();
  const held = w.held;
  return {
    schema: 'faultline-alert/v1',
    alert_key: `digest|${w.service}|${first}|${held[0]?.alert_key ?? ''}`,
    kind: 'digest',
    summary: `${held.length} more alert(s) on ${w.service} in the window from ${first} (storm control)`,
    service: w.service,
    project: held[0]?.project ?? null,
    signature_id: null,
    category: null,
    params: {},
    first_seen: first,
    raised_at: raisedAt,
    count: held.length,
    revision: null,
    event_id: null,
    example: null,
    issue: null,
    regression: null,
    escalation: null,
    measure: null,
    digest: held.map((a) => ({ alert_key: a.alert_key, kind: a.kind, summary: a.summary })),
    logs_url: null,
  };
}
