import type { INodeProperties } from 'n8n-workflow';
import { DRAFT_KINDS, type DraftKind } from '../../shared/domain/drafting/config';
import { modelOptionFields, promptProperty } from '../../shared/n8n/model-access';
import { readPrompt } from '../../shared/n8n/prompt-files';
import { companyConfigProperty } from '../../shared/n8n/crm-store';

export const DEFAULT_PROMPT = readPrompt('sales-drafter.md');

/** The drafter's outputs, in order: where a draft goes by its route (policy.ts decides); Not Now with sequence rules. */
export const OUTPUTS = ['Send', 'Review', 'Owner Only', 'Not Now'] as const;
export const OUTPUT_OF = { send: 0, review: 1, ownerOnly: 2, notNow: 3 } as const;
export const SEQUENCE_KINDS: DraftKind[] = ['outboundTouch', 'reengagement'];

/** Send, Review and Owner Only; Not Now too when sequence rules apply. Plain JavaScript, evaluated by n8n. */
export const configuredOutputs = (parameters: { kind?: string; sequenceRules?: boolean }) =>
	['Send', 'Review', 'Owner Only', ...((parameters.kind === 'outboundTouch' || parameters.kind === 'reengagement') && parameters.sequenceRules !== false ? ['Not Now'] : [])].map((displayName) => ({ type: 'main', displayName }));

const KIND_OPTIONS: Record<DraftKind, { name: string; description: string }> = {
	firstReply: { name: 'First Reply', description: 'To an inbound lead (customer-facing)' },
	outboundTouch: { name: 'Outbound Touch', description: 'One touch of an outbound sequence, per persona and touch number (customer-facing)' },
	reengagement: { name: 'Re-Engagement', description: 'To a lead that went quiet (customer-facing)' },
	meetingBrief: { name: 'Meeting Brief', description: 'For the owner before a meeting, T1 accounts above all (internal)' },
	proposalOutline: { name: 'Proposal Outline', description: 'For the owner; prices and terms left to the owner and approval (internal)' },
	handoffDoc: { name: 'Handoff Document', description: 'Sales to customer success on closed-won, from MEDDICC, notes and commitments (internal)' },
	qbrBrief: { name: 'QBR Brief', description: 'From health, usage and open cases (internal)' },
};
const CUSTOMER_KINDS: DraftKind[] = ['firstReply', 'outboundTouch', 'reengagement'];

const value = (name: string, displayName: string, auto: string): INodeProperties => ({ displayName, name, type: 'string', default: '', description: `When empty: ${auto}` });

export const salesDrafterProperties: INodeProperties[] = [
	companyConfigProperty('The portfolio company\'s config: its name, and under "drafting" the approved content, banned phrases, required lines, tone, language, length and templates'),
	{
		displayName: 'Draft',
		name: 'kind',
		type: 'options',
		noDataExpression: true,
		options: DRAFT_KINDS.map((k) => ({ value: k, ...KIND_OPTIONS[k] })),
		default: 'firstReply',
	},
	{
		displayName: 'Write With',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Model', value: 'model', description: 'A model writes; every sentence is checked against the record and the approved content' },
			{ name: 'Template', value: 'template', description: 'The company\'s template for this draft, filled from the item; no model needed' },
		],
		default: 'model',
	},
	{
		displayName: 'Tier',
		name: 'tier',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s icp.tier, account.tier or tier',
		description: 'T1 drafts go to the owner only, T2 to review, T3 are sent when every check is clean; anything else goes to review. Empty: the item\'s icp.tier, else account.tier, else tier.',
	},
	{
		displayName: 'Persona',
		name: 'persona',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s lead.jobTitle or contact.jobTitle',
		description: 'Who the message is for (e.g. CFO, Head of Finance): the model writes for them. Empty: the item\'s lead.jobTitle, else contact.jobTitle.',
		displayOptions: { show: { kind: CUSTOMER_KINDS } },
	},
	{
		displayName: 'Apply Sequence Rules',
		name: 'sequenceRules',
		type: 'boolean',
		default: true,
		description:
			'Whether to draft only for leads that are due (quiet for their tier\'s days, then every few days up to the last touch; config drafting.sequence) and never for one that unsubscribed, bounced, replied, booked a meeting, was taken over or closed; sent drafts count against the daily cap per sender, kept in the company\'s CRM store. Others leave on Not Now with the reason.',
		displayOptions: { show: { kind: SEQUENCE_KINDS } },
	},
	{
		displayName: 'Lead Fields From',
		name: 'leadFrom',
		type: 'string',
		default: 'crm.record.fields',
		description: 'Where the item holds the lead\'s CRM fields (a RevOps CRM search puts them at crm.record.fields); the item itself when absent',
		displayOptions: { show: { kind: SEQUENCE_KINDS, sequenceRules: [true] } },
	},
	{
		displayName: 'Touch Number',
		name: 'touch',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'Which touch of the sequence this is; later touches bring something new',
		displayOptions: { show: { kind: SEQUENCE_KINDS, sequenceRules: [false] } },
	},
	{
		displayName: 'Values',
		name: 'values',
		type: 'collection',
		placeholder: 'Set Value',
		default: {},
		description: 'Names and template values; unset ones are read from the item (lead, contact, owner, account, icp, meddicc, health, crm.record.fields)',
		options: [
			value('accountName', 'Account Name', 'account.name, lead.company, company'),
			value('firstName', 'First Name', 'lead.firstName, contact.firstName, firstName'),
			value('ownerEmail', 'Owner E-Mail', 'owner.email, routing.owner.email, ownerEmail'),
			value('ownerName', 'Owner Name', 'owner.name, routing.owner.name, ownerName, owner'),
			value('recipientEmail', 'Recipient E-Mail', 'lead.email, contact.email, email'),
			value('topic', 'Topic', 'topic, summary.useCase, intent.category, the lead\'s message'),
		],
	},
	{
		displayName: 'When the Model Fails',
		name: 'onModelError',
		type: 'options',
		displayOptions: { show: { mode: ['model'] } },
		options: [
			{ name: 'Use the Template, for Review', value: 'template', description: 'The template draft goes to Review (Owner Only for T1 and internal drafts), saying why in draft.fallbackReason' },
			{ name: 'Fail the Item', value: 'error', description: 'The node\'s On Error setting decides' },
		],
		default: 'template',
	},
	{
		displayName: 'When a Draft Is Not Grounded',
		name: 'onUngrounded',
		type: 'options',
		displayOptions: { show: { mode: ['model'] } },
		options: [
			{ name: 'Ask Again Once, Then Cut', value: 'retry', description: 'The model is told which sentences lacked a source; what still lacks one is cut, and a person reviews' },
			{ name: 'Cut', value: 'cut', description: 'Sentences without a source are cut, and a person reviews' },
		],
		default: 'retry',
	},
	promptProperty(DEFAULT_PROMPT, '{{kind}}, {{persona}}, {{touch}}, {{language}}, {{maxWords}} and {{tone}} are replaced (language, length and tone come from the config)', 8, { show: { mode: ['model'] } }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: modelOptionFields('draft'),
	},
];
