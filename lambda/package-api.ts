import {
  AssociatePackageCommand,
  AssociatePackagesCommand,
  CreatePackageCommand,
  CreatePackageRequest,
  DeletePackageCommand,
  DescribeDomainCommand,
  DescribePackagesCommand,
  DescribePackagesFilter,
  DissociatePackageCommand,
  DissociatePackagesCommand,
  DomainPackageDetails,
  GetPackageVersionHistoryCommand,
  ListDomainsForPackageCommand,
  ListPackagesForDomainCommand,
  OpenSearchClient,
  PackageAssociationConfiguration,
  PackageDetails,
  PackageDetailsForAssociation,
  PackageVersionHistory,
  UpdatePackageCommand,
  UpdatePackageRequest,
} from '@aws-sdk/client-opensearch';
import { log } from './log';

/** What the handler needs from the OpenSearch API in one Region: one method per call. */
export interface PackageApi {
  /** Every package on the domain (all pages of ListPackagesForDomain). */
  listDomainPackages(domainName: string): Promise<DomainPackageDetails[]>;
  /** The packages with these IDs that exist (DescribePackages, all pages). */
  describePackages(packageIds: string[]): Promise<PackageDetails[]>;
  /** The packages with this name (any status). */
  packagesNamed(packageName: string): Promise<PackageDetails[]>;
  /** Every version the package has had, oldest first as the service lists them (all pages). */
  packageHistory(packageId: string): Promise<PackageVersionHistory[]>;
  /** The package's entry on every domain (all pages of ListDomainsForPackage). */
  domainsUsing(packageId: string): Promise<DomainPackageDetails[]>;
  /** The domain's engine version, and whether it is applying a configuration change or an upgrade. */
  describeDomain(domainName: string): Promise<DomainState>;
  /** The packages AWS provides for the engine version (DescribePackages filtered by EngineVersion and PackageOwner AWS), all or those with these names. */
  awsPackages(engineVersion: string, packageNames?: string[]): Promise<PackageDetails[]>;
  /** One AssociatePackage call. */
  associatePackage(domainName: string, pkg: AssociationRequest): Promise<void>;
  /** One AssociatePackages call for every package of the list. */
  associatePackages(domainName: string, packages: AssociationRequest[]): Promise<void>;
  /** One DissociatePackage call. */
  dissociatePackage(domainName: string, packageId: string): Promise<void>;
  /** One DissociatePackages call for every package of the list. */
  dissociatePackages(domainName: string, packageIds: string[]): Promise<void>;
  createPackage(request: CreatePackageRequest): Promise<PackageDetails>;
  updatePackage(request: UpdatePackageRequest): Promise<PackageDetails>;
  deletePackage(packageId: string): Promise<void>;
}

/** What DescribeDomain says that the handler needs. */
export interface DomainState {
  readonly engineVersion?: string;
  readonly processing: boolean;
}

/** One package of an AssociatePackages call. */
export interface AssociationRequest {
  readonly packageId: string;
  readonly prerequisitePackageIds?: string[];
  readonly associationConfiguration?: PackageAssociationConfiguration;
}

function forAssociation(pkg: AssociationRequest): PackageDetailsForAssociation {
  return { PackageID: pkg.packageId, PrerequisitePackageIDList: pkg.prerequisitePackageIds, AssociationConfiguration: pkg.associationConfiguration };
}

/** Collects every page of a listing that pages with NextToken. */
async function allPages<T>(page: (nextToken?: string) => Promise<{ items?: T[]; nextToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const result = await page(nextToken);
    items.push(...result.items ?? []);
    nextToken = result.nextToken;
  } while (nextToken);
  return items;
}

/**
 * The PackageApi over the AWS SDK. The client honours the SDK's standard
 * settings, among them the endpoint override `AWS_ENDPOINT_URL_OPENSEARCH`.
 */
export function sdkPackageApi(client: OpenSearchClient): PackageApi {
  const describe = async (...filters: DescribePackagesFilter[]) => allPages(async nextToken => {
    const page = await client.send(new DescribePackagesCommand({ Filters: filters, MaxResults: 100, NextToken: nextToken }));
    return { items: page.PackageDetailsList, nextToken: page.NextToken };
  });
  return {
    listDomainPackages: domainName => allPages(async nextToken => {
      const page = await client.send(new ListPackagesForDomainCommand({ DomainName: domainName, MaxResults: 100, NextToken: nextToken }));
      return { items: page.DomainPackageDetailsList, nextToken: page.NextToken };
    }),

    async describePackages(packageIds) {
      if (packageIds.length === 0) return [];
      const found = await describe({ Name: 'PackageID', Value: packageIds });
      return found.filter(p => p.PackageID !== undefined && packageIds.includes(p.PackageID));
    },

    async packagesNamed(packageName) {
      return (await describe({ Name: 'PackageName', Value: [packageName] })).filter(p => p.PackageName === packageName);
    },

    packageHistory: packageId => allPages(async nextToken => {
      const page = await client.send(new GetPackageVersionHistoryCommand({ PackageID: packageId, MaxResults: 100, NextToken: nextToken }));
      return { items: page.PackageVersionHistoryList, nextToken: page.NextToken };
    }),

    domainsUsing: packageId => allPages(async nextToken => {
      const page = await client.send(new ListDomainsForPackageCommand({ PackageID: packageId, MaxResults: 100, NextToken: nextToken }));
      return { items: page.DomainPackageDetailsList, nextToken: page.NextToken };
    }),

    async describeDomain(domainName) {
      const { DomainStatus: status } = await client.send(new DescribeDomainCommand({ DomainName: domainName }));
      return { engineVersion: status?.EngineVersion, processing: status?.Processing === true || status?.UpgradeProcessing === true };
    },

    async awsPackages(engineVersion, packageNames) {
      const filters: DescribePackagesFilter[] = [{ Name: 'EngineVersion', Value: [engineVersion] }, { Name: 'PackageOwner', Value: ['AWS'] }];
      if (packageNames) filters.push({ Name: 'PackageName', Value: packageNames });
      return (await describe(...filters)).filter(p => p.EngineVersion === engineVersion && (!packageNames || packageNames.includes(p.PackageName!)));
    },

    async associatePackage(domainName, pkg) {
      log('AssociatePackage', { domainName, packageId: pkg.packageId });
      await client.send(new AssociatePackageCommand({ DomainName: domainName, ...forAssociation(pkg) }));
    },

    async associatePackages(domainName, packages) {
      log('AssociatePackages', { domainName, packageIds: packages.map(p => p.packageId) });
      await client.send(new AssociatePackagesCommand({ DomainName: domainName, PackageList: packages.map(forAssociation) }));
    },

    async dissociatePackage(domainName, packageId) {
      log('DissociatePackage', { domainName, packageId });
      await client.send(new DissociatePackageCommand({ DomainName: domainName, PackageID: packageId }));
    },

    async dissociatePackages(domainName, packageIds) {
      log('DissociatePackages', { domainName, packageIds });
      await client.send(new DissociatePackagesCommand({ DomainName: domainName, PackageList: packageIds }));
    },

    async createPackage(request) {
      log('CreatePackage', { packageName: request.PackageName, packageType: request.PackageType });
      const { PackageDetails: details } = await client.send(new CreatePackageCommand(request));
      return details ?? {};
    },

    async updatePackage(request) {
      log('UpdatePackage', { packageId: request.PackageID, commitMessage: request.CommitMessage });
      const { PackageDetails: details } = await client.send(new UpdatePackageCommand(request));
      return details ?? {};
    },

    async deletePackage(packageId) {
      log('DeletePackage', { packageId });
      await client.send(new DeletePackageCommand({ PackageID: packageId }));
    },
  };
}

/** The OpenSearch API of each Region, created on first use: a domain is called in its own Region. */
export type RegionalApis = (region: string) => PackageApi;

/**
 * How often the SDK tries a call that fails with a throttling, server or
 * network error (its default is 3). A step that onEvent cannot leave to
 * isComplete (the check that a package name is free) gets this much patience.
 */
export const MAX_ATTEMPTS = 6;

/** RegionalApis over the AWS SDK, one client per Region. */
export function sdkRegionalApis(): RegionalApis {
  const apis = new Map<string, PackageApi>();
  return region => {
    let api = apis.get(region);
    if (!api) apis.set(region, (api = sdkPackageApi(new OpenSearchClient({ region, maxAttempts: MAX_ATTEMPTS }))));
    return api;
  };
}
