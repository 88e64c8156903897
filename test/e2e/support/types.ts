import type { newInstance, startSimulator } from './e2e';

/** The n8n instance and the simulator process every e2e suite works with. */
export type Instance = Awaited<ReturnType<typeof newInstance>>;
export type Simulator = Awaited<ReturnType<typeof startSimulator>>;
