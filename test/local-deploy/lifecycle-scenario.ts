import type { OpenSearchSimulator } from '../simulator';
import { CfnTemplate } from './cfn-template';
import { CliOptions, CliStep } from './cli-options';
import { StackArtifact } from './cloud-assembly';
import { DeploymentObserver } from './deployment-records';
import { resourceStatus } from './domain-report';
import { LocalDeployment } from './local-deployment';
import { ProgressLog } from './progress-log';
import { nothingToPlan, planRemoval, planSourceChange, planVersionBump, PlannedUpdate } from './scenario-plans';
import { deletionOrderReport, sourceChangeReport } from './scenario-reports';
import { StackOperationResult, StackStatus } from './stack-lifecycle';
import { displayName } from './template-queries';

/** A step of the CLI's scenario. */
export type ScenarioStep = CliStep;

/** Options of a {@link LifecycleScenario}. */
export interface LifecycleScenarioOptions {
  readonly simulator: OpenSearchSimulator;
  readonly stack: StackArtifact;
  readonly options: CliOptions;
  /** Prints a line. */
  readonly say: (line?: string) => void;
}

/**
 * The CLI's scenario, each step a new version of the template deployed with
 * a progress log: create the stack; update it with a source change of a
 * CustomPackage (UpdatePackage, then the domains that hold the package get
 * the new version in the same deployment), or, in an app without one, a
 * version label bump; update it so that an association leaves the app;
 * delete it. Faults asked for on the command line are
 * armed on each domain as soon as the stack creates it.
 */
export class LifecycleScenario {
  private readonly deployment: LocalDeployment;
  private readonly domains = new Set<string>();
  private readonly nameOf: (logicalId: string) => string;
  private step = 0;
  private lastOutputs = '';

  public constructor(private readonly options: LifecycleScenarioOptions) {
    const { simulator, say, stack } = options;
    this.nameOf = logicalId => displayName(stack.template, logicalId);
    const log = new ProgressLog({
      write: say,
      verbose: options.options.verbose,
      statusOf: resource => resourceStatus(simulator, resource),
      nameOf: this.nameOf,
    });
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
      stackStatus: (operation, status, elapsedMs) => log.stackStatus(operation, status, elapsedMs),
      functionLog: line => log.functionLog(line),
    };
    this.deployment = new LocalDeployment({ simulator, stack, intervalScale: options.options.intervalScale, observer });
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
      case 'remove': return this.remove(current!);
      case 'delete': return this.destroy();
    }
  }

  /** The source change (or, without a CustomPackage, a version bump), with a report of what followed. */
  private async update(current: CfnTemplate): Promise<boolean> {
    const plan = planSourceChange(current, this.nameOf) ?? planVersionBump(current, this.nameOf);
    if (!plan) return this.skip(nothingToPlan(current, 'update'));
    const before = this.deployment.resources.get(plan.target);
    const result = await this.deployPlan(plan);
    if (plan.kind === 'source change') {
      const sources = { simulator: this.options.simulator, resources: this.deployment.resources, nameOf: this.nameOf };
      sourceChangeReport(plan, before, result, sources).forEach(line => this.options.say(line));
    }
    return this.expect(result, 'UPDATE_COMPLETE');
  }

  private async remove(current: CfnTemplate): Promise<boolean> {
    const plan = planRemoval(current, this.nameOf);
    if (!plan) return this.skip(nothingToPlan(current, 'remove'));
    return this.expect(await this.deployPlan(plan), 'UPDATE_COMPLETE');
  }

  private async destroy(): Promise<boolean> {
    const template = this.deployment.deployedTemplate;
    this.header('delete: delete the stack (each resource after those that refer to it, so associations before their packages)');
    const result = await this.deployment.destroy();
    if (template) deletionOrderReport(template, result, this.nameOf, this.options.simulator).forEach(line => this.options.say(line));
    return this.expect(result, 'DELETE_COMPLETE');
  }

  private async deployPlan(plan: PlannedUpdate): Promise<StackOperationResult> {
    this.header(plan.title);
    plan.details.forEach(line => this.options.say(`  ${line}`));
    plan.prepare?.(this.options.simulator);
    return this.deployment.deploy(plan.template);
  }

  private skip(text: string): boolean {
    this.header(text);
    return true;
  }

  private header(text: string): void {
    this.options.say();
    this.options.say(`== ${++this.step}. ${text}`);
  }

  private expect(result: StackOperationResult, expected: StackStatus): boolean {
    const outputs = Object.entries(this.deployment.outputs()).map(([name, value]) => `${name} = ${value}`).join(', ');
    if (outputs && result.status === expected) this.options.say(`  outputs: ${outputs === this.lastOutputs ? '(unchanged)' : outputs}`);
    this.lastOutputs = outputs;
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
      const scale = this.deployment.intervalScale;
      const wait = typeof schedule.waitBeforeSeconds === 'number'
        ? `${schedule.waitBeforeSeconds} s` : `the seconds onEvent returns at ${schedule.waitBeforeSeconds}`;
      this.options.say(`  waiter: isComplete after ${wait}, then every ${schedule.intervalSeconds} s, up to ${schedule.maxAttempts} retries`
        + ` (backoff x${schedule.backoffRate}) as synthesised; scaled x${scale}: every ${schedule.localIntervalMs} ms here`);
    }
  }
}
