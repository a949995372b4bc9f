import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventId, hashId, sha256Hex, signatureAround, signatureIdIn } from '../../functions/core/hash.js';

describe('hash ids', () => {
  it('keeps the published form: 16 hex digits of the SHA-256 of the parts joined by a unit separator', () => {
    expect(hashId(['rule', 'db_init_timeout.phase', 'v1', 'run:acme-prod/api'])).toBe(sha256Hex('rule\u001fdb_init_timeout.phase\u001fv1\u001frun:acme-prod/api').slice(0, 16));
    expect(eventId('projects/p/logs/x', '2026-03-01T00:00:00Z', 'abc')).toBe(sha256Hex('projects/p/logs/x\u001f2026-03-01T00:00:00Z\u001fabc').slice(0, 32));
  });

  it('gives a signature the id of its parts around the scope, remembered or not, for short and long parts', () => {
    const part = fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }), fc.string({ minLength: 2000, maxLength: 2100 }));
    fc.assert(
      fc.property(part, fc.array(part, { maxLength: 3 }), part, fc.array(part, { maxLength: 3 }), (first, rest, scope, after) => {
        const id = hashId([first, ...rest, scope, ...after]);
        expect(signatureIdIn(signatureAround([first, ...rest], after), scope)).toBe(id);
        expect(signatureIdIn(signatureAround([first, ...rest], [...after]), scope)).toBe(id);
      }),
      { numRuns: 3_000 },
    );
    // no part after the scope and one empty part after it are different signatures
    expect(signatureIdIn(signatureAround(['template'], []), 's')).not.toBe(signatureIdIn(signatureAround(['template'], ['']), 's'));
  });
});
