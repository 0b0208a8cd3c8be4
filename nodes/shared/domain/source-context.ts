import { hostFacts } from './domain-lists';
import type { IssueList } from './issues';
import { cleanText } from './text';

export interface SourceInput {
	source?: unknown;
	medium?: unknown;
	campaign?: unknown;
	term?: unknown;
	content?: unknown;
	referrer?: unknown;
	landingPage?: unknown;
}

export interface SourceContext {
	source: string | null;
	medium: string | null;
	campaign: string | null;
	term: string | null;
	content: string | null;
	referrer: string | null;
	landingPage: string | null;
	/** Where source/medium came from when not given directly. */
	derivedFrom: 'fields' | 'landingPage' | 'referrer' | null;
	/** Source, medium and campaign are all known: the lead can be attributed to a campaign. */
	sourceContextComplete: boolean;
}

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
type UtmKey = (typeof UTM_KEYS)[number];

function parseUrl(text: string | null): URL | null {
	if (!text) return null;
	try {
		return new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return null;
	}
}

/**
 * Attribution in one shape: explicit fields win, then utm_* parameters on the landing page URL, then
 * the referrer's domain as a referral. Values are lower-cased so "LinkedIn" and "linkedin" count as one
 * source in reports.
 */
export function sourceContext(input: SourceInput, ownDomain: string | null, issues: IssueList): SourceContext {
	const utm: Record<UtmKey, string | null> = {
		source: null,
		medium: null,
		campaign: null,
		term: null,
		content: null,
	};
	let derivedFrom: SourceContext['derivedFrom'] = null;
	for (const k of UTM_KEYS) {
		const v = cleanText(input[k], `utm_${k}`, issues, 200);
		if (v !== null) {
			utm[k] = v.toLowerCase();
			derivedFrom = 'fields';
		}
	}
	const landingPage = cleanText(input.landingPage, 'landingPage', issues, 2000);
	const referrer = cleanText(input.referrer, 'referrer', issues, 2000);
	const landing = parseUrl(landingPage);
	if (landing) {
		for (const k of UTM_KEYS) {
			const v = landing.searchParams.get(`utm_${k}`);
			if (!utm[k] && v && v.trim()) {
				utm[k] = v.trim().toLowerCase().slice(0, 200);
				derivedFrom ??= 'landingPage';
			}
		}
	}
	const ref = parseUrl(referrer);
	if (!utm.source && ref) {
		const refDomain = hostFacts(ref.hostname)?.registrableDomain ?? null;
		if (refDomain && refDomain !== ownDomain) {
			utm.source = refDomain;
			utm.medium ??= 'referral';
			derivedFrom = 'referrer';
		}
	}
	// A literal, not a spread of utm: V8 gives it a compact fixed shape (a spread copy kept per lead took
	// several times the memory).
	return {
		source: utm.source,
		medium: utm.medium,
		campaign: utm.campaign,
		term: utm.term,
		content: utm.content,
		referrer,
		landingPage,
		derivedFrom,
		sourceContextComplete: !!(utm.source && utm.medium && utm.campaign),
	};
}
