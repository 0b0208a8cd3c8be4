// A throwaway PostgreSQL cluster for one test instance: n8n runs on it as it does in production
// (queue mode needs it), and it is gone with the test's folder. Uses the machine's PostgreSQL server
// binaries; as root, the cluster runs as the `postgres` user, since initdb refuses root.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function findBin(name) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
	const base = '/usr/lib/postgresql';
	if (fs.existsSync(base)) {
		for (const version of fs.readdirSync(base).sort().reverse()) if (fs.existsSync(path.join(base, version, 'bin', name))) return path.join(base, version, 'bin', name);
	}
	throw new Error(`PostgreSQL's ${name} was not found: install Debian's postgresql package (.ci/run does)`);
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

class Postgres {
	constructor(dir) {
		this.dir = dir;
		this.dataDir = path.join(dir, 'data');
		this.port = 0;
		this.asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	}

	run(bin, args) {
		const file = findBin(bin);
		return this.asRoot
			? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe', cwd: '/' }).toString()
			: execFileSync(file, args, { stdio: 'pipe' }).toString();
	}

	async start() {
		fs.mkdirSync(this.dir, { recursive: true });
		if (this.asRoot) execFileSync('chown', ['-R', 'postgres', this.dir]);
		this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
		this.port = await freePort();
		this.run('pg_ctl', ['-D', this.dataDir, '-w', '-l', path.join(this.dir, 'postgres.log'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
		return this;
	}

	createDatabase(name) {
		this.run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
	}

	/** One value from a query, as text (psql's unaligned, tuples-only output). */
	queryValue(database, sql) {
		return this.run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql]).trim();
	}

	/** What n8n needs to use the database. */
	n8nEnv(database) {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	stop() {
		try {
			this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
		} catch {
			// already stopped
		}
	}
}

module.exports = { Postgres, freePort };
