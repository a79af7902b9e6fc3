/**
 * Prints the simulator's time per request, two ways, each after a warm-up: N sequential ListPackagesForDomain calls
 * through the real SDK client on loopback (what a test waits), and N calls of the front door itself
 * (`handleRequest`, no HTTP, no client: what the simulator adds). A measurement to compare versions of the
 * simulator, not a test.
 *
 *   npx ts-node --transpile-only test/simulator/request-overhead.ts [N]   (default 2000)
 */
import { ListPackagesForDomainCommand } from '@aws-sdk/client-opensearch';
import { CallLog } from './call-log';
import { FaultPlan } from './faults';
import { OpenSearchSimulator } from './index';
import { localClient } from './local-client';
import { resolveOptions } from './options';
import { HttpRequest, ServiceBackend, handleRequest } from './service';
import { SimulatorState } from './state';

const DOMAIN = 'search-domain';
const WARM_UP = 200;

async function timed(label: string, calls: number, call: () => unknown): Promise<void> {
  for (let i = 0; i < WARM_UP; i++) await call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label}: ${calls} ListPackagesForDomain calls in ${ms.toFixed(0)} ms, ${((ms * 1000) / calls).toFixed(0)} µs per call`);
}

async function throughTheClient(calls: number): Promise<void> {
  const sim = await OpenSearchSimulator.start();
  const client = localClient(sim.endpoint);
  sim.addDomain(DOMAIN);
  try {
    await timed('SDK client over loopback HTTP', calls, () => client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 100 })));
  } finally {
    client.destroy();
    await sim.stop();
  }
}

async function frontDoorOnly(calls: number): Promise<void> {
  const options = resolveOptions();
  const state = new SimulatorState(options, options.region);
  state.putDomain({ name: DOMAIN, engineVersion: 'OpenSearch_2.19', processing: false, blueGreenDeployments: 0 });
  const backend: ServiceBackend = { faults: new FaultPlan(), options, authorizers: [], stacks: new Map(), stateIn: () => state };
  const request: HttpRequest = {
    method: 'GET',
    rawPath: `/2021-01-01/domain/${DOMAIN}/packages`,
    query: { maxResults: '100' },
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${options.region}/es/aws4_request, SignedHeaders=host, Signature=0` },
    rawBody: '',
  };
  const log = new CallLog();
  await timed('handleRequest alone', calls, () => {
    const reply = handleRequest(request, backend, log);
    if (reply.status !== 200) throw new Error(`unexpected reply ${reply.status}: ${reply.body}`);
  });
}

async function main(calls: number): Promise<void> {
  await throughTheClient(calls);
  await frontDoorOnly(calls);
}

void main(Number(process.argv[2] ?? 2000));
