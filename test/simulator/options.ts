/**
 * How long an in-flight operation lasts: a number of observations, or wall-clock milliseconds. Associations
 * are observed by ListPackagesForDomain calls for their domain, packages by DescribePackages responses that include them.
 */
export type Duration = { readonly polls: number } | { readonly ms: number };

/** Knobs for {@link OpenSearchSimulator.start}. */
export interface SimulatorOptions {
  /** How long ASSOCIATING lasts before ACTIVE (or ASSOCIATION_FAILED). Either a number of ListPackagesForDomain calls that observe it for that domain, or milliseconds. Default `{ polls: 2 }`. */
  readonly associationDuration?: Duration;
  /** Same for DISSOCIATING before the entry disappears (or DISSOCIATION_FAILED). Default `{ polls: 2 }`. */
  readonly dissociationDuration?: Duration;
  /**
   * How long an association or dissociation operation lasts when it involves a plugin (ZIP-PLUGIN, or the
   * PACKAGE-LICENSE and PACKAGE-CONFIG packages that go with one): the service runs a blue/green deployment.
   * One AssociatePackages or DissociatePackages call is one deployment, whatever it holds (not documented; likely).
   * Default: the association or dissociation duration.
   */
  readonly blueGreenDuration?: Duration;
  /**
   * What AssociatePackage answers for a package ACTIVE at its available version when only the prerequisites or
   * the key-store option differ (not documented). false (default): a new desired state, associated again;
   * true: ConflictException "Package is already in desired state", the change not applied.
   */
  readonly configurationChangeIsDesiredState?: boolean;
  /**
   * Whether UpdatePackage is accepted for a package whose last processing failed (COPY_FAILED, VALIDATION_FAILED),
   * its previous version still available (not documented). false (default): ValidationException.
   */
  readonly failedPackagesAcceptUpdates?: boolean;
  /**
   * How long each of a package's COPYING, VALIDATING and DELETING statuses lasts: a number of DescribePackages
   * responses that include the package, or milliseconds. Default `{ polls: 1 }`.
   */
  readonly packageProcessingDuration?: Duration;
  /** When true, associate/dissociate on a domain while another package operation is ASSOCIATING/DISSOCIATING there is rejected with ConflictException (409). Default true. */
  readonly oneOperationPerDomain?: boolean;
  /** Region used in ARNs. Default `us-east-1`. */
  readonly region?: string;
  /** Account used in ARNs and domain IDs. Default `123456789012`. */
  readonly accountId?: string;
}

/** The durations of association and dissociation operations, which a test may change while the simulator runs. */
export type OperationDurations = Pick<SimulatorOptions, 'associationDuration' | 'dissociationDuration' | 'blueGreenDuration'>;

/** {@link SimulatorOptions} with every default filled in. */
export type ResolvedOptions = Required<Omit<SimulatorOptions, 'blueGreenDuration'>> & Pick<SimulatorOptions, 'blueGreenDuration'>;

/** Fills in the defaults and rejects nonsensical durations. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    associationDuration: options.associationDuration ?? { polls: 2 },
    dissociationDuration: options.dissociationDuration ?? { polls: 2 },
    packageProcessingDuration: options.packageProcessingDuration ?? { polls: 1 },
    blueGreenDuration: options.blueGreenDuration,
    configurationChangeIsDesiredState: options.configurationChangeIsDesiredState ?? false,
    failedPackagesAcceptUpdates: options.failedPackagesAcceptUpdates ?? false,
    oneOperationPerDomain: options.oneOperationPerDomain ?? true,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
  };
  const durations = [resolved.associationDuration, resolved.dissociationDuration, resolved.packageProcessingDuration, resolved.blueGreenDuration];
  for (const duration of durations) {
    if (!duration) continue;
    const amount = 'polls' in duration ? duration.polls : duration.ms;
    if (!Number.isFinite(amount) || amount < 0) {
      throw new Error(`Invalid duration ${JSON.stringify(duration)}: must be a non-negative number`);
    }
  }
  return resolved;
}
