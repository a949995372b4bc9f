import { describe, expect, it } from 'vitest';
import { localWebhook } from '../../../functions/cli/local-alerts.js';
import { LocalError } from '../../../functions/cli/local.js';

describe('local mode webhook (FAULTLINE_WEBHOOK_URL)', () => {
  it('adds nothing when the variable is unset', () => {
    expect(localWebhook({})).toEqual([]);
  });

  it('adds the webhook channel for an allowed https URL', () => {
    const channels = localWebhook({ FAULTLINE_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/SECRET' });
    expect(channels.map((c) => c.name)).toEqual(['webhook']);
  });

  it('honours FAULTLINE_WEBHOOK_ALLOWED_HOSTS and refuses other hosts without echoing the URL', () => {
    const env = { FAULTLINE_WEBHOOK_URL: 'https://chat.example.com/hook/SECRET', FAULTLINE_WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com' };
    const err = (() => {
      try {
        localWebhook(env);
        return null;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(LocalError);
    expect(err!.message).toMatch(/chat\.example\.com is not on the allowlist/);
    expect(err!.message).not.toContain('SECRET');
    expect(localWebhook({ ...env, FAULTLINE_WEBHOOK_ALLOWED_HOSTS: 'hooks.slack.com, chat.example.com' })).toHaveLength(1);
  });
});
