import type { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { CliOptions, CliStep } from './cli-options';
import { StackArtifact } from './cloud-assembly';
import { DeploymentObserver } from './deployment-records';
import { associationStatus } from './domain-report';
import { LocalDeployment } from './local-deployment';
import { ProgressLog } from './progress-log';
import { StackOperationResult, StackStatus } from './stack-lifecycle';
import { nextVersionLabel, withProperties } from './template-edits';

/** A step of the CLI's scenario. */
export type ScenarioStep = CliStep;

/** Options of a {@link LifecycleScenario}. */
export interface LifecycleScenarioOptions {
  readonly simulator: OpenSearchSimulator;
  readonly stack: StackArtifact;
  /** The logical ids of the stack's associations. */
  readonly associations: string[];
  readonly options: CliOptions;
  /** Prints a line. */
  readonly say: (line?: string) => void;
}

/**
 * The CLI's scenario: create the stack, update it (a PackageVersion bump:
 * re-association in place), update it so that an association is replaced (a
 * PackageID change), delete it; each step a new version of the template,
 * deployed with a progress log. Faults asked for on the command line are
 * armed on each domain as soon as the stack creates it.
 */
export class LifecycleScenario {
  private readonly deployment: LocalDeployment;
  private readonly domains = new Set<string>();
  private step = 0;

  public constructor(private readonly options: LifecycleScenarioOptions) {
    const { simulator, say } = options;
    const log = new ProgressLog({ write: say, verbose: options.options.verbose, statusOf: props => associationStatus(simulator, props) });
    const observer: DeploymentObserver = {
      resourceProvisioned: record => {
        log.resourceProvisioned(record);
        if (record.resourceType === 'AWS::OpenSearchService::Domain') this.domainCreated(record.physicalId);
        if (record.resourceType === 'AWS::StepFunctions::StateMachine') this.describeWaiter(record.physicalId);
      },
      requestStarted: start => log.requestStarted(start),
      requestFinished: record => {
        log.requestFinished(record);
        const domain = record.outcome?.event.ResourceProperties.DomainName;
        if (typeof domain === 'string') this.domains.add(domain);
      },
      resourceRetained: record => log.resourceRetained(record),
      stackStatus: (operation, status) => log.stackStatus(operation, status),
      functionLog: line => log.functionLog(line),
    };
    this.deployment = new LocalDeployment({ simulator, stack: options.stack, intervalScale: options.options.intervalScale, observer });
  }

  /** Every domain the scenario created or an association named. */
  public domainNames(): string[] {
    return [...this.domains];
  }

  /** The packages each domain had when the stack deleted it. */
  public get packagesAtDomainDeletion(): LocalDeployment['packagesAtDomainDeletion'] {
    return this.deployment.packagesAtDomainDeletion;
  }

  /** Runs one step; true when the stack ended in the status the step aims for. */
  public async run(step: ScenarioStep): Promise<boolean> {
    const current = this.deployment.deployedTemplate;
    if (step !== 'create' && step !== 'delete' && !current) {
      this.header(`${step}: skipped, the stack does not exist`);
      return false;
    }
    switch (step) {
      case 'create':
        this.header('create: deploy the synthesised template');
        return this.expect(await this.deployment.deploy(this.options.stack.template), 'CREATE_COMPLETE');
      case 'update': return this.update(current!);
      case 'replace': return this.replace(current!);
      case 'delete':
        this.header('delete: delete the stack');
        return this.expect(await this.deployment.destroy(), 'DELETE_COMPLETE');
    }
  }

  private async update(current: CfnTemplate): Promise<boolean> {
    const { associations, simulator } = this.options;
    const target = associations.find(id => typeof current.Resources?.[id]?.Properties?.PackageVersion === 'string') ?? associations[0];
    const props = current.Resources![target].Properties ?? {};
    const label = nextVersionLabel(props.PackageVersion as string | undefined);
    if (typeof props.PackageID === 'string') simulator.setPackageVersion(props.PackageID, label);
    this.header(`update: ${target} PackageVersion ${String(props.PackageVersion ?? '(none)')} -> ${label} `
      + `(re-association in place; the package's available version is now ${label})`);
    return this.expect(await this.deployment.deploy(withProperties(current, target, { PackageVersion: label })), 'UPDATE_COMPLETE');
  }

  private async replace(current: CfnTemplate): Promise<boolean> {
    const { associations, options } = this.options;
    const target = associations.find(id => current.Resources?.[id]?.UpdateReplacePolicy !== 'Retain') ?? associations[0];
    const oldId = String(current.Resources![target].Properties?.PackageID);
    const retained = current.Resources![target].UpdateReplacePolicy === 'Retain' ? ' is retained (UpdateReplacePolicy)' : ' is deleted in the cleanup phase';
    this.header(`update that replaces: ${target} PackageID ${oldId} -> ${options.replacementPackageId} (new physical id; the old association${retained})`);
    return this.expect(await this.deployment.deploy(withProperties(current, target, { PackageID: options.replacementPackageId })), 'UPDATE_COMPLETE');
  }

  private header(text: string): void {
    this.options.say();
    this.options.say(`== ${++this.step}. ${text}`);
  }

  private expect(result: StackOperationResult, expected: StackStatus): boolean {
    const outputs = Object.entries(this.deployment.outputs()).map(([name, value]) => `${name} = ${value}`);
    if (outputs.length > 0 && result.status === expected) this.options.say(`  outputs: ${outputs.join(', ')}`);
    if (result.status !== expected) this.options.say(`  expected ${expected}, got ${result.status}`);
    return result.status === expected;
  }

  /** Arms the faults asked for on the command line on a domain the stack just created. */
  private domainCreated(domain: string): void {
    const { simulator, options } = this.options;
    this.domains.add(domain);
    for (const packageId of options.failAssociation) {
      simulator.failNextAssociation(domain, packageId, { ErrorType: 'ValidationFailure', ErrorMessage: `Package ${packageId} failed validation on ${domain} (--fail-association)` });
    }
    for (const packageId of options.failDissociation) {
      simulator.failNextDissociation(domain, packageId, { ErrorType: 'DissociationFailure', ErrorMessage: `Package ${packageId} could not be removed from ${domain} (--fail-dissociation)` });
    }
    for (const packageId of options.inUse) simulator.markPackageInUse(domain, packageId);
  }

  private describeWaiter(stateMachineArn: string): void {
    for (const schedule of this.deployment.waiterSchedules().filter(s => s.stateMachineArn === stateMachineArn)) {
      this.options.say(`  waiter: isComplete every ${schedule.intervalSeconds} s, up to ${schedule.maxAttempts} retries (backoff x${schedule.backoffRate}) as synthesised; `
        + `scaled x${this.deployment.intervalScale}: every ${schedule.localIntervalMs} ms here`);
    }
  }
}
