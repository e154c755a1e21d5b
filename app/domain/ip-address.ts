// How a shopper's IP address is keyed (rate limits, guests' welcome codes, referral fraud
// rules): the same for the App Proxy's X-Forwarded-For entry and an order's browser_ip, so
// they compare.
import { isIP } from "node:net";

/**
 * What a shopper's address is known by: an IPv4 address whole, an IPv6 one by its /64 (one
 * subscriber's network: a home or phone gets a whole /64, so its 2^64 addresses are one
 * shopper). An IPv4-mapped IPv6 address is its IPv4 address; brackets, a port and a zone id
 * are dropped. Not an address: null (never a key a shopper could vary at will).
 */
export function addressKey(entry: string): string | null {
  let text = entry.trim();
  const bracketed = /^\[([^\]]*)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.replace(/%[^%]*$/, "");
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return null;
  const groups = ipv6Groups(text);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of an address net.isIP accepted as IPv6 (no zone id). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const [head, tail] = text.split("::");
  if (tail === undefined) return parse(head);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
