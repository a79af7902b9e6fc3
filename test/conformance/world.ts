import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AppVersion, AssociationSpec, AWS_PACKAGE_ENGINE_VERSIONS, DOMAIN_ENGINE_VERSION, DomainKey, domainName, domainRegion, DOMAINS, EMPTY_VERSION, FAR_REGION,
  IMPORTED_PACKAGES, PackageSpec, REGION, synthesize, synthesizeExports, Target, targetPackageId, TRIPWIRE,
} from './app-spec';
import { sameTarget } from './edits';
import { Fault, StepFaults, Storm, StormPhase } from './faults';
import { associationFailureMessage, deletionFailureMessage, INJECTED_ERROR_TYPE, inUseMessage, LATER_FAILURE, validationFailureMessage } from './injected-errors';
import { Ledger, placement, Placement, placementParts, placementsOf, StackInstance } from './ledger';
import { OutOfBandChanges } from './out-of-band';
import { RETRY_TIMEOUT } from '../../lib/check-schedule';
import { FIRST_CHECK_DELAY_SECONDS } from '../../lib/check-timing';
import { CfnTemplate } from '../local-deploy/cfn-template';
import { StackArtifact } from '../local-deploy/cloud-assembly';
import { DeploymentObserver, DeploymentPhase, FunctionLogLine } from '../local-deploy/deployment-records';
import { LocalDeployment } from '../local-deploy/local-deployment';
import { StackExports } from '../local-deploy/stack-exports';
import { StackOperationResult } from '../local-deploy/stack-lifecycle';
import { ConsumedFault, OpenSearchSimulator, OperationDurations, RecordedCall, SimulatorOptions } from '../simulator';
import { awsProvidedPackages } from '../simulator/aws-provided-packages';

export const STACKS = ['StackA', 'StackB'] as const;
export type StackName = typeof STACKS[number];

/** A stack as deployed: its version, its template, and its packages' IDs by construct id. */
export interface DeployedStack {
  readonly version: AppVersion;
  readonly template: CfnTemplate;
  readonly packageIds: ReadonlyMap<string, string>;
}

/** What one stack operation did, and what the oracle needs to judge it. */
export interface StepOutcome {
  readonly stack: StackName;
  readonly result: StackOperationResult;
  /** Whether the stack now holds the new version (or, for a deletion, is gone). */
  readonly applied: boolean;
  /** The scheduled faults requests took during the step (of every stack, for steps that run at once). */
  readonly consumed: readonly ConsumedFault[];
  /** The service calls made during the step (of every stack, for steps that run at once). */
  readonly calls: readonly RecordedCall[];
  /** Association and dissociation calls the service accepted in the forward phase while it was slow. */
  readonly slowed: { readonly associations: number; readonly dissociations: number };
  /** The lines the stack's functions logged during the step. */
  readonly logs: readonly FunctionLogLine[];
  /** The placements on the domains before the step. */
  readonly onDomainBefore: ReadonlySet<Placement>;
}

/** The domain that refuses AssociatePackages and DissociatePackages in a world that has one (issue 19). */
export const BATCH_REFUSING_DOMAIN: DomainKey = 'beta-domain';

/** Options of a {@link ConformanceWorld}. */
export interface WorldOptions extends SimulatorOptions {
  /** Whether {@link BATCH_REFUSING_DOMAIN} refuses AssociatePackages and DissociatePackages as unsupported. */
  readonly refuseBatchCalls?: boolean;
}

/**
 * The time scale of the Provider framework's waiter and of Lambda's retries here: 7 s between checks become 7 ms,
 * and the waiter gives up after about 3.6 s of its schedule. The handler's deadline is real time: a `timeout` under
 * {@link MAX_SLOW_TIMEOUT_SECONDS} keeps it before the waiter's, so that the handler, not the framework, answers.
 */
export const INTERVAL_SCALE = 0.001;
/** The longest association timeout a slow step sets (seconds, real time). */
export const MAX_SLOW_TIMEOUT_SECONDS = 2;
/** How many times its timeout a slow operation lasts: more than twice, so that what is still in flight when the rollback starts outlasts a budget the size of the timeout. */
export const SLOWNESS = 2.5;
/** How long operations last when the service works at its usual pace: a check or two. */
const USUAL_DURATIONS: OperationDurations = { associationDuration: { polls: 1 }, dissociationDuration: { polls: 1 }, blueGreenDuration: { polls: 2 } };

/** The waiter gives up after its schedule's hour of checks, scaled: a handler's deadline of a slow step must come first (I9). */
const WAITER_BUDGET_MS = (FIRST_CHECK_DELAY_SECONDS + RETRY_TIMEOUT.toSeconds()) * 1000 * INTERVAL_SCALE;
if (MAX_SLOW_TIMEOUT_SECONDS * 1000 >= WAITER_BUDGET_MS) {
  throw new Error(`A slow step's timeout of ${MAX_SLOW_TIMEOUT_SECONDS} s would not come before the waiter gives up (${WAITER_BUDGET_MS} ms at scale ${INTERVAL_SCALE})`);
}

/** The calls that start an association, which a slow service makes slower than the association's `timeout`. */
const ASSOCIATIONS: ReadonlySet<string> = new Set(['AssociatePackage', 'AssociatePackages']);
/** The calls that start a dissociation, slow too, but waited for with a budget of their own (the `timeout` prop's docs). */
const DISSOCIATIONS: ReadonlySet<string> = new Set(['DissociatePackage', 'DissociatePackages']);

/**
 * The world the conformance suite deploys into: one simulator with two
 * Regions (three domains, two of one name; dictionaries made outside the
 * stacks; plugins AWS provides for two engine versions), a stack that
 * exports the domains' ARNs, and two stacks, each a local deployment
 * through the real Provider framework and the bundled handler, with what
 * each holds now.
 */
export class ConformanceWorld {
  public static async create(options: WorldOptions = {}): Promise<ConformanceWorld> {
    const { refuseBatchCalls, ...simulatorOptions } = options;
    const simulator = await OpenSearchSimulator.start({ ...USUAL_DURATIONS, packageProcessingDuration: { polls: 1 }, ...simulatorOptions });
    for (const region of [REGION, FAR_REGION]) {
      IMPORTED_PACKAGES.forEach((id, i) => simulator.addPackage({ id, name: `shared-dictionary-${i + 1}`, region }));
      AWS_PACKAGE_ENGINE_VERSIONS.flatMap(awsProvidedPackages).forEach(pkg => simulator.addPackage({ ...pkg, region }));
    }
    for (const key of DOMAINS) {
      const refuses = refuseBatchCalls === true && key === BATCH_REFUSING_DOMAIN;
      simulator.addDomain(domainName(key), { engineVersion: DOMAIN_ENGINE_VERSION, region: domainRegion(key), refuseBatchCalls: refuses });
    }
    const world = new ConformanceWorld(simulator, fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-')), refuseBatchCalls === true);
    await world.deployExports();
    return world;
  }

  /** What each stack holds now (undefined while it does not exist). */
  public readonly deployed = new Map<StackName, DeployedStack>();
  /** What was changed by hand. */
  public readonly outOfBand = new OutOfBandChanges();
  /** What must, and what may, be on the domains and in the Region besides what the stacks declare. */
  public readonly ledger = new Ledger(this.outOfBand.deletedPackages);
  /** Every stack operation so far, in order. */
  public readonly history: StepOutcome[] = [];
  private readonly deployments = new Map<StackName, LocalDeployment>();
  private readonly generations = new Map<StackName, number>();
  private readonly exports = new StackExports();
  /** What to do when a stack's operation enters a phase, during the current step. */
  private readonly phaseHooks = new Map<StackName, (phase: DeploymentPhase) => void>();
  private synths = 0;

  private constructor(
    public readonly simulator: OpenSearchSimulator,
    private readonly outdir: string,
    /** Whether {@link BATCH_REFUSING_DOMAIN} refuses the batch calls. */
    public readonly refusesBatchCalls: boolean,
  ) {}

  /** The stack as one lifetime of it (a stack deleted, or whose creation rolled back, comes back as another). */
  public instanceOf(stack: StackName): StackInstance {
    return `${stack}#${this.generations.get(stack) ?? 0}`;
  }

  /** Deploys the version of the stack with the faults armed; the ledger follows what CloudFormation kept or removed. */
  public async deploy(stack: StackName, version: AppVersion, faults: StepFaults = {}): Promise<StepOutcome> {
    const [outcome] = await this.deployTogether([{ stack, version, faults }]);
    return outcome;
  }

  /**
   * Deploys versions of several stacks at the same time (each operation
   * started before any is awaited), with their faults armed; records the
   * outcomes in the order given.
   */
  public async deployTogether(steps: ReadonlyArray<{ stack: StackName; version: AppVersion; faults?: StepFaults }>): Promise<StepOutcome[]> {
    const prepared = steps.map(step => {
      const artifact = this.synthesize(step.stack, step.version);
      return { ...step, artifact, deployment: this.deploymentFor(step.stack, artifact), before: this.deployed.get(step.stack) };
    });
    const outcomes = await this.run(prepared.map(({ stack, deployment, before, version, faults }) => ({
      stack, deployment, faults: faults ?? {}, armed: { version, before },
    })), ({ deployment, stack }) => {
      const { artifact } = prepared.find(p => p.stack === stack)!;
      return deployment.deployArtifact({ ...artifact, template: this.exports.resolveImports(artifact.template) });
    });
    const attempts: Array<readonly [StepOutcome, DeployedStack]> = [];
    for (const [i, { stack, version, artifact, deployment, before }] of prepared.entries()) {
      const outcome = outcomes[i];
      const attempted: DeployedStack = { version, template: artifact.template, packageIds: this.packageIdsOf(deployment, artifact.template, outcome.result) };
      attempts.push([outcome, attempted]);
      if (outcome.applied) {
        this.ledger.replaced(this.instanceOf(stack), before, attempted, outcome.result, outcome.onDomainBefore, where => this.declaredBy(where, stack));
        this.deployed.set(stack, attempted);
      } else {
        this.ledger.abandoned(before, attempted, outcome.onDomainBefore);
        this.noteUnrestorable(before, outcome.onDomainBefore);
        if (before) this.deployed.set(stack, { ...before, packageIds: this.packageIdsOf(deployment, before.template) });
        else this.startOver(stack);
      }
      this.afterStep(outcome, steps[i].faults?.fault);
    }
    this.noteTakenAtOnce(attempts);
    return outcomes;
  }

  /** What a rolled-back update took off a domain and cannot put back: its package's last processing failed. */
  private noteUnrestorable(before: DeployedStack | undefined, onDomainBefore: ReadonlySet<Placement>): void {
    const failed = new Set(this.simulator.packages().filter(p => p.PackageStatus === 'COPY_FAILED' || p.PackageStatus === 'VALIDATION_FAILED').map(p => p.PackageID));
    const now = this.placementsOnDomains();
    for (const where of placementsOf(before).keys()) {
      if (onDomainBefore.has(where) && !now.has(where) && failed.has(placementParts(where)[1])) this.ledger.unrestorable.add(where);
    }
  }

  /** Deletes the stack, with the faults armed. */
  public async destroy(stack: StackName, faults: StepFaults = {}): Promise<StepOutcome> {
    const deployment = this.deployments.get(stack)!;
    const before = this.deployed.get(stack);
    const [outcome] = await this.run([{ stack, deployment, faults, armed: { version: EMPTY_VERSION, before } }], () => deployment.destroy());
    if (outcome.applied) {
      this.ledger.replaced(this.instanceOf(stack), before, undefined, outcome.result, outcome.onDomainBefore, where => this.declaredBy(where, stack));
      this.deployed.delete(stack);
      this.startOver(stack);
    }
    this.afterStep(outcome, faults.fault);
    return outcome;
  }

  /** Associates a package with a domain by hand, outside any stack. */
  public associateByHand(domain: DomainKey, packageId: string): void {
    this.simulator.associate(domainName(domain), packageId, 'ACTIVE', undefined, { region: domainRegion(domain) });
    this.ledger.outOfBand(domain, packageId);
  }

  /** Takes a package off a domain by hand, and with it (as the service does) what names it as a prerequisite there. */
  public dissociateByHand(domain: DomainKey, packageId: string): void {
    const leaving = this.onDomain(domain).filter(e => e.PackageID === packageId || (e.PrerequisitePackageIDList ?? []).includes(packageId));
    this.simulator.dissociate(domainName(domain), packageId, { region: domainRegion(domain) });
    leaving.forEach(e => this.forgetPlacement(placement(domain, e.PackageID!)));
  }

  /** Deletes a domain by hand: it and everything on it are gone for good. */
  public deleteDomainByHand(domain: DomainKey): void {
    this.simulator.removeDomain(domainName(domain), { region: domainRegion(domain) });
    this.outOfBand.deletedDomains.add(domain);
    for (const where of [...this.ledger.kept.keys(), ...this.ledger.tolerated]) if (placementParts(where)[0] === domain) this.ledger.forget(where);
  }

  /** Deletes a package of the stacks' Region by hand (dissociated from every domain first, as the service requires). */
  public deletePackageByHand(packageId: string): void {
    const name = this.simulator.packages().find(p => p.PackageID === packageId)?.PackageName;
    for (const key of DOMAINS) {
      if (domainRegion(key) !== REGION || this.outOfBand.deletedDomains.has(key)) continue;
      if (this.simulator.domainPackages(domainName(key)).some(e => e.PackageID === packageId)) this.dissociateByHand(key, packageId);
    }
    this.simulator.deletePackage(packageId);
    this.outOfBand.deletedPackages.add(packageId);
    if (name) this.ledger.forgetPackage(name);
  }

  /**
   * Upgrades a domain's engine by hand (see OpenSearchSimulator.upgradeDomain): each plugin on it is swapped for the
   * package of its name built for the new version, and what must or may stay on the domain follows the swap.
   */
  public upgradeDomainByHand(domain: DomainKey, engineVersion: string): void {
    const where = { region: domainRegion(domain) };
    const before = this.onDomain(domain).map(e => e.PackageID!);
    this.simulator.upgradeDomain(domainName(domain), engineVersion, where);
    const after = new Set(this.onDomain(domain).map(e => e.PackageID!));
    const packages = this.simulator.packages(where);
    for (const id of before.filter(old => !after.has(old))) {
      const name = packages.find(p => p.PackageID === id)?.PackageName;
      const successor = packages.find(p => p.PackageName === name && p.EngineVersion === engineVersion && after.has(p.PackageID!))?.PackageID;
      if (successor) this.ledger.moved(placement(domain, id), placement(domain, successor));
    }
  }

  /** Gives a package of the stacks' Region a new version by hand, from a file no stack has. */
  public updatePackageByHand(packageId: string): void {
    this.simulator.updatePackage(packageId, { S3BucketName: 'by-hand', S3Key: `edited-by-hand/${packageId}-${Date.now()}.txt` }, 'Edited by hand');
    this.outOfBand.edited.add(packageId);
  }

  /** The package ID a target names in a deployed stack (undefined for a CustomPackage not created). */
  public resolve(stack: DeployedStack, target: Target): string | undefined {
    return targetPackageId(target, stack.packageIds);
  }

  /** The entries on a domain now, or none for a domain deleted by hand. */
  public onDomain(domain: DomainKey): ReturnType<OpenSearchSimulator['domainPackages']> {
    return this.outOfBand.deletedDomains.has(domain) ? [] : this.simulator.domainPackages(domainName(domain), { region: domainRegion(domain) });
  }

  /** Every placement on the domains now. */
  public placementsOnDomains(): Set<Placement> {
    return new Set(DOMAINS.flatMap(domain => this.onDomain(domain).map(e => placement(domain, e.PackageID!))));
  }

  /** Whether a stack other than `except` declares the placement. */
  public declaredBy(where: Placement, except: StackName): boolean {
    return [...this.deployed].some(([name, stack]) => name !== except && placementsOf(stack).has(where));
  }

  /** The stack's local deployment (it exists once the stack was first deployed). */
  public deployment(stack: StackName): LocalDeployment | undefined {
    return this.deployments.get(stack);
  }

  /** The version the stack holds, or the empty one. */
  public versionOf(stack: StackName): AppVersion {
    return this.deployed.get(stack)?.version ?? EMPTY_VERSION;
  }

  public async close(): Promise<void> {
    await this.simulator.stop();
    fs.rmSync(this.outdir, { recursive: true, force: true });
  }

  /**
   * Runs stack operations at once, each with its faults armed (storms when
   * their phase begins); then drops whatever no request took, so that a
   * fault that found nothing to fail cannot fail a later step.
   */
  private async run(
    operations: ReadonlyArray<{ stack: StackName; deployment: LocalDeployment; faults: StepFaults; armed: Armed }>,
    start: (operation: { stack: StackName; deployment: LocalDeployment }) => Promise<StackOperationResult>,
  ): Promise<StepOutcome[]> {
    const onDomainBefore = this.placementsOnDomains();
    const firstCall = this.simulator.calls.length;
    const firstConsumed = this.simulator.consumedFaults.length;
    const slowCalls = { from: -1, to: -1 };
    const disarms: Array<() => void> = [];
    const alone = operations.length === 1;
    for (const { stack, deployment, faults, armed } of operations) {
      const fault = faults.fault ?? { kind: 'none' };
      disarms.push(this.arm(fault, deployment, armed));
      if (fault.kind === 'slow service') {
        this.simulator.setOperationDurations(slowDurations(fault.timeoutSeconds));
        slowCalls.from = this.simulator.calls.length;
      }
      const entered = new Set<DeploymentPhase>();
      this.phaseHooks.set(stack, phase => {
        if (entered.has(phase)) return;
        entered.add(phase);
        if ((phase === 'rollback' || phase === 'cleanup') && slowCalls.from >= 0 && slowCalls.to < 0) {
          this.simulator.setOperationDurations(USUAL_DURATIONS);
          slowCalls.to = this.simulator.calls.length;
        }
        if (alone && (phase === 'rollback' || phase === 'cleanup')) {
          // The faults are armed for the forward phase: a rollback or cleanup meets only what is armed for it. The
          // Provider framework may still fail to start a waiter in the cleanup phase, the README's case.
          this.simulator.clearScheduledFaults();
          if (phase === 'rollback') deployment.clearScheduledFailures();
          if (fault.kind === 'deletion fails transiently') this.arm(fault, deployment, armed);
        }
        const storm = faults.storm;
        if (storm && stormPhaseOf(phase) === storm.phase) this.injectStorm(storm);
        if (faults.byHand && stormPhaseOf(phase) === faults.byHand.phase) faults.byHand.change();
      });
      if (faults.storm?.phase === 'forward') this.injectStorm(faults.storm);
    }
    const firstLog = operations.map(({ deployment }) => deployment.logs.length);
    const results = await Promise.all(operations.map(operation => start(operation)));
    disarms.forEach(disarm => disarm());
    operations.forEach(({ stack }) => this.phaseHooks.delete(stack));
    if (slowCalls.from >= 0) {
      this.simulator.setOperationDurations(USUAL_DURATIONS);
      if (slowCalls.to < 0) slowCalls.to = this.simulator.calls.length;
    }
    this.simulator.clearScheduledFaults();
    operations.forEach(({ deployment }) => deployment.clearScheduledFailures());
    const calls = this.simulator.calls.slice(firstCall);
    const accepted = (operations: ReadonlySet<string>) => this.simulator.calls.slice(slowCalls.from, Math.max(slowCalls.from, slowCalls.to))
      .filter(call => operations.has(call.operation) && call.status === 200).length;
    const slowed = { associations: accepted(ASSOCIATIONS), dissociations: accepted(DISSOCIATIONS) };
    return operations.map(({ stack, deployment }, i) => {
      const result = results[i];
      const applied = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE'].includes(result.status);
      return {
        stack, result, applied, calls, slowed, onDomainBefore,
        consumed: this.simulator.consumedFaults.slice(firstConsumed),
        logs: deployment.logs.slice(firstLog[i]),
      };
    });
  }

  /**
   * Associations new to the domain that a stack deployed while another stack
   * deployed them too: when both operations' requests reached the domain
   * before either association was there, the race the service cannot
   * arbitrate (the README's "what remains possible"), each believes it made
   * the association, and the other may take it off the domain, in its
   * rollback or later.
   */
  private noteTakenAtOnce(attempts: ReadonlyArray<readonly [StepOutcome, DeployedStack]>): void {
    // adoptExisting adopts only what is on the domain already: absent before, each stack's record says the stack made it.
    const created = attempts.map(([outcome, attempted]) => ({
      applied: outcome.applied,
      placements: [...placementsOf(attempted)].filter(([where]) => !outcome.onDomainBefore.has(where)).map(([where]) => where),
    }));
    for (const [i, { applied, placements }] of created.entries()) {
      if (!applied) continue;
      for (const where of placements) if (created.some((other, j) => j !== i && other.placements.includes(where))) this.ledger.takenAtOnce(where);
    }
  }

  /** Records the step, and what an injected fault kept on the domains. */
  private afterStep(outcome: StepOutcome, fault: Fault | undefined): void {
    this.history.push(outcome);
    if (fault?.kind === 'in use') {
      for (const taken of outcome.consumed) {
        if (taken.kind !== 'in use') continue;
        const domain = DOMAINS.find(key => domainName(key) === taken.domain && domainRegion(key) === taken.region
          && this.onDomain(key).some(e => e.PackageID === taken.packageId));
        const name = this.simulator.packages().find(p => p.PackageID === taken.packageId)?.PackageName;
        if (domain) this.ledger.keptByFault(placement(domain, taken.packageId), name);
      }
    }
    // An association taken off by hand that a stack declares is back once the service shows it again.
    for (const where of [...this.outOfBand.dissociated]) {
      const [domain, packageId] = placementParts(where);
      const declared = [...this.deployed.values()].some(stack => placementsOf(stack).has(where));
      if (!declared || this.onDomain(domain).some(e => e.PackageID === packageId && e.DomainPackageStatus === 'ACTIVE')) this.outOfBand.dissociated.delete(where);
    }
  }

  /** A placement that left its domain by hand: nothing keeps it, and a stack that declares it sees it drift. */
  private forgetPlacement(where: Placement): void {
    this.ledger.forget(where);
    if ([...this.deployed.values()].some(stack => placementsOf(stack).has(where))) this.outOfBand.dissociated.add(where);
  }

  /** A stack that is gone, or whose creation rolled back, is created again as a new stack, with a new stack ID. */
  private startOver(stack: StackName): void {
    this.deployments.delete(stack);
    this.generations.set(stack, (this.generations.get(stack) ?? 0) + 1);
  }

  private deploymentFor(stack: StackName, artifact: StackArtifact): LocalDeployment {
    let deployment = this.deployments.get(stack);
    if (!deployment) {
      const observer: DeploymentObserver = { requestStarted: start => this.phaseHooks.get(stack)?.(start.phase) };
      deployment = new LocalDeployment({ simulator: this.simulator, stack: artifact, intervalScale: INTERVAL_SCALE, observer });
      this.deployments.set(stack, deployment);
    }
    return deployment;
  }

  /** Synthesises the version; a version the suite builds is one the library must accept. */
  private synthesize(stack: StackName, version: AppVersion): StackArtifact {
    try {
      return synthesize(stack, version, path.join(this.outdir, `synth-${++this.synths}`));
    } catch (error) {
      throw new Error(`The library refused at synth a version of ${stack} that it must accept (r${version.revision}): ${(error as Error).message}`);
    }
  }

  /** Deploys the stack that exports the domains' ARNs, and publishes its exports. */
  private async deployExports(): Promise<void> {
    const artifact = synthesizeExports(path.join(this.outdir, 'exports'));
    const deployment = new LocalDeployment({ simulator: this.simulator, stack: artifact, intervalScale: INTERVAL_SCALE });
    const result = await deployment.deploy();
    if (result.status !== 'CREATE_COMPLETE') throw new Error(`The exports stack ended ${result.status}`);
    this.exports.publish(artifact.stackName, artifact.template, deployment.outputs());
  }

  /**
   * The IDs of the stack's CustomPackages, by construct id: as the deployment
   * holds them now, or, for a package the operation created and then let go
   * (a rollback), as its response reported.
   */
  private packageIdsOf(deployment: LocalDeployment, template: CfnTemplate, operation?: StackOperationResult): Map<string, string> {
    const ids = new Map<string, string>();
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'Custom::OpenSearchPackage') continue;
      const constructId = String(resource.Metadata?.['aws:cdk:path'] ?? '').split('/')[1];
      const reported = operation?.records.find(r => r.logicalId === logicalId && r.phase !== 'rollback' && r.data.PackageID)?.data.PackageID;
      // The ID the operation's forward phase reported, if any (a rollback may have gone back to another package since).
      const packageId = reported ?? deployment.resources.get(logicalId)?.provisioned.attributes.PackageID;
      if (packageId) ids.set(constructId, String(packageId));
    }
    return ids;
  }

  private injectStorm(storm: Storm): void {
    const throttling = storm.error === 'ThrottlingException';
    const error = storm.operation === 'ListStackResources' || storm.operation === 'DescribeStackEvents'
      ? { type: throttling ? 'Throttling' : 'InternalFailure', status: throttling ? 400 : 500 }
      : { type: storm.error, status: throttling ? 429 : 500 };
    this.simulator.injectError(storm.operation, error, storm.times);
  }

  /** Arms the fault; returns what undoes it once the operation is over. */
  private arm(fault: Fault, deployment: LocalDeployment, { version, before }: Armed): () => void {
    const pick = <T>(list: readonly T[], index: number): T | undefined => (list.length === 0 ? undefined : list[index % list.length]);
    switch (fault.kind) {
      case 'association fails': {
        const association = pick(version.associations, fault.index);
        if (association) {
          const error = { ErrorType: INJECTED_ERROR_TYPE, ErrorMessage: associationFailureMessage(association.id) };
          this.simulator.failNextAssociation(domainName(association.domain), nameOrId(version, association.target), error);
        }
        return () => undefined;
      }
      case 'validation fails': {
        const pkg = pick(version.packages, fault.index);
        if (pkg) this.simulator.failNextPackageProcessing(pkg.name, 'VALIDATION_FAILED', { ErrorType: INJECTED_ERROR_TYPE, ErrorMessage: validationFailureMessage(pkg.name, pkg.content) });
        return () => undefined;
      }
      case 'later resource fails':
        deployment.failNext(TRIPWIRE, before ? 'Update' : 'Create', LATER_FAILURE);
        return () => undefined;
      case 'in use': {
        const stays = (a: AssociationSpec) => version.associations.some(b => b.domain === a.domain && sameTarget(a.target, b.target));
        const leaving = before?.version.associations.filter(a => !stays(a)) ?? [];
        const association = pick(leaving, fault.index);
        const packageId = association && this.resolve(before!, association.target);
        if (!association || !packageId) return () => undefined;
        const domain = domainName(association.domain);
        const where = { region: domainRegion(association.domain) };
        this.simulator.markPackageInUse(domain, packageId, { message: inUseMessage(packageId) }, where);
        return () => this.simulator.clearPackageInUse(domain, packageId, where);
      }
      case 'waiter start fails':
        deployment.failNextWaiterStart();
        return () => undefined;
      case 'deletion fails transiently': {
        const names = new Set([...version.packages, ...before?.version.packages ?? []].map(p => p.name));
        names.forEach(name => this.simulator.failNextPackageProcessing(name, 'DELETE_FAILED', { ErrorType: 'InternalException', ErrorMessage: deletionFailureMessage }));
        return () => undefined;
      }
      case 'slow service':
      case 'none':
        return () => undefined;
    }
  }
}

/** What a fault is armed against: the version deployed, and the one before. */
interface Armed {
  readonly version: AppVersion;
  readonly before: DeployedStack | undefined;
}

/** Durations of a service slower than a timeout of this many seconds (real time: the handler's deadline is). */
function slowDurations(timeoutSeconds: number): OperationDurations {
  const slow = { ms: timeoutSeconds * 1000 * SLOWNESS };
  return { associationDuration: slow, dissociationDuration: slow, blueGreenDuration: slow };
}

/** The storm phase a CloudFormation phase belongs to. */
function stormPhaseOf(phase: DeploymentPhase): StormPhase {
  return phase === 'create' || phase === 'update' ? 'forward' : phase;
}

/** What the simulator can schedule a failure by: a package's ID, or the name of a CustomPackage (its ID may not exist yet). */
function nameOrId(version: AppVersion, target: Target): string {
  if ('custom' in target) return version.packages.find((p: PackageSpec) => p.id === target.custom)!.name;
  return 'aws' in target ? target.aws : target.imported;
}
