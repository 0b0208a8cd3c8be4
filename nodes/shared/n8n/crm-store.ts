import { createHash } from 'node:crypto';
import { NodeOperationError, type ICredentialTestFunctions, type IHttpRequestOptions, type IExecuteFunctions, type IHttpRequestMethods, type ICredentialDataDecryptedObject, type INodeCredentialDescription, type INodeProperties, type NodeParameterValue } from 'n8n-workflow';
import { resolveCompanyConfig, type LoadedCompanyConfig } from '../domain/crm/company-config';
import { DataTableStore, type HttpRequest } from '../domain/crm/data-table-store';
import { HubSpotApi, type HttpSend } from '../domain/crm/hubspot/api';
import { HubSpotStore } from '../domain/crm/hubspot/store';
import { PostgresStore } from '../domain/crm/postgres-store';
import { SalesforceApi, type SalesforceAuth } from '../domain/crm/salesforce/api';
import { SalesforceStore } from '../domain/crm/salesforce/store';
import type { CrmStore, StoredRecord } from '../domain/crm/store';
import { firstOutputOf, parameterOrItem } from './item-defaults';
import { companyConfigFolders } from './prompt-files';

/**
 * Opens the CRM store a node's parameters (or its company config) name, with the node's credential.
 * The stores are domain code; this is only where n8n's credentials and HTTP helper are handed over.
 */
export type BackendChoice = 'config' | 'postgres' | 'dataTables' | 'hubspot' | 'salesforce';

/**
 * The credentials of the CRM backends, for a node that opens the company's store: each shown where
 * `show` allows (a node with a Backend parameter shows each with its backend).
 */
export function crmCredentials(show?: Record<string, NodeParameterValue[]>, byBackend = false): INodeCredentialDescription[] {
	const only = (backend: string) => (byBackend ? { displayOptions: { show: { ...show, backend: ['config', backend] } } } : show ? { displayOptions: { show } } : {});
	return [
		{ name: 'revOpsPostgresApi', required: false, ...only('postgres'), ...(byBackend ? { testedBy: 'revOpsPostgresConnectionTest' } : {}) },
		{ name: 'revOpsN8nApi', required: false, ...only('dataTables') },
		{ name: 'revOpsHubSpotApi', required: false, ...only('hubspot') },
		{ name: 'revOpsHubSpotOAuth2Api', required: false, ...only('hubspot') },
		{ name: 'revOpsSalesforceApi', required: false, ...only('salesforce'), ...(byBackend ? { testedBy: 'revOpsSalesforceConnectionTest' } : {}) },
	];
}

/** HubSpot's credentials: a private app's token, or a public app through n8n's OAuth 2.0 (the first one set is used). */
export const HUBSPOT_CREDENTIALS = ['revOpsHubSpotApi', 'revOpsHubSpotOAuth2Api'] as const;
export type HubSpotCredentialType = (typeof HUBSPOT_CREDENTIALS)[number];

/** The HubSpot credential set on the node: its type and data, or null. */
export async function hubSpotCredential(ctx: Pick<IExecuteFunctions, 'getCredentials'>, itemIndex?: number): Promise<{ type: HubSpotCredentialType; data: ICredentialDataDecryptedObject } | null> {
	for (const type of HUBSPOT_CREDENTIALS) {
		const data = await ctx.getCredentials(type, itemIndex).catch(() => null);
		if (data) return { type, data };
	}
	return null;
}

type HttpHelpers = { helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest' | 'httpRequestWithAuthentication'> };

/** The HubSpot backend for a credential and a company's config (its field map). */
export function hubSpotStore(ctx: HttpHelpers, credential: { type: HubSpotCredentialType; data: ICredentialDataDecryptedObject }, config: LoadedCompanyConfig | null, createProperties = true): HubSpotStore {
	const credentials = credential.data;
	const baseUrl = String(credentials.baseUrl || 'https://api.hubapi.com');
	const oauth = credential.type === 'revOpsHubSpotOAuth2Api';
	const accessToken = oauth ? '' : String(credentials.accessToken ?? '');
	return new HubSpotStore({
		api: new HubSpotApi({ baseUrl, accessToken, send: oauth ? n8nAuthSend(ctx, credential.type) : n8nSend(ctx) }),
		fieldMap: config?.config.fieldMap,
		createProperties,
		portal: `${baseUrl}#${createHash('sha256').update(accessToken || String(credentials.clientId ?? '')).digest('hex').slice(0, 16)}`,
	});
}

/** The Salesforce backend for a credential and a company's config (its field map). */
export function salesforceStore(ctx: { helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest'> }, credentials: ICredentialDataDecryptedObject, config: LoadedCompanyConfig | null): SalesforceStore {
	const instanceUrl = String(credentials.instanceUrl ?? '').replace(/\/+$/, '');
	const clientId = String(credentials.clientId ?? '');
	const auth: SalesforceAuth =
		credentials.flow === 'jwt'
			? { flow: 'jwt', clientId, username: String(credentials.username ?? ''), privateKey: String(credentials.privateKey ?? '') }
			: { flow: 'clientCredentials', clientId, clientSecret: String(credentials.clientSecret ?? '') };
	return new SalesforceStore({
		api: new SalesforceApi({ instanceUrl, auth, apiVersion: String(credentials.apiVersion || '60.0'), send: n8nSend(ctx) }),
		fieldMap: config?.config.fieldMap,
		...(config?.config.crm.backend === 'salesforce' ? { picklists: config.config.crm.picklists, recordTypes: config.config.crm.recordTypes } : {}),
		org: `${instanceUrl}#${createHash('sha256').update(clientId).digest('hex').slice(0, 16)}`,
	});
}

/** A vendor CRM's API (HubSpot, Salesforce) over n8n's request helper: every answer handed back with its status and headers (the adapters read limits and errors themselves). */
export function n8nSend(ctx: { helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest'> }): HttpSend {
	return async (request) => {
		const form = request.form ? { headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(request.form).toString(), json: false } : { headers: request.headers, body: request.body as object | undefined, json: true };
		const res = (await ctx.helpers.httpRequest({ method: request.method as IHttpRequestMethods, url: request.url, ...form, returnFullResponse: true, ignoreHttpStatusErrors: true })) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
		const body = request.form && typeof res.body === 'string' ? parseJson(res.body) : res.body;
		return { status: res.statusCode, body, headers: Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]))};
	};
}

/**
 * n8n's request helper for a credential test, which has only the older `request` helper: the same
 * shape as httpRequest's full response, HTTP errors answered rather than thrown.
 */
export function legacyHttpRequest(ctx: ICredentialTestFunctions): IExecuteFunctions['helpers']['httpRequest'] {
	return (async (options: IHttpRequestOptions) => {
		const res = (await ctx.helpers.request({ method: options.method, uri: options.url, headers: options.headers, body: options.body, json: options.json, resolveWithFullResponse: true, simple: false })) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
		return { statusCode: res.statusCode, headers: res.headers, body: res.body };
	}) as IExecuteFunctions['helpers']['httpRequest'];
}

/**
 * A vendor's API through an n8n credential that signs the requests itself (OAuth 2.0): every answer
 * handed back with its status and headers. n8n renews an expired token only when a request throws
 * its 401, so a 401 is sent once more letting it throw; what still fails is answered, not thrown.
 */
export function n8nAuthSend(ctx: HttpHelpers, credentialType: string): HttpSend {
	return async (request) => {
		const options = { method: request.method as IHttpRequestMethods, url: request.url, headers: request.headers, body: request.body as object | undefined, json: true, returnFullResponse: true };
		const call = async (ignoreHttpStatusErrors: boolean) => (await ctx.helpers.httpRequestWithAuthentication.call(ctx as never, credentialType, { ...options, ignoreHttpStatusErrors })) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
		let res = await call(true);
		if (res.statusCode === 401) {
			try {
				res = await call(false);
			} catch (error) {
				const e = error as { httpCode?: string; cause?: { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown } }; response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }; message?: string };
				const response = e.cause?.response ?? e.response;
				const status = response?.status ?? Number(e.httpCode);
				// No answer at all: the adapter takes a rejection as a lost connection and tries again.
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
				if (!status) throw error;
				res = { statusCode: status, headers: response?.headers ?? {}, body: response?.data ?? { message: e.message } };
			}
		}
		return { status: res.statusCode, body: res.body, headers: Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])) };
	};
}

const parseJson = (text: string): unknown => {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
};

export interface OpenedStore {
	store: CrmStore;
	config: LoadedCompanyConfig | null;
}

/** What an empty Company Config parameter means (read in code: item-defaults.ts says why). */
export const COMPANY_CONFIG_FROM_ITEM = 'Empty: the config on the item (what a Company Config node put there), else the output of the workflow\'s node named "Company Config".';

/**
 * The Company Config parameter of a node that works for one portfolio company. `description` says
 * which parts of the config the node reads.
 */
export function companyConfigProperty(description: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName: 'Company Config', name: 'companyConfig', type: 'json', default: '', placeholder: 'Empty: from the item or the Company Config node', description: [description, COMPANY_CONFIG_FROM_ITEM].join('. '), ...extra };
}

/**
 * The node's Company Config parameter (or, empty, the item's or the Company Config node's), parsed and
 * checked (errors name the wrong path and the fix). A reference (Company Config's Put On Items) is
 * loaded from its file by the company's id.
 */
export function readCompanyConfig(ctx: IExecuteFunctions, itemIndex: number): LoadedCompanyConfig {
	return resolveCompanyConfig(parameterOrItem(ctx, 'companyConfig', itemIndex, (json) => json.companyConfig ?? firstOutputOf(ctx, 'Company Config', itemIndex)?.companyConfig), companyConfigFolders());
}

/** `ensure: false` opens the store without creating or migrating anything (the CRM node's Check Setup). */
export async function openCrmStore(ctx: IExecuteFunctions, itemIndex = 0, { ensure = true }: { ensure?: boolean } = {}): Promise<OpenedStore> {
	const choice = ctx.getNodeParameter('backend', itemIndex, 'config') as BackendChoice;
	const config = choice === 'config' ? readCompanyConfig(ctx, itemIndex) : null;
	const crm = config?.config.crm;
	const backend = crm?.backend ?? choice;
	if (backend === 'postgres') {
		const schema = crm?.backend === 'postgres' ? crm.schema : String(ctx.getNodeParameter('postgresSchema', itemIndex, 'revops'));
		const credentials = await ctx.getCredentials('revOpsPostgresApi', itemIndex).catch(() => null);
		if (!credentials) {
			throw new NodeOperationError(ctx.getNode(), 'No PostgreSQL credential on the node', {
				itemIndex,
				description: 'The company config (or Backend) says PostgreSQL: choose a "RevOps PostgreSQL" credential in this node',
			});
		}
		const store = new PostgresStore({
			host: String(credentials.host),
			port: Number(credentials.port),
			database: String(credentials.database),
			user: String(credentials.user),
			password: credentials.password ? String(credentials.password) : undefined,
			ssl: credentials.ssl === true,
			schema,
		});
		await store.ensureSchema();
		return { store, config };
	}
	if (backend === 'hubspot') {
		const credentials = await hubSpotCredential(ctx, itemIndex);
		if (!credentials) {
			throw new NodeOperationError(ctx.getNode(), 'No HubSpot credential on the node', {
				itemIndex,
				description: 'The company config (or Backend) says HubSpot: create a private app in HubSpot (Settings > Integrations > Private Apps) with the CRM scopes and choose its token as a "RevOps HubSpot API" credential in this node, or connect a public app as a "RevOps HubSpot OAuth2 API" credential',
			});
		}
		const store = hubSpotStore(ctx, credentials, config, crm?.backend === 'hubspot' ? crm.createProperties : (ctx.getNodeParameter('createProperties', itemIndex, true) as boolean));
		if (ensure) await store.ensureSchema();
		return { store, config };
	}
	if (backend === 'salesforce') {
		const credentials = await ctx.getCredentials('revOpsSalesforceApi', itemIndex).catch(() => null);
		if (!credentials?.instanceUrl) {
			throw new NodeOperationError(ctx.getNode(), 'No Salesforce credential on the node', {
				itemIndex,
				description: 'The company config (or Backend) says Salesforce: create a connected app in Salesforce (Setup > App Manager) with the client credentials or JWT bearer flow, and choose it as a "RevOps Salesforce API" credential in this node',
			});
		}
		const store = salesforceStore(ctx, credentials, config);
		if (ensure) await store.ensureSchema();
		return { store, config };
	}
	const prefix = crm?.backend === 'dataTables' ? crm.tablePrefix : String(ctx.getNodeParameter('tablePrefix', itemIndex, 'revops'));
	const credentials = await ctx.getCredentials('revOpsN8nApi', itemIndex).catch(() => null);
	if (!credentials) {
		throw new NodeOperationError(ctx.getNode(), 'No n8n API credential on the node', {
			itemIndex,
			description: 'The Data Tables backend uses n8n\'s public API: create an API key under Settings > n8n API and choose it as a "RevOps N8n Data Tables API" credential in this node',
		});
	}
	const baseUrl = String(credentials.baseUrl).replace(/\/+$/, '');
	const http = async (request: HttpRequest) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'revOpsN8nApi', {
			method: request.method as IHttpRequestMethods,
			url: `${baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body as object | undefined,
			json: true,
		});
	const store = new DataTableStore(http, prefix, baseUrl);
	await store.ensureSchema();
	return { store, config };
}

/** A stored record as nodes put it on an item (the CRM node's `crm.record`, the Lead Router's). */
export const recordView = (r: StoredRecord) => ({
	id: r.id,
	key: r.key,
	aliases: r.aliases,
	revision: r.revision,
	duplicates: r.duplicates,
	validated: r.validated,
	createdAt: r.createdAt,
	updatedAt: r.updatedAt,
	fields: r.fields,
});
