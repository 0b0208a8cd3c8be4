import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { loadCompanyConfigById } from '../../shared/domain/crm/company-config';
import { classify, hubspotTypeOf, parseDelivery, verifySignatureV3, type CrmEvent } from '../../shared/domain/crm/hubspot/events';
import { addAudit, nodeAudit } from '../../shared/n8n/audit';
import { hubSpotStore, recordView } from '../../shared/n8n/crm-store';
import { companyConfigFolders, defaultCompanyId } from '../../shared/n8n/prompt-files';
import { crmTriggerProperties } from './description';

/**
 * Starts a workflow from the company's CRM: HubSpot's webhook calls, checked (signature), read as
 * canonical events (one per record and kind), our own writes told apart (crm/hubspot/events.ts) so a
 * workflow that writes back to the record it started from never starts itself again.
 */
export class RevOpsCrmTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ($parameter["events"] || []).join(", ") + " " + ($parameter["fields"] ? "of " + $parameter["fields"] : "") }}',
			defaults: { name: 'RevOps CRM Trigger' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			outputNames: ['Changes', 'Own Writes'],
			credentials: [{ name: 'revOpsHubSpotApi', required: true }],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'revops-crm' }],
			properties: crmTriggerProperties,
		};
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const started = Date.now();
		const req = this.getRequestObject();
		const credentials = await this.getCredentials('revOpsHubSpotApi');
		const secret = String(credentials.clientSecret ?? '');
		if (secret) {
			const rawBody = (req as unknown as { rawBody?: Buffer }).rawBody?.toString('utf8') ?? JSON.stringify(this.getBodyData());
			const forwarded = `${String(req.headers['x-forwarded-proto'] ?? req.protocol)}://${String(req.headers['x-forwarded-host'] ?? req.headers.host)}${req.originalUrl}`;
			const problem = verifySignatureV3(secret, req.method, [this.getNodeWebhookUrl('default') ?? '', forwarded], rawBody, req.header('x-hubspot-request-timestamp'), req.header('x-hubspot-signature-v3'));
			if (problem) {
				this.getResponseObject().status(401).json({ message: `Not started: ${problem}` });
				return { noWebhookResponse: true };
			}
		}
		const node = this.getNode();
		const loaded = loadCompanyConfigById(String(this.getNodeParameter('companyId', '') || defaultCompanyId()), companyConfigFolders());
		if (loaded.config.crm.backend !== 'hubspot') {
			throw new NodeOperationError(node, `The company ${loaded.config.company.id} keeps its records in ${loaded.config.crm.backend}, not HubSpot`, { description: 'Set Company ID to a company whose config says "crm": { "backend": "hubspot" }' });
		}
		const { events, ignored } = parseDelivery(this.getBodyData() as unknown);
		const store = hubSpotStore(this, credentials, loaded);
		const records = await store.readForEvents(events.map((e) => ({ type: hubspotTypeOf(e), id: e.objectId })));
		const objects = this.getNodeParameter('objects', []) as string[];
		const kinds = this.getNodeParameter('events', []) as string[];
		const fields = String(this.getNodeParameter('fields', '')).split(/[,;\s]+/).filter(Boolean);
		const includeOwn = (this.getNodeParameter('options', {}) as IDataObject).includeOwnWrites === true;
		const wanted = classify(events, records, loaded.config.fieldMap).filter((e) => objects.includes(e.object) && kinds.includes(e.event) && (fields.length === 0 || e.event !== 'changed' || [...e.changes.map((c) => c.field), ...e.ownChanges].some((f) => fields.includes(f))));
		const relevant = (e: CrmEvent) => fields.length === 0 || e.event !== 'changed' || e.changes.some((c) => fields.includes(c.field));
		const changes = wanted.filter((e) => !e.ownWrite && relevant(e));
		const own = wanted.filter((e) => e.ownWrite || !relevant(e));
		const summary = { received: events.length, ignored: ignored.length, started: changes.length, ownWrites: own.length };
		// Nothing of someone else's to act on: no run at all (HubSpot gets its 200 and does not retry).
		if (changes.length === 0 && !(includeOwn && own.length)) return { webhookResponse: summary };
		const item = (e: CrmEvent): INodeExecutionData => ({
			json: addAudit(
				{
					crmEvent: { ...e, record: e.record ? recordView(e.record) : null } as unknown as IDataObject,
					portfolioCompany: { id: loaded.config.company.id, name: loaded.config.company.name, configVersion: loaded.version, backend: loaded.config.crm.backend },
					companyConfig: loaded.config as unknown as IDataObject,
				},
				nodeAudit('revOpsCrmTrigger', node.typeVersion, loaded.version, started),
			),
		});
		return { webhookResponse: summary, workflowData: [changes.map(item), includeOwn ? own.map(item) : []] };
	}
}
