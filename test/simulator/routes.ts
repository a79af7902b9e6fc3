import { OperationHandler } from './operation-context';
import { createPackage, deletePackage, updatePackage } from './package-lifecycle-operations';
import { associatePackage, associatePackages, dissociatePackage, dissociatePackages } from './package-operations';
import { describeDomain, describePackages, getPackageVersionHistory, listDomainsForPackage, listPackagesForDomain } from './read-operations';
import { OperationName } from './wire-shapes';

interface Route {
  readonly operation: OperationName;
  readonly method: string;
  /** Path pattern; `{Name}` segments become parameters. */
  readonly template: string;
  readonly handler: OperationHandler;
}

/** A request matched to an operation. */
export interface MatchedRoute {
  readonly operation: OperationName;
  readonly handler: OperationHandler;
  /** Percent-decoded path parameters. */
  readonly params: Record<string, string>;
}

/** The 2021-01-01 REST routes, as in the `@aws-sdk/client-opensearch` operation schemas. */
const ROUTES: readonly Route[] = [
  { operation: 'AssociatePackage', method: 'POST', template: '/2021-01-01/packages/associate/{PackageID}/{DomainName}', handler: associatePackage },
  { operation: 'AssociatePackages', method: 'POST', template: '/2021-01-01/packages/associateMultiple', handler: associatePackages },
  { operation: 'DissociatePackage', method: 'POST', template: '/2021-01-01/packages/dissociate/{PackageID}/{DomainName}', handler: dissociatePackage },
  { operation: 'DissociatePackages', method: 'POST', template: '/2021-01-01/packages/dissociateMultiple', handler: dissociatePackages },
  { operation: 'ListPackagesForDomain', method: 'GET', template: '/2021-01-01/domain/{DomainName}/packages', handler: listPackagesForDomain },
  { operation: 'DescribePackages', method: 'POST', template: '/2021-01-01/packages/describe', handler: describePackages },
  { operation: 'DescribeDomain', method: 'GET', template: '/2021-01-01/opensearch/domain/{DomainName}', handler: describeDomain },
  { operation: 'CreatePackage', method: 'POST', template: '/2021-01-01/packages', handler: createPackage },
  { operation: 'UpdatePackage', method: 'POST', template: '/2021-01-01/packages/update', handler: updatePackage },
  { operation: 'DeletePackage', method: 'DELETE', template: '/2021-01-01/packages/{PackageID}', handler: deletePackage },
  { operation: 'GetPackageVersionHistory', method: 'GET', template: '/2021-01-01/packages/{PackageID}/history', handler: getPackageVersionHistory },
  { operation: 'ListDomainsForPackage', method: 'GET', template: '/2021-01-01/packages/{PackageID}/domains', handler: listDomainsForPackage },
];

/** The route for a method and raw (still percent-encoded) path, or undefined. */
export function matchRoute(method: string, rawPath: string): MatchedRoute | undefined {
  const segments = rawPath.split('/');
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template.split('/'), segments);
    if (params) return { operation: route.operation, handler: route.handler, params };
  }
  return undefined;
}

function matchTemplate(template: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const expected = template[i];
    const actual = segments[i];
    if (expected.startsWith('{') && expected.endsWith('}')) {
      if (actual === '') return undefined;
      const value = safeDecode(actual);
      if (value === undefined) return undefined;
      params[expected.slice(1, -1)] = value;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
