import { conformingTo, readObject } from './input-validation';
import { AssociationConfiguration } from './wire-shapes';

/*
 * Typed reads of request members, each checked against its shape in the service model (input-validation.ts),
 * the one source of the constraints. The front door has already checked every request as a whole, with all its
 * violations in one answer; these keep whatever reaches the state conforming, whoever passes it (a request, or a
 * test seeding the simulator).
 */

/** Page size when the caller gives none. The model declares no default; 100 is its maximum. */
export const DEFAULT_MAX_RESULTS = 100;

/** A domain name (the model's `DomainName`). */
export function requireDomainName(value: unknown, member = 'domainName'): string {
  return conformingTo<string>('DomainName', value, member);
}

/** A package ID (the model's `PackageID`: `F123`, `G123` or `pkg-<hex>`). */
export function requirePackageId(value: unknown, member = 'packageID'): string {
  return conformingTo<string>('PackageID', value, member);
}

/** A JSON object (an absent body counts as `{}`); anything else cannot be read as a structure. */
export function requireObject(value: unknown, member = 'body'): Record<string, unknown> {
  return value === undefined || value === null ? {} : readObject(value, member);
}

/**
 * `maxResults`, from a query string or a JSON body, which the model bounds by 100 only. What the service serves
 * for a page size below 1 is not documented: the default page, here.
 */
export function pageSize(value: unknown): number {
  const size = value === undefined || value === null || value === '' ? DEFAULT_MAX_RESULTS : Number(value);
  return size >= 1 ? size : DEFAULT_MAX_RESULTS;
}

/** An optional pagination token (empty counts as none). */
export function optionalToken(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An optional list of package IDs (the model's `PackageIDList`). */
export function optionalPackageIdList(value: unknown, member: string): string[] | undefined {
  return value === undefined || value === null ? undefined : conformingTo<string[]>('PackageIDList', value, member);
}

/** An optional `PackageAssociationConfiguration`, with only the members the model has. */
export function optionalAssociationConfiguration(
  value: unknown,
  member = 'associationConfiguration',
): AssociationConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  const option = conformingTo<AssociationConfiguration>('PackageAssociationConfiguration', value, member).KeyStoreAccessOption;
  if (!option) return {};
  return {
    KeyStoreAccessOption: {
      KeyStoreAccessEnabled: option.KeyStoreAccessEnabled,
      ...(typeof option.KeyAccessRoleArn === 'string' ? { KeyAccessRoleArn: option.KeyAccessRoleArn } : {}),
    },
  };
}
