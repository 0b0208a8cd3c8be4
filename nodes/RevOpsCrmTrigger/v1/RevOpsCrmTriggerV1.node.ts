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
import { loadCompanyConfigById, type LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import { classify, hubspotTypeOf, parseDelivery, verifySignatureV3, type CrmEvent } from '../../shared/domain/crm/hubspot/events';
import { classifyOutbound, OUTBOUND_ACK, OutboundMessageError, parseOutboundMessage, type SalesforceCrmEvent } from '../../shared/domain/crm/salesforce/events';
import { objectOfSObject } from '../../shared/domain/crm/salesforce/mapping';
import type { StoredRecord } from '../../shared/domain/crm/store';
import { addAudit, nodeAudit } from '../../shared/n8n/audit';
import { configOnItem } from '../../shared/n8n/config-on-items';
import { hubSpotCredential, hubSpotStore, recordView, salesforceStore } from '../../shared/n8n/crm-store';
import { companyConfigFolders, defaultCompanyId } from '../../shared/n8n/prompt-files';
import { crmTriggerProperties } from './description';

type AnyEvent = CrmEvent | SalesforceCrmEvent;

/**
 * Starts a workflow from the company's CRM: HubSpot's webhook calls (signature checked) or
 * Salesforce's outbound messages (org checked), read as canonical events, our own writes told apart
 * (crm/hubspot/events.ts, crm/salesforce/events.ts) so a workflow that writes back to the record it
 * started from never starts itself again.
 */
export class RevOpsCrmTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ($parameter["source"] === "salesforce" ? "Salesforce: " : "") + ($parameter["events"] || []).join(", ") + " " + ($parameter["fields"] ? "of " + $parameter["fields"] : "") }}',
			defaults: { name: 'RevOps CRM Trigger' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			outputNames: ['Changes', 'Own Writes'],
			credentials: [
				{ name: 'revOpsHubSpotApi', required: false, displayOptions: { show: { source: ['hubspot'] } } },
				{ name: 'revOpsHubSpotOAuth2Api', required: false, displayOptions: { show: { source: ['hubspot'] } } },
				{ name: 'revOpsSalesforceApi', required: true, displayOptions: { show: { source: ['salesforce'] } } },
			],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'revops-crm' }],
			properties: crmTriggerProperties,
		};
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const started = Date.now();
		const source = this.getNodeParameter('source', 'hubspot') as 'hubspot' | 'salesforce';
		const node = this.getNode();
		const loaded = loadCompanyConfigById(String(this.getNodeParameter('companyId', '') || defaultCompanyId()), companyConfigFolders());
		if (loaded.config.crm.backend !== source) {
			throw new NodeOperationError(node, `The company ${loaded.config.company.id} keeps its records in ${loaded.config.crm.backend}, not ${source}`, { description: `Set Company ID to a company whose config says "crm": { "backend": "${source}" }, or CRM to ${loaded.config.crm.backend}` });
		}
		const objects = this.getNodeParameter('objects', []) as string[];
		const kinds = this.getNodeParameter('events', []) as string[];
		const fields = String(this.getNodeParameter('fields', '')).split(/[,;\s]+/).filter(Boolean);
		const onItems = this.getNodeParameter('configOnItems', 'whole');
		const includeOwn = (this.getNodeParameter('options', {}) as IDataObject).includeOwnWrites === true;
		const received = source === 'salesforce' ? await salesforceEvents(this, loaded) : await hubspotEvents(this, loaded);
		if ('refused' in received) return received.refused;
		const named = (e: AnyEvent) => [...e.changes.map((c) => c.field), ...e.ownChanges].some((f) => fields.includes(f));
		const wanted = received.events.filter((e) => objects.includes(e.object) && kinds.includes(e.event) && (fields.length === 0 || e.event !== 'changed' || named(e)));
		const relevant = (e: AnyEvent) => fields.length === 0 || e.event !== 'changed' || e.changes.some((c) => fields.includes(c.field));
		const changes = wanted.filter((e) => !e.ownWrite && relevant(e));
		const own = wanted.filter((e) => e.ownWrite || !relevant(e));
		const summary = { received: received.count, ignored: received.ignored, started: changes.length, ownWrites: own.length };
		const item = (e: AnyEvent): INodeExecutionData => ({
			json: addAudit(
				{
					crmEvent: { ...e, record: e.record ? recordView(e.record) : null } as unknown as IDataObject,
					...configOnItem(loaded, onItems),
				},
				nodeAudit('revOpsCrmTrigger', node.typeVersion, loaded.version, started),
			),
		});
		const run = changes.length > 0 || (includeOwn && own.length > 0);
		const workflowData = run ? [changes.map(item), includeOwn ? own.map(item) : []] : undefined;
		// Salesforce wants its SOAP Ack whatever started, or it sends the message again.
		if (source === 'salesforce') {
			this.getResponseObject().status(200).type('text/xml').send(OUTBOUND_ACK);
			return { noWebhookResponse: true, workflowData };
		}
		// Nothing of someone else's to act on: no run at all (HubSpot gets its 200 and does not retry).
		return workflowData ? { webhookResponse: summary, workflowData } : { webhookResponse: summary };
	}
}

type Received = { events: AnyEvent[]; count: number; ignored: number } | { refused: IWebhookResponseData };

function refuse(ctx: IWebhookFunctions, status: number, message: string): Received {
	ctx.getResponseObject().status(status).json({ message: `Not started: ${message}` });
	return { refused: { noWebhookResponse: true } };
}

const rawBodyOf = (ctx: IWebhookFunctions): string | null => {
	const raw = (ctx.getRequestObject() as unknown as { rawBody?: Buffer }).rawBody;
	return raw ? raw.toString('utf8') : null;
};

/** HubSpot's call: its v3 signature checked with the app's client secret, its events classified. */
async function hubspotEvents(ctx: IWebhookFunctions, loaded: LoadedCompanyConfig): Promise<Received> {
	const req = ctx.getRequestObject();
	const credential = await hubSpotCredential(ctx);
	if (!credential) throw new NodeOperationError(ctx.getNode(), 'No HubSpot credential on the trigger', { description: 'Choose the "RevOps HubSpot API" (private app) or "RevOps HubSpot OAuth2 API" credential of the app whose webhooks call this URL' });
	const secret = String(credential.data.clientSecret ?? '');
	if (secret) {
		const rawBody = rawBodyOf(ctx) ?? JSON.stringify(ctx.getBodyData());
		const forwarded = `${String(req.headers['x-forwarded-proto'] ?? req.protocol)}://${String(req.headers['x-forwarded-host'] ?? req.headers.host)}${req.originalUrl}`;
		const problem = verifySignatureV3(secret, req.method, [ctx.getNodeWebhookUrl('default') ?? '', forwarded], rawBody, req.header('x-hubspot-request-timestamp'), req.header('x-hubspot-signature-v3'));
		if (problem) return refuse(ctx, 401, problem);
	}
	const { events, ignored } = parseDelivery(ctx.getBodyData() as unknown);
	const store = hubSpotStore(ctx, credential, loaded);
	const records = await store.readForEvents(events.map((e) => ({ type: hubspotTypeOf(e), id: e.objectId })));
	return { events: classify(events, records, loaded.config.fieldMap), count: events.length, ignored: ignored.length };
}

/** Salesforce's outbound message: from the credential's org, its changes by the integration user ours. */
async function salesforceEvents(ctx: IWebhookFunctions, loaded: LoadedCompanyConfig): Promise<Received> {
	const credentials = await ctx.getCredentials('revOpsSalesforceApi');
	const body = ctx.getBodyData() as unknown;
	const xml = rawBodyOf(ctx) ?? (typeof body === 'string' ? body : '');
	const store = salesforceStore(ctx, credentials, loaded);
	try {
		const message = parseOutboundMessage(xml);
		const identity = await store.identity();
		const records = new Map<string, StoredRecord>();
		const byType = new Map<string, string[]>();
		for (const n of message.notifications) if (n.fields.Id) byType.set(n.type, [...(byType.get(n.type) ?? []), n.fields.Id]);
		for (const [type, ids] of byType) {
			const object = objectOfSObject(type);
			if (object) for (const [id, record] of await store.readByIds(object, ids)) records.set(id, record);
		}
		const { events, ignored } = classifyOutbound(message, identity, records, store.model());
		return { events, count: message.notifications.length, ignored: ignored.length };
	} catch (error) {
		if (error instanceof OutboundMessageError) return refuse(ctx, error.status, error.message);
		throw new NodeOperationError(ctx.getNode(), error as Error, { description: 'Check the RevOps Salesforce API credential (Check Setup in the RevOps CRM node signs in with it)' });
	}
}
