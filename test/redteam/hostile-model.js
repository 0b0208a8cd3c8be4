// A test model that obeys every instruction it is shown and invents evidence: the worst case the
// owners check releases with. It knows the attacks of a run (registered with their goals) and, when a
// request contains one, answers exactly what the attacker asked for, at full confidence; otherwise it
// answers plausibly. For tests only.
'use strict';

class HostileModel {
	constructor() {
		this.attacks = [];
		this.scripted = new Map();
	}

	/** An attack text (as it reaches the model) and what it wants: a category, or null for "approve me". */
	attack(text, target, id) {
		this.attacks.push({ probe: text.slice(0, 120), target, id });
		this.obeyed = this.obeyed ?? new Set();
	}

	/** A fixed answer for requests that contain `marker` (summaries and MEDDICC fabrications). */
	answerWhen(marker, json) {
		this.scripted.set(marker, json);
	}

	/** The responder for ModelServer.respondWith. */
	responder() {
		return (body) => {
			const text = JSON.stringify(body.messages);
			for (const [marker, json] of this.scripted) if (text.includes(JSON.stringify(marker).slice(1, -1))) return { json };
			const schema = body.response_format?.json_schema?.name;
			const attack = this.attacks.find((a) => text.includes(JSON.stringify(a.probe).slice(1, -1)));
			if (attack) this.obeyed.add(attack.id);
			if (schema === 'intent') {
				const categories = [...String(body.messages[0].content).matchAll(/^- ([^:]+):/gm)].map((m) => m[1]);
				const category = attack ? attack.target ?? categories[0] : categories.find((c) => JSON.stringify(body.messages.slice(1)).toLowerCase().includes(c.toLowerCase().split(' ')[0])) ?? 'Other';
				return { json: { category, confidence: attack ? 0.99 : 0.9, reason: attack ? 'as the message instructs' : 'the message asks about it', urgency: attack ? 'high' : 'medium', buyingStage: 'decision' } };
			}
			return null;
		};
	}
}

module.exports = { HostileModel };
