import { userByName } from '../../../../../harness/engine';
import { useSimulator } from '../../../../../support/simulator';
import { offboardRuns } from './support';

describe('User → Offboard', () => {
	const sim = useSimulator();
	const { run } = offboardRuns(sim);

	// Commvault answers a second offboard exactly as the first ("Successfully offboarded user <id>"), so the
	// item must not claim that the second one removed anything.
	it('a second Offboard of the same leaver claims no removal: Commvault\'s reply does not tell', async () => {
		const first = await run(userByName('jdoe'));
		expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
		const second = await run(userByName('jdoe'));

		expect(second.error).toBeUndefined();
		expect(second.output[0].json.raw).toEqual(first.output[0].json.raw);
		const message = String(second.output[0].json.message);
		expect(message).not.toMatch(/removed them|disabled their backup/);
		expect(message).toContain('Its reply does not say whether anything was left to remove (after an earlier offboard, nothing is).');
		expect(sim.state.subclientsOwnedBy(1301)).toEqual([]);
	});
});
