/**
 * The product's vocabulary (see shared/spec/taxonomy.md). These names are a public
 * interface: analysts' SQL, alert rules and issue correlation key on them.
 */
export const CATEGORIES = [
  'db_init_timeout',
  'init_timeout',
  'db_connect_timeout',
  'connection_refused',
  'db_pool_exhausted',
  'db_too_many_connections',
  'db_auth_failed',
  'cloudsql_connector',
  'vpc_connector',
  'import_error',
  'config_missing',
  'permission_denied',
  'dns',
  'port_not_listening',
  'port_in_use',
  'startup_probe_failed',
  'exit_code',
  'restart_backoff',
  'oom',
  'worker_timeout',
  'app_startup_failed',
  'unhandled_exception',
  'startup_progress',
  'startup_success',
  'not_startup_related',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Categories that count as failures in the startup success rate. */
export function isFailureCategory(category: Category): boolean {
  return category !== 'startup_progress' && category !== 'startup_success' && category !== 'not_startup_related';
}

/** Typed params: integers and floats as JSON numbers, names verbatim as strings. */
export type ParamValue = string | number;
export type Params = Record<string, ParamValue>;

/**
 * Stable reason codes for rejected input ("invalid" in the taxonomy). Never rename one:
 * they are stored in rejected_entries and counted by analysts.
 */
export const REASON_CODES = [
  'INPUT.EMPTY', // an empty line/record where a record was expected
  'INPUT.BAD_JSON', // not parseable JSON (truncated, garbage)
  'INPUT.TOO_LARGE', // a record above the decoder's size bound
  'ENTRY.NOT_OBJECT', // JSON that is not an object (null, list, string, number)
  'ENTRY.MISSING_FIELD', // resource, resource.type, logName or timestamp absent
  'ENTRY.BAD_TIMESTAMP', // timestamp (or receiveTimestamp) not RFC 3339
  'ENTRY.BAD_FIELD_TYPE', // severity, insertId, labels, resource, ... of the wrong type
  'ENTRY.PAYLOAD_CONFLICT', // more than one of textPayload / jsonPayload / protoPayload
  'ENTRY.NO_PAYLOAD', // no payload and no httpRequest
  'ENTRY.BAD_PAYLOAD_TYPE', // textPayload not a string, jsonPayload/protoPayload not an object
  'MESSAGE.NOT_OBJECT', // a Pub/Sub message that is not an object
  'MESSAGE.MISSING_DATA', // a Pub/Sub message without data
  'MESSAGE.BAD_FIELD_TYPE', // messageId, publishTime or attributes of the wrong type
  'PAYLOAD.BAD_BASE64', // data is not strict base64
  'PAYLOAD.BAD_UTF8', // decoded bytes are not UTF-8
  'PAYLOAD.EMPTY', // data decodes to zero bytes
  'EVENT.NOT_OBJECT', // a CloudEvent body that is not an object
  'EVENT.BAD_TYPE', // a CloudEvent of another type than messagePublished
  'EVENT.MISSING_MESSAGE', // a CloudEvent without data.message
  'STORE.ROW_REFUSED', // a valid entry whose row the store refused for good (kept for reprocessing)
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];
