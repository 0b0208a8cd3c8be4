import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A real PostgreSQL server for one test file, started in a temp folder with the machine's server
// binaries (.ci/run installs them), with a database "crm"; stopped and removed after the file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Postgres } = require('../harness/postgres');

export interface PgServer {
	port: number;
	queryValue(db: string, sql: string): string;
}

export function usePostgres(prefix: string, beforeStop: () => Promise<void> = async () => {}): PgServer {
	const handle = {} as PgServer & { stop(): void; createDatabase(name: string): void; start(): Promise<unknown> };
	let dir = '';
	let server: typeof handle | null = null;
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
		server = new Postgres(dir);
		await server!.start();
		server!.createDatabase('crm');
		handle.port = server!.port;
		handle.queryValue = (db, sql) => server!.queryValue(db, sql);
	});
	afterAll(async () => {
		await beforeStop();
		server?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});
	return handle;
}
