import type { INodeProperties } from 'n8n-workflow';
import { companyConfigProperty } from '../../shared/n8n/crm-store';

export const OPERATIONS = ['research', 'nextAction', 'onboardingChecklist', 'overdueTasks'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Outputs per operation, in order (one output for the others). Plain JavaScript, evaluated by n8n. */
export const OUTPUT_NAMES: Record<Operation, string[]> = {
	research: ['Researched'],
	nextAction: ['Task', 'No Action'],
	onboardingChecklist: ['Checklist'],
	overdueTasks: ['Alert Owner', 'Not Now'],
};
export const configuredOutputs = (parameters: { operation?: string }) =>
	(parameters.operation === 'nextAction' ? ['Task', 'No Action'] : parameters.operation === 'overdueTasks' ? ['Alert Owner', 'Not Now'] : [parameters.operation === 'onboardingChecklist' ? 'Checklist' : 'Researched']).map((displayName) => ({ type: 'main', displayName }));

const show = (operation: Operation[]) => ({ show: { operation } });
const text = (name: string, displayName: string, operation: Operation[], def: string, description: string): INodeProperties => ({ displayName, name, type: 'string', default: def, description, displayOptions: show(operation) });
/** A text read from the item when left empty (item-defaults.ts says why in code): `empty` says where from. */
const fromItem = (name: string, displayName: string, operation: Operation[], empty: string, description: string): INodeProperties => ({ ...text(name, displayName, operation, '', `${description}. Empty: ${empty}.`), placeholder: `Empty: ${empty}` });

/** Where each of those texts is read from, first found first. */
export const TEXTS_FROM_ITEM: Record<string, readonly string[]> = {
	domain: ['domain', 'crm.record.fields.domain', 'account.domain'],
	tier: ['tier', 'crm.record.fields.tier'],
	lifecycle: ['lifecycle', 'crm.record.fields.lifecycle'],
	owner: ['owner', 'crm.record.fields.owner'],
	dealId: ['externalId', 'crm.record.fields.externalId'],
	accountDomain: ['accountDomain', 'crm.record.fields.accountDomain'],
	accountName: ['account.name', 'name', 'crm.record.fields.name'],
	wonAt: ['closedAt', 'crm.record.fields.closedAt'],
	dealOwner: ['crm.record.fields.owner', 'dealOwner'],
};

export const accountPlannerProperties: INodeProperties[] = [
	companyConfigProperty('The portfolio company\'s config: "research" (pages, catalogs), "onboarding" (the checklist), "calendar" (business days), "routing.queueOwner" (tasks of accounts without an owner)'),
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Research Account', value: 'research', action: 'Research an account from its own pages', description: 'Read the account\'s web pages: industry, size, technology and recent news, each with the quote that says it' },
			{ name: 'Recommend Next Action', value: 'nextAction', action: 'Recommend the next action on an account', description: 'From the ICP fit, tier, life cycle, open deal and news: what to do, why, by when, and the owner\'s task' },
			{ name: 'Start Onboarding Checklist', value: 'onboardingChecklist', action: 'Start the onboarding checklist of a won deal', description: 'One task per checklist entry, due business days after the win, each for a named person' },
			{ name: 'Check Overdue Tasks', value: 'overdueTasks', action: 'Find overdue tasks whose owner must hear of it', description: 'Open tasks past due go to Alert Owner (once per reminder interval), the rest to Not Now' },
		],
		default: 'research',
	},
	// Research
	fromItem('domain', 'Account Domain', ['research', 'nextAction'], 'the item\'s domain, else crm.record.fields.domain, else account.domain', 'The account\'s own domain (e.g. acme.com); its pages are read'),
	{
		displayName: 'Pages From',
		name: 'pagesFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Read the Pages', value: 'fetch', description: 'The node reads each page of the company config\'s research.pages over HTTP' },
			{ name: 'The Item', value: 'item', description: 'The pages are on the item already (e.g. from an HTTP Request node): a list of pages, each with its address and its html' },
		],
		default: 'fetch',
		displayOptions: show(['research']),
	},
	{ ...text('pagesField', 'Pages Field', ['research'], 'pages', 'The item field with the list of { url, html } (or { url, body })'), displayOptions: { show: { operation: ['research'], pagesFrom: ['item'] } } },
	{
		displayName: 'Overwrite Known Values',
		name: 'overwrite',
		type: 'boolean',
		default: false,
		description: 'Whether found values replace what the account already has (industry, employees); off: they only fill empty fields, and a value a person validated is never replaced either way',
		displayOptions: show(['research']),
	},
	// Next action
	fromItem('tier', 'Account Tier', ['nextAction', 'onboardingChecklist'], 'the item\'s tier, else crm.record.fields.tier', 'T1 human-led, T2 co-pilot, T3 AI-led'),
	fromItem('lifecycle', 'Life Cycle', ['nextAction'], 'the item\'s lifecycle, else crm.record.fields.lifecycle', 'prospect, customer or churned (none: prospect)'),
	fromItem('owner', 'Account Owner', ['nextAction', 'onboardingChecklist'], 'the item\'s owner, else crm.record.fields.owner', 'Who gets the task (none: the routing queue owner of the config)'),
	{
		displayName: 'Has Open Deal',
		name: 'hasOpenDeal',
		type: 'boolean',
		default: false,
		description: 'Whether the account has an open opportunity (the deal process leads; news goes to the deal owner)',
		displayOptions: show(['nextAction']),
	},
	// Onboarding checklist
	fromItem('dealId', 'Deal ID', ['onboardingChecklist'], 'the item\'s externalId, else crm.record.fields.externalId', 'The won opportunity\'s ID (task IDs derive from it, so a repeated run writes the same tasks)'),
	fromItem('accountDomain', 'Account Domain', ['onboardingChecklist'], 'the item\'s accountDomain, else crm.record.fields.accountDomain', 'The account the tasks belong to'),
	fromItem('accountName', 'Account Name', ['onboardingChecklist'], 'the item\'s account.name, else name, else crm.record.fields.name', 'Shown in each task'),
	fromItem('wonAt', 'Won At', ['onboardingChecklist'], 'the item\'s closedAt, else crm.record.fields.closedAt', 'When the deal was won (due dates count business days from here; none: now)'),
	fromItem('dealOwner', 'Deal Owner', ['onboardingChecklist', 'nextAction'], 'the item\'s crm.record.fields.owner, else dealOwner', 'The deal\'s owner: the seller who won it (checklist), or who gets the brief about news on an account with an open deal'),
	// Overdue
	text('taskFields', 'Task Fields From', ['overdueTasks'], 'crm.record.fields', 'Where the item holds the task\'s CRM fields (a RevOps CRM search puts them at crm.record.fields); the item itself when absent'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Allow Private Network Addresses', name: 'allowPrivate', type: 'boolean', default: false, description: 'Whether Research Account may read pages on this machine or a private network (an intranet, a test server). Off: a domain that resolves there is refused. Unset: the config\'s research.allowPrivateNetwork.' },
			{ displayName: 'Page Timeout (Ms)', name: 'timeoutMs', type: 'number', typeOptions: { minValue: 500 }, default: 10000, description: 'How long one page may take (Research Account)' },
			{ displayName: 'Pages', name: 'paths', type: 'string', default: '', placeholder: '/, /about, /news', description: 'Paths Research Account reads, comma-separated (default: the config\'s research.pages)' },
			{ displayName: 'Put Result In Field', name: 'outputField', type: 'string', default: '', description: 'Default: research, nextAction, onboarding or overdue by operation' },
			{ displayName: 'URL Template', name: 'urlTemplate', type: 'string', default: '', placeholder: 'https://{domain}{path}', description: 'How Research Account builds a page address (default: the config\'s research.urlTemplate)' },
		],
	},
];
