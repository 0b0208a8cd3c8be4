import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { firstField } from '../../shared/n8n/item-defaults';
import type { MailEventKind } from '../../shared/domain/drafting/mail-events';

/** One output per kind, in this order. */
export const OUTPUTS: ReadonlyArray<{ kind: MailEventKind; name: string }> = [
	{ kind: 'reply', name: 'Reply' },
	{ kind: 'unsubscribe', name: 'Unsubscribe' },
	{ kind: 'bounce', name: 'Bounce' },
	{ kind: 'autoReply', name: 'Auto-Reply' },
];

const field = (name: string, displayName: string, empty: string, description: string): INodeProperties => ({ displayName, name, type: 'string', default: '', placeholder: `Empty: ${empty}`, description: `${description}. Empty: ${empty}.` });

/** What each field is, left empty: read from the item in code (item-defaults.ts says why). */
export const MAIL_FIELDS_FROM_ITEM: Record<'from' | 'subject' | 'text' | 'headers', (json: IDataObject) => unknown> = {
	from: (json) => firstField(json, ['from.value.0.address', 'from.text', 'from', 'body.from']) ?? '',
	subject: (json) => firstField(json, ['subject', 'body.subject']) ?? '',
	text: (json) => firstField(json, ['text', 'textPlain', 'body.text']) ?? '',
	headers: (json) => firstField(json, ['headers', 'body.headers']) ?? {},
};

export const replyClassifierProperties: INodeProperties[] = [
	{
		displayName: 'Works on what an Email Trigger (IMAP) or your e-mail tool\'s webhook hands over. Only what the person wrote counts, never the quoted original with your own footer.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	field('from', 'From', 'the item\'s from (an e-mail trigger\'s from.value[0].address or from.text), else body.from', 'The sender ("Name <address>" or an address)'),
	field('subject', 'Subject', 'the item\'s subject, else body.subject', 'The subject line'),
	field('text', 'Text', 'the item\'s text or textPlain, else body.text', 'The plain-text body (a delivery report keeps the failed recipient there)'),
	{
		displayName: 'Headers',
		name: 'headers',
		type: 'json',
		default: '',
		placeholder: 'Empty: the item\'s headers, else body.headers',
		description: 'The message headers as an object (Auto-Submitted, Precedence, X-Failed-Recipients, Content-Type are read). Empty: the item\'s headers, else body.headers.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [{ displayName: 'Put Result In Field', name: 'outputField', type: 'string', default: 'mailEvent', description: 'Field that receives the kind, the lead\'s address, the reason and the lead patch' }],
	},
];
