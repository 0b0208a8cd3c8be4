// The workflow templates in workflows/, and what it takes to run them on the n8n 1.x line.
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

/** Data tables a template creates ("Ensure ... Table" nodes), with their columns. */
function dataTablesOf(workflow) {
	return workflow.nodes
		.filter((n) => n.type === 'n8n-nodes-base.dataTable' && n.parameters.resource === 'table' && n.parameters.operation === 'create')
		.map((n) => ({ name: n.parameters.tableName, columns: n.parameters.columns?.column ?? [] }));
}

/**
 * Templates target n8n 2.x, whose Data Table node creates a table when missing and addresses tables
 * by name. n8n 1.123's Data Table node (version 1) can do neither, so on 1.x the tables are created
 * up front (through n8n's REST API, as a user would in the Data tables tab), each "Ensure ... Table"
 * node becomes a No-Op that passes items through, and table references become table ids.
 */
function adaptForN8n1(workflow, tableIds) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		if (node.type !== 'n8n-nodes-base.dataTable') continue;
		node.typeVersion = 1;
		if (node.parameters.resource === 'table') {
			node.type = 'n8n-nodes-base.noOp';
			node.parameters = {};
			continue;
		}
		const ref = node.parameters.dataTableId;
		if (ref && ref.mode === 'name') {
			const id = tableIds[ref.value];
			if (!id) throw new Error(`no data table id for "${ref.value}" (workflow ${workflow.name})`);
			node.parameters.dataTableId = { __rl: true, mode: 'id', value: id };
		}
	}
	return copy;
}

/** Creates (or finds) every table the templates need on a running n8n 1.x; returns name -> id. */
async function createTablesForN8n1(server, workflows) {
	const { tables } = await server.dataTables();
	const ids = Object.fromEntries(tables.map((t) => [t.name, t.id]));
	for (const wf of workflows) {
		for (const table of dataTablesOf(wf)) {
			if (ids[table.name]) continue;
			const created = await server.createDataTable(table.name, table.columns);
			ids[table.name] = created.id;
		}
	}
	return ids;
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
 * the ones with a trigger. On n8n 1.x the server is started once first to create the data tables.
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
	if (server.major < 2) {
		await server.start();
		const ids = await createTablesForN8n1(server, workflows);
		await server.stop();
		workflows = workflows.map((wf) => adaptForN8n1(wf, ids));
	}
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

module.exports = { WORKFLOWS_DIR, needsActivation, listTemplates, dataTablesOf, adaptForN8n1, createTablesForN8n1, importTemplates };
