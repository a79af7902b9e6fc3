import { AssociatePackageCommand, ListPackagesForDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { LagSample, sampleFromCalls } from './lag-sample';
import { PollPolicy } from './poll-policies';
import { scaledMs, sleepScaled } from './time-scale';
import { OpenSearchSimulator } from '../test/simulator';
import { localClient } from '../test/simulator/local-client';

const DOMAIN = 'bench-replay';
const PACKAGE_ID = 'F100000001';

/** The package's status on the domain, from one ListPackagesForDomain call (the one page there is). */
async function statusOnDomain(client: OpenSearchClient): Promise<string | undefined> {
  const page = await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN }));
  return page.DomainPackageDetailsList?.find(entry => entry.PackageID === PACKAGE_ID)?.DomainPackageStatus;
}

/**
 * Replays another tool's policy on the same timeline as the library's run:
 * a fresh simulator whose associations take `durationSeconds` (scaled), the
 * real @aws-sdk/client-opensearch client pointed at it (test/simulator's
 * localClient: one attempt per call), AssociatePackage,
 * then ListPackagesForDomain on the policy's schedule (scaled) until ACTIVE,
 * then the policy's finishing List calls. Success is when the last of them returned.
 */
export async function replayPolicy(policy: PollPolicy, durationSeconds: number): Promise<LagSample> {
  const simulator = await OpenSearchSimulator.start({ associationDuration: { ms: scaledMs(durationSeconds) } });
  const client = localClient(simulator.endpoint);
  try {
    simulator.addDomain(DOMAIN);
    simulator.addPackage({ id: PACKAGE_ID, name: 'dictionary-1' });
    await client.send(new AssociatePackageCommand({ DomainName: DOMAIN, PackageID: PACKAGE_ID }));
    await sleepScaled(policy.delaySeconds);
    const waits = policy.waits();
    for (;;) {
      const status = await statusOnDomain(client);
      if (status === 'ACTIVE') break;
      if (status !== 'ASSOCIATING') throw new Error(`${policy.name}: unexpected status ${String(status)}`);
      await sleepScaled(waits.next().value as number);
    }
    for (let i = 0; i < policy.listsAfterActive; i++) await statusOnDomain(client);
    return sampleFromCalls(simulator.calls, durationSeconds, Date.now());
  } finally {
    client.destroy();
    await simulator.stop();
  }
}
