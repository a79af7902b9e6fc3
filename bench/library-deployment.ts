import { addPackages, AssociationStack } from './association-app';
import { LagSample, sampleFromCalls } from './lag-sample';
import { scaledMs, TIME_SCALE } from './time-scale';
import { LocalDeployment } from '../test/local-deploy/local-deployment';
import { OpenSearchSimulator } from '../test/simulator';

/**
 * The library's policy, measured for real: a fresh simulator whose
 * associations take `durationSeconds` (scaled), and a local deployment of
 * the one-association stack through the deploy harness (the real Provider
 * framework runtime, its waiter state machine with the 6 s wait and 7 s interval scaled
 * by the harness's `intervalScale`, and the bundled handler). Success is the
 * end of the association's Create in the harness's per-resource timings.
 */
export async function measureLibrary(app: AssociationStack, durationSeconds: number): Promise<LagSample> {
  if (app.packageIds.length !== 1) throw new Error('measureLibrary needs a stack with exactly one association');
  const simulator = await OpenSearchSimulator.start({ associationDuration: { ms: scaledMs(durationSeconds) } });
  try {
    addPackages(simulator, app);
    const deployment = new LocalDeployment({ simulator, stack: app.stack, intervalScale: TIME_SCALE });
    const result = await deployment.deploy();
    if (result.status !== 'CREATE_COMPLETE') {
      throw new Error(`Deployment for D=${durationSeconds}s ended ${result.status}: ${result.failures.map(f => f.reason).join('; ')}`);
    }
    const timing = result.timings.find(t => t.logicalId === app.domainPackages && t.action === 'Create');
    if (!timing?.ok) throw new Error(`No successful Create timing for ${app.domainPackages}`);
    return sampleFromCalls(simulator.calls, durationSeconds, timing.endedAt);
  } finally {
    await simulator.stop();
  }
}
