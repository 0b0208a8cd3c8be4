// One real n8n per tested version for a test file: the packed package installed as n8n installs a
// community package, every template imported, the test model server wired in as an OpenAI credential.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { HubSpotApi } from '../../nodes/shared/domain/crm/hubspot/api';
import { HubSpotStore } from '../../nodes/shared/domain/crm/hubspot/store';
import { SalesforceApi } from '../../nodes/shared/domain/crm/salesforce/api';
import { neededFields } from '../../nodes/shared/domain/crm/salesforce/schema';
import { SalesforceStore } from '../../nodes/shared/domain/crm/salesforce/store';
import type { CrmObject } from '../../nodes/shared/domain/crm/model';
import { SlackStandIn } from '../slack/slack-server';
import { serveAccountSites } from '../support/account-sites';
import { closeLocal, listenLocal } from '../support/local-server';

/* eslint-disable @typescript-eslint/no-require-imports */
const { N8nServer } = require('../harness/server') as typeof import('../harness/server');
const { installTarball } = require('../harness/package') as typeof import('../harness/package');
const { LATEST_N8N } = require('../harness/runtime') as typeof import('../harness/runtime');
const { activateTemplates, importTemplates } = require('../harness/templates') as typeof import('../harness/templates');
const { ModelServer } = require('../model-server/server') as typeof import('../model-server/server');
const { Postgres } = require('../harness/postgres') as typeof import('../harness/postgres');
const { Redis } = require('../harness/redis') as typeof import('../harness/redis');
const { HubSpotServer } = require('../vendors/hubspot/server') as typeof import('../vendors/hubspot/server');
const { SalesforceServer } = require('../vendors/salesforce/server') as typeof import('../vendors/salesforce/server');
const { fetchSend } = require('../vendors/fetch-send') as typeof import('../vendors/fetch-send');

export const VERSIONS = (process.env.REVOPS_N8N_VERSIONS ?? '2.41.1,1.123.81').split(',').map((v) => v.trim());
/**
 * The broad cases run on the newest n8n; an older one gets a smoke set: every template and every
 * node runs there once, through its main path (CI stays under 45 minutes on a 2-core machine).
 * REVOPS_E2E_BROAD=1 runs every case on every version.
 */
export const broad = (version: string): boolean => process.env.REVOPS_E2E_BROAD === '1' || version === LATEST_N8N;
/** `it` for a case of the broad set, skipped on an older n8n (see `broad`). */
export const broadIt = (version: string): jest.It => (broad(version) ? it : it.skip);
let nextPort = Number(process.env.REVOPS_E2E_PORT ?? 5710);

export const FIXTURES = path.join(__dirname, 'fixtures');
/** The example company configs shipped in the package. */
const COMPANIES = path.join(__dirname, '..', '..', 'workflows', 'companies');

/** Stands in for Slack, Teams or any alert webhook: records what it receives. */
export class Receiver {
	readonly received: Array<{ path: string; body: any }> = [];
	private readonly server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			let body: unknown = raw;
			try {
				body = JSON.parse(raw);
			} catch {
				// keep the text
			}
			this.received.push({ path: req.url ?? '', body });
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end('ok');
		});
	});
	url = '';

	async start(): Promise<string> {
		this.url = await listenLocal(this.server);
		return this.url;
	}

	async stop(): Promise<void> {
		await closeLocal(this.server);
	}
}

/** Signs the Approval Gate's links in the tests; the tests use it to make an expired but genuine link. */
export const APPROVAL_SECRET = 'e2e-approval-secret-0123456789';

/** The model credential the templates' model-based nodes point at. */
export const TEMPLATE_MODEL_CREDENTIAL_ID = 'RevOpsModel00001';
export const TEMPLATE_OPENAI_CREDENTIAL_ID = 'RevOpsOpenAi0001';
/** The CRM node's credentials the templates and fixtures reference. */
export const CRM_POSTGRES_CREDENTIAL_ID = 'RevOpsPostgres01';
export const CRM_DATA_TABLES_CREDENTIAL_ID = 'RevOpsN8nApi0001';
/** The HubSpot credential the templates reference, and the token of the HubSpot stand-in it reaches. */
export const CRM_HUBSPOT_CREDENTIAL_ID = 'RevOpsHubSpot001';
export const HUBSPOT_TOKEN = 'pat-na1-e2e';
/** The app's client secret HubSpot signs its webhook calls with (the credential holds it too). */
export const HUBSPOT_CLIENT_SECRET = 'e2e-hubspot-client-secret';
/** A HubSpot public app installed in the portal (the OAuth2 credential), and the refresh token of that install. */
export const HUBSPOT_OAUTH_APP = { clientId: 'e2e-hubspot-public-app', clientSecret: 'e2e-hubspot-public-secret', refreshToken: 'e2e-refresh-token-0001' };
/** A third company config, only in the tests: Acme's, with its records in HubSpot (the stand-in). */
export const HUBSPOT_COMPANY = 'acme_hubspot' as const;
/** The Salesforce credential the templates reference, and the connected app of the Salesforce stand-in. */
export const CRM_SALESFORCE_CREDENTIAL_ID = 'RevOpsSalesforce01';
export const SALESFORCE_APP = { clientId: '3MVG9-e2e-consumer-key', clientSecret: 'e2e-consumer-secret' };
/** A fourth company config, only in the tests: Acme's, with its records in Salesforce (the stand-in). */
export const SALESFORCE_COMPANY = 'acme_salesforce' as const;

/** Stands in for a mail server: accepts every message over SMTP (no TLS, no auth) and keeps it. */
export class Mailbox {
	readonly messages: Array<{ from: string; to: string[]; raw: string }> = [];
	private readonly server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData: (stream, session, callback) => {
			let raw = '';
			stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
			stream.on('end', () => {
				this.messages.push({ from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), raw });
				callback();
			});
		},
	});
	port = 0;

	async start(): Promise<number> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.server.address() as { port: number }).port;
		return this.port;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

const SLACK_TOKEN = 'xoxb-e2e-report-token';

export const ALERT_PLACEHOLDER = 'https://hooks.slack.com/services/REPLACE/WITH/YOURS';
/** Where the processing template sends an approved first reply (a mail or sequence API in real use). */
export const REPLY_PLACEHOLDER = 'https://example.invalid/REPLACE/WITH/YOUR/SEND-REPLY/ENDPOINT';

/**
 * How long a suite's beforeAll may take to start its instance: longer than the start's own waits (the
 * tarball install, PostgreSQL, n8n's readiness up to 3 minutes, a worker's), so on a loaded machine a
 * slow start fails with the step that was slow, not with jest's hook timeout.
 */
export const INSTANCE_START_MS = 900_000;

export interface Instance {
	server: InstanceType<typeof N8nServer>;
	model: InstanceType<typeof ModelServer>;
	alerts: Receiver;
	mail: Mailbox;
	/** Stands in for Slack's Web API (the report's charts): the channels of both example configs. */
	slack: SlackStandIn;
	/** Stands in for HubSpot's CRM API (company acme_hubspot keeps its records there). */
	hubspot: InstanceType<typeof HubSpotServer>;
	/** Stands in for Salesforce's REST API (company acme_salesforce keeps its records there; its admin created the RevOps fields). */
	salesforce: InstanceType<typeof SalesforceServer>;
	/** The PostgreSQL cluster n8n keeps its data in (database "n8n"). */
	postgres: InstanceType<typeof Postgres>;
	/** Queue mode only: the worker's log file. */
	workerLog: string | null;
	workflows: Array<{ id: string; name: string; nodes: Array<{ type: string; typeVersion: number; name: string; parameters: any }> }>;
	/** The account web sites the account-planning template reads (test/support/account-sites.ts). */
	sites: Awaited<ReturnType<typeof serveAccountSites>>;
	/** The company config the templates run for (REVOPS_COMPANY). */
	company: 'acme_saas' | 'nordwind_services' | typeof HUBSPOT_COMPANY | typeof SALESFORCE_COMPANY;
	stop(): Promise<void>;
}

/**
 * `queue`: n8n in queue mode, as scaled installations run it: the main process takes webhooks and
 * enqueues executions in Redis, a separate worker process runs them.
 */
export async function startInstance(version: string, { queue = false }: { queue?: boolean } = {}): Promise<Instance> {
	const tarball = process.env.REVOPS_TARBALL;
	if (!tarball) throw new Error('REVOPS_TARBALL is not set: run the e2e tests with `npm run test:e2e`');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `revops-e2e-${version}-`));
	installTarball(userFolder, tarball);
	const model = new ModelServer({ apiKey: 'sk-test' });
	const modelUrl = await model.start();
	// n8n keeps its data (workflows, executions waiting for approval, Data Tables) in PostgreSQL, as in production.
	// Its own folder, outside the user folder (0700, root's): the cluster may run as the postgres user.
	const pgFolder = fs.mkdtempSync(path.join(os.tmpdir(), `revops-pg-${version}-`));
	const postgres = await new Postgres(pgFolder).start();
	postgres.createDatabase('n8n');
	// The RevOps CRM's PostgreSQL backend keeps company records in a database of its own on the cluster.
	postgres.createDatabase('revops_crm');
	const redis = queue ? await new Redis().start() : null;
	// The portfolio company the templates run for: on n8n 2.x the US SaaS one on Data Tables, on 1.123
	// (no Data Tables in its public API) the EU services one on PostgreSQL. Same templates, other config.
	const company = Number(version.split('.')[0]) >= 2 ? 'acme_saas' : 'nordwind_services';
	// The operator's copies of the example configs, as an operator would keep them (REVOPS_CONFIG_DIR):
	// the same companies, with the alert channel pointed at the local receiver standing in for Slack.
	const alerts = new Receiver();
	const alertUrl = await alerts.start();
	// The account sites account research reads: the operator points the companies' research at them
	// (an intranet cache would be configured the same way), so private addresses are allowed there.
	const sites = await serveAccountSites();
	const configDir = path.join(userFolder, 'revops-companies');
	fs.mkdirSync(configDir, { recursive: true });
	for (const file of fs.readdirSync(COMPANIES)) {
		const config = JSON.parse(fs.readFileSync(path.join(COMPANIES, file), 'utf8'));
		config.channels = { ...config.channels, slackWebhookUrl: `${alertUrl}/slack`, replyWebhookUrl: `${alertUrl}/send-reply` };
		delete config.channels.teamsWebhookUrl;
		config.research = { ...config.research, urlTemplate: `${sites.url}/{domain}{path}`, allowPrivateNetwork: true };
		fs.writeFileSync(path.join(configDir, file), JSON.stringify(config));
		// Acme once more with its records in HubSpot: swapped by the config alone (its industry is HubSpot's own dropdown).
		if (config.company.id === 'acme_saas') {
			fs.writeFileSync(path.join(configDir, 'acme-hubspot.json'), JSON.stringify({ ...config, company: { ...config.company, id: HUBSPOT_COMPANY }, crm: { backend: 'hubspot' }, fieldMap: { account: { industry: 'industry' } } }));
			// And in Salesforce: the same config, the backend named, nothing else.
			fs.writeFileSync(path.join(configDir, 'acme-salesforce.json'), JSON.stringify({ ...config, company: { ...config.company, id: SALESFORCE_COMPANY }, crm: { backend: 'salesforce' } }));
		}
	}
	const hubspot = new HubSpotServer({ token: HUBSPOT_TOKEN });
	const hubspotUrl = await hubspot.start();
	hubspot.oauthApp(HUBSPOT_OAUTH_APP);
	const salesforce = new SalesforceServer(SALESFORCE_APP);
	const salesforceUrl = await salesforce.start();
	// The org's admin created what the CRM node's Check Setup lists, and gave opportunities Acme's stages.
	salesforce.provision(neededFields());
	const acmeStages = Object.keys(JSON.parse(fs.readFileSync(path.join(COMPANIES, 'acme-saas-us.json'), 'utf8')).stageMap);
	salesforce.addField('Opportunity', 'StageName', { type: 'picklist', restricted: true, values: acmeStages });
	// HubSpot's deal stages are ids: the portal's pipeline has Acme's stages with their names as ids.
	hubspot.addPipeline('deals', 'Acme sales', acmeStages.map((id) => ({ id, label: id })));
	const server = new N8nServer({ version, port: nextPort++, userFolder, env: { ...postgres.n8nEnv('n8n'), ...(redis?.n8nEnv() ?? {}), REVOPS_COMPANY: company, REVOPS_CONFIG_DIR: configDir } });
	const mail = new Mailbox();
	const smtpPort = await mail.start();
	const slack = new SlackStandIn(SLACK_TOKEN, ['C0ACMEREPORTS', 'C0NORDWINDKPI']);
	await slack.start();
	const credentials = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentials,
		JSON.stringify([
			{ id: 'RvOpsTestOpenAi1', name: 'Test model server', type: 'openAiApi', data: { apiKey: 'sk-test', url: modelUrl } },
			// The OpenAI credential the website chat template's chat model points at.
			{ id: TEMPLATE_OPENAI_CREDENTIAL_ID, name: 'OpenAI', type: 'openAiApi', data: { apiKey: 'sk-test', url: modelUrl } },
			{ id: 'RvOpsTestModel01', name: 'Test model server (RevOps)', type: 'revOpsModelApi', data: { baseUrl: modelUrl, apiKey: 'sk-test', model: 'gpt-4o-mini', headers: '{}' } },
			{ id: 'RvOpsTestApprCrd', name: 'Test approvals', type: 'revOpsApprovalApi', data: { secret: APPROVAL_SECRET } },
			// The approval credential the templates reference.
			{ id: 'RevOpsApproval01', name: 'RevOps Approval', type: 'revOpsApprovalApi', data: { secret: APPROVAL_SECRET } },
			{ id: 'RvOpsTestApprMai', name: 'Test approvals by e-mail', type: 'revOpsApprovalApi', data: { secret: APPROVAL_SECRET, smtpHost: '127.0.0.1', smtpPort, smtpSecure: false, smtpFrom: 'approvals@revops.test' } },
			// The CRM node's backends: PostgreSQL here; the Data Tables API key is filled in once the owner exists.
			{ id: CRM_POSTGRES_CREDENTIAL_ID, name: 'RevOps PostgreSQL', type: 'revOpsPostgresApi', data: { host: '127.0.0.1', port: postgres.port, database: 'revops_crm', user: 'postgres', password: '', ssl: false } },
			{ id: CRM_DATA_TABLES_CREDENTIAL_ID, name: 'RevOps N8n Data Tables API', type: 'revOpsN8nApi', data: { baseUrl: 'http://127.0.0.1/api/v1', apiKey: 'set-after-start' } },
			{ id: CRM_HUBSPOT_CREDENTIAL_ID, name: 'RevOps HubSpot API', type: 'revOpsHubSpotApi', data: { accessToken: HUBSPOT_TOKEN, clientSecret: HUBSPOT_CLIENT_SECRET, baseUrl: hubspotUrl } },
			// The portal through a public app: an access token that HubSpot no longer takes, so n8n must renew it.
			{ id: 'RevOpsHubSpotOA1', name: 'RevOps HubSpot OAuth2 API', type: 'revOpsHubSpotOAuth2Api', data: { grantType: 'authorizationCode', authUrl: `${hubspotUrl}/oauth/authorize`, accessTokenUrl: `${hubspotUrl}/oauth/v1/token`, authQueryParameters: '', scope: 'oauth crm.objects.contacts.write', authentication: 'body', clientId: HUBSPOT_OAUTH_APP.clientId, clientSecret: HUBSPOT_OAUTH_APP.clientSecret, baseUrl: hubspotUrl, oauthTokenData: { access_token: 'COjv-expired-at-import', refresh_token: HUBSPOT_OAUTH_APP.refreshToken, token_type: 'bearer', expires_in: 1800 } } },
			{ id: CRM_SALESFORCE_CREDENTIAL_ID, name: 'RevOps Salesforce API', type: 'revOpsSalesforceApi', data: { instanceUrl: salesforceUrl, flow: 'clientCredentials', ...SALESFORCE_APP, apiVersion: '60.0' } },
			// The id the templates reference: a user who creates "RevOps Model" gets the same wiring.
			{ id: TEMPLATE_MODEL_CREDENTIAL_ID, name: 'RevOps Model', type: 'revOpsModelApi', data: { baseUrl: modelUrl, apiKey: 'sk-test', model: 'gpt-4o-mini', headers: '{}' } },
			// The sales report's e-mail (n8n's Send Email node) and Slack credentials the template references.
			{ id: 'RevOpsSmtp000001', name: 'SMTP', type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port: smtpPort, secure: false, disableStartTls: true } },
			{ id: 'RevOpsSlack00001', name: 'RevOps Slack API', type: 'revOpsSlackApi', data: { accessToken: SLACK_TOKEN, apiUrl: slack.apiUrl } },
		]),
	);
	server.importCredentials(credentials);
	const workflows = await importTemplates(server, {
		extraFiles: fs.readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f)),
		replace: { [ALERT_PLACEHOLDER]: `${alertUrl}/slack`, [REPLY_PLACEHOLDER]: `${alertUrl}/send-reply` },
	});
	await server.start();
	const workerLog = queue ? await server.startWorker() : null;
	await server.signIn();
	await activateTemplates(server, workflows);
	// The Data Tables backend reaches n8n's public API with a key of the owner; n8n 1.123 has no data
	// tables in its public API, so there the credential stays unused.
	if (server.major >= 2) {
		const apiKey = await server.createApiKey('RevOps CRM e2e');
		await server.rest('PATCH', `/credentials/${CRM_DATA_TABLES_CREDENTIAL_ID}`, { name: 'RevOps N8n Data Tables API', type: 'revOpsN8nApi', data: { baseUrl: `${server.baseUrl}/api/v1`, apiKey } });
	}
	return {
		server,
		model,
		alerts,
		mail,
		slack,
		sites,
		hubspot,
		salesforce,
		postgres,
		workerLog,
		workflows,
		company,
		async stop() {
			await server.stop();
			redis?.stop();
			await model.stop();
			await alerts.stop();
			await mail.stop();
			await slack.stop();
			await sites.close();
			await hubspot.stop();
			await salesforce.stop();
			postgres.stop();
			fs.rmSync(pgFolder, { recursive: true, force: true });
			if (!process.env.REVOPS_KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/**
 * Submits an n8n form the way its page does: multipart fields named field-0, field-1, ...; then waits
 * for the completion page and, as that page's script does once it has loaded, posts to it, which lets
 * a run that waits on its completion page go on (the inbound template hands the lead over then).
 * `pageScript: false` is a client without scripts: the page is fetched and nothing more.
 */
export async function submitForm(server: Instance['server'], formPath: string, visible: string[], query = '', { pageScript = true }: { pageScript?: boolean } = {}) {
	const page = await server.fetchWhenRegistered(`/form/${formPath}${query}`);
	const html = await page.text();
	if (page.status !== 200) throw new Error(`form page ${formPath} answered ${page.status}`);
	// Hidden fields are pre-filled from the page URL's query string by n8n; send what the page holds.
	const hidden = [...html.matchAll(/type="hidden" id="(field-\d+)" name="field-\d+" value="([^"]*)"/g)].map((m) => [m[1], m[2]] as const);
	const body = new FormData();
	visible.forEach((value, i) => body.append(`field-${i}`, value));
	for (const [name, value] of hidden) body.append(name, value);
	const res = await fetch(`${server.baseUrl}/form/${formPath}`, { method: 'POST', body });
	if (res.status !== 200) throw new Error(`form POST answered ${res.status}: ${await res.text()}`);
	const { formWaitingUrl } = (await res.json()) as { formWaitingUrl: string };
	// The page polls the execution until it waits on the completion page, then shows that page.
	const statusUrl = new URL(formWaitingUrl);
	statusUrl.pathname += '/n8n-execution-status';
	const deadline = Date.now() + 30_000;
	let status = '';
	while (Date.now() < deadline) {
		status = await (await fetch(statusUrl)).text();
		if (status === 'form-waiting' || status === 'success' || status === 'error') break;
		await new Promise((r) => setTimeout(r, 200));
	}
	const completion = await fetch(formWaitingUrl);
	const executionId = new URL(formWaitingUrl).pathname.split('/').pop();
	// A failed run says where and why, so a test fails on the cause, not on a missing page text.
	let error: string | undefined;
	if (status === 'error' && executionId) {
		const data = await server.executionData(executionId).catch(() => null);
		const e = data?.resultData?.error;
		error = `${data?.resultData?.lastNodeExecuted ?? '?'}: ${e?.message ?? 'unknown error'}${e?.description ? ` (${e.description})` : ''}`;
	}
	const pageHtml = await completion.text();
	let processingId: string | undefined;
	if (status === 'form-waiting' && executionId && pageScript) {
		// n8n's completion page posts to its own address when it has loaded (the signature it came with).
		const posted = await fetch(formWaitingUrl, { method: 'POST' });
		await posted.text();
		// The form run goes on after its page (the inbound template hands the lead over there): wait for
		// it, then for the run it handed over to, so the test reads their results.
		const formRun = await waitForRun(server, executionId);
		if (formRun !== 'success') error = `form run ${executionId} ${formRun} after its page was opened`;
		processingId = await handedOverRun(server, executionId);
	}
	if (processingId) {
		// A lead whose first reply a person must approve leaves its processing run waiting at the gate.
		const done = await waitForRun(server, processingId, 120_000, { orWaitingAt: 'Approval Gate' });
		if (done !== 'success' && done !== 'waiting at Approval Gate') {
			const data = await server.executionData(processingId).catch(() => null);
			const e = data?.resultData?.error;
			error = `processing run ${processingId} ${done}: ${data?.resultData?.lastNodeExecuted ?? '?'}: ${e?.message ?? 'unknown error'}${e?.description ? ` (${e.description})` : ''}`;
		}
	}
	return { status, html: pageHtml, executionId, processingId, error };
}

/** The run an Execute Workflow node of this execution started without waiting (n8n notes it on the item). */
async function handedOverRun(server: Instance['server'], executionId: string): Promise<string | undefined> {
	const runData = await server.executionRunData(executionId).catch(() => ({}) as Record<string, any[]>);
	for (const runs of Object.values(runData) as any[][]) {
		for (const run of runs) {
			const id = run?.metadata?.subExecution?.executionId ?? (run?.data?.main ?? []).flat().find((item: any) => item?.metadata?.subExecution)?.metadata.subExecution.executionId;
			if (id) return String(id);
		}
	}
	return undefined;
}

/**
 * Waits until an execution has ended (not new, running or waiting); its status. With `orWaitingAt`, a
 * run that waits at that node (a person's decision) counts as done too: `waiting at <node>`.
 */
export async function waitForRun(server: Instance['server'], executionId: string, timeoutMs = 120_000, { orWaitingAt }: { orWaitingAt?: string } = {}): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = await server.executionStatus(executionId).catch(() => undefined);
		if (status && !['new', 'running', 'waiting'].includes(status)) return status;
		if (status === 'waiting' && orWaitingAt && (await server.executionData(executionId).catch(() => null))?.resultData?.lastNodeExecuted === orWaitingAt) return `waiting at ${orWaitingAt}`;
		if (Date.now() > deadline) return `still ${status ?? 'unknown'} after ${timeoutMs} ms`;
		await new Promise((r) => setTimeout(r, 100));
	}
}

export function decodeHtml(text: string): string {
	return text.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Triggers a template's "Run Now" webhook and waits for that execution to finish. */
export async function runNow(n8n: Instance, workflowId: string, webhookPath: string, body: object = {}) {
	const before = (await n8n.server.executions(workflowId)).length;
	const res = await n8n.server.fetchWhenRegistered(`/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (res.status !== 200) throw new Error(`run-now webhook answered ${res.status}: ${await res.text()}`);
	return await n8n.server.waitForExecution(workflowId, before);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for a condition (never a fixed sleep): the probe's first value that is not empty. On timeout it
 * says what it waited for, and why when `why` can tell (e.g. the last run's error).
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, { timeoutMs = 30_000, why }: { timeoutMs?: number; why?: () => Promise<string> } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await probe();
		if (value !== undefined && value !== null && value !== false) return value;
		await sleep(300);
	}
	throw new Error(`timed out waiting for ${what}${why ? `: ${await why()}` : ''}`);
}

/** Posts an HTML form as a browser does (urlencoded): how an approver's click on the approval page arrives. */
export function postForm(url: string, form: Record<string, string>) {
	return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

/** Posts to a CRM test fixture's webhook (test/e2e/fixtures/crm-writes.json) for one company; answers its items. */
export async function postCrm(n8n: Instance, path: 'revops-test-crm-lead' | 'revops-test-crm-account' | 'revops-test-crm-accounts', company: string, body: unknown): Promise<Array<{ crm: Record<string, any> }>> {
	const res = await n8n.server.fetchWhenRegistered(`/webhook/${path}?company=${company}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await res.text();
	if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 500)}`);
	return JSON.parse(text);
}

/**
 * Restarts n8n for another company: the templates, their credentials and the forms stay as imported;
 * only REVOPS_COMPANY names the config (how an operator moves a workflow set to another company).
 */
export async function restartForCompany(n8n: Instance, company: Instance['company']): Promise<void> {
	await n8n.server.stop();
	n8n.server.extraEnv.REVOPS_COMPANY = company;
	n8n.company = company;
	await n8n.server.start();
	await n8n.server.signIn();
}

/** Waits until every webhook call or outbound message a vendor stand-in made has been answered. */
export async function allDelivered(vendor: { pendingDeliveries: number }, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (vendor.pendingDeliveries > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
	if (vendor.pendingDeliveries > 0) throw new Error(`${vendor.pendingDeliveries} deliveries still unanswered after ${timeoutMs} ms`);
}

/** A company's CRM records of one object, by match key: read straight from its backend's storage. */
/** Acme's HubSpot portal (the stand-in) read through the HubSpot backend, as the nodes see it. */
function hubspotStore(n8n: Instance): HubSpotStore {
	return new HubSpotStore({ api: new HubSpotApi({ baseUrl: n8n.hubspot.baseUrl, accessToken: HUBSPOT_TOKEN, send: fetchSend }), fieldMap: { account: { industry: 'industry' } } });
}

/** Acme's Salesforce org (the stand-in) read through the Salesforce backend, as the nodes see it. */
function salesforceStore(n8n: Instance): SalesforceStore {
	return new SalesforceStore({ api: new SalesforceApi({ instanceUrl: n8n.salesforce.baseUrl!, auth: { flow: 'clientCredentials', ...SALESFORCE_APP }, send: fetchSend }) });
}

/** The vendor backend a company of the tests keeps its records in, if any. */
const vendorStore = (n8n: Instance) => (n8n.company === HUBSPOT_COMPANY ? hubspotStore(n8n) : n8n.company === SALESFORCE_COMPANY ? salesforceStore(n8n) : null);

export async function crmRecords(n8n: Instance, object: string): Promise<Record<string, Record<string, any>>> {
	const vendor = vendorStore(n8n);
	if (vendor) {
		const records = await vendor.search(object as CrmObject, [], 10_000);
		return Object.fromEntries(records.map((r) => [r.key, r.fields]));
	}
	if (n8n.company === 'nordwind_services') {
		// The schema appears with the company's first write; before that there are no records.
		if (n8n.postgres.queryValue('revops_crm', "SELECT to_regclass('nordwind_crm.revops_record') IS NULL") === 't') return {};
		const text = n8n.postgres.queryValue('revops_crm', `SELECT coalesce(json_object_agg(match_key, fields), '{}') FROM nordwind_crm.revops_record WHERE object = '${object}'`);
		return JSON.parse(text);
	}
	const rows = (await n8n.server.dataTableRows('acme_record')) ?? [];
	return Object.fromEntries(rows.filter((r: any) => r.object === object).map((r: any) => [r.match_value, JSON.parse(r.fields)]));
}

/** Field changes recorded for a company's records (field, before, after, writer), oldest first. */
export async function crmHistory(n8n: Instance, object: string, key: string): Promise<Array<{ field: string; before: unknown; after: unknown; writer: string }>> {
	const store = vendorStore(n8n);
	if (store) {
		const [record] = await store.findByKeys(object as CrmObject, [key]);
		return record ? (await store.history(object as CrmObject, record.id, 10_000)).map((h) => ({ field: h.field, before: h.before, after: h.after, writer: h.writer })) : [];
	}
	if (n8n.company === 'nordwind_services') {
		if (n8n.postgres.queryValue('revops_crm', "SELECT to_regclass('nordwind_crm.revops_history') IS NULL") === 't') return [];
		const text = n8n.postgres.queryValue(
			'revops_crm',
			`SELECT coalesce(json_agg(json_build_object('field', h.field, 'before', h.before, 'after', h.after, 'writer', h.writer) ORDER BY h.id), '[]') FROM nordwind_crm.revops_history h JOIN nordwind_crm.revops_record r ON r.id = h.record_id WHERE r.object = '${object}' AND r.match_key = '${key}'`,
		);
		return JSON.parse(text);
	}
	const record = ((await n8n.server.dataTableRows('acme_record')) ?? []).find((r: any) => r.object === object && r.match_value === key);
	const rows = ((await n8n.server.dataTableRows('acme_history')) ?? []).filter((h: any) => record && h.record_id === record.rid).sort((a: any, b: any) => a.id - b.id);
	const parse = (v: string | null) => (v === null ? null : JSON.parse(v));
	return rows.map((h: any) => ({ field: h.field, before: parse(h.before), after: parse(h.after), writer: h.writer }));
}

/** A company's record links as "object:key" pairs with their label, read from its backend's storage. */
export async function crmLinks(n8n: Instance): Promise<Array<{ from: string; to: string; label: string }>> {
	if (n8n.company === HUBSPOT_COMPANY) {
		// HubSpot's associations (both ways in the stand-in): contacts to deals, by the records' keys, one
		// entry per association label ('' for the unlabeled association).
		const key = (type: string, id: string) => (type === 'contacts' ? `contact:${n8n.hubspot.objects('contacts').get(id)?.properties.email}` : `opportunity:${n8n.hubspot.objects('deals').get(id)?.properties.revops_opportunity_key}`);
		const out: Array<{ from: string; to: string; label: string }> = [];
		for (const [from, targets] of n8n.hubspot.associations as Map<string, Set<string>>) {
			const [fromType, fromId] = from.split('/');
			for (const to of targets) {
				const [toType, toId] = to.split('/');
				if (fromType !== 'contacts' || toType !== 'deals') continue;
				for (const label of ['', ...n8n.hubspot.linkLabels(fromType, fromId, toType, toId)]) out.push({ from: key(fromType, fromId), to: key(toType, toId), label });
			}
		}
		return out;
	}
	if (n8n.company === SALESFORCE_COMPANY) {
		// A contact on a deal is an OpportunityContactRole, its Role the link's label.
		const keyOf = (type: string, id: unknown) => n8n.salesforce.records(type).get(String(id))?.RevOps_Key__c;
		return [...n8n.salesforce.records('OpportunityContactRole').values()].map((r) => ({ from: `contact:${keyOf('Contact', r.ContactId)}`, to: `opportunity:${keyOf('Opportunity', r.OpportunityId)}`, label: String(r.Role ?? '') }));
	}
	if (n8n.company === 'nordwind_services') {
		if (n8n.postgres.queryValue('revops_crm', "SELECT to_regclass('nordwind_crm.revops_association') IS NULL") === 't') return [];
		const text = n8n.postgres.queryValue(
			'revops_crm',
			`SELECT coalesce(json_agg(json_build_object('from', a.from_object || ':' || f.match_key, 'to', a.to_object || ':' || t.match_key, 'label', a.label)), '[]') FROM nordwind_crm.revops_association a JOIN nordwind_crm.revops_record f ON f.id = a.from_id JOIN nordwind_crm.revops_record t ON t.id = a.to_id`,
		);
		return JSON.parse(text);
	}
	const records = new Map(((await n8n.server.dataTableRows('acme_record')) ?? []).map((r: any) => [r.rid, `${r.object}:${r.match_value}`]));
	return ((await n8n.server.dataTableRows('acme_association')) ?? []).map((a: any) => ({ from: records.get(a.from_id) ?? `?${a.from_id}`, to: records.get(a.to_id) ?? `?${a.to_id}`, label: a.label }));
}

/** The e-mails of the company's approvers for a tier, in config order (the templates ask these people). */
export function approversFor(n8n: Instance, tier: string): string[] {
	// The HubSpot and Salesforce companies are Acme's config with another backend.
	const file = n8n.company === 'nordwind_services' ? 'nordwind-services-eu.json' : 'acme-saas-us.json';
	const config = JSON.parse(fs.readFileSync(path.join(COMPANIES, file), 'utf8'));
	return config.approvers.filter((a: { tiers?: string[] }) => !a.tiers || a.tiers.includes(tier)).map((a: { email: string }) => a.email);
}
