// Values with the cardinality of a real CRM export: thousands of distinct industries, job titles,
// company names and domains, countries written every way people write them, and tech stacks drawn
// from a long list. The generators of the benchmarks draw from these when asked for realistic data,
// so caches keyed by value and branch predictors get no easier ride than they would in production.
'use strict';
const { rng } = require('./generated-leads');

const INDUSTRY_BASES = [
	'software', 'fintech', 'retail', 'manufacturing', 'healthcare', 'education', 'logistics', 'insurance', 'banking', 'telecommunications',
	'energy', 'utilities', 'construction', 'real estate', 'hospitality', 'travel', 'media', 'publishing', 'advertising', 'marketing services',
	'legal services', 'accounting', 'consulting', 'staffing', 'automotive', 'aerospace', 'defense', 'chemicals', 'pharmaceuticals', 'biotech',
	'medical devices', 'agriculture', 'food and beverage', 'consumer goods', 'apparel', 'e-commerce', 'gaming', 'sports', 'non-profit', 'government',
	'public sector', 'mining', 'oil and gas', 'shipping', 'rail', 'aviation', 'security', 'cybersecurity', 'data and analytics', 'hr tech',
	'edtech', 'proptech', 'insurtech', 'legaltech', 'martech', 'adtech', 'cleantech', 'semiconductors', 'electronics', 'robotics',
];
const INDUSTRY_QUALIFIERS = [
	'', 'b2b', 'b2c', 'enterprise', 'smb', 'industrial', 'digital', 'online', 'wholesale', 'specialty', 'regional', 'global', 'independent',
	'private', 'managed', 'cloud', 'saas', 'platform', 'services', 'solutions', 'equipment', 'supplies', 'distribution', 'research', 'components',
	'software for', 'services for', 'marketplace for', 'analytics for', 'automation for', 'payments for', 'compliance for', 'logistics for',
	'staffing for', 'training for', 'hardware for', 'security for', 'data for', 'ai for', 'iot for', 'consulting for', 'finance for',
	'insurance for', 'leasing for', 'maintenance for', 'repair for', 'testing for', 'design for', 'engineering for', 'outsourcing for',
];
const SENIORITY = ['', 'Junior', 'Senior', 'Lead', 'Principal', 'Head of', 'Director of', 'Senior Director of', 'VP of', 'SVP of', 'EVP of', 'Chief', 'Global Head of', 'Regional Director of', 'Manager,', 'Associate'];
const FUNCTIONS = [
	'Sales', 'Revenue Operations', 'Sales Operations', 'Marketing', 'Demand Generation', 'Growth', 'Customer Success', 'Support', 'Operations', 'Finance',
	'Procurement', 'IT', 'Engineering', 'Product', 'Data', 'Analytics', 'Security', 'Legal', 'HR', 'People', 'Talent', 'Supply Chain', 'Logistics',
	'Field Service', 'Facilities', 'Partnerships', 'Business Development', 'Strategy', 'Transformation', 'Infrastructure', 'Platform', 'Quality',
	'Compliance', 'Risk', 'Investor Relations', 'Communications', 'Brand', 'Content', 'Design', 'Research',
];
const SPECIALTIES = ['', 'EMEA', 'DACH', 'North America', 'APAC', 'Enterprise', 'Mid-Market', 'SMB', 'Public Sector', 'Strategic Accounts', 'Digital', 'International'];
const FIRST = [
	'Jane', 'John', 'María', 'José', 'Li', 'Wei', 'Aiko', 'Hiroshi', 'Priya', 'Ravi', 'Søren', 'Ingrid', 'Anna-Lena', 'Jean-Luc', 'Chloé', 'François',
	'Mohammed', 'Fatima', 'Olu', 'Chidi', 'Ngozi', 'Kwame', 'Ana', 'João', 'Giulia', 'Luca', 'Zofia', 'Piotr', 'Olga', 'Dmitri', 'Ayşe', 'Mehmet',
	'Seo-yeon', 'Min-jun', 'Nguyen', 'Thi', 'Emily', 'Michael', 'Sarah', 'David', 'Laura', 'Daniel', 'Sophie', 'Lukas', 'Mia', 'Noah', 'Emma', 'Liam',
	"O'Neil", 'Siobhan', 'Eoin', 'Niamh', 'Kai', 'Leilani', 'Mateo', 'Valentina', 'Santiago', 'Camila', 'Arjun', 'Ananya', 'Tomás', 'Inés',
];
const LAST = [
	'Doe', 'Smith', 'van der Berg', 'Müller', 'Nguyen', 'McKenzie', 'Rossi', 'García', 'Fernández', 'Wang', 'Zhang', 'Tanaka', 'Suzuki', 'Patel',
	'Sharma', 'Jensen', 'Larsen', 'Dubois', 'Lefèvre', 'Okafor', 'Adeyemi', 'Mensah', 'Silva', 'Santos', 'Bianchi', 'Kowalski', 'Nowak', 'Ivanova',
	'Petrov', 'Yılmaz', 'Kaya', 'Kim', 'Park', 'Tran', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Schmidt', 'Schneider', 'Fischer',
	'Weber', "O'Brien", 'Murphy', 'Kelly', 'Kealoha', 'López', 'Martínez', 'Rodríguez', 'Gómez', 'Iyer', 'Reddy', 'Costa', 'Pereira', 'de Vries',
];
const WORDS = [
	'acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'northwind', 'contoso', 'fabrikam', 'tailspin', 'litware', 'adatum', 'proseware',
	'wingtip', 'fourth', 'coffee', 'blue', 'yonder', 'alpine', 'ski', 'margie', 'travel', 'wide', 'world', 'importers', 'lucerne', 'relecloud',
	'trey', 'research', 'woodgrove', 'bank', 'consolidated', 'messenger', 'graphic', 'design', 'institute', 'nod', 'publishers', 'southridge',
	'video', 'city', 'power', 'light', 'tasmanian', 'traders', 'vanarsdel', 'bellows', 'college', 'fjord', 'polar', 'summit', 'harbor', 'atlas',
	'beacon', 'cedar', 'delta', 'ember', 'falcon', 'granite', 'helix', 'iris', 'juniper', 'kestrel', 'lumen', 'meridian', 'nimbus', 'onyx',
	'pioneer', 'quartz', 'raven', 'sierra', 'tundra', 'unity', 'vertex', 'willow', 'xenon', 'yarrow', 'zephyr', 'orbit', 'pulse', 'forge',
];
const LEGAL = ['', 'Inc.', 'LLC', 'Ltd', 'GmbH', 'AG', 'SAS', 'SARL', 'BV', 'NV', 'AB', 'AS', 'Oy', 'S.p.A.', 'S.L.', 'Pty Ltd', 'KK', 'Sp. z o.o.', 'plc', 'Corp.'];
const TLDS = ['com', 'io', 'co', 'de', 'co.uk', 'fr', 'nl', 'se', 'no', 'dk', 'fi', 'es', 'it', 'pl', 'com.br', 'com.au', 'co.jp', 'ca', 'ch', 'at', 'be', 'ie', 'in', 'sg', 'ai', 'tech', 'net', 'org'];
// Countries as people type them: ISO codes, English and local names, abbreviations, odd spacing and case.
const COUNTRY_FORMS = [
	'US', 'USA', 'U.S.A.', 'United States', 'united states of america', 'America', 'GB', 'UK', 'United Kingdom', 'England', 'Great Britain',
	'DE', 'Germany', 'Deutschland', 'FR', 'France', 'NL', 'Netherlands', 'The Netherlands', 'Holland', 'Nederland', 'SE', 'Sweden', 'Sverige',
	'NO', 'Norway', 'Norge', 'DK', 'Denmark', 'Danmark', 'FI', 'Finland', 'Suomi', 'ES', 'Spain', 'España', 'IT', 'Italy', 'Italia', 'PL',
	'Poland', 'Polska', 'BR', 'Brazil', 'Brasil', 'AU', 'Australia', 'JP', 'Japan', 'CA', 'Canada', 'CH', 'Switzerland', 'Schweiz', 'Suisse',
	'AT', 'Austria', 'Österreich', 'BE', 'Belgium', 'België', 'Belgique', 'IE', 'Ireland', 'IN', 'India', 'SG', 'Singapore', 'MX', 'Mexico',
	'México', 'ZA', 'South Africa', 'NG', 'Nigeria', 'KE', 'Kenya', 'AE', 'UAE', 'United Arab Emirates', 'TR', 'Turkey', 'Türkiye', 'KR',
	'South Korea', 'Korea', 'CN', 'China', 'VN', 'Vietnam', 'Viet Nam', 'PT', 'Portugal', 'AR', 'Argentina', 'CL', 'Chile', 'CO', 'Colombia',
	'', '', 'Atlantis', 'N/A', ' germany ', 'FRANCE',
];
const TOOLS = [
	'salesforce', 'hubspot', 'pipedrive', 'zoho', 'dynamics 365', 'close', 'copper', 'freshsales', 'zendesk', 'intercom', 'freshdesk', 'jira',
	'confluence', 'asana', 'monday', 'clickup', 'notion', 'slack', 'teams', 'zoom', 'webex', 'gong', 'chorus', 'outreach', 'salesloft', 'apollo',
	'zoominfo', 'clearbit', '6sense', 'demandbase', 'marketo', 'pardot', 'mailchimp', 'klaviyo', 'segment', 'mixpanel', 'amplitude', 'snowflake',
	'bigquery', 'redshift', 'databricks', 'tableau', 'looker', 'power bi', 'metabase', 'aws', 'azure', 'gcp', 'okta', 'auth0', 'stripe', 'chargebee',
	'recurly', 'netsuite', 'sap', 'oracle', 'workday', 'bamboohr', 'greenhouse', 'lever', 'docusign', 'pandadoc', 'gainsight', 'totango', 'churnzero',
];

function realisticValues(seed = 11) {
	const r = rng(seed);
	const pick = (list) => list[Math.floor(r() * list.length)];
	const cased = (s) => {
		const x = r();
		return x < 0.7 ? s : x < 0.8 ? s.toUpperCase() : x < 0.9 ? s.toLowerCase() : ` ${s} `;
	};
	return {
		industry: () => {
			const q = pick(INDUSTRY_QUALIFIERS);
			const base = pick(INDUSTRY_BASES);
			const text = q ? `${q} ${base}` : base;
			return cased(text);
		},
		title: () => [pick(SENIORITY), pick(FUNCTIONS), pick(SPECIALTIES)].filter(Boolean).join(' '),
		firstName: () => pick(FIRST),
		lastName: () => pick(LAST),
		company: (i) => `${pick(WORDS)} ${pick(WORDS)}${i % 7 === 0 ? ` ${i}` : ''} ${pick(LEGAL)}`.trim(),
		domain: (i) => `${pick(WORDS)}${pick(WORDS)}${i}.${pick(TLDS)}`,
		country: () => pick(COUNTRY_FORMS),
		techStack: () => Array.from({ length: Math.floor(r() * 7) }, () => pick(TOOLS)).join(','),
		random: r,
	};
}

module.exports = { realisticValues };
