// The workflow templates in workflows/: listed, imported and activated as a user would.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const WORKFLOWS_DIR = path.resolve(__dirname, '..', '..', 'workflows');

function listTemplates() {
	return fs
		.readdirSync(WORKFLOWS_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file: path.join(WORKFLOWS_DIR, file), workflow: JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) }));
}

/**
 * Workflows with a trigger are activated. A sub-workflow (Execute Workflow Trigger) needs it only on
 * n8n 2.x, which runs published sub-workflows only.
 */
function needsActivation(workflow, major) {
	return workflow.nodes.some(
		(n) => /Trigger$|\.webhook$/.test(n.type) && n.type !== 'n8n-nodes-base.manualTrigger' && (major >= 2 || n.type !== 'n8n-nodes-base.executeWorkflowTrigger'),
	);
}

/**
 * Imports every template (and `extraFiles`) into a stopped server with one n8n command (CLI import
 * keeps the ids in the files; each n8n command boots n8n for seconds, so one per file cost the e2e
 * suites minutes per instance). Leaves the server stopped and every workflow inactive; once it runs
 * and is signed in, `activateTemplates` activates those with a trigger.
 * @param {import('./server').N8nServer} server
 * @param {{ extraFiles?: string[], replace?: Record<string, string> }} [options] more workflow files to
 *   import (test fixtures), and literal text to replace in every workflow (e.g. an alert URL)
 */
async function importTemplates(server, { extraFiles = [], replace = {} } = {}) {
	let workflows = listTemplates().map((t) => t.workflow);
	for (const f of extraFiles) workflows.push(JSON.parse(fs.readFileSync(f, 'utf8')));
	workflows = workflows.map((wf) => {
		let text = JSON.stringify(wf);
		for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
		return JSON.parse(text);
	});
	const dir = path.join(server.userFolder, 'import');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const wf of workflows) fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify({ ...wf, active: false }, null, 2));
	server.importWorkflows(dir);
	return workflows;
}

/**
 * Activates (publishes, on n8n 2.x) the imported workflows that have a trigger, as a person does in
 * the editor: through n8n's REST API on the running, signed-in server, which registers their webhooks
 * at once. Sub-workflows first, so a workflow that calls one never goes live before it.
 * @param {import('./server').N8nServer} server
 * @param {Array<{ id: string, nodes: Array<{ type: string }> }>} workflows
 */
async function activateTemplates(server, workflows) {
	const isSubWorkflow = (wf) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.executeWorkflowTrigger');
	const toActivate = workflows.filter((wf) => needsActivation(wf, server.major));
	for (const wf of [...toActivate.filter(isSubWorkflow), ...toActivate.filter((wf) => !isSubWorkflow(wf))]) {
		const { versionId } = await server.rest('GET', `/workflows/${wf.id}`);
		await server.rest('POST', `/workflows/${wf.id}/activate`, { versionId });
	}
}

module.exports = { WORKFLOWS_DIR, needsActivation, listTemplates, importTemplates, activateTemplates };
