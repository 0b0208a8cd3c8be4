import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { usePostgres } from '../crm/pg-server';
import { node, runWorkflow } from './workflow-runner';

// The Lead Router in n8n's execution engine: Nordwind's config (PostgreSQL the test starts), owner
// messages to a local endpoint standing in for the company's webhook, clicks on the signed links.
jest.setTimeout(120_000);

const SECRET = 'lead-router-node-test-secret-0123456789';
const server = usePostgres('revops-router-node-', async () => {
	await new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm' }).close();
});
const received: IDataObject[] = [];
let hook: http.Server;
let hookUrl = '';
let credentials: Record<string, IDataObject>;
beforeAll(async () => {
	hook = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push(JSON.parse(body));
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
	hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/owners`;
	credentials = {
		revOpsPostgresApi: { host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', password: '', ssl: false },
		revOpsApprovalApi: { secret: SECRET },
	};
});
afterAll(async () => await new Promise<void>((resolve) => hook.close(() => resolve())));

const creds = { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' }, revOpsApprovalApi: { id: '2', name: 'links' } }, onError: 'continueErrorOutput' as const };
const line = (nodes: string[]): IConnections => Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n, { main: [[{ node: nodes[i + 1], type: 'main' as const, index: 0 }]] }]));

async function route(leads: IDataObject[], router: IDataObject = {}) {
	const nodes = [
		node('Input', 'test.passThrough', {}),
		node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }),
		node('Lead Normalizer', 'leadNormalizer', { mappingMode: 'auto', requiredFields: ['emailOrPhone'] }),
		node('Save Lead', 'revOpsCrm', { operation: 'upsert', object: 'lead' }, creds),
		node('Lead Router', 'leadRouter', { operation: 'assign', channel: 'webhook', webhookUrl: hookUrl, responseUrl: 'https://n8n.nordwind.example/webhook/revops-lead-response', ...router }, creds),
	];
	const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', leads.map((json) => ({ json })), credentials);
	const [ok, errors] = result.outputs('Lead Router');
	return { ok: ok ?? [], errors: errors ?? [] };
}

async function routerStep(parameters: IDataObject, items: INodeExecutionData[]) {
	const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }), node('Lead Router', 'leadRouter', { channel: 'webhook', webhookUrl: hookUrl, responseUrl: 'https://n8n.nordwind.example/webhook/revops-lead-response', ...parameters }, creds)];
	const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', items, credentials);
	const [ok, errors] = result.outputs('Lead Router');
	return { ok: ok ?? [], errors: errors ?? [] };
}

const query = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('Lead Router node in n8n\'s execution engine', () => {
	it('assigns by territory, stores owner and SLA, tells the owner with signed links, and records the click', async () => {
		received.length = 0;
		const { ok, errors } = await route([
			{ email: 'ana@newco-robotics.de', firstName: 'Ana', company: 'Newco Robotics', country: 'DE', message: 'Was kostet die Wartung für 3 Standorte?' },
			{ email: 'lars@fjord-tech.dk', firstName: 'Lars', company: 'Fjord Tech', country: 'DK', message: 'Interested in a service contract' },
		]);
		expect(errors).toEqual([]);
		expect(ok).toHaveLength(2);
		const [ana, lars] = ok.map((i) => i.json as Record<string, any>);
		expect(['jonas.weber@nordwind-services.example', 'pieter.devries@nordwind-services.example']).toContain(ana.routing.owner);
		expect(ana.routing).toMatchObject({ team: 'dach', ruleId: 'dach', decidedBy: 'round-robin', kept: false });
		expect(lars.routing).toMatchObject({ owner: 'sofie.lund@nordwind-services.example', team: 'nordics' });
		expect(ana.crm.record.fields).toMatchObject({ owner: ana.routing.owner, route: 'dach', slaStage: 'open' });
		expect(ana.sla.dueAt).toBe(ana.crm.record.fields.slaDueAt);
		expect(ana._meta).toMatchObject({ node: 'leadRouter', decidedBy: 'rule' });
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		// One message per owner, with the lead and that owner's own links.
		expect(received).toHaveLength(2);
		const toAna = received.find((m) => m.owner === ana.routing.owner)!;
		expect(toAna).toMatchObject({ kind: 'new', to: [ana.routing.owner], lead: ana.crm.record.key });
		expect(String(toAna.text)).toContain('Newco Robotics');
		const links = toAna.links as Record<string, string>;
		expect(Object.keys(links).sort()).toEqual(['accepted', 'contacted', 'not_a_fit']);

		// The owner opens "Contacted" (the Webhook node's item carries the query): a confirmation form, nothing written.
		const opened = await routerStep({ operation: 'recordResponse' }, [{ json: { query: query(links.contacted), body: {} } }]);
		expect(opened.ok[0].json.response).toMatchObject({ status: 200, confirm: true, written: false });
		expect(String((opened.ok[0].json.response as IDataObject).html)).toContain('<form method="POST">');
		expect(server.queryValue('crm', `SELECT fields->>'status' FROM nordwind_crm.revops_record WHERE object = 'lead' AND match_key = '${ana.crm.record.key}'`)).toBe('new');
		// The form's button POSTs the same signed values: that records.
		const click = await routerStep({ operation: 'recordResponse' }, [{ json: { query: {}, body: query(links.contacted) } }]);
		expect(click.errors).toEqual([]);
		const response = click.ok[0].json.response as Record<string, any>;
		expect(response).toMatchObject({ status: 200, title: 'Response recorded', written: true, action: 'contacted' });
		expect(response.html).toContain('<h1>Response recorded</h1>');
		const stored = server.queryValue('crm', `SELECT concat_ws('|', fields->>'status', fields->>'responseOutcome', (fields ? 'firstRespondedAt')::text) FROM nordwind_crm.revops_record WHERE object = 'lead' AND match_key = '${ana.crm.record.key}'`);
		expect(stored).toBe('contacted|contacted|true');

		// A forged click records nothing and says so.
		const forged = await routerStep({ operation: 'recordResponse' }, [{ json: { query: {}, body: { ...query(links.not_a_fit), o: 'mallory@evil.example' } } }]);
		expect(forged.ok[0].json.response).toMatchObject({ status: 401, written: false });
	});

	it('keeps a repeat submission with its owner and sends nothing new', async () => {
		received.length = 0;
		const lead = { email: 'mia@stahlwerk-nord.de', firstName: 'Mia', company: 'Stahlwerk Nord', country: 'AT', message: 'Angebot bitte' };
		const first = await route([lead]);
		const again = await route([{ ...lead, message: 'Noch einmal: Angebot bitte' }]);
		expect(again.ok[0].json.routing).toMatchObject({ owner: (first.ok[0].json.routing as IDataObject).owner, decidedBy: 'existing-owner', kept: true });
		expect(received).toHaveLength(1);
	});

	it('splits by first reply: a new lead on Reply Owed, a repeat and a lead held for review on No Reply, each saying why', async () => {
		const run = async (leads: IDataObject[], router: IDataObject) => {
			const nodes = [
				node('Input', 'test.passThrough', {}),
				node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }),
				node('Lead Normalizer', 'leadNormalizer', { mappingMode: 'auto', requiredFields: ['emailOrPhone'] }),
				node('Save Lead', 'revOpsCrm', { operation: 'upsert', object: 'lead' }, creds),
				node('Lead Router', 'leadRouter', { operation: 'assign', channel: 'none', splitByFirstReply: true, ...router }, creds),
			];
			const [owed = [], none = [], errors = []] = (await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', leads.map((json) => ({ json })), credentials)).outputs('Lead Router');
			return { owed, none, errors };
		};
		const kai = { email: 'kai@werft-kiel.de', firstName: 'Kai', company: 'Werft Kiel', country: 'DE', message: 'Wartungsvertrag?' };
		const first = await run([kai, { email: 'ole@hafen-aarhus.dk', firstName: 'Ole', company: 'Hafen Aarhus', country: 'DK', message: 'Service?' }], {});
		expect(first.errors).toEqual([]);
		expect(first.none).toEqual([]);
		expect(first.owed.map((i) => i.json.firstReply)).toEqual([
			{ owed: true, reason: expect.stringContaining('a new') },
			{ owed: true, reason: expect.stringContaining('a new') },
		]);
		expect(first.owed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		// The same person again (a repeat) and a lead a person reviews first: drafted by nobody.
		const second = await run([{ ...kai, message: 'Nochmal' }], {});
		expect(second.owed).toEqual([]);
		expect(second.none.map((i) => i.json.firstReply)).toEqual([{ owed: false, reason: expect.stringContaining('repeat submission') }]);
		const held = await run([{ email: 'britt@nordlicht-energie.no', firstName: 'Britt', company: 'Nordlicht Energie', country: 'NO', message: 'Hello' }], { review: 'always' });
		expect(held.owed).toEqual([]);
		expect(held.none[0].json).toMatchObject({ routing: { decidedBy: 'review-queue' }, firstReply: { owed: false, reason: expect.stringContaining('review queue') } });

		// Without the split, one output, and every item still says whether it is owed a reply.
		const single = await route([{ email: 'jan@elbe-pumpen.de', firstName: 'Jan', company: 'Elbe Pumpen', country: 'DE', message: 'Angebot' }]);
		expect(single.ok[0].json.firstReply).toMatchObject({ owed: true });

		// A refused item (On Error at its default) never lands on Reply Owed.
		const router = node('Lead Router', 'leadRouter', { operation: 'assign', channel: 'none', splitByFirstReply: true }, { credentials: creds.credentials });
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }), router];
		const [owed = [], none = []] = (await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: { lead: { email: 'x@y.de' } } }], credentials)).outputs('Lead Router');
		expect(owed).toEqual([]);
		expect(none[0].json.routing).toMatchObject({ action: 'refused', fix: expect.stringContaining('Save the lead first') });
	});

	it('moves SLAs on from a schedule: reminds at the reminder time and says when nothing is due', async () => {
		const { ok } = await route([{ email: 'tom@baltic-logistics.de', firstName: 'Tom', company: 'Baltic Logistics', country: 'DE', message: 'Please call me' }]);
		const lead = ok[0].json as Record<string, any>;
		received.length = 0;
		const before = await routerStep({ operation: 'checkSla', options: { asOf: '2026-01-01T00:00:00Z' } }, [{ json: {} }]);
		expect(before.ok).toHaveLength(1);
		expect(before.ok[0].json.sla).toMatchObject({ action: 'none' });
		const due = await routerStep({ operation: 'checkSla', options: { asOf: lead.sla.remindAt } }, [{ json: {} }]);
		const reminders = due.ok.filter((i) => (i.json.sla as IDataObject).lead === lead.crm.record.key);
		expect(reminders).toHaveLength(1);
		expect(reminders[0].json.sla).toMatchObject({ action: 'remind', owner: lead.routing.owner, stage: 'reminded' });
		expect(received.filter((m) => m.lead === lead.crm.record.key)).toEqual([expect.objectContaining({ kind: 'reminder', to: [lead.routing.owner] })]);
	});

	it('passes leads on flagged, and watches nothing, for a company whose config has no routing', async () => {
		const config = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '../../workflows/companies/nordwind-services-eu.json'), 'utf8'));
		delete config.routing;
		const nodes = [node('Input', 'test.passThrough', {}), node('Lead Router', 'leadRouter', { operation: 'assign', channel: 'none', companyConfig: JSON.stringify(config) }, creds)];
		const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: { crm: { isNew: true } } }], credentials);
		const [ok] = result.outputs('Lead Router');
		expect(ok[0].json).toMatchObject({ crm: { isNew: true }, routing: { configured: false, fix: expect.stringContaining('Add routing') } });
		const watch = await runWorkflow([nodes[0], node('Lead Router', 'leadRouter', { operation: 'checkSla', companyConfig: JSON.stringify(config) }, creds)], line(['Input', 'Lead Router']), 'Input', [{ json: {} }], credentials);
		expect(watch.outputs('Lead Router')[0][0].json.sla).toMatchObject({ action: 'none', configured: false });
	});

	it('puts an item with no stored lead on the error output with the fix, and still routes the others', async () => {
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }), node('Lead Router', 'leadRouter', { operation: 'assign', channel: 'none' }, creds)];
		const result = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: { lead: { email: 'x@y.de' } } }], credentials);
		const [ok, errors] = result.outputs('Lead Router');
		expect(ok ?? []).toEqual([]);
		expect(errors).toHaveLength(1);
		expect(String(errors[0].json.error)).toContain('No stored lead at "crm.record"');
	});

	it('with On Error at its default, one such item passes refused with the fix instead of stopping the run; every item so is a setup error', async () => {
		const router = node('Lead Router', 'leadRouter', { operation: 'assign', channel: 'none' }, { credentials: creds.credentials });
		const nodes = [node('Input', 'test.passThrough', {}), node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }), router];
		const one = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: { lead: { email: 'x@y.de' } } }], credentials);
		expect(one.run.status).toBe('success');
		const [[item]] = one.outputs('Lead Router');
		expect(item.json.routing).toMatchObject({ action: 'refused', error: expect.stringContaining('No stored lead'), fix: expect.stringContaining('Save the lead first') });
		// Every item failing the same way is the wiring, not the data: the run stops and says the fix.
		const all = await runWorkflow(nodes, line(nodes.map((n) => n.name)), 'Input', [{ json: { lead: { email: 'x@y.de' } } }, { json: { lead: { email: 'z@y.de' } } }], credentials);
		expect(all.run.status).toBe('error');
		expect((all.run.data.resultData.error as any).description).toContain('Save the lead first');
	});
});
