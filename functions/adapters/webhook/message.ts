import type { Alert, AlertIssue } from '../../core/alerts/schema.js';
import { logsUrl } from '../../core/alerts/policy.js';
import { redactText } from '../../core/redact.js';

/**
 * The Slack-compatible body of an alert: Block Kit blocks plus `text`, the fallback that
 * notifications and clients without blocks show. Alerts carry redacted text already; every
 * string is redacted again here because this one leaves the project.
 */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const TITLES: Record<Alert['kind'], string> = {
  new_signature: 'New failure signature',
  regression: 'Regression',
  escalation: 'Escalation',
  spike: 'Spike',
  slo: 'Startup SLO breached',
  digest: 'Alert digest',
};

// Slack's limits: header text 150, section text 3000, field text 2000 characters.
const cut = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max - 1) + '…');
/** Slack mrkdwn control characters; redacted first so a marker like <redacted> is escaped too. */
const esc = (s: string) => redactText(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const field = (label: string, value: string) => ({ type: 'mrkdwn', text: cut(`*${label}*\n${value}`, 2000) });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text, 3000) } });

/** A link Slack renders; the URL's own "|" and ">" would end it early. */
const link = (url: string, label: string) => `<${redactText(url).replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${esc(label)}>`;

function issueText(i: AlertIssue): string {
  const state = i.closed_at ? `closed ${i.closed_at}` : i.state;
  return `${link(i.url, `#${i.number}`)} ${esc(i.title)} (${state}; ${esc(i.link)})`;
}

function fields(a: Alert): Record<string, unknown>[] {
  const out = [
    field('Category', esc(a.category ?? '—')),
    field('Service', esc(a.service ?? '—')),
    field('First seen', esc(a.first_seen)),
    field('Count', String(a.count)),
  ];
  if (a.revision) out.push(field('Revision', esc(a.revision)));
  if (a.signature_id) out.push(field('Signature', `\`${esc(a.signature_id)}\``));
  out.push(field('Issue', a.issue ? issueText(a.issue) : 'none linked'));
  return out.slice(0, 10); // a section holds at most 10 fields
}

function details(a: Alert): string[] {
  const lines: string[] = [];
  const params = Object.entries(a.params);
  if (params.length > 0) lines.push(`*Params* ${params.map(([k, v]) => `\`${esc(k)}=${esc(String(v))}\``).join(' ')}`);
  if (a.regression) lines.push(`*Came back after* ${issueText(a.regression.closed_issue)}`);
  if (a.escalation) lines.push(`*Escalated* \`${esc(a.escalation.param)}\` ${a.escalation.from} → ${a.escalation.to}`);
  if (a.measure) {
    const base = a.measure.baseline === null ? '' : `, baseline ${a.measure.baseline}`;
    lines.push(`*Measured* ${a.measure.value} (threshold ${a.measure.threshold}${base})`);
  }
  return lines;
}

/** The example line in a code block; a ``` inside it would close the block. */
function example(a: Alert): Record<string, unknown>[] {
  if (!a.example) return [];
  return [section(`*Example*\n\`\`\`${cut(esc(a.example).replace(/```/g, "'''"), 2900)}\`\`\``)];
}

function digestBlock(a: Alert): Record<string, unknown>[] {
  if (!a.digest || a.digest.length === 0) return [];
  const items = a.digest.slice(0, 20).map((d) => `• ${esc(d.kind)}: ${esc(d.summary)}`);
  if (a.digest.length > 20) items.push(`… and ${a.digest.length - 20} more`);
  return [section(items.join('\n'))];
}

/** The Cloud Logging query of the alert, or one built from its project and service. */
export function alertLogsUrl(a: Alert): string | null {
  return a.logs_url ?? logsUrl({ project: a.project, service: a.service, first_seen: a.first_seen });
}

function links(a: Alert): Record<string, unknown>[] {
  const parts: string[] = [];
  const logs = alertLogsUrl(a);
  if (logs) parts.push(link(logs, 'Cloud Logging'));
  if (a.issue) parts.push(link(a.issue.url, `Issue #${a.issue.number}`));
  parts.push(`\`${esc(a.alert_key)}\``);
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: cut(parts.join(' · '), 3000) }] }];
}

export function slackMessage(a: Alert): SlackMessage {
  const title = `${TITLES[a.kind]}${a.service ? ` in ${a.service}` : ''}`;
  const text = cut(`${title}: ${redactText(a.summary)}`, 3000);
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, 150), emoji: false } },
    section(esc(a.summary)),
    { type: 'section', fields: fields(a) },
    ...(details(a).length > 0 ? [section(details(a).join('\n'))] : []),
    ...example(a),
    ...digestBlock(a),
    ...links(a),
  ];
  return { text, blocks };
}
