import { OpenSearchSimulator, SimulatorOptions } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { CloudAssembly, selectStack } from './cloud-assembly';
import { FunctionLogLine, RequestRecord } from './deployment-records';
import { FIXTURE_STACK } from './fixture-app';
import { LocalDeployment } from './local-deployment';
import { ASSOCIATION_TYPE, displayName, DOMAIN_PACKAGES_TYPE, propertyOf, resourcesOfType } from './template-queries';

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
  readonly template: CfnTemplate;
  /** The logical id of the stack's set of packages for its domain ('' when it has none). */
  readonly domainPackages: string;
  /** The logical id of the association of the package with this literal ID. */
  association(packageId: string): string;
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
  const [domainPackages = ''] = resourcesOfType(stack.template, DOMAIN_PACKAGES_TYPE);
  const association = (packageId: string) => {
    const found = resourcesOfType(stack.template, ASSOCIATION_TYPE).find(id => propertyOf(stack.template, id, 'PackageID') === packageId);
    if (!found) throw new Error(`The template has no association of ${packageId}`);
    return found;
  };
  const domainName = () => {
    if (!domain) throw new Error('The stack has not created its domain');
    return domain;
  };
  const packagesOn = (name = domainName()) => simulator.domainPackages(name).map(p => `${p.PackageID} ${p.DomainPackageStatus} ${p.PackageVersion}`);
  return { simulator, deployment, template: stack.template, domainPackages, association, domainName, packagesOn };
}

/**
 * The requests as `phase Resource RequestType STATUS`, each resource by its
 * display name (`F111111111@Search`, `packages@Search`, `Synonyms`) in the
 * first of the templates that has it, in the order they ended; requests that
 * ran side by side are sorted, so that the summary does not depend on which
 * finished first.
 */
export function requestSummary(templates: readonly CfnTemplate[], records: readonly RequestRecord[]): string[] {
  const nameOf = (logicalId: string) => displayName(templates.find(t => t.Resources?.[logicalId]) ?? templates[0], logicalId);
  const requests = records.map(r => {
    const start = r.outcome?.startedAt ?? 0;
    return { line: `${r.phase} ${nameOf(r.logicalId)} ${r.requestType} ${r.status}`, start, end: start + r.elapsedMs };
  }).sort((a, b) => a.start - b.start);
  const groups: Array<{ end: number; lines: string[] }> = [];
  for (const request of requests) {
    const last = groups[groups.length - 1];
    if (last && request.start < last.end) {
      last.lines.push(request.line);
      last.end = Math.max(last.end, request.end);
    } else {
      groups.push({ end: request.end, lines: [request.line] });
    }
  }
  return groups.flatMap(group => group.lines.sort());
}

/** The log lines that carry a ResponseURL of the deployment's requests, or its signature. */
export function linesWithResponseUrl(deployment: LocalDeployment): FunctionLogLine[] {
  const urls = deployment.records.map(r => r.outcome!.event.ResponseURL);
  const secrets = [...urls, ...urls.map(url => new URL(url).searchParams.get('X-Amz-Signature')!)];
  return deployment.logs.filter(line => secrets.some(secret => line.text.includes(secret)));
}
