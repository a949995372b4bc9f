/**
 * Fingerprinting: turning log lines into stable signature ids.
 *
 * - maskMessage / templateId: the stateless template of one message and its id. Production uses
 *   these for entries no rule knows: they depend on nothing but the text.
 * - TemplateMiner / mineTemplates: group a batch of lines into templates (for the CLI, analysis
 *   and benchmarks). Cluster ids are templateId(mined template).
 */
export { maskMessage, maskTokens, maskToken, templateId, MASK_LIMIT_CHARS, SPAN_RULES, type SpanRule } from './mask.js';
export { TOKEN_RULES, type TokenRule } from './token-rules.js';
export { TemplateMiner, mineTemplates, type MinedCluster, type MineResult } from './miner.js';
