const { src, dest, parallel, task } = require('gulp');

// tsc emits only code; everything n8n or the nodes read at run time is copied next to it, so the
// packed tarball alone is a working install.
function nodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], { encoding: false }).pipe(dest('dist/nodes'));
}

function credentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false, allowEmpty: true }).pipe(dest('dist/credentials'));
}

function prompts() {
	return src('prompts/**/*', { allowEmpty: true }).pipe(dest('dist/prompts'));
}

function workflows() {
	return src('workflows/**/*.json', { allowEmpty: true }).pipe(dest('dist/workflows'));
}

task('build:assets', parallel(nodeAssets, credentialAssets, prompts, workflows));

// JSON Schemas of the playbook formats, the canonical CRM model and the company config, generated from the zod schemas the nodes validate with, so
// editors (VS Code "$schema") check a playbook exactly as the node will. Needs tsc's output.
function playbookSchemas(done) {
	const fs = require('node:fs');
	const path = require('node:path');
	const { z } = require('zod');
	const schemas = require('./dist/nodes/shared/domain/scoring/playbook-schema');
	const crm = require('./dist/nodes/shared/domain/crm/model');
	const company = require('./dist/nodes/shared/domain/crm/company-config');
	const out = path.join(__dirname, 'dist', 'schemas');
	fs.mkdirSync(out, { recursive: true });
	for (const [file, schema, title] of [
		['icp-playbook.schema.json', schemas.IcpPlaybookSchema, 'n8n-nodes-revops ICP playbook'],
		['health-playbook.schema.json', schemas.HealthPlaybookSchema, 'n8n-nodes-revops health playbook'],
		['crm-model.schema.json', crm.CRM_MODEL_SCHEMA, `n8n-nodes-revops canonical CRM model ${crm.CRM_MODEL_VERSION}`],
		['company-config.schema.json', company.CompanyConfigSchema, 'n8n-nodes-revops company config'],
	]) {
		const json = { title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
		fs.writeFileSync(path.join(out, file), `${JSON.stringify(json, null, '\t')}\n`);
	}
	done();
}

task('build:schemas', playbookSchemas);
