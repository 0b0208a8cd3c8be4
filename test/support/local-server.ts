import type http from 'node:http';

/** A test's stand-in server on a free port of 127.0.0.1: its base URL. */
export async function listenLocal(server: http.Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Closes it at once, open keep-alive connections included. */
export async function closeLocal(server: http.Server): Promise<void> {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
}
