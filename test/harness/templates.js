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
 * Imports every template into a stopped server (CLI import keeps the ids in the files) and activates
 * the ones with a trigger.
 * Leaves the server stopped; returns the imported workflows.
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
	for (const wf of workflows) {
		const file = path.join(dir, `${wf.id}.json`);
		fs.writeFileSync(file, JSON.stringify({ ...wf, active: false }, null, 2));
		server.importWorkflow(file);
		if (needsActivation(wf, server.major)) {
			server.activate(wf.id);
		}
	}
	return workflows;
}

module.exports = { WORKFLOWS_DIR, needsActivation, listTemplates, importTemplates };
