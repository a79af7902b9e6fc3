import { validationError } from './errors';
import { conformingTo } from './input-validation';
import { OperationContext, OperationHandler } from './operation-context';
import { deploysBlueGreen } from './package-operations';
import { paginate } from './pagination';
import { PackageRecord } from './records';
import { optionalToken, pageSize, requireDomainName, requireObject, requirePackageId } from './validation';
import { toDomainPackageDetails, toDomainStatus, toPackageDetails, toPackageVersionHistory } from './wire-views';

/** Filter names the model allows, and how each reads a package. */
const PACKAGE_FILTERS: Readonly<Record<string, ((pkg: PackageRecord) => string | undefined) | undefined>> = {
  PackageID: (pkg) => pkg.id,
  PackageName: (pkg) => pkg.name,
  PackageStatus: (pkg) => pkg.status,
  PackageType: (pkg) => pkg.type,
  EngineVersion: (pkg) => pkg.engineVersion,
  PackageOwner: (pkg) => pkg.owner,
};

/** `GET /2021-01-01/domain/{DomainName}/packages?maxResults=&nextToken=`: the one read that counts as an observation. */
export const listPackagesForDomain: OperationHandler = (request, context) => {
  const domainName = requireDomainName(request.params.DomainName);
  const maxResults = pageSize(request.query.maxResults);
  const token = optionalToken(request.query.nextToken);
  context.state.requireDomain(domainName);
  context.state.settle(domainName, true);
  const page = paginate(
    context.state.associationsOn(domainName),
    (record) => record.packageId,
    `ListPackagesForDomain/${domainName}`,
    maxResults,
    token,
  );
  return {
    DomainPackageDetailsList: page.items.map((record) =>
      toDomainPackageDetails(record, context.state.requirePackage(record.packageId)),
    ),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

/** `GET /2021-01-01/packages/{PackageID}/domains?maxResults=&nextToken=`: the package's entry on every domain of the Region. */
export const listDomainsForPackage: OperationHandler = (request, context) => {
  const packageId = requirePackageId(request.params.PackageID);
  const maxResults = pageSize(request.query.maxResults);
  const token = optionalToken(request.query.nextToken);
  const pkg = context.state.requireLivePackage(packageId);
  const entries = context.state.domainsUsing(pkg.id, true).map((domain) => context.state.findAssociation(domain, pkg.id)!);
  const page = paginate(entries, (record) => record.domain, `ListDomainsForPackage/${pkg.id}`, maxResults, token);
  return {
    DomainPackageDetailsList: page.items.map((record) => toDomainPackageDetails(record, pkg)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

/**
 * The filters, read as the model's `DescribePackagesFilterList`. The model requires neither member of a filter: the
 * service's answer to a filter without a name is not documented, so the simulator refuses it (the text is a guess).
 */
function packageMatcher(filters: unknown): (pkg: PackageRecord) => boolean {
  if (filters === undefined || filters === null) return () => true;
  const list = conformingTo<Array<{ Name?: string; Value?: string[] }>>('DescribePackagesFilterList', filters, 'filters');
  const tests = list.map(({ Name: name, Value: values = [] }) => {
    if (name === undefined) throw validationError('A DescribePackages filter needs a Name');
    const read = PACKAGE_FILTERS[name];
    if (!read) throw validationError(`The simulator does not implement the ${name} filter`);
    return (pkg: PackageRecord) => values.includes(read(pkg) ?? '');
  });
  return (pkg) => tests.every((test) => test(pkg));
}

/** Whether the filters name packages by ID. */
function filtersById(filters: unknown): boolean {
  return Array.isArray(filters) && filters.some((filter) => (filter as Record<string, unknown>).Name === 'PackageID');
}

/**
 * `POST /2021-01-01/packages/describe`: filters combine with AND, values within a filter with OR. Each response
 * that includes a package counts as an observation of it for `{ polls }` processing durations.
 */
export const describePackages: OperationHandler = (request, context) => {
  const body = requireObject(request.body);
  const maxResults = pageSize(body.MaxResults);
  const token = optionalToken(body.NextToken);
  const matches = packageMatcher(body.Filters);
  // An inference, not documented: a DELETED package stays visible to lookups by ID (so pollers can see the
  // deletion finish) but drops out of every other listing.
  const showDeleted = filtersById(body.Filters);
  const visible = (pkg: PackageRecord) => matches(pkg) && (showDeleted || pkg.status !== 'DELETED');
  const scope = `DescribePackages/${JSON.stringify(body.Filters ?? null)}`;
  const page = paginate(context.state.allPackages().filter(visible), (pkg) => pkg.id, scope, maxResults, token);
  // The observation may move a package on (say to DELETED); the response shows where it is now, if still matching.
  context.state.observePackages(page.items);
  return {
    PackageDetailsList: page.items.filter(visible).map(toPackageDetails),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

/**
 * `GET /2021-01-01/packages/{PackageID}/history?maxResults=&nextToken=`: the versions that became AVAILABLE,
 * oldest first (the service's order is not documented).
 */
export const getPackageVersionHistory: OperationHandler = (request, context) => {
  const packageId = requirePackageId(request.params.PackageID);
  const maxResults = pageSize(request.query.maxResults);
  const token = optionalToken(request.query.nextToken);
  const pkg = context.state.requireLivePackage(packageId);
  const entries = pkg.history.map((entry, index) => ({ entry, key: String(index).padStart(12, '0') }));
  const page = paginate(entries, (item) => item.key, `GetPackageVersionHistory/${pkg.id}`, maxResults, token);
  return {
    PackageID: pkg.id,
    PackageVersionHistoryList: page.items.map((item) => toPackageVersionHistory(item.entry)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

/** Whether a plugin is being deployed to the domain: the service runs a blue/green deployment meanwhile. */
function pluginDeploymentRunning(context: OperationContext, domainName: string): boolean {
  return context.state.associationsOn(domainName).some((record) => {
    const type = context.state.findPackage(record.packageId)?.type;
    return record.pending !== undefined && type !== undefined && deploysBlueGreen(type);
  });
}

/** `GET /2021-01-01/opensearch/domain/{DomainName}` */
export const describeDomain: OperationHandler = (request, context) => {
  const domainName = requireDomainName(request.params.DomainName);
  const domain = context.state.requireDomain(domainName);
  context.state.settle(domainName, false);
  const processing = domain.processing || pluginDeploymentRunning(context, domainName);
  return { DomainStatus: toDomainStatus(domain, processing, context.state.region, context.options) };
};
