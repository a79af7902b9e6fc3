/**
 * Whether a plugin needs a license or a configuration package.
 */
export enum RequirementLevel {
  /** The plugin does not work without it. */
  REQUIRED = 'REQUIRED',
  /** The plugin works with or without it. */
  OPTIONAL = 'OPTIONAL',
  /** The plugin takes none. */
  NONE = 'NONE',
}

/**
 * What a plugin (a ZIP_PLUGIN package) needs besides itself: the service's
 * `PackageConfiguration`, for third-party plugins that take a license and a
 * configuration package.
 */
export interface PluginConfiguration {
  /**
   * Whether the plugin needs a license package.
   */
  readonly licenseRequirement: RequirementLevel;

  /**
   * Where in the plugin the license file goes.
   *
   * @default - none
   */
  readonly licenseFilepath?: string;

  /**
   * Whether the plugin needs a configuration package.
   */
  readonly configurationRequirement: RequirementLevel;

  /**
   * Whether the domain restarts the plugin when its configuration package
   * gets a new version.
   *
   * @default false
   */
  readonly requiresRestartForConfigurationUpdate?: boolean;
}
