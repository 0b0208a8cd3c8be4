#!/usr/bin/env node
// `npm run bench`: prints throughput figures; asserts nothing. Each benchmark lives in test/bench/ and
// exports run(), which returns lines to print. Runs against the built package (dist/), so it
// measures what ships. Each benchmark runs in a process of its own: an in-process figure must not
// depend on what the benchmarks before it left in the heap (the metrics one holds a million deals),
// and one that fails is reported by name while the others still run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_DIR } = require('./package');

const dir = path.join(REPO_DIR, 'test', 'bench');

async function runOne(file) {
	const lines = await require(path.join(dir, file)).run();
	process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[2] === '--one') {
	runOne(process.argv[3]).catch((error) => {
		process.stderr.write(`${error.stack}\n`);
		process.exit(1);
	});
} else {
	const only = process.argv[2];
	if (!fs.existsSync(path.join(REPO_DIR, 'dist', 'nodes'))) {
		spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' });
	}
	const failed = [];
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort()) {
		if (only && !file.includes(only)) continue;
		const name = file.replace('.bench.js', '');
		process.stdout.write(`\n## ${name}\n`);
		// --expose-gc: benchmarks that keep results start each timed pass from a collected heap.
		const child = spawnSync(process.execPath, ['--expose-gc', __filename, '--one', file], { cwd: REPO_DIR, stdio: 'inherit' });
		if (child.status !== 0) {
			failed.push(name);
			process.stdout.write(`(${name} failed: ${child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`}; its error is above)\n`);
		}
	}
	if (failed.length) {
		process.stderr.write(`\nbenchmarks that failed: ${failed.join(', ')}\n`);
		process.exit(1);
	}
}
