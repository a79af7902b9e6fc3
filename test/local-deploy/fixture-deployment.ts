import { OpenSearchSimulator, SimulatorOptions } from '../simulator';
import { CloudAssembly, customResourcesOf, selectStack } from './cloud-assembly';
import { FunctionLogLine, RequestRecord } from './deployment-records';
import { FIXTURE_STACK } from './fixture-app';
import { LocalDeployment } from './local-deployment';

const ASSOCIATION = 'Custom::OpenSearchPackageAssociation';

/** Options of {@link deployFixture}. */
export interface FixtureDeploymentOptions {
  /** Default {@link FIXTURE_STACK}. */
  readonly stack?: string;
  readonly simulator?: SimulatorOptions;
  /** Runs as soon as the stack has created its domain (before any association), e.g. to schedule faults. */
  readonly onDomain?: (simulator: OpenSearchSimulator, domain: string) => void;
}

/** A fixture stack ready to deploy against a fresh simulator, with what the tests look at. */
export interface FixtureDeployment {
  readonly simulator: OpenSearchSimulator;
  readonly deployment: LocalDeployment;
  /** The logical ids of the Synonyms and Stopwords associations ('' when the stack has none). */
  readonly synonyms: string;
  readonly stopwords: string;
  /** The domain the stack created; throws before it has. */
  domainName(): string;
  /** The domain's packages as `ID STATUS VERSION`. */
  packagesOn(domain?: string): string[];
}

/**
 * Starts a simulator holding the fixture's packages (F111111111 synonyms,
 * F222222222 stopwords, F333333333 for replacements) and prepares a local
 * deployment of a fixture stack against it, the waiter scaled x0.01.
 */
export async function deployFixture(assembly: CloudAssembly, options: FixtureDeploymentOptions = {}): Promise<FixtureDeployment> {
  const simulator = await OpenSearchSimulator.start(options.simulator);
  simulator.addPackage({ id: 'F111111111', name: 'synonyms' });
  simulator.addPackage({ id: 'F222222222', name: 'stopwords' });
  simulator.addPackage({ id: 'F333333333', name: 'synonyms-next' });
  const stack = selectStack(assembly, { stackName: options.stack ?? FIXTURE_STACK });
  let domain: string | undefined;
  const deployment = new LocalDeployment({
    simulator,
    stack,
    intervalScale: 0.01,
    observer: {
      resourceProvisioned: record => {
        if (record.resourceType !== 'AWS::OpenSearchService::Domain') return;
        domain = record.physicalId;
        options.onDomain?.(simulator, domain);
      },
    },
  });
  const associations = customResourcesOf(stack.template, ASSOCIATION);
  const [synonyms, stopwords] = ['Synonyms', 'Stopwords'].map(prefix => associations.find(id => id.startsWith(prefix)) ?? '');
  const domainName = () => {
    if (!domain) throw new Error('The stack has not created its domain');
    return domain;
  };
  const packagesOn = (name = domainName()) => simulator.domainPackages(name).map(p => `${p.PackageID} ${p.DomainPackageStatus} ${p.PackageVersion}`);
  return { simulator, deployment, synonyms, stopwords, domainName, packagesOn };
}

/** The requests as `phase Resource RequestType STATUS`, the logical ids without their hash. */
export function requestSummary(records: readonly RequestRecord[]): string[] {
  return records.map(r => `${r.phase} ${r.logicalId.replace(/[0-9A-F]{8}$/, '')} ${r.requestType} ${r.status}`);
}

/** The log lines that carry a ResponseURL of the deployment's requests, or its signature. */
export function linesWithResponseUrl(deployment: LocalDeployment): FunctionLogLine[] {
  const urls = deployment.records.map(r => r.outcome!.event.ResponseURL);
  const secrets = [...urls, ...urls.map(url => new URL(url).searchParams.get('X-Amz-Signature')!)];
  return deployment.logs.filter(line => secrets.some(secret => line.text.includes(secret)));
}
