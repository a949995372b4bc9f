import { Buffer } from 'node:buffer';

export { GCLOUD_ARRAY } from './gcloud-array.js';

/** Shapes copied from real Cloud Logging exports; ids and names are made up. */

export const cloudRunText = {
  textPayload:
    'Default STARTUP TCP probe failed 1 time consecutively for container "api-1" on port 8080. The instance was not started.',
  insertId: '6650f1a2000c3b5e2d4f8a1c',
  resource: {
    type: 'cloud_run_revision',
    labels: {
      service_name: 'orders-api',
      revision_name: 'orders-api-00042-xuz',
      location: 'europe-west1',
      configuration_name: 'orders-api',
      project_id: 'acme-prod',
    },
  },
  timestamp: '2026-03-01T10:00:00.123456789Z',
  severity: 'ERROR',
  labels: { instanceId: '0069c7a98840b3e5a3f0e1d2c4b5a6978812bc3de4f5a6b7c8d9e0f1a2b3c4d5e6f' },
  logName: 'projects/acme-prod/logs/run.googleapis.com%2Fvarlog%2Fsystem',
  receiveTimestamp: '2026-03-01T10:00:00.456789012Z',
};

export const structuredJson = {
  insertId: '65e1b2c3000a1b2c3d4e5f60',
  jsonPayload: {
    message: 'Phase 3 (database) initialisation failed after 25.0s: timed out',
    logger: 'app.startup',
    phase: 3,
    exc_info: null,
    'logging.googleapis.com/labels': { boot: 'b-17' },
  },
  resource: {
    type: 'cloud_run_revision',
    labels: { service_name: 'billing', revision_name: 'billing-00007-kaz', location: 'us-central1', project_id: 'acme-prod', configuration_name: 'billing' },
  },
  timestamp: '2026-03-01T12:00:00.5+02:00',
  severity: 'CRITICAL',
  labels: { instanceId: '00f0a1b2c3' },
  logName: 'projects/acme-prod/logs/run.googleapis.com%2Fstdout',
  trace: 'projects/acme-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceSampled: true,
  sourceLocation: { file: 'app/startup.py', line: '118', function: 'init_database' },
  receiveTimestamp: '2026-03-01T10:00:00.612345678Z',
};

export const gkeContainer = {
  insertId: 'xk3m9q7f1a2b3c4d',
  textPayload: 'psycopg2.OperationalError: connection to server at "10.20.0.3", port 5432 failed: Connection refused\n',
  resource: {
    type: 'k8s_container',
    labels: {
      project_id: 'acme-prod',
      location: 'europe-west4',
      cluster_name: 'prod-eu',
      namespace_name: 'orders',
      pod_name: 'orders-api-7c9d8f6b5-x2k4p',
      container_name: 'api',
    },
  },
  timestamp: '2026-03-01T10:00:03.219774511Z',
  severity: 'ERROR',
  labels: {
    'k8s-pod/app': 'orders-api',
    'k8s-pod/pod-template-hash': '7c9d8f6b5',
    'compute.googleapis.com/resource_name': 'gke-prod-eu-default-pool-1a2b3c4d-xyz1',
  },
  logName: 'projects/acme-prod/logs/stderr',
  receiveTimestamp: '2026-03-01T10:00:05.886211923Z',
};

export const cloudFunction = {
  textPayload: 'Could not load the function, shutting down.',
  insertId: '000000-8b7a6c5d-4e3f-2a1b-0c9d-8e7f6a5b4c3d',
  resource: { type: 'cloud_function', labels: { project_id: 'acme-prod', function_name: 'ingest', region: 'us-east1' } },
  timestamp: '2026-03-01T10:00:04.001Z',
  severity: 'ERROR',
  labels: { execution_id: '' },
  logName: 'projects/acme-prod/logs/cloudfunctions.googleapis.com%2Fcloud-functions',
  trace: 'projects/acme-prod/traces/0af7651916cd43dd8448eb211c80319c',
  receiveTimestamp: '2026-03-01T10:00:04.217Z',
};

export const auditLog = {
  protoPayload: {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    status: {
      code: 9,
      message:
        'Ready condition status changed to False for Revision orders-api-00042-xuz with message: The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.',
    },
    serviceName: 'run.googleapis.com',
    methodName: '/Services.ReplaceService',
    resourceName: 'namespaces/acme-prod/revisions/orders-api-00042-xuz',
    response: { metadata: { name: 'orders-api-00042-xuz', namespace: '123456789012' }, kind: 'Revision', apiVersion: 'serving.knative.dev/v1' },
  },
  insertId: '-f2w9ike1a2b3',
  resource: {
    type: 'cloud_run_revision',
    labels: { service_name: 'orders-api', project_id: 'acme-prod', location: 'europe-west1', revision_name: 'orders-api-00042-xuz', configuration_name: 'orders-api' },
  },
  timestamp: '2026-03-01T10:00:12.871326Z',
  severity: 'ERROR',
  logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fsystem_event',
  receiveTimestamp: '2026-03-01T10:00:13.515466389Z',
};

export const requestLog = {
  httpRequest: {
    requestMethod: 'GET',
    requestUrl: 'https://orders-api-abc123-ew.a.run.app/healthz',
    requestSize: '312',
    status: 503,
    responseSize: '1045',
    userAgent: 'GoogleHC/1.0',
    remoteIp: '35.191.0.1',
    serverIp: '34.98.0.2',
    latency: '0.003581s',
    protocol: 'HTTP/1.1',
  },
  insertId: '65e1b2c3000d4e5f6a7b8c9d',
  resource: {
    type: 'cloud_run_revision',
    labels: { project_id: 'acme-prod', service_name: 'orders-api', location: 'europe-west1', revision_name: 'orders-api-00042-xuz', configuration_name: 'orders-api' },
  },
  timestamp: '2026-03-01T10:00:02.418903Z',
  severity: 'ERROR',
  labels: { instanceId: '0069c7a98840b3e5' },
  logName: 'projects/acme-prod/logs/run.googleapis.com%2Frequests',
  trace: 'projects/acme-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '1043981282512917236',
  traceSampled: true,
  receiveTimestamp: '2026-03-01T10:00:02.637544Z',
};

export const ALL_ENTRIES = { cloudRunText, structuredJson, gkeContainer, cloudFunction, auditLog, requestLog };

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** What a Cloud Logging sink publishes for one entry. */
export function sinkMessage(entry: unknown, data: string = base64(JSON.stringify(entry))) {
  return {
    data,
    attributes: { 'logging.googleapis.com/timestamp': '2026-03-01T10:00:00.123456789Z' },
    messageId: '11862927329284566',
    publishTime: '2026-03-01T10:00:01.512Z',
  };
}

/** A push delivery carries both spellings of the ids. */
export function pushBody(message: unknown) {
  return { message, subscription: 'projects/acme-prod/subscriptions/faultline-push' };
}

export const SNAKE_MESSAGE_ID = '2070443601311540';

export function snakeMessage(entry: unknown) {
  return { data: base64(JSON.stringify(entry)), message_id: SNAKE_MESSAGE_ID, publish_time: '2026-03-01T10:00:01.9Z' };
}

export function structuredEvent(message: unknown, type = 'google.cloud.pubsub.topic.v1.messagePublished') {
  return {
    specversion: '1.0',
    id: '11862927329284566',
    source: '//pubsub.googleapis.com/projects/acme-prod/topics/faultline-logs',
    type,
    time: '2026-03-01T10:00:01.512Z',
    datacontenttype: 'application/json',
    data: { message, subscription: 'projects/acme-prod/subscriptions/eventarc-europe-west1-faultline-491-sub-042' },
  };
}

export const BINARY_HEADERS = {
  'ce-id': '11862927329284566',
  'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
  'ce-source': '//pubsub.googleapis.com/projects/acme-prod/topics/faultline-logs',
  'ce-specversion': '1.0',
  'ce-time': '2026-03-01T10:00:01.512Z',
  'content-type': 'application/json',
};

/** Every split of `text` into two chunks, plus one character at a time. */
export function chunkings(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}
