/**
 * The built-in catalogs of account research: industries and the words that say them, technologies
 * and the marks they leave on a page, and the kinds of news worth acting on. One home for these
 * defaults; a company's config (`research`) replaces any of them, in the node UI or the config file.
 *
 * Industry names are the lower-case values the ICP playbooks compare (`industry in [software,
 * fintech]`), technology names the values of `techStack` (`containsAny [salesforce, hubspot]`).
 */

export interface IndustryEntry {
	name: string;
	/** Words or phrases (matched whole, any case) that say a page is about this industry. */
	keywords: string[];
}

export interface TechnologyEntry {
	name: string;
	/** Pieces of a script, stylesheet, frame or form address, or of a generator tag, that only this technology leaves. */
	markup: string[];
	/** How the technology is named in text (matched whole, any case), e.g. "HubSpot". */
	names: string[];
}

export const DEFAULT_INDUSTRIES: readonly IndustryEntry[] = [
	{ name: 'software', keywords: ['software', 'saas', 'software-as-a-service', 'cloud-based', 'analytics platform', 'developer tools', 'b2b software', 'software company'] },
	{ name: 'fintech', keywords: ['fintech', 'payments', 'payment processing', 'banking platform', 'neobank', 'lending', 'card issuing', 'financial technology', 'open banking'] },
	{ name: 'financial services', keywords: ['bank', 'insurance', 'insurer', 'asset management', 'wealth management', 'brokerage', 'financial services', 'credit union'] },
	{ name: 'healthcare', keywords: ['healthcare', 'health care', 'hospital', 'clinic', 'patients', 'medical', 'medtech', 'pharma', 'pharmaceutical', 'biotech'] },
	{ name: 'manufacturing', keywords: ['manufacturing', 'manufacturer', 'factory', 'factories', 'production lines', 'industrial', 'machinery', 'fabrication', 'oem'] },
	{ name: 'logistics', keywords: ['logistics', 'freight', 'shipping', 'warehousing', 'supply chain', 'fleet', 'last-mile', 'fulfilment', 'fulfillment', '3pl'] },
	{ name: 'retail', keywords: ['retail', 'retailer', 'e-commerce', 'ecommerce', 'online store', 'consumer brand', 'd2c', 'shoppers'] },
	{ name: 'professional services', keywords: ['consulting', 'consultancy', 'advisory', 'agency', 'law firm', 'accounting firm', 'professional services', 'staffing', 'recruitment'] },
	{ name: 'education', keywords: ['education', 'edtech', 'university', 'school', 'students', 'learning platform', 'e-learning', 'training provider'] },
	{ name: 'real estate', keywords: ['real estate', 'property management', 'proptech', 'commercial property', 'tenants', 'landlords', 'construction'] },
	{ name: 'energy', keywords: ['energy', 'utility', 'utilities', 'renewable', 'solar', 'wind power', 'oil and gas', 'power grid', 'cleantech'] },
	{ name: 'telecommunications', keywords: ['telecom', 'telecommunications', 'mobile network', 'carrier network', 'broadband', 'isp', '5g'] },
	{ name: 'media', keywords: ['media company', 'publishing', 'publisher', 'broadcaster', 'adtech'] },
	{ name: 'hospitality', keywords: ['hotel', 'hotels', 'hospitality', 'restaurant', 'restaurants', 'travel', 'booking engine', 'tourism'] },
	{ name: 'public sector', keywords: ['government', 'public sector', 'municipal', 'municipality', 'agency of the', 'federal', 'ministry'] },
	{ name: 'nonprofit', keywords: ['nonprofit', 'non-profit', 'charity', 'foundation', 'ngo', 'donors'] },
];

const tech = (name: string, markup: string[], names: string[] = [name]): TechnologyEntry => ({ name: name.toLowerCase(), markup, names });

export const DEFAULT_TECHNOLOGIES: readonly TechnologyEntry[] = [
	tech('HubSpot', ['js.hs-scripts.com', 'js.hsforms.net', 'js.hs-analytics.net', 'js.hubspot.com', 'hsforms.com', 'hs-banner.com']),
	tech('Salesforce', ['force.com', 'salesforce.com', 'pardot.com', 'pi.pardot.com', 'salesforceliveagent.com', 'my.site.com'], ['Salesforce', 'Pardot', 'Sales Cloud', 'Service Cloud']),
	tech('Marketo', ['munchkin.marketo.net', 'marketo.com', 'mktoresp.com'], ['Marketo']),
	tech('Intercom', ['widget.intercom.io', 'js.intercomcdn.com'], ['Intercom']),
	tech('Zendesk', ['static.zdassets.com', 'zendesk.com'], ['Zendesk']),
	tech('Drift', ['js.driftt.com', 'drift.com/'], ['Drift']),
	tech('Segment', ['cdn.segment.com'], ['Segment']),
	tech('Google Analytics', ['google-analytics.com', 'googletagmanager.com/gtag'], ['Google Analytics']),
	tech('Google Tag Manager', ['googletagmanager.com/gtm.js', 'googletagmanager.com/ns.html'], ['Google Tag Manager']),
	tech('Stripe', ['js.stripe.com'], ['Stripe']),
	tech('Shopify', ['cdn.shopify.com', 'myshopify.com'], ['Shopify']),
	tech('WordPress', ['/wp-content/', '/wp-includes/', 'wordpress'], ['WordPress']),
	tech('Webflow', ['webflow.com', 'website-files.com'], ['Webflow']),
	tech('Cloudflare', ['cdnjs.cloudflare.com', 'challenges.cloudflare.com', 'cloudflareinsights.com'], ['Cloudflare']),
	tech('AWS', ['amazonaws.com', 'cloudfront.net'], ['AWS', 'Amazon Web Services']),
	tech('Azure', ['azureedge.net', 'azurewebsites.net', 'windows.net'], ['Azure', 'Microsoft Azure']),
	tech('Google Cloud', ['storage.googleapis.com', 'appspot.com'], ['Google Cloud', 'GCP']),
	tech('Snowflake', [], ['Snowflake']),
	tech('Databricks', [], ['Databricks']),
	tech('Kubernetes', [], ['Kubernetes', 'k8s']),
	tech('SAP', [], ['SAP', 'S/4HANA', 'SAP ERP']),
	tech('Oracle', [], ['Oracle', 'NetSuite']),
	tech('Microsoft Dynamics', ['dynamics.com'], ['Microsoft Dynamics', 'Dynamics 365']),
	tech('Workday', ['myworkdayjobs.com', 'workday.com'], ['Workday']),
	tech('Greenhouse', ['boards.greenhouse.io', 'greenhouse.io'], ['Greenhouse']),
	tech('Lever', ['jobs.lever.co'], ['Lever']),
	tech('Slack', [], ['Slack']),
	tech('Okta', ['okta.com', 'oktacdn.com'], ['Okta']),
	tech('Mixpanel', ['cdn.mxpnl.com', 'mixpanel.com'], ['Mixpanel']),
	tech('Amplitude', ['cdn.amplitude.com', 'amplitude.com'], ['Amplitude']),
	tech('Hotjar', ['static.hotjar.com'], ['Hotjar']),
	tech('Optimizely', ['cdn.optimizely.com'], ['Optimizely']),
	tech('Gong', [], ['Gong']),
	tech('Outreach', [], ['Outreach.io']),
	tech('Zoom', [], ['Zoom']),
	tech('Jira', ['atlassian.net'], ['Jira', 'Atlassian']),
];

/**
 * Text is named as in use only near words that say so ("we use", "built on"), or on a jobs page
 * ("experience with"). A page that merely integrates with a product does not use it.
 */
export const IN_USE_CUES = /\b(?:we use|we're using|we are using|we run|built on|built with|powered by|runs on|running on|our (?:tech )?stack|tech stack|migrated to|moved to|standardi[sz]ed on|in production on)\b/i;
export const JOB_CUES = /\b(?:experience (?:with|in)|knowledge of|proficien(?:t|cy) (?:with|in)|hands-on|you will work with|you'll work with|familiar(?:ity)? with)\b/i;
export const JOB_PAGE = /\/(?:careers?|jobs?|join(?:-us)?|work-with-us|vacancies|stellen)\b/i;

export const NEWS_KINDS = ['funding', 'acquisition', 'leadership', 'hiring', 'expansion', 'product', 'partnership'] as const;
export type NewsKind = (typeof NEWS_KINDS)[number];

/** What a headline or sentence must say to be news of each kind (first match in this order wins). */
export const NEWS_PATTERNS: ReadonlyArray<readonly [NewsKind, RegExp]> = [
	['funding', /\b(?:rais(?:es|ed|ing)|secures?|closes?|closed|lands?)\b[^.]{0,80}\b(?:funding|round|investment|series [a-h]|seed)\b|\bseries [a-h] (?:round|funding)\b|\bfunding round\b/i],
	['acquisition', /\b(?:acquires?|acquired|acquisition of|merges? with|merger with|to acquire)\b/i],
	['leadership', /\b(?:appoints?|appointed|names?|named|welcomes?|hires?|promotes?|joins? as)\b[^.]{0,80}\b(?:ceo|cfo|cro|cto|coo|cmo|chief [a-z]+ officer|vp|vice president|head of|managing director|president)\b/i],
	['hiring', /\b(?:we(?:'re| are) hiring|is hiring|now hiring|open (?:roles|positions)|doubl(?:es|ing) (?:the |its )?(?:team|headcount)|hiring \d+)\b/i],
	['expansion', /\b(?:opens?|opened|opening|expands?|expanded|expansion|enters?|launch(?:es|ed)? in)\b[^.]{0,60}\b(?:office|offices|market|markets|region|headquarters|hub|europe|america|asia|uk|germany|france)\b/i],
	['product', /\b(?:launch(?:es|ed)?|introduc(?:es|ed)|unveil(?:s|ed)|releas(?:es|ed)|announc(?:es|ed)|rolls? out|general availability|now available)\b/i],
	['partnership', /\b(?:partners? with|partnership with|teams up with|strategic alliance)\b/i],
];

/** News that makes an account worth a timely touch (next-action rules). */
export const TRIGGER_NEWS: readonly NewsKind[] = ['funding', 'acquisition', 'leadership', 'hiring', 'expansion'];

/** Pages read when neither the node nor the company config names them. */
export const DEFAULT_PAGES: readonly string[] = ['/', '/about', '/company', '/customers', '/news', '/press', '/blog', '/careers'];

export const RESEARCH_DEFAULTS = {
	/** News older than this is not recent. */
	newsDays: 180,
	/** An industry is named only with at least this much weight of words, and a clear lead over the next. */
	industryMinScore: 3,
	industryLead: 1.5,
	/** A page is read up to this many bytes (the rest is cut, and said). */
	maxPageBytes: 1_500_000,
	/** Text kept per page for the evidence search. */
	maxPageChars: 300_000,
	pageTimeoutMs: 10_000,
	maxRedirects: 3,
	/** Quotes are cut to this length. */
	maxQuote: 280,
	maxNews: 8,
} as const;
