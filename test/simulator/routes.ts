import { InputValidator, inputValidator } from './input-validation';
import { OperationHandler } from './operation-context';
import { createPackage, deletePackage, updatePackage } from './package-lifecycle-operations';
import { associatePackage, associatePackages, dissociatePackage, dissociatePackages } from './package-operations';
import { describeDomain, describePackages, getPackageVersionHistory, listDomainsForPackage, listPackagesForDomain } from './read-operations';
import { modelOperation } from './service-model';
import { OpenSearchOperationName } from './wire-shapes';

interface Route {
  readonly operation: OpenSearchOperationName;
  readonly method: string;
  /** Path pattern; `{Name}` segments become parameters. */
  readonly template: string;
  readonly handler: OperationHandler;
  readonly validateInput: InputValidator;
}

/** A request matched to an operation. */
export interface MatchedRoute {
  readonly operation: OpenSearchOperationName;
  readonly handler: OperationHandler;
  /** Checks the request against the operation's input shape in the service model. */
  readonly validateInput: InputValidator;
  /** Percent-decoded path parameters. */
  readonly params: Record<string, string>;
}

/** The operations the simulator serves; each one's method and path are the service model's. */
const HANDLERS: Readonly<Record<OpenSearchOperationName, OperationHandler>> = {
  AssociatePackage: associatePackage,
  AssociatePackages: associatePackages,
  DissociatePackage: dissociatePackage,
  DissociatePackages: dissociatePackages,
  ListPackagesForDomain: listPackagesForDomain,
  DescribePackages: describePackages,
  DescribeDomain: describeDomain,
  CreatePackage: createPackage,
  UpdatePackage: updatePackage,
  DeletePackage: deletePackage,
  GetPackageVersionHistory: getPackageVersionHistory,
  ListDomainsForPackage: listDomainsForPackage,
};

function routeOf(operation: OpenSearchOperationName, handler: OperationHandler): Route {
  const { method, requestUri } = modelOperation(operation).http;
  if (/[?+]/.test(requestUri)) throw new Error(`${operation}: the simulator does not route ${requestUri} (query literals or greedy labels)`);
  return { operation, method, template: requestUri, handler, validateInput: inputValidator(operation) };
}

/** The 2021-01-01 REST routes. */
const ROUTES: readonly Route[] = (Object.entries(HANDLERS) as Array<[OpenSearchOperationName, OperationHandler]>)
  .map(([operation, handler]) => routeOf(operation, handler));

/** The route for a method and raw (still percent-encoded) path, or undefined. */
export function matchRoute(method: string, rawPath: string): MatchedRoute | undefined {
  const segments = rawPath.split('/');
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template.split('/'), segments);
    if (params) return { operation: route.operation, handler: route.handler, validateInput: route.validateInput, params };
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
