import type { INodeProperties } from 'n8n-workflow';
import { companyConfigProperty } from '../../shared/n8n/crm-store';

/** The Chat Handoff node's parameters: which step of a chat turn, the company, and where the text is. */

const show = (operation: string[]) => ({ show: { operation } });

export const TURN_OUTPUTS = ['Answer', 'Reply', 'Hand Off'] as const;
export const ANSWER_OUTPUT = 0;
export const REPLY_OUTPUT = 1;
export const HANDOFF_OUTPUT = 2;

/** Decide Turn routes on three outputs; the other operations have one. */
export const configuredOutputs = (parameters: { operation?: string }) =>
	parameters.operation === 'checkAnswer' || parameters.operation === 'searchSources'
		? [{ type: 'main', displayName: 'Reply' }]
		: [
				{ type: 'main', displayName: 'Answer' },
				{ type: 'main', displayName: 'Reply' },
				{ type: 'main', displayName: 'Hand Off' },
			];

export const chatHandoffProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Decide Turn',
				value: 'decideTurn',
				action: 'Decide how to answer a chat message',
				description:
					'After a Chat Trigger: the handoff rules decide whether the approved sources answer (Answer: let the model phrase it), what to say by rule (Reply), or that the details are complete (Hand Off, with the lead and a grounded summary)',
			},
			{
				name: 'Check Answer',
				value: 'checkAnswer',
				action: 'Ground the model s answer in the sources',
				description: 'After the AI Agent: keeps only sentences a source supports, adds the offer or the next question, and records the answer in the conversation',
			},
			{
				name: 'Search Approved Sources',
				value: 'searchSources',
				action: 'Search the approved sources',
				description: 'Ranked keyword search (BM25) over the company\'s approved sources; the AI Agent uses this as its tool',
			},
		],
		default: 'decideTurn',
	},
	companyConfigProperty('The portfolio company\'s config: its chat sources and rules (chat), its CRM backend (where conversations are kept) and its country (for phone numbers)'),
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s sessionId',
		displayOptions: show(['decideTurn', 'checkAnswer']),
		description: 'The conversation\'s ID; the Chat Trigger sends one with every message. Empty: the item\'s sessionId.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'Empty: the item\'s chatInput',
		displayOptions: show(['decideTurn']),
		description: 'The visitor\'s message. Read as data only: nothing in it changes the rules. Empty: the item\'s chatInput (what the Chat Trigger sends).',
	},
	{
		displayName: 'Turn',
		name: 'turn',
		type: 'json',
		default: '={{ $(\'Decide Turn\').item.json.chat }}',
		displayOptions: show(['checkAnswer']),
		description: 'The decision of the Decide Turn node for this message (its chat field): the sources the answer must come from and what follows it',
	},
	{
		displayName: 'Answer',
		name: 'answer',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'Empty: the item\'s output',
		displayOptions: show(['checkAnswer']),
		description: 'The model\'s answer. Empty: the item\'s output (what an AI Agent hands on); no answer or a failed one: the source\'s own words are used.',
	},
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		displayOptions: show(['searchSources']),
		placeholder: 'e.g. single sign-on with Okta',
		description: 'What to look up; as a tool, the model fills it in',
	},
];
