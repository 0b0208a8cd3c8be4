import { domainToASCII } from 'node:url';
import { parse as parseHost } from 'tldts';
import { blacklist as disposableDomains } from 'mailchecker';
import freeMailDomainList from 'email-providers/all.json';

/**
 * Domain facts come from maintained lists rather than a hand-written table: mailchecker's disposable
 * list and the email-providers free-mail list are refreshed upstream, and tldts follows the Public
 * Suffix List, so "acme.co.uk" is one registrable domain and "foo.invalidtld" is not a domain at all.
 */
const FREE_MAIL = new Set<string>(freeMailDomainList as string[]);
const DISPOSABLE = disposableDomains();

export const DOMAIN_LIST_SOURCES = {
	disposable: 'mailchecker',
	freeMail: 'email-providers',
	publicSuffix: 'tldts',
} as const;

/** Lower-cased ASCII (punycode) form of a host name, or null if it cannot be one. */
export function toAsciiHost(host: string): string | null {
	const trimmed = host.trim().replace(/\.$/, '').toLowerCase();
	if (trimmed === '' || trimmed.length > 253) return null;
	const ascii = domainToASCII(trimmed);
	return ascii === '' ? null : ascii;
}

export interface HostFacts {
	/** The host as given, lower-cased ASCII. */
	host: string;
	/** Registrable domain per the Public Suffix List ("shop.acme.co.uk" -> "acme.co.uk"). */
	registrableDomain: string | null;
	/** True when the suffix is a real ICANN top-level domain. */
	knownSuffix: boolean;
}

/**
 * A lead's host is read two or three times (its e-mail, the company domain taken from that e-mail,
 * its website), and a bulk match reads each account's and lead's; punycode and the Public Suffix
 * List walk are most of that. Remembered per host text, bounded (forgotten all at once when full), and
 * frozen because every caller shares the answer.
 */
const HOST_FACTS = new Map<string, Readonly<HostFacts> | null>();
const MAX_HOST_FACTS = 4096;

export function hostFacts(host: string): Readonly<HostFacts> | null {
	const known = HOST_FACTS.get(host);
	if (known !== undefined) return known;
	const facts = computeHostFacts(host);
	if (HOST_FACTS.size >= MAX_HOST_FACTS) HOST_FACTS.clear();
	if (host.length <= 253) HOST_FACTS.set(host, facts);
	return facts;
}

function computeHostFacts(host: string): Readonly<HostFacts> | null {
	const ascii = toAsciiHost(host);
	if (!ascii) return null;
	const parsed = parseHost(ascii, { allowPrivateDomains: false });
	if (parsed.isIp) return Object.freeze({ host: ascii, registrableDomain: null, knownSuffix: false });
	return Object.freeze({
		host: ascii,
		registrableDomain: parsed.domain ?? null,
		knownSuffix: parsed.isIcann === true && !!parsed.domain,
	});
}

/** Checks the host and each parent, so "x.mailinator.com" counts as disposable like "mailinator.com". */
function inListWithParents(host: string, list: Set<string>): boolean {
	// Walks the dots instead of splitting and joining: this runs for every domain of a bulk match.
	let at = 0;
	while (at >= 0) {
		const candidate = at === 0 ? host : host.slice(at);
		if (!candidate.includes('.')) return false;
		if (list.has(candidate)) return true;
		const dot = host.indexOf('.', at);
		at = dot < 0 ? -1 : dot + 1;
	}
	return false;
}

export function isDisposableDomain(host: string): boolean {
	return inListWithParents(host, DISPOSABLE);
}

/**
 * Names reserved for documentation and testing (RFC 2606, RFC 6761): example.com/.net/.org and the
 * .example, .test, .invalid and .localhost top-level names. Nobody's mailbox provider: never free-mail.
 */
export function isReservedDomain(host: string): boolean {
	const h = host.toLowerCase().replace(/\.$/, '');
	return /(^|\.)example\.(com|net|org)$/.test(h) || /(^|\.)(example|test|invalid|localhost)$/.test(h);
}

export function isFreeMailDomain(host: string): boolean {
	return !isReservedDomain(host) && inListWithParents(host, FREE_MAIL);
}

/**
 * Sites that host profiles or pages for many companies: a URL there says nothing about the lead's own
 * company domain, so it is never used as one.
 */
const SHARED_PLATFORMS = new Set([
	'linkedin.com',
	'facebook.com',
	'instagram.com',
	'twitter.com',
	'x.com',
	'youtube.com',
	'github.com',
	'medium.com',
	'google.com',
	'wixsite.com',
	'wordpress.com',
	'blogspot.com',
	'squarespace.com',
	'notion.site',
	'carrd.co',
	'linktr.ee',
	'crunchbase.com',
]);

export function isSharedPlatformDomain(registrableDomain: string): boolean {
	return SHARED_PLATFORMS.has(registrableDomain);
}
