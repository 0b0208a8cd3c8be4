// Property test for the CRM path: 10,000 hostile submissions through Company Config -> Lead Normalizer
// -> RevOps CRM (upsert into a real PostgreSQL the test starts) -> Lead Router (assign, owner messages
// to a local endpoint), every node with On Error at its default (stop), as a builder wires them. No run
// may stop because of one item's data, items in == items out at every node, nothing the normalizer
// judged invalid is written as a lead, and no text a node writes into an item runs past its bound.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { IConnections, IDataObject } from 'n8n-workflow';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { usePostgres } from '../crm/pg-server';
import { reportReliability } from '../reliability';
import { hostileText, hostileValue, ITEMS, sample, writtenStrings } from './hostile-arbitraries';
import { node, runWorkflow } from './workflow-runner';

jest.setTimeout(600_000);

const server = usePostgres('revops-hostile-crm-', async () => {
	await new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm' }).close();
});

/** A submission as a form, a webhook or an import sends it: real-looking values, or hostile ones in their place. */
const submission = fc.record({
	email: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 400 }).map((n) => `lead${n}@company${n % 97}.com`) }, { weight: 2, arbitrary: hostileValue }),
	firstName: fc.oneof(fc.constantFrom('Ana', 'Jonas', 'Li'), hostileValue),
	lastName: hostileValue,
	company: fc.oneof(fc.constantFrom('Newco Robotics', 'Globex GmbH'), hostileValue),
	phone: fc.oneof(fc.constantFrom('+49 30 1234567', '030 1234567'), hostileValue),
	country: fc.oneof(fc.constantFrom('Germany', 'NL', 'Sweden'), hostileValue),
	employees: hostileValue,
	website: hostileValue,
	message: hostileText,
	utm_source: hostileValue,
	receivedAt: hostileValue,
});

describe('hostile submissions through the CRM path', () => {
	it('10,000 hostile submissions: Company Config, Lead Normalizer, RevOps CRM and Lead Router never stop the run; items in == items out at every node', async () => {
		const received: number[] = [];
		const hook = http.createServer((req, res) => {
			let size = 0;
			req.on('data', (c) => (size += c.length));
			req.on('end', () => {
				received.push(size);
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
		try {
			const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/owners`;
			const credentials = {
				revOpsPostgresApi: { host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', password: '', ssl: false },
				revOpsApprovalApi: { secret: 'hostile-crm-test-secret-0123456789' },
			};
			const creds = { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' }, revOpsApprovalApi: { id: '2', name: 'links' } } };
			const nodes = [
				node('Input', 'test.passThrough', {}),
				node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }),
				node('Lead Normalizer', 'leadNormalizer', { mappingMode: 'auto', requiredFields: ['emailOrPhone'] }),
				node('Save Lead', 'revOpsCrm', { operation: 'upsert', object: 'lead' }, creds),
				node('Assign Owner', 'leadRouter', { operation: 'assign', channel: 'webhook', webhookUrl: hookUrl, responseUrl: 'https://n8n.nordwind.example/webhook/revops-lead-response' }, creds),
			];
			const names = nodes.map((n) => n.name);
			const connections: IConnections = Object.fromEntries(names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main' as const, index: 0 }]] }]));
			const items = sample(submission);
			const result = await runWorkflow(nodes, connections, 'Input', items.map((json) => ({ json: json as IDataObject })), credentials);
			const error = (result.run.data.resultData as { error?: { message: string; description?: string } }).error;
			expect({ status: result.run.status, error: error ? `${error.message} | ${error.description ?? ''}` : null }).toEqual({ status: 'success', error: null });

			const figures: Record<string, { out: number; longest: number; over: string[] }> = {};
			const audit = (name: string, keys: string[], expected: number, out: Array<{ json: Record<string, any>; pairedItem?: unknown }>) => {
				expect({ name, out: out.length }).toEqual({ name, out: expected });
				expect(new Set(out.map((i) => (i.pairedItem as { item: number }).item)).size).toBe(expected);
				let longest = 0;
				const over: string[] = [];
				for (const item of out)
					for (const s of writtenStrings(item.json, keys)) {
						longest = Math.max(longest, s.length);
						if (s.length > 10_000 && over.length < 5) over.push(`${s.path} (${s.length})`);
					}
				figures[name] = { out: out.length, longest, over };
			};
			// Items in == items out at every node: each gets what its predecessor passed on (the
			// normalizer's Invalid output is a branch of its own, as in the inbound template).
			const all = (name: string) => result.outputs(name).flat() as Array<{ json: Record<string, any>; pairedItem?: unknown }>;
			audit('Company Config', ['portfolioCompany'], ITEMS, all('Company Config'));
			audit('Lead Normalizer', ['lead', 'validation', 'crmPatch', '_meta'], ITEMS, all('Lead Normalizer'));
			const valid = result.outputs('Lead Normalizer')[0].length;
			expect(valid).toBeGreaterThan(ITEMS / 20);
			audit('Save Lead', ['crm', '_meta'], valid, all('Save Lead'));
			audit('Assign Owner', ['routing', '_meta'], result.outputs('Save Lead')[0].length, all('Assign Owner'));

			// A builder may also send raw submissions straight to the CRM node: each is written or says why.
			const direct = await runWorkflow(nodes.slice(0, 2).concat(node('Save Lead', 'revOpsCrm', { operation: 'upsert', object: 'lead', fieldsFrom: 'json', fieldsJson: '={{ { email: $json.email, firstName: $json.firstName, lastName: $json.lastName, company: $json.company, phone: $json.phone, country: $json.country, employeeCount: $json.employees, message: $json.message } }}', matchKey: '={{ $json.email }}' }, creds)), { Input: connections.Input, 'Company Config': { main: [[{ node: 'Save Lead', type: 'main', index: 0 }]] } }, 'Input', items.map((json) => ({ json: json as IDataObject })), credentials);
			const directError = (direct.run.data.resultData as { error?: { message: string; description?: string } }).error;
			expect({ status: direct.run.status, error: directError ? `${directError.message} | ${directError.description ?? ''}` : null }).toEqual({ status: 'success', error: null });
			const rawOut = direct.outputs('Save Lead').flat() as Array<{ json: Record<string, any>; pairedItem?: unknown }>;
			const before = figures['Save Lead'];
			audit('Save Lead (raw submissions)', ['crm', '_meta'], ITEMS, rawOut);
			figures['Save Lead'] = before;
			// A raw submission without a usable e-mail or phone is never written as a lead; the item says why.
			let refused = 0;
			let written = 0;
			for (const item of rawOut) {
				const action = item.json.crm?.action;
				if (['created', 'merged', 'updated', 'unchanged'].includes(action)) written++;
				else {
					refused++;
					expect(JSON.stringify(item.json.crm ?? {})).toMatch(/email|phone|match|key|invalid|refused/i);
				}
			}
			for (const [name, f] of Object.entries(figures)) {
				reportReliability({ kind: 'hostile', node: `${name} (CRM path)`, items: f.out, out: f.out, stoppedRuns: 0, garbage: name.startsWith('Save Lead (raw') ? refused : 0, unflagged: 0, longestWritten: f.longest });
				expect({ name, over: f.over }).toEqual({ name, over: [] });
			}
			expect(refused).toBeGreaterThan(ITEMS / 20);
			expect(written).toBeGreaterThan(ITEMS / 20);
			expect(received.length).toBeGreaterThan(0);
		} finally {
			hook.close();
		}
	});
});
