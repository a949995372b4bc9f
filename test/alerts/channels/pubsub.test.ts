import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPubSubAlertPublisher } from '../../../functions/adapters/pubsub/alert-publisher.js';
import { Alert } from '../../../functions/core/alerts/schema.js';
import { sampleAlert } from './fixtures.js';

/**
 * A fake Pub/Sub Publisher service over gRPC, built from the proto the client ships, so the
 * real @google-cloud/pubsub client (via PUBSUB_EMULATOR_HOST) is tested on the wire.
 */
interface WireMessage {
  data: Buffer;
  attributes: Record<string, string>;
}
interface PublishRequest {
  topic: string;
  messages: WireMessage[];
}

const require = createRequire(import.meta.url);
const PUBSUB_DIR = dirname(require.resolve('@google-cloud/pubsub/package.json'));
const PROTOS = join(PUBSUB_DIR, 'build', 'protos');
// google/api/*.proto imported by pubsub.proto ship with google-gax, the client's transport
const GAX_PROTOS = join(dirname(createRequire(join(PUBSUB_DIR, 'package.json')).resolve('google-gax')), '..', 'protos');

const requests: PublishRequest[] = [];
let server: grpc.Server;

function loadPublisherService(): grpc.ServiceDefinition {
  const def = protoLoader.loadSync(join(PROTOS, 'google/pubsub/v1/pubsub.proto'), { includeDirs: [PROTOS, GAX_PROTOS], keepCase: false, longs: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { google: { pubsub: { v1: { Publisher: { service: grpc.ServiceDefinition } } } } };
  return pkg.google.pubsub.v1.Publisher.service;
}

beforeAll(async () => {
  server = new grpc.Server();
  let next = 0;
  server.addService(loadPublisherService(), {
    publish: (call: grpc.ServerUnaryCall<PublishRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      requests.push(call.request);
      cb(null, { messageIds: call.request.messages.map(() => String(++next)) });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  vi.stubEnv('PUBSUB_EMULATOR_HOST', `127.0.0.1:${port}`);
  // the auth library would otherwise probe the GCE metadata server, which a test must not reach
  vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
});
afterAll(() => {
  vi.unstubAllEnvs();
  server.forceShutdown();
});

describe('Pub/Sub channel on the wire (real client, fake gRPC Publisher)', () => {
  it('publishes the alert JSON with kind, service, signature_id and alert_key attributes', async () => {
    const p = createPubSubAlertPublisher({ topic: 'projects/acme-prod/topics/faultline-alerts', projectId: 'acme-prod' });
    const alert = sampleAlert();
    const digest = sampleAlert({ kind: 'digest', alert_key: 'digest|-|2026-03-02T10:00', service: null, signature_id: null, summary: '3 alerts rolled up' });
    try {
      await p.publish(alert);
      await p.publish(digest);
    } finally {
      await p.close();
    }
    const messages = requests.flatMap((r) => r.messages.map((m) => ({ topic: r.topic, ...m })));
    expect(messages).toHaveLength(2);
    expect(messages.map((m) => m.topic)).toEqual(['projects/acme-prod/topics/faultline-alerts', 'projects/acme-prod/topics/faultline-alerts']);
    const [first, second] = messages;
    expect(Alert.parse(JSON.parse(first!.data.toString('utf8')))).toEqual(alert);
    expect(first!.attributes).toEqual({
      kind: 'regression',
      service: 'checkout',
      signature_id: '3f2a9c0d11e4b7a2',
      alert_key: alert.alert_key,
      schema: 'faultline-alert/v1',
    });
    // null service and signature: attributes left out rather than empty
    expect(second!.attributes).toEqual({ kind: 'digest', alert_key: digest.alert_key, schema: 'faultline-alert/v1' });
  });

  it('refuses a message the alert schema rejects, before sending it', async () => {
    const p = createPubSubAlertPublisher({ topic: 'projects/acme-prod/topics/faultline-alerts', projectId: 'acme-prod' });
    const before = requests.length;
    try {
      await expect(p.publish({ ...sampleAlert(), kind: 'bogus' } as unknown as Alert)).rejects.toThrow();
    } finally {
      await p.close();
    }
    expect(requests.length).toBe(before);
  });
});
