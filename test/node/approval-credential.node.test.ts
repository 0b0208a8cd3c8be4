import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { ApprovalGate } from '../../nodes/ApprovalGate/ApprovalGate.node';

// The credential test n8n runs for "RevOps Approval API" (testedBy on the Approval Gate).
const gate = new ApprovalGate().nodeVersions[1] as unknown as { methods: { credentialTest: Record<string, (this: unknown, c: unknown) => Promise<{ status: string; message: string }>> } };
const test = (data: Record<string, unknown>) => gate.methods.credentialTest.revOpsApprovalTest.call({}, { id: '1', name: 't', type: 'revOpsApprovalApi', data });
const SECRET = 'credential-test-secret-0123';

describe('RevOps Approval API credential test', () => {
	const smtp = new SMTPServer({ secure: false, authOptional: true, disabledCommands: ['STARTTLS'], logger: false });
	let port = 0;
	beforeAll(async () => {
		await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
		port = (smtp.server.address() as net.AddressInfo).port;
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => smtp.close(() => resolve()));
	});

	it('refuses a signing secret shorter than 16 characters', async () => {
		expect(await test({ secret: 'short' })).toMatchObject({ status: 'Error', message: expect.stringContaining('16 characters') });
	});

	it('accepts a long secret without SMTP, and logs in to the SMTP server when one is set', async () => {
		expect(await test({ secret: SECRET })).toMatchObject({ status: 'OK', message: expect.stringContaining('no SMTP server') });
		expect(await test({ secret: SECRET, smtpHost: '127.0.0.1', smtpPort: port, smtpSecure: false })).toMatchObject({ status: 'OK', message: expect.stringContaining('SMTP server accepted') });
	});

	it('reports an SMTP server that cannot be reached', async () => {
		const closed = await new Promise<number>((resolve) => {
			const s = net.createServer().listen(0, '127.0.0.1', () => {
				const p = (s.address() as net.AddressInfo).port;
				s.close(() => resolve(p));
			});
		});
		expect(await test({ secret: SECRET, smtpHost: '127.0.0.1', smtpPort: closed })).toMatchObject({ status: 'Error', message: expect.stringMatching(/^SMTP: /) });
	});
});
