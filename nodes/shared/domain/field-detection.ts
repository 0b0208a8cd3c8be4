/**
 * Finds lead fields in whatever shape arrives: a Form Trigger ("Email", "Company Website"), a Webhook
 * ({ body: {...}, query: {...} }), HubSpot-style { properties: {...} } or snake_case exports.
 * Keys are compared by letters and digits only, so "E-Mail", "e_mail" and "eMail" are one name.
 */
export function nameKey(name: string): string {
	const known = NAME_KEYS.get(name);
	if (known !== undefined) return known;
	const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
	// The same few column names arrive on every item of a run: computed once each (bounded).
	if (NAME_KEYS.size >= 10_000) NAME_KEYS.clear();
	NAME_KEYS.set(name, key);
	return key;
}
const NAME_KEYS = new Map<string, string>();

/** Each field's candidate keys, user names first, normalized once per set of extra names. */
const CANDIDATES = new WeakMap<Record<string, string[]>, Map<string, string[]>>();
function candidateKeys(extraNames: Record<string, string[]>, field: string): string[] {
	let byField = CANDIDATES.get(extraNames);
	if (!byField) CANDIDATES.set(extraNames, (byField = new Map()));
	let keys = byField.get(field);
	if (!keys) byField.set(field, (keys = [...(extraNames[field] ?? []), ...(DEFAULT_FIELD_NAMES[field] ?? [])].map(nameKey)));
	return keys;
}
const NO_EXTRA_NAMES: Record<string, string[]> = {};
function hasOwnKeys(o: object): boolean {
	for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
	return false;
}

export const DEFAULT_FIELD_NAMES: Record<string, string[]> = {
	email: ['email', 'emailaddress', 'workemail', 'businessemail', 'contactemail', 'mail', 'email1', 'yourEmail'],
	phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'tel', 'telephone', 'cell', 'workphone', 'businessphone', 'phone1'],
	firstName: ['firstname', 'first', 'givenname', 'fname', 'forename', 'vorname', 'prenom'],
	lastName: ['lastname', 'last', 'surname', 'familyname', 'lname', 'nachname', 'nom'],
	fullName: ['name', 'fullname', 'contactname', 'yourname', 'contact'],
	company: ['company', 'companyname', 'organization', 'organisation', 'org', 'accountname', 'account', 'business', 'employer', 'firma'],
	website: ['website', 'companywebsite', 'web', 'site', 'url', 'companyurl', 'homepage', 'domain', 'companydomain'],
	country: ['country', 'countrycode', 'countryregion', 'countryname', 'nation', 'land', 'pays'],
	jobTitle: ['jobtitle', 'title', 'position', 'role', 'jobrole'],
	message: ['message', 'comments', 'comment', 'notes', 'note', 'description', 'body', 'text', 'inquiry', 'enquiry', 'question', 'howcanwehelp', 'howcanwehelpyou'],
	receivedAt: ['receivedat', 'submittedat', 'createdat', 'timestamp', 'submittedon', 'createdate', 'date'],
	source: ['utmsource', 'source', 'leadsource'],
	medium: ['utmmedium', 'medium'],
	campaign: ['utmcampaign', 'campaign', 'campaignname'],
	term: ['utmterm', 'term', 'keyword'],
	content: ['utmcontent', 'content'],
	referrer: ['referrer', 'referer', 'referrerurl', 'httpreferer', 'httpreferrer'],
	landingPage: ['landingpage', 'landingpageurl', 'pageurl', 'page', 'formurl', 'sourceurl'],
};

/**
 * What the RevOps nodes themselves put on an item (the Company Config node's company and config, the
 * CRM node's answer, audit): never lead data, so never searched for it. Without this a lead with no
 * name would take the portfolio company's name from `company.name`.
 */
const OWN_KEYS = new Set(['companyConfig', 'portfolioCompany', 'crm', 'crmPatch', '_meta', 'auditTrail']);
const isOwn = (key: string) => OWN_KEYS.has(key);

export interface DetectedFields {
	values: Record<string, unknown>;
	/** Where each value was found, e.g. { email: 'body.Work Email' }: the explanation on the item. */
	paths: Record<string, string>;
}

/** A value found under a key: at the top (outer null) or one level down, under `outer`. */
interface Hit {
	value: unknown;
	outer: string | null;
	key: string;
	taken: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Top-level keys win over nested ones; nested plain objects (one level: body, query, properties,
 * fields...) are searched in their key order. Extra names given by the user are tried before the
 * built-in ones, so a builder can always point a field at the right column.
 */
export function detectFields(
	input: Record<string, unknown>,
	fields: readonly string[],
	extraNames: Record<string, string[]> = NO_EXTRA_NAMES,
): DetectedFields {
	// Each searched key once, by its name key; the first one seen wins. Its path is written only for
	// the values a field takes.
	const index = new Map<string, Hit>();
	const add = (key: string, value: unknown, outer: string | null) => {
		if (value === undefined || value === null || value === '' || isPlainObject(value)) return;
		const k = nameKey(key);
		if (k !== '' && !index.has(k)) index.set(k, { value, outer, key, taken: false });
	};
	const keys = Object.keys(input);
	for (const key of keys) add(key, input[key], null);
	for (const key of keys) {
		const value = input[key];
		if (!isPlainObject(value) || isOwn(key)) continue;
		for (const inner of Object.keys(value)) add(inner, value[inner], key);
	}

	// Items of a node run each bring their own (usually empty) extra names: the empty ones share a cache.
	const names = hasOwnKeys(extraNames) ? extraNames : NO_EXTRA_NAMES;
	const values: Record<string, unknown> = {};
	const paths: Record<string, string> = {};
	for (const field of fields) {
		for (const candidate of candidateKeys(names, field)) {
			const hit = index.get(candidate);
			// One input value feeds one lead field: "url" must not become both website and landing page.
			if (hit && !hit.taken) {
				values[field] = hit.value;
				paths[field] = hit.outer === null ? hit.key : `${hit.outer}.${hit.key}`;
				hit.taken = true;
				break;
			}
		}
	}
	return { values, paths };
}
