import { describe, expect, it } from 'vitest';
import { forwardedInfo, parseTrustProxy } from './trust-proxy';

const XFF = { forwardedFor: '6.6.6.6, 198.51.100.7, 10.0.1.5', forwardedProto: 'https' };

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, 'off'],
    ['', 'off'],
    ['false', 'off'],
    ['0', 'off'],
    ['1', 'hops'],
    ['10.0.0.0/16', 'cidrs'],
    ['10.0.0.0/16, 192.168.1.10 ,fd00::/8', 'cidrs'],
  ])('parses %j as %s', (value, kind) => {
    expect(parseTrustProxy(value).kind).toBe(kind);
  });

  it.each([
    'true',
    '11',
    '-1',
    '10.0.0.0/33',
    '10.0.0/8',
    'proxy.example',
    '10.0.0.0/8/1',
    '::1/129',
    '10.0.0.0/',
  ])('refuses %j with a one-line reason', (value) => {
    expect(() => parseTrustProxy(value)).toThrow(/^must be a hop count/);
  });
});

describe('forwardedInfo', () => {
  it('ignores forwarding headers when off, whoever sends them', () => {
    expect(forwardedInfo(parseTrustProxy(undefined), '10.0.0.9', XFF, 'http')).toEqual({
      ip: '10.0.0.9',
      protocol: 'http',
    });
  });

  it('counts hops from the right: one hop is the address the ALB saw', () => {
    expect(forwardedInfo(parseTrustProxy('1'), '10.0.0.9', XFF, 'http')).toEqual({
      ip: '10.0.1.5',
      protocol: 'https',
    });
    expect(forwardedInfo(parseTrustProxy('2'), '10.0.0.9', XFF, 'http').ip).toBe('198.51.100.7');
    // More hops than addresses: the farthest one known, never a header-chosen value beyond it.
    expect(forwardedInfo(parseTrustProxy('5'), '10.0.0.9', { forwardedFor: '1.2.3.4' }, 'http').ip).toBe(
      '1.2.3.4',
    );
  });

  it('walks past trusted ranges only; an untrusted peer is the client whatever it claims', () => {
    const trust = parseTrustProxy('10.0.0.0/8');
    expect(forwardedInfo(trust, '10.0.0.9', XFF, 'http')).toEqual({ ip: '198.51.100.7', protocol: 'https' });
    expect(forwardedInfo(trust, '::ffff:10.0.0.9', XFF, 'http').ip).toBe('198.51.100.7');
    expect(forwardedInfo(trust, '203.0.113.50', XFF, 'http')).toEqual({
      ip: '203.0.113.50',
      protocol: 'http',
    });
  });

  it('skips garbage entries and odd protocols', () => {
    const info = forwardedInfo(
      parseTrustProxy('1'),
      '10.0.0.9',
      { forwardedFor: 'nonsense', forwardedProto: 'gopher' },
      'http',
    );
    expect(info).toEqual({ ip: '10.0.0.9', protocol: 'http' });
  });
});
