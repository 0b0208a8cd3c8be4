// A throwaway Redis for n8n's queue mode (main process plus workers): Debian's redis-server, no
// persistence, on a free local port, gone when stopped.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePort } = require('./postgres');

function findRedis() {
	for (const dir of (process.env.PATH || '').split(path.delimiter).concat('/usr/bin', '/usr/sbin')) {
		if (fs.existsSync(path.join(dir, 'redis-server'))) return path.join(dir, 'redis-server');
	}
	throw new Error("redis-server was not found: install Debian's redis-server package (.ci/run does)");
}

class Redis {
	constructor() {
		this.port = 0;
		this.child = null;
	}

	async start() {
		this.port = await freePort();
		this.child = spawn(findRedis(), ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
		process.once('exit', () => this.child?.kill('SIGKILL'));
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			const up = await new Promise((resolve) => {
				const socket = net.connect(this.port, '127.0.0.1', () => {
					socket.end();
					resolve(true);
				});
				socket.on('error', () => resolve(false));
			});
			if (up) return this;
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`redis-server did not listen on ${this.port}`);
	}

	/** What n8n's main process and its workers need to share this Redis. */
	n8nEnv() {
		return { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	stop() {
		this.child?.kill('SIGTERM');
		this.child = null;
	}
}

module.exports = { Redis };
