import { hostFacts, isDisposableDomain, isFreeMailDomain } from './domain-lists';
import type { IssueList } from './issues';
import { cleanText } from './text';

export interface EmailFacts {
	/** Lower-cased address, or null when absent or unusable. */
	email: string | null;
	/** Domain part of a usable address. */
	domain: string | null;
	valid: boolean;
	freeMail: boolean;
	disposable: boolean;
	/** Shared inboxes such as info@ or sales@: real, but rarely a person. */
	roleAccount: boolean;
}

// WHATWG's definition of a valid e-mail address (what browsers accept in <input type=email>),
// minus the quoted local parts no real lead form produces.
const LOCAL_PART = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const ROLE_LOCAL_PARTS = new Set([
	'admin',
	'billing',
	'contact',
	'enquiries',
	'hello',
	'help',
	'hr',
	'info',
	'inquiries',
	'marketing',
	'noreply',
	'no-reply',
	'office',
	'sales',
	'support',
	'team',
]);

const EMPTY: EmailFacts = {
	email: null,
	domain: null,
	valid: false,
	freeMail: false,
	disposable: false,
	roleAccount: false,
};

/** Pulls the address out of "Jane Doe <jane@acme.com>" or "mailto:jane@acme.com?subject=hi". */
function extractAddress(text: string): string {
	const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(text);
	let address = angle ? angle[1] : text;
	address = address.replace(/^mailto:/i, '').replace(/\?.*$/, '');
	return address.trim();
}

export function normalizeEmail(raw: unknown, issues: IssueList): EmailFacts {
	// "Name <address>" looks like an HTML tag to the text cleaner, so take the address out first.
	const unwrapped = typeof raw === 'string' && raw.length < 1000 ? extractAddress(raw) : raw;
	const text = cleanText(unwrapped, 'email', issues, 320);
	if (text === null) return EMPTY;
	const address = extractAddress(text).toLowerCase();
	const at = address.lastIndexOf('@');
	const invalid = (reason: string): EmailFacts => {
		issues.error('email', 'email_invalid', `email "${truncate(text)}" is not a valid address: ${reason}`);
		return EMPTY;
	};
	if (at <= 0 || at === address.length - 1) return invalid('it needs one @ with text on both sides');
	const local = address.slice(0, at);
	const host = address.slice(at + 1);
	if (local.length > 64) return invalid('the part before @ is longer than 64 characters');
	if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
		return invalid('the part before @ has characters or dots an address cannot have');
	}
	const facts = hostFacts(host);
	if (!facts || !/^[a-z0-9.-]+$/.test(facts.host) || facts.host.includes('..')) {
		return invalid('the domain is not a valid host name');
	}
	if (!facts.knownSuffix) return invalid(`"${facts.host}" does not end in a known top-level domain`);
	const email = `${local}@${facts.host}`;
	if (email.length > 254) return invalid('it is longer than 254 characters');

	const disposable = isDisposableDomain(facts.host);
	const freeMail = !disposable && isFreeMailDomain(facts.host);
	const roleAccount = ROLE_LOCAL_PARTS.has(local.split('+')[0]);
	if (disposable) issues.warn('email', 'email_disposable', `${facts.host} is a disposable e-mail service`);
	if (freeMail) issues.warn('email', 'email_free_mail', `${facts.host} is a free e-mail provider, not a company domain`);
	if (roleAccount) issues.warn('email', 'email_role_account', `${local}@ is a shared inbox, not a person`);
	return { email, domain: facts.host, valid: true, freeMail, disposable, roleAccount };
}

function truncate(text: string): string {
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
