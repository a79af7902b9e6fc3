import {
  AssociatePackageCommand,
  CreatePackageCommand,
  CreatePackageRequest,
  DeletePackageCommand,
  DescribeDomainCommand,
  DescribePackagesCommand,
  DissociatePackageCommand,
  DomainPackageDetails,
  ListPackagesForDomainCommand,
  OpenSearchClient,
  PackageDetails,
  PackageAssociationConfiguration,
  UpdatePackageCommand,
  UpdatePackageRequest,
} from '@aws-sdk/client-opensearch';
import { log } from './log';

/** What the handler needs from the OpenSearch API: one method per call. */
export interface PackageApi {
  /** Every package on the domain (all pages of ListPackagesForDomain). */
  listDomainPackages(domainName: string): Promise<DomainPackageDetails[]>;
  /** The package, or undefined when no package has that ID. */
  describePackage(packageId: string): Promise<PackageDetails | undefined>;
  /** Whether the domain is applying a configuration change or an upgrade. */
  isDomainProcessing(domainName: string): Promise<boolean>;
  associate(request: AssociateRequest): Promise<void>;
  dissociate(domainName: string, packageId: string): Promise<void>;
  createPackage(request: CreatePackageRequest): Promise<PackageDetails>;
  updatePackage(request: UpdatePackageRequest): Promise<PackageDetails>;
  deletePackage(packageId: string): Promise<void>;
}

export interface AssociateRequest {
  readonly domainName: string;
  readonly packageId: string;
  readonly prerequisitePackageIds?: string[];
  readonly associationConfiguration?: PackageAssociationConfiguration;
}

/**
 * The PackageApi over the AWS SDK. The client honours the SDK's standard
 * settings, among them `AWS_REGION` and the endpoint override
 * `AWS_ENDPOINT_URL_OPENSEARCH`.
 */
export function sdkPackageApi(client: OpenSearchClient = new OpenSearchClient({})): PackageApi {
  return {
    async listDomainPackages(domainName) {
      const packages: DomainPackageDetails[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListPackagesForDomainCommand({ DomainName: domainName, MaxResults: 100, NextToken: nextToken }));
        packages.push(...page.DomainPackageDetailsList ?? []);
        nextToken = page.NextToken;
      } while (nextToken);
      return packages;
    },

    async describePackage(packageId) {
      const result = await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageID', Value: [packageId] }] }));
      return result.PackageDetailsList?.find(p => p.PackageID === packageId);
    },

    async isDomainProcessing(domainName) {
      const { DomainStatus: status } = await client.send(new DescribeDomainCommand({ DomainName: domainName }));
      return status?.Processing === true || status?.UpgradeProcessing === true;
    },

    async associate(request) {
      log('AssociatePackage', { domainName: request.domainName, packageId: request.packageId });
      await client.send(new AssociatePackageCommand({
        DomainName: request.domainName,
        PackageID: request.packageId,
        PrerequisitePackageIDList: request.prerequisitePackageIds,
        AssociationConfiguration: request.associationConfiguration,
      }));
    },

    async dissociate(domainName, packageId) {
      log('DissociatePackage', { domainName, packageId });
      await client.send(new DissociatePackageCommand({ DomainName: domainName, PackageID: packageId }));
    },

    async createPackage(request) {
      log('CreatePackage', { packageName: request.PackageName, packageType: request.PackageType });
      const { PackageDetails: details } = await client.send(new CreatePackageCommand(request));
      return details ?? {};
    },

    async updatePackage(request) {
      log('UpdatePackage', { packageId: request.PackageID });
      const { PackageDetails: details } = await client.send(new UpdatePackageCommand(request));
      return details ?? {};
    },

    async deletePackage(packageId) {
      log('DeletePackage', { packageId });
      await client.send(new DeletePackageCommand({ PackageID: packageId }));
    },
  };
}
