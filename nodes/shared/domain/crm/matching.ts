import { hostFacts, isDisposableDomain, isFreeMailDomain, isSharedPlatformDomain } from '../domain-lists';
import type { FieldValue } from './merge';
import { TIERS } from './model';

/**
 * Lead-to-account matching, and the one home of "where does a lead get its tier": a lead that belongs
 * to a known account takes the account's tier (tier is account value) and owner; only a lead from an
 * unknown company is tiered by its form-data fit.
 */

/** The host a lead field names (an e-mail's domain, a website's host, a domain), lower-case; null when none. */
function hostText(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	let text = value.trim().toLowerCase();
	if (text === '' || text.length > 2000) return null;
	const at = text.lastIndexOf('@');
	if (at >= 0) text = text.slice(at + 1);
	text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#:].*$/, '').replace(/\.$/, '');
	return text === '' ? null : text;
}

/** A company domain a lead names, reduced to the registrable domain; free-mail never names a company. */
export function companyDomainOf(value: unknown): string | null {
	const text = hostText(value);
	if (text === null) return null;
	const facts = hostFacts(text);
	const domain = facts?.knownSuffix ? facts.registrableDomain : null;
	if (!domain || isFreeMailDomain(domain) || isDisposableDomain(domain) || isSharedPlatformDomain(domain)) return null;
	return domain;
}

/** The domains that may identify a lead's account, best first: company domain, website, e-mail. */
export function leadAccountKeys(lead: { companyDomain?: unknown; website?: unknown; email?: unknown }): string[] {
	const keys = [companyDomainOf(lead.companyDomain), companyDomainOf(lead.website), companyDomainOf(lead.email)].filter((d): d is string => d !== null);
	return [...new Set(keys)];
}

export interface AccountRef {
	domain: string;
	domains?: readonly string[];
	name?: FieldValue;
	tier?: FieldValue;
	owner?: FieldValue;
	lifecycle?: FieldValue;
}

export interface AccountMatch<A extends AccountRef = AccountRef> {
	account: A;
	/** The lead's domain that matched. */
	domain: string;
	via: 'domain' | 'alias';
}

/** An index of accounts by domain and alias; built once, then each lookup is a few map reads. */
export class AccountIndex<A extends AccountRef = AccountRef> {
	private readonly byDomain = new Map<string, A>();
	private readonly byAlias = new Map<string, A>();

	constructor(accounts: Iterable<A>) {
		for (const account of accounts) {
			const domain = companyDomainOf(account.domain);
			if (domain && !this.byDomain.has(domain)) this.byDomain.set(domain, account);
			for (const alias of account.domains ?? []) {
				const d = companyDomainOf(alias);
				if (d && !this.byAlias.has(d)) this.byAlias.set(d, account);
			}
		}
	}

	get size(): number {
		return this.byDomain.size;
	}

	/**
	 * Looks the lead's hosts and their parent domains up directly: the index holds only registrable
	 * company domains (free-mail, disposable and shared platforms never enter it), so a lookup needs no
	 * public-suffix parsing. Hosts that are not plain ASCII go through companyDomainOf.
	 */
	match(lead: { companyDomain?: unknown; website?: unknown; email?: unknown }): AccountMatch<A> | null {
		const hosts = [hostOf(lead.companyDomain), hostOf(lead.website), hostOf(lead.email)];
		for (const map of [this.byDomain, this.byAlias]) {
			for (const host of hosts) {
				if (host === null) continue;
				let at = 0;
				while (at >= 0) {
					const candidate = host.slice(at);
					if (!candidate.includes('.')) break;
					const account = map.get(candidate);
					if (account) return { account, domain: candidate, via: map === this.byDomain ? 'domain' : 'alias' };
					const dot = host.indexOf('.', at);
					at = dot < 0 ? -1 : dot + 1;
				}
			}
		}
		return null;
	}
}

const PLAIN_HOST = /^[a-z0-9.-]+$/;

/** hostText for the index lookup; a host that is not plain ASCII goes through companyDomainOf. */
function hostOf(value: unknown): string | null {
	const text = hostText(value);
	if (text === null) return null;
	return PLAIN_HOST.test(text) ? text : companyDomainOf(text);
}

export interface LeadTierFields {
	tier: string | null;
	tierSource: 'account' | 'fit' | null;
	accountDomain: string | null;
	owner: string | null;
	existingCustomer: boolean;
}

const asTier = (v: unknown): string | null => (typeof v === 'string' && (TIERS as readonly string[]).includes(v) ? v : null);

/**
 * What a lead inherits: the matched account's tier, owner and customer status; without a match (or an
 * account without a tier), the tier its fit earned (the ICP Scorer's tier; Disqualified is no tier).
 */
export function leadTier(match: AccountMatch | null, fitTier: unknown): LeadTierFields {
	const accountTier = match ? asTier(match.account.tier) : null;
	const tier = accountTier ?? asTier(fitTier);
	return {
		tier,
		tierSource: accountTier ? 'account' : tier ? 'fit' : null,
		accountDomain: match?.account.domain ?? null,
		owner: match && typeof match.account.owner === 'string' && match.account.owner.trim() !== '' ? match.account.owner : null,
		existingCustomer: match?.account.lifecycle === 'customer',
	};
}
