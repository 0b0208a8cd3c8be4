import { isIP } from 'node:net';
import { normalizeKey } from '../crm/model';

/**
 * Which addresses account research may read. The account domain comes from a CRM record, a form or a
 * webhook, so it is outside data: it must be a plain host name, and what it resolves to must not be
 * this machine or a private network (a record saying "domain: 169.254.169.254" must not read the cloud
 * metadata service), unless the builder allows private addresses for an intranet or a test.
 */
const HOST = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The account's host name from a domain, a URL or "www.acme.com", or null with why. */
export function accountHost(value: unknown): { host: string | null; problem: string | null } {
	const key = normalizeKey('account', value);
	if (!key) return { host: null, problem: 'the account has no domain' };
	const host = key.replace(/:\d+$/, '').replace(/\.$/, '');
	if (isIP(host)) return { host: null, problem: `"${host.slice(0, 60)}" is an IP address, not a company domain` };
	if (!HOST.test(host)) return { host: null, problem: `"${host.slice(0, 60)}" is not a domain name` };
	return { host, problem: null };
}

/** Page addresses of a host: the template with {domain} and {path} filled in. */
export function pageUrls(host: string, paths: readonly string[], template: string): string[] {
	const urls = paths.map((path) => template.replace('{domain}', host).replace('{path}', path === '/' && !template.includes('{path}') ? '' : path));
	return [...new Set(urls)];
}

function v4Private(ip: string): boolean {
	const [a, b] = ip.split('.').map(Number);
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 192 && b === 0) ||
		(a === 198 && (b === 18 || b === 19)) ||
		a >= 224
	);
}

/** Loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses (v4 and v6). */
export function isPrivateAddress(ip: string): boolean {
	const kind = isIP(ip);
	if (kind === 4) return v4Private(ip);
	if (kind !== 6) return true;
	const v6 = ip.toLowerCase();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
	if (mapped) return v4Private(mapped[1]);
	return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}
