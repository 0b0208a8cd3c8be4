import { setTimeout as delay } from 'node:timers/promises';

/**
 * Caps model calls per node run: at most `concurrency` at once and, optionally, `requestsPerMinute`
 * started in any sliding minute (provider quotas are per minute).
 */
export class RequestLimiter {
	private active = 0;
	private readonly waiting: Array<() => void> = [];
	private readonly startedAt: number[] = [];

	constructor(
		private readonly concurrency: number,
		private readonly requestsPerMinute = 0,
		private readonly now: () => number = Date.now,
		private readonly sleep: (ms: number) => Promise<void> = (ms) => delay(ms),
	) {
		if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.active++;
		try {
			await this.waitForRateWindow();
			return await task();
		} finally {
			this.active--;
			this.waiting.shift()?.();
		}
	}

	private async waitForRateWindow(): Promise<void> {
		if (!this.requestsPerMinute) return;
		for (;;) {
			const t = this.now();
			while (this.startedAt.length && t - this.startedAt[0] >= 60_000) this.startedAt.shift();
			if (this.startedAt.length < this.requestsPerMinute) {
				this.startedAt.push(t);
				return;
			}
			await this.sleep(60_000 - (t - this.startedAt[0]) + 1);
		}
	}
}
