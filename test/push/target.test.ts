/**
 * Push URLs as the flags and inputs take them: credentials out of the URL and into a header,
 * every shown form redacted, and bad values refused as bad input without echoing a secret.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { pushConfig, pushFromInputs } from '../../src/push/index.js';
import { groupingSegment, groupUrl } from '../../src/push/pushgateway.js';
import { parsePushTarget } from '../../src/push/target.js';

const basic = (userPass: string): string => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('parsePushTarget', () => {
  it.each([
    {
      given: 'http://127.0.0.1:9091',
      url: 'http://127.0.0.1:9091/',
      display: 'http://127.0.0.1:9091/',
      authorization: undefined,
      secrets: [],
    },
    {
      given: '  https://prom.example/api/v1/write  ',
      url: 'https://prom.example/api/v1/write',
      display: 'https://prom.example/api/v1/write',
      authorization: undefined,
      secrets: [],
    },
    {
      given: 'https://audit:s3cr%40t@prom.example/api/v1/write',
      url: 'https://prom.example/api/v1/write',
      display: 'https://prom.example/api/v1/write',
      authorization: basic('audit:s3cr@t'),
      secrets: ['s3cr%40t', 's3cr@t', Buffer.from('audit:s3cr@t').toString('base64')],
    },
    {
      given: 'https://tok3n-only@pg.example',
      url: 'https://pg.example/',
      display: 'https://pg.example/',
      authorization: basic('tok3n-only:'),
      secrets: [Buffer.from('tok3n-only:').toString('base64')],
    },
    {
      given: 'https://prom.example/api/v1/write?tenant=fleet&token=abc123',
      url: 'https://prom.example/api/v1/write?tenant=fleet&token=abc123',
      display: 'https://prom.example/api/v1/write?tenant=fleet&token=REDACTED',
      authorization: undefined,
      secrets: ['abc123'],
    },
  ])('$given', ({ given, url, display, authorization, secrets }) => {
    const t = parsePushTarget(given, '--remote-write-url');
    expect(t.url.toString()).toBe(url);
    expect(t.display).toBe(display);
    expect(t.authorization).toBe(authorization);
    expect(t.secrets).toEqual(secrets);
  });

  it('a bearer token is sent when the URL has no userinfo, and userinfo wins over it', () => {
    expect(parsePushTarget('https://pg.example', 'x', ' t0ken-value ').authorization).toBe(
      'Bearer t0ken-value',
    );
    expect(parsePushTarget('https://pg.example', 'x', ' t0ken-value ').secrets).toEqual(['t0ken-value']);
    expect(parsePushTarget('https://u:pw-secret@pg.example', 'x', 't0ken-value').authorization).toBe(
      basic('u:pw-secret'),
    );
  });

  it.each([
    ['not a URL', 'prometheus', /^--pushgateway-url: not a URL/],
    ['a missing scheme', 'user:hunter2-pass@pg.example:9091', /not an http:\/\/ or https:\/\/ URL/],
    ['a typo in the scheme', 'http//user:hunter2-pass@pg.example', /not a URL/],
    ['another scheme', 'ftp://user:hunter2-pass@pg.example', /not an http:\/\/ or https:\/\/ URL/],
    ['a fragment', 'https://user:hunter2-pass@pg.example/#x', /https:\/\/pg\.example\/#x has a #fragment/],
  ])('refuses %s as bad input, without the password', (_name, given, message) => {
    let error: unknown;
    try {
      parsePushTarget(given, '--pushgateway-url');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('pushConfig', () => {
  const names = { pushgatewayUrl: 'input `pushgateway-url`', remoteWriteUrl: 'input `remote-write-url`' };

  it('empty settings push nowhere', () => {
    expect(pushConfig({ pushgatewayUrl: ' ', remoteWriteUrl: '' }, names)).toEqual({});
  });

  it('names the input of a bad URL', () => {
    expect(() => pushConfig({ remoteWriteUrl: 'localhost:9090' }, names)).toThrow(
      /^input `remote-write-url`: not an http/,
    );
  });

  it('the action: every credential masked, every bad input its own line', () => {
    const inputs: Record<string, string> = {
      'pushgateway-url': 'pg.example:9091',
      'remote-write-url': 'https://u:pw-1234@prom.example/api/v1/write',
      'push-bearer-token': ' b-9876 ',
    };
    const masked: string[] = [];
    const { config, problems } = pushFromInputs(
      (name) => inputs[name] ?? '',
      (s) => masked.push(s),
    );
    expect(problems).toEqual([
      'input `pushgateway-url`: not an http:// or https:// URL (give one like https://host.example:9091)',
    ]);
    expect(config.pushgateway).toBeUndefined();
    expect(config.remoteWrite?.display).toBe('https://prom.example/api/v1/write');
    expect(masked).toEqual(['b-9876', 'pw-1234', Buffer.from('u:pw-1234').toString('base64')]);

    inputs['pushgateway-url'] = 'http://pg.example:9091';
    inputs['remote-write-url'] = 'ftp://x';
    const second = pushFromInputs(
      (name) => inputs[name] ?? '',
      () => undefined,
    );
    expect(second.problems).toEqual([
      'input `remote-write-url`: not an http:// or https:// URL (give one like https://host.example:9091)',
    ]);
    expect(second.config.pushgateway?.authorization).toBe('Bearer b-9876');
  });
});

describe('Pushgateway grouping key', () => {
  it.each([
    ['prod', '/cluster/prod'],
    ['eu-west-1.prod', '/cluster/eu-west-1.prod'],
    ['team a', '/cluster/team%20a'],
    ['Προμηθεύς', '/cluster/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82'],
    // The README's examples: `/` and empty values only travel base64url-encoded.
    ['/var/tmp', '/cluster@base64/L3Zhci90bXA'],
    ['gke_proj/zone/name', '/cluster@base64/Z2tlX3Byb2ovem9uZS9uYW1l'],
    ['', '/cluster@base64/='],
  ])('%j → %s', (value, segment) => {
    expect(groupingSegment('cluster', value)).toBe(segment);
  });

  it.each([
    ['http://127.0.0.1:9091', 'http://127.0.0.1:9091/metrics/job/flux-health/cluster/prod'],
    ['http://127.0.0.1:9091/', 'http://127.0.0.1:9091/metrics/job/flux-health/cluster/prod'],
    [
      'https://ops.example/pushgateway/',
      'https://ops.example/pushgateway/metrics/job/flux-health/cluster/prod',
    ],
    [
      'https://ops.example/pg?tenant=a',
      'https://ops.example/pg/metrics/job/flux-health/cluster/prod?tenant=a',
    ],
  ])('under %s', (base, url) => {
    expect(groupUrl(new URL(base), 'prod').toString()).toBe(url);
  });
});
