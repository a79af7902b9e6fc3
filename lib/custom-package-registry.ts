import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PluginConfiguration } from './plugin-configuration';

/** What an association needs to know of a CustomPackage of the app. */
export interface RegisteredPackage {
  readonly construct: Construct;
  /** The package's custom resource: what a domain that must wait for the package depends on. */
  readonly resource: Construct;
  readonly packageName: string;
  readonly packageType: string;
  /** A plugin's engine version, when known at synth time. */
  readonly engineVersion?: string;
  /** A plugin's license and configuration requirements, when given. */
  readonly pluginConfiguration?: PluginConfiguration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The CustomPackages of the app, by the token their `packageId` is, so that an
 * association can check what it is given against the package. A token string
 * is unique within the process, and the registry holds only what a synthesis
 * declares.
 */
const registered = new Map<string, RegisteredPackage>();

export function registerCustomPackage(packageId: string, pkg: RegisteredPackage): void {
  registered.set(packageId, pkg);
}

/** The CustomPackage whose `packageId` this is, if it is one. */
export function registeredPackage(packageId: string): RegisteredPackage | undefined {
  return registered.get(packageId);
}

/**
 * Why an association with this removal policy (or adoptExisting) cannot name
 * this package, if it cannot: an association kept on the domain holds its
 * package, and the service refuses to delete a package that a domain holds,
 * so deleting the stack would fail.
 */
export function retentionConflict(packageId: string, associationRemovalPolicy: RemovalPolicy, adoptExisting: boolean): string | undefined {
  const pkg = registered.get(packageId);
  if (!pkg || pkg.removalPolicy !== RemovalPolicy.DESTROY) return undefined;
  const kept = associationRemovalPolicy !== RemovalPolicy.DESTROY ? `removalPolicy "${associationRemovalPolicy}" keeps the association on the domain`
    : adoptExisting ? 'adoptExisting: true may adopt an association already on the domain, which the stack then never takes off' : undefined;
  return kept && `${kept}, but its package ${pkg.packageName} (${pkg.construct.node.path}) is deleted with the stack (removalPolicy DESTROY), `
    + 'which the service refuses while a domain holds the package: give the CustomPackage removalPolicy RETAIN too.';
}
