import { PACKAGE_ASSOCIATION_RESOURCE_TYPE, PackageAssociationProperties } from '../lib/package-association-properties';
import { checkDomainName, checkPackageId, checkRoleArn, checkTimeoutSeconds } from '../lib/validation';

/** The validated, typed form of the resource properties. */
export interface AssociationSpec {
  readonly domainName: string;
  readonly packageId: string;
  readonly prerequisitePackageIds: string[];
  readonly keyAccessRoleArn?: string;
  readonly packageVersion?: string;
  readonly waitSeconds: number;
}

/**
 * Reads the properties CloudFormation sent (strings, possibly malformed if the
 * template was written by hand) and throws one error listing every problem.
 */
export function parseAssociationSpec(properties: Record<string, unknown> | undefined): AssociationSpec {
  const props = (properties ?? {}) as Partial<Record<keyof PackageAssociationProperties, unknown>>;
  const problems: string[] = [];
  const text = (field: keyof PackageAssociationProperties, required: boolean): string | undefined => {
    const value = props[field];
    if (value === undefined || value === '') {
      if (required) problems.push(`${field} is required.`);
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.push(`${field} must be a string, got ${JSON.stringify(value)}.`);
      return undefined;
    }
    return value;
  };
  const check = (message: string | undefined) => message && problems.push(message);

  const domainName = text('DomainName', true);
  if (domainName !== undefined) check(checkDomainName('DomainName', domainName));
  const packageId = text('PackageID', true);
  if (packageId !== undefined) check(checkPackageId('PackageID', packageId));
  const keyAccessRoleArn = text('KeyAccessRoleArn', false);
  if (keyAccessRoleArn !== undefined) check(checkRoleArn('KeyAccessRoleArn', keyAccessRoleArn));
  const packageVersion = text('PackageVersion', false);
  const waitText = text('WaitSeconds', true);
  const waitSeconds = Number(waitText);
  if (waitText !== undefined) check(checkTimeoutSeconds('WaitSeconds', waitSeconds));

  const prerequisites = props.PrerequisitePackageIDList ?? [];
  const prerequisitePackageIds: string[] = [];
  if (!Array.isArray(prerequisites)) {
    problems.push(`PrerequisitePackageIDList must be a list of package IDs, got ${JSON.stringify(prerequisites)}.`);
  } else {
    prerequisites.forEach((id, i) => {
      const field = `PrerequisitePackageIDList[${i}]`;
      if (typeof id !== 'string') problems.push(`${field} must be a string, got ${JSON.stringify(id)}.`);
      else if (!check(checkPackageId(field, id))) prerequisitePackageIds.push(id);
    });
  }

  if (problems.length > 0) {
    throw new Error(`Invalid ${PACKAGE_ASSOCIATION_RESOURCE_TYPE} properties: ${problems.join(' ')}`);
  }
  return { domainName: domainName!, packageId: packageId!, prerequisitePackageIds, keyAccessRoleArn, packageVersion, waitSeconds };
}

/** Identifies the association; a new value on update means replacement. */
export function physicalIdOf(spec: AssociationSpec): string {
  return `${spec.domainName}/${spec.packageId}`;
}

/** Whether an in-place update must call AssociatePackage again. */
export function needsReassociation(before: AssociationSpec, after: AssociationSpec): boolean {
  return before.packageVersion !== after.packageVersion
    || before.keyAccessRoleArn !== after.keyAccessRoleArn
    || [...before.prerequisitePackageIds].sort().join() !== [...after.prerequisitePackageIds].sort().join();
}
