// One real n8n per tested version for a test file: the packed package installed as n8n installs a
// community package, every template imported, the test model server wired in as an OpenAI credential.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const { N8nServer } = require('../harness/server') as typeof import('../harness/server');
const { installTarball } = require('../harness/package') as typeof import('../harness/package');
const { importTemplates } = require('../harness/templates') as typeof import('../harness/templates');
const { ModelServer } = require('../model-server/server') as typeof import('../model-server/server');

export const VERSIONS = (process.env.REVOPS_N8N_VERSIONS ?? '2.41.1,1.123.81').split(',').map((v) => v.trim());
let nextPort = Number(process.env.REVOPS_E2E_PORT ?? 5710);

export const FIXTURES = path.join(__dirname, 'fixtures');

export interface Instance {
	server: InstanceType<typeof N8nServer>;
	model: InstanceType<typeof ModelServer>;
	workflows: Array<{ id: string; name: string; nodes: Array<{ type: string; typeVersion: number; name: string }> }>;
	stop(): Promise<void>;
}

export async function startInstance(version: string): Promise<Instance> {
	const tarball = process.env.REVOPS_TARBALL;
	if (!tarball) throw new Error('REVOPS_TARBALL is not set: run the e2e tests with `npm run test:e2e`');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `revops-e2e-${version}-`));
	installTarball(userFolder, tarball);
	const model = new ModelServer();
	const modelUrl = await model.start();
	const server = new N8nServer({ version, port: nextPort++, userFolder });
	const credentials = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentials,
		JSON.stringify([{ id: 'RvOpsTestOpenAi1', name: 'Test model server', type: 'openAiApi', data: { apiKey: 'sk-test', url: modelUrl } }]),
	);
	server.importCredentials(credentials);
	const workflows = await importTemplates(server, { extraFiles: fs.readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f)) });
	await server.start();
	await server.signIn();
	return {
		server,
		model,
		workflows,
		async stop() {
			await server.stop();
			await model.stop();
			if (!process.env.REVOPS_KEEP_E2E) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/** Submits an n8n form the way its page does: multipart fields named field-0, field-1, ... */
export async function submitForm(server: Instance['server'], formPath: string, visible: string[], query = '') {
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
	return { status, html: await completion.text(), executionId: new URL(formWaitingUrl).pathname.split('/').pop() };
}

export function decodeHtml(text: string): string {
	return text.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
