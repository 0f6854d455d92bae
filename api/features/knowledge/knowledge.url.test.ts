import { describe, expect, it } from 'vitest';
import { fetchUrlSource, isBlockedAddress } from './knowledge.url';

describe('URL source guard', () => {
  it('blocks private, loopback, link-local, shared and mapped addresses; allows public ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect(isBlockedAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isBlockedAddress(a), a).toBe(false);
  });

  it('refuses non-http schemes, credentials and local targets before connecting', async () => {
    await expect(fetchUrlSource('file:///etc/passwd', { allowedHosts: [] })).rejects.toThrow(/only http/);
    await expect(fetchUrlSource('http://user:pw@example.com/', { allowedHosts: [] })).rejects.toThrow(
      /credentials/,
    );
    await expect(fetchUrlSource('http://127.0.0.1:9/', { allowedHosts: [] })).rejects.toThrow(
      /private or local/,
    );
    await expect(fetchUrlSource('http://[::1]:9/', { allowedHosts: [] })).rejects.toThrow(/private or local/);
    await expect(fetchUrlSource('http://localhost:9/', { allowedHosts: [] })).rejects.toThrow(
      /private or local/,
    );
    await expect(fetchUrlSource('not a url', { allowedHosts: [] })).rejects.toThrow(/not a valid URL/);
  });
});
