import { createSign } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { inChunks, type HttpRequest, type HttpResponse, type HttpSend } from '../http';

/**
 * Salesforce's REST API as the CRM adapter needs it: an OAuth 2.0 session (client credentials, or the
 * JWT bearer flow with the connected app's certificate), SOQL read to the end (queryMore), composite
 * graphs (each graph all or nothing, 500 nodes a call), describe, and the org's limits honoured: the
 * Sforce-Limit-Info header is read on every answer, a 5xx, a lost connection or a row lock is tried
 * again after a growing pause, and the daily request limit stops with a message that says so. The
 * HTTP call is handed in (n8n's request helper in a node, fetch in tests): no n8n import here.
 */

export const SALESFORCE_API_VERSION = '60.0';
/** Salesforce's largest composite graph payload, in nodes. */
export const GRAPH_NODES = 500;
/** Graphs in one payload. */
export const GRAPH_COUNT = 75;

export type SalesforceAuth =
	| { flow: 'clientCredentials'; clientId: string; clientSecret: string }
	/** The connected app's consumer key, the integration user's username, its certificate's private key (PEM). */
	| { flow: 'jwt'; clientId: string; username: string; privateKey: string; audience?: string };

export interface SalesforceApiOptions {
	/** The org's My Domain URL (https://acme.my.salesforce.com), where the token is asked for. */
	instanceUrl: string;
	auth: SalesforceAuth;
	send: HttpSend;
	apiVersion?: string;
	/** Tries per call on 5xx, lost connections and UNABLE_TO_LOCK_ROW; default 5. */
	maxTries?: number;
	/** Calls in flight at once; default 4. */
	concurrency?: number;
	sleep?: (ms: number) => Promise<void>;
}

/** A call Salesforce refused as a whole: status, its error code and words. */
export class SalesforceError extends Error {
	constructor(
		readonly status: number,
		readonly errorCode: string,
		message: string,
	) {
		super(message);
		this.name = 'SalesforceError';
	}
}

/** Salesforce's error body: a list of { errorCode, message, fields }. */
export interface SalesforceFault {
	errorCode?: string;
	statusCode?: string;
	message?: string;
	fields?: string[];
}

export interface GraphNode {
	method: 'POST' | 'PATCH';
	url: string;
	referenceId: string;
	body: Record<string, unknown>;
}

export interface GraphAnswer {
	graphId: string;
	isSuccessful: boolean;
	nodes: Array<{ referenceId: string; status: number; body: unknown }>;
}

export interface SoqlRecord {
	Id: string;
	[field: string]: unknown;
}

interface Session {
	token: string;
	url: string;
	organizationId: string;
	userId: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first fault of an error body (Salesforce answers a list). */
export function faultOf(body: unknown): SalesforceFault {
	const first = Array.isArray(body) ? body[0] : body;
	return isObject(first) ? (first as SalesforceFault) : {};
}

/** A text value inside a SOQL string literal. */
export const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class SalesforceApi {
	readonly instanceUrl: string;
	readonly version: string;
	private readonly maxTries: number;
	readonly concurrency: number;
	private readonly sleep: (ms: number) => Promise<void>;
	private session: Promise<Session> | null = null;
	/** Requests sent, token requests and retries included (for `npm run bench` and the tests). */
	calls = 0;
	/** What the last Sforce-Limit-Info header said: requests used today, of how many. */
	usage: { used: number; max: number } | null = null;

	constructor(private readonly options: SalesforceApiOptions) {
		this.instanceUrl = options.instanceUrl.replace(/\/+$/, '');
		this.version = options.apiVersion ?? SALESFORCE_API_VERSION;
		this.maxTries = options.maxTries ?? 5;
		this.concurrency = Math.max(1, options.concurrency ?? 4);
		this.sleep = options.sleep ?? ((ms) => delay(ms));
	}

	/** `/services/data/vXX.X` + path. */
	path(rest: string): string {
		return `/services/data/v${this.version}${rest}`;
	}

	private async signIn(): Promise<Session> {
		const auth = this.options.auth;
		const form: Record<string, string> =
			auth.flow === 'clientCredentials'
				? { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret }
				: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwtAssertion(auth, this.instanceUrl) };
		this.calls++;
		let res: HttpResponse;
		try {
			res = await this.options.send({ method: 'POST', url: `${this.instanceUrl}/services/oauth2/token`, headers: { accept: 'application/json' }, form });
		} catch (error) {
			throw new SalesforceError(0, 'CONNECTION', `Salesforce did not answer at ${this.instanceUrl}: ${(error as Error).message}`);
		}
		const body = isObject(res.body) ? res.body : {};
		if (res.status !== 200 || typeof body.access_token !== 'string') {
			throw new SalesforceError(res.status, String(body.error ?? 'AUTH_FAILED'), `Salesforce refused the sign-in (${String(body.error ?? res.status)}: ${String(body.error_description ?? '')})`);
		}
		// The identity URL names the org and the user the app signed in as: .../id/<org id>/<user id>.
		const identity = /\/id\/(\w{15,18})\/(\w{15,18})\/?$/.exec(String(body.id ?? ''));
		return { token: body.access_token, url: String(body.instance_url ?? this.instanceUrl).replace(/\/+$/, ''), organizationId: identity?.[1] ?? '', userId: identity?.[2] ?? '' };
	}

	/** The org and the integration user the credential signs in as (from the sign-in's identity URL). */
	async identity(): Promise<{ organizationId: string; userId: string }> {
		const { organizationId, userId } = await this.sessionOf(false);
		if (!organizationId || !userId) throw new SalesforceError(0, 'NO_IDENTITY', 'Salesforce\'s sign-in named no org and user (its id URL); check the credential\'s instance URL');
		return { organizationId, userId };
	}

	private async sessionOf(renew: boolean): Promise<Session> {
		if (renew || !this.session) {
			this.session = this.signIn();
			this.session.catch(() => (this.session = null));
		}
		return await this.session;
	}

	/**
	 * One call. An expired session signs in again once; a 5xx, a lost connection and a row another
	 * transaction holds (UNABLE_TO_LOCK_ROW) are tried again after a growing pause; the daily limit and
	 * every other 4xx answer at once (SalesforceError).
	 */
	async call(method: HttpRequest['method'], path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
		let renew = false;
		for (let attempt = 1; ; attempt++) {
			const session = await this.sessionOf(renew);
			renew = false;
			this.calls++;
			let res: HttpResponse | null = null;
			let lost: unknown = null;
			try {
				res = await this.options.send({ method, url: `${session.url}${path}`, headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', accept: 'application/json', ...headers }, body });
			} catch (error) {
				lost = error;
			}
			if (res) this.readLimits(res.headers);
			if (res && res.status < 300) return res;
			const fault = faultOf(res?.body);
			const code = fault.errorCode ?? '';
			const last = attempt >= this.maxTries;
			if (res?.status === 401 && code === 'INVALID_SESSION_ID' && attempt === 1) {
				renew = true;
				continue;
			}
			if (code === 'REQUEST_LIMIT_EXCEEDED') {
				const used = this.usage ? ` (${this.usage.used} of ${this.usage.max} requests used)` : '';
				throw new SalesforceError(403, code, `The org's daily API request limit is used up${used}; writes go on when the 24-hour window frees requests, or raise the limit in Salesforce (Setup > Company Information)`);
			}
			if (!res || res.status >= 500 || code === 'UNABLE_TO_LOCK_ROW') {
				if (last) throw lost instanceof Error ? new SalesforceError(0, 'CONNECTION', `Salesforce did not answer: ${lost.message}`) : new SalesforceError(res?.status ?? 0, code || 'SERVER_ERROR', fault.message ?? `Salesforce answered ${res?.status}`);
				await this.sleep(250 * 2 ** (attempt - 1));
				continue;
			}
			throw new SalesforceError(res.status, code || 'ERROR', fault.message ?? `Salesforce answered ${res.status}`);
		}
	}

	private readLimits(headers: Record<string, string>): void {
		const m = /api-usage=(\d+)\/(\d+)/.exec(headers['sforce-limit-info'] ?? '');
		if (m) this.usage = { used: Number(m[1]), max: Number(m[2]) };
	}

	/** Every record a SOQL query finds, a batch (up to 2,000) at a time, following nextRecordsUrl. */
	async *query(soql: string): AsyncGenerator<SoqlRecord[]> {
		let res = await this.call('GET', this.path(`/query?q=${encodeURIComponent(soql)}`));
		for (;;) {
			const body = res.body as { records?: SoqlRecord[]; done?: boolean; nextRecordsUrl?: string };
			yield body.records ?? [];
			if (body.done !== false || !body.nextRecordsUrl) return;
			res = await this.call('GET', body.nextRecordsUrl);
		}
	}

	async queryAll(soql: string): Promise<SoqlRecord[]> {
		const out: SoqlRecord[] = [];
		for await (const page of this.query(soql)) out.push(...page);
		return out;
	}

	/** One composite graph call: each graph's nodes all written or none (its failing node says why). */
	async graph(graphs: Array<{ graphId: string; nodes: GraphNode[] }>): Promise<GraphAnswer[]> {
		const res = await this.call('POST', this.path('/composite/graph'), { graphs: graphs.map((g) => ({ graphId: g.graphId, compositeRequest: g.nodes })) });
		const body = res.body as { graphs?: Array<{ graphId: string; isSuccessful: boolean; graphResponse?: { compositeResponse?: Array<{ referenceId: string; httpStatusCode: number; body: unknown }> } }> };
		return (body.graphs ?? []).map((g) => ({ graphId: g.graphId, isSuccessful: g.isSuccessful === true, nodes: (g.graphResponse?.compositeResponse ?? []).map((n) => ({ referenceId: n.referenceId, status: n.httpStatusCode, body: n.body })) }));
	}

	async inChunks<T, R>(inputs: readonly T[], size: number, work: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
		return await inChunks(inputs, size, this.concurrency, work);
	}
}

/** The JWT bearer flow's assertion: the connected app as issuer, the user as subject, signed RS256. */
function jwtAssertion(auth: Extract<SalesforceAuth, { flow: 'jwt' }>, instanceUrl: string): string {
	const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const audience = auth.audience || (/\.sandbox\.my\.salesforce\.com|test\.salesforce\.com/.test(instanceUrl) ? 'https://test.salesforce.com' : /\.my\.salesforce\.com/.test(instanceUrl) ? 'https://login.salesforce.com' : instanceUrl);
	const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: auth.clientId, sub: auth.username, aud: audience, exp: Math.floor(Date.now() / 1000) + 180 })}`;
	let signature: string;
	try {
		signature = createSign('RSA-SHA256').update(unsigned).sign(auth.privateKey.replace(/\\n/g, '\n'), 'base64url');
	} catch (error) {
		throw new SalesforceError(0, 'INVALID_KEY', `The credential's private key cannot sign the JWT (${(error as Error).message}); paste the PEM key of the certificate uploaded to the connected app`);
	}
	return `${unsigned}.${signature}`;
}
