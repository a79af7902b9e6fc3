import { Token } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { templateEngineVersion } from './domain-engine-version';

/*
 * What the service requires before it installs a custom plugin (a ZIP-PLUGIN
 * package of the user's, third-party plugins included): the developer guide,
 * "Managing custom plugins in Amazon OpenSearch Service", prerequisites:
 * OpenSearch 2.15 or later, node-to-node encryption, encryption at rest and
 * enforced HTTPS on the domain.
 */

/** The first engine version that takes custom plugins. */
const FIRST = { major: 2, minor: 15 };

/** `major.minor` of an `OpenSearch_X.Y` engine version; undefined for Elasticsearch or anything else. */
export function openSearchVersion(engineVersion: string): { major: number; minor: number } | undefined {
  const match = engineVersion.match(/^OpenSearch_(\d+)\.(\d+)$/);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** Whether an engine version (known at synth time) takes custom plugins. */
export function takesCustomPlugins(engineVersion: string): boolean {
  const version = openSearchVersion(engineVersion);
  return version !== undefined && (version.major > FIRST.major || (version.major === FIRST.major && version.minor >= FIRST.minor));
}

/** Why a plugin with this engineVersion can never be installed, if it cannot. */
export function pluginEngineProblem(engineVersion: string): string | undefined {
  return takesCustomPlugins(engineVersion) ? undefined
    : `engineVersion ${engineVersion} cannot run a custom plugin: the service installs custom plugins only on OpenSearch ${FIRST.major}.${FIRST.minor} or later. `
      + `Build the plugin for OpenSearch ${FIRST.major}.${FIRST.minor} or later, and run the domain on that version.`;
}

/** A boolean option of the template: its value, or undefined when it is a token. */
function option(group: unknown, key: string): boolean | undefined {
  if (group === undefined) return false;
  if (Token.isUnresolved(group)) return undefined;
  const value = (group as Record<string, unknown>)[key];
  return value === undefined ? false : typeof value === 'boolean' ? value : undefined;
}

/**
 * What a Domain of the app lacks to take custom plugins, each with the Domain
 * prop that gives it; empty when it lacks nothing, and for an imported domain
 * or settings that are tokens, which cannot be read at synth time.
 */
export function missingPluginPrerequisites(domain: opensearch.IDomain): string[] {
  const resource = domain.node.defaultChild;
  if (!(resource instanceof opensearch.CfnDomain)) return [];
  const missing: string[] = [];
  const version = templateEngineVersion(domain);
  if (version !== undefined && !takesCustomPlugins(version)) {
    missing.push(`OpenSearch ${FIRST.major}.${FIRST.minor} or later (it runs ${version}; version: EngineVersion.OPENSEARCH_2_19, say)`);
  }
  const settings: Array<[unknown, string, string, string]> = [
    [resource.nodeToNodeEncryptionOptions, 'enabled', 'node-to-node encryption', 'nodeToNodeEncryption: true'],
    [resource.encryptionAtRestOptions, 'enabled', 'encryption at rest', 'encryptionAtRest: { enabled: true }'],
    [resource.domainEndpointOptions, 'enforceHttps', 'enforced HTTPS', 'enforceHttps: true'],
  ];
  for (const [group, key, what, prop] of settings) {
    if (option(group, key) === false) missing.push(`${what} (${prop})`);
  }
  return missing;
}
