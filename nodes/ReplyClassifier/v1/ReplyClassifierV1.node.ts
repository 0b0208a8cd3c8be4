import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { readMailEvent } from '../../shared/domain/drafting/mail-events';
import { addAudit, nodeAudit } from '../../shared/n8n/audit';
import { routeItems } from '../../shared/n8n/item-router';
import { parameterOrItem } from '../../shared/n8n/item-defaults';
import { MAIL_FIELDS_FROM_ITEM, OUTPUTS, replyClassifierProperties } from './description';

/**
 * Reply Classifier: each e-mail that came back to a sequence leaves on the output of its kind, with
 * `mailEvent` (kind, the lead's address, why, what to write to the lead, and what the person wrote).
 * The rules live in nodes/shared/domain/drafting/mail-events.ts.
 */
export class ReplyClassifierV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: 'reply, unsubscribe, bounce or auto-reply',
			defaults: { name: 'Reply Classifier' },
			inputs: ['main'],
			outputs: OUTPUTS.map(() => 'main'),
			outputNames: OUTPUTS.map((o) => o.name),
			usableAsTool: true,
			properties: replyClassifierProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const field = String(options.outputField || 'mailEvent');
		const version = this.getNode().typeVersion;
		const now = new Date();
		return await routeItems(this, OUTPUTS.length, 0, (item, i) => {
			const started = Date.now();
			const read = (name: keyof typeof MAIL_FIELDS_FROM_ITEM) => parameterOrItem(this, name, i, MAIL_FIELDS_FROM_ITEM[name]);
			const event = readMailEvent({ from: read('from'), subject: read('subject'), text: read('text'), headers: read('headers') }, now);
			const json: IDataObject = { ...item.json, [field]: event as unknown as IDataObject };
			return { output: OUTPUTS.findIndex((o) => o.kind === event.kind), json: addAudit(json, nodeAudit('replyClassifier', version, null, started)) };
		});
	}
}
