import { ExecutionPlan } from '../state/executionPlan';
import { executionPlans } from '../state/stores';

export { planKeys } from '../state/executionPlan';

/** The plan of the execution `context` belongs to (the `this` of the router and every operation). */
export function planOf(context: object): ExecutionPlan {
	let plan = executionPlans.get(context);
	if (!plan) {
		plan = new ExecutionPlan();
		executionPlans.set(context, plan);
	}
	return plan;
}
