import { z } from 'zod';
import { CATEGORIES } from '../taxonomy.js';

/**
 * Rules are data: one JSON file per topic under functions/rules/<version>/NNN_topic.json.
 * This schema is the contract for those files; the loader rejects anything else.
 */

/** `duration`: a duration token in any spelling (`2m0s`, `PT1M30S`, `2 minutes`), read as seconds (duration.ts). */
const ParamType = z.enum(['int', 'float', 'string', 'duration']);
/** Units are normalised into the key's unit: `512M` -> 512 for a `_mib` key, `30000ms` -> 30 for `_s`. */
const ParamSpec = z.union([
  ParamType,
  z.object({
    type: ParamType,
    /** a literal value set when the rule matches (e.g. `"probe_type": {"type":"string","value":"TCP"}`) */
    value: z.union([z.string(), z.number()]).optional(),
    /** unit conversion of the captured number into the key's unit */
    scale: z.number().positive().optional(),
  }),
]);

const Example = z.object({
  /** the message text as the engine sees it (one line or a multi-line traceback) */
  text: z.string().min(1),
  /** expected params; when given, must equal the extracted params exactly */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const SignatureDef = z.object({
  /**
   * The identity of the failure. Rules that describe different wordings of one failure share
   * a key (libpq old/new wording, raw asyncpg vs SQLAlchemy-wrapped). Ids derive from it.
   */
  key: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/),
  /** bump deliberately to change ids; record the old definition in `history` */
  version: z.number().int().positive(),
  /** params whose values split the signature (taxonomy "what splits"); others never do */
  by: z.array(z.string()).default([]),
  /**
   * Also split by the masked template of the matched text. For generic rules (an unhandled
   * exception of any type) where the taxonomy says "the message template decides".
   */
  withTemplate: z.boolean().default(false),
  history: z
    .array(z.object({ version: z.number().int().positive(), by: z.array(z.string()), changed: z.string() }))
    .default([]),
});

export const Rule = z.object({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/),
  category: z.enum(CATEGORIES),
  description: z.string().min(1),
  /**
   * Literal substrings of which at least one must appear (case-sensitive) before the pattern
   * runs: a cheap prefilter that keeps RE2 calls rare. Each must be implied by the pattern.
   */
  anyOf: z.array(z.string().min(3)).min(1),
  /** RE2 syntax, named groups `(?P<name>...)` become params; matched against one line or block */
  pattern: z.string().min(1),
  /** case-insensitive matching */
  ignoreCase: z.boolean().default(false),
  params: z.record(z.string(), ParamSpec).default({}),
  /** higher wins when several rules match one entry; defaults by category tier */
  priority: z.number().int().min(0).max(1000).optional(),
  signature: SignatureDef,
  examples: z.object({
    match: z.array(Example).min(1),
    noMatch: z.array(z.string().min(1)).min(1),
  }),
});

export const RuleFile = z.object({
  /** the topic of the file; informational */
  topic: z.string().min(1),
  rules: z.array(Rule).min(1),
});

export type Rule = z.infer<typeof Rule>;
export type RuleFile = z.infer<typeof RuleFile>;
export type SignatureDef = z.infer<typeof SignatureDef>;
export type ParamSpec = z.infer<typeof ParamSpec>;
