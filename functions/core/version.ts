/** The engine's own version; a test keeps it equal to package.json's. */
export const ENGINE_VERSION = '0.1.0';
/** The rule set shipped with this engine (functions/rules/<version>/). */
export const DEFAULT_RULES_VERSION = 'v1';
