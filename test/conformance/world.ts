import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppVersion, AssociationSpec, DOMAIN_ENGINE_VERSION, DOMAINS, EMPTY_VERSION, IMPORTED_PACKAGES, PackageSpec, synthesize, Target, TRIPWIRE } from './app-spec';
import { sameTarget } from './edits';
import { associationFailureMessage, validationFailureMessage } from './expectations';
import { Ledger } from './ledger';
import { CfnTemplate } from '../local-deploy/cfn-template';
import { StackArtifact } from '../local-deploy/cloud-assembly';
import { LocalDeployment } from '../local-deploy/local-deployment';
import { StackOperationResult } from '../local-deploy/stack-lifecycle';
import { OpenSearchSimulator, SimulatorOptions } from '../simulator';

/** A fault armed for one deployment. Indexes pick an association or package of the version deployed (modulo their number). */
export type Fault =
  | { readonly kind: 'none' }
  | { readonly kind: 'association fails'; readonly index: number }
  | { readonly kind: 'validation fails'; readonly index: number }
  | { readonly kind: 'storm'; readonly operation: StormOperation; readonly error: 'ThrottlingException' | 'InternalException'; readonly times: number }
  | { readonly kind: 'later resource fails' }
  | { readonly kind: 'in use'; readonly index: number }
  | { readonly kind: 'waiter start fails' };

export type StormOperation = 'ListPackagesForDomain' | 'AssociatePackages' | 'DissociatePackages' | 'DescribePackages' | 'GetPackageVersionHistory';

export const STACKS = ['StackA', 'StackB'] as const;
export type StackName = typeof STACKS[number];

/** A stack as deployed: its version, its template, and its packages' IDs by construct id. */
export interface DeployedStack {
  readonly version: AppVersion;
  readonly template: CfnTemplate;
  readonly packageIds: ReadonlyMap<string, string>;
}

/** What one step did: the stack operation's result, and whether the stack now holds the new version. */
export interface StepOutcome {
  readonly result: StackOperationResult;
  readonly applied: boolean;
}

/** The time scale of the Provider framework's waiter and of Lambda's retries here: 7 s between checks become 7 ms. */
const INTERVAL_SCALE = 0.001;

/**
 * The world the conformance suite deploys into: one simulator (two imported
 * domains, three packages made outside the stacks) and two stacks, each a
 * local deployment through the real Provider framework and the bundled
 * handler, and what each stack holds now.
 */
export class ConformanceWorld {
  public static async create(options: SimulatorOptions = {}): Promise<ConformanceWorld> {
    const simulator = await OpenSearchSimulator.start({
      associationDuration: { polls: 1 },
      dissociationDuration: { polls: 1 },
      blueGreenDuration: { polls: 2 },
      packageProcessingDuration: { polls: 1 },
      ...options,
    });
    DOMAINS.forEach(domain => simulator.addDomain(domain, { engineVersion: DOMAIN_ENGINE_VERSION }));
    IMPORTED_PACKAGES.forEach((id, i) => simulator.addPackage({ id, name: `shared-dictionary-${i + 1}` }));
    return new ConformanceWorld(simulator, fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-')));
  }

  /** What each stack holds now (undefined while it does not exist). */
  public readonly deployed = new Map<StackName, DeployedStack>();
  /** What must, and what may, be on the domains and in the Region besides what the stacks declare. */
  public readonly ledger = new Ledger();
  /** Every stack operation so far, in order. */
  public readonly history: StackOperationResult[] = [];
  private readonly deployments = new Map<StackName, LocalDeployment>();
  private synths = 0;

  private constructor(public readonly simulator: OpenSearchSimulator, private readonly outdir: string) {}

  /** Deploys the version of the stack with the fault armed; the ledger follows what CloudFormation kept or removed. */
  public async deploy(stack: StackName, version: AppVersion, fault: Fault = { kind: 'none' }): Promise<StepOutcome> {
    const artifact = synthesize(stack, version, path.join(this.outdir, `synth-${++this.synths}`));
    const deployment = this.deploymentFor(stack, artifact);
    const before = this.deployed.get(stack);
    const disarm = this.arm(fault, deployment, version, before);
    const result = await deployment.deployArtifact(artifact);
    disarm();
    // A fault that found nothing to fail must not fail a later step.
    this.simulator.clearScheduledFaults();
    deployment.clearScheduledFailures();
    this.history.push(result);
    const applied = result.status === 'CREATE_COMPLETE' || result.status === 'UPDATE_COMPLETE';
    const attempted: DeployedStack = { version, template: artifact.template, packageIds: this.packageIdsOf(deployment, artifact.template, result) };
    if (applied) {
      this.ledger.replaced(before, attempted, result);
      this.deployed.set(stack, attempted);
    } else {
      this.ledger.abandoned(before, attempted, result);
      if (before) this.deployed.set(stack, { ...before, packageIds: this.packageIdsOf(deployment, before.template) });
    }
    return { result, applied };
  }

  /** Deletes the stack. */
  public async destroy(stack: StackName): Promise<StepOutcome> {
    const deployment = this.deployments.get(stack)!;
    const result = await deployment.destroy();
    this.history.push(result);
    const applied = result.status === 'DELETE_COMPLETE';
    if (applied) {
      this.ledger.replaced(this.deployed.get(stack), undefined, result);
      this.deployed.delete(stack);
    }
    return { result, applied };
  }

  /** Associates a package with a domain by hand, outside any stack. */
  public associateByHand(domain: string, packageId: string): void {
    this.simulator.associate(domain, packageId);
    this.ledger.outOfBand(domain, packageId);
  }

  /** The package ID a target names in a deployed stack (undefined for a CustomPackage not created). */
  public resolve(stack: DeployedStack, target: Target): string | undefined {
    return 'custom' in target ? stack.packageIds.get(target.custom) : target.imported;
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

  private deploymentFor(stack: StackName, artifact: StackArtifact): LocalDeployment {
    let deployment = this.deployments.get(stack);
    if (!deployment) {
      deployment = new LocalDeployment({ simulator: this.simulator, stack: artifact, intervalScale: INTERVAL_SCALE });
      this.deployments.set(stack, deployment);
    }
    return deployment;
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

  /** Arms the fault; returns what undoes it once the operation is over. */
  private arm(fault: Fault, deployment: LocalDeployment, version: AppVersion, before: DeployedStack | undefined): () => void {
    const pick = <T>(list: readonly T[], index: number): T | undefined => (list.length === 0 ? undefined : list[index % list.length]);
    switch (fault.kind) {
      case 'association fails': {
        const association = pick(version.associations, fault.index);
        if (association) {
          this.simulator.failNextAssociation(association.domain, nameOrId(version, association.target), { ErrorType: 'InjectedFailure', ErrorMessage: associationFailureMessage(association.id) });
        }
        return () => undefined;
      }
      case 'validation fails': {
        const pkg = pick(version.packages, fault.index);
        if (pkg) this.simulator.failNextPackageProcessing(pkg.name, 'VALIDATION_FAILED', { ErrorType: 'InjectedFailure', ErrorMessage: validationFailureMessage(pkg.name, pkg.content) });
        return () => undefined;
      }
      case 'storm':
        this.simulator.injectError(fault.operation, { type: fault.error, status: fault.error === 'ThrottlingException' ? 429 : 500 }, fault.times);
        return () => undefined;
      case 'later resource fails':
        deployment.failNext(TRIPWIRE, before ? 'Update' : 'Create', 'Injected failure of the last resource of the stack');
        return () => undefined;
      case 'in use': {
        const stays = (a: AssociationSpec) => version.associations.some(b => b.domain === a.domain && sameTarget(a.target, b.target));
        const leaving = before?.version.associations.filter(a => !stays(a)) ?? [];
        const association = pick(leaving, fault.index);
        const packageId = association && this.resolve(before!, association.target);
        if (!association || !packageId) return () => undefined;
        this.simulator.markPackageInUse(association.domain, packageId, { message: `Package ${packageId} is in use by index products` });
        return () => this.simulator.clearPackageInUse(association.domain, packageId);
      }
      case 'waiter start fails':
        deployment.failNextWaiterStart();
        return () => undefined;
      case 'none':
        return () => undefined;
    }
  }
}

/** What the simulator can schedule a failure by: a package's ID, or the name of a CustomPackage (its ID may not exist yet). */
function nameOrId(version: AppVersion, target: Target): string {
  return 'custom' in target ? version.packages.find((p: PackageSpec) => p.id === target.custom)!.name : target.imported;
}

