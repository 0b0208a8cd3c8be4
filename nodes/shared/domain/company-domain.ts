import { hostFacts, isFreeMailDomain, isSharedPlatformDomain } from './domain-lists';
import type { EmailFacts } from './email';
import type { IssueList } from './issues';
import { cleanText } from './text';

export type DomainSource = 'website' | 'email' | null;

export interface CompanyDomainFacts {
	companyDomain: string | null;
	domainSource: DomainSource;
	/** The website as given, tidied to a URL, when it parsed. */
	website: string | null;
}

function parseWebsite(text: string): URL | null {
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
	try {
		const url = new URL(withScheme);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
	} catch {
		return null;
	}
}

/**
 * The company's registrable domain: from the website when it names one, otherwise from a work e-mail.
 * Free-mail, disposable and shared-platform domains (linkedin.com/company/...) never count.
 */
export function companyDomainFrom(
	rawWebsite: unknown,
	email: EmailFacts,
	issues: IssueList,
): CompanyDomainFacts {
	let website: string | null = null;
	const text = cleanText(rawWebsite, 'website', issues, 2000);
	if (text !== null) {
		const url = text.includes(' ') ? null : parseWebsite(text);
		const facts = url ? hostFacts(url.hostname) : null;
		if (!url || !facts || !facts.knownSuffix || !facts.registrableDomain) {
			issues.warn('website', 'website_invalid', `website "${text.slice(0, 80)}" is not a usable web address`);
		} else {
			website = `${url.protocol}//${url.hostname}${url.pathname === '/' ? '' : url.pathname}`;
			const domain = facts.registrableDomain;
			if (isSharedPlatformDomain(domain)) {
				issues.warn('website', 'website_shared_platform', `${domain} hosts many companies' pages; not used as the company domain`);
			} else if (isFreeMailDomain(domain)) {
				issues.warn('website', 'website_free_mail', `${domain} is an e-mail provider; not used as the company domain`);
			} else {
				if (email.domain && email.valid && !email.freeMail && !email.disposable) {
					const emailDomain = hostFacts(email.domain)?.registrableDomain;
					if (emailDomain && emailDomain !== domain) {
						issues.warn('website', 'domain_mismatch', `website domain ${domain} differs from e-mail domain ${emailDomain}`);
					}
				}
				return { companyDomain: domain, domainSource: 'website', website };
			}
		}
	}
	if (email.valid && email.domain && !email.freeMail && !email.disposable) {
		const domain = hostFacts(email.domain)?.registrableDomain ?? null;
		if (domain) return { companyDomain: domain, domainSource: 'email', website };
	}
	return { companyDomain: null, domainSource: null, website };
}
