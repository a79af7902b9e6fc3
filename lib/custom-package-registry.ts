import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * The CustomPackages of the app, by the token their `packageId` is, so that an
 * association can see how its package leaves the stack. A token string is
 * unique within the process, and the registry holds only what a synthesis
 * declares.
 */
const registered = new Map<string, { readonly packageName: string; readonly path: string; readonly removalPolicy: RemovalPolicy }>();

export function registerCustomPackage(packageId: string, packageName: string, path: string, removalPolicy: RemovalPolicy): void {
  registered.set(packageId, { packageName, path, removalPolicy });
}

/**
 * Why an association with this removal policy cannot name this package, if it
 * cannot: an association kept on the domain holds its package, and the
 * service refuses to delete a package that a domain holds, so deleting the
 * stack would fail.
 */
export function retentionConflict(packageId: string, associationRemovalPolicy: RemovalPolicy): string | undefined {
  const pkg = registered.get(packageId);
  if (!pkg || associationRemovalPolicy === RemovalPolicy.DESTROY || pkg.removalPolicy !== RemovalPolicy.DESTROY) return undefined;
  return `removalPolicy "${associationRemovalPolicy}" keeps the association on the domain, but its package ${pkg.packageName} (${pkg.path}) is deleted `
    + 'with the stack (removalPolicy DESTROY), which the service refuses while a domain holds the package: give the CustomPackage removalPolicy RETAIN too.';
}
