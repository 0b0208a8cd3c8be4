import type { INodeProperties } from 'n8n-workflow';
import type { MailEventKind } from '../../shared/domain/drafting/mail-events';

/** One output per kind, in this order. */
export const OUTPUTS: ReadonlyArray<{ kind: MailEventKind; name: string }> = [
	{ kind: 'reply', name: 'Reply' },
	{ kind: 'unsubscribe', name: 'Unsubscribe' },
	{ kind: 'bounce', name: 'Bounce' },
	{ kind: 'autoReply', name: 'Auto-Reply' },
];

const field = (name: string, displayName: string, def: string, description: string): INodeProperties => ({ displayName, name, type: 'string', default: def, description });

export const replyClassifierProperties: INodeProperties[] = [
	{
		displayName: 'Works on what an Email Trigger (IMAP) or your e-mail tool\'s webhook hands over. Only what the person wrote counts, never the quoted original with your own footer.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	field('from', 'From', '={{ $json.from?.value?.[0]?.address ?? $json.from?.text ?? $json.from ?? $json.body?.from ?? "" }}', 'The sender ("Name <address>" or an address)'),
	field('subject', 'Subject', '={{ $json.subject ?? $json.body?.subject ?? "" }}', 'The subject line'),
	field('text', 'Text', '={{ $json.text ?? $json.textPlain ?? $json.body?.text ?? "" }}', 'The plain-text body (a delivery report keeps the failed recipient there)'),
	{
		displayName: 'Headers',
		name: 'headers',
		type: 'json',
		default: '={{ $json.headers ?? $json.body?.headers ?? {} }}',
		description: 'The message headers as an object (Auto-Submitted, Precedence, X-Failed-Recipients, Content-Type are read)',
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
