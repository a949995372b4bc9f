import { z } from 'zod';

/**
 * The documented issue registry format (`faultline.issues.json`, README "Issue registry"):
 * tracker issues with the ways Faultline links them to signatures.
 */
const iso = z.iso.datetime({ offset: true });
export const SignatureIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a signature id is 16 hex characters');

/** Every field present must match the entry; params compare as strings (8 and "8.0" differ). */
export const MatchPredicate = z
  .object({
    category: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    rule_id: z.string().min(1).optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'an empty predicate would match every entry');
export type MatchPredicate = z.infer<typeof MatchPredicate>;

export const IssueComment = z.object({ created_at: iso, author: z.string(), body: z.string() });

export const Issue = z
  .object({
    number: z.number().int().positive(),
    title: z.string().min(1),
    state: z.enum(['open', 'closed']),
    created_at: iso,
    closed_at: iso.nullable().default(null),
    labels: z.array(z.string()).default([]),
    services: z.array(z.string()).default([]),
    url: z.url(),
    body: z.string().default(''),
    comments: z.array(IssueComment).default([]),
    /** explicit links */
    signatures: z.array(SignatureIdSchema).default([]),
    /** predicate links */
    match: z.array(MatchPredicate).default([]),
  })
  .refine((i) => (i.state === 'closed') === (i.closed_at !== null), { message: 'closed_at is set exactly when state is closed', path: ['closed_at'] });
export type Issue = z.infer<typeof Issue>;

export const IssuesFile = z
  .object({
    format: z.literal('faultline-issues/v1'),
    tracker: z.string().default('github'),
    repository: z.string().min(1),
    issues: z.array(Issue),
  })
  .refine((f) => new Set(f.issues.map((i) => i.number)).size === f.issues.length, { message: 'issue numbers must be unique', path: ['issues'] });
export type IssuesFile = z.infer<typeof IssuesFile>;

export type ParseIssues = { ok: true; file: IssuesFile } | { ok: false; error: string };

export function parseIssuesFile(value: unknown): ParseIssues {
  const r = IssuesFile.safeParse(value);
  if (r.success) return { ok: true, file: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ') };
}

/** Issues of several repositories share tables: the number alone is not a key. */
export const issueId = (repository: string, n: number) => `${repository}#${n}`;
