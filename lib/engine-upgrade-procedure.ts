/**
 * What to do about a plugin built for another engine version than its domain
 * runs: the text both the constructs (at synth time, for a domain of the app)
 * and the handler (at deploy time, for an imported domain) give.
 */
export function engineUpgradeProcedure(packageName: string, engineVersion: string, domainName: string, domainVersion: string): string {
  return `Package ${packageName} is a plugin built for ${engineVersion}, and domain ${domainName} runs ${domainVersion}. `
    + 'A plugin needs a package built for the engine version its domain runs, under the same name. '
    + 'For a Domain of the plugin\'s stack, take the plugin\'s engineVersion from it (CustomPackage.engineVersionOf(domain)): '
    + 'one deployment then creates the new version\'s package before CloudFormation upgrades the domain. '
    + 'For a domain upgraded elsewhere, in two deployments around the upgrade: '
    + '(1) add a CustomPackage with the same packageName and the new engineVersion, not associated, and deploy; '
    + '(2) upgrade the domain, which installs that package in place of the old one; '
    + '(3) associate the new package instead of the old one, remove the old CustomPackage, and deploy.';
}
