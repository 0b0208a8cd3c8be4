import { REPLY_DEADLINE_TEXT } from '../../shared/domain/lead-normalizer';
import { calendarProperty } from '../../shared/n8n/calendar-params';
import type { INodeProperties } from 'n8n-workflow';

const LEAD_FIELD_OPTIONS = [
	{ name: 'Campaign (UTM)', value: 'campaign' },
	{ name: 'Company', value: 'company' },
	{ name: 'Content (UTM)', value: 'content' },
	{ name: 'Country', value: 'country' },
	{ name: 'E-Mail', value: 'email' },
	{ name: 'First Name', value: 'firstName' },
	{ name: 'Full Name', value: 'fullName' },
	{ name: 'Job Title', value: 'jobTitle' },
	{ name: 'Landing Page URL', value: 'landingPage' },
	{ name: 'Last Name', value: 'lastName' },
	{ name: 'Medium (UTM)', value: 'medium' },
	{ name: 'Message', value: 'message' },
	{ name: 'Phone', value: 'phone' },
	{ name: 'Received At', value: 'receivedAt' },
	{ name: 'Referrer', value: 'referrer' },
	{ name: 'Source (UTM)', value: 'source' },
	{ name: 'Term (UTM)', value: 'term' },
	{ name: 'Website', value: 'website' },
];

function mappedField(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		description,
	};
}

export const leadNormalizerProperties: INodeProperties[] = [
	{
		displayName: 'Input Mapping',
		name: 'mappingMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Auto-Detect by Field Name',
				value: 'auto',
				description:
					'Find fields by common names (Email, work_email, Company Website, utm_source...) at the top level or one level down (body, query, properties)',
			},
			{
				name: 'Map Each Field',
				value: 'manual',
				description: 'Set each lead field yourself, usually with an expression such as {{ $JSON.contact.email }}',
			},
		],
		default: 'auto',
	},
	{
		displayName: 'Extra Field Names',
		name: 'extraFieldNames',
		placeholder: 'Add Field Names',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		displayOptions: { show: { mappingMode: ['auto'] } },
		default: {},
		description: 'Input field names to try first, for shapes the built-in names do not cover',
		options: [
			{
				name: 'names',
				displayName: 'Field Names',
				values: [
					{
						displayName: 'Lead Field',
						name: 'field',
						type: 'options',
						options: LEAD_FIELD_OPTIONS,
						default: 'email',
					},
					{
						displayName: 'Input Names',
						name: 'names',
						type: 'string',
						default: '',
						placeholder: 'e.g. contact_mail, properties.hs_email',
						description: 'Comma-separated input field names; case, spaces, dashes and underscores are ignored',
					},
				],
			},
		],
	},
	{
		displayName: 'Lead Fields',
		name: 'fields',
		placeholder: 'Add Lead Field',
		type: 'collection',
		displayOptions: { show: { mappingMode: ['manual'] } },
		default: {},
		options: [
			mappedField('campaign', 'Campaign (UTM)', 'Campaign name, as utm_campaign'),
			mappedField('company', 'Company', 'Company or organisation name'),
			mappedField('content', 'Content (UTM)', 'Ad or link variant, as utm_content'),
			mappedField('country', 'Country', 'Country name or ISO code in any common form'),
			mappedField('email', 'E-Mail', 'The lead\'s e-mail address'),
			mappedField('firstName', 'First Name', 'Given name'),
			mappedField('fullName', 'Full Name', 'Whole name, split into first and last when those are not set'),
			mappedField('jobTitle', 'Job Title', 'Role or position'),
			mappedField('landingPage', 'Landing Page URL', 'Page the form was on; its utm_* parameters fill missing UTM fields'),
			mappedField('lastName', 'Last Name', 'Family name'),
			mappedField('medium', 'Medium (UTM)', 'Marketing medium, as utm_medium'),
			mappedField('message', 'Message', 'Free text the lead wrote'),
			mappedField('phone', 'Phone', 'Phone number in any format'),
			mappedField('receivedAt', 'Received At', 'When the lead arrived (ISO date, RFC 2822 or epoch); the time of processing when empty'),
			mappedField('referrer', 'Referrer', 'Referring page URL'),
			mappedField('source', 'Source (UTM)', 'Traffic source, as utm_source'),
			mappedField('term', 'Term (UTM)', 'Paid keyword, as utm_term'),
			mappedField('website', 'Website', 'Company website or domain'),
		],
	},
	{
		displayName: 'Country and SLA From Company Config',
		name: 'companySettings',
		type: 'boolean',
		default: false,
		description: 'Whether to take the default country (company.country) and the first-response SLA (slas.firstResponseMinutes.default) from the Company Config on the item; the two fields below count where the config has no value',
	},
	{
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: 'US',
		placeholder: 'e.g. DE',
		description:
			'Two-letter ISO code used to read phone numbers written without a + prefix when the lead has no country',
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'multiOptions',
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Contact Name', value: 'name' },
			{ name: 'Country', value: 'country' },
			{ name: 'E-Mail', value: 'email' },
			{ name: 'E-Mail or Phone', value: 'emailOrPhone' },
			{ name: 'Phone', value: 'phone' },
		],
		default: ['emailOrPhone'],
		description: 'A lead missing any of these goes to the Invalid output, with the reason',
	},
	{
		displayName: 'First Response SLA (Business Minutes)',
		name: 'firstResponseSlaMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description: 'Working minutes a rep has for the first reply; sets firstResponseDueAt',
	},
	calendarProperty('Working time used for the after-hours flag and the SLA deadline', 'IANA time zone of the team that answers the leads'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Disposable E-Mail Is Invalid',
				name: 'disposableEmailIsInvalid',
				type: 'boolean',
				default: true,
				description: 'Whether leads with a throwaway address (mailinator.com and the like) go to the Invalid output',
			},
			{
				displayName: 'Free-Mail Is Invalid',
				name: 'freeMailIsInvalid',
				type: 'boolean',
				default: false,
				description: 'Whether leads with a free-mail address (gmail.com, outlook.com...) go to the Invalid output; they are always flagged',
			},
			{
				displayName: 'Own Website Domain',
				name: 'ownDomain',
				type: 'string',
				default: '',
				placeholder: 'e.g. yourcompany.com',
				description: 'Your own site, so referrers from it are not counted as a traffic source',
			},
			{
				displayName: 'Put Result In Field',
				name: 'outputField',
				type: 'string',
				default: 'lead',
				description: 'Name of the field that receives the normalized lead; the input fields are kept',
			},
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the domain's one constant
			{
				displayName: 'Reply Deadline Text Format',
				name: 'deadlineTextFormat',
				type: 'string',
				default: REPLY_DEADLINE_TEXT.format,
				description:
					'How firstResponseDueText writes the first-response deadline for the person who sent the lead (a form\'s thank-you page), in the calendar\'s time zone. Luxon tokens: cccc weekday, LLL month, d day, HH:mm time, ZZZZ zone; text in single quotes is kept as written.',
			},
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the domain's one constant
			{
				displayName: 'Reply Deadline Text Locale',
				name: 'deadlineTextLocale',
				type: 'string',
				default: REPLY_DEADLINE_TEXT.locale,
				placeholder: 'e.g. de-DE',
				description: 'Language of firstResponseDueText\'s weekday, month and zone names, as a language tag',
			},
		],
	},
];
