// What every vendor stand-in shares: a local HTTP server on a free port, closed with its connections.
'use strict';
const http = require('node:http');

class StandIn {
	/** Starts listening on 127.0.0.1; requests go to handle(req, res). */
	async start() {
		this.server = http.createServer((req, res) => this.handle(req, res));
		await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${this.server.address().port}`;
		return this.baseUrl;
	}

	/** Reads the request's body, waits the stand-in's latency (`latencyMs`), then hands over to serve(req, res, raw). */
	handle(req, res) {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', async () => {
			if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
			this.serve(req, res, raw);
		});
	}

	async stop() {
		this.server?.closeAllConnections?.();
		await new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}

module.exports = { StandIn };
