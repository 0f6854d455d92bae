/**
 * Which `X-Forwarded-*` headers to believe (issue 15.2). Off by default: the client is the socket peer.
 * `TRUST_PROXY=<n>` trusts the last n hops (the ALB is 1); `TRUST_PROXY=<cidr>,<cidr>` trusts peers inside
 * those ranges, walking `X-Forwarded-For` from the right past every trusted address. Headers from a peer
 * we do not trust are ignored, so nobody can choose their own IP for throttles, rate limits or the audit log.
 */
import { BlockList, isIP } from 'node:net';

export type TrustProxy =
  | { kind: 'off' }
  | { kind: 'hops'; hops: number }
  | { kind: 'cidrs'; ranges: string[]; list: BlockList };

export const TRUST_NONE: TrustProxy = { kind: 'off' };
const MAX_HOPS = 10;

/** Parses the env value; throws an Error whose message is the one-line reason. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim().toLowerCase() ?? '';
  if (v === '' || v === 'false' || v === 'off' || v === 'no' || v === '0') return TRUST_NONE;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > MAX_HOPS) throw new Error(`must be a hop count from 0 to ${MAX_HOPS} or a CIDR list`);
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  const ranges = v.split(',').map((s) => s.trim());
  for (const range of ranges) {
    const [address = '', bits, extra] = range.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : Number(bits);
    if (
      !family ||
      extra !== undefined ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > max ||
      bits === ''
    )
      throw new Error(
        `must be a hop count (such as 1) or a comma-separated CIDR list (such as 10.0.0.0/16); "${range}" is neither`,
      );
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { kind: 'cidrs', ranges, list };
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4 peers on a dual-stack socket match IPv4 ranges and read as such. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(trust: TrustProxy, address: string): boolean {
  if (trust.kind !== 'cidrs') return false;
  const family = isIP(address);
  return family !== 0 && trust.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export interface ForwardedInfo {
  ip: string | null;
  /** 'https' | 'http' as the client used it (from X-Forwarded-Proto when its sender is trusted). */
  protocol: string;
}

/** The client's address and protocol from the socket peer and the forwarding headers, per `trust`. */
export function forwardedInfo(
  trust: TrustProxy,
  peer: string | null,
  headers: { forwardedFor?: string; forwardedProto?: string },
  socketProtocol: string,
): ForwardedInfo {
  const socketIp = peer ? plainAddress(peer) : null;
  if (trust.kind === 'off' || socketIp === null) return { ip: socketIp, protocol: socketProtocol };
  // Nearest first: the socket peer, then X-Forwarded-For from the right.
  const chain = [
    socketIp,
    ...(headers.forwardedFor ?? '')
      .split(',')
      .map((s) => plainAddress(s.trim()))
      .filter((s) => isIP(s) !== 0)
      .reverse(),
  ];
  let index = 0;
  if (trust.kind === 'hops') index = Math.min(trust.hops, chain.length - 1);
  else while (index < chain.length - 1 && trusted(trust, chain[index]!)) index++;
  const peerTrusted = trust.kind === 'hops' ? trust.hops > 0 : trusted(trust, socketIp);
  const proto = headers.forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return {
    ip: chain[index] ?? socketIp,
    protocol: peerTrusted && (proto === 'https' || proto === 'http') ? proto : socketProtocol,
  };
}
