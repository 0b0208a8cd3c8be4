import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { ConfigError } from '../config-error';
import type { FieldValue } from './merge';
import type { CrmObject } from './model';
import { CRM_FIELDS } from './model';
import type { Association, CrmStore, HistoryEntry, ScanPage, SearchCondition, StoreObject, StoredRecord } from './store';

/**
 * The PostgreSQL backend, on `pg` (node-postgres, the maintained client every Node PostgreSQL tool
 * uses). One schema per portfolio company (the config names it), created and migrated by the node
 * itself: the versioned migrations below run once, under an advisory lock, so many workers starting
 * at once migrate it once.
 *
 * Records keep the canonical fields as JSONB (one table for every object, so a new canonical field
 * needs no migration); history, associations and the schema version have their own tables.
 */


/**
 * A value as jsonb text. PostgreSQL's text and jsonb cannot hold the NUL character ("unsupported
 * Unicode escape sequence"): one such character in one field would fail a whole batch, so it is dropped.
 */
/** A query parameter without NUL characters (texts, and lists of texts). */
function withoutNul(value: unknown): unknown {
	if (typeof value === 'string') return value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
	return Array.isArray(value) ? value.map(withoutNul) : value;
}

function jsonb(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replace(/\u0000/g, '') : v));
}

export const POSTGRES_MIGRATIONS: ReadonlyArray<{ version: number; description: string; sql: string }> = [
	{
		version: 1,
		description: 'records, history and associations of the canonical model 1.x',
		sql: `
CREATE TABLE IF NOT EXISTS revops_record (
	id uuid PRIMARY KEY,
	object text NOT NULL,
	match_key text NOT NULL,
	aliases text[] NOT NULL DEFAULT '{}',
	fields jsonb NOT NULL DEFAULT '{}',
	validated text[] NOT NULL DEFAULT '{}',
	revision integer NOT NULL,
	duplicates integer NOT NULL DEFAULT 0,
	write_keys text[] NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	UNIQUE (object, match_key)
);
CREATE INDEX IF NOT EXISTS revops_record_aliases ON revops_record USING gin (aliases);
CREATE TABLE IF NOT EXISTS revops_history (
	id bigserial PRIMARY KEY,
	object text NOT NULL,
	record_id uuid NOT NULL,
	field text NOT NULL,
	before jsonb,
	after jsonb,
	change text NOT NULL,
	writer text NOT NULL,
	execution_id text,
	at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS revops_history_record ON revops_history (record_id, id);
CREATE TABLE IF NOT EXISTS revops_association (
	from_object text NOT NULL,
	from_id uuid NOT NULL,
	to_object text NOT NULL,
	to_id uuid NOT NULL,
	label text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (from_id, to_id, label)
);`,
	},
];

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	ssl?: boolean;
	/** One schema per company; created when missing. */
	schema: string;
	/** Connections per process (default 4). */
	maxConnections?: number;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
	if (!IDENT.test(schema)) {
		throw new ConfigError(
			`PostgreSQL schema "${schema.slice(0, 80)}" is not a plain lower-case name`,
			'Use letters a-z, digits and underscores, starting with a letter, e.g. acme_revops (set in the company config, crm.postgres.schema)',
			'crm.postgres.schema',
		);
	}
	return schema;
}

interface Row {
	id: string;
	object: StoreObject;
	match_key: string;
	aliases: string[];
	fields: Record<string, FieldValue>;
	validated: string[];
	revision: number;
	duplicates: number;
	write_keys: string[];
	created_at: Date;
	updated_at: Date;
}

const toRecord = (r: Row): StoredRecord => ({
	id: r.id,
	object: r.object,
	key: r.match_key,
	aliases: r.aliases,
	fields: r.fields,
	validated: r.validated,
	revision: r.revision,
	duplicates: r.duplicates,
	writeKeys: r.write_keys,
	createdAt: r.created_at.toISOString(),
	updatedAt: r.updated_at.toISOString(),
});

/** Pools are shared per connection and schema within a process, as n8n runs many executions in one. */
const pools = new Map<string, { pool: Pool; migrated: Promise<void> | null }>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ` AND ...` for each condition on canonical fields, its values pushed onto `values`. */
function conditionsSql(object: CrmObject, where: readonly SearchCondition[], values: unknown[]): string {
	return where
		.map((c) => {
			const spec = CRM_FIELDS[object][c.field];
			if (!spec) throw new ConfigError(`${c.field} is not a field of the canonical ${object}`, `Pick one of: ${Object.keys(CRM_FIELDS[object]).join(', ')}`, 'conditions');
			values.push(c.field);
			const field = `fields->>$${values.length}`;
			if (c.op === 'empty') return ` AND coalesce(${field}, '') = ''`;
			if (c.op === 'notEmpty') return ` AND coalesce(${field}, '') <> ''`;
			values.push(c.value === null || c.value === undefined ? null : String(c.value));
			const v = `$${values.length}`;
			const numeric = spec.type === 'number';
			const lhs = numeric ? `(${field})::numeric` : spec.type === 'date' ? `(${field})::timestamptz` : `lower(${field})`;
			const rhs = numeric ? `(${v})::numeric` : spec.type === 'date' ? `(${v})::timestamptz` : `lower(${v})`;
			switch (c.op) {
				case 'eq':
					return ` AND ${lhs} = ${rhs}`;
				case 'neq':
					return ` AND ${lhs} IS DISTINCT FROM ${rhs}`;
				case 'contains':
					return ` AND strpos(lower(${field}), lower(${v})) > 0`;
				default:
					return ` AND ${lhs} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op]} ${rhs}`;
			}
		})
		.join('');
}

export class PostgresStore implements CrmStore {
	readonly backend = 'postgres';
	private statements = 0;
	private readonly entry: { pool: Pool; migrated: Promise<void> | null };
	private readonly schema: string;

	constructor(connection: PostgresConnection) {
		this.schema = checkSchemaName(connection.schema);
		const id = JSON.stringify([connection.host, connection.port, connection.database, connection.user, connection.ssl, this.schema, connection.maxConnections]);
		let entry = pools.get(id);
		if (!entry) {
			const config: PoolConfig = {
				host: connection.host,
				port: connection.port,
				database: connection.database,
				user: connection.user,
				password: connection.password,
				ssl: connection.ssl ? { rejectUnauthorized: false } : undefined,
				max: connection.maxConnections ?? 4,
				idleTimeoutMillis: 30_000,
				connectionTimeoutMillis: 15_000,
			};
			entry = { pool: new Pool(config), migrated: null };
			// An idle client losing its connection must not crash n8n; the next query reconnects.
			entry.pool.on('error', () => undefined);
			pools.set(id, entry);
		}
		this.entry = entry;
	}

	get calls(): number {
		return this.statements;
	}

	private async query<R extends object = Row>(client: Pool | PoolClient, sql: string, values: unknown[] = []): Promise<R[]> {
		this.statements += 1;
		return (await client.query(sql, values?.map(withoutNul))).rows as R[];
	}

	async ensureSchema(): Promise<void> {
		this.entry.migrated ??= this.migrate().catch((error: unknown) => {
			this.entry.migrated = null;
			throw error;
		});
		await this.entry.migrated;
	}

	private async migrate(): Promise<void> {
		const client = await this.entry.pool.connect();
		try {
			await this.query(client, 'BEGIN');
			await this.query(client, `SELECT pg_advisory_xact_lock(hashtext($1))`, [`revops-migrate:${this.schema}`]);
			await this.query(client, `CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
			await this.query(client, `CREATE TABLE IF NOT EXISTS ${this.schema}.revops_schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
			const done = new Set((await this.query<{ version: number }>(client, `SELECT version FROM ${this.schema}.revops_schema_version`)).map((r) => r.version));
			for (const m of POSTGRES_MIGRATIONS) {
				if (done.has(m.version)) continue;
				await this.query(client, `SET LOCAL search_path = ${this.schema}`);
				await this.query(client, m.sql);
				await this.query(client, `INSERT INTO ${this.schema}.revops_schema_version (version, description) VALUES ($1, $2)`, [m.version, m.description]);
			}
			await this.query(client, 'COMMIT');
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw error;
		} finally {
			client.release();
		}
	}

	async findByKeys(object: StoreObject, keys: readonly string[]): Promise<StoredRecord[]> {
		if (keys.length === 0) return [];
		// Two index lookups (the unique key, the aliases' GIN index); an OR of both would scan the table.
		const byKey = `SELECT * FROM ${this.schema}.revops_record WHERE object = $1 AND match_key = ANY($2::text[])`;
		const byAlias = `SELECT * FROM ${this.schema}.revops_record WHERE object = $1 AND aliases && $2::text[]`;
		const rows = await this.query(this.entry.pool, object === 'account' ? `${byKey} UNION ${byAlias}` : byKey, [object, keys]);
		return rows.map(toRecord);
	}

	private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
		const client = await this.entry.pool.connect();
		try {
			await this.query(client, 'BEGIN');
			const result = await work(client);
			await this.query(client, 'COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw error;
		} finally {
			client.release();
		}
	}

	private async writeHistory(client: PoolClient, entries: HistoryEntry[]): Promise<void> {
		if (entries.length === 0) return;
		await this.query(
			client,
			`INSERT INTO ${this.schema}.revops_history (object, record_id, field, before, after, change, writer, execution_id, at)
			 SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])`,
			[
				entries.map((e) => e.object),
				entries.map((e) => e.recordId),
				entries.map((e) => e.field),
				entries.map((e) => (e.before === null ? null : jsonb(e.before))),
				entries.map((e) => (e.after === null ? null : jsonb(e.after))),
				entries.map((e) => e.change),
				entries.map((e) => e.writer),
				entries.map((e) => e.executionId),
				entries.map((e) => e.at),
			],
		);
	}

	async insert(records: readonly StoredRecord[], history: readonly HistoryEntry[][]): Promise<Array<StoredRecord | null>> {
		return await this.inTransaction(async (client) => {
			const rows = await this.query(
				client,
				`INSERT INTO ${this.schema}.revops_record (id, object, match_key, aliases, fields, validated, revision, duplicates, write_keys, created_at, updated_at)
				 SELECT v.id, v.object, v.match_key, ARRAY(SELECT jsonb_array_elements_text(v.aliases)), v.fields,
				        ARRAY(SELECT jsonb_array_elements_text(v.validated)), v.revision, v.duplicates, ARRAY(SELECT jsonb_array_elements_text(v.write_keys)), v.created_at, v.updated_at
				 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::jsonb[], $7::int[], $8::int[], $9::jsonb[], $10::timestamptz[], $11::timestamptz[])
				   AS v(id, object, match_key, aliases, fields, validated, revision, duplicates, write_keys, created_at, updated_at)
				 ON CONFLICT (object, match_key) DO NOTHING
				 RETURNING *`,
				columns(records),
			);
			const written = new Map(rows.map((r) => [r.id, toRecord(r)]));
			await this.writeHistory(client, records.flatMap((r, n) => (written.has(r.id) ? history[n] : [])));
			return records.map((r) => written.get(r.id) ?? null);
		});
	}

	async update(records: ReadonlyArray<{ record: StoredRecord; expectedRevision: number }>, history: readonly HistoryEntry[][]): Promise<Array<StoredRecord | null>> {
		return await this.inTransaction(async (client) => {
			const rows = await this.query(
				client,
				`UPDATE ${this.schema}.revops_record AS r SET
				   aliases = ARRAY(SELECT jsonb_array_elements_text(v.aliases)), fields = v.fields,
				   validated = ARRAY(SELECT jsonb_array_elements_text(v.validated)), revision = r.revision + 1,
				   duplicates = v.duplicates, write_keys = ARRAY(SELECT jsonb_array_elements_text(v.write_keys)), updated_at = v.updated_at
				 FROM unnest($1::uuid[], $2::int[], $3::jsonb[], $4::jsonb[], $5::jsonb[], $6::int[], $7::jsonb[], $8::timestamptz[])
				   AS v(id, expected, aliases, fields, validated, duplicates, write_keys, updated_at)
				 WHERE r.id = v.id AND r.revision = v.expected
				 RETURNING r.*`,
				[
					records.map((u) => u.record.id),
					records.map((u) => u.expectedRevision),
					records.map((u) => jsonb(u.record.aliases)),
					records.map((u) => jsonb(u.record.fields)),
					records.map((u) => jsonb(u.record.validated)),
					records.map((u) => u.record.duplicates),
					records.map((u) => jsonb(u.record.writeKeys)),
					records.map((u) => u.record.updatedAt),
				],
			);
			const written = new Map(rows.map((r) => [r.id, toRecord(r)]));
			await this.writeHistory(client, records.flatMap((u, n) => (written.has(u.record.id) ? history[n] : [])));
			return records.map((u) => written.get(u.record.id) ?? null);
		});
	}

	async search(object: CrmObject, where: readonly SearchCondition[], limit: number): Promise<StoredRecord[]> {
		const values: unknown[] = [object];
		const clauses = conditionsSql(object, where, values);
		values.push(Math.max(1, Math.min(10_000, Math.floor(limit))));
		const rows = await this.query(this.entry.pool, `SELECT * FROM ${this.schema}.revops_record WHERE object = $1${clauses} ORDER BY updated_at DESC LIMIT $${values.length}`, values);
		return rows.map(toRecord);
	}

	async scan(object: CrmObject, where: readonly SearchCondition[], historyFields: readonly string[], cursor: string | null, pageSize: number): Promise<ScanPage> {
		const values: unknown[] = [object];
		const clauses = conditionsSql(object, where, values);
		// Keyset paging in id order: each page is one index range, however deep the scan is.
		if (cursor !== null) {
			if (!UUID.test(cursor)) throw new ConfigError(`Scan cursor "${cursor.slice(0, 40)}" is not one this store gave`, 'Start the scan again with no cursor', 'cursor');
			values.push(cursor);
		}
		const after = cursor === null ? '' : ` AND id > $${values.length}::uuid`;
		const limit = Math.max(1, Math.min(50_000, Math.floor(pageSize)));
		values.push(limit);
		const rows = await this.query(this.entry.pool, `SELECT * FROM ${this.schema}.revops_record WHERE object = $1${clauses}${after} ORDER BY id LIMIT $${values.length}`, values);
		const records = rows.map(toRecord);
		let history: HistoryEntry[] = [];
		if (records.length > 0 && historyFields.length > 0) {
			// The time as ISO text from the server: no Date per row to build and format again.
			const entries = await this.query<{ record_id: string; field: string; before: FieldValue; after: FieldValue; change: string; writer: string; execution_id: string | null; at: string }>(
				this.entry.pool,
				`SELECT record_id, field, before, after, change, writer, execution_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
				 FROM ${this.schema}.revops_history WHERE record_id = ANY($1::uuid[]) AND object = $2 AND field = ANY($3::text[]) ORDER BY record_id, at, id`,
				[records.map((r) => r.id), object, [...historyFields]],
			);
			history = entries.map((r) => ({ object, recordId: r.record_id, field: r.field, before: r.before, after: r.after, change: r.change, writer: r.writer, executionId: r.execution_id, at: r.at }));
		}
		return { records, history, next: records.length === limit ? records[records.length - 1].id : null };
	}

	async history(object: CrmObject, recordId: string, limit: number): Promise<HistoryEntry[]> {
		const rows = await this.query<{ object: CrmObject; record_id: string; field: string; before: FieldValue; after: FieldValue; change: string; writer: string; execution_id: string | null; at: Date }>(
			this.entry.pool,
			`SELECT * FROM ${this.schema}.revops_history WHERE object = $1 AND record_id = $2 ORDER BY id LIMIT $3`,
			[object, recordId, Math.max(1, Math.min(10_000, Math.floor(limit)))],
		);
		return rows.map((r) => ({ object: r.object, recordId: r.record_id, field: r.field, before: r.before, after: r.after, change: r.change, writer: r.writer, executionId: r.execution_id, at: r.at.toISOString() }));
	}

	async associate(links: readonly Association[]): Promise<number> {
		if (links.length === 0) return 0;
		const rows = await this.query(
			this.entry.pool,
			`INSERT INTO ${this.schema}.revops_association (from_object, from_id, to_object, to_id, label)
			 SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[]) ON CONFLICT DO NOTHING RETURNING from_id`,
			[links.map((l) => l.from.object), links.map((l) => l.from.id), links.map((l) => l.to.object), links.map((l) => l.to.id), links.map((l) => l.label)],
		);
		return rows.length;
	}

	/** Pools stay open for the process (n8n reuses them across executions); tests and benches end them. */
	async close(): Promise<void> {
		for (const [id, entry] of pools) {
			if (entry === this.entry) {
				pools.delete(id);
				await entry.pool.end();
			}
		}
	}
}

function columns(records: readonly StoredRecord[]): unknown[] {
	return [
		records.map((r) => r.id),
		records.map((r) => r.object),
		records.map((r) => r.key),
		records.map((r) => jsonb(r.aliases)),
		records.map((r) => jsonb(r.fields)),
		records.map((r) => jsonb(r.validated)),
		records.map((r) => r.revision),
		records.map((r) => r.duplicates),
		records.map((r) => JSON.stringify(r.writeKeys)),
		records.map((r) => r.createdAt),
		records.map((r) => r.updatedAt),
	];
}
